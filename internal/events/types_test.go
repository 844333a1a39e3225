package events

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// payloadCases has one event of every concrete type with the payload of
// reference §7.1 (the exact strings observed from 4.2.5 where §15 has one).
var payloadCases = []struct {
	ev   Event
	want string
}{
	{Event{Type: TypeProcessStateStopped, State: &ProcessState{Process: "manual", Group: "manual", From: "STOPPING", Pid: 10677}},
		"processname:manual groupname:manual from_state:STOPPING pid:10677"},
	{Event{Type: TypeProcessStateStarting, State: &ProcessState{Process: "ga", Group: "grp", From: "STOPPED", Tries: 0, Pid: 99}},
		"processname:ga groupname:grp from_state:STOPPED tries:0"},
	{Event{Type: TypeProcessStateRunning, State: &ProcessState{Process: "envdump", Group: "envdump", From: "STARTING", Pid: 10179}},
		"processname:envdump groupname:envdump from_state:STARTING pid:10179"},
	{Event{Type: TypeProcessStateBackoff, State: &ProcessState{Process: "failer", Group: "failer", From: "STARTING", Tries: 2}},
		"processname:failer groupname:failer from_state:STARTING tries:2"},
	{Event{Type: TypeProcessStateStopping, State: &ProcessState{Process: "sleeper", Group: "sleeper", From: "RUNNING", Pid: 10186}},
		"processname:sleeper groupname:sleeper from_state:RUNNING pid:10186"},
	{Event{Type: TypeProcessStateExited, State: &ProcessState{Process: "exiter", Group: "exiter", From: "RUNNING", Expected: false, Pid: 10180}},
		"processname:exiter groupname:exiter from_state:RUNNING expected:0 pid:10180"},
	{Event{Type: TypeProcessStateExited, State: &ProcessState{Process: "envdump", Group: "envdump", From: "RUNNING", Expected: true, Pid: 10179}},
		"processname:envdump groupname:envdump from_state:RUNNING expected:1 pid:10179"},
	{Event{Type: TypeProcessStateFatal, State: &ProcessState{Process: "failer", Group: "failer", From: "BACKOFF", Tries: 3}},
		"processname:failer groupname:failer from_state:BACKOFF"},
	{Event{Type: TypeProcessStateUnknown, State: &ProcessState{Process: "x", Group: "g", From: "RUNNING", Pid: 5}},
		"processname:x groupname:g from_state:RUNNING"},
	{Event{Type: TypeProcessLogStdout, Output: &ProcessOutput{Process: "commer", Group: "commer", Pid: 15661, Channel: Stdout, Data: []byte("before\n")}},
		"processname:commer groupname:commer pid:15661 channel:stdout\nbefore\n"},
	{Event{Type: TypeProcessLogStderr, Output: &ProcessOutput{Process: "p", Group: "g", Pid: 7, Channel: Stderr, Data: []byte("oops")}},
		"processname:p groupname:g pid:7 channel:stderr\noops"},
	{Event{Type: TypeProcessCommunicationStdout, Output: &ProcessOutput{Process: "commer", Group: "commer", Pid: 15661, Channel: Stdout, Data: []byte("hello comm")}},
		"processname:commer groupname:commer pid:15661\nhello comm"},
	{Event{Type: TypeProcessCommunicationStderr, Output: &ProcessOutput{Process: "p", Group: "g", Pid: 8, Channel: Stderr, Data: []byte("x\ny")}},
		"processname:p groupname:g pid:8\nx\ny"},
	{Event{Type: TypeRemoteCommunication, Remote: &RemoteComm{Type: "mytype", Data: "mydata"}},
		"type:mytype\nmydata"},
	{Event{Type: TypeSupervisorStateChangeRunning}, ""},
	{Event{Type: TypeSupervisorStateChangeStopping}, ""},
	{Event{Type: TypeProcessGroupAdded, Group: "listener"}, "groupname:listener\n"},
	{Event{Type: TypeProcessGroupRemoved, Group: "exiter"}, "groupname:exiter\n"},
	{Event{Type: TypeTick5, When: 1795236755}, "when:1795236755"},
	{Event{Type: TypeTick60, When: 1795236720}, "when:1795236720"},
	{Event{Type: TypeTick3600, When: 1795233600}, "when:1795233600"},
	// gsupervisor's own type (never sent to a listener).
	{Event{Type: TypeProcessHealthChanged, Health: &ProcessHealth{Process: "web", Group: "web", From: "STARTING", To: "HEALTHY", Probe: "readiness", Output: "HTTP 200 OK", Pid: 42}},
		"processname:web groupname:web from_health:STARTING health:HEALTHY probe:readiness pid:42\nHTTP 200 OK"},
	// Not UTF-8: Supervisor sends the Python repr of the bytes.
	{Event{Type: TypeProcessLogStdout, Output: &ProcessOutput{Process: "p", Group: "g", Pid: 1, Channel: Stdout, Data: []byte("a\xff'\t\\")}},
		"processname:p groupname:g pid:1 channel:stdout\nUndecodable: b\"a\\xff'\\t\\\\\""},
	{Event{Type: TypeProcessCommunicationStdout, Output: &ProcessOutput{Process: "p", Group: "g", Pid: 1, Channel: Stdout, Data: []byte{0xc3}}},
		"processname:p groupname:g pid:1\nUndecodable: b'\\xc3'"},
	// Non-ASCII UTF-8 passes through.
	{Event{Type: TypeProcessLogStdout, Output: &ProcessOutput{Process: "p", Group: "g", Pid: 1, Channel: Stdout, Data: []byte("héllo €\n")}},
		"processname:p groupname:g pid:1 channel:stdout\nhéllo €\n"},
}

