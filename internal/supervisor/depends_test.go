package supervisor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// timeline records the state and health changes of every process as
// "STARTING db", "health HEALTHY web", … in the order the bus published them.
func (h *harness) timeline() func() []string {
	return h.record([]events.Type{events.TypeProcessState, events.TypeProcessHealth}, func(e *events.Event) string {
		if e.Health != nil {
			return "health " + e.Health.To + " " + process.Namespec(e.Health.Group, e.Health.Process)
		}
		return e.State.To + " " + process.Namespec(e.State.Group, e.State.Process)
	})
}

// waitLine waits until the timeline holds line (events reach it
// asynchronously) and returns it.
func waitLine(t *testing.T, tl func() []string, line string) []string {
	t.Helper()
	var got []string
	testutil.Eventually(t, line+" in the timeline", func() bool {
		got = tl()
		return slices.Contains(got, line)
	})
	return got
}

// before checks that a comes before b in the timeline.
func before(t *testing.T, tl []string, a, b string) {
	t.Helper()
	i, j := slices.Index(tl, a), slices.Index(tl, b)
	if i < 0 || j < 0 || i > j {
		t.Errorf("want %q before %q in:\n%s", a, b, joined(tl))
	}
}

// waitInOrder waits until the timeline holds seq in this order (other
// lines may come between).
func waitInOrder(t *testing.T, tl func() []string, seq ...string) {
	t.Helper()
	testutil.Eventually(t, fmt.Sprintf("%q in this order in the timeline", seq), func() bool {
		i := 0
		for _, line := range tl() {
			if i < len(seq) && line == seq[i] {
				i++
			}
		}
		return i == len(seq)
	})
}

// chain is db → migrate (one-shot) → web (readiness by http) → worker.
func chain(port int, autostart bool) string {
	return fmt.Sprintf(`
[program:db]
command=/bin/sh -c 'sleep 0.2; touch %%(here)s/db.ready; exec sleep 1000'
autostart=%[2]v
startsecs=0
readiness_probe=exec:test -f %%(here)s/db.ready
readiness_period=50ms
stopwaitsecs=2

[program:migrate]
command=/bin/sh -c 'test -f %%(here)s/db.ready && touch %%(here)s/migrated'
autostart=%[2]v
startsecs=0
autorestart=false
depends_on=db=healthy

[program:web]
command=/usr/bin/python3 -m http.server --bind 127.0.0.1 %[1]d
directory=%%(here)s
autostart=%[2]v
startsecs=0
readiness_probe=http://127.0.0.1:%[1]d/
readiness_period=50ms
depends_on=migrate=completed
stopwaitsecs=2

[program:worker]
command=sleep 1000
autostart=%[2]v
startsecs=0
depends_on=web=healthy db
`, port, autostart)
}

// TestChainStartsInOrderAndStopsInReverse: at boot, each program of the
// chain starts only once its dependency meets its condition; the shutdown
// stops them in reverse order.
func TestChainStartsInOrderAndStopsInReverse(t *testing.T) {
	testutil.RequirePython(t)
	h := start(t, chain(testutil.FreePorts(t, 1)[0], true))
	tl := h.timeline()
	h.waitState("worker", process.Running)
	h.waitHealth("web", probe.HealthHealthy)
	if i := h.info("migrate"); i.State != process.Exited || !i.ExitExpected {
		t.Fatalf("migrate: %s", i.State)
	}
	h.shutdown()
	got := waitLine(t, tl, "STOPPED db")
	before(t, got, "health HEALTHY db", "STARTING migrate")
	before(t, got, "EXITED migrate", "STARTING web")
	before(t, got, "health HEALTHY web", "STARTING worker")
	before(t, got, "STOPPED worker", "STOPPING web")
	before(t, got, "STOPPED web", "STOPPING db")
	if !strings.Contains(h.logs.String(), "health: db is HEALTHY (readiness probe: ") {
		t.Errorf("no health line in the main log:\n%s", h.logs)
	}
}

// waitHealth waits until the process has the health.
func (h *harness) waitHealth(name string, want probe.Health) ProcessInfo {
	h.t.Helper()
	var last ProcessInfo
	testutil.Eventually(h.t, fmt.Sprintf("%s to be %s", name, want), func() bool {
		i, err := h.s.Process(name)
		last = i
		return err == nil && i.Health == want
	})
	return last
}

