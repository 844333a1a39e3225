package events

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// newTestPool returns a bus and a pool named "pool" for types, with a log
// recorder; the pool is closed at the end of the test.
func newTestPool(t *testing.T, size int, types ...Type) (*Bus, *Pool, *logRecorder) {
	t.Helper()
	rec, log := newLogRecorder()
	bus := NewBus(100, log)
	p := NewPool(PoolConfig{Name: "pool", Events: types, BufferSize: size, Identifier: "supref"}, bus, log)
	t.Cleanup(p.Close)
	return bus, p, rec
}

func waitState(t *testing.T, p *Pool, l Listener, want ListenerState) {
	t.Helper()
	testutil.Eventually(t, fmt.Sprintf("%s to be %s", l.Name(), want), func() bool { return p.State(l) == want })
}

func remote(data string) Event {
	return Event{Type: TypeRemoteCommunication, Remote: &RemoteComm{Type: "t", Data: data}}
}

// envelopeFor is the envelope this pool sends for a remote event.
func envelopeFor(serial, poolSerial uint64, data string) string {
	payload := "type:t\n" + data
	return fmt.Sprintf("ver:3.0 server:supref serial:%d pool:pool poolserial:%d eventname:REMOTE_COMMUNICATION len:%d\n%s",
		serial, poolSerial, len([]rune(payload)), payload)
}

func TestListenerStateString(t *testing.T) {
	for s, want := range map[ListenerState]string{ListenerReady: "READY", ListenerBusy: "BUSY",
		ListenerAcknowledged: "ACKNOWLEDGED", ListenerUnknown: "UNKNOWN", 7: "ListenerState(7)"} {
		if s.String() != want {
			t.Errorf("%d: %s", int(s), s)
		}
	}
}

// TestFeedSplitAnywhere runs the protocol with the listener's output split
// at every byte boundary (and all at once).
func TestFeedSplitAnywhere(t *testing.T) {
	bus, p, rec := newTestPool(t, 10, TypeEvent)
	l := newMemListener("l", true)
	p.Attach(l)
	if p.State(l) != ListenerAcknowledged {
		t.Fatalf("attached listener is %s", p.State(l))
	}
	for _, c := range []byte("READY") {
		p.feedListener(l, []byte{c})
		if p.State(l) != ListenerAcknowledged {
			t.Fatalf("READY prefix made it %s", p.State(l))
		}
	}
	p.feedListener(l, []byte("\n"))
	if p.State(l) != ListenerReady {
		t.Fatalf("after READY: %s", p.State(l))
	}
	conv := "RESULT 2\nOKREADY\n"
	serial := uint64(0)
	run := func(chunks ...string) {
		t.Helper()
		serial++
		bus.Publish(remote("x"))
		if got := l.next(t); got != envelopeFor(serial, serial-1, "x") {
			t.Fatalf("envelope %q", got)
		}
		waitState(t, p, l, ListenerBusy)
		for i, c := range chunks {
			p.feedListener(l, []byte(c))
			if i < len(chunks)-1 && p.State(l) == ListenerReady {
				t.Fatalf("chunks %q: READY after chunk %d", chunks, i)
			}
		}
		if p.State(l) != ListenerReady {
			t.Fatalf("chunks %q: state %s\n%s", chunks, p.State(l), rec.dump())
		}
	}
	run(conv)
	for i := 1; i < len(conv); i++ {
		for j := i + 1; j < len(conv); j++ {
			run(conv[:i], conv[i:j], conv[j:])
		}
	}
	run(strings.Split(conv, "")...)
	if n := rec.count(slog.LevelDebug, "l: event was processed"); n != int(serial) {
		t.Fatalf("%d processed, want %d", n, serial)
	}
	if rec.count(slog.LevelWarn, "l: event was rejected") != 0 || p.Len() != 0 {
		t.Fatal("an event was rejected")
	}
}

