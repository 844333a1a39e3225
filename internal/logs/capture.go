package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

const (
	// readBufSize is the size of the pooled buffers of the read/write path.
	readBufSize = 256 << 10
	// spliceChunk is the most one splice(2) call is asked to move.
	spliceChunk = 1 << 20
	// maxSyslogLine is the longest line held back waiting for its newline.
	maxSyslogLine = 64 << 10
	// keptLineBuf is the largest line buffer kept between reads (a bigger
	// one is dropped, so an idle process holds little).
	keptLineBuf = 4 << 10
	// bigPipe is the size a busy capture asks for its pipe (F_SETPIPE_SZ),
	// so that a fast writer needs fewer wake-ups and never waits on a
	// small pipe; maxBigPipes bounds how many pipes are grown at once
	// (pipe capacity counts against the user's pipe-user-pages limits).
	bigPipe     = 1 << 20
	maxBigPipes = 64
	// busyReads is the number of consecutive reads finding the pipe at
	// least half full that make a capture busy (it is falling behind).
	busyReads = 2

	// When splice pays: splice(2) holds the pipe lock while it writes the
	// file, so a child writing small chunks waits for every file write and
	// the splices stay small; read/write then moves more bytes per second
	// for less CPU (measured: 4 KiB writes, 1400 vs 820 MiB/s). With big
	// writes splice saves a copy. A plain capture starts with read/write,
	// switches to splice after readsToSplice reads that filled the buffer,
	// and back after smallSplices splices of less than smallSplice bytes,
	// staying with read/write for at least readPhase bytes.
	readsToSplice = 8
	smallSplice   = 128 << 10
	smallSplices  = 32
	readPhase     = 64 << 20
)

// bigPipes counts the captures whose pipe was grown.
var bigPipes atomic.Int64

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// CaptureOptions configures Capture.
type CaptureOptions struct {
	// StripANSI removes ANSI escape sequences (Supervisor's strip_ansi),
	// also when a sequence is split between two reads.
	StripANSI bool
	// CaptureMaxBytes > 0 enables capture mode: the text between
	// <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> goes to
	// OnCommunication (at most the last CaptureMaxBytes bytes of it)
	// instead of the log.
	CaptureMaxBytes int64
	// OnLog, if set, is called with every chunk of output, captured text
	// included (PROCESS_LOG_* events). It must not block or keep data.
	OnLog func(data []byte)
	// OnCommunication is called with each captured message, tokens
	// excluded (PROCESS_COMMUNICATION_* events). It owns msg.
	OnCommunication func(msg []byte)
	// Syslog, if set, is called with each complete line of logged output
	// (without its newline; a line longer than 64 KiB is passed in
	// pieces). It must not block or keep line.
	Syslog func(line []byte)
	// Debug, if set, is called with each chunk of output for the main log
	// (loglevel debug). It must not block or keep data.
	Debug func(data []byte)
	// Console, if set, also receives every byte that goes to the log
	// (container output), whatever the log is (NONE included); it is
	// flushed at end of input.
	Console *ConsoleStream

	alwaysSplice  bool // tests: splice a plain capture from the start, always
	withoutPoller bool // tests: Drain with its fallback driver
}

// plain reports whether output goes to the log unchanged, with no callback.
func (o *CaptureOptions) plain() bool {
	return !o.StripANSI && o.CaptureMaxBytes <= 0 && o.OnLog == nil && o.Syslog == nil && o.Debug == nil && o.Console == nil
}

// CaptureStats counts what Capture did with the bytes it read. Read equals
// Logged + Dropped + Discarded + Captured + CaptureTruncated + Stripped.
type CaptureStats struct {
	// Read is the number of bytes read from the pipe.
	Read int64
	// Logged is the number of bytes written to the log file.
	Logged int64
	// Spliced is the part of Logged moved with splice(2).
	Spliced int64
	// Dropped is the number of bytes that could not be written.
	Dropped int64
	// Discarded is the number of bytes read for a nil (NONE) log.
	Discarded int64
	// Captured is the number of bytes of delivered messages, tokens
	// included.
	Captured int64
	// CaptureTruncated is the number of captured bytes cut off by
	// CaptureMaxBytes.
	CaptureTruncated int64
	// Stripped is the number of escape-sequence bytes removed.
	Stripped int64
	// Messages is the number of OnCommunication calls.
	Messages int64
}

