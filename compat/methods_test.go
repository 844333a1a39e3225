package compat

import (
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// programs is the configuration most tests run.
const programs = `
[program:sleeper]
command=/bin/sleep 100000
startsecs=0

[program:static]
command=/bin/sh -c 'printf "0123456789abcdef\n"; printf "err\n" >&2; exec /bin/sleep 100000'
startsecs=0

[program:trapper]
command=/bin/sh -c 'trap "echo got USR1" USR1; echo trap set; while true; do sleep 0.1; done'
startsecs=0
stopasgroup=true

[program:failer]
command=/bin/sh -c "exit 1"
startretries=0
startsecs=60
autostart=false

[program:badcmd]
command=/nonexistent/binary --flag
autostart=false

[program:manual]
command=/bin/sleep 100000
autostart=false
startsecs=0

[program:slow]
command=/bin/sleep 100000
autostart=false
startsecs=1

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
stderr_logfile=NONE
autostart=false

[program:cat]
command=/bin/cat
startsecs=0

[program:binary]
command=/usr/bin/printf '\377ok\n'
startsecs=0
autorestart=false

[group:grp]
programs=ga,gb
priority=500

[program:ga]
command=/bin/sleep 100000
startsecs=0

[program:gb]
command=/bin/sleep 100000
priority=10
startsecs=0

[program:multi]
command=/bin/sleep 100000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0
`

// running starts a daemon on programs and waits for its autostart
// processes.
func running(t *testing.T) *testDaemon {
	t.Helper()
	d := startDaemon(t, programs, false)
	for _, n := range []string{"sleeper", "static", "trapper", "cat", "grp:ga", "grp:gb", "multi:multi_00", "multi:multi_01"} {
		d.waitState(n, "RUNNING")
	}
	return d
}

func TestInfoMethods(t *testing.T) {
	d := startDaemon(t, "", false)
	for _, c := range []struct {
		method string
		want   any
	}{
		{"supervisor.getAPIVersion", "3.0"},
		{"supervisor.getVersion", "3.0"},
		{"supervisor.getSupervisorVersion", "4.2.5"},
		{"supervisor.getIdentification", "compat"},
		{"supervisor.getPID", int64(os.Getpid())},
		{"supervisor.getState", xmlrpc.Struct{{Name: "statecode", Value: int64(1)}, {Name: "statename", Value: "RUNNING"}}},
	} {
		if got := d.ok(c.method); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %s, want %s", c.method, pyRepr(got), pyRepr(c.want))
		}
	}
}

func TestProcessInfo(t *testing.T) {
	d := running(t)
	info := d.info("sleeper")
	if k := keys(info); k != "name,group,start,stop,now,state,statename,spawnerr,exitstatus,logfile,stdout_logfile,stderr_logfile,pid,description" {
		t.Fatalf("getProcessInfo keys: %s", k)
	}
	pid := get(t, info, "pid").(int64)
	start := get(t, info, "start").(int64)
	now := get(t, info, "now").(int64)
	if pid <= 0 || start <= 0 || now < start || now > time.Now().Unix()+1 {
		t.Errorf("pid/start/now: %s", pyRepr(info))
	}
	if get(t, info, "state") != int64(20) || get(t, info, "statename") != "RUNNING" || get(t, info, "exitstatus") != int64(0) {
		t.Errorf("state: %s", pyRepr(info))
	}
	if desc := get(t, info, "description").(string); !strings.HasPrefix(desc, "pid ") || !strings.Contains(desc, ", uptime 0:00:") {
		t.Errorf("description %q", desc)
	}
	logfile := get(t, info, "logfile").(string)
	if logfile == "" || logfile != get(t, info, "stdout_logfile") || !strings.HasPrefix(logfile, d.Dir) {
		t.Errorf("log files: %s", pyRepr(info))
	}
	ga := d.info("grp:ga")
	if get(t, ga, "name") != "ga" || get(t, ga, "group") != "grp" {
		t.Errorf("grp:ga: %s", pyRepr(ga))
	}
	manual := d.info("manual")
	for k, v := range map[string]any{"state": int64(0), "statename": "STOPPED", "start": int64(0), "stop": int64(0), "pid": int64(0), "description": "Not started"} {
		if got := get(t, manual, k); got != v {
			t.Errorf("manual %s = %s, want %s", k, pyRepr(got), pyRepr(v))
		}
	}
	nolog := d.info("nolog")
	if get(t, nolog, "stdout_logfile") != "" || get(t, nolog, "logfile") != "" || get(t, nolog, "stderr_logfile") != "" {
		t.Errorf("nolog log files: %s", pyRepr(nolog))
	}
	for _, n := range []string{"nope", "grp:*", "grp:", "grp", "grp:nope"} {
		d.fault(10, "BAD_NAME: "+n, "supervisor.getProcessInfo", n)
	}

	all := d.ok("supervisor.getAllProcessInfo").([]any)
	var names []string
	for _, p := range all {
		s := p.(xmlrpc.Struct)
		names = append(names, get(t, s, "group").(string)+":"+get(t, s, "name").(string))
		if keys(s) != keys(info) {
			t.Errorf("getAllProcessInfo entry keys: %s", keys(s))
		}
	}
	want := "badcmd:badcmd binary:binary cat:cat failer:failer grp:ga grp:gb manual:manual multi:multi_00 multi:multi_01 nolog:nolog sleeper:sleeper slow:slow static:static trapper:trapper"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("getAllProcessInfo order:\n got %s\nwant %s", got, want)
	}
}