// TestFeedRejectedRedelivered: FAIL and READY in one read; the event comes
// back at once with the same serial and pool serial, logged as 4.2.5 does.
func TestFeedRejectedRedelivered(t *testing.T) {
	bus, p, rec := newTestPool(t, 100, TypeRemoteCommunication)
	l := newMemListener("listener", true)
	p.Attach(l)
	p.feedListener(l, []byte("READY\n"))
	bus.Publish(Event{Type: TypeTick5}) // not subscribed: no pool serial
	bus.Publish(remote("failme"))
	first := l.next(t)
	if first != envelopeFor(2, 0, "failme") {
		t.Fatalf("envelope %q", first)
	}
	p.feedListener(l, []byte("RESULT 4\nFAILREADY\n"))
	if again := l.next(t); again != first {
		t.Fatalf("redelivered %q, want %q", again, first)
	}
	p.feedListener(l, []byte("RESULT 2\nOKREADY\n"))
	waitState(t, p, l, ListenerReady)
	want := []logRec{
		{slog.LevelDebug, "listener: ACKNOWLEDGED -> READY"},
		{slog.LevelDebug, "event 2 sent to listener listener"},
		{slog.LevelWarn, "listener: event was rejected"},
		{slog.LevelDebug, "listener: BUSY -> ACKNOWLEDGED"},
		{slog.LevelDebug, "rebuffering event 2 for pool pool (buf size=0, max=100)"},
		{slog.LevelDebug, "listener: ACKNOWLEDGED -> READY"},
		{slog.LevelDebug, "event 2 sent to listener listener"},
		{slog.LevelDebug, "listener: event was processed"},
		{slog.LevelDebug, "listener: BUSY -> ACKNOWLEDGED"},
		{slog.LevelDebug, "listener: ACKNOWLEDGED -> READY"},
	}
	rec.mu.Lock()
	got := append([]logRec(nil), rec.recs...)
	rec.mu.Unlock()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("log:\n%v\nwant:\n%v", got, want)
	}
}

func TestFeedResultLengthForms(t *testing.T) {
	cases := []struct {
		out       string
		processed bool
	}{
		{"RESULT 2\nOK", true},
		{"RESULT  2 \nOK", true},  // int() strips blanks
		{"RESULT +2\r\nOK", true}, // and a sign, and \r
		{"XXXXXXX2\nOK", true},    // the prefix is not checked
		{"RESULT 0_2\nOK", true},  // underscores between digits
		{"RESULT 4\nFAIL", false},
		{"RESULT 0\n", false}, // an empty result is not OK
		{"RESULT 3\nOK\n", false},
		{"RESULT 2\nok", false},
	}
	for _, c := range cases {
		bus, p, rec := newTestPool(t, 10, TypeEvent)
		l := newMemListener("l", true)
		p.Attach(l)
		p.feedListener(l, []byte("READY\n"))
		bus.Publish(remote("x"))
		first := l.next(t)
		p.feedListener(l, []byte(c.out))
		waitState(t, p, l, ListenerAcknowledged)
		if got := rec.has(slog.LevelDebug, "l: event was processed"); got != c.processed {
			t.Errorf("%q: processed=%v\n%s", c.out, got, rec.dump())
		}
		p.feedListener(l, []byte("READY\n"))
		if !c.processed {
			if again := l.next(t); again != first {
				t.Errorf("%q: redelivered %q", c.out, again)
			}
		} else {
			l.none(t)
		}
	}
}