type stepResult int

const (
	progress   stepResult = iota // moved bytes; there may be more
	drained                      // moved bytes, and the pipe is now empty
	wouldBlock                   // nothing to read now
	atEOF
	failed
)

// capturer is the state of one Capture.
type capturer struct {
	dst       *File
	opts      CaptureOptions
	st        CaptureStats
	canSplice bool  // plain capture into a regular file
	splice    bool  // splicing now (else read/write)
	fullReads int   // consecutive reads that filled the buffer
	smallRuns int   // consecutive small splices
	readUntil int64 // stay with read/write until Read reaches this
	blocking  bool  // src is not pollable: wait with poll(2)
	isPipe    bool  // src is a pipe
	pipeSize  int   // capacity of the pipe (0: unknown, not a pipe, or fixed)
	fullRuns  int   // consecutive reads that found the pipe half full
	grown     bool  // holds a bigPipes slot
	draining  bool
	// levelRearm: the driver checks the pipe's readiness anew when it
	// waits again (Drain's poller, EPOLLONESHOT rearmed with
	// EPOLL_CTL_MOD), so a pump may stop at a short read.
	levelRearm bool
	err        error

	pending   []byte // held-back prefix of a token
	pendArr   [32]byte
	capturing bool
	capBuf    []byte
	capIn     int64 // bytes of the current message so far, BEGIN included
	capTrunc  int64
	strip     ansiStripper
	line      []byte
}

// Capture reads a child's output pipe (the parent's read end) until end of
// file and writes it to dst, which may be nil for a NONE log (the pipe is
// still drained). It returns nil at end of file (when every holder of the
// write end has closed it), or ctx.Err() after ctx ends; then it first
// drains what is immediately readable. Every byte read is logged, or counted
// in the returned statistics (and in dst's). The caller closes src.
//
// Without transformation or callback, and for a regular file, the bytes of
// a heavy writer move with splice(2) (zero copy); otherwise through a
// pooled buffer. While waiting for
// output, Capture holds no buffer and no OS thread (for a pollable src,
// such as one from os.Pipe).
func Capture(ctx context.Context, src *os.File, dst *File, opts CaptureOptions) (CaptureStats, error) {
	c := newCapturer(dst, opts)
	rc, err := src.SyscallConn()
	if err != nil {
		return c.st, fmt.Errorf("capture %s: %w", src.Name(), err)
	}
	stop := context.AfterFunc(ctx, func() { src.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	rc.Control(func(fd uintptr) { c.probe(int(fd)) })
	defer c.release()
	for {
		res := progress
		err := rc.Read(func(fd uintptr) bool {
			res = c.step(int(fd))
			return res != wouldBlock && res != drained
		})
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
				c.draining = true
				rc.Control(func(fd uintptr) {
					for c.step(int(fd)) == progress {
					}
				})
				c.finish()
				return c.st, ctx.Err()
			}
			if !c.blocking && !errors.Is(err, os.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
				// Not pollable (a blocking descriptor): wait in poll(2).
				c.blocking = true
				continue
			}
			c.finish()
			return c.st, fmt.Errorf("capture %s: %w", src.Name(), err)
		}
		switch res {
		case atEOF:
			c.finish()
			return c.st, nil
		case failed:
			c.finish()
			return c.st, fmt.Errorf("capture %s: %w", src.Name(), c.err)
		}
	}
}

// newCapturer returns the state of a capture into dst.
func newCapturer(dst *File, opts CaptureOptions) *capturer {
	c := &capturer{dst: dst, opts: opts}
	c.canSplice = dst != nil && dst.canSplice() && opts.plain()
	c.splice = c.canSplice && opts.alwaysSplice
	return c
}

// probe learns whether fd is a pipe, and its capacity.
func (c *capturer) probe(fd int) {
	if n, err := unix.FcntlInt(uintptr(fd), unix.F_GETPIPE_SZ, 0); err == nil {
		c.isPipe, c.pipeSize = true, n
	}
}

// release gives back the capture's grown-pipe slot.
func (c *capturer) release() {
	if c.grown {
		c.grown = false
		bigPipes.Add(-1)
	}
}

