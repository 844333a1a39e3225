package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

func proc(group, name string, st gsupervisorv1.ProcessState, desc string) *gsupervisorv1.ProcessInfo {
	return &gsupervisorv1.ProcessInfo{Group: group, Name: name, State: st, Description: desc}
}

// TestStatusLines checks the column rule: namespec padded to
// max(30, longest)+3, state to 10, no padding after the description.
func TestStatusLines(t *testing.T) {
	running := gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING
	starting := gsupervisorv1.ProcessState_PROCESS_STATE_STARTING
	got := statusLines([]*gsupervisorv1.ProcessInfo{
		proc("sleeper", "sleeper", running, "pid 1, uptime 0:00:01"),
		proc("grp", "ga", starting, ""),
	}, false)
	want := "sleeper                          RUNNING   pid 1, uptime 0:00:01\n" +
		"grp:ga                           STARTING  \n"
	if got != want {
		t.Errorf("statusLines =\n%q\nwant\n%q", got, want)
	}
	long := strings.Repeat("x", 40)
	got = statusLines([]*gsupervisorv1.ProcessInfo{proc(long, long, running, "d"), proc("a", "a", running, "d")}, false)
	want = long + "   RUNNING   d\n" + "a" + strings.Repeat(" ", 42) + "RUNNING   d\n"
	if got != want {
		t.Errorf("long names =\n%q\nwant\n%q", got, want)
	}
	got = statusLines([]*gsupervisorv1.ProcessInfo{proc("a", "a", running, "d"), proc("b", "b", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED, "x")}, true)
	want = "a" + strings.Repeat(" ", 32) + "\x1b[32mRUNNING\x1b[0m   d\n" + "b" + strings.Repeat(" ", 32) + "STOPPED   x\n"
	if got != want {
		t.Errorf("colour =\n%q\nwant\n%q", got, want)
	}
	if statusLines(nil, false) != "" {
		t.Errorf("no processes printed something")
	}
}

func TestAvailLine(t *testing.T) {
	got := availLine(&gsupervisorv1.ProcessConfig{Group: "grp", Name: "gb", InUse: true, Autostart: true, GroupPriority: 500, ProcessPriority: 10})
	if want := "grp:gb                           in use    auto      500:10"; got != want {
		t.Errorf("avail = %q, want %q", got, want)
	}
	got = availLine(&gsupervisorv1.ProcessConfig{Group: "l", Name: "l", GroupPriority: -1, ProcessPriority: 999})
	if want := "l                                avail     manual    -1:999"; got != want {
		t.Errorf("avail = %q, want %q", got, want)
	}
}

func TestNamespecs(t *testing.T) {
	cases := []struct {
		spec, group, name string
		has               bool
		back              string
	}{
		{"a", "a", "a", true, "a"},
		{"g:p", "g", "p", true, "g:p"},
		{"g:*", "g", "", false, "g:None"},
		{"g:", "g", "", false, "g:None"},
		{"g:g", "g", "g", true, "g"},
		{"a:b:c", "a", "b:c", true, "a:b:c"},
	}
	for _, c := range cases {
		g, n, has := splitNamespec(c.spec)
		if g != c.group || n != c.name || has != c.has {
			t.Errorf("splitNamespec(%q) = %q %q %v", c.spec, g, n, has)
		}
		if back := makeNamespec(g, n, has); back != c.back {
			t.Errorf("makeNamespec(%q) = %q, want %q", c.spec, back, c.back)
		}
	}
}

func TestStates(t *testing.T) {
	for v, name := range gsupervisorv1.ProcessState_name {
		st := gsupervisorv1.ProcessState(v)
		short := strings.TrimPrefix(name, "PROCESS_STATE_")
		if v == 0 {
			if stateName(st) != "UNKNOWN" {
				t.Errorf("unspecified shows as %q", stateName(st))
			}
			if _, ok := parseState(short); ok {
				t.Errorf("parseState accepts %q", short)
			}
			continue
		}
		if stateName(st) != short {
			t.Errorf("stateName(%v) = %q", st, stateName(st))
		}
		for _, in := range []string{short, strings.ToLower(short), name} {
			if got, ok := parseState(in); !ok || got != st {
				t.Errorf("parseState(%q) = %v, %v", in, got, ok)
			}
		}
	}
	stopped := 0
	for v := range gsupervisorv1.ProcessState_name {
		if stoppedState(gsupervisorv1.ProcessState(v)) {
			stopped++
		}
	}
	if stopped != 4 {
		t.Errorf("%d stopped states, want STOPPED EXITED FATAL UNKNOWN", stopped)
	}
}

