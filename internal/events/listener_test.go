package events

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// recorderScript is an event listener written with supervisor.childutils:
// it appends one JSON line [headers, payload] per event to argv[1].
// argv[2] selects a behaviour: "failfirst" answers FAIL to the first event,
// "hang" never answers, "gate" answers each event only once the file
// argv[3] exists (the test holds the listener BUSY until it creates it).
const recorderScript = `
import os, sys, json, signal, time
from supervisor import childutils
out = open(sys.argv[1], 'a')
mode = sys.argv[2] if len(sys.argv) > 2 else ''
failed = False
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write(json.dumps([headers, payload]) + '\n')
    out.flush()
    if mode == 'failfirst' and not failed:
        failed = True
        childutils.listener.fail(sys.stdout)
    elif mode == 'hang':
        signal.pause()
    else:
        if mode == 'gate':
            while not os.path.exists(sys.argv[3]):
                time.sleep(0.01)
        childutils.listener.ok(sys.stdout)
`

// crashmailScript reacts like superlance's crashmail: one "mail" line per
// unexpected PROCESS_STATE_EXITED.
const crashmailScript = `
import sys
from supervisor import childutils
mailbox = sys.argv[1]
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    if headers['eventname'] == 'PROCESS_STATE_EXITED':
        pheaders, data = childutils.eventdata(payload + '\n')
        if not int(pheaders['expected']):
            msg = ('Process %(processname)s in group %(groupname)s exited '
                   'unexpectedly (pid %(pid)s) from state %(from_state)s' % pheaders)
            with open(mailbox, 'a') as f:
                f.write('To: ops@example.com\nSubject: %s crashed at %s\n%s\n' % (
                    pheaders['processname'], childutils.get_asctime(), msg))
    childutils.listener.ok(sys.stdout)
`

// rawScript dumps each envelope byte for byte to argv[1] (reading len
// characters of payload, decoded as UTF-8, as Supervisor means it).
const rawScript = `
import sys, codecs
out = open(sys.argv[1], 'ab')
inp = sys.stdin.buffer
sys.stdout.write('READY\n'); sys.stdout.flush()
while True:
    line = inp.readline()
    if not line:
        break
    n = int(dict(x.split(b':', 1) for x in line.split())[b'len'])
    dec = codecs.getincrementaldecoder('utf-8')()
    body, chars = b'', 0
    while chars < n:
        c = inp.read(1)
        body += c
        chars += len(dec.decode(c))
    out.write(line + body); out.flush()
    sys.stdout.write('RESULT 2\nOKREADY\n'); sys.stdout.flush()
`

// procListener is a real listener process behind the Listener interface,
// wired the way the supervisor wires one: Attach, then Consume on its
// stdout pipe until EOF, then Detach.
type procListener struct {
	name     string
	cmd      *exec.Cmd
	stdin    *os.File
	running  atomic.Bool
	done     chan struct{}
	killOnce sync.Once
}

func (l *procListener) Name() string  { return l.name }
func (l *procListener) Running() bool { return l.running.Load() }
func (l *procListener) WriteStdin(p []byte) error {
	_, err := l.stdin.Write(p)
	return err
}

// kill kills the process and waits until the pool saw its EOF and Detach.
func (l *procListener) kill(t *testing.T) {
	t.Helper()
	l.killOnce.Do(func() {
		l.cmd.Process.Kill()
		l.cmd.Wait()
		l.running.Store(false)
	})
	testutil.Receive(t, l.done, l.name+"'s output to reach EOF")
}