func TestPayload(t *testing.T) {
	seen := map[Type]bool{}
	for _, c := range payloadCases {
		got := string(c.ev.Payload())
		if got != c.want {
			t.Errorf("%s payload:\n got %q\nwant %q", c.ev.Type, got, c.want)
		}
		seen[c.ev.Type] = true
	}
	for _, typ := range AllTypes() {
		if !typ.IsBase() && !seen[typ] {
			t.Errorf("no payload case for %s", typ)
		}
	}
}

// oracleScript renders payloads and envelopes with Supervisor 4.2.5's own
// classes (events.*Event.payload, EventListenerPool._eventEnvelope).
const oracleScript = `
import sys, json, base64
from supervisor import events, states
from supervisor.process import EventListenerPool
from supervisor.compat import as_bytes
class O: pass
def proc(d):
    p = O(); p.config = O(); p.config.name = d['process']
    p.group = O(); p.group.config = O(); p.group.config.name = d['group']
    p.pid = d['pid']; p.backoff = d['tries']
    return p
out = []
for d in json.load(sys.stdin):
    name = d['type']
    cls = getattr(events.EventTypes, name)
    if name.startswith('PROCESS_STATE_'):
        ev = cls(proc(d), getattr(states.ProcessStates, d['from']), d['expected'])
    elif name.startswith('PROCESS_LOG_') or name.startswith('PROCESS_COMMUNICATION_'):
        ev = cls(proc(d), d['pid'], base64.b64decode(d['data']))
    elif name == 'REMOTE_COMMUNICATION':
        ev = cls(d['rtype'], d['rdata'])
    elif name.startswith('PROCESS_GROUP_'):
        ev = cls(d['groupname'])
    elif name.startswith('TICK_'):
        ev = cls(d['when'], None)
    else:
        ev = cls()
    payload = ev.payload()
    pool = O(); pool.config = O(); pool.config.options = O()
    pool.config.options.identifier = d['ident']; pool.config.name = d['pool']
    env = EventListenerPool._eventEnvelope(pool, cls, d['serial'], d['poolserial'], payload)
    out.append({'payload': base64.b64encode(as_bytes(payload)).decode(),
                'envelope': base64.b64encode(as_bytes(env)).decode()})
json.dump(out, sys.stdout)
`

type oracleIn struct {
	Type       string `json:"type"`
	Process    string `json:"process"`
	Group      string `json:"group"`
	From       string `json:"from"`
	Expected   bool   `json:"expected"`
	Pid        int    `json:"pid"`
	Tries      int    `json:"tries"`
	Data       []byte `json:"data"`
	RType      string `json:"rtype"`
	RData      string `json:"rdata"`
	GroupName  string `json:"groupname"`
	When       int64  `json:"when"`
	Serial     uint64 `json:"serial"`
	PoolSerial uint64 `json:"poolserial"`
	Pool       string `json:"pool"`
	Ident      string `json:"ident"`
}

