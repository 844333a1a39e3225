//go:build benchsmoke

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

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The smoke run of the side-by-side harness is not part of the default
// go test ./...: it runs both daemons for about a minute. make bench runs
// it (go test -tags benchsmoke -run TestQuickRun ./bench).

// TestQuickRun runs every scenario of the harness at a tiny scale against
// both daemons (about a minute) and checks the run completes, the report
// has every figure of our daemon, and no process is left behind. It
// asserts nothing about the real supervisord's figures: whether it was
// fast enough on a loaded machine is not a property of this project.
func TestQuickRun(t *testing.T) {
	testutil.RequireSupervisor(t)
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
		"-settle", "200ms", "-api-programs", "10", "-api-calls", "5", "-api-storm", "500ms", "-recover-within", "200ms",
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
	has := func(scen, prefix string) {
		t.Helper()
		for _, m := range r.Metrics {
			if m.Scenario != scen || !strings.HasPrefix(m.Name, prefix) {
				continue
			}
			if m.Ours == nil || m.Ours.N == 0 || math.IsNaN(m.Ours.Median) {
				t.Errorf("%s %q: no sample of ours", scen, m.Name)
			}
			return
		}
		t.Errorf("%s: no metric %q...", scen, prefix)
	}
	has("startup", "daemon start → all 10 RUNNING, startsecs=1")
	has("startup", "daemon start → all 10 RUNNING, startsecs=0")
	has("startup", "daemon CPU (utime+stime) from start to all 10 RUNNING, startsecs=0")
	has("rss", "daemon VmRSS with 10 programs")
	has("stop", "stopAllProcesses(wait)")
	has("stop", "shutdown (SIGTERM → daemon exited) with 10 RUNNING")
	has("api", "daemon VmRSS, 10 idle programs RUNNING")
	has("api", "XML-RPC getAllProcessInfo, 10 processes, one sequential client (unix socket): daemon CPU per call")
	has("api", "XML-RPC getState, 8 keep-alive clients (TCP): calls/s")
	has("api", "XML-RPC getState, one sequential keep-alive client (unix socket): daemon CPU per call")
	has("api", "daemon VmRSS 200ms after the XML-RPC load ÷ idle VmRSS")
	has("api", "gRPC ListProcesses, 10 processes")
	has("api", "gRPC GetState, 8 clients")
	has("api", "gRPC Health/Check, 8 clients")
	has("api", "daemon RssAnon (heap, stacks), 10 idle programs")
	has("api", "daemon VmRSS 200ms after the gRPC load")
	has("idle", "daemon CPU")
	has("respawn", "spawns in")
	has("respawn", "time between consecutive spawns, median")
	has("logs", "capture of 32 MiB written")
	has("logs", "daemon CPU per GiB captured, with rotation")
	has("writers", "children (of 5)")
	has("writers", "bytes written but missing")
	has("events", "process exit → PROCESS_STATE_EXITED at an eventlistener")
	has("events", "process exit → PROCESS_STATE_EXITED on a gRPC")
	has("events", "events delivered/s per subscriber")
	has("probes", "daemon CPU per minute, 5 programs RUNNING, a 1 s exec probe")
	has("probes", "getAllProcessInfo latency p99, 5 probes timing out")
	has("deps", "daemon start → 10 processes RUNNING, 10 dependency layers of 1")
	has("metrics", "GET /metrics with 10 processes, p50")
	has("metrics", "daemon CPU per scrape with 10 processes")
	has("metrics", "respawn interval, median, /metrics scraped every 1 s")
	has("metrics", "GetState calls/s, /metrics scraped every 1 s")
	floors := map[string]string{
		"capture of 32 MiB written in 64 KiB writes, start request → EXITED with every byte in the file, no rotation": "pipe-to-file",
		"gRPC GetState, 8 clients (a connection each, unix socket): daemon CPU per call":                              "bare gRPC server",
		"XML-RPC getAllProcessInfo, 10 processes, one sequential client (unix socket): latency p99":                   "bare Go server",
		"XML-RPC getState, 8 keep-alive clients (TCP): daemon CPU per call":                                           "bare Go server",
		"daemon VmRSS 200ms after the XML-RPC load ÷ idle VmRSS":                                                      "bare Go server's memory",
		"daemon VmRSS 200ms after the gRPC load ÷ idle VmRSS":                                                         "bare Go server's memory",
	}
	for _, m := range r.Metrics {
		if what, ok := floors[m.Name]; ok {
			delete(floors, m.Name)
			if m.Floor == nil || m.Floor.N == 0 {
				t.Errorf("%s: no %s floor", m.Scenario, what)
			}
		}
	}
	for name := range floors {
		t.Errorf("no metric %q", name)
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
