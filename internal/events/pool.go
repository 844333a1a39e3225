package events

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"sync"
	"syscall"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// listenerReadSize is the size of the buffer a listener's output is read
// into.
const listenerReadSize = 128 << 10

// DefaultBufferSize is the pool buffer size used when PoolConfig.BufferSize
// is less than one (Supervisor's buffer_size default).
const DefaultBufferSize = 10

// Listener is one process of an event listener pool, as the pool sees it.
// The pool identifies listeners by Name and never calls Running or
// WriteStdin while holding its own lock, so they may take the process's.
type Listener interface {
	// Name returns the process name (unique within the pool).
	Name() string
	// Running reports whether the process state is RUNNING: only running
	// listeners get events, as in Supervisor 4.2.5.
	Running() bool
	// WriteStdin writes p to the process's stdin. It may block until the
	// listener reads; the pool calls it from its own goroutine.
	WriteStdin(p []byte) error
}

// ListenerState is the protocol state of a listener, with Supervisor's
// numeric codes.
type ListenerState int

// The listener states.
const (
	// ListenerReady: the listener sent READY and waits for an event.
	ListenerReady ListenerState = 10
	// ListenerBusy: the listener was sent an event and owes a result.
	ListenerBusy ListenerState = 20
	// ListenerAcknowledged: the listener started or sent a result and
	// owes a READY.
	ListenerAcknowledged ListenerState = 30
	// ListenerUnknown: the listener violated the protocol and gets no
	// more events.
	ListenerUnknown ListenerState = 40
)

// String returns Supervisor's name of the state, e.g. "READY".
func (s ListenerState) String() string {
	switch s {
	case ListenerReady:
		return "READY"
	case ListenerBusy:
		return "BUSY"
	case ListenerAcknowledged:
		return "ACKNOWLEDGED"
	case ListenerUnknown:
		return "UNKNOWN"
	}
	return "ListenerState(" + strconv.Itoa(int(s)) + ")"
}

// PoolConfig configures an event listener pool ([eventlistener:x]).
type PoolConfig struct {
	// Name is the pool (group) name.
	Name string
	// Events are the subscribed types (base types match descendants).
	Events []Type
	// BufferSize is the capacity of the pool's event buffer (see
	// DefaultBufferSize).
	BufferSize int
	// Identifier is the daemon identifier sent as server:<id>.
	Identifier string
}

// queued is an event accepted by the pool, with its pool serial.
type queued struct {
	ev         *Event
	poolSerial uint64
}

// slot is the pool's view of one listener (by name). A slot survives the
// listener's restarts so dispatch keeps the first-attach order; gen
// changes on every Attach so output of an earlier process is ignored.
type slot struct {
	name        string
	l           Listener
	attached    bool
	gen         uint64
	state       ListenerState
	busy        *queued // the event sent while BUSY
	buf         []byte  // protocol bytes not yet parsed
	result      []byte
	resultLen   int  // -1 until the RESULT line was read
	stalled     bool // a write failed; skipped until Kick or Attach
	staleDetach int  // Detach calls to ignore (their Consume was stale)
}

// logRec is a log record made under the pool's lock and emitted after.
type logRec struct {
	level slog.Level
	msg   string
}

// Pool is an event listener pool: it buffers the events its listeners
// subscribe to and hands them, one at a time, to READY listeners speaking
// Supervisor's event listener protocol (reference §7.2–7.4).
type Pool struct {
	cfg        PoolConfig
	size       int
	log        *slog.Logger
	removeSink func()

	mu         sync.Mutex
	queue      []*queued // FIFO, head first
	poolSerial uint64    // next pool serial
	slots      []*slot
	closed     bool
	logs       []logRec

	logMu     sync.Mutex // keeps log records in order across goroutines
	wake      chan struct{}
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// NewPool creates a pool subscribed to cfg.Events on bus and starts its
// dispatcher. The dispatcher is event-driven: it runs when an event is
// queued, a listener becomes READY, or Kick is called.
func NewPool(cfg PoolConfig, bus *Bus, log *slog.Logger) *Pool {
	if log == nil {
		log = slog.Default()
	}
	p := &Pool{
		cfg:  cfg,
		size: cfg.BufferSize,
		log:  log,
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	if p.size < 1 {
		p.size = DefaultBufferSize
	}
	types := cfg.Events
	if len(types) == 0 {
		// A pool without events gets none (a nil filter would match all).
		types = []Type{TypeUnknown}
	}
	p.removeSink = bus.addSink(Filter{Types: types}, p.accept)
	p.wg.Add(1)
	go p.run()
	return p
}

// Name returns the pool name.
func (p *Pool) Name() string { return p.cfg.Name }

// Len returns the number of buffered events (not counting the ones being
// processed by listeners).
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

// Drained reports whether every queued event has been delivered and
// acknowledged: the buffer is empty and no listener is BUSY.
func (p *Pool) Drained() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) > 0 {
		return false
	}
	for _, s := range p.slots {
		if s.attached && s.busy != nil {
			return false
		}
	}
	return true
}

