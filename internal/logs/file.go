package logs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/symlinks"
)

// Follower tuning defaults (see FileConfig).
const (
	// DefaultFollowMaxLag is how far (bytes) a follower may fall behind the
	// writer before it skips ahead with a Gap.
	DefaultFollowMaxLag = 4 << 20
	// DefaultFollowRate is the read bandwidth (bytes per second) shared by
	// all followers of one File.
	DefaultFollowRate = 256 << 20
	// DefaultFollowInterval is the minimum time between two small reads of
	// one follower: wake-ups of a follower that keeps up are coalesced.
	DefaultFollowInterval = 10 * time.Millisecond
	// followBlock is the largest Data chunk a follower returns.
	followBlock = 64 << 10
)

// retryEvery bounds how often a failed rotation or reopen is retried.
const retryEvery = time.Second

// FileConfig configures a log file.
type FileConfig struct {
	// Path is the file name. "/dev/stdout" and "/dev/stderr" (also
	// /dev/fd/1, /dev/fd/2, /proc/self/fd/1, /proc/self/fd/2) name the
	// daemon's own standard output and error.
	Path string
	// MaxBytes rotates the file when a write brings it to this size or
	// more; 0 never rotates.
	MaxBytes int64
	// Backups is the number of rotated files kept (Path.1 is the newest);
	// 0 truncates the file in place when it reaches MaxBytes.
	Backups int

	// FollowMaxLag overrides DefaultFollowMaxLag when > 0.
	FollowMaxLag int64
	// FollowRate overrides DefaultFollowRate when > 0.
	FollowRate int64
	// FollowInterval overrides DefaultFollowInterval when > 0.
	FollowInterval time.Duration
	// Logger receives the File's own problems (dropped bytes, failed
	// rotations), rate-limited; nil means slog.Default(). SetLogger
	// changes it.
	Logger *slog.Logger
	// ReportInterval overrides DefaultReportInterval when > 0: the least
	// time between two reports of the File's problems.
	ReportInterval time.Duration
}

// Stats are a File's counters.
type Stats struct {
	// Written is the number of bytes written.
	Written int64
	// Dropped is the number of bytes that could not be written.
	Dropped int64
	// LastDropError is the error of the most recent drop, if any.
	LastDropError error
	// Rotations counts completed rotations (and in-place truncations).
	Rotations int64
	// RotateErrors counts failed rotation attempts (the file then keeps
	// growing; nothing is lost).
	RotateErrors int64
	// LastRotateError is the error of the most recent failed rotation.
	LastRotateError error
}

// File is a log file with Supervisor's rotation contract: after a write, if
// the size is >= MaxBytes > 0, Path.(N-1) is renamed to Path.N … Path.1 to
// Path.2, Path to Path.1 and an empty Path is opened (Backups=0 truncates in
// place instead). Writes are serialised, so any number of writers may share
// a File; readers (Read, Tail) and followers never block writers.
//
// Close a File after the Captures writing to it have returned: bytes
// written to a closed File are dropped (and counted).
//
// A File on "/dev/stdout" or "/dev/stderr" writes to the daemon's own
// standard output or error (whatever they are), never rotates, and cannot
// be read (NO_FILE). Other non-regular files (a FIFO, /dev/null) are
// written as streams too.
type File struct {
	// What Stats and Path read come first, side by side: a list of a
	// thousand processes reads them for two Files each, from memory the
	// CPU caches no longer hold.
	written   atomic.Int64
	dropped   atomic.Int64
	rotations atomic.Int64
	errs      atomic.Pointer[fileErrors] // see statsMu
	// changes, if set (TrackChanges), is advanced after each change of
	// what Stats returns.
	changes atomic.Pointer[atomic.Uint64]
	cfg     FileConfig

	logger atomic.Pointer[slog.Logger]
	rep    reporter

	stream   *os.File // non-nil for a stream target
	ownsStrm bool     // stream was opened by us (close it)
	devNull  bool     // reads return nothing, like Supervisor reading /dev/null

	mu        sync.Mutex
	cur       *segment   // never nil for a regular file
	segs      []*segment // cur and ended segments that followers still need
	seq       uint64
	closed    bool
	followers map[*Follower]struct{}
	perm      os.FileMode
	reopenDue bool      // Clear or Reopen failed to open Path: retry on write
	retryAt   time.Time // earliest next retry of rotation or reopen
	// recreateErr is why the deleted file could not be made again.
	recreateErr error

	// statsMu serialises the replacements of errs, which holds the
	// errors of Stats (nil until the first); Stats reads them and the
	// counters without a lock.
	statsMu sync.Mutex

	total    atomic.Int64 // stream position: bytes appended to all segments
	nfollow  atomic.Int64
	waiters  atomic.Int64
	wakeMu   sync.Mutex
	wake     chan struct{}
	dropping atomic.Bool // in a streak of failed writes
}

