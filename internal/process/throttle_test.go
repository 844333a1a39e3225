package process

import (
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestRestartBudget walks the token bucket on a made-up clock: a burst of
// immediate restarts, then one per interval, and the burst earned back by
// a program that stays up.
func TestRestartBudget(t *testing.T) {
	b := newRestartBudget(3, time.Second)
	now := time.Unix(1000, 0)
	for i := range 3 {
		if d := b.delay(now); d != 0 {
			t.Fatalf("restart %d of the burst waits %v", i+1, d)
		}
		b.spend(now)
	}
	if d := b.delay(now); d != time.Second {
		t.Fatalf("the restart after the burst waits %v, want 1s", d)
	}
	if !b.startThrottling() || b.startThrottling() {
		t.Fatal("a throttling episode must be reported exactly once")
	}
	now = now.Add(400 * time.Millisecond)
	if d := b.delay(now); d != 600*time.Millisecond {
		t.Fatalf("0.4 s later the restart waits %v, want 600ms", d)
	}
	now = now.Add(600 * time.Millisecond)
	b.spend(now)
	if d := b.delay(now); d != time.Second {
		t.Fatalf("right after a throttled restart the next waits %v, want 1s", d)
	}
	// Up for a long time: the whole burst is back, and a new episode is
	// reported again.
	now = now.Add(time.Hour)
	for i := range 3 {
		if d := b.delay(now); d != 0 {
			t.Fatalf("restart %d of the earned-back burst waits %v", i+1, d)
		}
		b.spend(now)
	}
	if b.delay(now) == 0 || !b.startThrottling() {
		t.Fatal("the second episode must throttle and be reported")
	}

	off := newRestartBudget(0, 0)
	for range 100 {
		if d := off.delay(now); d != 0 {
			t.Fatalf("restart_interval=0 throttled a restart by %v", d)
		}
		off.spend(now)
	}
}

// TestCrashLoopIsThrottled runs a program that exits at once with
// startsecs=0 and autorestart=true: after the burst its restarts are
// spaced by the interval. The bound is an upper one (burst, plus the
// first start, plus one per interval of the observed time), which a
// loaded machine only makes easier to meet; without the floor the program
// spawns hundreds of times in that time.
func TestCrashLoopIsThrottled(t *testing.T) {
	const burst, interval = 3, 100 * time.Millisecond
	p, rec := newProc(t, "/bin/true", func(c *config.ProcessConfig) {
		c.Autorestart = config.AutorestartAlways
		c.RestartBurst = burst
		c.RestartInterval = interval
	})
	begin := time.Now()
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	spawns := func() int {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		n := 0
		for _, c := range rec.changes {
			if c.To == Starting {
				n++
			}
		}
		return n
	}
	testutil.Eventually(t, "ten spawns", func() bool { return spawns() >= 10 })
	n, elapsed := spawns(), time.Since(begin)
	if limit := 1 + burst + int(elapsed/interval) + 1; n > limit {
		t.Fatalf("%d spawns in %v, want at most %d (burst %d, one per %v)", n, elapsed, limit, burst, interval)
	}
	if got := strings.Count(rec.logs.String(), "automatic restarts are throttled"); got != 1 {
		t.Fatalf("throttling reported %d times, want once:\n%s", got, rec.logs.String())
	}
	// A stop while a restart is pending cancels it: STOPPED, no spawn
	// after it.
	testutil.Eventually(t, "a pending restart", p.RestartPending)
	if err := p.Stop(); err != nil {
		t.Fatalf("stop during a pending restart: %v", err)
	}
	waitState(t, p, Stopped)
	p.mu.Lock()
	armed := p.timer != nil
	p.mu.Unlock()
	if p.RestartPending() || armed {
		t.Fatal("the stop left the restart pending")
	}
}
