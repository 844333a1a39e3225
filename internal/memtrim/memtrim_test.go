package memtrim

import (
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestTrimOncePerBurst checks that a burst of touches leads to one trim
// after the quiet period, that nothing stays armed after it, and that the
// next burst trims again.
func TestTrimOncePerBurst(t *testing.T) {
	var trims atomic.Int32
	tr := New(20*time.Millisecond, func() { trims.Add(1) })
	if tr.armed.Load() {
		t.Fatal("armed before any touch")
	}
	for range 100 {
		tr.Touch()
	}
	waitFor(t, "the first trim", func() bool { return trims.Load() == 1 })
	waitFor(t, "the timer to disarm", func() bool { return !tr.armed.Load() })
	if n := trims.Load(); n != 1 {
		t.Errorf("one burst trimmed %d times", n)
	}
	tr.Touch()
	waitFor(t, "the second trim", func() bool { return trims.Load() == 2 })
}

// TestTrimWaitsForQuiet checks that touches keep pushing the trim back:
// while touches come more often than the quiet period, no trim runs
// before the last touch is at least the quiet period old.
func TestTrimWaitsForQuiet(t *testing.T) {
	const quiet = 50 * time.Millisecond
	base := time.Now()
	var trimmedAt atomic.Int64
	tr := New(quiet, func() { trimmedAt.Store(int64(time.Since(base))) })
	var lastTouch time.Time
	for end := time.Now().Add(3 * quiet); time.Now().Before(end); {
		lastTouch = time.Now()
		tr.Touch()
		time.Sleep(quiet / 10)
	}
	waitFor(t, "the trim", func() bool { return trimmedAt.Load() != 0 })
	at := base.Add(time.Duration(trimmedAt.Load()))
	if at.Sub(lastTouch) < quiet {
		t.Errorf("trimmed %v after the last touch, before the quiet period %v", at.Sub(lastTouch), quiet)
	}
}
