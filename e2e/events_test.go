//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// recorder is a listener written with supervisor.childutils, as users
// write them: it appends "EVENTNAME<TAB>payload" lines to a file.
const recorder = `import sys
from supervisor import childutils
out = open(sys.argv[1], 'a', buffering=1)
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write(headers['eventname'] + '\t' + headers['pool'] + '\t' + payload.replace('\n', '\\n') + '\n')
    childutils.listener.ok(sys.stdout)
`

// readEvents returns the recorded lines.
func readEvents(path string) []string {
	b, _ := os.ReadFile(path)
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func hasEvent(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestEventTypesWithChildutilsListener triggers every event type for real
// and checks what an unchanged childutils listener receives, field by
// field, against 4.2.5's payload formats.
func TestEventTypesWithChildutilsListener(t *testing.T) {
	d := startDaemon(t, `
[eventlistener:rec]
command=/usr/bin/python3 %(here)s/rec.py %(here)s/events.txt
events=EVENT
buffer_size=1000

[program:exiter]
; it exits after startsecs, counted from the spawn, however slow the
; machine: STARTING, RUNNING, EXITED
command=sh -c 'sleep 1.2; exit 3'
startsecs=1
autorestart=false

[program:commer]
command=sh -c 'echo before; printf "<!--XSUPERVISOR:BEGIN-->hello comm<!--XSUPERVISOR:END-->"; echo oops >&2; exec sleep 1000'
stdout_events_enabled=true
stderr_events_enabled=true
stdout_capture_maxbytes=1MB
startsecs=0

[program:manual]
command=sleep 1000
autostart=false
startsecs=0
`)
	os.WriteFile(filepath.Join(d.dir, "rec.py"), []byte(recorder), 0o644)
	events := filepath.Join(d.dir, "events.txt")
	// The listener file is written after the daemon started: restart the
	// listener group so it picks the script up.
	ctx := d.ctx()
	d.processes().StopProcessGroup(ctx, &gsupervisorv1.StopProcessGroupRequest{Group: "rec", Wait: true})
	if _, err := d.processes().StartProcessGroup(ctx, &gsupervisorv1.StartProcessGroupRequest{Group: "rec", Wait: true}); err != nil {
		t.Fatal(err)
	}
	d.waitState("exiter", gsupervisorv1.ProcessState_PROCESS_STATE_EXITED)
	if _, err := d.processes().StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "manual", Wait: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.processes().StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: "manual", Wait: true}); err != nil {
		t.Fatal(err)
	}
	ev := gsupervisorv1.NewEventServiceClient(d.conn)
	if _, err := ev.SendRemoteCommEvent(ctx, &gsupervisorv1.SendRemoteCommEventRequest{Type: "mytype", Data: "mydata"}); err != nil {
		t.Fatal(err)
	}
	cfg := gsupervisorv1.NewConfigServiceClient(d.conn)
	if _, err := cfg.RemoveProcessGroup(ctx, &gsupervisorv1.RemoveProcessGroupRequest{Group: "manual"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.AddProcessGroup(ctx, &gsupervisorv1.AddProcessGroupRequest{Group: "manual"}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	testutil.Eventually(t, "every event type at the listener", func() bool {
		lines = readEvents(events)
		for _, p := range []string{"PROCESS_GROUP_ADDED\trec\tgroupname:manual\\n", "TICK_5\t", "REMOTE_COMMUNICATION\t",
			"PROCESS_STATE_EXITED\trec\tprocessname:exiter", "PROCESS_COMMUNICATION_STDOUT", "PROCESS_LOG_STDERR", "PROCESS_GROUP_REMOVED"} {
			if !hasEvent(lines, p) {
				return false
			}
		}
		return true
	})
	text := strings.Join(lines, "\n")
	pid := `[1-9][0-9]*`
	for _, re := range []string{
		`PROCESS_STATE_STARTING\trec\tprocessname:exiter groupname:exiter from_state:STOPPED tries:0`,
		`PROCESS_STATE_RUNNING\trec\tprocessname:exiter groupname:exiter from_state:STARTING pid:` + pid,
		`PROCESS_STATE_EXITED\trec\tprocessname:exiter groupname:exiter from_state:RUNNING expected:0 pid:` + pid,
		`PROCESS_STATE_STOPPING\trec\tprocessname:manual groupname:manual from_state:RUNNING pid:` + pid,
		`PROCESS_STATE_STOPPED\trec\tprocessname:manual groupname:manual from_state:STOPPING pid:` + pid,
		`PROCESS_LOG_STDOUT\trec\tprocessname:commer groupname:commer pid:` + pid + ` channel:stdout\\nbefore\\n`,
		`PROCESS_LOG_STDERR\trec\tprocessname:commer groupname:commer pid:` + pid + ` channel:stderr\\noops\\n`,
		`PROCESS_COMMUNICATION_STDOUT\trec\tprocessname:commer groupname:commer pid:` + pid + `\\nhello comm$`,
		`REMOTE_COMMUNICATION\trec\ttype:mytype\\nmydata$`,
		`PROCESS_GROUP_REMOVED\trec\tgroupname:manual\\n$`,
		`PROCESS_GROUP_ADDED\trec\tgroupname:manual\\n$`,
		`TICK_5\trec\twhen:[0-9]+[05]$`,
	} {
		if !regexp.MustCompile("(?m)^" + re).MatchString(text) {
			t.Errorf("no event matching %s in:\n%s", re, text)
		}
	}
	// The listener's state shows in its process info.
	r, err := d.processes().GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: "rec"})
	if err != nil || r.GetProcess().GetListenerState() == gsupervisorv1.ListenerState_LISTENER_STATE_UNSPECIFIED {
		t.Fatalf("listener info: %v %v", r, err)
	}
	// Listener stdout (the protocol) is not logged as data.
	if b, _ := os.ReadFile(r.GetProcess().GetStdoutLogfile()); strings.Contains(string(b), "READY") {
		t.Errorf("listener protocol bytes reached its stdout log: %q", b)
	}
	// SUPERVISOR_STATE_CHANGE_STOPPING reaches the listener at shutdown
	// (the pool stops last).
	d.stop()
	if lines = readEvents(events); !hasEvent(lines, "SUPERVISOR_STATE_CHANGE_STOPPING\trec\t") {
		t.Errorf("no SUPERVISOR_STATE_CHANGE_STOPPING at shutdown:\n%s", strings.Join(lines, "\n"))
	}
}

// stateSequences groups the PROCESS_STATE events per process, with pids
// replaced, for comparing two daemons.
func stateSequences(lines []string, procs []string) map[string]string {
	pidRe := regexp.MustCompile(`pid:\d+`)
	seq := map[string]string{}
	for _, l := range lines {
		parts := strings.SplitN(l, "\t", 3)
		if len(parts) != 3 || !strings.HasPrefix(parts[0], "PROCESS_STATE_") {
			continue
		}
		for _, p := range procs {
			if strings.HasPrefix(parts[2], "processname:"+p+" ") {
				seq[p] += parts[0] + " " + pidRe.ReplaceAllString(parts[2], "pid:N") + "\n"
			}
		}
	}
	return seq
}

// TestStateSequencesMatchRealSupervisord runs the same config under the
// real supervisord and ours and compares, per process, the PROCESS_STATE
// events a childutils listener receives, including a shutdown.
func TestStateSequencesMatchRealSupervisord(t *testing.T) {
	programs := `
[eventlistener:rec]
command=/usr/bin/python3 %(here)s/rec.py %(here)s/events.txt
events=PROCESS_STATE
buffer_size=1000

[program:ok]
command=sleep 1000
startsecs=1

[program:exiter]
; it exits after startsecs, counted from the spawn, however slow the
; machine (both daemons judge "too quickly" by the time since the spawn)
command=sh -c 'sleep 1.5; exit 3'
startsecs=1
autorestart=false

[program:failer]
command=sh -c 'exit 1'
startsecs=60
startretries=1

[program:nocmd]
command=nosuchcommand_xyz
startretries=0
`
	procs := []string{"ok", "exiter", "failer", "nocmd"}
	run := func(start func() (dir string, stop func())) map[string]string {
		dir, stop := start()
		events := filepath.Join(dir, "events.txt")
		testutil.Eventually(t, "the programs to settle", func() bool {
			l := readEvents(events)
			return hasEvent(l, "PROCESS_STATE_FATAL\trec\tprocessname:failer") && hasEvent(l, "PROCESS_STATE_FATAL\trec\tprocessname:nocmd") &&
				hasEvent(l, "PROCESS_STATE_EXITED\trec\tprocessname:exiter") && hasEvent(l, "PROCESS_STATE_RUNNING\trec\tprocessname:ok")
		})
		stop()
		return stateSequences(readEvents(events), procs)
	}
	real := run(func() (string, func()) {
		r := startReal(t, programs, map[string]string{"rec.py": recorder})
		return r.dir, r.stop
	})
	ours := run(func() (string, func()) {
		dir := testutil.ShortTempDir(t)
		os.WriteFile(filepath.Join(dir, "rec.py"), []byte(recorder), 0o644)
		d := startDaemonIn(t, dir, programs)
		return d.dir, d.stop
	})
	for _, p := range procs {
		if real[p] != ours[p] {
			t.Errorf("%s: PROCESS_STATE sequence differs\nreal:\n%s\nours:\n%s", p, real[p], ours[p])
		}
	}
}

// TestEventStreamResume checks the gRPC subscription: filter by base type
// and process, resume after a serial without loss, and an explicit gap
// when the serial is no longer retained.
func TestEventStreamResume(t *testing.T) {
	d := startDaemon(t, `
[supervisord]
events_retained=50

[program:flap]
command=sh -c 'exit 1'
startsecs=0
autorestart=true
autostart=false
`)
	ev := gsupervisorv1.NewEventServiceClient(d.conn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := ev.SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{
		Types:     []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE},
		Processes: []string{"flap"},
	})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil || first.GetReady() == nil {
		t.Fatalf("first message %v, %v; want ready", first, err)
	}
	if _, err := d.processes().StartProcess(d.ctx(), &gsupervisorv1.StartProcessRequest{Name: "flap"}); err != nil {
		t.Fatal(err)
	}
	// Read a few events, remember the last serial, disconnect.
	var last uint64
	for i := 0; i < 5; i++ {
		m, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		e := m.GetEvent()
		if e == nil || e.GetProcessState().GetProcessName() != "flap" {
			t.Fatalf("unexpected message %v", m)
		}
		last = e.GetSerial()
	}
	cancel()
	// Resume: the next event is last+k with nothing matching skipped.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	stream, err = ev.SubscribeEvents(ctx2, &gsupervisorv1.SubscribeEventsRequest{
		Types: []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE}, Processes: []string{"flap"}, AfterSerial: &last,
	})
	if err != nil {
		t.Fatal(err)
	}
	// The replay (possibly empty) and then the ready marker come first;
	// the first event is the next one after last, whether replayed or live.
	var m *gsupervisorv1.SubscribeEventsResponse
	for {
		if m, err = stream.Recv(); err != nil {
			t.Fatal(err)
		}
		if m.GetReady() == nil {
			break
		}
	}
	if e := m.GetEvent(); e == nil || e.GetSerial() <= last {
		t.Fatalf("after resuming at %d got %v", last, m)
	}
	cancel2()
	// Let the flapping process produce more than 50 events, then resume
	// from serial 1: an explicit NOT_RETAINED gap comes first.
	testutil.Eventually(t, "more than 50 events", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
		defer cancel()
		s, err := ev.SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{})
		if err != nil {
			return false
		}
		for {
			m, err := s.Recv()
			if err != nil {
				return false
			}
			if r := m.GetReady(); r != nil {
				return r.GetLastSerial() > 60
			}
		}
	})
	d.processes().StopProcess(d.ctx(), &gsupervisorv1.StopProcessRequest{Name: "flap", Wait: true})
	one := uint64(1)
	ctx3, cancel3 := context.WithCancel(context.Background())
	defer cancel3()
	stream, err = ev.SubscribeEvents(ctx3, &gsupervisorv1.SubscribeEventsRequest{AfterSerial: &one})
	if err != nil {
		t.Fatal(err)
	}
	if m, err = stream.Recv(); err != nil {
		t.Fatal(err)
	}
	g := m.GetGap()
	if g == nil || g.GetCause() != gsupervisorv1.EventGapCause_EVENT_GAP_CAUSE_NOT_RETAINED || g.GetFirstSerial() != 2 {
		t.Fatalf("first message after resuming from an old serial: %v", m)
	}
	// A bad type is refused.
	s, err := ev.SubscribeEvents(d.ctx(), &gsupervisorv1.SubscribeEventsRequest{Types: []gsupervisorv1.EventType{999}})
	if err == nil {
		_, err = s.Recv()
	}
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("bad type: %v", err)
	}
}
