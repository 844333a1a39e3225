package events

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func stateEvent(t Type, group, name string) Event {
	return Event{Type: t, State: &ProcessState{Process: name, Group: group, From: "STARTING", Pid: 1}}
}

// next reads one item with a deadline.
func next(t *testing.T, s *Subscription) Item {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
	defer cancel()
	it, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return it
}

// nextEvent reads one item and checks it is the event with this serial.
func nextEvent(t *testing.T, s *Subscription, serial uint64) *Event {
	t.Helper()
	it := next(t, s)
	if it.Event == nil || it.Event.Serial != serial {
		t.Fatalf("got %+v (gap %+v), want event %d", it.Event, it.Gap, serial)
	}
	return it.Event
}

// empty checks nothing is queued.
func empty(t *testing.T, s *Subscription) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if it, err := s.Next(ctx); err == nil {
		t.Fatalf("unexpected item: event %+v gap %+v", it.Event, it.Gap)
	}
}

func TestPublishAssignsSerialAndTime(t *testing.T) {
	b := NewBus(10, nil)
	if b.LastSerial() != 0 {
		t.Fatal("new bus has a serial")
	}
	before := time.Now()
	e := b.Publish(Event{Type: TypeSupervisorStateChangeRunning})
	if e.Serial != 1 || e.Time.Before(before) || e.Time.After(time.Now()) {
		t.Fatalf("first event: serial %d time %v", e.Serial, e.Time)
	}
	fixed := time.Unix(1000, 0)
	e = b.Publish(Event{Type: TypeTick5, Time: fixed, Serial: 77})
	if e.Serial != 2 || !e.Time.Equal(fixed) || b.LastSerial() != 2 {
		t.Fatalf("second event: serial %d time %v last %d", e.Serial, e.Time, b.LastSerial())
	}
}

func TestSerialsUnderConcurrentPublishers(t *testing.T) {
	const publishers, each = 8, 2000
	b := NewBus(0, nil)
	sub, _, _ := b.Subscribe(Filter{}, nil, publishers*each)
	var wg sync.WaitGroup
	returned := make([][]uint64, publishers)
	for i := 0; i < publishers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < each; j++ {
				returned[i] = append(returned[i], b.Publish(Event{Type: TypeTick5}).Serial)
			}
		}(i)
	}
	wg.Wait()
	seen := make(map[uint64]bool)
	for _, rs := range returned {
		for k, s := range rs {
			if seen[s] {
				t.Fatalf("serial %d returned twice", s)
			}
			seen[s] = true
			if k > 0 && s <= rs[k-1] {
				t.Fatalf("one publisher got %d after %d", s, rs[k-1])
			}
		}
	}
	// Delivered strictly increasing from 1, none missing.
	for want := uint64(1); want <= publishers*each; want++ {
		nextEvent(t, sub, want)
	}
	empty(t, sub)
	if sub.Dropped() != 0 {
		t.Fatalf("dropped %d", sub.Dropped())
	}
}