// step moves one chunk from the pipe fd.
func (c *capturer) step(fd int) stepResult {
	if !c.splice {
		return c.readStep(fd)
	}
	n, short, err := c.dst.spliceFrom(fd, spliceChunk)
	switch {
	case n > 0:
		c.busy(fd, n)
		c.st.Read += int64(n)
		c.st.Logged += int64(n)
		c.st.Spliced += int64(n)
		if short && n < smallSplice && !c.opts.alwaysSplice {
			if c.smallRuns++; c.smallRuns >= smallSplices {
				c.splice, c.smallRuns = false, 0
				c.readUntil = c.st.Read + readPhase
			}
		} else {
			c.smallRuns = 0
		}
		if short && c.isPipe && !c.blocking && pipeIdle(fd) {
			return drained
		}
		return progress
	case err == nil:
		return atEOF
	case err == unix.EAGAIN:
		return c.idle(fd)
	case err == unix.EINVAL:
		c.splice, c.canSplice = false, false // not supported here
		return c.readStep(fd)
	default:
		// The write failed (disk full, closed File…): move this chunk
		// through Write, which counts what it cannot write.
		return c.readStep(fd)
	}
}

// busy notes a read of n bytes and grows the pipe of a capture that keeps
// finding it half full: the child is faster than the capture gets to run.
func (c *capturer) busy(fd, n int) {
	if c.grown || c.pipeSize == 0 || c.pipeSize >= bigPipe {
		return
	}
	if n < c.pipeSize/2 {
		c.fullRuns = 0
		return
	}
	if c.fullRuns++; c.fullRuns < busyReads {
		return
	}
	c.fullRuns = 0
	if bigPipes.Add(1) > maxBigPipes {
		bigPipes.Add(-1)
		return
	}
	got, err := unix.FcntlInt(uintptr(fd), unix.F_SETPIPE_SZ, bigPipe)
	if err != nil {
		bigPipes.Add(-1)
		c.pipeSize = 0 // not allowed (pipe-user-pages): do not retry
		return
	}
	c.pipeSize, c.grown = got, true
}

// pipeIdle reports whether the pipe has neither data nor a closed write end
// (poll(2) with no timeout). A short splice does not prove that: splice
// stops early when a signal is pending. Probing this way is cheaper than a
// splice that fails with EAGAIN, and a later write or close still wakes the
// poller, since it happens after this look.
func pipeIdle(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n == 0
}

// idle handles an empty pipe.
func (c *capturer) idle(fd int) stepResult {
	if c.draining || !c.blocking {
		return wouldBlock
	}
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	if _, err := unix.Poll(fds, -1); err != nil && err != unix.EINTR {
		c.err = fmt.Errorf("poll: %w", err)
		return failed
	}
	return progress
}

// readStep reads one chunk into a pooled buffer and processes it.
func (c *capturer) readStep(fd int) stepResult {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	buf := *bp
	k := copy(buf, c.pending)
	n, err := unix.Read(fd, buf[k:])
	switch {
	case err == unix.EINTR:
		return progress
	case err == unix.EAGAIN:
		return c.idle(fd)
	case err == unix.EIO:
		return atEOF // a pty master whose other side hung up
	case err != nil:
		c.err = fmt.Errorf("read: %w", err)
		return failed
	case n == 0:
		return atEOF
	}
	c.pending = nil
	c.busy(fd, n)
	c.st.Read += int64(n)
	if c.canSplice {
		if k+n < len(buf) {
			c.fullReads = 0
		} else if c.fullReads++; c.fullReads >= readsToSplice && c.st.Read >= c.readUntil {
			c.splice, c.fullReads = true, 0 // a heavy writer: splice from now on
		}
	}
	c.process(buf[:k+n])
	if c.levelRearm && c.isPipe && k+n < len(buf) {
		// A read from a pipe returns all it holds up to the buffer's
		// size: a short one emptied it, so asking again would only find
		// EAGAIN. The poller looks at the pipe again when it is rearmed,
		// so a write or a close since then is not missed. (Go's own
		// poller is edge-triggered: Capture must read until EAGAIN.)
		return drained
	}
	return progress
}

// process splits data on the capture-mode tokens and emits the pieces.
func (c *capturer) process(data []byte) {
	if c.opts.CaptureMaxBytes <= 0 {
		c.emit(data, false)
		return
	}
	for len(data) > 0 {
		tok := beginToken
		if c.capturing {
			tok = endToken
		}
		if i := bytes.Index(data, tok); i >= 0 {
			c.emit(data[:i], c.capturing)
			data = data[i+len(tok):]
			c.toggle()
			continue
		}
		k := prefixAtEnd(data, tok)
		c.emit(data[:len(data)-k], c.capturing)
		c.pending = append(c.pendArr[:0], data[len(data)-k:]...)
		return
	}
}