// runOracle returns Supervisor 4.2.5's payload and envelope for each event
// (serial = ev.Serial, pool serial = i).
func runOracle(t *testing.T, pool, ident string, evs []Event) (payloads, envelopes [][]byte) {
	t.Helper()
	var in []oracleIn
	for i, e := range evs {
		o := oracleIn{Type: e.Type.String(), Serial: e.Serial, PoolSerial: uint64(i), Pool: pool, Ident: ident}
		switch {
		case e.State != nil:
			o.Process, o.Group, o.From, o.Expected, o.Pid, o.Tries = e.State.Process, e.State.Group, e.State.From, e.State.Expected, e.State.Pid, e.State.Tries
		case e.Output != nil:
			o.Process, o.Group, o.Pid, o.Data = e.Output.Process, e.Output.Group, e.Output.Pid, e.Output.Data
		case e.Remote != nil:
			o.RType, o.RData = e.Remote.Type, e.Remote.Data
		}
		o.GroupName, o.When = e.Group, e.When
		if o.Data == nil {
			o.Data = []byte{}
		}
		in = append(in, o)
	}
	var res []struct{ Payload, Envelope string }
	testutil.RunPythonJSON(t, oracleScript, in, &res)
	for _, r := range res {
		p, _ := base64.StdEncoding.DecodeString(r.Payload)
		e, _ := base64.StdEncoding.DecodeString(r.Envelope)
		payloads = append(payloads, p)
		envelopes = append(envelopes, e)
	}
	return payloads, envelopes
}

// TestPayloadAndEnvelopeMatchSupervisor renders every case with
// Supervisor 4.2.5's classes and compares bytes: payloads and the whole
// envelope, len (a character count) included.
func TestPayloadAndEnvelopeMatchSupervisor(t *testing.T) {
	var evs []Event
	for i, c := range payloadCases {
		e := c.ev
		if !e.Type.Legacy() {
			continue // 4.2.5 has no such type
		}
		e.Serial = uint64(100 + i)
		evs = append(evs, e)
	}
	// A non-ASCII remote communication (len counts characters).
	evs = append(evs, Event{Serial: 999, Type: TypeRemoteCommunication, Remote: &RemoteComm{Type: "ünï", Data: "日本語 ✓"}})
	payloads, envelopes := runOracle(t, "mypool", "supref", evs)
	bus := NewBus(0, nil)
	p := NewPool(PoolConfig{Name: "mypool", Identifier: "supref", Events: []Type{TypeEvent}}, bus, nil)
	defer p.Close()
	for i, e := range evs {
		if got := e.Payload(); !bytes.Equal(got, payloads[i]) {
			t.Errorf("%s payload:\n got %q\nwant %q (4.2.5)", e.Type, got, payloads[i])
		}
		ev := e
		if got := p.envelope(&queued{ev: &ev, poolSerial: uint64(i)}); !bytes.Equal(got, envelopes[i]) {
			t.Errorf("%s envelope:\n got %q\nwant %q (4.2.5)", e.Type, got, envelopes[i])
		}
	}
}

func TestTypes(t *testing.T) {
	for _, typ := range AllTypes() {
		got, err := ParseType(typ.String())
		if err != nil || got != typ {
			t.Errorf("ParseType(%q) = %v, %v", typ.String(), got, err)
		}
		if !typ.Is(TypeEvent) {
			t.Errorf("%s is not an EVENT", typ)
		}
	}
	if !TypeTick3600.Legacy() || TypeProcessHealthChanged.Legacy() || TypeProcessHealth.Legacy() {
		t.Error("Legacy() is wrong")
	}
	if !TypeProcessHealthChanged.Is(TypeProcessHealth) || !TypeProcessHealth.IsBase() {
		t.Error("PROCESS_HEALTH is not the base of PROCESS_HEALTH_CHANGED")
	}
	if _, err := ParseType("NOPE"); err == nil {
		t.Error("ParseType(NOPE) succeeded")
	}
	if !TypeProcessStateExited.Is(TypeProcessState) || TypeProcessStateExited.Is(TypeProcessLog) {
		t.Error("Is() is wrong for PROCESS_STATE_EXITED")
	}
}
