package events

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// fakeClock is a settable clock whose timers fire when the test says so.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	armed  chan fakeTimer
	stops  int
	stopMu sync.Mutex
}

type fakeTimer struct {
	d time.Duration
	c chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, armed: make(chan fakeTimer, 16)}
}

func (f *fakeClock) set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

func (f *fakeClock) clock() clock {
	return clock{
		now: func() time.Time {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.now
		},
		timer: func(d time.Duration) (<-chan time.Time, func() bool) {
			c := make(chan time.Time, 1)
			f.armed <- fakeTimer{d, c}
			return c, func() bool {
				f.stopMu.Lock()
				f.stops++
				f.stopMu.Unlock()
				return true
			}
		},
	}
}

// waitArmed returns the next timer the ticker arms.
func (f *fakeClock) waitArmed(t *testing.T) fakeTimer {
	t.Helper()
	return testutil.Receive(t, f.armed, "the ticker to arm a timer")
}

// at returns the time sec seconds and ms milliseconds after the epoch.
func at(sec, ms int64) time.Time { return time.Unix(sec, ms*1e6) }

func TestTickerBoundaries(t *testing.T) {
	const base = 1795233600 // a multiple of 3600
	fc := newFakeClock(at(base+3597, 500))
	b := NewBus(100, nil)
	sub, _, _ := b.Subscribe(Filter{Types: []Type{TypeTick}}, nil, 100)
	stop := startTicker(b, fc.clock())
	defer stop()

	type tick struct {
		typ  Type
		when int64
	}
	expect := func(want ...tick) {
		t.Helper()
		for _, w := range want {
			e := next(t, sub).Event
			if e == nil || e.Type != w.typ || e.When != w.when {
				t.Fatalf("got %+v, want %s when:%d", e, w.typ, w.when)
			}
			if p := string(e.Payload()); p != "when:"+itoa(w.when) {
				t.Fatalf("payload %q", p)
			}
		}
		empty(t, sub)
	}

	// Nothing at start-up; the first timer is for the next 5 s boundary.
	ft := fc.waitArmed(t)
	if ft.d != 2500*time.Millisecond {
		t.Fatalf("first timer %v, want 2.5s", ft.d)
	}
	expect()
	if b.LastSerial() != 0 {
		t.Fatal("ticker published at start-up")
	}
	// The hour boundary is also a minute and 5 s boundary: three ticks,
	// in Supervisor's order, each with When = the boundary.
	fc.set(at(base+3600, 200))
	ft.c <- time.Time{}
	ft = fc.waitArmed(t)
	expect(tick{TypeTick5, base + 3600}, tick{TypeTick60, base + 3600}, tick{TypeTick3600, base + 3600})
	if ft.d != 4800*time.Millisecond {
		t.Fatalf("next timer %v, want 4.8s", ft.d)
	}
	fc.set(at(base+3605, 0))
	ft.c <- time.Time{}
	ft = fc.waitArmed(t)
	expect(tick{TypeTick5, base + 3605})
	if ft.d != 5*time.Second {
		t.Fatalf("timer %v, want 5s", ft.d)
	}
	// A timer that fires before the wall clock reached the boundary
	// publishes nothing and re-arms for the rest.
	fc.set(at(base+3609, 0))
	ft.c <- time.Time{}
	ft = fc.waitArmed(t)
	expect()
	if ft.d != time.Second {
		t.Fatalf("timer %v, want 1s", ft.d)
	}
	// Several periods skipped (e.g. a suspended machine): one tick each,
	// for the current boundary.
	fc.set(at(base+3725, 500))
	ft.c <- time.Time{}
	ft = fc.waitArmed(t)
	expect(tick{TypeTick5, base + 3725}, tick{TypeTick60, base + 3720})
	// The clock set back: Supervisor ticks for the earlier boundaries.
	fc.set(at(base+3590, 0))
	ft.c <- time.Time{}
	fc.waitArmed(t)
	expect(tick{TypeTick5, base + 3590}, tick{TypeTick60, base + 3540}, tick{TypeTick3600, base})

	stop()
	stop() // idempotent
	fc.stopMu.Lock()
	defer fc.stopMu.Unlock()
	if fc.stops != 1 {
		t.Fatalf("timer stopped %d times", fc.stops)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTimeslice(t *testing.T) {
	cases := []struct {
		period int64
		now    time.Time
		want   int64
	}{
		{5, at(1795236755, 300), 1795236755},
		{5, at(1795236759, 999), 1795236755},
		{60, at(1795236755, 300), 1795236720},
		{3600, at(1795236755, 300), 1795233600},
		{5, at(0, 0), 0},
	}
	for _, c := range cases {
		if got := timeslice(c.period, c.now); got != c.want {
			t.Errorf("timeslice(%d, %v) = %d, want %d", c.period, c.now, got, c.want)
		}
	}
}

// TestTickerRealTime waits for a real TICK_5 (about 5 s). Its boundary is
// the first after start-up unless the machine is so slow that the ticker
// wakes past a later one; either way it is a boundary after the start and
// not after the tick arrived.
func TestTickerRealTime(t *testing.T) {
	t.Parallel()
	b := NewBus(10, nil)
	sub, _, _ := b.Subscribe(Filter{Types: []Type{TypeTick5}}, nil, 10)
	start := time.Now()
	stop := StartTicker(b)
	defer stop()
	it, err := sub.Next(testutil.Context(t))
	if err != nil {
		t.Fatalf("no TICK_5 within %v: %v", testutil.Timeout, err)
	}
	arrived := time.Now()
	if e := it.Event; e.Type != TypeTick5 || e.When%5 != 0 || e.When <= timeslice(5, start) || e.When > timeslice(5, arrived) {
		t.Fatalf("got %s when:%d, started at %v, arrived at %v", e.Type, e.When, start, arrived)
	}
}