func TestOutputFormat(t *testing.T) {
	cases := []struct {
		args []string
		def  bool
		json bool
		rest []string
		bad  string
	}{
		{args: []string{"a", "-o", "json", "b"}, json: true, rest: []string{"a", "b"}},
		{args: []string{"--output=json"}, json: true},
		{args: []string{"-ojson", "x"}, json: true, rest: []string{"x"}},
		{args: []string{"--output", "text"}, def: true, json: false},
		{args: []string{"x"}, def: true, json: true, rest: []string{"x"}},
		{args: []string{"-o"}, bad: "Error: -o requires an output format (text or json)"},
		{args: []string{"-o", "xml"}, bad: "Error: unknown output format 'xml' (use text or json)"},
	}
	for _, c := range cases {
		j, rest, bad := outputFormat(c.args, c.def)
		if j != c.json || !reflect.DeepEqual(rest, c.rest) || bad != c.bad {
			t.Errorf("outputFormat(%q) = %v %q %q", c.args, j, rest, bad)
		}
	}
}

// TestResults checks the result lines and the exit status rules of
// start, stop, signal and clear.
func TestResults(t *testing.T) {
	r := func(code faults.Code) result {
		return result{group: "g", name: "p", hasName: true, code: code, description: "FAILED: boom"}
	}
	starts := map[faults.Code]string{10: "g:p: ERROR (no such process)", 20: "g:p: ERROR (no such file)", 21: "g:p: ERROR (file is not executable)",
		60: "g:p: ERROR (already started)", 50: "g:p: ERROR (spawn error)", 40: "g:p: ERROR (abnormal termination)", 80: "g:p: started"}
	for code, want := range starts {
		if got, err := startResult(r(code)); got != want || err != nil {
			t.Errorf("startResult(%d) = %q %v", code, got, err)
		}
	}
	if _, err := startResult(r(30)); err == nil || err.Error() != "Unknown result code 30 for g:p" {
		t.Errorf("startResult(FAILED) error = %v", err)
	}
	signals := map[faults.Code]string{10: "g:p: ERROR (no such process)", 11: "g:p: ERROR (bad signal name)", 70: "g:p: ERROR (not running)",
		80: "g:p: stopped", 30: "FAILED: boom"}
	for code, want := range signals {
		if got, err := signalResult(r(code), "stopped"); got != want || err != nil {
			t.Errorf("signalResult(%d) = %q %v", code, got, err)
		}
	}
	clears := map[faults.Code]string{10: "g:p: ERROR (no such process)", 30: "g:p: ERROR (failed)", 80: "g:p: cleared"}
	for code, want := range clears {
		if got, err := clearResult(r(code)); got != want || err != nil {
			t.Errorf("clearResult(%d) = %q %v", code, got, err)
		}
	}
	if _, err := clearResult(r(60)); err == nil {
		t.Errorf("clearResult(60) accepted")
	}
	exits := []struct {
		code, ignored faults.Code
		before, after int
	}{
		{80, 60, 0, 0}, {60, 60, 0, 0}, {60, noIgnoredFault, 0, 1}, {50, 60, 0, 7}, {40, 60, 1, 7}, {70, noIgnoredFault, 0, 7},
		{70, 70, 0, 0}, {10, 60, 7, 1}, {80, 60, 7, 7},
	}
	for _, e := range exits {
		c := &controller{exit: e.before}
		c.setExitFromFault(e.code, e.ignored)
		if c.exit != e.after {
			t.Errorf("setExitFromFault(%d, %d) from %d = %d, want %d", e.code, e.ignored, e.before, c.exit, e.after)
		}
	}
	fr := fromProcessResult(&gsupervisorv1.ProcessResult{Group: "g", Name: "g", Reason: gsupervisorv1.ErrorReason_ERROR_REASON_SPAWN_ERROR, Description: "SPAWN_ERROR: g"})
	if fr.code != 50 || fr.namespec() != "g" {
		t.Errorf("fromProcessResult = %+v", fr)
	}
	ff := fromFault("g:*", &fault{code: 10, text: "BAD_NAME: g:*"})
	if ff.namespec() != "g:None" {
		t.Errorf("fromFault(g:*) = %q", ff.namespec())
	}
}

func faultStatus(t *testing.T, code codes.Code, reason, msg string) error {
	t.Helper()
	st, err := status.New(code, msg).WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: "gsupervisor.v1"})
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