// TestStartPullsInDependencies: starting the last program of the chain
// starts what it needs, in order, and says so.
func TestStartPullsInDependencies(t *testing.T) {
	testutil.RequirePython(t)
	h := start(t, chain(testutil.FreePorts(t, 1)[0], false))
	tl := h.timeline()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, deps, err := h.s.StartProcess(ctx, "worker", true)
	if err != nil || info.State != process.Running {
		t.Fatalf("StartProcess(worker) = %s, %v", info.State, err)
	}
	slices.Sort(deps)
	if !slices.Equal(deps, []string{"db", "migrate", "web"}) {
		t.Errorf("started dependencies %v", deps)
	}
	got := waitLine(t, tl, "RUNNING worker")
	before(t, got, "health HEALTHY db", "STARTING migrate")
	before(t, got, "EXITED migrate", "STARTING web")
	before(t, got, "health HEALTHY web", "STARTING worker")
	// Now everything it needs is there: nothing more is started.
	h.s.StopProcess(ctx, "worker", true)
	_, deps, err = h.s.StartProcess(ctx, "worker", true)
	if err != nil || len(deps) != 0 {
		t.Errorf("second start: deps %v, %v", deps, err)
	}
	// StopAll goes in reverse dependency order.
	tl = h.timeline()
	if _, err := h.s.StopAll(ctx, true); err != nil {
		t.Fatal(err)
	}
	got = waitLine(t, tl, "STOPPED db")
	before(t, got, "STOPPED worker", "STOPPING web")
	before(t, got, "STOPPED web", "STOPPING db")
}

// TestDependencyFatal: a program whose dependency went FATAL does not
// start and says why.
func TestDependencyFatal(t *testing.T) {
	h := start(t, `
[program:db]
command=/bin/sh -c 'exit 1'
startsecs=1
startretries=0

[program:web]
command=sleep 1000
startsecs=0
depends_on=db
`)
	h.waitState("db", process.Fatal)
	var info ProcessInfo
	testutil.Eventually(t, "web to give up", func() bool {
		info = h.info("web")
		return strings.HasPrefix(info.Waiting, "not started:")
	})
	if info.State != process.Stopped || info.Waiting != "not started: dependency db is FATAL" {
		t.Errorf("web: %s %q", info.State, info.Waiting)
	}
	if !strings.Contains(h.logs.String(), "not starting web: dependency db is FATAL") {
		t.Errorf("main log:\n%s", h.logs)
	}
	// A start tries db again; it fails again, and the start says so.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, deps, err := h.s.StartProcess(ctx, "web", true)
	if !errdefs.Has(err, errdefs.DependencyFailed) || err.Error() != "DEPENDENCY_FAILED: web: dependency db is FATAL" || !slices.Equal(deps, []string{"db"}) {
		t.Errorf("StartProcess(web) = %v, deps %v", err, deps)
	}
	if info := h.info("web"); info.Waiting != "not started: dependency db is FATAL" {
		t.Errorf("after the start: %q", info.Waiting)
	}
}

// TestStopCancelsWaitingStart: stopping a process that waits for its
// dependencies cancels the wait, and a waiting start reports what it
// waits for.
func TestStopCancelsWaitingStart(t *testing.T) {
	h := start(t, `
[program:db]
command=sleep 1000
autostart=false
startsecs=0
readiness_probe=exec:false
readiness_period=50ms

[program:web]
command=sleep 1000
autostart=false
startsecs=0
depends_on=db=healthy
`)
	ctx := context.Background()
	info, deps, err := h.s.StartProcess(ctx, "web", false)
	if err != nil || info.State != process.Stopped || !slices.Equal(deps, []string{"db"}) {
		t.Fatalf("StartProcess(web) = %s %v %v", info.State, deps, err)
	}
	testutil.Eventually(t, "web to wait for db", func() bool {
		return h.info("web").Waiting == "waiting for db to be healthy"
	})
	if _, err := h.s.StopProcess(ctx, "web", true); err != nil {
		t.Fatalf("StopProcess(web) = %v", err)
	}
	if i := h.info("web"); i.Waiting != "" || i.State != process.Stopped {
		t.Errorf("web after stop: %s %q", i.State, i.Waiting)
	}
	if _, err := h.s.StopProcess(ctx, "web", true); !errdefs.Has(err, errdefs.NotRunning) {
		t.Errorf("second stop: %v", err)
	}
}

// TestUpdateAddsAChain: an update that adds programs depending on each
// other (in any name order) starts them all, in dependency order.
func TestUpdateAddsAChain(t *testing.T) {
	h := start(t, "[program:keep]\ncommand=sleep 1000\nstartsecs=0\n")
	h.waitState("keep", process.Running)
	tl := h.timeline()
	h.write(`
[program:keep]
command=sleep 1000
startsecs=0

[program:aaa]
command=sleep 1000
startsecs=0
depends_on=zzz

[program:zzz]
command=sleep 1000
startsecs=0
`)
	results, _, err := h.s.Update(context.Background(), nil, "", 0)
	if err != nil || len(results) != 2 || results[0].Err != nil || results[1].Err != nil {
		t.Fatalf("Update = %+v, %v", results, err)
	}
	h.waitState("aaa", process.Running)
	got := waitLine(t, tl, "RUNNING aaa")
	before(t, got, "RUNNING zzz", "STARTING aaa")
}
