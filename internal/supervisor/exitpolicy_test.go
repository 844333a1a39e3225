package supervisor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// ended waits for the supervisor's Run to end on its own and returns the
// exit cause.
func (h *harness) ended() *ExitCause {
	h.t.Helper()
	testutil.Receive(h.t, h.s.Done(), "the daemon to end by its exit policy")
	if st := h.s.State(); st != StateShutdown {
		h.t.Fatalf("Run ended with %s", st)
	}
	c := h.s.ExitCause()
	if c == nil {
		h.t.Fatalf("Run ended without an exit cause; log:\n%s", h.logs.String())
	}
	return c
}

// states returns the states a process entered, from the bus's retained
// events (the groups are gone once the daemon ended).
func (h *harness) states(name string) []string {
	var zero uint64
	sub, replay, _ := h.bus.Subscribe(events.Filter{}, &zero, 1)
	sub.Close()
	var out []string
	for _, it := range replay {
		if e := it.Event; e != nil && e.State != nil && e.State.Process == name {
			out = append(out, e.State.To)
		}
	}
	return out
}

// TestRequiredProgramEndsDaemon checks each way a required program ends
// the daemon and the exit status it passes on.
func TestRequiredProgramEndsDaemon(t *testing.T) {
	for _, c := range []struct {
		name, program string
		code          int
		reason        string
	}{
		{"failure passes the status on", "command=sh -c 'exit 3'\nstartsecs=0\nautorestart=true\nrequired=true", 3,
			"required program app failed: it exited with status 3"},
		{"a signal is 128+N", "command=sh -c 'kill -KILL $$'\nstartsecs=0\nautorestart=true\nrequired=failure", 137,
			"required program app failed: it was killed by SIGKILL"},
		{"exit ends on an expected exit", "command=sh -c 'exit 0'\nstartsecs=0\nautorestart=true\nrequired=exit", 0,
			"required program app exited: it exited with status 0"},
		{"FATAL after quick exits with status 0", "command=sh -c 'exit 0'\nstartsecs=5\nstartretries=0\nrequired=true", 1,
			"required program app failed: it entered FATAL after too many failed starts"},
		{"FATAL after quick exits passes the status on", "command=sh -c 'exit 4'\nstartsecs=5\nstartretries=0\nrequired=true", 4,
			"entered FATAL after too many failed starts"},
		{"FATAL without a child is 127", "command=/nonexistent/program\nstartretries=0\nrequired=true", 127,
			"required program app failed: it entered FATAL: it could not be spawned"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := start(t, "[program:app]\n"+c.program+"\n[program:other]\ncommand=sleep 1000\nstartsecs=0\n")
			cause := h.ended()
			if cause.Code != c.code || cause.Process != "app" || !strings.Contains(cause.Reason, c.reason) {
				t.Errorf("cause %+v, want code %d and %q", cause, c.code, c.reason)
			}
			app := strings.Join(h.states("app"), " ")
			if c.code != 1 && c.code != 4 && c.code != 127 && app != "STARTING RUNNING EXITED" {
				t.Errorf("app went %s: restarted", app)
			}
			if other := h.states("other"); len(other) > 0 && other[len(other)-1] != "STOPPED" {
				t.Errorf("other went %v", other)
			}
			if !strings.Contains(h.logs.String(), "exit policy: ") {
				t.Errorf("the main log does not say why:\n%s", h.logs.String())
			}
		})
	}
}

// TestRequiredFailureIgnoresExpectedExit checks that required=failure
// does not end the daemon on an expected exit, and that a program that is
// not required never does.
func TestRequiredFailureIgnoresExpectedExit(t *testing.T) {
	h := start(t, `[program:ok]
command=sh -c 'exit 0'
startsecs=0
autorestart=false
required=failure

[program:free]
command=sh -c 'exit 9'
startsecs=0
autorestart=false
`)
	h.waitState("ok", process.Exited)
	h.waitState("free", process.Exited)
	if c := h.s.ExitCause(); c != nil || h.s.State() != StateRunning {
		t.Fatalf("the daemon ends: %+v", c)
	}
}