// TestFaults checks the mapping of API errors to 4.2.5's faults and its
// uncaught-error lines.
func TestFaults(t *testing.T) {
	for v, name := range gsupervisorv1.ErrorReason_name {
		if v == 0 {
			continue
		}
		reason := strings.TrimPrefix(name, "ERROR_REASON_")
		f, ok := asFault(faultStatus(t, codes.Internal, name, reason+": x"))
		if !ok || f.reason != gsupervisorv1.ErrorReason(v) || f.text != reason+": x" || !f.is(gsupervisorv1.ErrorReason(v)) {
			t.Errorf("asFault(%s) = %+v %v", reason, f, ok)
		}
		if f.code != faults.Of(gsupervisorv1.ErrorReason(v)).Fault {
			t.Errorf("asFault(%s) code %d", name, f.code)
		}
	}
	f, ok := asFault(faultStatus(t, codes.Unavailable, "ERROR_REASON_SHUTDOWN_STATE", "SHUTDOWN_STATE"))
	if !ok || f.repr() != "<Fault 6: 'SHUTDOWN_STATE'>" {
		t.Errorf("repr = %q", f.repr())
	}
	f, ok = asFault(status.Error(codes.Unimplemented, "unknown service"))
	if !ok || f.code != 1 || f.is(gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED) {
		t.Errorf("Unimplemented = %+v %v", f, ok)
	}
	if _, ok := asFault(status.Error(codes.Unavailable, "x")); ok {
		t.Errorf("a status without ErrorInfo is a fault")
	}
	if _, ok := asFault(errors.New("plain")); ok {
		t.Errorf("a plain error is a fault")
	}
	lines := map[error]string{
		faultStatus(t, codes.InvalidArgument, "ERROR_REASON_CANT_REREAD", "CANT_REREAD: bad 'x'"): `error: <class 'xmlrpc.client.Fault'>, <Fault 92: "CANT_REREAD: bad 'x'">`,
		status.Error(codes.Unauthenticated, "no"):                                                 "error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>",
		&pyValueError{msg: "Unknown result code 30 for x"}:                                        "error: <class 'ValueError'>, Unknown result code 30 for x",
		status.Error(codes.Internal, "boom"):                                                      "error: Internal, boom",
		errors.New("plain"):                                                                       "error: plain",
	}
	for err, want := range lines {
		if got := errorLine(nil, err); got != want {
			t.Errorf("errorLine(%v) = %q, want %q", err, got, want)
		}
	}
	cl := &client{dialErr: fmt.Errorf("dial: %w", syscall.ECONNREFUSED)}
	if got := errorLine(cl, status.Error(codes.Unavailable, "x")); got != "error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused" {
		t.Errorf("refused = %q", got)
	}
	for errno, want := range map[syscall.Errno]string{
		syscall.ENOENT: "FileNotFoundError [Errno 2] No such file or directory",
		syscall.EACCES: "PermissionError [Errno 13] Permission denied",
		syscall.EIO:    "OSError [Errno 5] Input/output error",
	} {
		class, text := pyOSError(errno)
		if class+" "+text != want {
			t.Errorf("pyOSError(%v) = %s %s", errno, class, text)
		}
	}
}

func TestParseWaitArgs(t *testing.T) {
	name, st, d, bad := parseWaitArgs([]string{"web", "running", "--timeout", "2s"})
	if name != "web" || st.state != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING || st.health != 0 || d != 2*time.Second || bad != "" {
		t.Errorf("got %q %v %v %q", name, st, d, bad)
	}
	for _, h := range []string{"healthy", "PROCESS_HEALTH_HEALTHY"} {
		if _, st, _, bad := parseWaitArgs([]string{"web", h}); st.health != gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY || bad != "" || st.String() != "HEALTHY" {
			t.Errorf("%s: %v %q", h, st, bad)
		}
	}
	if _, st, _, _ := parseWaitArgs([]string{"web", "UNHEALTHY"}); st.health != gsupervisorv1.ProcessHealth_PROCESS_HEALTH_UNHEALTHY {
		t.Errorf("UNHEALTHY: %v", st)
	}
	info := &gsupervisorv1.ProcessInfo{State: gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, Health: gsupervisorv1.ProcessHealth_PROCESS_HEALTH_STARTING}
	if w := (waitTarget{health: gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY}); w.reached(info) || w.now(info) != "health is STARTING" {
		t.Errorf("health target: %v %q", w.reached(info), w.now(info))
	}
	if _, _, d, _ := parseWaitArgs([]string{"--timeout=1.5", "web", "STOPPED"}); d != 1500*time.Millisecond {
		t.Errorf("seconds = %v", d)
	}
	if _, _, d, _ := parseWaitArgs([]string{"web", "STOPPED"}); d != 30*time.Second {
		t.Errorf("default = %v", d)
	}
	for args, want := range map[string]string{
		"web":                   "Error: wait requires a process name and a state",
		"web RUNNING extra":     "Error: wait requires a process name and a state",
		"web NAPPING":           "Error: bad state 'NAPPING'",
		"web RUNNING --timeout": "Error: --timeout requires a duration",
		"web RUNNING -t soon":   "Error: bad timeout 'soon'",
		"web RUNNING -t -1s":    "Error: bad timeout '-1s'",
	} {
		if _, _, _, bad := parseWaitArgs(strings.Fields(args)); bad != want {
			t.Errorf("parseWaitArgs(%q) = %q, want %q", args, bad, want)
		}
	}
}