// accept is the bus sink: it queues e with the next pool serial.
func (p *Pool) accept(e *Event) {
	if !e.Type.Legacy() {
		// A listener subscribed to EVENT knows only 4.2.5's types.
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	q := &queued{ev: e, poolSerial: p.poolSerial}
	p.poolSerial++
	p.push(q, false)
	p.unlock()
	p.signal()
}

// push queues q at the tail (or the head, for a redelivery), discarding
// the oldest event when the buffer is full, as Supervisor does. p.mu is
// held.
func (p *Pool) push(q *queued, head bool) {
	if head {
		p.logf(slog.LevelDebug, "rebuffering event %d for pool %s (buf size=%d, max=%d)",
			q.ev.Serial, p.cfg.Name, len(p.queue), p.size)
	}
	if len(p.queue) >= p.size && len(p.queue) > 0 {
		old := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.logf(slog.LevelError, "pool %s event buffer overflowed, discarding event %d", p.cfg.Name, old.ev.Serial)
	}
	if head {
		p.queue = append(p.queue, nil)
		copy(p.queue[1:], p.queue)
		p.queue[0] = q
	} else {
		p.queue = append(p.queue, q)
	}
}

// logf records a log line if the level is enabled. p.mu is held.
func (p *Pool) logf(level slog.Level, format string, args ...any) {
	if p.log.Enabled(context.Background(), level) {
		p.logs = append(p.logs, logRec{level, fmt.Sprintf(format, args...)})
	}
}

// unlock releases p.mu and emits the log records made under it, in order.
func (p *Pool) unlock() {
	if len(p.logs) == 0 {
		p.mu.Unlock()
		return
	}
	recs := p.logs
	p.logs = nil
	p.logMu.Lock()
	p.mu.Unlock()
	for _, r := range recs {
		p.log.Log(context.Background(), r.level, r.msg)
	}
	p.logMu.Unlock()
}

func (p *Pool) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run is the dispatcher goroutine.
func (p *Pool) run() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case <-p.wake:
		}
		p.dispatch()
	}
}

// candidate is a READY listener seen under the lock.
type candidate struct {
	s   *slot
	l   Listener
	gen uint64
}

// dispatch sends buffered events, head first, to the first READY and
// RUNNING listener (in attach order), until the buffer is empty or no
// listener can take one.
func (p *Pool) dispatch() {
	var cands []candidate
	for {
		p.mu.Lock()
		if p.closed || len(p.queue) == 0 {
			p.mu.Unlock()
			return
		}
		cands = cands[:0]
		for _, s := range p.slots {
			if s.attached && s.state == ListenerReady && !s.stalled {
				cands = append(cands, candidate{s, s.l, s.gen})
			}
		}
		p.mu.Unlock()
		var pick *candidate
		for i := range cands {
			// Running may take the process's lock: never under p.mu.
			if cands[i].l.Running() {
				pick = &cands[i]
				break
			}
		}
		if pick == nil {
			return
		}
		p.mu.Lock()
		s := pick.s
		if p.closed || len(p.queue) == 0 || !s.attached || s.gen != pick.gen || s.state != ListenerReady || s.stalled {
			// Something changed meanwhile: look again.
			p.mu.Unlock()
			continue
		}
		q := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		s.state = ListenerBusy
		s.busy = q
		env := p.envelope(q)
		p.logf(slog.LevelDebug, "event %d sent to listener %s", q.ev.Serial, s.name)
		p.unlock()
		// A listener that does not read its stdin must not stall the
		// others: each write has its own goroutine (at most one per
		// listener, since a BUSY listener gets nothing more).
		go p.write(s, pick.l, pick.gen, q, env)
	}
}

// write sends env to the listener; on failure the event goes back to the
// head of the buffer and the listener is skipped until Kick or Attach.
func (p *Pool) write(s *slot, l Listener, gen uint64, q *queued, env []byte) {
	err := l.WriteStdin(env)
	if err == nil {
		return
	}
	p.mu.Lock()
	if isClosedPipe(err) {
		p.logf(slog.LevelDebug, "epipe occurred while sending event %d to listener %s, listener state unchanged",
			q.ev.Serial, s.name)
	} else {
		p.logf(slog.LevelWarn, "%s: could not send event %d: %v", s.name, q.ev.Serial, err)
	}
	if s.gen == gen && s.busy == q {
		s.busy = nil
		s.state = ListenerReady
		s.stalled = true
		if !p.closed {
			p.push(q, true)
		}
	}
	p.unlock()
	p.signal()
}

