package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
)

func TestMain(m *testing.M) {
	// The scenarios' children are this test binary too.
	if isChild(os.Args) {
		os.Exit(runChild(os.Args))
	}
	os.Exit(m.Run())
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
	if err != nil || m.RSS <= 0 || m.HWM < m.RSS || m.Threads < 1 || m.Anon <= 0 || m.File <= 0 || m.Anon+m.File > m.RSS+4096 {
		t.Errorf("readMem: %+v %v", m, err)
	}
	if _, err := readStat(-1); err == nil {
		t.Error("readStat(-1): want an error")
	}
	if _, err := readMem(-1); err == nil {
		t.Error("readMem(-1): want an error")
	}
}

// TestCountStates checks the harness's scan of getAllProcessInfo against
// both daemons' encodings: Python's xmlrpc.client (4.2.5's) and ours.
func TestCountStates(t *testing.T) {
	procs := func(states ...string) []any {
		var out []any
		for i, s := range states {
			out = append(out, xmlrpc.Struct{
				{Name: "name", Value: fmt.Sprintf("p%d", i)},
				{Name: "statename", Value: s},
				{Name: "description", Value: "statename RUNNING"},
			})
		}
		return out
	}
	ours, err := xmlrpc.AppendResponse(nil, procs("RUNNING", "STARTING", "RUNNING", "RUNNINGX"))
	if err != nil {
		t.Fatal(err)
	}
	py, err := exec.Command("/usr/bin/python3", "-c", `import sys, xmlrpc.client
ps = [{"name": "p%d" % i, "statename": s, "description": "statename RUNNING"} for i, s in enumerate(["RUNNING", "STARTING", "RUNNING", "RUNNINGX"])]
sys.stdout.write(xmlrpc.client.dumps((ps,), methodresponse=True))`).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	for name, b := range map[string][]byte{"ours": ours, "python": py} {
		for _, tc := range []struct {
			state     string
			in, total int
		}{{"RUNNING", 2, 4}, {"STARTING", 1, 4}, {"STOPPED", 0, 4}} {
			if in, total := countStates(b, tc.state); in != tc.in || total != tc.total {
				t.Errorf("%s: countStates(%s) = %d of %d, want %d of %d\n%s", name, tc.state, in, total, tc.in, tc.total, b)
			}
		}
	}
	if in, total := countStates([]byte("<methodResponse><params><param><value><array><data></data></array></value></param></params></methodResponse>"), "RUNNING"); in != 0 || total != 0 {
		t.Errorf("empty array: %d of %d", in, total)
	}
}
