package events

import (
	"sync"
	"time"
)

// tickPeriods are the TICK periods in seconds, in the order Supervisor
// emits them when several boundaries pass at once.
var tickPeriods = [...]struct {
	period int64
	typ    Type
}{
	{5, TypeTick5},
	{60, TypeTick60},
	{3600, TypeTick3600},
}

// clock is what the ticker needs from time; tests inject a fake one.
type clock struct {
	now func() time.Time
	// timer returns a channel that receives once after d, and a function
	// that stops it.
	timer func(d time.Duration) (<-chan time.Time, func() bool)
}

var realClock = clock{
	now: time.Now,
	timer: func(d time.Duration) (<-chan time.Time, func() bool) {
		t := time.NewTimer(d)
		return t.C, t.Stop
	},
}

// timeslice is Supervisor's int(now - now % period): the start of the
// period now falls in, in Unix seconds.
func timeslice(period int64, now time.Time) int64 {
	s := now.Unix()
	m := s % period
	if m < 0 {
		m += period
	}
	return s - m
}

// StartTicker publishes TICK_5, TICK_60 and TICK_3600 on b whenever the
// period boundary changes, as Supervisor does: none at start-up, the first
// at the first boundary after start, each with When set to the boundary.
// It sleeps on a timer until the next boundary (no polling). stop stops it
// and waits for it to finish.
func StartTicker(b *Bus) (stop func()) {
	return startTicker(b, realClock)
}

func startTicker(b *Bus, c clock) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var last [len(tickPeriods)]int64
	now := c.now()
	for i, tp := range tickPeriods {
		last[i] = timeslice(tp.period, now)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			// Sleep until the nearest next boundary.
			next := last[0] + tickPeriods[0].period
			for i, tp := range tickPeriods {
				if n := last[i] + tp.period; n < next {
					next = n
				}
			}
			d := time.Unix(next, 0).Sub(now)
			if d < 0 {
				d = 0
			}
			fired, stopTimer := c.timer(d)
			select {
			case <-done:
				stopTimer()
				return
			case <-fired:
			}
			now = c.now()
			for i, tp := range tickPeriods {
				// Any change counts, as in Supervisor: a clock set back
				// gives a tick for the earlier boundary.
				if ts := timeslice(tp.period, now); ts != last[i] {
					last[i] = ts
					b.Publish(Event{Type: tp.typ, When: ts})
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}
