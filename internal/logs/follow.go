package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// ResetCause says why a follower's file started over.
type ResetCause int

const (
	// ResetNone means no reset (the chunk carries Data or a Gap).
	ResetNone ResetCause = iota
	// ResetTruncated: the file was truncated in place (rotation with
	// backups=0, or by another program); reading restarts at offset 0.
	ResetTruncated
	// ResetCleared: the file was cleared (clearProcessLogs); reading
	// restarts at offset 0 of the new, empty file.
	ResetCleared
	// ResetRotated: the follower finished the file that was rotated away
	// (or reopened) and continues with the new one; offsets restart at 0.
	// Nothing was lost.
	ResetRotated
)

// String returns a lower-case name of the cause.
func (c ResetCause) String() string {
	switch c {
	case ResetNone:
		return "none"
	case ResetTruncated:
		return "truncated"
	case ResetCleared:
		return "cleared"
	case ResetRotated:
		return "rotated"
	}
	return fmt.Sprintf("ResetCause(%d)", int(c))
}

// Chunk is one item of a followed log: exactly one of Data (bytes of the log,
// read at Offset of the file they were read from; offsets restart at 0 after
// a rotation), Gap (that many bytes were skipped because the follower fell
// too far behind, or were truncated away before it read them) or Reset (the
// file started over; see ResetCause).
type Chunk struct {
	// Data is valid until the next call to Next.
	Data []byte
	// Offset is the offset of Data in the file it was read from.
	Offset int64
	// Gap is the number of bytes skipped.
	Gap int64
	// Reset is why the file started over.
	Reset ResetCause
}

// Follower streams a log file: first the last bytes already in it, then every
// new byte, across rotations (the rotated-away file is finished first) and
// resets. It reads the file itself and never blocks or slows the writer.
// Followers of one File share a read bandwidth (FileConfig.FollowRate); one
// that falls more than FollowMaxLag behind skips ahead and gets a Gap.
//
// A follower pins the file generations it has not finished, but never more
// than the rotation keeps: when a rotation leaves a follower more than
// Backups+1 generations behind, the File itself releases the follower's
// generations (evicts it), whether or not Next is being called (a client
// that stopped reading blocks its server in a send, not in Next); the
// follower then gets the Gap at its next call. Descriptors and disk held
// for followers are thus bounded by Backups plus a constant, however many
// followers stall.
type Follower struct {
	f       *File
	seg     *segment // written under f.mu
	pos     int64    // file offset of the next byte in seg
	err     error    // permanent error (stream target)
	stop    chan struct{}
	shut    atomic.Bool
	evicted atomic.Bool // set under f.mu: seg was released; skip ahead

	reset   ResetCause // pending Reset chunk after a Gap
	buf     *[]byte    // buffer of the last Data chunk
	tokens  float64
	refill  time.Time
	lastDat time.Time
	timer   *time.Timer
}

var followBufs = sync.Pool{New: func() any { b := make([]byte, followBlock); return &b }}

// Follow returns a follower that starts with the last tailBytes bytes of the
// current file (the whole file if shorter; none if tailBytes <= 0). Next on
// a follower of a stream target (/dev/stdout) fails with NO_FILE.
func (f *File) Follow(tailBytes int64) *Follower {
	fl := &Follower{f: f, stop: make(chan struct{}), refill: time.Now()}
	if err := f.readable(); err != nil || f.devNull {
		if err == nil {
			err = io.EOF // /dev/null: nothing, ever
		}
		fl.err = err
		return fl
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		fl.err = io.EOF
		return fl
	}
	fl.seg = f.cur
	end := fl.seg.end.Load()
	fl.pos = end - max(min(tailBytes, end), 0)
	f.followers[fl] = struct{}{}
	f.nfollow.Add(1)
	fl.tokens = float64(followBlock)
	return fl
}

// Close stops the follower; it may be called from another goroutine, and a
// Next in progress then returns ErrClosed.
func (fl *Follower) Close() error {
	if fl.shut.Swap(true) {
		return nil
	}
	close(fl.stop)
	f := fl.f
	f.mu.Lock()
	if _, ok := f.followers[fl]; ok {
		delete(f.followers, fl)
		f.nfollow.Add(-1)
		f.gcLocked()
	}
	f.mu.Unlock()
	return nil
}