var (
	// ErrClosed is returned by operations on a closed File or Follower.
	ErrClosed = errors.New("log file closed")
)

// stdStreams maps the names of the daemon's own standard streams.
var stdStreams = map[string]*os.File{
	"/dev/stdout": os.Stdout, "/dev/fd/1": os.Stdout, "/proc/self/fd/1": os.Stdout,
	"/dev/stderr": os.Stderr, "/dev/fd/2": os.Stderr, "/proc/self/fd/2": os.Stderr,
}

// OpenFile opens (creating it if needed, appending if it exists) the log file
// described by cfg.
func OpenFile(cfg FileConfig) (*File, error) {
	f, err := newFile(cfg)
	if err != nil {
		return nil, err
	}
	if s, ok := stdStreams[cfg.Path]; ok {
		f.stream = s
		return f, nil
	}
	if st, err := os.Stat(cfg.Path); err == nil && !st.Mode().IsRegular() {
		// A FIFO, a device: write it as a stream. O_NONBLOCK so that a FIFO
		// without a reader fails instead of hanging the open.
		s, err := symlinks.OpenFile(cfg.Path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, fmt.Errorf("open log file: %w", err)
		}
		f.stream, f.ownsStrm = s, true
		f.devNull = st.Mode()&fs.ModeCharDevice != 0 && cfg.Path == os.DevNull
		return f, nil
	}
	seg, err := openSegment(cfg.Path, 0, f.perm)
	if err != nil {
		return nil, fmt.Errorf("open log file: %w", err)
	}
	f.addSegmentLocked(seg)
	return f, nil
}

// newFile checks cfg, fills in its defaults and returns a File with no
// segment or stream yet.
func newFile(cfg FileConfig) (*File, error) {
	if cfg.Path == "" {
		return nil, errdefs.New(errdefs.BadArguments, "log file path is empty")
	}
	if cfg.MaxBytes < 0 {
		return nil, errdefs.New(errdefs.BadArguments, "%s: maxbytes %d is negative", cfg.Path, cfg.MaxBytes)
	}
	if cfg.Backups < 0 {
		return nil, errdefs.New(errdefs.BadArguments, "%s: backups %d is negative", cfg.Path, cfg.Backups)
	}
	if cfg.FollowMaxLag <= 0 {
		cfg.FollowMaxLag = DefaultFollowMaxLag
	}
	if cfg.FollowRate <= 0 {
		cfg.FollowRate = DefaultFollowRate
	}
	if cfg.FollowInterval <= 0 {
		cfg.FollowInterval = DefaultFollowInterval
	}
	if cfg.ReportInterval <= 0 {
		cfg.ReportInterval = DefaultReportInterval
	}
	f := &File{
		cfg:       cfg,
		followers: map[*Follower]struct{}{},
		wake:      make(chan struct{}),
		perm:      0o666,
	}
	f.rep = reporter{f: f, every: cfg.ReportInterval}
	f.SetLogger(cfg.Logger)
	return f, nil
}

// Path returns the file name.
func (f *File) Path() string { return f.cfg.Path }

// SetLogger sets the logger of the File's own problems (nil:
// slog.Default()); the daemon's main log, opened before the logger that
// writes to it exists, gets it this way.
func (f *File) SetLogger(l *slog.Logger) {
	if l == nil {
		l = slog.Default()
	}
	f.logger.Store(l)
}

// log returns the logger of the File's own problems.
func (f *File) log() *slog.Logger { return f.logger.Load() }

// fileErrors are the errors of a File's Stats, replaced whole on each
// change.
type fileErrors struct {
	lastDrop     error
	rotateErrors int64
	lastRotate   error
}

// TrackChanges makes the File advance c after each change of what Stats
// returns, so that a reader that loads c before reading the Stats and
// finds it unchanged later knows they still hold.
func (f *File) TrackChanges(c *atomic.Uint64) { f.changes.Store(c) }

// statsChanged advances the counter of TrackChanges, if any: called after
// each change of what Stats returns.
func (f *File) statsChanged() {
	if c := f.changes.Load(); c != nil {
		c.Add(1)
	}
}