// isClosedPipe reports whether a write error means the listener's stdin is
// gone (Supervisor's EPIPE case).
func isClosedPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) ||
		errdefs.Has(err, errdefs.NotRunning) || errdefs.Has(err, errdefs.NoFile)
}

// envelope renders q for this pool (reference §7.2). len counts
// characters, as Python does.
func (p *Pool) envelope(q *queued) []byte {
	payload := q.ev.Payload()
	hdr := "ver:3.0 server:" + p.cfg.Identifier +
		" serial:" + strconv.FormatUint(q.ev.Serial, 10) +
		" pool:" + p.cfg.Name +
		" poolserial:" + strconv.FormatUint(q.poolSerial, 10) +
		" eventname:" + q.ev.Type.String() +
		" len:" + strconv.Itoa(utf8.RuneCount(payload)) + "\n"
	out := make([]byte, 0, len(hdr)+len(payload))
	out = append(out, hdr...)
	return append(out, payload...)
}

// find returns the slot named name. p.mu is held.
func (p *Pool) find(name string) *slot {
	for _, s := range p.slots {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Attach registers a newly spawned listener process: its state is
// ACKNOWLEDGED until it sends READY. Attaching a name again (a respawn)
// starts over; an event the earlier process held is redelivered.
func (p *Pool) Attach(l Listener) {
	name := l.Name()
	p.mu.Lock()
	s := p.find(name)
	if s == nil {
		s = &slot{name: name}
		p.slots = append(p.slots, s)
	} else if s.attached && s.busy != nil && !p.closed {
		p.push(s.busy, true)
	}
	s.l = l
	s.attached = true
	s.gen++
	s.state = ListenerAcknowledged
	s.busy = nil
	s.buf = nil
	s.result = nil
	s.resultLen = -1
	s.stalled = false
	p.unlock()
	p.signal()
}

// Detach tells the pool the listener's process exited: an event it was
// processing (BUSY) goes back to the head of the buffer. A Detach that
// follows a Consume of an earlier process (one that was already replaced
// by Attach) is ignored.
func (p *Pool) Detach(l Listener) {
	name := l.Name()
	p.mu.Lock()
	s := p.find(name)
	if s == nil {
		p.mu.Unlock()
		return
	}
	if s.staleDetach > 0 {
		s.staleDetach--
		p.mu.Unlock()
		return
	}
	if !s.attached {
		p.mu.Unlock()
		return
	}
	if s.busy != nil && !p.closed {
		p.push(s.busy, true)
	}
	s.attached = false
	s.state = 0
	s.busy = nil
	s.buf = nil
	s.result = nil
	s.resultLen = -1
	p.unlock()
	p.signal()
}

// Kick makes the dispatcher look at the listeners again; call it when a
// listener's process state changes (e.g. it became RUNNING). It never
// waits for the dispatcher or calls a Listener, so it may be called under
// the process's lock.
func (p *Pool) Kick() {
	p.mu.Lock()
	for _, s := range p.slots {
		s.stalled = false
	}
	p.mu.Unlock()
	p.signal()
}

// State returns the listener's protocol state, or 0 if it is not attached.
func (p *Pool) State(l Listener) ListenerState {
	name := l.Name()
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.find(name); s != nil && s.attached {
		return s.state
	}
	return 0
}

// Consume reads the listener's stdout until EOF or a read error, feeding
// the protocol parser. It does not close r. Output of a process that was
// replaced by a later Attach is ignored, and so is the Detach that follows
// such a Consume.
func (p *Pool) Consume(l Listener, r *os.File) {
	name := l.Name()
	p.mu.Lock()
	s := p.find(name)
	var gen uint64
	if s != nil && s.attached {
		gen = s.gen
	}
	p.mu.Unlock()
	buf := make([]byte, listenerReadSize)
	for {
		n, err := r.Read(buf)
		if n > 0 && gen != 0 {
			p.feed(s, gen, buf[:n])
		}
		if err != nil {
			if err != io.EOF {
				p.log.Debug(fmt.Sprintf("%s: reading listener output: %v", name, err))
			}
			break
		}
	}
	if gen == 0 {
		return
	}
	p.mu.Lock()
	if s.gen != gen {
		s.staleDetach++
	}
	p.mu.Unlock()
}

// feedListener runs the listener protocol on data the listener wrote to
// its stdout, as Consume does with what it reads (tests drive the protocol
// with it). Data may arrive split anywhere or several messages at once.
// It does nothing for a listener that is not attached.
func (p *Pool) feedListener(l Listener, data []byte) {
	name := l.Name()
	p.mu.Lock()
	s := p.find(name)
	if s == nil || !s.attached {
		p.mu.Unlock()
		return
	}
	gen := s.gen
	p.mu.Unlock()
	p.feed(s, gen, data)
}

// feed parses data for generation gen of slot s.
func (p *Pool) feed(s *slot, gen uint64, data []byte) {
	p.mu.Lock()
	if !s.attached || s.gen != gen {
		p.mu.Unlock()
		return
	}
	s.buf = append(s.buf, data...)
	ready := p.parse(s)
	p.unlock()
	if ready {
		p.signal()
	}
}

// The protocol tokens.
var (
	readyToken  = []byte("READY\n")
	resultStart = len("RESULT ")
)

// parse consumes s.buf as Supervisor's PEventListenerDispatcher does and
// reports whether the listener became READY or an event was re-queued.
// p.mu is held.
func (p *Pool) parse(s *slot) (wake bool) {
	for len(s.buf) > 0 {
		switch s.state {
		case ListenerAcknowledged:
			if len(s.buf) < len(readyToken) {
				return wake
			}
			if bytes.HasPrefix(s.buf, readyToken) {
				p.change(s, ListenerReady)
				s.buf = s.buf[len(readyToken):]
				wake = true
			} else {
				p.change(s, ListenerUnknown)
				s.buf = nil
			}
		case ListenerReady:
			// Spurious data: Supervisor is strict about it.
			p.change(s, ListenerUnknown)
			s.buf = nil
		case ListenerBusy:
			if s.resultLen < 0 {
				i := bytes.IndexByte(s.buf, '\n')
				if i < 0 {
					return wake
				}
				line := s.buf[:i]
				s.buf = s.buf[i+1:]
				n, ok := resultLength(line[min(resultStart, len(line)):])
				if !ok {
					p.logf(slog.LevelWarn, "%s: bad result line: '%s'", s.name, pyString(line))
					p.change(s, ListenerUnknown)
					s.buf = nil
					if s.busy != nil && !p.closed {
						p.push(s.busy, true)
						wake = true
					}
					s.busy = nil
					return wake
				}
				s.resultLen = n
				s.result = s.result[:0]
			}
			take := min(s.resultLen-len(s.result), len(s.buf))
			s.result = append(s.result, s.buf[:take]...)
			s.buf = s.buf[take:]
			if len(s.result) < s.resultLen {
				return wake
			}
			if p.handleResult(s) {
				wake = true
			}
			s.busy = nil
			s.result = nil
			s.resultLen = -1
		default: // UNKNOWN: a fatal state, everything is discarded
			s.buf = nil
		}
	}
	if len(s.buf) == 0 {
		s.buf = nil // do not pin a large read buffer
	}
	return wake
}

// handleResult applies the default result handler: "OK" means processed,
// anything else rejects the event, which is redelivered. It reports
// whether an event was re-queued. p.mu is held.
func (p *Pool) handleResult(s *slot) (requeued bool) {
	if string(s.result) == "OK" {
		p.logf(slog.LevelDebug, "%s: event was processed", s.name)
		p.change(s, ListenerAcknowledged)
		return false
	}
	p.logf(slog.LevelWarn, "%s: event was rejected", s.name)
	p.change(s, ListenerAcknowledged)
	if s.busy != nil && !p.closed {
		p.push(s.busy, true)
		return true
	}
	return false
}

// change moves s to state to, logging as Supervisor does. p.mu is held.
func (p *Pool) change(s *slot, to ListenerState) {
	p.logf(slog.LevelDebug, "%s: %s -> %s", s.name, s.state, to)
	s.state = to
	if to == ListenerUnknown {
		p.logf(slog.LevelWarn, "%s: has entered the UNKNOWN state and will no longer receive events, "+
			"this usually indicates the process violated the eventlistener protocol", s.name)
	}
}

// Close removes the pool from the bus and stops its dispatcher. Buffered
// events are dropped.
func (p *Pool) Close() {
	p.closeOnce.Do(func() {
		p.removeSink()
		p.mu.Lock()
		p.closed = true
		p.queue = nil
		p.mu.Unlock()
		close(p.done)
		p.wg.Wait()
	})
}

// resultLength parses the length on a listener's RESULT line as Supervisor
// does (Python's int() of the bytes), refusing what Supervisor would
// mishandle: a negative length, or one beyond 2^31-1.
func resultLength(b []byte) (int, bool) {
	n, err := pytext.ParseIntBytes(b)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}

// pyString renders bytes as Supervisor logs a decoded line: as is when it
// is UTF-8, otherwise "Undecodable: " and the Python bytes repr.
func pyString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "Undecodable: " + pytext.BytesRepr(b)
}
