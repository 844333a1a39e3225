package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// The scenarios' children are this test binary too.
	if isChild(os.Args) {
		os.Exit(runChild(os.Args))
	}
	os.Exit(m.Run())
}

// TestQuickRun runs every scenario of the harness at a tiny scale against
// both daemons and checks the report has every figure for both sides, and
// that no process is left behind.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both daemons for ~40 s")
	}
	for _, p := range []string{"/usr/bin/supervisord", "/usr/bin/python3"} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("the real Supervisor is needed (make deps): %v", err)
		}
	}
	out := t.TempDir()
	work, err := os.MkdirTemp("", "gsvbt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	opts, err := parseFlags([]string{
		"-quick", "-out", out, "-work", work,
		"-programs", "10", "-idle-programs", "5", "-idle", "1s", "-respawn", "1500ms",
		"-log-bytes", fmt.Sprint(32 << 20), "-rotate-bytes", "4000000",
		"-writers", "5", "-writer-dur", "1s", "-events-dur", "2s", "-flappers", "5", "-subscribers", "5",
		"-settle", "200ms",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	t0 := time.Now()
	code := runBench(ctx, opts, log)
	t.Logf("harness took %v", time.Since(t0))
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatalf("exit %d, no report: %v", code, err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Fatalf("exit %d; notes:\n%s", code, strings.Join(r.Notes, "\n"))
	}
	for _, n := range r.Notes {
		if strings.Contains(n, "failed") || strings.Contains(n, "left") || strings.Contains(n, "orphan") {
			t.Errorf("note: %s", n)
		}
	}
	has := func(scen, prefix string, both bool) {
		t.Helper()
		for _, m := range r.Metrics {
			if m.Scenario != scen || !strings.HasPrefix(m.Name, prefix) {
				continue
			}
			if m.Ours == nil || m.Ours.N == 0 || math.IsNaN(m.Ours.Median) {
				t.Errorf("%s %q: no sample of ours", scen, m.Name)
			}
			if both && (m.Real == nil || m.Real.N == 0) {
				t.Errorf("%s %q: no sample of real", scen, m.Name)
			}
			return
		}
		t.Errorf("%s: no metric %q...", scen, prefix)
	}
	has("startup", "daemon start → all 10 RUNNING, startsecs=1", true)
	has("startup", "daemon start → all 10 RUNNING, startsecs=0", true)
	has("rss", "daemon VmRSS with 10 programs", true)
	has("stop", "stopAllProcesses(wait)", true)
	has("stop", "shutdown (SIGTERM → daemon exited) with 10 RUNNING", true)
	has("idle", "daemon CPU", true)
	has("respawn", "spawns in", true)
	has("respawn", "time between consecutive spawns, median", false)
	has("logs", "capture of 32 MiB written", true)
	has("logs", "daemon CPU per GiB captured, with rotation", true)
	has("writers", "children (of 5)", true)
	has("writers", "bytes written but missing", true)
	has("events", "process exit → PROCESS_STATE_EXITED at an eventlistener", true)
	has("events", "process exit → PROCESS_STATE_EXITED on a gRPC", false)
	has("events", "events delivered/s per subscriber", false)
	for _, m := range r.Metrics {
		if m.Name == "capture of 32 MiB written in 64 KiB writes, start request → EXITED with every byte in the file, no rotation" && (m.Floor == nil || m.Floor.N == 0) {
			t.Errorf("logs: no pipe-to-file floor")
		}
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## startup", "## logs", "ours/real", "api (ours)"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	// Nothing the harness started is still running.
	self := os.Getpid()
	for pid, s := range allProcs() {
		cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if (s.ppid == self && pid != self) || strings.Contains(string(cmd), work) {
			t.Errorf("left behind: pid %d %q", pid, strings.ReplaceAll(string(cmd), "\x00", " "))
		}
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-quick", "-reps", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Quick || o.Reps != 2 || o.Programs != quickOptions().Programs || !o.Only["events"] {
		t.Errorf("-quick -reps 2: got quick=%v reps=%d programs=%d only=%v", o.Quick, o.Reps, o.Programs, o.Only)
	}
	o, err = parseFlags([]string{"-only", "rss,logs"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Only["startup"] || !o.Only["logs"] || o.Only["idle"] || o.Programs != 1000 {
		t.Errorf("-only rss,logs: got only=%v programs=%d", o.Only, o.Programs)
	}
	for _, bad := range [][]string{
		{"-only", "nosuch"},
		{"-ours-api", "soap"},
		{"-startup-logs", "some"},
		{"-reps", "-1"},
		{"-idle", "-1s"},
		{"extra"},
		{"-nosuchflag"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

func TestPercentileAndSummary(t *testing.T) {
	s := summarize([]float64{5, 1, 3, 2, 4})
	if s.N != 5 || s.Median != 3 || s.Min != 1 || s.Max != 5 || s.Samples[0] != 5 {
		t.Errorf("summarize: %+v", s)
	}
	if got := percentile([]float64{1, 2, 3, 4}, 50); got != 2.5 {
		t.Errorf("median of 1..4 = %v", got)
	}
	if got := percentile([]float64{0, 10}, 99); math.Abs(got-9.9) > 1e-9 {
		t.Errorf("p99 of 0,10 = %v", got)
	}
	if !math.IsNaN(percentile(nil, 50)) || summarize(nil).N != 0 {
		t.Error("empty input")
	}
}

func TestMetricTargets(t *testing.T) {
	m := &Metric{ours: []float64{1, 1}, real: []float64{10, 12}, floor: []float64{0.5}}
	m.withTarget("ours ≤ real/10", ratioAtMost(0.1))
	m.finish()
	if m.Ratio == nil || math.Abs(*m.Ratio-1.0/11) > 1e-9 || m.Met == nil || !*m.Met {
		t.Errorf("ratio %v met %v", m.Ratio, m.Met)
	}
	if m.FloorRatio == nil || *m.FloorRatio != 2 {
		t.Errorf("floor ratio %v", m.FloorRatio)
	}
	m = &Metric{ours: []float64{3}}
	m.withTarget("ours ≥ 2× real", ratioAtLeast(2))
	m.finish()
	if m.Met != nil || m.Ratio != nil {
		t.Errorf("no real samples: met %v ratio %v", m.Met, m.Ratio)
	}
	m = &Metric{ours: []float64{0, 2}}
	m.withTarget("none", oursMaxAtMost(0))
	m.finish()
	if m.Met == nil || *m.Met {
		t.Errorf("max 2 > 0 must not be met")
	}
}

func TestLogTimes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "supervisord.log")
	body := "2026-01-02 03:04:05,006 INFO spawned: 'crash' with pid 10\n" +
		"  continuation spawned: 'crash' with pid\n" +
		"2026-01-02 03:04:05,016 INFO success: crash entered RUNNING state\n" +
		"2026-01-02 03:04:06,500 INFO spawned: 'crash' with pid 11\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	ts, err := logTimes(p, "spawned: 'crash'")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[1].Sub(ts[0]) != 1494*time.Millisecond {
		t.Fatalf("got %v", ts)
	}
	last, n, err := lastLogTime(p, "entered RUNNING")
	if err != nil || n != 1 || last.Nanosecond() != 16e6 {
		t.Errorf("lastLogTime: %v %d %v", last, n, err)
	}
	if _, _, err := lastLogTime(p, "nothing like this"); err == nil {
		t.Error("no matching line: want an error")
	}
	if _, err := logTimes(filepath.Join(t.TempDir(), "missing"), "x"); err == nil {
		t.Error("missing file: want an error")
	}
}

func TestProcReaders(t *testing.T) {
	s, err := readStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.ppid != os.Getppid() {
		t.Errorf("ppid %d, want %d", s.ppid, os.Getppid())
	}
	m, err := readMem(os.Getpid())
	if err != nil || m.RSS <= 0 || m.HWM < m.RSS || m.Threads < 1 {
		t.Errorf("readMem: %+v %v", m, err)
	}
	if _, err := readStat(-1); err == nil {
		t.Error("readStat(-1): want an error")
	}
	if _, err := readMem(-1); err == nil {
		t.Error("readMem(-1): want an error")
	}
}
