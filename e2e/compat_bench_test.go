//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// Side-by-side load of the XML-RPC interface of our daemon and of the real
// supervisord 4.2.5, with a Go client (net/http keep-alive + the codec):
//
//	go test -tags e2e -run '^$' -bench BenchmarkCompat -benchtime 1x ./e2e
//
// Each benchmark runs its fixed workload once per b.N and reports its own
// metrics (calls/s, p50/p99 latency, RSS).

// cxLoadClient is an XML-RPC client with up to conns keep-alive
// connections to a unix socket.
func cxLoadClient(sock string, conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
}

// cxCall posts a prepared XML-RPC call and checks that the answer is a
// methodResponse without a fault.
func cxCall(c *http.Client, body []byte) error {
	resp, err := c.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 || bytes.Contains(b, []byte("<fault>")) {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, b)
	}
	return nil
}

// cxLoad makes total calls with workers concurrent keep-alive clients and
// returns the calls per second and the latencies.
func cxLoad(tb testing.TB, sock string, body []byte, workers, total int) (float64, []time.Duration) {
	c := cxLoadClient(sock, workers)
	defer c.CloseIdleConnections()
	var next atomic.Int64
	lat := make([][]time.Duration, workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(total) {
				t0 := time.Now()
				if err := cxCall(c, body); err != nil {
					errs <- err
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	select {
	case err := <-errs:
		tb.Fatal(err)
	default:
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return float64(total) / elapsed.Seconds(), all
}

// cxPercentile returns the q-quantile of latencies in milliseconds.
func cxPercentile(lat []time.Duration, q float64) float64 {
	slices.Sort(lat)
	return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
}

// cxBoth starts our daemon and the real one for a benchmark and returns
// their sockets.
func cxBoth(b *testing.B, programs string) map[string]string {
	return map[string]string{
		"ours": cxStartB(b, filepath.Join(binDir, "supervisord"), programs),
		"real": cxStartB(b, testutil.Supervisord, programs),
	}
}

// cxStartB runs a supervisord binary (ours, or the real one under
// /usr/bin/python3) in the foreground on configBody(programs) in a new temp
// dir, waits until it answers XML-RPC and returns its socket. The daemon
// is stopped with SIGTERM at cleanup.
func cxStartB(b *testing.B, exe, programs string) string {
	b.Helper()
	if exe == testutil.Supervisord {
		testutil.RequireSupervisor(b)
	}
	dir := testutil.ShortTempDir(b)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	conf := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(conf, []byte(configBody(programs)), 0o644); err != nil {
		b.Fatal(err)
	}
	var cmd *exec.Cmd
	if exe == testutil.Supervisord {
		cmd = exec.Command(testutil.Python, exe, "-c", conf, "-n")
	} else {
		cmd = exec.Command(exe, "-c", conf, "-n")
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	testutil.StartDaemon(b, cmd)
	sock := filepath.Join(dir, "s.sock")
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getState")
	c := cxLoadClient(sock, 1)
	testutil.Eventually(b, fmt.Sprintf("%s to answer on %s", exe, sock), func() bool { return cxCall(c, body) == nil })
	c.CloseIdleConnections()
	return sock
}

func BenchmarkCompatGetState(b *testing.B) {
	socks := cxBoth(b, "")
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getState")
	for _, name := range []string{"ours", "real"} {
		b.Run(name, func(b *testing.B) {
			pid := cxDaemonPid(b, socks[name])
			cxLoad(b, socks[name], body, 8, 1000) // warm up
			var rate float64
			cpu0 := cxCPU(b, pid)
			const calls = 20000
			n := 0
			for b.Loop() {
				rate, _ = cxLoad(b, socks[name], body, 8, calls)
				n++
			}
			b.ReportMetric(rate, "calls/s")
			b.ReportMetric(float64(cxCPU(b, pid)-cpu0)/float64(time.Microsecond)/float64(n*calls), "daemon-cpu-us/call")
		})
	}
}

func BenchmarkCompatGetAllProcessInfo1000(b *testing.B) {
	socks := cxBoth(b, "[program:p]\ncommand=/bin/sleep 100000\nautostart=false\nnumprocs=1000\nprocess_name=%(program_name)s_%(process_num)04d\n")
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getAllProcessInfo")
	for _, c := range []struct {
		name  string
		calls int
	}{{"ours", 500}, {"real", 30}} {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				_, lat = cxLoad(b, socks[c.name], body, 1, c.calls)
			}
			b.ReportMetric(cxPercentile(lat, 0.5), "p50-ms")
			b.ReportMetric(cxPercentile(lat, 0.99), "p99-ms")
		})
	}
}

// BenchmarkCompatRSS makes 100,000 getState calls (8 keep-alive clients)
// to our daemon and reports its resident memory before and after.
func BenchmarkCompatRSS(b *testing.B) {
	sock := cxStartB(b, filepath.Join(binDir, "supervisord"), "")
	pid := cxDaemonPid(b, sock)
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getState")
	cxLoad(b, sock, body, 8, 5000) // warm up
	before := cxRSS(b, pid)
	var rate float64
	for b.Loop() {
		rate, _ = cxLoad(b, sock, body, 8, 100000)
	}
	after := cxRSS(b, pid)
	b.ReportMetric(before, "rss-before-MB")
	b.ReportMetric(after, "rss-after-MB")
	b.ReportMetric(rate, "calls/s")
}

// cxDaemonPid asks a daemon for its pid over XML-RPC.
func cxDaemonPid(b *testing.B, sock string) int {
	c := cxLoadClient(sock, 1)
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getPID")
	resp, err := c.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	v, err := xmlrpc.DecodeResponse(resp.Body, 0)
	if err != nil {
		b.Fatal(err)
	}
	return int(v.(int64))
}

// cxCPU returns the CPU time a process has used (user and system).
func cxCPU(b *testing.B, pid int) time.Duration {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// cxRSS returns a process's resident set size in MiB.
func cxRSS(b *testing.B, pid int) float64 {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(st), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
