package process

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// StdinBufferBytes is how many bytes sent to a process's stdin may wait for
// the process to read them. Like 4.2.5, a write to stdin returns at once
// (the data is buffered and written when the pipe has room), but unlike
// 4.2.5 the buffer is bounded: a write that would make it exceed this size
// fails (FAILED) and nothing of it is kept. A write to an empty buffer is
// always accepted, whatever its size (requests are bounded elsewhere), so
// one request never fails on its size alone.
const StdinBufferBytes = 1 << 20

// errStdinFull is the error of a write that does not fit the buffer.
var errStdinFull = errors.New("stdin buffer full")

// stdinPipe is the parent's end of a child's stdin pipe with its buffer.
// A writer goroutine exists only while data waits; it blocks on the
// runtime poller (no thread) until the child reads.
type stdinPipe struct {
	f *os.File // non-blocking, on the runtime poller

	mu       sync.Mutex
	pending  []byte // accepted, not yet written
	flushing bool   // the writer goroutine runs
	closed   bool
	err      error // the writer's error (EPIPE): later writes fail with it
}

// newStdinPipe wraps the parent's end of a stdin pipe.
func newStdinPipe(f *os.File) *stdinPipe { return &stdinPipe{f: f} }

// write accepts data: it writes what the pipe takes now and buffers the
// rest, or fails without keeping anything (errStdinFull, the writer's
// error, os.ErrClosed).
func (s *stdinPipe) write(data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return os.ErrClosed
	case s.err != nil:
		return s.err
	case len(s.pending) > 0 && len(s.pending)+len(data) > StdinBufferBytes:
		return fmt.Errorf("%w: %d bytes wait for the process to read them and %d more do not fit (the limit is %d)",
			errStdinFull, len(s.pending), len(data), StdinBufferBytes)
	}
	if !s.flushing {
		n, err := s.writeNow(data)
		if err != nil {
			return err
		}
		data = data[n:]
		if len(data) == 0 {
			return nil
		}
		s.flushing = true
		go s.flush()
	}
	s.pending = append(s.pending, data...)
	return nil
}

// writeNow writes what the pipe takes without waiting.
func (s *stdinPipe) writeNow(data []byte) (int, error) {
	rc, err := s.f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var werr error
	err = rc.Write(func(fd uintptr) bool {
		for n < len(data) {
			m, err := unix.Write(int(fd), data[n:])
			if err == unix.EINTR {
				continue
			}
			if err == unix.EAGAIN {
				break
			}
			if err != nil {
				werr = os.NewSyscallError("write", err)
				break
			}
			n += m
		}
		return true // never wait here
	})
	if err == nil {
		err = werr
	}
	return n, err
}

// flush writes the buffer until it is empty, the pipe fails or the pipe
// is closed.
func (s *stdinPipe) flush() {
	for {
		s.mu.Lock()
		if len(s.pending) == 0 || s.closed {
			s.pending, s.flushing = nil, false
			s.mu.Unlock()
			return
		}
		buf := s.pending
		s.mu.Unlock()
		n, err := s.f.Write(buf) // waits on the poller for the child to read
		s.mu.Lock()
		if s.closed || err != nil {
			if !s.closed {
				s.err = err
			}
			s.pending, s.flushing = nil, false
			s.mu.Unlock()
			return
		}
		s.pending = s.pending[n:]
		s.mu.Unlock()
	}
}

// close drops what waits and closes the pipe (the child exited).
func (s *stdinPipe) close() {
	s.mu.Lock()
	s.closed = true
	s.pending = nil
	s.mu.Unlock()
	s.f.Close()
}
