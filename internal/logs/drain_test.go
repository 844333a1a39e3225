package logs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// drainers are Drain's two drivers: the poller, and the goroutine it falls
// back to when the poller refuses the pipe.
var drainers = []struct {
	name string
	opts CaptureOptions
}{
	{"poller", CaptureOptions{}},
	{"fallback", CaptureOptions{withoutPoller: true}},
}

// drainResult is what Drain's done reported.
type drainResult struct {
	st  CaptureStats
	err error
}

// drain runs Drain on src into dst and returns the channel of its result;
// the test fails if done is called twice.
func drain(t *testing.T, src *os.File, dst *File, opts CaptureOptions) <-chan drainResult {
	t.Helper()
	out := make(chan drainResult, 2)
	Drain(src, dst, opts, func(st CaptureStats, err error) { out <- drainResult{st, err} })
	return out
}

// result waits for Drain's result, checks that it came once and that src
// was closed before.
func result(t *testing.T, ch <-chan drainResult, src *os.File) drainResult {
	t.Helper()
	var r drainResult
	r = testutil.Receive(t, ch, "Drain to finish")
	if _, err := src.Stat(); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("src not closed when done was called: %v", err)
	}
	select {
	case <-ch:
		t.Fatal("done called twice")
	default:
	}
	return r
}

// TestDrainDrivers: both drivers of Drain log the same bytes, deliver the
// same messages and callbacks, and account for everything; one writes a
// stream of several MB, the other protocol pieces split across reads.
func TestDrainDrivers(t *testing.T) {
	for _, d := range drainers {
		t.Run(d.name+"/stream", func(t *testing.T) {
			const total, seed = 8 << 20, 7
			path := filepath.Join(t.TempDir(), "out.log")
			f, err := OpenFile(FileConfig{Path: path, MaxBytes: 1 << 20, Backups: 20})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			c := startChild(t, fmt.Sprintf("stream:%d:%d:%d", total, seed, 4096))
			r := result(t, drain(t, c.r, f, d.opts), c.r)
			c.wait(t)
			if r.err != nil {
				t.Fatal(r.err)
			}
			checkInvariant(t, r.st)
			if r.st.Read != total || r.st.Logged != total {
				t.Fatalf("read %d logged %d, want %d", r.st.Read, r.st.Logged, total)
			}
			if sum, n, _ := concatSum(t, path, 20); n != total || sum != streamSum(total, seed) {
				t.Fatalf("files hold %d bytes (sha256 %s), want the %d-byte stream", n, sum, total)
			}
		})
		t.Run(d.name+"/exited", func(t *testing.T) {
			// The child has written everything and is gone before Drain
			// starts: the pump stops at its last, short read, and the
			// end of file must still be seen when the poller is rearmed.
			path, f, c := exitedWriter(t)
			r := result(t, drain(t, c.r, f, d.opts), c.r)
			if r.err != nil {
				t.Fatal(r.err)
			}
			checkExitedLog(t, path, r.st)
		})
		t.Run(d.name+"/protocol", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.log")
			f, err := OpenFile(FileConfig{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, w, _ := os.Pipe()
			var mu sync.Mutex
			var msgs, events []string
			opts := d.opts
			opts.StripANSI = true
			opts.CaptureMaxBytes = 1 << 20
			opts.OnCommunication = func(m []byte) { mu.Lock(); msgs = append(msgs, string(m)); mu.Unlock() }
			opts.OnLog = func(d []byte) { mu.Lock(); events = append(events, string(d)); mu.Unlock() }
			done := drain(t, r, f, opts)
			steps := []string{"line1\x1b[3", "1m\n<!--XSUPER", "VISOR:BEGIN-->{\"k\":", "1}<!--XSUPERVISOR:E", "ND-->line2\n"}
			for _, s := range steps {
				w.WriteString(s)
				// Wait until this write was read, so that the next one
				// arrives in a separate read.
				testutil.Eventually(t, "capture progress", func() bool { return pipeLen(t, r) == 0 })
			}
			w.Close()
			res := result(t, done, r)
			if res.err != nil {
				t.Fatal(res.err)
			}
			checkInvariant(t, res.st)
			got, _ := os.ReadFile(path)
			if string(got) != "line1\nline2\n" {
				t.Fatalf("log %q", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(msgs) != 1 || msgs[0] != `{"k":1}` {
				t.Fatalf("msgs %q", msgs)
			}
			if strings.Join(events, "") != "line1\n{\"k\":1}line2\n" {
				t.Fatalf("events %q", events)
			}
		})
	}
}
