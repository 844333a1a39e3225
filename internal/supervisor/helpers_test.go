package supervisor

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
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
	logs *syncBuffer
	done chan State
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	h := &harness{t: t, dir: dir, path: filepath.Join(dir, "supervisord.conf"), logs: &syncBuffer{}, done: make(chan State, 1)}
	h.write(programs)
	cfg, err := config.Load(h.path, config.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.bus = events.NewBus(1000, log)
	exe, _ := os.Executable()
	h.s, err = New(cfg, Options{
		Log: log, Bus: h.bus, ExecHelper: exe,
		Reload: func() (*config.Config, error) { return config.Load(h.path, config.Overrides{}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() { h.done <- h.s.Run(context.Background()) }()
	t.Cleanup(h.shutdown)
	return h
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
	select {
	case <-h.s.Done():
	case <-time.After(30 * time.Second):
		h.t.Errorf("supervisor did not shut down within 30 s")
	}
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
	waitFor(h.t, 10*time.Second, fmt.Sprintf("%s to be %s", name, st), func() bool {
		i, err := h.s.Process(name)
		last = i
		return err == nil && i.State == st
	})
	return last
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
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
