package events

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultQueue is the queue length Subscribe uses when asked for less than
// one.
const DefaultQueue = 256

// QueueBytes bounds the total size (Event.Size) of the events one
// subscription holds: a subscriber that lets more pile up gets a Gap, as
// for the count, so that slow subscribers of big events cost a bounded
// amount of memory each.
const QueueBytes = 4 << 20

// MaxRemotePayload is the largest REMOTE_COMMUNICATION payload (type and
// data together) SendRemoteComm accepts: 4.2.5 has no limit, but every
// event is retained and queued, so one client could otherwise make the
// daemon hold gigabytes.
const MaxRemotePayload = 1 << 20

// ErrClosed is returned by Subscription.Next once the subscription (or its
// bus) is closed and every queued item has been read.
var ErrClosed = errors.New("event subscription closed")

// GapCause tells why a subscriber missed events.
type GapCause int

// The gap causes.
const (
	// GapNotRetained: the requested serials are older than the oldest
	// retained event.
	GapNotRetained GapCause = iota + 1
	// GapSlowSubscriber: the subscriber's queue overflowed.
	GapSlowSubscriber
)

// String returns "not retained" or "slow subscriber".
func (c GapCause) String() string {
	switch c {
	case GapNotRetained:
		return "not retained"
	case GapSlowSubscriber:
		return "slow subscriber"
	}
	return "unknown"
}

// Gap is a range of serials a subscriber did not receive. Events in the
// range that did not match the subscriber's filter were not missed, but a
// gap does not say which ones did.
type Gap struct {
	// First and Last bound the range (inclusive).
	First, Last uint64
	// Cause is why the range was missed.
	Cause GapCause
}

// Item is one element of a subscription: exactly one of Event and Gap is
// set. Events are shared between subscribers and must not be modified.
type Item struct {
	// Event is a delivered event.
	Event *Event
	// Gap is a range of missed events.
	Gap *Gap
}

// Filter selects events. Each non-empty part must match.
type Filter struct {
	// Types lists event types; base types match their descendants. Empty
	// matches every type.
	Types []Type
	// Processes lists namespecs: "group:name", "group:*", or "name" (the
	// process name in the group of the same name, as Supervisor resolves
	// it). Empty matches every process; events that concern no process
	// pass.
	Processes []string
	// Groups lists group names. Empty matches every group; events that
	// concern no group pass.
	Groups []string
}

// Match reports whether the filter selects e.
func (f Filter) Match(e *Event) bool {
	m := compileFilter(f)
	return m.match(e)
}

// matcher is a compiled Filter.
type matcher struct {
	types     uint64 // bit per concrete type; 0 means all
	procs     map[[2]string]bool
	wholeGrps map[string]bool // "group:*" entries of Processes
	groups    map[string]bool
}

func compileFilter(f Filter) matcher {
	var m matcher
	for _, want := range f.Types {
		for t := TypeEvent; t < numTypes; t++ {
			if t.Is(want) {
				m.types |= 1 << uint(t)
			}
		}
	}
	if len(f.Types) > 0 && m.types == 0 {
		// Only unknown types were asked for: nothing matches.
		m.types = 1 << uint(TypeUnknown)
	}
	if len(f.Processes) > 0 {
		m.procs = make(map[[2]string]bool)
		m.wholeGrps = make(map[string]bool)
		for _, spec := range f.Processes {
			g, n, ok := strings.Cut(spec, ":")
			switch {
			case !ok:
				m.procs[[2]string{spec, spec}] = true
			case n == "*":
				m.wholeGrps[g] = true
			default:
				m.procs[[2]string{g, n}] = true
			}
		}
	}
	if len(f.Groups) > 0 {
		m.groups = make(map[string]bool, len(f.Groups))
		for _, g := range f.Groups {
			m.groups[g] = true
		}
	}
	return m
}

func (m *matcher) match(e *Event) bool {
	if m.types != 0 && (e.Type < 0 || e.Type >= numTypes || m.types&(1<<uint(e.Type)) == 0) {
		return false
	}
	if m.procs != nil {
		if g, p, ok := e.ProcessName(); ok && !m.procs[[2]string{g, p}] && !m.wholeGrps[g] {
			return false
		}
	}
	if m.groups != nil {
		if g, ok := e.GroupName(); ok && !m.groups[g] {
			return false
		}
	}
	return true
}

// sink is a synchronous consumer registered with addSink.
type sink struct {
	m  matcher
	fn func(*Event)
}

// Bus assigns every published event the next daemon-wide serial (from 1),
// keeps the last events for replay, and fans events out to subscriptions
// and sinks. Publish never blocks on a subscriber: each subscription has a
// bounded queue, and what does not fit is reported as a Gap.
type Bus struct {
	log         *slog.Logger
	retainBytes int64 // bound on ringBytes; 0 for none

	mu        sync.Mutex
	serial    uint64
	ring      []*Event // retained events, oldest at ring[head]
	head      int
	n         int
	ringBytes int64 // total Size of the retained events
	subs      []*Subscription
	sinks     []*sink
	closed    bool

	// Counters for Stats (read at any time without the lock).
	delivered atomic.Uint64
	dropped   atomic.Uint64
	gaps      atomic.Uint64
}