// TestExitWhenFinished checks exit_when_finished: the daemon ends once
// every program has ended on its own, with the status of the first that
// failed, not before; STOPPED programs and event listeners do not hold it.
func TestExitWhenFinished(t *testing.T) {
	finished := func(o *Options) { o.ExitWhenFinished = true }
	t.Run("first failure", func(t *testing.T) {
		h := startWith(t, `[program:a]
command=sh -c 'exit 0'
startsecs=0
autorestart=false

[program:b]
command=sh -c 'sleep 0.2; exit 5'
startsecs=0
autorestart=false

[program:c]
command=sh -c 'sleep 0.5; exit 6'
startsecs=0
autorestart=false

[program:manual]
command=sleep 1000
autostart=false
`, finished)
		c := h.ended()
		if c.Code != 5 || c.Process != "b" || !strings.Contains(c.Reason, "every program has finished; b failed first: it exited with status 5") {
			t.Errorf("cause %+v", c)
		}
		if st := h.states("c"); len(st) == 0 || st[len(st)-1] != "EXITED" {
			t.Errorf("c went %v: the daemon did not wait for it", st)
		}
	})
	t.Run("all expected", func(t *testing.T) {
		h := startWith(t, "[program:a]\ncommand=sh -c 'exit 0'\nstartsecs=0\nautorestart=false\n", finished)
		if c := h.ended(); c.Code != 0 || c.Process != "" {
			t.Errorf("cause %+v", c)
		}
	})
	t.Run("a running program holds it", func(t *testing.T) {
		h := startWith(t, "[program:a]\ncommand=sh -c 'exit 0'\nstartsecs=0\nautorestart=false\n[program:b]\ncommand=sleep 1000\nstartsecs=0\n", finished)
		h.waitState("a", process.Exited)
		h.waitState("b", process.Running)
		if c := h.s.ExitCause(); c != nil {
			t.Fatalf("ended while b runs: %+v", c)
		}
		if _, err := h.s.StopProcess(context.Background(), "b", true); err != nil {
			t.Fatal(err)
		}
		if c := h.ended(); c.Code != 0 {
			t.Errorf("cause %+v", c)
		}
	})
	// A program that ends while the others are still being started (their
	// autostart not reached yet: STOPPED) does not end the daemon. One
	// that cannot be spawned is FATAL before its autostart returns, so the
	// check runs while the 40 after it are being spawned.
	t.Run("not before the autostart is done", func(t *testing.T) {
		h := startWith(t, `[program:first]
command=/nonexistent/first
startretries=0
priority=1

[program:rest]
command=sleep 1000
startsecs=0
priority=2
numprocs=40
process_name=%(program_name)s_%(process_num)02d
`, finished)
		testutil.Eventually(t, "the rest to run, or the daemon to end", func() bool {
			if h.s.ExitCause() != nil {
				return true
			}
			i, err := h.s.Process("rest:rest_39")
			return err == nil && i.State == process.Running
		})
		if c := h.s.ExitCause(); c != nil {
			t.Fatalf("ended while the others were starting: %+v", c)
		}
		if i := h.info("first"); i.State != process.Fatal {
			t.Errorf("first is %s, want FATAL", i.State)
		}
	})
}

// TestShutdownTimeout checks that shutdown_timeout bounds the ordered
// stop: a program that ignores its stop signal (stopwaitsecs far longer)
// is killed once the timeout passes.
func TestShutdownTimeout(t *testing.T) {
	h := start(t, `[program:stubborn]
command=sh -c 'trap "" TERM; touch %(here)s/trapped; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=600
`)
	testutil.Eventually(t, "the program to ignore SIGTERM", func() bool {
		_, err := os.Stat(filepath.Join(h.dir, "trapped"))
		return err == nil
	})
	h.s.Config().Supervisord.ShutdownTimeout = time.Second
	h.s.RequestShutdown()
	testutil.Receive(t, h.s.Done(), "the shutdown to end")
	if !strings.Contains(h.logs.String(), "shutdown_timeout (1s) passed: killed [stubborn] with SIGKILL") {
		t.Errorf("log:\n%s", h.logs.String())
	}
}
