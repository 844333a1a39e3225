package testutil

import (
	"syscall"
	"testing"
	"time"
)

// ReportCPU makes benchmark b report the CPU time (user and system, every
// thread of the test process) per operation as "cpu-µs/op", measured from
// this call (or b's last timer reset, whichever is later) to the end of
// the benchmark. Unlike ns/op it does not grow when other processes load
// the machine, so before/after comparisons on a busy machine use it. Call
// it after the benchmark's set-up.
func ReportCPU(b *testing.B) {
	b.Helper()
	start := processCPU()
	b.Cleanup(func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
		}
	})
}

// processCPU returns the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// evictBuf is the memory EvictCaches writes through.
var evictBuf []byte

// EvictCaches writes through 64 MiB of memory, so that what a benchmark
// reads next comes from memory, as in a daemon whose caches its clients'
// work has flushed between two calls, rather than from the CPU caches.
// Call it with the benchmark's timer stopped.
func EvictCaches() {
	if evictBuf == nil {
		evictBuf = make([]byte, 64<<20)
	}
	for i := 0; i < len(evictBuf); i += 64 {
		evictBuf[i]++
	}
}