func TestStartStop(t *testing.T) {
	d := running(t)
	d.fault(60, "ALREADY_STARTED: sleeper", "supervisor.startProcess", "sleeper")
	d.fault(10, "BAD_NAME: nope", "supervisor.startProcess", "nope")
	d.fault(20, "NO_FILE: can't find command '/nonexistent/binary'", "supervisor.startProcess", "badcmd")
	d.fault(50, "SPAWN_ERROR: failer", "supervisor.startProcess", "failer")
	d.fault(70, "NOT_RUNNING: manual", "supervisor.stopProcess", "manual")
	d.fault(10, "BAD_NAME: nope", "supervisor.stopProcess", "nope")
	d.fault(10, "BAD_NAME: nope", "supervisor.startProcessGroup", "nope")
	d.fault(10, "BAD_NAME: nope", "supervisor.stopProcessGroup", "nope")

	// wait=true returns once RUNNING (startsecs=1), wait=false at once.
	if v := d.ok("supervisor.startProcess", "slow"); v != true {
		t.Fatalf("startProcess(slow) = %s", pyRepr(v))
	}
	if st := get(t, d.info("slow"), "statename"); st != "RUNNING" {
		t.Errorf("after startProcess(slow, wait): %v", st)
	}
	if v := d.ok("supervisor.stopProcess", "slow"); v != true {
		t.Fatalf("stopProcess(slow) = %s", pyRepr(v))
	}
	if st := get(t, d.info("slow"), "statename"); st != "STOPPED" {
		t.Errorf("after stopProcess(slow, wait): %v", st)
	}
	d.ok("supervisor.startProcess", "slow", false)
	d.waitState("slow", "RUNNING")
	d.ok("supervisor.stopProcess", "slow", int64(0))
	d.waitState("slow", "STOPPED")

	result := func(name string, status int64, desc string) xmlrpc.Struct {
		return xmlrpc.Struct{{Name: "name", Value: name}, {Name: "group", Value: "grp"}, {Name: "status", Value: status}, {Name: "description", Value: desc}}
	}
	both := []any{result("gb", 80, "OK"), result("ga", 80, "OK")}
	for _, c := range []struct {
		method string
		params []any
		want   []any
	}{
		{"supervisor.stopProcessGroup", []any{"grp"}, both},
		{"supervisor.stopProcessGroup", []any{"grp"}, []any{}},
		{"supervisor.startProcessGroup", []any{"grp"}, both},
		{"supervisor.startProcessGroup", []any{"grp"}, []any{}},
		{"supervisor.startProcess", []any{"grp:*"}, []any{}},
		{"supervisor.stopProcess", []any{"grp:"}, both},
		{"supervisor.startProcess", []any{"grp:", false}, both},
	} {
		got := d.ok(c.method, c.params...)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s%s = %s, want %s", c.method, pyRepr(c.params), pyRepr(got), pyRepr(c.want))
		}
	}
	d.waitState("grp:ga", "RUNNING")

	// The all variants act on every process in priority order.
	stopped := d.ok("supervisor.stopAllProcesses").([]any)
	if len(stopped) < 8 {
		t.Errorf("stopAllProcesses: %s", pyRepr(stopped))
	}
	for _, r := range stopped {
		if get(t, r.(xmlrpc.Struct), "status") != int64(80) {
			t.Errorf("stopAllProcesses entry %s", pyRepr(r))
		}
	}
	if st := get(t, d.info("sleeper"), "statename"); st != "STOPPED" {
		t.Errorf("sleeper after stopAllProcesses: %v", st)
	}
	started := d.ok("supervisor.startAllProcesses", false).([]any)
	byName := map[string]xmlrpc.Struct{}
	for _, r := range started {
		s := r.(xmlrpc.Struct)
		byName[get(t, s, "name").(string)] = s
	}
	if s := byName["badcmd"]; s == nil || get(t, s, "status") != int64(20) || get(t, s, "description") != "NO_FILE: can't find command '/nonexistent/binary'" {
		t.Errorf("startAllProcesses badcmd entry: %s", pyRepr(byName["badcmd"]))
	}
	if s := byName["sleeper"]; s == nil || get(t, s, "status") != int64(80) {
		t.Errorf("startAllProcesses sleeper entry: %s", pyRepr(byName["sleeper"]))
	}
}

