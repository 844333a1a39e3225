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
	"github.com/gsupervisor/gsupervisor/internal/httpprobe"
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
	mod  func(*Options) // changes the options of each run (nil for none)
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
	return startIn(t, t.TempDir(), programs)
}

// startWith is start with options changed by mod (nil for none).
func startWith(t *testing.T, programs string, mod func(*Options)) *harness {
	t.Helper()
	return startInWith(t, t.TempDir(), programs, mod)
}

// startIn is start in a given directory.
func startIn(t *testing.T, dir, programs string) *harness {
	t.Helper()
	return startInWith(t, dir, programs, nil)
}

// startInWith is startIn with options changed by mod (nil for none).
func startInWith(t *testing.T, dir, programs string, mod func(*Options)) *harness {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	h := &harness{t: t, dir: dir, path: filepath.Join(dir, "supervisord.conf"), logs: &testutil.Buffer{}}
	t.Cleanup(func() { testutil.CheckNoStrays(t, dir) })
	h.write(programs)
	h.mod = mod
	h.bus = events.NewBus(1000, h.logger())
	h.run()
	t.Cleanup(h.shutdown)
	return h
}

// logger is the harness's logger (every level, into h.logs).
func (h *harness) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// run loads the file and runs a new Supervisor on it, as the daemon does
// at start and on each reload.
func (h *harness) run() {
	h.t.Helper()
	cfg, err := h.load(nil)
	if err != nil {
		h.t.Fatal(err)
	}
	exe, _ := os.Executable()
	opts := Options{Log: h.logger(), Bus: h.bus, ExecHelper: exe, Reload: h.load, HTTPCheck: httpprobe.Check}
	if h.mod != nil {
		h.mod(&opts)
	}
	h.s, err = New(cfg, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	go h.s.Run(context.Background())
}

// load parses the config file and marks the children with the dir, by
// which the cleanup finds any of them left behind.
func (h *harness) load(scale map[string]config.Scale) (*config.Config, error) {
	cfg, err := config.Load(h.path, config.Overrides{Scale: scale})
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
	return h.record(types, func(e *events.Event) string {
		s := e.Type.String()
		if g, p, ok := e.ProcessName(); ok {
			s += " " + process.Namespec(g, p)
		} else if g, ok := e.GroupName(); ok {
			s += " " + g
		}
		return s
	})
}

// record subscribes to the bus for types and returns a function that
// lists, as line renders them, the events received so far.
func (h *harness) record(types []events.Type, line func(*events.Event) string) func() []string {
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
			l := line(it.Event)
			mu.Lock()
			got = append(got, l)
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