func TestFilter(t *testing.T) {
	evs := map[string]Event{
		"running a:a":   stateEvent(TypeProcessStateRunning, "a", "a"),
		"exited g:x":    stateEvent(TypeProcessStateExited, "g", "x"),
		"log g:y":       {Type: TypeProcessLogStdout, Output: &ProcessOutput{Process: "y", Group: "g", Channel: Stdout}},
		"tick":          {Type: TypeTick5, When: 5},
		"group added g": {Type: TypeProcessGroupAdded, Group: "g"},
		"remote":        {Type: TypeRemoteCommunication, Remote: &RemoteComm{Type: "t"}},
	}
	cases := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all", Filter{}, []string{"running a:a", "exited g:x", "log g:y", "tick", "group added g", "remote"}},
		{"base PROCESS_STATE", Filter{Types: []Type{TypeProcessState}}, []string{"running a:a", "exited g:x"}},
		{"concrete EXITED", Filter{Types: []Type{TypeProcessStateExited}}, []string{"exited g:x"}},
		{"EVENT", Filter{Types: []Type{TypeEvent}}, []string{"running a:a", "exited g:x", "log g:y", "tick", "group added g", "remote"}},
		{"two types", Filter{Types: []Type{TypeTick, TypeProcessLog}}, []string{"log g:y", "tick"}},
		{"unknown type only", Filter{Types: []Type{TypeUnknown}}, nil},
		{"process g:x", Filter{Processes: []string{"g:x"}}, []string{"exited g:x", "tick", "group added g", "remote"}},
		{"process name = name:name", Filter{Processes: []string{"a"}}, []string{"running a:a", "tick", "group added g", "remote"}},
		{"process name not in other group", Filter{Processes: []string{"x"}}, []string{"tick", "group added g", "remote"}},
		{"process g:*", Filter{Processes: []string{"g:*"}}, []string{"exited g:x", "log g:y", "tick", "group added g", "remote"}},
		{"group g", Filter{Groups: []string{"g"}}, []string{"exited g:x", "log g:y", "tick", "group added g", "remote"}},
		{"group a", Filter{Groups: []string{"a"}}, []string{"running a:a", "tick", "remote"}},
		{"type and group", Filter{Types: []Type{TypeProcessState}, Groups: []string{"g"}}, []string{"exited g:x"}},
		{"type and process", Filter{Types: []Type{TypeProcessGroup, TypeProcessLog}, Processes: []string{"g:y"}}, []string{"log g:y", "group added g"}},
	}
	for _, c := range cases {
		want := map[string]bool{}
		for _, w := range c.want {
			want[w] = true
		}
		for name, e := range evs {
			e := e
			if got := c.f.Match(&e); got != want[name] {
				t.Errorf("%s: Match(%s) = %v", c.name, name, got)
			}
		}
	}
	// A subscription applies its filter.
	b := NewBus(0, nil)
	sub, _, _ := b.Subscribe(Filter{Types: []Type{TypeProcessState}, Groups: []string{"g"}}, nil, 10)
	b.Publish(evs["running a:a"])
	b.Publish(evs["exited g:x"])
	b.Publish(evs["tick"])
	if e := nextEvent(t, sub, 2); e.Type != TypeProcessStateExited {
		t.Fatalf("got %s", e.Type)
	}
	empty(t, sub)
}

func TestReplayAfterSerial(t *testing.T) {
	b := NewBus(100, nil)
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			b.Publish(stateEvent(TypeProcessStateRunning, "g", "p"))
		} else {
			b.Publish(Event{Type: TypeTick5})
		}
	}
	after := uint64(4)
	sub, replay, last := b.Subscribe(Filter{Types: []Type{TypeProcessState}}, &after, 10)
	defer sub.Close()
	if last != 10 {
		t.Fatalf("last = %d", last)
	}
	var got []uint64
	for _, it := range replay {
		if it.Gap != nil {
			t.Fatalf("unexpected gap %+v", *it.Gap)
		}
		got = append(got, it.Event.Serial)
	}
	if len(got) != 3 || got[0] != 5 || got[1] != 7 || got[2] != 9 {
		t.Fatalf("replay serials %v, want [5 7 9]", got)
	}
	// No replay without after; nothing after the newest.
	_, replay, _ = b.Subscribe(Filter{}, nil, 1)
	if replay != nil {
		t.Fatalf("replay without after: %v", replay)
	}
	ten := uint64(10)
	_, replay, _ = b.Subscribe(Filter{}, &ten, 1)
	if replay != nil {
		t.Fatalf("replay after the newest: %v", replay)
	}
	// after = 0 replays everything retained.
	zero := uint64(0)
	_, replay, _ = b.Subscribe(Filter{}, &zero, 1)
	if len(replay) != 10 || replay[0].Event.Serial != 1 {
		t.Fatalf("replay from 0: %d items", len(replay))
	}
	// Live events follow.
	b.Publish(stateEvent(TypeProcessStateExited, "g", "p"))
	nextEvent(t, sub, 11)
}

func TestReplayGapNotRetained(t *testing.T) {
	b := NewBus(5, nil)
	for i := 0; i < 12; i++ {
		b.Publish(Event{Type: TypeTick5})
	}
	// Retained: 8..12.
	after := uint64(3)
	_, replay, last := b.Subscribe(Filter{}, &after, 10)
	if last != 12 || len(replay) != 6 {
		t.Fatalf("last %d, %d items", last, len(replay))
	}
	if g := replay[0].Gap; g == nil || *g != (Gap{First: 4, Last: 7, Cause: GapNotRetained}) {
		t.Fatalf("first item %+v, want gap 4..7 not retained", replay[0])
	}
	for i, it := range replay[1:] {
		if it.Event == nil || it.Event.Serial != uint64(8+i) {
			t.Fatalf("item %d: %+v", i+1, it)
		}
	}
	// Exactly at the window: no gap.
	after = 7
	if _, replay, _ = b.Subscribe(Filter{}, &after, 10); replay[0].Gap != nil || len(replay) != 5 {
		t.Fatalf("after 7: %+v", replay)
	}
	// No retention: everything is a gap.
	b0 := NewBus(0, nil)
	b0.Publish(Event{Type: TypeTick5})
	b0.Publish(Event{Type: TypeTick5})
	zero := uint64(0)
	_, replay, _ = b0.Subscribe(Filter{}, &zero, 10)
	if len(replay) != 1 || *replay[0].Gap != (Gap{First: 1, Last: 2, Cause: GapNotRetained}) {
		t.Fatalf("retain 0: %+v", replay)
	}
}