// TestStartNoWait: startProcess(name, False) returns at once, the process
// still STARTING (its startsecs is an hour, so it is STARTING however slow
// the machine is).
func TestStartNoWait(t *testing.T) {
	d := startDaemon(t, "[program:slow]\ncommand=/bin/sleep 100000\nautostart=false\nstartsecs=3600\n", false)
	if v := d.ok("supervisor.startProcess", "slow", false); v != true {
		t.Fatalf("startProcess(slow, False) = %s", pyRepr(v))
	}
	if st := get(t, d.info("slow"), "statename"); st != "STARTING" {
		t.Errorf("after startProcess(slow, False): %v", st)
	}
	d.ok("supervisor.stopProcess", "slow")
}

func TestSignal(t *testing.T) {
	d := running(t)
	d.fault(11, "BAD_SIGNAL: BOGUS", "supervisor.signalProcess", "sleeper", "BOGUS")
	d.fault(70, "NOT_RUNNING: manual", "supervisor.signalProcess", "manual", "HUP")
	d.fault(10, "BAD_NAME: nope", "supervisor.signalProcess", "nope", "HUP")
	d.fault(10, "BAD_NAME: nope", "supervisor.signalProcessGroup", "nope", "HUP")
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.signalProcess", "sleeper", []any{})
	trapped := func(n int) {
		t.Helper()
		testutil.Eventually(t, "trapper to log USR1", func() bool {
			out := d.ok("supervisor.readProcessStdoutLog", "trapper", int64(0), int64(0)).(string)
			return strings.Count(out, "got USR1") == n
		})
	}
	// RUNNING (startsecs=0) comes before the shell has set its trap, and
	// USR1 before that would kill it: wait until it says the trap is set.
	testutil.Eventually(t, "trapper to set its trap", func() bool {
		out := d.ok("supervisor.readProcessStdoutLog", "trapper", int64(0), int64(0)).(string)
		return strings.Contains(out, "trap set")
	})
	if v := d.ok("supervisor.signalProcess", "trapper", "USR1"); v != true {
		t.Fatalf("signalProcess = %s", pyRepr(v))
	}
	trapped(1)
	d.ok("supervisor.signalProcess", "trapper", int64(10)) // SIGUSR1 by number
	trapped(2)
	bad := d.ok("supervisor.signalProcessGroup", "multi", "BOGUS").([]any)
	if len(bad) != 2 {
		t.Fatalf("signalProcessGroup(multi, BOGUS) = %s", pyRepr(bad))
	}
	for i, r := range bad {
		want := xmlrpc.Struct{{Name: "name", Value: []string{"multi_00", "multi_01"}[i]}, {Name: "group", Value: "multi"}, {Name: "status", Value: int64(11)}, {Name: "description", Value: "BAD_SIGNAL: BOGUS"}}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("signalProcessGroup entry %d = %s, want %s", i, pyRepr(r), pyRepr(want))
		}
	}
	if rs := d.ok("supervisor.signalProcess", "grp:*", "WINCH").([]any); len(rs) != 2 {
		t.Errorf("signalProcess(grp:*) = %s", pyRepr(rs))
	}
	all := d.ok("supervisor.signalAllProcesses", "WINCH").([]any)
	if len(all) != 8 {
		t.Errorf("signalAllProcesses = %s", pyRepr(all))
	}
	for _, r := range all {
		if get(t, r.(xmlrpc.Struct), "status") != int64(80) {
			t.Errorf("signalAllProcesses entry %s", pyRepr(r))
		}
	}
}

