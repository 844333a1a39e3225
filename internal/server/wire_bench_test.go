package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// BenchmarkEncodeProcessList1000 measures the wire encoding of 1000
// running processes' snapshots, with the CPU caches flushed before each
// encoding as the client's work between two calls flushes them in the
// daemon.
func BenchmarkEncodeProcessList1000(b *testing.B) {
	infos := make([]supervisor.ProcessInfo, 1000)
	now := time.Now()
	var keep [][]byte
	for k := range infos {
		name := fmt.Sprintf("p_%04d", k)
		infos[k] = supervisor.ProcessInfo{
			Info: process.Info{
				Name: name, Group: "p", State: process.Running, Start: now.Add(-time.Hour), Now: now,
				Pid: 10000 + k, Description: fmt.Sprintf("pid %d, uptime 1:00:00", 10000+k), Spawns: 1,
			},
			StdoutLogfile: fmt.Sprintf("/var/log/supervisor/%s-stdout---supervisor-%08d.log", name, k),
			StderrLogfile: fmt.Sprintf("/var/log/supervisor/%s-stderr---supervisor-%08d.log", name, k),
			StdoutStats:   &logs.Stats{Written: 1234},
			StderrStats:   &logs.Stats{},
		}
		keep = append(keep, make([]byte, 2048)) // spread the strings as a daemon's heap does
	}
	_ = keep
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		testutil.EvictCaches()
		b.StartTimer()
		buf = appendProcessList(buf[:0], infos)
	}
	b.ReportMetric(float64(len(buf)), "bytes")
}
