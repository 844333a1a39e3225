package supervisor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestReadinessSelects checks which processes readiness_programs names.
func TestReadinessSelects(t *testing.T) {
	web := &config.ProcessConfig{Name: "web_01", Group: "web", Program: "web", Autostart: true}
	solo := &config.ProcessConfig{Name: "db", Group: "db", Program: "db", Autostart: false}
	grouped := &config.ProcessConfig{Name: "api", Group: "svc", Program: "api", Autostart: true}
	for _, c := range []struct {
		sel  []string
		pc   *config.ProcessConfig
		want bool
	}{
		{nil, web, true}, {nil, solo, false},
		{[]string{}, web, false},
		{[]string{"web"}, web, true}, {[]string{"web:*"}, web, true}, {[]string{"web:"}, web, true},
		{[]string{"web:web_01"}, web, true}, {[]string{"web:web_02"}, web, false},
		{[]string{"db"}, solo, true}, {[]string{"db:db"}, solo, true},
		{[]string{"api"}, grouped, true}, {[]string{"svc:*"}, grouped, true}, {[]string{"svc:api"}, grouped, true},
		{[]string{"other", "svc"}, grouped, true}, {[]string{"other"}, grouped, false},
	} {
		if got := readinessSelects(c.sel, c.pc); got != c.want {
			t.Errorf("readinessSelects(%q, %s:%s) = %v, want %v", c.sel, c.pc.Group, c.pc.Name, got, c.want)
		}
	}
}

// TestReadinessAndAlive checks Readiness on real processes: not ready
// until every autostart program runs, a one-shot that finished as
// expected does not hold it back, one that failed does; Alive answers.
func TestReadinessAndAlive(t *testing.T) {
	h := start(t, `[program:svc]
command=sleep 1000
startsecs=0

[program:once]
command=sh -c 'exit 0'
startsecs=0
autorestart=false

[program:failed]
command=sh -c 'exit 4'
startsecs=0
autorestart=false
`)
	h.waitState("svc", process.Running)
	h.waitState("once", process.Exited)
	h.waitState("failed", process.Exited)
	r := h.s.Readiness()
	if r.Ready || len(r.Waiting) != 1 || r.Waiting[0] != "failed (EXITED)" {
		t.Fatalf("Readiness = %+v", r)
	}
	if _, err := h.s.StopProcess(context.Background(), "svc", true); err != nil {
		t.Fatal(err)
	}
	if r := h.s.Readiness(); r.Ready || len(r.Waiting) != 2 {
		t.Fatalf("Readiness after stop = %+v", r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.s.Alive(ctx); err != nil {
		t.Fatal(err)
	}
	// A stuck core (its lock held) is not alive.
	h.s.mu.Lock()
	short, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	err := h.s.Alive(short)
	cancel2()
	h.s.mu.Unlock()
	if err == nil {
		t.Fatal("Alive while the core's lock is held")
	}
	if err := h.s.Alive(ctx); err != nil {
		t.Fatalf("Alive after the lock was released: %v", err)
	}
}

// TestReadinessWaitsForTheProbe: a RUNNING process with a readiness probe
// holds readiness back until the probe passes (the meaning depends_on's
// "healthy" has), and its health is in ProcessStats for the metrics.
func TestReadinessWaitsForTheProbe(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	flag := filepath.Join(dir, "ready")
	h := start(t, `[program:web]
command=sleep 1000
startsecs=0
readiness_probe=exec:test -f `+flag+`
readiness_period=100ms
`)
	h.waitState("web", process.Running)
	if r := h.s.Readiness(); r.Ready || len(r.Waiting) != 1 || !strings.HasPrefix(r.Waiting[0], "web (RUNNING, health ") {
		t.Fatalf("Readiness before the probe passes = %+v", r)
	}
	if err := os.WriteFile(flag, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "readiness once the probe passes", func() bool { return h.s.Readiness().Ready })
	if st := h.s.ProcessStats(); len(st) != 1 || st[0].Health != probe.HealthHealthy {
		t.Errorf("ProcessStats = %+v", st)
	}
}
