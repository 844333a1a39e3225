package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestMain(m *testing.M) {
	process.RunExecHelper()
	os.Exit(m.Run())
}

// harness is a Supervisor running a config file in a temp dir.
type harness struct {
	t    *testing.T
	dir  string
	path string
	s    *Supervisor
	bus  *events.Bus
	logs *testutil.Buffer
}

const header = `[supervisord]
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s/logs
identifier=test
`

// start writes programs (after a [supervisord] section) to a config file
// and runs a Supervisor on it.
func start(t *testing.T, programs string) *harness {
	t.Helper()
	return startWith(t, programs, nil)
}

// startWith is start with options changed by mod (nil for none).
func startWith(t *testing.T, programs string, mod func(*Options)) *harness {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	h := &harness{t: t, dir: dir, path: filepath.Join(dir, "supervisord.conf"), logs: &testutil.Buffer{}}
	t.Cleanup(func() { testutil.CheckNoStrays(t, dir) })
	h.write(programs)
	cfg, err := h.load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.bus = events.NewBus(1000, log)
	exe, _ := os.Executable()
	opts := Options{Log: log, Bus: h.bus, ExecHelper: exe, Reload: h.load}
	if mod != nil {
		mod(&opts)
	}
	h.s, err = New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	go h.s.Run(context.Background())
	t.Cleanup(h.shutdown)
	return h
}

// load parses the config file and marks the children with the dir, by
// which the cleanup finds any of them left behind.
func (h *harness) load() (*config.Config, error) {
	cfg, err := config.Load(h.path, config.Overrides{})
	if err != nil {
		return nil, err
	}
	cfg.Supervisord.Environment = testutil.Mark(cfg.Supervisord.Environment, h.dir)
	return cfg, nil
}

func (h *harness) write(programs string) {
	h.t.Helper()
	if err := os.WriteFile(h.path, []byte(header+programs), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// shutdown stops the supervisor and waits for it.
func (h *harness) shutdown() {
	h.s.RequestShutdown()
	testutil.Receive(h.t, h.s.Done(), "the supervisor to shut down")
}

func (h *harness) info(name string) ProcessInfo {
	h.t.Helper()
	i, err := h.s.Process(name)
	if err != nil {
		h.t.Fatalf("Process(%s): %v", name, err)
	}
	return i
}

// waitState waits until the named process is in state.
func (h *harness) waitState(name string, st process.State) ProcessInfo {
	h.t.Helper()
	var last ProcessInfo
	testutil.Eventually(h.t, fmt.Sprintf("%s to be %s", name, st), func() bool {
		i, err := h.s.Process(name)
		last = i
		return err == nil && i.State == st
	})
	return last
}

// collect subscribes to the bus and returns a function that lists the
// names of the events received so far, filtered by types.
func (h *harness) collect(types ...events.Type) func() []string {
	sub, _, _ := h.bus.Subscribe(events.Filter{Types: types}, nil, 10000)
	var mu sync.Mutex
	var got []string
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(func() { cancel(); sub.Close() })
	go func() {
		for {
			it, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if it.Event == nil {
				continue
			}
			e := it.Event
			s := e.Type.String()
			if g, p, ok := e.ProcessName(); ok {
				s += " " + process.Namespec(g, p)
			} else if g, ok := e.GroupName(); ok {
				s += " " + g
			}
			mu.Lock()
			got = append(got, s)
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joined(list []string) string { return strings.Join(list, "\n") }