func TestLogMethods(t *testing.T) {
	d := running(t)
	const out = "0123456789abcdef\n"
	testutil.Eventually(t, "static's output", func() bool {
		return d.ok("supervisor.readProcessStdoutLog", "static", int64(0), int64(0)) == out &&
			d.ok("supervisor.readProcessStderrLog", "static", int64(0), int64(0)) == "err\n"
	})
	for _, c := range []struct {
		method         string
		offset, length any
		want           any
	}{
		{"supervisor.readProcessStdoutLog", int64(0), int64(4), "0123"},
		{"supervisor.readProcessStdoutLog", int64(10), int64(0), "abcdef\n"},
		{"supervisor.readProcessStdoutLog", int64(-3), int64(0), "ef\n"},
		{"supervisor.readProcessStdoutLog", int64(-100), int64(0), out},
		{"supervisor.readProcessStdoutLog", int64(100000), int64(10), ""},
		{"supervisor.readProcessStdoutLog", "2", 3.0, "234"},
		{"supervisor.readProcessLog", int64(0), int64(2), "01"},
		{"supervisor.readProcessStderrLog", int64(-2), int64(0), "r\n"},
		{"supervisor.tailProcessStdoutLog", int64(0), int64(5), []any{"cdef\n", int64(17), true}},
		{"supervisor.tailProcessStdoutLog", int64(0), int64(100), []any{out, int64(17), false}},
		{"supervisor.tailProcessStdoutLog", int64(17), int64(10), []any{"", int64(17), false}},
		{"supervisor.tailProcessLog", int64(0), int64(5), []any{"cdef\n", int64(17), true}},
		{"supervisor.tailProcessStderrLog", int64(0), int64(2), []any{"r\n", int64(4), true}},
	} {
		if got := d.ok(c.method, "static", c.offset, c.length); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s(static, %v, %v) = %s, want %s", c.method, c.offset, c.length, pyRepr(got), pyRepr(c.want))
		}
	}
	d.fault(3, "BAD_ARGUMENTS", "supervisor.readProcessStdoutLog", "static", int64(-3), int64(1))
	d.fault(3, "BAD_ARGUMENTS", "supervisor.readProcessStdoutLog", "static", int64(0), int64(-1))
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.readProcessStdoutLog", "static", "x", int64(1))
	for _, m := range []string{"supervisor.readProcessStdoutLog", "supervisor.readProcessStderrLog", "supervisor.tailProcessStdoutLog", "supervisor.tailProcessStderrLog"} {
		d.fault(10, "BAD_NAME: nope", m, "nope", int64(0), int64(10))
		d.fault(10, "BAD_NAME: grp:*", m, "grp:*", int64(0), int64(10))
	}
	d.fault(20, "NO_FILE", "supervisor.readProcessStdoutLog", "nolog", int64(0), int64(10))
	// A channel without a log tails as empty, as in 4.2.5.
	if got := d.ok("supervisor.tailProcessStdoutLog", "nolog", int64(0), int64(10)); !reflect.DeepEqual(got, []any{"", int64(0), false}) {
		t.Errorf("tailProcessStdoutLog(nolog) = %s", pyRepr(got))
	}

	// Invalid UTF-8 reaches the client as U+FFFD.
	testutil.Eventually(t, "binary's output", func() bool {
		return d.ok("supervisor.readProcessStdoutLog", "binary", int64(0), int64(0)) == "\uFFFDok\n"
	})

	// The main log.
	main := d.ok("supervisor.readLog", int64(0), int64(0)).(string)
	if !strings.Contains(main, "spawned: 'sleeper'") {
		t.Errorf("readLog: %q", main)
	}
	if got := d.ok("supervisor.readMainLog", int64(0), int64(10)); got != main[:10] {
		t.Errorf("readMainLog(0, 10) = %q, want %q", got, main[:10])
	}
	d.fault(3, "BAD_ARGUMENTS", "supervisor.readLog", int64(-1), int64(1))
	if v := d.ok("supervisor.clearLog"); v != true {
		t.Errorf("clearLog = %s", pyRepr(v))
	}
	if got := d.ok("supervisor.readLog", int64(0), int64(0)).(string); strings.Contains(got, "spawned: 'sleeper'") {
		t.Errorf("readLog after clearLog: %q", got)
	}

	// Clearing.
	d.fault(10, "BAD_NAME: nope", "supervisor.clearProcessLogs", "nope")
	d.fault(10, "BAD_NAME: grp:*", "supervisor.clearProcessLog", "grp:*")
	if v := d.ok("supervisor.clearProcessLogs", "static"); v != true {
		t.Errorf("clearProcessLogs = %s", pyRepr(v))
	}
	if got := d.ok("supervisor.readProcessStdoutLog", "static", int64(0), int64(0)); got != "" {
		t.Errorf("static's log after clearProcessLogs: %q", got)
	}
	d.ok("supervisor.clearProcessLog", "sleeper")
	all := d.ok("supervisor.clearAllProcessLogs").([]any)
	if len(all) != 14 {
		t.Errorf("clearAllProcessLogs returned %d entries: %s", len(all), pyRepr(all))
	}
	for _, r := range all {
		if get(t, r.(xmlrpc.Struct), "status") != int64(80) || get(t, r.(xmlrpc.Struct), "description") != "OK" {
			t.Errorf("clearAllProcessLogs entry %s", pyRepr(r))
		}
	}
}

