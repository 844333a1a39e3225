package supervisor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestLivenessRestartsUnresponsiveProcess: a process whose liveness probe
// starts failing is restarted (a new pid), and is healthy again once the
// probe passes.
func TestLivenessRestartsUnresponsiveProcess(t *testing.T) {
	dir := t.TempDir()
	alive := filepath.Join(dir, "alive")
	if err := os.WriteFile(alive, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h := startIn(t, dir, `
[program:svc]
command=sleep 1000
startsecs=0
liveness_probe=exec:test -f %(here)s/alive
liveness_period=50ms
liveness_failure_threshold=2
`)
	tl := h.timeline()
	first := h.waitHealth("svc", probe.HealthHealthy)
	if first.LastProbe.Probe != probeLiveness || !first.LastProbe.OK || first.LastProbe.Time.IsZero() {
		t.Errorf("last probe %+v", first.LastProbe)
	}
	// The process stops answering: it is restarted (again and again, until
	// it answers).
	if err := os.Remove(alive); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "a restart", func() bool {
		i := h.info("svc")
		return i.Pid != 0 && i.Pid != first.Pid
	})
	if err := os.WriteFile(alive, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h.waitHealth("svc", probe.HealthHealthy)
	// A new child's probes start with its STARTING; with startsecs=0 its
	// first probe may pass before or after RUNNING is announced.
	waitInOrder(t, tl, "health HEALTHY svc", "health UNHEALTHY svc", "STOPPING svc", "STOPPED svc", "STARTING svc", "health HEALTHY svc")
	waitInOrder(t, tl, "health UNHEALTHY svc", "STOPPED svc", "STARTING svc", "RUNNING svc")
	if !strings.Contains(h.logs.String(), "liveness probe of svc failed 2 times (exit status 1); restarting it") {
		t.Errorf("main log:\n%s", h.logs)
	}
}

// TestLivenessReportOnly: liveness_action=report marks the process
// unhealthy and leaves it running.
func TestLivenessReportOnly(t *testing.T) {
	h := start(t, `
[program:svc]
command=sleep 1000
startsecs=0
liveness_probe=exec:/bin/sh -c 'echo not today >&2; exit 3'
liveness_period=50ms
liveness_failure_threshold=1
liveness_action=report
`)
	pid := h.waitState("svc", process.Running).Pid
	info := h.waitHealth("svc", probe.HealthUnhealthy)
	if info.Pid != pid || info.LastProbe.OK || info.LastProbe.Output != "exit status 3: not today" {
		t.Errorf("info: pid %d (was %d), last probe %+v", info.Pid, pid, info.LastProbe)
	}
	testutil.Eventually(t, "the report", func() bool {
		return strings.Contains(h.logs.String(), "liveness probe of svc failed 1 times (exit status 3: not today); reporting only")
	})
}

// TestLogReadiness: a log readiness probe passes on the first matching
// output line, on stdout or stderr.
func TestLogReadiness(t *testing.T) {
	h := start(t, `
[program:db]
command=/bin/sh -c 'echo booting; sleep 0.2; echo "ready to accept connections" >&2; exec sleep 1000'
startsecs=0
readiness_probe=log:ready to accept
`)
	info := h.waitHealth("db", probe.HealthHealthy)
	if info.LastProbe.Output != "matched: ready to accept connections" {
		t.Errorf("last probe %+v", info.LastProbe)
	}
	// A stop ends the session: the health is unknown again.
	ctx := context.Background()
	h.s.StopProcess(ctx, "db", true)
	if i := h.info("db"); i.Health != probe.HealthUnknown || i.LastProbe.Output == "" {
		t.Errorf("stopped: %v %+v", i.Health, i.LastProbe)
	}
	h.s.StartProcess(ctx, "db", true)
	if i := h.info("db"); i.Health != probe.HealthStarting {
		t.Errorf("restarted: %v", i.Health)
	}
	h.waitHealth("db", probe.HealthHealthy)
}

// TestHungProbeBlocksNothing: while a probe hangs (its timeout is an
// hour), other programs spawn and the API answers.
func TestHungProbeBlocksNothing(t *testing.T) {
	h := start(t, `
[program:stuck]
command=sleep 1000
startsecs=0
readiness_probe=exec:sleep 3600
readiness_timeout=1h
liveness_probe=tcp:10.255.255.1:9
liveness_timeout=1h

[program:other]
command=sleep 1000
autostart=false
startsecs=0
`)
	h.waitState("stuck", process.Running)
	testutil.Eventually(t, "the probe to hang", func() bool { return probeChildren(t) > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := h.s.StartProcess(ctx, "other", true); err != nil {
		t.Fatalf("start while a probe hangs: %v", err)
	}
	if _, err := h.s.Processes(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.StopProcess(ctx, "stuck", true); err != nil {
		t.Fatalf("stop while its probe hangs: %v", err)
	}
	// The hung probe is killed with its session.
	testutil.Eventually(t, "the probe to be killed", func() bool { return probeChildren(t) == 0 })
	if i := h.info("stuck"); i.Health != probe.HealthUnknown {
		t.Errorf("stopped: %v", i.Health)
	}
}

// probeChildren counts this process's children running "sleep 3600".
func probeChildren(t *testing.T) int {
	t.Helper()
	n := 0
	paths, _ := filepath.Glob("/proc/self/task/*/children")
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		for _, pid := range strings.Fields(string(b)) {
			cmd, _ := os.ReadFile("/proc/" + pid + "/cmdline")
			if strings.Contains(string(cmd), "3600") {
				n++
			}
		}
	}
	return n
}

// TestShutdownLeavesNoProbe: when the core's Run returns, every probe
// command it ran is gone (killed and reaped), even one that hangs: the
// daemon exits right after.
func TestShutdownLeavesNoProbe(t *testing.T) {
	h := start(t, `
[program:stuck]
command=sleep 1000
startsecs=0
liveness_probe=exec:sleep 3600
liveness_timeout=1h
`)
	h.waitState("stuck", process.Running)
	testutil.Eventually(t, "the probe to hang", func() bool { return probeChildren(t) > 0 })
	h.shutdown()
	if n := probeChildren(t); n != 0 {
		t.Errorf("%d probe commands left after Run returned", n)
	}
}