func TestSplitServerURL(t *testing.T) {
	cases := []struct{ url, network, addr, authority, err string }{
		{url: "unix:///tmp/s.sock", network: "unix", addr: "/tmp/s.sock", authority: "localhost"},
		{url: "http://localhost:9001", network: "tcp", addr: "localhost:9001", authority: "localhost:9001"},
		{url: "http://127.0.0.1", network: "tcp", addr: "127.0.0.1:80", authority: "127.0.0.1:80"},
		{url: "https://[::1]", network: "tcp", addr: "[::1]:443", authority: "[::1]:443"},
		{url: "foo://bar", err: "Unknown protocol for serverurl foo://bar"},
		{url: "UNIX:///x", err: "Unknown protocol for serverurl UNIX:///x"},
		{url: "http://h:99999", err: "Port out of range 0-65535"},
	}
	for _, c := range cases {
		n, a, auth, err := splitServerURL(c.url)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: error %v, want %q", c.url, err, c.err)
			}
			continue
		}
		if err != nil || n != c.network || a != c.addr || auth != c.authority {
			t.Errorf("%s = %s %s %s %v", c.url, n, a, auth, err)
		}
	}
	if _, err := dial(&server{url: "https://h:1", caFile: "/nonexistent/ca.pem"}); err == nil || !strings.Contains(err.Error(), "cannot read cafile /nonexistent/ca.pem") {
		t.Errorf("missing cafile: %v", err)
	}
	if _, err := dial(&server{url: "https://h:1", certFile: "/nonexistent/c.pem"}); err == nil || !strings.Contains(err.Error(), "needs both certfile and keyfile") {
		t.Errorf("certfile alone: %v", err)
	}
}

// TestComplete checks 4.2.5's completion rules on a known process list.
func TestComplete(t *testing.T) {
	c, _ := newTestController(t)
	running := gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING
	c.completeInfo = []*gsupervisorv1.ProcessInfo{proc("sleeper", "sleeper", running, ""), proc("grp", "ga", running, ""),
		proc("grp", "gb", running, ""), proc("grp-x", "grp-x", running, "")}
	cases := []struct {
		text, line string
		want       []string
	}{
		{"", "", c.completeActionsAll()},
		{"st", "st", []string{"start ", "status ", "stop "}},
		{"he", "he", []string{"help "}},
		{"", "help ", c.completeActionsAll()},
		{"ve", "help ve", []string{"version "}},
		{"", "start ", []string{"sleeper ", "grp:ga ", "grp:*", "grp:gb ", "grp-x "}},
		{"grp", "stop grp", []string{"grp:ga ", "grp:* ", "grp:gb ", "grp-x "}},
		{"grp:", "status grp:", []string{"grp:ga ", "grp:* ", "grp:gb "}},
		{"s", "tail s", []string{"sleeper "}},
		{"s", "wait s", []string{"sleeper "}},
		{"", "add ", []string{"sleeper ", "grp ", "grp-x "}},
		{"g", "update g", []string{"grp ", "grp-x "}},
		{"", "version ", nil},
		{"x", "bogus x", nil},
	}
	for _, tc := range cases {
		got := c.complete(tc.text, tc.line)
		want := tc.want
		for i := range want {
			if !strings.HasSuffix(want[i], " ") {
				want[i] += " "
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("complete(%q, %q) = %q, want %q", tc.text, tc.line, got, want)
		}
	}
	// readline's view: the suffixes of the word before the cursor, where
	// ":" "*" and "-" do not break words.
	suffixes, n := completer{c: c}.Do([]rune("status grp:g"), len("status grp:g"))
	if n != 5 || len(suffixes) != 2 || string(suffixes[0]) != "a " || string(suffixes[1]) != "b " {
		t.Errorf("Do = %q, %d", suffixes, n)
	}
}

// completeActionsAll is every command name with a space, as the shell
// completes an empty line.
func (c *controller) completeActionsAll() []string {
	var out []string
	for _, n := range c.vocabulary() {
		out = append(out, n+" ")
	}
	return out
}
