package logs

import (
	"context"
	"fmt"
	"os"

	"github.com/gsupervisor/gsupervisor/internal/poller"
)

// Drain captures src into dst (nil for a NONE log) in the background, with
// Capture's processing and accounting, until src reaches end of file; it
// then closes src and calls done with the statistics and the error, if
// any. Drain owns src from the call on. src should be non-blocking (the
// parent's end of a child's pipe).
//
// One driver moves the bytes: the daemon's poller waits for src, and a
// goroutine runs only while there is output to move, so a quiet child
// costs no goroutine and no thread. When the poller cannot take src (it
// could not be created, or epoll refuses the descriptor: the per-user
// limit on epoll watches, or a kind of file epoll does not support),
// Drain falls back to a goroutine running Capture: the same bytes reach
// dst and the callbacks, at the cost of one parked goroutine.
func Drain(src *os.File, dst *File, opts CaptureOptions, done func(CaptureStats, error)) {
	if !opts.withoutPoller && drainOnPoller(src, dst, opts, done) {
		return
	}
	go func() {
		st, err := Capture(context.Background(), src, dst, opts)
		src.Close()
		done(st, err)
	}()
}

// drainOnPoller drives the capture from the poller's callbacks; it reports
// false, having done nothing, when the poller does not take src.
func drainOnPoller(src *os.File, dst *File, opts CaptureOptions, done func(CaptureStats, error)) bool {
	pl, err := poller.Default()
	if err != nil {
		return false
	}
	fd := -1
	if rc, err := src.SyscallConn(); err == nil {
		_ = rc.Control(func(d uintptr) { fd = int(d) })
	}
	if fd < 0 {
		return false
	}
	c := newCapturer(dst, opts)
	c.probe(fd)
	c.levelRearm = true
	_, err = pl.Add(fd, func(h *poller.Handle) {
		eof, err := c.pump(fd)
		if !eof {
			if err = h.Rearm(); err == nil {
				return
			}
		}
		h.Remove()
		c.finish()
		c.release()
		src.Close()
		done(c.st, err)
	})
	return err == nil
}

// pump moves everything readable from the non-blocking fd now. It returns
// eof true once the pipe reached end of file, or failed (with the error).
func (c *capturer) pump(fd int) (eof bool, err error) {
	for {
		switch c.step(fd) {
		case progress:
			continue
		case drained, wouldBlock:
			return false, nil
		case atEOF:
			return true, nil
		default:
			return true, fmt.Errorf("capture: %w", c.err)
		}
	}
}