// Next returns the next chunk, blocking until there is one, ctx is done
// (ctx.Err()), the follower is closed (ErrClosed) or the File is closed and
// everything was read (io.EOF).
func (fl *Follower) Next(ctx context.Context) (Chunk, error) {
	if fl.buf != nil {
		followBufs.Put(fl.buf)
		fl.buf = nil
	}
	if fl.err != nil {
		return fl.failed(ctx)
	}
	for {
		if fl.shut.Load() {
			return Chunk{}, ErrClosed
		}
		if err := ctx.Err(); err != nil {
			return Chunk{}, err
		}
		if fl.reset != ResetNone {
			c := Chunk{Reset: fl.reset}
			fl.reset = ResetNone
			return c, nil
		}
		if fl.evicted.Load() {
			if gap := fl.skip(); gap > 0 {
				return Chunk{Gap: gap}, nil
			}
			continue
		}
		if gap := fl.catchUp(); gap > 0 {
			return Chunk{Gap: gap}, nil
		}
		seg := fl.seg
		done := seg.done.Load()
		end := seg.end.Load()
		switch {
		case done && (seg.how == segTruncated || seg.how == segCleared):
			if gap := fl.endGeneration(seg, end); gap > 0 {
				return Chunk{Gap: gap}, nil
			}
		case fl.pos < end:
			if c, ok, err := fl.read(ctx, seg, end, done); ok || err != nil {
				return c, err
			}
		case done && seg.how == segClosed:
			return Chunk{}, io.EOF
		case done:
			// Rotated or reopened: continue with the next file.
			if fl.advance() {
				fl.reset = ResetRotated
			}
		default:
			if err := fl.wait(ctx, seg, end); err != nil {
				return Chunk{}, err
			}
		}
	}
}

// failed is Next for a follower with a permanent error. /dev/null never
// has anything: its follower blocks like an idle log until ctx ends or it
// is closed.
func (fl *Follower) failed(ctx context.Context) (Chunk, error) {
	if fl.err == io.EOF && fl.seg == nil && fl.f.stream != nil {
		select {
		case <-ctx.Done():
			return Chunk{}, ctx.Err()
		case <-fl.stop:
			return Chunk{}, ErrClosed
		}
	}
	return Chunk{}, fl.err
}

// catchUp skips ahead when the follower is more than FollowMaxLag behind
// the writer, and returns the number of bytes skipped.
func (fl *Follower) catchUp() int64 {
	if fl.f.total.Load()-fl.seg.global(fl.pos) <= fl.f.cfg.FollowMaxLag {
		return 0
	}
	return fl.skip()
}

// endGeneration leaves a generation that was truncated (its rest is gone)
// or cleared (its rest is unwanted): it returns the bytes lost (none for a
// clear) and queues the Reset chunk.
func (fl *Follower) endGeneration(seg *segment, end int64) (gap int64) {
	if seg.how == segTruncated {
		gap = max(end-fl.pos, 0)
	}
	if !fl.advance() {
		return 0 // evicted meanwhile: the skip counts what is lost
	}
	fl.reset = ResetTruncated
	if seg.how == segCleared {
		fl.reset = ResetCleared
	}
	return gap
}