// TestFeedViolations: each violation makes the listener UNKNOWN for good.
func TestFeedViolations(t *testing.T) {
	unknownMsg := "l: has entered the UNKNOWN state and will no longer receive events, " +
		"this usually indicates the process violated the eventlistener protocol"
	cases := []struct {
		name    string
		busy    bool   // send an event first
		out     string // what the listener writes
		warn    string // the extra WARN expected
		requeue bool
	}{
		{name: "not READY first", out: "HELLO!\n"},
		{name: "READY misspelt", out: "READY \n"},
		{name: "data while READY", out: "READY\nx"},
		{name: "bad length", busy: true, out: "RESULT x\nOK", warn: "l: bad result line: 'RESULT x'", requeue: true},
		{name: "negative length", busy: true, out: "RESULT -2\n", warn: "l: bad result line: 'RESULT -2'", requeue: true},
		{name: "no length", busy: true, out: "OK\n", warn: "l: bad result line: 'OK'", requeue: true},
		{name: "undecodable", busy: true, out: "RESULT \xff\n", warn: "l: bad result line: 'Undecodable: b'RESULT \\xff''", requeue: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bus, p, rec := newTestPool(t, 10, TypeEvent)
			l := newMemListener("l", true)
			p.Attach(l)
			if c.busy {
				p.feedListener(l, []byte("READY\n"))
				bus.Publish(remote("x"))
				l.next(t)
			}
			p.feedListener(l, []byte(c.out))
			if p.State(l) != ListenerUnknown {
				t.Fatalf("state %s\n%s", p.State(l), rec.dump())
			}
			if !rec.has(slog.LevelWarn, unknownMsg) {
				t.Fatalf("no UNKNOWN warning:\n%s", rec.dump())
			}
			if c.warn != "" && !rec.has(slog.LevelWarn, c.warn) {
				t.Fatalf("no %q:\n%s", c.warn, rec.dump())
			}
			// UNKNOWN is final: nothing more is parsed or sent.
			p.feedListener(l, []byte("READY\n"))
			bus.Publish(remote("y"))
			p.Kick()
			want := 1
			if c.requeue {
				want = 2
			}
			testutil.Eventually(t, "events to be buffered", func() bool { return p.Len() == want })
			if p.State(l) != ListenerUnknown {
				t.Fatalf("left UNKNOWN: %s", p.State(l))
			}
			l.none(t)
			// A second listener gets the buffered events, the requeued
			// one first with its serials.
			l2 := newMemListener("l2", true)
			p.Attach(l2)
			p.feedListener(l2, []byte("READY\n"))
			if c.requeue {
				if got := l2.next(t); got != envelopeFor(1, 0, "x") {
					t.Fatalf("requeued event: %q", got)
				}
				p.feedListener(l2, []byte("RESULT 2\nOKREADY\n"))
			}
			if got := l2.next(t); !strings.Contains(got, "type:t\ny") {
				t.Fatalf("later event: %q", got)
			}
		})
	}
}

// TestRequeueOnFullBuffer: a rejected event goes back to the head even
// when the buffer is full, discarding the oldest buffered event (4.2.5).
func TestRequeueOnFullBuffer(t *testing.T) {
	bus, p, rec := newTestPool(t, 2, TypeEvent)
	l := newMemListener("l", true)
	p.Attach(l)
	p.feedListener(l, []byte("READY\n"))
	bus.Publish(remote("1"))
	l.next(t)
	bus.Publish(remote("2"))
	bus.Publish(remote("3"))
	p.feedListener(l, []byte("RESULT 4\nFAIL"))
	if !rec.has(slog.LevelError, "pool pool event buffer overflowed, discarding event 2") {
		t.Fatalf("no overflow:\n%s", rec.dump())
	}
	for _, want := range []string{envelopeFor(1, 0, "1"), envelopeFor(3, 2, "3")} {
		p.feedListener(l, []byte("READY\n"))
		if got := l.next(t); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		p.feedListener(l, []byte("RESULT 2\nOK"))
	}
}

// TestWriteFailure: a failed write leaves the listener READY but skipped,
// re-buffers the event for another listener, and Kick retries it.
func TestWriteFailure(t *testing.T) {
	bus, p, rec := newTestPool(t, 10, TypeEvent)
	bad := newMemListener("bad", true)
	good := newMemListener("good", false)
	bad.fail.Store(true)
	p.Attach(bad)
	p.Attach(good)
	p.feedListener(bad, []byte("READY\n"))
	p.feedListener(good, []byte("READY\n"))
	bus.Publish(remote("x"))
	testutil.Eventually(t, "write failure", func() bool {
		return rec.has(slog.LevelDebug, "epipe occurred while sending event 1 to listener bad, listener state unchanged")
	})
	testutil.Eventually(t, "event back in buffer", func() bool { return p.Len() == 1 })
	if p.State(bad) != ListenerReady {
		t.Fatalf("bad is %s", p.State(bad))
	}
	good.running.Store(true)
	p.Kick()
	if got := good.next(t); got != envelopeFor(1, 0, "x") {
		t.Fatalf("good got %q", got)
	}
	// Kick makes the failed listener eligible again.
	bad.fail.Store(false)
	bus.Publish(remote("y"))
	p.Kick()
	if got := bad.next(t); got != envelopeFor(2, 1, "y") {
		t.Fatalf("bad got %q", got)
	}
}