func TestSlowSubscriberGap(t *testing.T) {
	b := NewBus(0, nil)
	slow, _, _ := b.Subscribe(Filter{}, nil, 10)
	fast, _, _ := b.Subscribe(Filter{}, nil, 2000)
	// The slow subscriber never reads while 1000 events are published:
	// Publish must not block on it.
	done := make(chan struct{})
	go func() {
		for i := 0; i < 1000; i++ {
			b.Publish(Event{Type: TypeTick5})
		}
		close(done)
	}()
	testutil.Receive(t, done, "Publish to return with a subscriber that does not read")
	if slow.Dropped() != 990 || fast.Dropped() != 0 {
		t.Fatalf("dropped: slow %d fast %d", slow.Dropped(), fast.Dropped())
	}
	for s := uint64(1); s <= 10; s++ {
		nextEvent(t, slow, s)
	}
	// The queue is drained: the gap comes now, before any later event.
	it := next(t, slow)
	if it.Gap == nil || *it.Gap != (Gap{First: 11, Last: 1000, Cause: GapSlowSubscriber}) {
		t.Fatalf("got %+v, want one gap 11..1000", it)
	}
	empty(t, slow)
	b.Publish(Event{Type: TypeTick5})
	nextEvent(t, slow, 1001)
	for s := uint64(1); s <= 1001; s++ {
		nextEvent(t, fast, s)
	}

	// Overflow again, then publish while items are still queued: the gap
	// is queued in order, right before the next delivered event.
	for i := 0; i < 15; i++ {
		b.Publish(Event{Type: TypeTick5}) // 1002..1016: 1002..1011 fit
	}
	for s := uint64(1002); s <= 1006; s++ {
		nextEvent(t, slow, s)
	}
	b.Publish(Event{Type: TypeTick5}) // 1017 fits again, after the gap
	for s := uint64(1007); s <= 1011; s++ {
		nextEvent(t, slow, s)
	}
	it = next(t, slow)
	if it.Gap == nil || *it.Gap != (Gap{First: 1012, Last: 1016, Cause: GapSlowSubscriber}) {
		t.Fatalf("got %+v, want gap 1012..1016", it)
	}
	nextEvent(t, slow, 1017)
	empty(t, slow)
	if slow.Dropped() != 995 {
		t.Fatalf("dropped %d", slow.Dropped())
	}
	// The bus's counters (the metrics): every publication, delivery,
	// drop and gap of both subscribers.
	if st := b.Stats(); st != (Stats{Published: 1017, Delivered: 22 + 1001, Dropped: 995, Gaps: 2, Subscribers: 2}) {
		t.Fatalf("Stats = %+v", st)
	}
}

// TestSubscribeAtomic subscribes while publishers run: replay plus live
// must be every serial exactly once, in order.
func TestSubscribeAtomic(t *testing.T) {
	const publishers, each = 4, 3000
	total := uint64(publishers * each)
	for round := 0; round < 5; round++ {
		b := NewBus(int(total), nil)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < publishers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for j := 0; j < each; j++ {
					b.Publish(Event{Type: TypeTick5})
				}
			}()
		}
		close(start)
		// Subscribe at a different point of the stream each round.
		for b.LastSerial() < uint64(round+1)*total/8 {
			runtime.Gosched()
		}
		zero := uint64(0)
		sub, replay, last := b.Subscribe(Filter{}, &zero, int(total))
		want := uint64(1)
		for _, it := range replay {
			if it.Event == nil || it.Event.Serial != want {
				t.Fatalf("round %d: replay item %+v, want serial %d", round, it, want)
			}
			want++
		}
		if want != last+1 {
			t.Fatalf("round %d: replay ended at %d, last %d", round, want-1, last)
		}
		for want <= total {
			nextEvent(t, sub, want)
			want++
		}
		wg.Wait()
		empty(t, sub)
		sub.Close()
	}
}

