package compat

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// benchPost posts a prepared call and reads the whole response.
func benchPost(b *testing.B, c *http.Client, body []byte) {
	resp, err := c.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("HTTP %d", resp.StatusCode)
	}
}

// BenchmarkGetState measures supervisor.getState end to end (HTTP/1.1
// keep-alive over the unix socket, XML-RPC codec, in-process gRPC call,
// core) with concurrent clients.
func BenchmarkGetState(b *testing.B) {
	d := startDaemon(b, "", false)
	d.HTTP.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getState")
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	testutil.ReportCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			benchPost(b, d.HTTP, body)
		}
	})
}

// BenchmarkGetAllProcessInfo1000 measures getAllProcessInfo with 1000
// configured processes, and reports the median and 99th percentile.
func BenchmarkGetAllProcessInfo1000(b *testing.B) {
	d := startDaemon(b, "[program:p]\ncommand=/bin/sleep 100000\nautostart=false\nnumprocs=1000\nprocess_name=%(program_name)s_%(process_num)04d\n", false)
	body, _ := xmlrpc.AppendCall(nil, "supervisor.getAllProcessInfo")
	// A first call waits for the daemon to open the 1000 processes' log
	// files (in the background after start-up), outside the measure.
	benchPost(b, d.HTTP, body)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	testutil.ReportCPU(b)
	for b.Loop() {
		start := time.Now()
		benchPost(b, d.HTTP, body)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// reportPercentiles reports the p50 and p99 of latencies in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

// BenchmarkEncodeProcessInfo1000 measures the translation alone:
// getAllProcessInfo's answer for 1000 processes (read from the wire form
// of ListProcesses) encoded as one response.
func BenchmarkEncodeProcessInfo1000(b *testing.B) {
	d := startDaemon(b, "[program:p]\ncommand=/bin/sleep 100000\nautostart=false\nnumprocs=1000\nprocess_name=%(program_name)s_%(process_num)04d\n", false)
	s := newService(d.Server.Endpoints()[0].ClientConn(), slog.New(slog.DiscardHandler))
	req, _ := http.NewRequest("POST", "/RPC2", nil)
	ctx := req.Context()
	v, err := s.dispatch(ctx, "supervisor.getAllProcessInfo", nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, ok := v.(wireInfoList); !ok {
		b.Fatalf("getAllProcessInfo returned %T, not the wire form", v)
	}
	buf, err := xmlrpc.AppendResponse(nil, v)
	if n := bytes.Count(buf, []byte("<struct>")); err != nil || n != 1000 {
		b.Fatalf("getAllProcessInfo encoded %d processes, %v", n, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf, err = xmlrpc.AppendResponse(buf[:0], v)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}
