package supervisor

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/logs"
)

// A process's version counter is advanced after each change of what its
// snapshot holds: by its process.Process (each section that may change
// its state), by its log Files (each change of their counters), and by
// the member itself (the note of a failed dependency). versionReady is
// set in it once the member's logs are open; until then the process has
// no version (its snapshot waits for the logs).
const versionReady = 1 << 63

// versionCells hands out the members' version counters from blocks, so
// that those of the processes created together (a daemon's thousand at
// start) lie side by side, and a list reads them as one stream rather
// than a cache line from each member.
type versionCells struct {
	mu    sync.Mutex
	block []atomic.Uint64
}

// versionBlock is how many counters a block holds (4 KiB).
const versionBlock = 512

// next returns a new counter, at zero.
func (c *versionCells) next() *atomic.Uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.block) == 0 {
		c.block = make([]atomic.Uint64, versionBlock)
	}
	v := &c.block[0]
	c.block = c.block[1:]
	return v
}

// A ProcessVersion stands for one state of one process's snapshot. Two
// equal versions given by EachProcessAt describe the same snapshot apart
// from its time: Now, and the uptime in a running process's
// Description. The zero ProcessVersion stands for none (see Known).
type ProcessVersion struct {
	m *member
	// gen is the process's counter; settings the supervisor-wide state
	// a snapshot also reads (the disabled programs, the starts waiting
	// for dependencies).
	gen, settings uint64
}

// Known reports whether v stands for a snapshot. A process has no
// version while its logs are not open yet, while any start waits for
// dependencies, and ever if it is an event listener or has health probes
// (its snapshot follows its pool or its probes).
func (v ProcessVersion) Known() bool { return v.m != nil }

// EachProcessAt calls fn for every process, in Processes' order, with its
// version and with info, which takes its snapshot as of now when called
// (and returns it until fn returns; fn must not keep it, nor its log
// counters). A caller that keeps what it made of a snapshot with its
// version can use it again while the version is the same, without taking
// the snapshot: the version is read first, so a change made meanwhile
// shows in the next version. A process that started or stopped after now
// is described as of the clock's time instead (Process.InfoAt).
func (s *Supervisor) EachProcessAt(now time.Time, fn func(v ProcessVersion, info func() *ProcessInfo)) error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	o := s.nameOrder()
	var (
		stats [2]logs.Stats
		pi    ProcessInfo
		cur   *member
	)
	info := func() *ProcessInfo {
		pi = s.infoInto(cur, &stats, now)
		return &pi
	}
	// What a waiting start waits for follows other processes: no
	// process has a version then.
	versioned := s.deps.count.Load() == 0
	settings := s.sticky.changes.Load() + s.deps.changes.Load()
	for k, m := range o.members {
		cur = m
		var v ProcessVersion
		if c := o.versions[k]; c != nil && versioned {
			if g := c.Load(); g&versionReady != 0 {
				v = ProcessVersion{m: m, gen: g, settings: settings}
			}
		}
		fn(v, info)
	}
	return nil
}

// logsOpened publishes the member's log files, once openLogs set them:
// they advance the version from now on, and the process has one.
func (m *member) logsOpened() {
	for _, f := range [...]*logs.File{m.stdout, m.stderr} {
		if f != nil {
			f.TrackChanges(m.version)
		}
	}
	close(m.ready)
	m.version.Or(versionReady)
}
