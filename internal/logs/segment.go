package logs

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/symlinks"
)

// segEnd says how a segment (one file generation) ended.
type segEnd int

const (
	segLive      segEnd = iota // still being written
	segRotated                 // renamed to a backup; the next segment is a new file
	segReopened                // the path was reopened (SIGUSR2) onto another file
	segTruncated               // truncated in place: unread bytes are gone
	segCleared                 // removed by Clear
	segClosed                  // the File was closed
)

// segment is one generation of a log file: the bytes written to one open
// file description between two rotations (or truncations, clears, reopens).
// The writer appends; followers read with pread through the same
// description, so a follower can finish a rotated-away file through it.
type segment struct {
	seq   uint64
	file  *os.File // opened read-write (or write-only if not readable)
	fd    int
	ino   *inodeLock
	read  bool  // file is readable
	start int64 // file offset at which this segment began
	base  int64 // File.total when the segment began

	end  atomic.Int64 // file size as far as the writer knows
	done atomic.Bool  // set (after end is final and how/next are set) when ended

	how    segEnd   // valid once done
	next   *segment // valid once done (nil for segClosed, and once released)
	closed bool     // file closed (under the File's lock)
}

// global returns the stream position of file offset off in this segment.
func (s *segment) global(off int64) int64 { return s.base + off - s.start }

// openSegment opens path for writing (and reading, if allowed) without
// O_APPEND (splice(2) refuses O_APPEND targets); writes go at explicit
// offsets. extra is added to the open flags (O_TRUNC). A symbolic link
// another user planted in a sticky directory is refused (package
// symlinks), for the first open and every rotation alike.
func openSegment(path string, extra int, perm os.FileMode) (*segment, error) {
	readable := true
	f, err := symlinks.OpenFile(path, os.O_RDWR|os.O_CREATE|extra, perm)
	if err != nil && os.IsPermission(err) {
		readable = false
		f, err = symlinks.OpenFile(path, os.O_WRONLY|os.O_CREATE|extra, perm)
	}
	if err != nil {
		return nil, err
	}
	s, err := newSegment(f, readable)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// newSegment wraps an open file; its current size becomes start and end.
func newSegment(f *os.File, readable bool) (*segment, error) {
	var st unix.Stat_t
	fd := int(f.Fd())
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("fstat: %w", err)
	}
	s := &segment{
		file:  f,
		fd:    fd,
		read:  readable,
		start: st.Size,
		ino:   acquireInode(uint64(st.Dev), st.Ino),
	}
	s.end.Store(st.Size)
	return s, nil
}

// dupSegment returns a new segment on the same inode as s (for a
// truncation by someone else: same file, new generation).
func dupSegment(s *segment) (*segment, error) {
	nfd, err := unix.FcntlInt(uintptr(s.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("dup: %w", err)
	}
	f := os.NewFile(uintptr(nfd), s.file.Name())
	ns, err := newSegment(f, s.read)
	if err != nil {
		f.Close()
		return nil, err
	}
	return ns, nil
}

// close closes the segment's file and releases its inode lock (once;
// called under the File's lock). The file field stays: an evicted
// follower may be reading it, and then gets os.ErrClosed.
func (s *segment) close() {
	if !s.closed {
		s.closed = true
		s.file.Close()
		releaseInode(s.ino)
	}
}

// inodeLock serialises writers of one inode inside this process, so that two
// Files on the same path (stdout and stderr into one file) never write at the
// same offset: each takes the lock, reads the size, and writes there.
type inodeLock struct {
	mu   sync.Mutex
	key  [2]uint64
	refs int
}

var (
	inodesMu sync.Mutex
	inodes   = map[[2]uint64]*inodeLock{}
)

func acquireInode(dev, ino uint64) *inodeLock {
	key := [2]uint64{dev, ino}
	inodesMu.Lock()
	defer inodesMu.Unlock()
	l := inodes[key]
	if l == nil {
		l = &inodeLock{key: key}
		inodes[key] = l
	}
	l.refs++
	return l
}

func releaseInode(l *inodeLock) {
	inodesMu.Lock()
	defer inodesMu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(inodes, l.key)
	}
}