// setErrors replaces the File's errors with what change makes of a copy
// of them.
func (f *File) setErrors(change func(*fileErrors)) {
	f.statsMu.Lock()
	defer f.statsMu.Unlock()
	var e fileErrors
	if old := f.errs.Load(); old != nil {
		e = *old
	}
	change(&e)
	f.errs.Store(&e)
	f.statsChanged()
}

// Stats returns the File's counters.
func (f *File) Stats() Stats {
	s := Stats{Written: f.written.Load(), Dropped: f.dropped.Load(), Rotations: f.rotations.Load()}
	if e := f.errs.Load(); e != nil {
		s.LastDropError, s.RotateErrors, s.LastRotateError = e.lastDrop, e.rotateErrors, e.lastRotate
	}
	return s
}

// Write appends p to the file and rotates it if it reached MaxBytes. A
// write is never split between two files. Bytes that cannot be written are
// counted in Stats().Dropped and the error is returned.
func (f *File) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.stream != nil {
		n, err := f.stream.Write(p)
		f.written.Add(int64(n))
		f.statsChanged()
		if err != nil {
			f.drop(int64(len(p)-n), err)
		} else {
			f.recovered()
		}
		return n, err
	}
	var n int
	err := f.write(func(fd int, off int64) (int, error) {
		for n < len(p) {
			m, err := unix.Pwrite(fd, p[n:], off+int64(n))
			if err == unix.EINTR {
				continue
			}
			if m > 0 {
				n += m
			}
			if err != nil {
				return n, err
			}
			if m == 0 {
				return n, io.ErrShortWrite
			}
		}
		return n, nil
	})
	if err != nil {
		f.drop(int64(len(p)-n), fmt.Errorf("write %s: %w", f.cfg.Path, err))
	} else {
		f.recovered()
	}
	return n, err
}

// write runs op at the end of the current file, under the File and inode
// locks, then accounts for the n bytes written, rotates and wakes followers.
func (f *File) write(op func(fd int, off int64) (int, error)) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrClosed
	}
	if f.reopenDue && time.Now().After(f.retryAt) {
		f.reopenLocked() // on failure keep writing to the old file
	}
	seg := f.cur
	ino := seg.ino
	ino.mu.Lock()
	off, err := f.syncSizeLocked()
	if errors.Is(err, errDeleted) {
		// Bytes written to a deleted file reach no log: make the file
		// again, or drop them (counted) until it can be made.
		ino.mu.Unlock()
		if err := f.recreateLocked(); err != nil {
			f.mu.Unlock()
			return err
		}
		ino = f.cur.ino
		ino.mu.Lock()
		off, err = f.syncSizeLocked()
	}
	if err != nil {
		ino.mu.Unlock()
		f.mu.Unlock()
		return err
	}
	seg = f.cur
	n, err := op(seg.fd, off)
	ino.mu.Unlock()
	var rotErr error
	rotated := false
	if n > 0 {
		seg.end.Store(off + int64(n))
		f.total.Add(int64(n))
		f.written.Add(int64(n))
		f.statsChanged()
		if f.cfg.MaxBytes > 0 && off+int64(n) >= f.cfg.MaxBytes && !time.Now().Before(f.retryAt) {
			rotErr = f.rotateLocked()
			rotated = rotErr == nil
		}
	}
	f.mu.Unlock()
	if n > 0 {
		f.notify()
	}
	switch {
	case rotErr != nil:
		f.rep.rotateFailed(rotErr)
	case rotated:
		f.rep.rotated()
	}
	return err
}

// errDeleted is syncSizeLocked's error for a file that no longer has a
// name (deleted, or its directory removed).
var errDeleted = errors.New("the log file was deleted")

// syncSizeLocked returns the current size of the file, noticing bytes
// appended by someone else and truncation by someone else (copytruncate),
// which starts a new segment, and deletion (errDeleted). Called with f.mu
// and the inode lock held.
func (f *File) syncSizeLocked() (int64, error) {
	seg := f.cur
	var st unix.Stat_t
	if err := unix.Fstat(seg.fd, &st); err != nil {
		return 0, fmt.Errorf("fstat: %w", err)
	}
	if st.Nlink == 0 {
		return 0, errDeleted
	}
	end := seg.end.Load()
	switch {
	case st.Size > end:
		seg.end.Store(st.Size)
		f.total.Add(st.Size - end)
	case st.Size < end:
		ns, err := dupSegment(seg)
		if err != nil {
			// Keep writing at the (smaller) end of the same file.
			seg.end.Store(st.Size)
			return st.Size, nil
		}
		ns.start = 0
		f.endSegmentLocked(segTruncated, ns)
	}
	return st.Size, nil
}