func TestSendProcessStdin(t *testing.T) {
	d := running(t)
	if v := d.ok("supervisor.sendProcessStdin", "cat", "hello\n"); v != true {
		t.Fatalf("sendProcessStdin = %s", pyRepr(v))
	}
	d.ok("supervisor.sendProcessStdin", "cat", []byte("bytes \xff\n"))
	d.ok("supervisor.sendProcessStdin", "cat", "é\n")
	testutil.Eventually(t, "cat to echo", func() bool {
		return d.ok("supervisor.readProcessStdoutLog", "cat", int64(0), int64(0)) == "hello\nbytes \uFFFD\né\n"
	})
	d.fault(2, "INCORRECT_PARAMETERS: 5", "supervisor.sendProcessStdin", "cat", int64(5))
	d.fault(2, "INCORRECT_PARAMETERS: ['a', 1]", "supervisor.sendProcessStdin", "cat", []any{"a", int64(1)})
	d.fault(70, "NOT_RUNNING: manual", "supervisor.sendProcessStdin", "manual", "x")
	d.fault(10, "BAD_NAME: nope", "supervisor.sendProcessStdin", "nope", "x")
}

func TestSendRemoteCommEvent(t *testing.T) {
	d := startDaemon(t, "", false)
	conn := d.Server.Endpoints()[0].ClientConn()
	ctx := t.Context()
	stream, err := gsupervisorv1.NewEventServiceClient(conn).SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{
		Types: []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_REMOTE_COMMUNICATION},
	})
	if err != nil {
		t.Fatal(err)
	}
	for {
		m, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if m.GetReady() != nil {
			break
		}
	}
	if v := d.ok("supervisor.sendRemoteCommEvent", "mytype", "mydata"); v != true {
		t.Fatalf("sendRemoteCommEvent = %s", pyRepr(v))
	}
	m, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	rc := m.GetEvent().GetRemoteCommunication()
	if rc.GetType() != "mytype" || rc.GetData() != "mydata" {
		t.Errorf("event %v", m)
	}
}