// TestAttachAgainRequeues: a respawned listener (Attach of the same name)
// starts ACKNOWLEDGED and the event its predecessor held is redelivered;
// output of the old process and its late Detach are ignored.
func TestAttachAgainRequeues(t *testing.T) {
	bus, p, _ := newTestPool(t, 10, TypeEvent)
	l := newMemListener("l", true)
	p.Attach(l)
	oldR, oldW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	consumed := make(chan struct{})
	go func() {
		p.Consume(l, oldR)
		p.Detach(l)
		close(consumed)
	}()
	oldW.Write([]byte("READY\n"))
	waitState(t, p, l, ListenerReady)
	bus.Publish(remote("x"))
	first := l.next(t)
	waitState(t, p, l, ListenerBusy)
	p.Attach(l) // respawned before the old output reached EOF
	if p.State(l) != ListenerAcknowledged {
		t.Fatalf("state %s", p.State(l))
	}
	// The old process's late output and EOF do not touch the new one.
	oldW.Write([]byte("RESULT 2\nOKREADY\n"))
	oldW.Close()
	testutil.Receive(t, consumed, "the old output to be consumed")
	oldR.Close()
	if p.State(l) != ListenerAcknowledged {
		t.Fatalf("stale Consume/Detach changed the state to %s", p.State(l))
	}
	p.feedListener(l, []byte("READY\n"))
	if got := l.next(t); got != first {
		t.Fatalf("redelivered %q, want %q", got, first)
	}
	// A real Detach of the current process still works.
	p.Detach(l)
	if p.State(l) != 0 {
		t.Fatalf("detached state %s", p.State(l))
	}
	testutil.Eventually(t, "requeue on detach", func() bool { return p.Len() == 1 })
	p.feedListener(l, []byte("READY\n")) // ignored: not attached
	l.none(t)
}

func TestPoolClose(t *testing.T) {
	bus, p, _ := newTestPool(t, 10, TypeEvent)
	bus.Publish(remote("x"))
	if p.Len() != 1 {
		t.Fatalf("len %d", p.Len())
	}
	p.Close()
	p.Close()
	bus.Publish(remote("y"))
	if p.Len() != 0 {
		t.Fatalf("closed pool buffered %d", p.Len())
	}
	// A pool with no events gets nothing.
	bus2, empty, _ := newTestPool(t, 10)
	bus2.Publish(remote("z"))
	if empty.Len() != 0 {
		t.Fatal("pool without events got one")
	}
	if empty.Name() != "pool" {
		t.Fatal(empty.Name())
	}
}

// TestPoolSkipsOwnTypes: a listener subscribed to EVENT (every type) is
// never sent a type Supervisor 4.2.5 does not have.
func TestPoolSkipsOwnTypes(t *testing.T) {
	bus, p, _ := newTestPool(t, 10, TypeEvent)
	l := newMemListener("l", true)
	p.Attach(l)
	p.feedListener(l, []byte("READY\n"))
	bus.Publish(Event{Type: TypeProcessHealthChanged, Health: &ProcessHealth{Process: "web", Group: "web", From: "STARTING", To: "HEALTHY"}})
	bus.Publish(remote("after"))
	if got := l.next(t); got != envelopeFor(2, 0, "after") {
		t.Fatalf("first event sent: %q", got)
	}
	if p.Len() != 0 {
		t.Errorf("pool holds %d events", p.Len())
	}
}
