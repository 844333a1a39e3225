package supervisor

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func describe(rs []Result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s:%s %s\n", r.Group, r.Name, r.Description())
	}
	return b.String()
}

func TestGroupOperations(t *testing.T) {
	h := start(t, `
[group:grp]
programs=gb,ga
priority=500

[program:ga]
command=sleep 1000
priority=20
startsecs=0

[program:gb]
command=sleep 1000
priority=10
startsecs=0

[program:bad]
command=sh -c 'exit 1'
autostart=false
startretries=0
startsecs=60

[program:manual]
command=sleep 1000
autostart=false
startsecs=0
`)
	h.waitState("grp:ga", process.Running)
	h.waitState("grp:gb", process.Running)
	ctx := context.Background()

	// Stop by group name and by the group:* form: results in priority order.
	rs, err := h.s.StopGroup(ctx, "grp:*", true)
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(rs); got != "grp:gb OK\ngrp:ga OK\n" {
		t.Fatalf("StopGroup results:\n%s", got)
	}
	// Stopping again acts on nothing.
	if rs, _ := h.s.StopGroup(ctx, "grp", true); len(rs) != 0 {
		t.Fatalf("second StopGroup acted on %v", rs)
	}
	if _, err := h.s.StopGroup(ctx, "nope", true); err == nil || err.Error() != "BAD_NAME: nope" {
		t.Fatalf("StopGroup(nope) = %v", err)
	}
	rs, err = h.s.StartGroup(ctx, "grp", true)
	if err != nil || describe(rs) != "grp:gb OK\ngrp:ga OK\n" {
		t.Fatalf("StartGroup: %v\n%s", err, describe(rs))
	}
	// A bad signal gives BAD_SIGNAL per process.
	rs, err = h.s.SignalGroup("grp", "BOGUS")
	if err != nil || describe(rs) != "grp:gb BAD_SIGNAL: BOGUS\ngrp:ga BAD_SIGNAL: BOGUS\n" {
		t.Fatalf("SignalGroup(BOGUS): %v\n%s", err, describe(rs))
	}
	if err := h.s.SignalProcess("grp:ga", "BOGUS"); err == nil || err.Error() != "BAD_SIGNAL: BOGUS" {
		t.Fatalf("SignalProcess(BOGUS) = %v", err)
	}
	if err := h.s.SignalProcess("grp:ga", "USR1"); err != nil {
		t.Fatalf("SignalProcess(USR1) = %v", err)
	}
	// Names: a group member is not addressable by its bare name.
	if _, err := h.s.Process("ga"); err == nil || err.Error() != "BAD_NAME: ga" {
		t.Fatalf("Process(ga) = %v", err)
	}
	if _, err := h.s.Process("grp:*"); err == nil || err.Error() != "BAD_NAME: grp:*" {
		t.Fatalf("Process(grp:*) = %v", err)
	}
	// A process dying before startsecs: SPAWN_ERROR, named as requested.
	if _, _, err := h.s.StartProcess(ctx, "bad", true); err == nil || err.Error() != "SPAWN_ERROR: bad" {
		t.Fatalf("StartProcess(bad) = %v", err)
	}
	if _, _, err := h.s.StartProcess(ctx, "grp:ga", true); err == nil || err.Error() != "ALREADY_STARTED: grp:ga" {
		t.Fatalf("StartProcess(running) = %v", err)
	}
	if _, err := h.s.StopProcess(ctx, "manual", true); err == nil || err.Error() != "NOT_RUNNING: manual" {
		t.Fatalf("StopProcess(stopped) = %v", err)
	}
	// wait=false returns while STARTING.
	info, _, err := h.s.StartProcess(ctx, "manual", false)
	if err != nil || (info.State != process.Starting && info.State != process.Running) {
		t.Fatalf("StartProcess(manual, nowait) = %v, %v", info.State, err)
	}
	// StopAll acts on every running process, in group then process
	// priority order.
	rs, err = h.s.StopAll(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(rs); got != "grp:gb OK\ngrp:ga OK\nmanual:manual OK\n" {
		t.Fatalf("StopAll:\n%s", got)
	}
	infos, _ := h.s.Processes()
	var order []string
	for _, i := range infos {
		order = append(order, i.Namespec())
	}
	if strings.Join(order, " ") != "bad grp:ga grp:gb manual" {
		t.Fatalf("Processes order: %v", order)
	}
}

func TestStartAbnormalTermination(t *testing.T) {
	h := start(t, "[program:slow]\ncommand=sleep 1000\nstartsecs=3600\nautostart=false\n")
	errc := make(chan error, 1)
	go func() {
		_, _, err := h.s.StartProcess(context.Background(), "slow", true)
		errc <- err
	}()
	h.waitState("slow", process.Starting)
	if _, err := h.s.StopProcess(context.Background(), "slow", true); err != nil {
		t.Fatal(err)
	}
	if err := testutil.Receive(t, errc, "StartProcess to return"); err == nil || err.Error() != "ABNORMAL_TERMINATION: slow" {
		t.Fatalf("StartProcess = %v", err)
	}
}

// TestShutdownOrder stops groups one at a time in descending priority,
// the event listener-like low-priority group last, and answers
// SHUTDOWN_STATE while stopping. slow's TERM trap sleeps a second before
// it exits, so that a shutdown that did not wait for one group before the
// next would show first's events before slow's STOPPED; no assertion
// depends on how long that takes.
func TestShutdownOrder(t *testing.T) {
	h := start(t, `
[program:first]
command=sleep 1000
priority=1
startsecs=0

[program:slow]
command=sh -c 'trap "sleep 1; exit 0" TERM; echo ready; while :; do sleep 0.1; done'
priority=500
startsecs=0

[program:last]
command=sleep 1000
priority=999
startsecs=0
`)
	for _, n := range []string{"first", "slow", "last"} {
		h.waitState(n, process.Running)
	}
	testutil.Eventually(t, "slow's trap", func() bool {
		f, _ := h.s.ProcessLog("slow", events.Stdout)
		b, _ := f.Read(0, 0)
		return strings.Contains(string(b), "ready")
	})
	seen := h.collect(events.TypeProcessStateStopping, events.TypeProcessStateStopped, events.TypeSupervisorStateChangeStopping)
	if err := h.s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := h.s.Shutdown(); !errdefs.Has(err, errdefs.ShutdownState) {
		t.Fatalf("second Shutdown = %v", err)
	}
	if _, err := h.s.Processes(); !errdefs.Has(err, errdefs.ShutdownState) {
		t.Fatalf("Processes during shutdown = %v", err)
	}
	testutil.Receive(t, h.s.Done(), "the shutdown to finish")
	want := "SUPERVISOR_STATE_CHANGE_STOPPING\n" +
		"PROCESS_STATE_STOPPING last\nPROCESS_STATE_STOPPED last\n" +
		"PROCESS_STATE_STOPPING slow\nPROCESS_STATE_STOPPED slow\n" +
		"PROCESS_STATE_STOPPING first\nPROCESS_STATE_STOPPED first"
	testutil.Eventually(t, "all stop events", func() bool { return len(seen()) >= 7 })
	if got := joined(seen()); got != want {
		t.Fatalf("shutdown sequence:\n%s\nwant:\n%s", got, want)
	}
}

func TestLogsThroughTheCore(t *testing.T) {
	h := start(t, `
[program:printer]
command=sh -c 'echo out; echo err >&2; exec sleep 1000'
startsecs=0

[program:quiet]
command=sleep 1000
stdout_logfile=NONE
startsecs=0
`)
	h.waitState("printer", process.Running)
	testutil.Eventually(t, "the output in the logs", func() bool {
		o, _ := h.s.ProcessLog("printer", events.Stdout)
		e, _ := h.s.ProcessLog("printer", events.Stderr)
		ob, _ := o.Read(0, 0)
		eb, _ := e.Read(0, 0)
		return string(ob) == "out\n" && string(eb) == "err\n"
	})
	if _, err := h.s.ProcessLog("quiet", events.Stdout); err == nil || err.Error() != "NO_FILE" {
		t.Fatalf("NONE log = %v", err)
	}
	if err := h.s.ClearProcessLogs("printer"); err != nil {
		t.Fatal(err)
	}
	o, _ := h.s.ProcessLog("printer", events.Stdout)
	if b, _ := o.Read(0, 0); len(b) != 0 {
		t.Fatalf("cleared log holds %q", b)
	}
	info := h.info("printer")
	if !strings.Contains(info.StdoutLogfile, "printer-stdout---test-") {
		t.Fatalf("AUTO log path %q", info.StdoutLogfile)
	}
}

// TestStartSecsZeroIsStartedEvenIfItExitsAtOnce: with startsecs=0 a
// process is RUNNING right after the spawn, so start reports it started
// (as 4.2.5 does) even though our engine sees its exit a moment later.
func TestStartSecsZeroIsStartedEvenIfItExitsAtOnce(t *testing.T) {
	h := start(t, "[program:exiter]\ncommand=sh -c 'exit 3'\nstartsecs=0\nautorestart=false\nautostart=false\n")
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		rs, err := h.s.StartAll(ctx, true)
		if err != nil || describe(rs) != "exiter:exiter OK\n" {
			t.Fatalf("StartAll #%d: %v\n%s", i, err, describe(rs))
		}
		h.waitState("exiter", process.Exited)
		if _, _, err := h.s.StartProcess(ctx, "exiter", true); err != nil {
			t.Fatalf("StartProcess #%d: %v", i, err)
		}
		h.waitState("exiter", process.Exited)
	}
}

func TestGroupFormsNameTheGroupAsGiven(t *testing.T) {
	h := start(t, "")
	ctx := context.Background()
	for _, name := range []string{"nope", "nope:*", "nope:"} {
		if _, err := h.s.StartGroup(ctx, name, true); err == nil || err.Error() != "BAD_NAME: "+name {
			t.Errorf("StartGroup(%q) = %v", name, err)
		}
		if _, err := h.s.StopGroup(ctx, name, true); err == nil || err.Error() != "BAD_NAME: "+name {
			t.Errorf("StopGroup(%q) = %v", name, err)
		}
		if _, err := h.s.SignalGroup(name, "HUP"); err == nil || err.Error() != "BAD_NAME: "+name {
			t.Errorf("SignalGroup(%q) = %v", name, err)
		}
	}
}
