package poller

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"
)

// ErrRemoved is returned by Rearm after Remove.
var ErrRemoved = errors.New("poller: handle removed")

// Poller is an epoll set served by one goroutine.
type Poller struct {
	epfd    int
	mu      sync.Mutex
	next    uint64
	handles map[uint64]*Handle
}

// Handle is one registered descriptor.
type Handle struct {
	p       *Poller
	id      uint64
	fd      int
	fn      func(*Handle)
	removed bool
}

var (
	defaultOnce   sync.Once
	defaultPoller *Poller
	defaultErr    error
)

// Default returns the process-wide poller, creating it on first use.
func Default() (*Poller, error) {
	defaultOnce.Do(func() { defaultPoller, defaultErr = New() })
	return defaultPoller, defaultErr
}

// New returns a poller and starts its goroutine (which lives as long as
// the process: it holds one OS thread while it waits).
func New() (*Poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	p := &Poller{epfd: epfd, handles: make(map[uint64]*Handle)}
	go p.loop()
	return p, nil
}

// events is what a registration waits for: readable or hung up, once.
const events = unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLONESHOT

// maxEvents is how many ready descriptors one epoll_wait returns at most.
const maxEvents = 128

func (p *Poller) ctl(op int, h *Handle) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(uint32(h.id)), Pad: int32(uint32(h.id >> 32))}
	return unix.EpollCtl(p.epfd, op, h.fd, &ev)
}

// Add registers fd: fn runs in a new goroutine when fd is readable (or
// hung up). fn must end by calling Rearm to be called again, or Remove.
// The caller keeps fd open until Remove.
func (p *Poller) Add(fd int, fn func(*Handle)) (*Handle, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	h := &Handle{p: p, id: p.next, fd: fd, fn: fn}
	if err := p.ctl(unix.EPOLL_CTL_ADD, h); err != nil {
		return nil, fmt.Errorf("epoll add fd %d: %w", fd, err)
	}
	p.handles[h.id] = h
	return h, nil
}

// Rearm asks for the next readiness of the handle's descriptor.
func (h *Handle) Rearm() error {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	if h.removed {
		return ErrRemoved
	}
	if err := h.p.ctl(unix.EPOLL_CTL_MOD, h); err != nil {
		return fmt.Errorf("epoll rearm fd %d: %w", h.fd, err)
	}
	return nil
}

// Remove unregisters the descriptor; its callback is not called again.
// It is safe to call more than once.
func (h *Handle) Remove() {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	if h.removed {
		return
	}
	h.removed = true
	delete(h.p.handles, h.id)
	_ = unix.EpollCtl(h.p.epfd, unix.EPOLL_CTL_DEL, h.fd, nil)
}

// Len returns the number of registered descriptors.
func (p *Poller) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.handles)
}

func (p *Poller) loop() {
	evs := make([]unix.EpollEvent, maxEvents)
	for {
		n, err := unix.EpollWait(p.epfd, evs, -1)
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			panic(fmt.Sprintf("poller: epoll_wait: %v", err))
		}
		p.mu.Lock()
		for _, ev := range evs[:n] {
			id := uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32
			if h := p.handles[id]; h != nil {
				go h.fn(h)
			}
		}
		p.mu.Unlock()
	}
}