// toggle switches capture mode at a token.
func (c *capturer) toggle() {
	if esc := c.strip.reset(); esc != nil {
		c.st.Stripped--
		c.deliver(esc, c.capturing)
	}
	if !c.capturing {
		c.capturing = true
		c.capBuf = nil
		c.capIn = int64(len(beginToken))
		c.capTrunc = 0
		return
	}
	c.capturing = false
	msg := c.capBuf
	if msg == nil {
		msg = []byte{}
	}
	c.capBuf = nil
	c.st.Captured += c.capIn - c.capTrunc + int64(len(endToken))
	c.st.CaptureTruncated += c.capTrunc
	c.st.Messages++
	if c.opts.OnCommunication != nil {
		c.opts.OnCommunication(msg)
	}
}

// emit strips (if asked) and delivers one piece of output.
func (c *capturer) emit(data []byte, captured bool) {
	if len(data) == 0 {
		return
	}
	var held []byte
	out := data
	if c.opts.StripANSI {
		held, out = c.strip.strip(data)
		c.st.Stripped += int64(len(data) - len(out) - len(held))
	}
	if len(held) > 0 {
		c.deliver(held, captured)
	}
	if len(out) > 0 {
		c.deliver(out, captured)
	}
}

// deliver sends output to the log (or the message being captured) and to
// the callbacks.
func (c *capturer) deliver(out []byte, captured bool) {
	if captured {
		c.capIn += int64(len(out))
		c.capBuf = append(c.capBuf, out...)
		if over := int64(len(c.capBuf)) - c.opts.CaptureMaxBytes; over > 0 {
			n := copy(c.capBuf, c.capBuf[over:])
			c.capBuf = c.capBuf[:n]
			c.capTrunc += over
		}
	} else {
		c.write(out)
		if c.opts.Syslog != nil {
			c.syslog(out)
		}
	}
	if c.opts.Debug != nil {
		c.opts.Debug(out)
	}
	if c.opts.OnLog != nil {
		c.opts.OnLog(out)
	}
}

// write writes to the log (and the console), counting what cannot be
// written.
func (c *capturer) write(p []byte) {
	if c.opts.Console != nil {
		_, _ = c.opts.Console.Write(p) // the Console counts its drops
	}
	if c.dst == nil {
		c.st.Discarded += int64(len(p))
		return
	}
	n, _ := c.dst.Write(p) // the File counts and reports its drops
	c.st.Logged += int64(n)
	c.st.Dropped += int64(len(p) - n)
}

// syslog passes complete lines to the Syslog callback.
func (c *capturer) syslog(out []byte) {
	for len(out) > 0 {
		i := bytes.IndexByte(out, '\n')
		if i < 0 {
			c.line = append(c.line, out...)
			if len(c.line) >= maxSyslogLine {
				c.opts.Syslog(c.line)
				c.line = c.line[:0]
			}
			return
		}
		if len(c.line) > 0 {
			c.line = append(c.line, out[:i]...)
			c.opts.Syslog(c.line)
			c.line = c.line[:0]
		} else {
			c.opts.Syslog(out[:i])
		}
		out = out[i+1:]
	}
	if cap(c.line) > keptLineBuf {
		c.line = nil // do not keep a big buffer for an idle process
	}
}

// finish flushes what is held back at end of input: a partial token, a
// held ESC, an unterminated captured message (logged, with its BEGIN token,
// so that nothing is lost) and a partial syslog line.
func (c *capturer) finish() {
	if len(c.pending) > 0 {
		p := c.pending
		c.pending = nil
		c.emit(p, c.capturing)
	}
	if esc := c.strip.flush(); esc != nil {
		c.st.Stripped--
		c.deliver(esc, c.capturing)
	}
	if c.capturing {
		c.capturing = false
		c.write(append(append([]byte(nil), beginToken...), c.capBuf...))
		c.st.CaptureTruncated += c.capTrunc
		c.capBuf = nil
	}
	if len(c.line) > 0 && c.opts.Syslog != nil {
		c.opts.Syslog(c.line)
		c.line = nil
	}
	if c.opts.Console != nil {
		c.opts.Console.Flush()
	}
}
