package events

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// logRecorder is a slog handler that keeps every record's level and
// message.
type logRecorder struct {
	mu   sync.Mutex
	recs []logRec
}

func newLogRecorder() (*logRecorder, *slog.Logger) {
	r := &logRecorder{}
	return r, slog.New(r)
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.recs = append(r.recs, logRec{rec.Level, rec.Message})
	r.mu.Unlock()
	return nil
}

// count returns how many records have this level and message.
func (r *logRecorder) count(level slog.Level, msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, rec := range r.recs {
		if rec.level == level && rec.msg == msg {
			n++
		}
	}
	return n
}

// has reports whether a record with this level and message exists.
func (r *logRecorder) has(level slog.Level, msg string) bool { return r.count(level, msg) > 0 }

// dump returns every record, for failure messages.
func (r *logRecorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, rec := range r.recs {
		fmt.Fprintf(&b, "%s %s\n", rec.level, rec.msg)
	}
	return b.String()
}

// memListener is an in-memory Listener for protocol-parser tests: what
// the pool writes arrives on writes.
type memListener struct {
	name    string
	running atomic.Bool
	writes  chan []byte
	fail    atomic.Bool // WriteStdin fails with a closed-pipe error
}

func newMemListener(name string, running bool) *memListener {
	m := &memListener{name: name, writes: make(chan []byte, 100)}
	m.running.Store(running)
	return m
}

func (m *memListener) Name() string  { return m.name }
func (m *memListener) Running() bool { return m.running.Load() }
func (m *memListener) WriteStdin(p []byte) error {
	if m.fail.Load() {
		return fmt.Errorf("write stdin: %w", errPipe)
	}
	m.writes <- append([]byte(nil), p...)
	return nil
}

// next returns the next envelope written to m.
func (m *memListener) next(t *testing.T) string {
	t.Helper()
	return string(testutil.Receive(t, m.writes, m.name+"'s next envelope"))
}

// none checks nothing was written to m (so far).
func (m *memListener) none(t *testing.T) {
	t.Helper()
	select {
	case b := <-m.writes:
		t.Fatalf("%s: unexpected write %q", m.name, b)
	default:
	}
}

// errPipe is the error a write to a closed pipe returns.
var errPipe = syscall.EPIPE