func TestSystemMethods(t *testing.T) {
	d := startDaemon(t, "", false)
	// Observed in 4.2.5 (reference, observed §12.3).
	sigs := map[string][]string{
		"supervisor.addProcessGroup":      {"boolean", "string"},
		"supervisor.clearAllProcessLogs":  {"array"},
		"supervisor.clearLog":             {"boolean"},
		"supervisor.clearProcessLog":      {"boolean", "string"},
		"supervisor.clearProcessLogs":     {"boolean", "string"},
		"supervisor.getAPIVersion":        {"string"},
		"supervisor.getAllConfigInfo":     {"array"},
		"supervisor.getAllProcessInfo":    {"array"},
		"supervisor.getIdentification":    {"string"},
		"supervisor.getPID":               {"int"},
		"supervisor.getProcessInfo":       {"struct", "string"},
		"supervisor.getState":             {"struct"},
		"supervisor.getSupervisorVersion": {"string"},
		"supervisor.getVersion":           {"string"},
		"supervisor.readLog":              {"string", "int", "int"},
		"supervisor.readMainLog":          {"string", "int", "int"},
		"supervisor.readProcessLog":       {"string", "string", "int", "int"},
		"supervisor.readProcessStderrLog": {"string", "string", "int", "int"},
		"supervisor.readProcessStdoutLog": {"string", "string", "int", "int"},
		"supervisor.reloadConfig":         {"array"},
		"supervisor.removeProcessGroup":   {"boolean", "string"},
		"supervisor.restart":              {"boolean"},
		"supervisor.sendProcessStdin":     {"boolean", "string", "string"},
		"supervisor.sendRemoteCommEvent":  {"boolean", "string", "string"},
		"supervisor.shutdown":             {"boolean"},
		"supervisor.signalAllProcesses":   {"array", "string"},
		"supervisor.signalProcess":        {"boolean", "string", "string"},
		"supervisor.signalProcessGroup":   {"array", "string", "string"},
		"supervisor.startAllProcesses":    {"array", "boolean"},
		"supervisor.startProcess":         {"boolean", "string", "boolean"},
		"supervisor.startProcessGroup":    {"array", "string", "boolean"},
		"supervisor.stopAllProcesses":     {"array", "boolean"},
		"supervisor.stopProcess":          {"boolean", "string", "boolean"},
		"supervisor.stopProcessGroup":     {"array", "string", "boolean"},
		"supervisor.tailProcessLog":       {"array", "string", "int", "int"},
		"supervisor.tailProcessStderrLog": {"array", "string", "int", "int"},
		"supervisor.tailProcessStdoutLog": {"array", "string", "int", "int"},
		"system.listMethods":              {"array"},
		"system.methodHelp":               {"string", "string"},
		"system.methodSignature":          {"array", "string"},
		"system.multicall":                {"array", "array"},
	}
	list := d.ok("system.listMethods").([]any)
	if len(list) != 41 || len(sigs) != 41 {
		t.Fatalf("listMethods has %d names: %s", len(list), pyRepr(list))
	}
	for i, n := range list {
		name := n.(string)
		if i > 0 && list[i-1].(string) >= name {
			t.Errorf("listMethods not sorted at %s", name)
		}
		want, ok := sigs[name]
		if !ok {
			t.Errorf("listMethods names %s, which 4.2.5 does not have", name)
			continue
		}
		got := d.ok("system.methodSignature", name)
		if !reflect.DeepEqual(got, stringList(want)) {
			t.Errorf("methodSignature(%s) = %s, want %s", name, pyRepr(got), pyRepr(stringList(want)))
		}
		help := d.ok("system.methodHelp", name).(string)
		if !strings.Contains(help, "@return") {
			t.Errorf("methodHelp(%s) = %q", name, help)
		}
		// The number of parameters the method accepts matches its signature.
		if m := table[name]; m.max != len(want)-1 {
			t.Errorf("%s accepts at most %d parameters, its signature has %d", name, m.max, len(want)-1)
		}
	}
	d.fault(4, "SIGNATURE_UNSUPPORTED", "system.methodHelp", "supervisor.nope")
	d.fault(4, "SIGNATURE_UNSUPPORTED", "system.methodSignature", "supervisor.nope")
	d.fault(4, "SIGNATURE_UNSUPPORTED", "system.methodSignature", int64(5))
}