// rotateLocked performs Supervisor's doRollover. Failures leave the current
// file in place (it keeps growing) and are retried after retryEvery.
func (f *File) rotateLocked() error {
	old := f.cur
	path := f.cfg.Path
	perm := f.permOf(old)
	if f.cfg.Backups > 0 {
		for i := f.cfg.Backups - 1; i >= 1; i-- {
			src := path + "." + strconv.Itoa(i)
			if _, err := os.Lstat(src); err != nil {
				continue
			}
			if err := os.Rename(src, path+"."+strconv.Itoa(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return f.rotateFailedLocked(err)
			}
		}
		if err := os.Rename(path, path+".1"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return f.rotateFailedLocked(err)
		}
		ns, err := openSegment(path, os.O_TRUNC, perm)
		if err != nil {
			// Path is gone (renamed to .1) but we keep writing into .1
			// through the open file: nothing is lost.
			return f.rotateFailedLocked(err)
		}
		f.endSegmentLocked(segRotated, ns)
	} else {
		ns, err := openSegment(path, os.O_TRUNC, perm)
		if err != nil {
			return f.rotateFailedLocked(err)
		}
		f.endSegmentLocked(segTruncated, ns)
	}
	f.rotations.Add(1)
	f.statsChanged()
	return nil
}

func (f *File) rotateFailedLocked(err error) error {
	err = fmt.Errorf("rotate %s: %w", f.cfg.Path, err)
	f.setErrors(func(e *fileErrors) { e.rotateErrors++; e.lastRotate = err })
	f.retryAt = time.Now().Add(retryEvery)
	return err
}

// permOf returns the permission bits of seg's file, so that a new generation
// of a 0600 AUTO log stays 0600.
func (f *File) permOf(seg *segment) os.FileMode {
	if st, err := seg.file.Stat(); err == nil {
		return st.Mode().Perm()
	}
	return f.perm
}

// addSegmentLocked makes seg the current segment.
// Bytes already in the file beyond seg.start count as appended.
func (f *File) addSegmentLocked(seg *segment) {
	f.seq++
	seg.seq = f.seq
	seg.base = f.total.Add(seg.end.Load()-seg.start) - (seg.end.Load() - seg.start)
	f.cur = seg
	f.segs = append(f.segs, seg)
}

// endSegmentLocked ends the current segment with how and makes next
// current (next is nil only for segClosed).
func (f *File) endSegmentLocked(how segEnd, next *segment) {
	old := f.cur
	old.how = how
	if next != nil {
		f.addSegmentLocked(next)
	}
	old.next = next
	old.done.Store(true)
	f.gcLocked()
}

// gcLocked evicts the followers that fell behind what the rotation keeps
// and closes the ended segments no remaining follower can still read.
// Segments older than the current one minus Backups+1 are never kept:
// their files are gone from disk (overwritten by the rotation) except
// the newest of them, which a follower finishing the previous generation
// may still need.
func (f *File) gcLocked() {
	var floor uint64
	if keep := uint64(f.cfg.Backups) + 1; f.cur != nil && f.cur.seq > keep {
		floor = f.cur.seq - keep
	}
	min := ^uint64(0)
	if f.cur != nil && !f.closed {
		min = f.cur.seq
	}
	readers := 0
	for fl := range f.followers {
		if fl.seg == nil || fl.evicted.Load() {
			continue
		}
		if fl.seg.seq < floor {
			fl.evicted.Store(true)
			continue
		}
		readers++
		if fl.seg.seq < min {
			min = fl.seg.seq
		}
	}
	keep := f.segs[:0]
	for _, s := range f.segs {
		if s.seq < min || (f.closed && readers == 0) {
			s.close()
			// An evicted follower's segment must not keep the chain of
			// every later segment alive: it skips ahead, never forward.
			s.next = nil
			continue
		}
		keep = append(keep, s)
	}
	for i := len(keep); i < len(f.segs); i++ {
		f.segs[i] = nil
	}
	f.segs = keep
}

// drop counts n bytes that could not be written and reports them (never
// while holding f.mu: the logger may write to this very File).
func (f *File) drop(n int64, err error) {
	if n <= 0 {
		return
	}
	f.dropped.Add(n)
	f.setErrors(func(e *fileErrors) { e.lastDrop = err })
	f.dropping.Store(true)
	f.rep.drop(n, err)
}

// recovered ends a streak of failed writes (called after a good write).
func (f *File) recovered() {
	if f.dropping.Load() && f.dropping.CompareAndSwap(true, false) {
		f.rep.wrote()
	}
}

// notify wakes the followers waiting for data.
func (f *File) notify() {
	if f.waiters.Load() == 0 {
		return
	}
	f.wakeMu.Lock()
	close(f.wake)
	f.wake = make(chan struct{})
	f.wakeMu.Unlock()
}

// Clear removes the file and reopens it empty, like Supervisor's
// clearProcessLogs (backups are kept). Followers get a Reset chunk.
func (f *File) Clear() error {
	if f.stream != nil {
		return nil
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrClosed
	}
	perm := f.permOf(f.cur)
	if err := os.Remove(f.cfg.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		f.mu.Unlock()
		return errdefs.Wrap(errdefs.Failed, err, f.cfg.Path)
	}
	ns, err := openSegment(f.cfg.Path, os.O_TRUNC, perm)
	if err != nil {
		f.reopenDue = true
		f.retryAt = time.Now().Add(retryEvery)
		f.mu.Unlock()
		return errdefs.Wrap(errdefs.Failed, err, f.cfg.Path)
	}
	f.reopenDue = false
	f.endSegmentLocked(segCleared, ns)
	f.mu.Unlock()
	f.notify()
	return nil
}

// Reopen reopens Path (SIGUSR2): if the file was moved away, a new one is
// created and followers continue with it after finishing the old one.
func (f *File) Reopen() error {
	if f.stream != nil {
		return nil
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrClosed
	}
	err := f.reopenLocked()
	f.mu.Unlock()
	f.notify()
	return err
}

// recreateLocked opens Path again after the current file was deleted, at
// most once per retryEvery; until it succeeds, it returns why it cannot.
func (f *File) recreateLocked() error {
	if time.Now().Before(f.retryAt) && f.recreateErr != nil {
		return f.recreateErr
	}
	if err := f.reopenLocked(); err != nil {
		f.recreateErr = fmt.Errorf("%w and cannot be created again: %w", errDeleted, err)
		return f.recreateErr
	}
	f.recreateErr = nil
	return nil
}

func (f *File) reopenLocked() error {
	var st unix.Stat_t
	if err := unix.Stat(f.cfg.Path, &st); err == nil {
		if [2]uint64{uint64(st.Dev), st.Ino} == f.cur.ino.key {
			f.reopenDue = false
			return nil // still the same file: nothing to do
		}
	}
	ns, err := openSegment(f.cfg.Path, 0, f.permOf(f.cur))
	if err != nil {
		f.reopenDue = true
		f.retryAt = time.Now().Add(retryEvery)
		return fmt.Errorf("reopen log file: %w", err)
	}
	f.reopenDue = false
	if ns.ino.key == f.cur.ino.key {
		ns.close() // replaced and put back between stat and open
		return nil
	}
	ns.start = 0 // followers read the new file from its start
	f.endSegmentLocked(segReopened, ns)
	return nil
}

// Close closes the file. Followers read what remains, then get io.EOF.
func (f *File) Close() error {
	if f.stream != nil {
		if f.ownsStrm {
			return f.stream.Close()
		}
		return nil
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	f.endSegmentLocked(segClosed, nil)
	f.mu.Unlock()
	f.notify()
	return nil
}

// canSplice reports whether Capture may splice(2) into this File.
func (f *File) canSplice() bool { return f.stream == nil }

// spliceFrom moves up to max bytes from the pipe pfd into the file with
// splice(2). It caps the amount so that the file passes MaxBytes by at
// most one chunk. It returns unix.EAGAIN when the pipe is empty and (0, nil)
// at end of file; short reports that fewer bytes than asked were moved (the
// pipe is now empty).
func (f *File) spliceFrom(pfd int, max int) (n int, short bool, err error) {
	err = f.write(func(fd int, off int64) (int, error) {
		want := max
		if f.cfg.MaxBytes > 0 {
			if rem := f.cfg.MaxBytes - off; rem > 0 && rem < int64(want) {
				want = int(rem)
			}
		}
		for {
			o := off
			m, err := unix.Splice(pfd, nil, fd, &o, want, unix.SPLICE_F_NONBLOCK|unix.SPLICE_F_MOVE)
			if err == unix.EINTR {
				continue
			}
			if m > 0 {
				n = int(m)
			}
			short = n < want
			return n, err
		}
	})
	if err == nil && n > 0 {
		f.recovered()
	}
	return n, short, err
}
