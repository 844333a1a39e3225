package logs

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// benchBytes is how much the child writes per benchmark iteration
// (GSV_BENCH_BYTES overrides; the targets are stated for 1 GiB).
func benchBytes() int64 {
	if s := os.Getenv("GSV_BENCH_BYTES"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	return 1 << 30
}

// benchDir returns a fresh directory for one run, under GSV_BENCH_DIR if set
// (e.g. /dev/shm to take the disk out of the measurement).
func benchDir(b *testing.B) string {
	base := os.Getenv("GSV_BENCH_DIR")
	if base == "" {
		return b.TempDir()
	}
	dir, err := os.MkdirTemp(base, "gsv-logs-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// benchChunk is the size of the child's writes (GSV_BENCH_CHUNK overrides
// the default 1 MiB).
func benchChunk() int64 {
	if s := os.Getenv("GSV_BENCH_CHUNK"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 1 << 20
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs one transfer per iteration and reports MiB/s and daemon
// CPU-seconds per GiB.
func measure(b *testing.B, total int64, run func(dir string)) {
	b.SetBytes(total)
	var wall, cpu time.Duration
	for i := 0; i < b.N; i++ {
		dir := benchDir(b)
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		run(dir)
		wall += time.Since(t0)
		cpu += cpuTime() - c0
		b.StopTimer()
		os.RemoveAll(dir)
	}
	gib := float64(total*int64(b.N)) / (1 << 30)
	b.ReportMetric(gib*1024/wall.Seconds(), "MiB/s")
	b.ReportMetric(cpu.Seconds()/gib, "cpu-s/GiB")
}

// BenchmarkCapture: one child writes as fast as it can (1 MiB writes) into a
// rotating log (Supervisor's defaults: 50 MB, 10 backups).
func BenchmarkCapture(b *testing.B) {
	total := benchBytes()
	cases := []struct {
		name      string
		opts      CaptureOptions
		followers int
	}{
		{"splice", CaptureOptions{}, 0},
		{"readwrite", CaptureOptions{OnLog: func([]byte) {}}, 0},
		{"splice-100-followers", CaptureOptions{}, 100},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.StopTimer()
			var chunks, gaps, bytesSeen atomic.Int64
			measure(b, total, func(dir string) {
				f, err := OpenFile(FileConfig{Path: filepath.Join(dir, "out.log"), MaxBytes: 50 << 20, Backups: 10})
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				var wg sync.WaitGroup
				for i := 0; i < tc.followers; i++ {
					fl := f.Follow(1024)
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer fl.Close()
						for {
							c, err := fl.Next(ctx)
							if err != nil {
								return
							}
							chunks.Add(1)
							gaps.Add(c.Gap)
							bytesSeen.Add(int64(len(c.Data)))
						}
					}()
				}
				c := startChild(b, fmt.Sprintf("zeros:%d:%d", total, benchChunk()))
				st, err := Capture(context.Background(), c.r, f, tc.opts)
				if err != nil || st.Logged != total {
					b.Fatalf("%v %+v", err, st)
				}
				c.wait(b)
				cancel()
				wg.Wait()
				f.Close()
			})
			if tc.followers > 0 {
				b.ReportMetric(float64(bytesSeen.Load())/float64(b.N)/(1<<20)/float64(tc.followers), "MiB-read/follower")
			}
		})
	}
}

// BenchmarkPipeToFile is the baseline: the same child, and the simplest
// possible copy from the pipe to a file (no rotation, no bookkeeping).
func BenchmarkPipeToFile(b *testing.B) {
	total := benchBytes()
	for _, mode := range []string{"readwrite", "splice"} {
		b.Run(mode, func(b *testing.B) {
			b.StopTimer()
			measure(b, total, func(dir string) {
				out, err := os.Create(filepath.Join(dir, "out.log"))
				if err != nil {
					b.Fatal(err)
				}
				defer out.Close()
				c := startChild(b, fmt.Sprintf("zeros:%d:%d", total, benchChunk()))
				var n int64
				if mode == "readwrite" {
					buf := make([]byte, 1<<20)
					n, err = io.CopyBuffer(struct{ io.Writer }{out}, struct{ io.Reader }{c.r}, buf)
				} else {
					rc, _ := c.r.SyscallConn()
					ofd := int(out.Fd())
					var off int64
					var serr error
					for serr == nil {
						eof := false
						err = rc.Read(func(fd uintptr) bool {
							m, e := unix.Splice(int(fd), nil, ofd, &off, 1<<20, unix.SPLICE_F_NONBLOCK|unix.SPLICE_F_MOVE)
							switch {
							case e == unix.EAGAIN:
								return false
							case e != nil:
								serr = e
							case m == 0:
								eof = true
							}
							n += m
							return true
						})
						if eof || err != nil {
							break
						}
					}
					if serr != nil {
						err = serr
					}
				}
				if err != nil || n != total {
					b.Fatalf("%d %v", n, err)
				}
				c.wait(b)
			})
		})
	}
}

// BenchmarkManyChildren: 100 children each write 4 KiB every 2 ms (2 MiB/s,
// 200 MiB/s in all) into their own rotating logs. Each child checks the fill
// of its pipe before every write: full-writes counts the writes that found
// too little room (they would block because the daemon is behind);
// max-fill-% is the fullest any pipe got (in % of a default 64 KiB pipe); worst-write-ms is the slowest
// write(2) (includes plain CPU starvation of the child on a busy machine).
func BenchmarkManyChildren(b *testing.B) {
	const children, chunk, every = 100, 4096, 2000 // µs
	perChild := int64(4 << 20)
	var (
		mu                      sync.Mutex
		worst                   time.Duration
		maxFill, capacity, full int
	)
	var wall, cpu time.Duration
	for i := 0; i < b.N; i++ {
		dir := benchDir(b)
		var wg sync.WaitGroup
		errs := make(chan error, 2*children)
		t0, c0 := time.Now(), cpuTime()
		for k := 0; k < children; k++ {
			f, err := OpenFile(FileConfig{Path: filepath.Join(dir, fmt.Sprintf("p%d.log", k)), MaxBytes: 50 << 20, Backups: 10})
			if err != nil {
				b.Fatal(err)
			}
			r, w, _ := os.Pipe()
			cmd := newHelperCmd(fmt.Sprintf("paced:%d:%d:%d", perChild, chunk, every))
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = w, &stderr
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			w.Close()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer f.Close()
				defer r.Close()
				if _, err := Capture(context.Background(), r, f, CaptureOptions{}); err != nil {
					errs <- err
				}
				if err := cmd.Wait(); err != nil {
					errs <- err
					return
				}
				var us int64
				var fill, c, n int
				if _, err := fmt.Sscan(stderr.String(), &us, &fill, &c, &n); err != nil {
					errs <- fmt.Errorf("child said %q: %w", stderr.String(), err)
					return
				}
				mu.Lock()
				worst = max(worst, time.Duration(us)*time.Microsecond)
				maxFill, capacity, full = max(maxFill, fill), c, full+n
				mu.Unlock()
			}()
		}
		wg.Wait()
		wall += time.Since(t0)
		cpu += cpuTime() - c0
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	b.ReportMetric(cpu.Seconds()/wall.Seconds()*100, "daemon-cpu-%")
	b.ReportMetric(cpu.Seconds()/float64(int64(b.N)*children*perChild)*(1<<30), "cpu-s/GiB")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-write-ms")
	b.ReportMetric(float64(maxFill)*100/float64(max(capacity, 1)), "max-fill-%")
	b.ReportMetric(float64(full), "full-writes")
}

func newHelperCmd(mode string) *exec.Cmd {
	c := exec.Command(os.Args[0])
	c.Env = append(os.Environ(), "GSV_LOGS_HELPER="+mode)
	return c
}

// BenchmarkIdleCaptures reports the memory one idle capture costs (heap and
// goroutine stack, after a GC): 1000 captures, each with its File, waiting
// on an empty pipe.
func BenchmarkIdleCaptures(b *testing.B) {
	const n = 1000
	dir := benchDir(b)
	var perHeap, perStack float64
	for i := 0; i < b.N; i++ {
		inuse := func() (uint64, uint64) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return ms.HeapInuse, ms.StackInuse
		}
		heap0, stack0 := inuse()
		var wg sync.WaitGroup
		writers := make([]*os.File, n)
		files := make([]*File, n)
		for k := range writers {
			r, w, err := os.Pipe()
			if err != nil {
				b.Fatal(err)
			}
			f, err := OpenFile(FileConfig{Path: filepath.Join(dir, fmt.Sprintf("%d-%d.log", i, k)), MaxBytes: 50 << 20, Backups: 10})
			if err != nil {
				b.Fatal(err)
			}
			writers[k], files[k] = w, f
			wg.Add(1)
			go func() {
				defer wg.Done()
				Capture(context.Background(), r, f, CaptureOptions{})
				r.Close()
				f.Close()
			}()
			w.WriteString("started\n")
		}
		for _, f := range files {
			for f.Stats().Written != 8 {
				time.Sleep(time.Millisecond)
			}
		}
		heap1, stack1 := inuse()
		perHeap = float64(heap1-heap0) / n
		perStack = float64(stack1-stack0) / n
		for _, w := range writers {
			w.Close()
		}
		wg.Wait()
	}
	b.ReportMetric(perHeap, "heap-bytes/idle-capture")
	b.ReportMetric(perStack, "stack-bytes/idle-capture")
}