// Stats are a bus's counters since it was created.
type Stats struct {
	// Published counts the events published (the newest serial).
	Published uint64
	// Delivered counts the events subscribers received (Next), sinks
	// (event listener pools) included.
	Delivered uint64
	// Dropped counts the events subscribers did not receive because they
	// read too slowly (each is within a gap they were told of).
	Dropped uint64
	// Gaps counts the gaps subscribers were told of: ranges dropped for a
	// slow subscriber, and resumptions from events no longer retained.
	Gaps uint64
	// Subscribers is the number of open subscriptions.
	Subscribers int
}

// Stats returns the bus's counters.
func (b *Bus) Stats() Stats {
	b.mu.Lock()
	st := Stats{Published: b.serial, Subscribers: len(b.subs)}
	b.mu.Unlock()
	st.Delivered = b.delivered.Load()
	st.Dropped = b.dropped.Load()
	st.Gaps = b.gaps.Load()
	return st
}

// BusOption configures a Bus.
type BusOption func(*Bus)

// RetainBytes bounds the total size (Event.Size) of the retained events
// as well as their number: the oldest go first, but the newest event is
// always kept. n <= 0 sets no bound.
func RetainBytes(n int64) BusOption {
	return func(b *Bus) { b.retainBytes = max(n, 0) }
}

// NewBus returns a bus that retains the last retain events (none if retain
// is less than one).
func NewBus(retain int, log *slog.Logger, opts ...BusOption) *Bus {
	if retain < 0 {
		retain = 0
	}
	if log == nil {
		log = slog.Default()
	}
	b := &Bus{
		log:  log,
		ring: make([]*Event, retain),
	}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Publish assigns e the next serial, sets its Time if zero, retains it and
// hands it to every matching subscription and sink. It never waits for a
// subscriber. The returned event is the published one; its payload pointers
// are shared with the subscribers, so the caller must not modify them.
func (b *Bus) Publish(e Event) Event {
	p := new(Event)
	*p = e
	b.mu.Lock()
	b.serial++
	p.Serial = b.serial
	if p.Time.IsZero() {
		p.Time = time.Now()
	}
	b.retainLocked(p)
	for _, s := range b.sinks {
		if s.m.match(p) {
			s.fn(p)
			b.delivered.Add(1)
		}
	}
	for _, s := range b.subs {
		if s.m.match(p) {
			s.enqueue(p)
		}
	}
	b.mu.Unlock()
	return *p
}

// retainLocked adds p to the retained events, dropping the oldest beyond
// the count or the byte bound (the newest is always kept).
func (b *Bus) retainLocked(p *Event) {
	if len(b.ring) == 0 {
		return
	}
	if b.n == len(b.ring) {
		b.dropOldestLocked()
	}
	b.ring[(b.head+b.n)%len(b.ring)] = p
	b.n++
	b.ringBytes += p.Size()
	for b.retainBytes > 0 && b.ringBytes > b.retainBytes && b.n > 1 {
		b.dropOldestLocked()
	}
}

// dropOldestLocked forgets the oldest retained event.
func (b *Bus) dropOldestLocked() {
	old := b.ring[b.head]
	b.ring[b.head] = nil
	b.ringBytes -= old.Size()
	b.head = (b.head + 1) % len(b.ring)
	b.n--
}

// Retained returns the number and total size of the retained events.
func (b *Bus) Retained() (events int, bytes int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n, b.ringBytes
}

// LastSerial returns the serial of the newest event (0 if none).
func (b *Bus) LastSerial() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.serial
}

// Subscribe returns a subscription whose queue (of queue events; see
// DefaultQueue) receives every matching event published after the call.
// If after is not nil, replay holds the retained matching events with a
// serial greater than *after, preceded by a GapNotRetained if some of those
// serials are no longer retained. last is the newest serial at the time of
// the call: replay ends at or before it and the subscription starts after
// it, with nothing lost or duplicated in between.
func (b *Bus) Subscribe(f Filter, after *uint64, queue int) (sub *Subscription, replay []Item, last uint64) {
	if queue < 1 {
		queue = DefaultQueue
	}
	s := &Subscription{
		bus:   b,
		m:     compileFilter(f),
		limit: queue,
		wake:  make(chan struct{}, 1),
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	last = b.serial
	if after != nil && *after < last {
		oldest := last + 1
		if b.n > 0 {
			oldest = b.ring[b.head].Serial
		}
		if *after+1 < oldest {
			replay = append(replay, Item{Gap: &Gap{First: *after + 1, Last: oldest - 1, Cause: GapNotRetained}})
			b.gaps.Add(1)
		}
		for i := 0; i < b.n; i++ {
			e := b.ring[(b.head+i)%len(b.ring)]
			if e.Serial > *after && s.m.match(e) {
				replay = append(replay, Item{Event: e})
			}
		}
	}
	if b.closed {
		s.closed = true
	} else {
		b.subs = append(b.subs, s)
	}
	return s, replay, last
}

// addSink registers fn to be called from Publish, in serial order, for
// every event matching f; event listener pools take their events this way.
// fn runs under the bus's lock: it must only enqueue, never block, and
// never call the bus. remove unregisters it; fn is not called after remove
// returns.
func (b *Bus) addSink(f Filter, fn func(*Event)) (remove func()) {
	s := &sink{m: compileFilter(f), fn: fn}
	b.mu.Lock()
	b.sinks = append(b.sinks, s)
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.sinks = without(b.sinks, s)
		b.mu.Unlock()
	}
}