// startListener starts argv as listener name of p.
func startListener(t *testing.T, p *Pool, name string, running bool, argv ...string) *procListener {
	t.Helper()
	if argv[0] == testutil.Python {
		testutil.RequirePython(t)
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(t.TempDir(), name+".stderr"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errf
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8")
	l := &procListener{name: name, cmd: cmd, stdin: inW, done: make(chan struct{})}
	p.Attach(l)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	inR.Close()
	outW.Close()
	errf.Close()
	l.running.Store(running)
	go func() {
		p.Consume(l, outR)
		p.Detach(l)
		outR.Close()
		close(l.done)
	}()
	t.Cleanup(func() {
		l.kill(t)
		inW.Close()
		if b, _ := os.ReadFile(errf.Name()); len(b) > 0 && t.Failed() {
			t.Logf("%s stderr:\n%s", name, b)
		}
	})
	return l
}

// recorded is one line of recorderScript's output.
type recorded struct {
	headers map[string]string
	payload string
}

func readRecorded(t *testing.T, path string) []recorded {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	// A last line without its newline is still being written.
	b = b[:bytes.LastIndexByte(b, '\n')+1]
	var out []recorded
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var raw []json.RawMessage
		var r recorded
		if json.Unmarshal(sc.Bytes(), &raw) != nil || len(raw) != 2 ||
			json.Unmarshal(raw[0], &r.headers) != nil || json.Unmarshal(raw[1], &r.payload) != nil {
			t.Fatalf("bad record %q", sc.Text())
		}
		out = append(out, r)
	}
	return out
}

// waitRecorded waits until path has n records and returns them.
func waitRecorded(t *testing.T, path string, n int) []recorded {
	t.Helper()
	var rs []recorded
	testutil.Eventually(t, fmt.Sprintf("%d events in %s", n, filepath.Base(path)), func() bool {
		rs = readRecorded(t, path)
		return len(rs) >= n
	})
	if len(rs) != n {
		t.Fatalf("%d records, want %d", len(rs), n)
	}
	return rs
}

func script(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestChildutilsListener: a listener written with supervisor.childutils
// receives the subscribed events (base types included), in order, with
// header and payload exactly as 4.2.5 sends them; len counts characters.
func TestChildutilsListener(t *testing.T) {
	bus, p, rec := newTestPool(t, 100, TypeProcessState, TypeProcessLog, TypeRemoteCommunication, TypeTick5, TypeProcessGroup)
	out := filepath.Join(t.TempDir(), "events.jsonl")
	l := startListener(t, p, "listener", true, testutil.Python, script(t, "rec.py", recorderScript), out)
	waitState(t, p, l, ListenerReady)

	evs := []Event{
		stateEvent(TypeProcessStateRunning, "grp", "ga"),
		{Type: TypeProcessCommunicationStdout, Output: &ProcessOutput{Process: "c", Group: "c", Pid: 3, Data: []byte("skip")}},
		{Type: TypeProcessLogStdout, Output: &ProcessOutput{Process: "p", Group: "p", Pid: 42, Channel: Stdout, Data: []byte("héllo wörld ✓\nline 2\n")}},
		{Type: TypeTick60, When: 60}, // TICK_5 only
		{Type: TypeTick5, When: 1795236755},
		remote("日本語"),
		{Type: TypeProcessGroupAdded, Group: "grp"},
		{Type: TypeSupervisorStateChangeRunning}, // not subscribed
		stateEvent(TypeProcessStateExited, "grp", "ga"),
	}
	var want []Event
	for _, e := range evs {
		e = bus.Publish(e)
		if e.Type != TypeProcessCommunicationStdout && e.Type != TypeTick60 && e.Type != TypeSupervisorStateChangeRunning {
			want = append(want, e)
		}
	}
	got := waitRecorded(t, out, len(want))
	for i, r := range got {
		e := want[i]
		h := map[string]string{
			"ver": "3.0", "server": "supref", "serial": fmt.Sprint(e.Serial), "pool": "pool",
			"poolserial": fmt.Sprint(i), "eventname": e.Type.String(),
			"len": fmt.Sprint(len([]rune(string(e.Payload())))),
		}
		if fmt.Sprint(r.headers) != fmt.Sprint(h) {
			t.Errorf("event %d headers %v, want %v", i, r.headers, h)
		}
		if r.payload != string(e.Payload()) {
			t.Errorf("event %d payload %q, want %q", i, r.payload, e.Payload())
		}
	}
	testutil.Eventually(t, "all processed", func() bool {
		return rec.count(slog.LevelDebug, "listener: event was processed") == len(want)
	})
	waitState(t, p, l, ListenerReady)
}

// TestCrashMailListener: a crashmail-style listener mails about the real
// exit of a real process, and only about unexpected exits.
func TestCrashMailListener(t *testing.T) {
	bus, p, _ := newTestPool(t, 10, TypeProcessStateExited)
	mailbox := filepath.Join(t.TempDir(), "mailbox")
	l := startListener(t, p, "crashmail", true, testutil.Python, script(t, "crashmail.py", crashmailScript), mailbox)
	waitState(t, p, l, ListenerReady)

	crasher := exec.Command("/bin/sh", "-c", "exit 3")
	if err := crasher.Start(); err != nil {
		t.Fatal(err)
	}
	pid := crasher.Process.Pid
	crasher.Wait()
	bus.Publish(Event{Type: TypeProcessStateStarting, State: &ProcessState{Process: "crasher", Group: "batch", From: "STOPPED"}})
	bus.Publish(Event{Type: TypeProcessStateRunning, State: &ProcessState{Process: "crasher", Group: "batch", From: "STARTING", Pid: pid}})
	bus.Publish(Event{Type: TypeProcessStateExited, State: &ProcessState{Process: "fine", Group: "fine", From: "RUNNING", Expected: true, Pid: 1}})
	bus.Publish(Event{Type: TypeProcessStateExited, State: &ProcessState{Process: "crasher", Group: "batch", From: "RUNNING", Expected: false, Pid: pid}})
	marker := bus.Publish(Event{Type: TypeProcessStateExited, State: &ProcessState{Process: "fine", Group: "fine", From: "RUNNING", Expected: true, Pid: 2}})
	// Once the last event was answered, every mail is written.
	testutil.Eventually(t, "the last event to be processed", func() bool {
		return p.Len() == 0 && p.State(l) == ListenerReady && marker.Serial > 0
	})
	b, err := os.ReadFile(mailbox)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 3 || lines[0] != "To: ops@example.com" || !strings.HasPrefix(lines[1], "Subject: crasher crashed at ") ||
		lines[2] != fmt.Sprintf("Process crasher in group batch exited unexpectedly (pid %d) from state RUNNING", pid) {
		t.Fatalf("mailbox:\n%s", b)
	}
}

// TestListenerFailsFirst: the FAILed event comes back with the same serial
// and pool serial, before the events queued behind it.
func TestListenerFailsFirst(t *testing.T) {
	bus, p, rec := newTestPool(t, 10, TypeRemoteCommunication)
	out := filepath.Join(t.TempDir(), "events.jsonl")
	l := startListener(t, p, "listener", false, testutil.Python, script(t, "rec.py", recorderScript), out, "failfirst")
	waitState(t, p, l, ListenerReady)
	bus.Publish(Event{Type: TypeTick5})
	bus.Publish(remote("failme"))
	bus.Publish(remote("second"))
	l.running.Store(true)
	p.Kick()
	got := waitRecorded(t, out, 3)
	for i, want := range [][3]string{{"2", "0", "type:t\nfailme"}, {"2", "0", "type:t\nfailme"}, {"3", "1", "type:t\nsecond"}} {
		if got[i].headers["serial"] != want[0] || got[i].headers["poolserial"] != want[1] || got[i].payload != want[2] {
			t.Fatalf("delivery %d: %v %q, want serial %s poolserial %s %q", i, got[i].headers, got[i].payload, want[0], want[1], want[2])
		}
	}
	if !rec.has(slog.LevelWarn, "listener: event was rejected") ||
		!rec.has(slog.LevelDebug, "rebuffering event 2 for pool pool (buf size=1, max=10)") {
		t.Fatalf("log:\n%s", rec.dump())
	}
}

// TestListenerProtocolViolations uses real processes that break the
// protocol; each ends UNKNOWN and gets nothing more, and an event it held
// goes to a well-behaved listener.
func TestListenerProtocolViolations(t *testing.T) {
	bus, p, rec := newTestPool(t, 10, TypeRemoteCommunication)
	badResult := `
import sys
sys.stdout.write('READY\n'); sys.stdout.flush()
sys.stdin.readline()
sys.stdout.write('RESULT two\nOK'); sys.stdout.flush()
sys.stdin.read()
`
	noReady := startListener(t, p, "noready", true, "/bin/sh", "-c", `printf 'HELLO!\n'; while read x; do :; done`)
	chatty := startListener(t, p, "chatty", true, "/bin/sh", "-c", `printf 'READY\n'; read x; printf 'READY\n'; while read x; do :; done`)
	waitState(t, p, noReady, ListenerUnknown)
	waitState(t, p, chatty, ListenerReady)
	// chatty is sent this event, then says READY again while BUSY: that
	// is a bad result line.
	bus.Publish(remote("one"))
	testutil.Eventually(t, "chatty to be UNKNOWN", func() bool { return p.State(chatty) == ListenerUnknown || t.Failed() })
	if p.State(chatty) != ListenerUnknown {
		t.Fatalf("chatty is %s:\n%s", p.State(chatty), rec.dump())
	}
	if !rec.has(slog.LevelWarn, "chatty: bad result line: 'READY'") {
		t.Fatalf("log:\n%s", rec.dump())
	}
	bad := startListener(t, p, "badresult", true, testutil.Python, "-c", badResult)
	testutil.Eventually(t, "badresult to take the event and fail", func() bool {
		return rec.has(slog.LevelWarn, "badresult: bad result line: 'RESULT two'")
	})
	waitState(t, p, bad, ListenerUnknown)
	for _, name := range []string{"noready", "chatty", "badresult"} {
		if !rec.has(slog.LevelWarn, name+": has entered the UNKNOWN state and will no longer receive events, "+
			"this usually indicates the process violated the eventlistener protocol") {
			t.Fatalf("%s: no UNKNOWN warning:\n%s", name, rec.dump())
		}
	}
	if p.Len() != 1 {
		t.Fatalf("buffer holds %d events, want the rejected one", p.Len())
	}
	out := filepath.Join(t.TempDir(), "events.jsonl")
	startListener(t, p, "good", true, testutil.Python, script(t, "rec.py", recorderScript), out)
	got := waitRecorded(t, out, 1)
	if got[0].headers["serial"] != "1" || got[0].headers["poolserial"] != "0" || got[0].payload != "type:t\none" {
		t.Fatalf("good got %v %q", got[0].headers, got[0].payload)
	}
	if p.State(noReady) != ListenerUnknown || p.State(chatty) != ListenerUnknown || p.State(bad) != ListenerUnknown {
		t.Fatal("a violator left UNKNOWN")
	}
}

// TestPoolBufferOverflow: with no RUNNING listener, the buffer keeps the
// newest buffer_size events and logs each discarded one; the listener
// gets the rest once RUNNING.
func TestPoolBufferOverflow(t *testing.T) {
	bus, p, rec := newTestPool(t, 3, TypeRemoteCommunication)
	out := filepath.Join(t.TempDir(), "events.jsonl")
	l := startListener(t, p, "listener", false, testutil.Python, script(t, "rec.py", recorderScript), out)
	waitState(t, p, l, ListenerReady)
	for i := 1; i <= 5; i++ {
		bus.Publish(remote(fmt.Sprint(i)))
	}
	for _, s := range []int{1, 2} {
		if !rec.has(slog.LevelError, fmt.Sprintf("pool pool event buffer overflowed, discarding event %d", s)) {
			t.Fatalf("no overflow log for %d:\n%s", s, rec.dump())
		}
	}
	if rec.has(slog.LevelError, "pool pool event buffer overflowed, discarding event 3") || p.Len() != 3 {
		t.Fatalf("len %d:\n%s", p.Len(), rec.dump())
	}
	if readRecorded(t, out) != nil {
		t.Fatal("a listener that is not RUNNING got an event")
	}
	l.running.Store(true)
	p.Kick()
	got := waitRecorded(t, out, 3)
	for i, r := range got {
		if r.headers["serial"] != fmt.Sprint(i+3) || r.headers["poolserial"] != fmt.Sprint(i+2) {
			t.Fatalf("delivery %d: %v", i, r.headers)
		}
	}
}

// TestPoolTwoListeners: numprocs=2 — both listeners work, each event goes
// to exactly one of them.
func TestPoolTwoListeners(t *testing.T) {
	bus, p, _ := newTestPool(t, 100, TypeRemoteCommunication)
	dir := t.TempDir()
	rec := script(t, "rec.py", recorderScript)
	out0, out1 := filepath.Join(dir, "l0.jsonl"), filepath.Join(dir, "l1.jsonl")
	// Both listeners hold their first event until the gate opens: the
	// first goes to listener_00 (first READY in attach order), which is
	// then BUSY, so the second must go to listener_01, however fast either
	// runs.
	gate := filepath.Join(dir, "gate")
	l0 := startListener(t, p, "listener_00", false, testutil.Python, rec, out0, "gate", gate)
	l1 := startListener(t, p, "listener_01", false, testutil.Python, rec, out1, "gate", gate)
	waitState(t, p, l0, ListenerReady)
	waitState(t, p, l1, ListenerReady)
	const n = 40
	for i := 0; i < n; i++ {
		bus.Publish(remote(fmt.Sprint(i)))
	}
	l0.running.Store(true)
	l1.running.Store(true)
	p.Kick()
	first0, first1 := waitRecorded(t, out0, 1), waitRecorded(t, out1, 1)
	if first0[0].headers["serial"] != "1" || first1[0].headers["serial"] != "2" {
		t.Fatalf("first deliveries: l0 %v, l1 %v", first0[0].headers, first1[0].headers)
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var r0, r1 []recorded
	testutil.Eventually(t, "all events", func() bool {
		r0, r1 = readRecorded(t, out0), readRecorded(t, out1)
		return len(r0)+len(r1) >= n
	})
	seen := map[string]string{}
	for name, rs := range map[string][]recorded{"l0": r0, "l1": r1} {
		for _, r := range rs {
			s := r.headers["serial"]
			if other, dup := seen[s]; dup {
				t.Fatalf("serial %s went to %s and %s", s, other, name)
			}
			seen[s] = name
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct events, want %d", len(seen), n)
	}
}

// TestListenerKilledWhileBusy: the event a listener held when it was
// killed goes, with its serials, to the other listener; the dead one's
// later respawn gets the next event.
func TestListenerKilledWhileBusy(t *testing.T) {
	bus, p, _ := newTestPool(t, 10, TypeRemoteCommunication)
	dir := t.TempDir()
	rec := script(t, "rec.py", recorderScript)
	hangOut, goodOut := filepath.Join(dir, "hang.jsonl"), filepath.Join(dir, "good.jsonl")
	hang := startListener(t, p, "hanger", true, testutil.Python, rec, hangOut, "hang")
	good := startListener(t, p, "good", false, testutil.Python, rec, goodOut)
	waitState(t, p, hang, ListenerReady)
	waitState(t, p, good, ListenerReady)
	e := bus.Publish(remote("precious"))
	if got := waitRecorded(t, hangOut, 1); got[0].headers["serial"] != fmt.Sprint(e.Serial) {
		t.Fatalf("hanger got %v", got[0].headers)
	}
	if p.State(hang) != ListenerBusy {
		t.Fatalf("hanger is %s", p.State(hang))
	}
	good.running.Store(true)
	p.Kick()
	hang.kill(t)
	got := waitRecorded(t, goodOut, 1)
	if got[0].headers["serial"] != fmt.Sprint(e.Serial) || got[0].headers["poolserial"] != "0" || got[0].payload != "type:t\nprecious" {
		t.Fatalf("redelivered %v %q", got[0].headers, got[0].payload)
	}
	if p.State(hang) != 0 {
		t.Fatalf("dead listener state %s", p.State(hang))
	}
}

// TestEnvelopeBytesFromRealListener: what a listener reads on stdin is,
// byte for byte, what Supervisor 4.2.5's own code renders for the same
// events (non-ASCII payloads included).
func TestEnvelopeBytesFromRealListener(t *testing.T) {
	bus, p, _ := newTestPool(t, 100, TypeEvent)
	out := filepath.Join(t.TempDir(), "raw")
	l := startListener(t, p, "raw", true, testutil.Python, script(t, "raw.py", rawScript), out)
	waitState(t, p, l, ListenerReady)
	var evs []Event
	for _, c := range payloadCases {
		// Every type is published; the pool sends only 4.2.5's.
		if e := bus.Publish(c.ev); e.Type.Legacy() {
			evs = append(evs, e)
		}
	}
	evs = append(evs, bus.Publish(remote("ünïcödé ✓ 日本語")))
	_, envelopes := runOracle(t, "pool", "supref", evs)
	want := bytes.Join(envelopes, nil)
	var got []byte
	testutil.Eventually(t, "all envelopes", func() bool {
		got, _ = os.ReadFile(out)
		return len(got) >= len(want)
	})
	if !bytes.Equal(got, want) {
		t.Fatalf("listener read:\n%q\n4.2.5 sends:\n%q", got, want)
	}
}

// Make sure a killed process's write error is what isClosedPipe expects.
func TestClosedPipeError(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	w.Close()
	if !isClosedPipe(err) || !isClosedPipe(fmt.Errorf("wrapped: %w", syscall.EPIPE)) || isClosedPipe(os.ErrNotExist) {
		t.Fatalf("isClosedPipe(%v) wrong", err)
	}
}