func TestSubscriptionClose(t *testing.T) {
	b := NewBus(0, nil)
	sub, _, _ := b.Subscribe(Filter{}, nil, 10)
	b.Publish(Event{Type: TypeTick5})
	// Next waits until ctx is done.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	nextEvent(t, sub, 1)
	if _, err := sub.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on empty: %v", err)
	}
	cancel()
	// Close wakes a waiting Next.
	errc := make(chan error, 1)
	go func() {
		_, err := sub.Next(context.Background())
		errc <- err
	}()
	sub.Close()
	if err := testutil.Receive(t, errc, "Close to wake Next"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next after Close: %v", err)
	}
	b.Publish(Event{Type: TypeTick5})
	if _, err := sub.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed subscription got %v", err)
	}
	sub.Close() // twice is fine
}

func TestBusClose(t *testing.T) {
	b := NewBus(10, nil)
	sub, _, _ := b.Subscribe(Filter{}, nil, 10)
	var sunk []uint64
	remove := b.addSink(Filter{Types: []Type{TypeTick}}, func(e *Event) { sunk = append(sunk, e.Serial) })
	b.Publish(Event{Type: TypeTick5})
	b.Publish(Event{Type: TypeSupervisorStateChangeStopping})
	b.Close()
	// Queued items still come, then ErrClosed.
	nextEvent(t, sub, 1)
	nextEvent(t, sub, 2)
	if _, err := sub.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("after bus Close: %v", err)
	}
	later, _, _ := b.Subscribe(Filter{}, nil, 10)
	if _, err := later.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("subscription after Close: %v", err)
	}
	// Sinks keep working; remove stops them.
	b.Publish(Event{Type: TypeTick60})
	remove()
	b.Publish(Event{Type: TypeTick60})
	if len(sunk) != 2 || sunk[0] != 1 || sunk[1] != 3 {
		t.Fatalf("sink got %v, want [1 3]", sunk)
	}
}

// remoteOf returns a REMOTE_COMMUNICATION event with n bytes of data.
func remoteOf(n int) Event {
	return Event{Type: TypeRemoteCommunication, Remote: &RemoteComm{Type: "t", Data: strings.Repeat("d", n)}}
}

// TestRetainedBytes: the retained events are bounded by bytes as well as
// by count; a resume from a serial that fell off the byte bound gets the
// explicit gap, and the newest event is kept whatever its size.
func TestRetainedBytes(t *testing.T) {
	b := NewBus(10000, nil, RetainBytes(10<<20))
	for i := 0; i < 50; i++ {
		b.Publish(remoteOf(1 << 20))
	}
	n, size := b.Retained()
	if size > 10<<20 || n != 9 {
		t.Fatalf("retained %d events of %d bytes; want 9 within 10 MiB", n, size)
	}
	after := uint64(10)
	_, replay, last := b.Subscribe(Filter{}, &after, 10)
	if last != 50 || len(replay) != 10 {
		t.Fatalf("last %d, %d items", last, len(replay))
	}
	if g := replay[0].Gap; g == nil || *g != (Gap{First: 11, Last: 41, Cause: GapNotRetained}) {
		t.Fatalf("first item %+v, want gap 11..41 not retained", replay[0])
	}
	// Small events fit by the thousand; one bigger than the bound is
	// still the newest retained.
	for i := 0; i < 1000; i++ {
		b.Publish(Event{Type: TypeTick5})
	}
	if n, _ := b.Retained(); n != 1000+9 {
		t.Fatalf("%d retained after 1000 ticks", n)
	}
	b.Publish(remoteOf(11 << 20))
	if n, size := b.Retained(); n != 1 || size < 11<<20 {
		t.Fatalf("retained %d (%d bytes) after an event above the bound", n, size)
	}
}

// TestSubscriptionQueueBytes: a subscriber that does not read big events
// gets a slow-subscriber gap once its queue holds QueueBytes, long before
// its queue length.
func TestSubscriptionQueueBytes(t *testing.T) {
	b := NewBus(0, nil)
	sub, _, _ := b.Subscribe(Filter{}, nil, 1000)
	defer sub.Close()
	for i := 0; i < 20; i++ {
		b.Publish(remoteOf(1 << 20))
	}
	if sub.Dropped() == 0 {
		t.Fatal("20 MiB queued for one subscriber")
	}
	var events int
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		it, err := sub.Next(ctx)
		cancel()
		if err != nil {
			break
		}
		if it.Gap != nil {
			if it.Gap.Cause != GapSlowSubscriber || it.Gap.Last != 20 {
				t.Fatalf("gap %+v", *it.Gap)
			}
			continue
		}
		events++
	}
	if int64(events)*(1<<20) > QueueBytes {
		t.Fatalf("%d events of 1 MiB were queued; the bound is %d bytes", events, QueueBytes)
	}
}