// Close closes every subscription (each still delivers what it has queued,
// then ErrClosed); later subscriptions start closed. Publish keeps working
// for sinks.
func (b *Bus) Close() {
	b.mu.Lock()
	b.closed = true
	subs := b.subs
	b.subs = nil
	b.mu.Unlock()
	for _, s := range subs {
		s.markClosed()
	}
}

// Subscription is a bounded queue of events from a Bus. Next is meant to
// be called from one goroutine; Close and Dropped from any.
type Subscription struct {
	bus   *Bus
	m     matcher
	limit int
	wake  chan struct{}

	mu      sync.Mutex
	items   []Item // ring buffer
	ihead   int
	icount  int
	events  int   // events (not gaps) in items
	bytes   int64 // total Size of the queued events
	gap     *Gap  // dropped range not yet queued
	dropped uint64
	closed  bool
}

// enqueue adds e, or extends the pending gap when the queue is full. It is
// called under the bus's lock.
func (s *Subscription) enqueue(e *Event) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if s.events >= s.limit || (s.events > 0 && s.bytes+e.Size() > QueueBytes) {
		if s.gap == nil {
			s.gap = &Gap{First: e.Serial, Cause: GapSlowSubscriber}
		}
		s.gap.Last = e.Serial
		s.dropped++
		s.bus.dropped.Add(1)
		s.mu.Unlock()
		return
	}
	wasEmpty := s.icount == 0
	if s.gap != nil {
		s.push(Item{Gap: s.gap})
		s.gap = nil
	}
	s.push(Item{Event: e})
	s.events++
	s.bytes += e.Size()
	s.mu.Unlock()
	if wasEmpty {
		s.signal()
	}
}

// push appends it to the ring, growing it as needed (at most to twice the
// limit, since every queued gap precedes a queued event).
func (s *Subscription) push(it Item) {
	if s.icount == len(s.items) {
		n := 2 * len(s.items)
		if n == 0 {
			n = 16
		}
		if n > 2*s.limit {
			n = 2 * s.limit
		}
		if n < s.icount+1 {
			n = s.icount + 1
		}
		grown := make([]Item, n)
		for i := 0; i < s.icount; i++ {
			grown[i] = s.items[(s.ihead+i)%len(s.items)]
		}
		s.items, s.ihead = grown, 0
	}
	s.items[(s.ihead+s.icount)%len(s.items)] = it
	s.icount++
}

func (s *Subscription) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Next returns the next item, waiting for one until ctx is done. After an
// overflow (more than the queue length, or QueueBytes), the dropped range comes as one Gap (GapSlowSubscriber) right
// before the next delivered event. Once the subscription is closed and
// drained, Next returns ErrClosed.
func (s *Subscription) Next(ctx context.Context) (Item, error) {
	for {
		s.mu.Lock()
		if s.icount > 0 {
			it := s.items[s.ihead]
			s.items[s.ihead] = Item{}
			s.ihead = (s.ihead + 1) % len(s.items)
			s.icount--
			if it.Event != nil {
				s.events--
				s.bytes -= it.Event.Size()
				s.bus.delivered.Add(1)
			} else {
				s.bus.gaps.Add(1)
			}
			s.mu.Unlock()
			return it, nil
		}
		if s.gap != nil {
			g := s.gap
			s.gap = nil
			s.bus.gaps.Add(1)
			s.mu.Unlock()
			return Item{Gap: g}, nil
		}
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return Item{}, ErrClosed
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return Item{}, ctx.Err()
		}
	}
}

// Dropped returns how many events were dropped because the queue was full.
func (s *Subscription) Dropped() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Close unregisters the subscription; Next then returns what is queued and
// ErrClosed.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	s.bus.subs = without(s.bus.subs, s)
	s.bus.mu.Unlock()
	s.markClosed()
}

func (s *Subscription) markClosed() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.signal()
}

// without returns list without x, keeping the order. It copies, so a slice
// being iterated elsewhere is never modified in place.
func without[T comparable](list []T, x T) []T {
	out := make([]T, 0, len(list))
	for _, y := range list {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}