// read reads the next Data chunk of seg, which holds bytes up to end. It
// reports false (and no error) when Next must look again: it slept to
// coalesce a trickle or to respect the read budget, the segment was
// truncated under it, or another program truncated the file.
func (fl *Follower) read(ctx context.Context, seg *segment, end int64, done bool) (Chunk, bool, error) {
	f := fl.f
	if !seg.read {
		return Chunk{}, false, fmt.Errorf("follow %s: file is not readable", f.cfg.Path)
	}
	avail := end - fl.pos
	now := time.Now()
	if avail < followBlock && !done && now.Sub(fl.lastDat) < f.cfg.FollowInterval {
		// A trickle: coalesce wake-ups.
		return Chunk{}, false, fl.sleep(ctx, fl.lastDat.Add(f.cfg.FollowInterval).Sub(now))
	}
	want := min(avail, followBlock)
	if wait := fl.take(now, want); wait > 0 {
		return Chunk{}, false, fl.sleep(ctx, wait)
	}
	bp := followBufs.Get().(*[]byte)
	n, err := seg.file.ReadAt((*bp)[:want], fl.pos)
	if fl.evicted.Load() {
		// The File released the segment (and may have closed its file)
		// while we read: skip ahead instead.
		followBufs.Put(bp)
		return Chunk{}, false, nil
	}
	if seg.done.Load() && seg.how == segTruncated {
		// Truncated while we read: the bytes may be new ones.
		followBufs.Put(bp)
		return Chunk{}, false, nil
	}
	if n == 0 && err != nil {
		followBufs.Put(bp)
		if fl.shut.Load() {
			return Chunk{}, false, ErrClosed
		}
		if errors.Is(err, io.EOF) {
			// Truncated by another program: the writer notices at its
			// next write, which ends this segment. Wait for it.
			return Chunk{}, false, fl.wait(ctx, seg, end)
		}
		return Chunk{}, false, fmt.Errorf("follow %s: %w", f.cfg.Path, err)
	}
	fl.buf = bp
	c := Chunk{Data: (*bp)[:n], Offset: fl.pos}
	fl.pos += int64(n)
	fl.lastDat = now
	return c, true, nil
}

// take spends want bytes of the follower's share of the File's read budget,
// or returns how long to wait for them.
func (fl *Follower) take(now time.Time, want int64) time.Duration {
	rate := float64(fl.f.cfg.FollowRate) / float64(max(fl.f.nfollow.Load(), 1))
	burst := max(float64(followBlock), rate*fl.f.cfg.FollowInterval.Seconds())
	fl.tokens = min(fl.tokens+now.Sub(fl.refill).Seconds()*rate, burst)
	fl.refill = now
	need := float64(want)
	if fl.tokens >= need {
		fl.tokens -= need
		return 0
	}
	return time.Duration((need - fl.tokens) / rate * float64(time.Second))
}

// advance moves to the next segment; it reports false, doing nothing, for
// an evicted follower (which skips ahead instead).
func (fl *Follower) advance() bool {
	f := fl.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl.evicted.Load() {
		return false
	}
	next := fl.seg.next
	fl.seg = next
	fl.pos = next.start
	f.gcLocked()
	return true
}

// skip jumps close to the end of the current file and returns the number of
// bytes skipped. An evicted follower rejoins that way (at the end, if the
// File is closed: its segments are gone).
func (fl *Follower) skip() int64 {
	f := fl.f
	f.mu.Lock()
	defer f.mu.Unlock()
	from := fl.seg.global(fl.pos)
	cur := f.cur
	if fl.evicted.Swap(false) && f.closed {
		fl.seg, fl.pos = cur, cur.end.Load()
		f.gcLocked()
		return max(cur.global(fl.pos)-from, 0)
	}
	if f.closed {
		// Keep reading what is left in the last segment.
		for fl.seg.done.Load() && fl.seg.next != nil {
			fl.seg = fl.seg.next
			fl.pos = fl.seg.start
		}
		cur = fl.seg
	}
	end := cur.end.Load()
	pos := max(end-followBlock, cur.start)
	if cur == fl.seg && pos <= fl.pos {
		return 0
	}
	fl.seg, fl.pos = cur, pos
	f.gcLocked()
	return max(cur.global(pos)-from, 0)
}

// wait blocks until the segment grows or ends, or ctx ends.
func (fl *Follower) wait(ctx context.Context, seg *segment, end int64) error {
	f := fl.f
	f.wakeMu.Lock()
	ch := f.wake
	f.waiters.Add(1)
	f.wakeMu.Unlock()
	defer f.waiters.Add(-1)
	if seg.end.Load() != end || seg.done.Load() {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-fl.stop:
		return ErrClosed
	}
}

// sleep waits d, or until ctx ends or the follower is closed.
func (fl *Follower) sleep(ctx context.Context, d time.Duration) error {
	if fl.timer == nil {
		fl.timer = time.NewTimer(d)
	} else {
		fl.timer.Reset(d)
	}
	select {
	case <-fl.timer.C:
		return nil
	case <-ctx.Done():
		fl.timer.Stop()
		return ctx.Err()
	case <-fl.stop:
		fl.timer.Stop()
		return ErrClosed
	}
}
