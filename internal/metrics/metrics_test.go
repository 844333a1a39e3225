package metrics

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestMain(m *testing.M) {
	process.RunExecHelper()
	os.Exit(m.Run())
}

// newCore returns a real core with n programs (not autostarted: a
// scrape reads the same structures whatever the states are), each with
// stdout and stderr log files; the core does not run yet.
func newCore(tb testing.TB, n int) *supervisor.Supervisor {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("[supervisord]\nchildlogdir=%(here)s\nlogfile=%(here)s/main.log\n")
	for i := range n {
		fmt.Fprintf(&b, "[program:p%04d]\ncommand=sleep 1000\nautostart=false\nstartsecs=0\n", i)
	}
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Load(path, config.Overrides{})
	if err != nil {
		tb.Fatal(err)
	}
	exe, _ := os.Executable()
	core, err := supervisor.New(cfg, supervisor.Options{ExecHelper: exe, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	// The log files are opened in the background: wait for them.
	testutil.Eventually(tb, "every process's log files to be open", func() bool {
		for _, p := range core.ProcessStats() {
			if !p.HasStdout || !p.HasStderr {
				return false
			}
		}
		return true
	})
	return core
}

// BenchmarkScrape1000 measures one scrape of /metrics (collect, gather,
// encode) with 1000 processes.
func BenchmarkScrape1000(b *testing.B) {
	reg := NewRegistry(newCore(b, 1000))
	h := reg.Handler()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		io.Copy(io.Discard, w.Body)
	}
}

// TestExposition checks a scrape of a core with programs in several
// states: every process state is a series (1 for the current state), the
// counters and the bus figures are there, and promtool accepts it.
func TestExposition(t *testing.T) {
	core := newCore(t, 2)
	go core.Run(context.Background())
	t.Cleanup(func() { core.RequestShutdown(); testutil.Receive(t, core.Done(), "the core to shut down") })
	if _, _, err := core.StartProcess(context.Background(), "p0000", true); err != nil {
		t.Fatal(err)
	}
	h := NewRegistry(core).Handler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	text := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("GET /metrics = %d\n%s", w.Code, text)
	}
	for _, want := range []string{
		`gsupervisor_process_state{group="p0000",process="p0000",state="RUNNING"} 1`,
		`gsupervisor_process_state{group="p0000",process="p0000",state="STOPPED"} 0`,
		`gsupervisor_process_state{group="p0001",process="p0001",state="STOPPED"} 1`,
		`gsupervisor_process_starts_total{group="p0000",process="p0000"} 1`,
		`gsupervisor_process_health{group="p0000",health="UNKNOWN",process="p0000"} 1`,
		`gsupervisor_process_health{group="p0000",health="HEALTHY",process="p0000"} 0`,
		`gsupervisor_process_starts_total{group="p0001",process="p0001"} 0`,
		`gsupervisor_process_log_rotations_total{group="p0000",process="p0000",stream="stderr"} 0`,
		`gsupervisor_daemon_state{state="RUNNING"} 1`,
		"gsupervisor_events_published_total ",
		"gsupervisor_build_info{",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the exposition lacks %q", want)
		}
	}
	if strings.Contains(text, `gsupervisor_process_last_exit_code{group="p0001"`) {
		t.Error("a last exit status for a process that never ran")
	}
	testutil.CheckMetrics(t, text)
}