func TestDispatchFaults(t *testing.T) {
	d := startDaemon(t, "[program:sleeper]\ncommand=/bin/sleep 100000\n", false)
	for _, m := range []string{"supervisor.noSuchMethod", "nosuchns.foo", "supervisor._update", "getState", "supervisor.getState.x", "system._listMethods", ".", "supervisor."} {
		d.fault(1, "UNKNOWN_METHOD", m)
	}
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.getProcessInfo")
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.getProcessInfo", "a", "b")
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.getState", int64(1))
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.startProcess", "a", true, true)
	d.fault(2, "INCORRECT_PARAMETERS", "supervisor.getProcessInfo", int64(5))
	d.fault(2, "INCORRECT_PARAMETERS", "system.multicall", "not an array")
}

func TestMulticall(t *testing.T) {
	d := startDaemon(t, "[program:manual]\ncommand=/bin/sleep 100000\nautostart=false\nstartsecs=1\n", false)
	call := func(name string, params ...any) xmlrpc.Struct {
		s := xmlrpc.Struct{{Name: "methodName", Value: name}}
		if params != nil {
			s = append(s, xmlrpc.Member{Name: "params", Value: params})
		}
		return s
	}
	faultStruct := func(code int64, text string) xmlrpc.Struct {
		return xmlrpc.Struct{{Name: "faultCode", Value: code}, {Name: "faultString", Value: text}}
	}
	got := d.ok("system.multicall", []any{
		call("supervisor.getState"),
		call("supervisor.getPID", []any{}...),
		call("supervisor.getProcessInfo", "nope"),
		call("supervisor.noSuch"),
		call("system.multicall", []any{}),
		xmlrpc.Struct{{Name: "params", Value: []any{}}},
		call("supervisor.stopProcess", "manual"),
		call("supervisor.startProcess", "manual"),
		call("supervisor.getProcessInfo", "manual"),
		call("supervisor.getState", int64(1), int64(2)),
		xmlrpc.Struct{{Name: "methodName", Value: "supervisor.getState"}, {Name: "params", Value: "x"}},
	}).([]any)
	want := []any{
		xmlrpc.Struct{{Name: "statecode", Value: int64(1)}, {Name: "statename", Value: "RUNNING"}},
		int64(os.Getpid()),
		faultStruct(10, "BAD_NAME: nope"),
		faultStruct(1, "UNKNOWN_METHOD"),
		faultStruct(2, "INCORRECT_PARAMETERS: Recursive system.multicall forbidden"),
		faultStruct(2, "INCORRECT_PARAMETERS: No methodName"),
		faultStruct(70, "NOT_RUNNING: manual"),
		true,
		nil, // checked below
		faultStruct(2, "INCORRECT_PARAMETERS"),
		faultStruct(2, "INCORRECT_PARAMETERS"),
	}
	if len(got) != len(want) {
		t.Fatalf("multicall returned %d results: %s", len(got), pyRepr(got))
	}
	for i := range want {
		if i == 8 {
			// The deferred start completed before the next call ran.
			if st := get(t, got[i].(xmlrpc.Struct), "statename"); st != "RUNNING" {
				t.Errorf("multicall getProcessInfo after a waited start: %v", st)
			}
			continue
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("multicall result %d = %s, want %s", i, pyRepr(got[i]), pyRepr(want[i]))
		}
	}
	if got := d.ok("system.multicall", []any{}); !reflect.DeepEqual(got, []any{}) {
		t.Errorf("multicall([]) = %s", pyRepr(got))
	}
	if got := d.ok("system.multicall", []any{call("supervisor.stopProcess", "manual")}); !reflect.DeepEqual(got, []any{true}) {
		t.Errorf("multicall([stopProcess]) = %s", pyRepr(got))
	}
}

