package poller

import (
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func pipe(t *testing.T) (r, w int) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	return fds[0], fds[1]
}

// TestCallbacksAndRearm writes to many pipes; every byte is read through
// callbacks that re-arm, and end of file is seen after the writers close.
func TestCallbacksAndRearm(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const pipes, writes = 50, 20
	var mu sync.Mutex
	got := make([]int, pipes)
	eof := make(chan int, pipes)
	ws := make([]int, pipes)
	for i := range pipes {
		r, w := pipe(t)
		ws[i] = w
		_, err := p.Add(r, func(h *Handle) {
			buf := make([]byte, 64)
			for {
				n, err := unix.Read(r, buf)
				switch {
				case err == unix.EAGAIN:
					if err := h.Rearm(); err != nil {
						t.Error(err)
					}
					return
				case err != nil || n == 0:
					h.Remove()
					unix.Close(r)
					eof <- i
					return
				}
				mu.Lock()
				got[i] += n
				mu.Unlock()
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for k := 0; k < writes; k++ {
		for i := range pipes {
			unix.Write(ws[i], []byte("x"))
		}
	}
	for i := range pipes {
		unix.Close(ws[i])
	}
	for range pipes {
		testutil.Receive(t, eof, "every pipe to reach end of file")
	}
	for i, n := range got {
		if n != writes {
			t.Fatalf("pipe %d: read %d bytes, want %d", i, n, writes)
		}
	}
	if p.Len() != 0 {
		t.Fatalf("%d handles left", p.Len())
	}
}

// TestIdleCostsNoThreads: a thousand idle registrations add no OS thread
// each. The slack of a few covers threads the runtime may start while the
// test's own registering syscalls are slow on a loaded machine.
func TestIdleCostsNoThreads(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	before := testutil.Threads(t)
	var hs []*Handle
	for range 1000 {
		r, w := pipe(t)
		h, err := p.Add(r, func(h *Handle) { t.Error("idle pipe reported readable") })
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
		defer unix.Close(r)
		defer unix.Close(w)
	}
	if after := testutil.Threads(t); after > before+8 {
		t.Fatalf("%d threads for 1000 idle descriptors (%d before)", after, before)
	}
	for _, h := range hs {
		h.Remove()
		h.Remove()
		if err := h.Rearm(); err != ErrRemoved {
			t.Fatalf("Rearm after Remove = %v", err)
		}
	}
}

func TestAddBadDescriptor(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Add(-1, func(*Handle) {}); err == nil {
		t.Fatal("Add(-1) succeeded")
	}
}