// TestDeferredDoesNotBlock: a call that waits for a process does not hold
// up other requests. The process's startsecs is an hour, so the deferred
// startProcess is still waiting while the other calls are answered; it
// ends when the process is stopped.
func TestDeferredDoesNotBlock(t *testing.T) {
	d := startDaemon(t, "[program:slow]\ncommand=/bin/sleep 100000\nautostart=false\nstartsecs=3600\n", false)
	type result struct {
		v any
		f *xmlrpc.Fault
	}
	done := make(chan result, 1)
	go func() {
		v, f := d.call("supervisor.startProcess", "slow")
		done <- result{v, f}
	}()
	d.waitState("slow", "STARTING")
	for range 5 {
		if v := d.ok("supervisor.getState"); get(t, v.(xmlrpc.Struct), "statename") != "RUNNING" {
			t.Errorf("getState during a deferred startProcess = %s", pyRepr(v))
		}
	}
	select {
	case r := <-done:
		t.Fatalf("startProcess returned %s %v before the process was RUNNING", pyRepr(r.v), r.f)
	default:
	}
	d.ok("supervisor.stopProcess", "slow")
	r := testutil.Receive(t, done, "the deferred startProcess to end")
	if r.f == nil || r.f.Code != 40 || r.f.String != "ABNORMAL_TERMINATION: slow" {
		t.Fatalf("startProcess of a process stopped while STARTING = %s %v, want fault 40", pyRepr(r.v), r.f)
	}
}

// TestShutdownState: while the daemon shuts down, supervisor.* methods
// fault SHUTDOWN_STATE (6); system.* and sendRemoteCommEvent still work.
func TestShutdownState(t *testing.T) {
	d := startDaemon(t, `[program:stubborn]
command=/bin/sh -c "trap '' TERM; while true; do sleep 0.1; done"
stopwaitsecs=3600
killasgroup=true
startsecs=0
`, false)
	// The shutdown lasts until the test kills stubborn (stopwaitsecs is an
	// hour): the calls below all run while it is in progress.
	pid := get(t, d.waitState("stubborn", "RUNNING"), "pid").(int64)
	defer syscall.Kill(-int(pid), syscall.SIGKILL)
	if v := d.ok("supervisor.shutdown"); v != true {
		t.Fatalf("shutdown = %s", pyRepr(v))
	}
	for _, m := range []string{"supervisor.getState", "supervisor.getPID", "supervisor.getAllProcessInfo", "supervisor.getAPIVersion", "supervisor.shutdown", "supervisor.restart"} {
		d.fault(6, "SHUTDOWN_STATE", m)
	}
	d.fault(6, "SHUTDOWN_STATE", "supervisor.readLog", int64(-20), int64(0))
	d.fault(6, "SHUTDOWN_STATE", "supervisor.startProcess", "stubborn")
	if v := d.ok("supervisor.sendRemoteCommEvent", "t", "d"); v != true {
		t.Errorf("sendRemoteCommEvent during shutdown = %s", pyRepr(v))
	}
	if l := d.ok("system.listMethods").([]any); len(l) != 41 {
		t.Errorf("listMethods during shutdown: %d", len(l))
	}
}

// TestRestart: restart answers True and the daemon begins its restart in
// place (the core's Run ends with the restarting state).
func TestRestart(t *testing.T) {
	d := startDaemon(t, "", false)
	if v := d.ok("supervisor.restart"); v != true {
		t.Fatalf("restart = %s", pyRepr(v))
	}
	testutil.Receive(t, d.Core.Done(), "the daemon to begin its restart")
	if st := d.Core.State(); st != supervisor.StateRestarting {
		t.Errorf("state after restart: %v", st)
	}
}
