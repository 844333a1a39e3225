package recovery

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/procfs"
)

// writeInterval is the least time between two writes of the state file:
// the changes made meanwhile go in the next one. It is the longest a new
// child can stay unrecorded, beyond the write itself.
const writeInterval = 20 * time.Millisecond

// Recorder keeps the state file of a running daemon: Spawned and Refresh
// are cheap and never wait for the disk; a goroutine writes the file.
type Recorder struct {
	path string
	log  *slog.Logger

	mu       sync.Mutex
	config   string
	daemon   Proc
	children map[string]Child
	// pending names the children whose start time the next snapshot
	// reads from /proc: until then they are not written.
	pending map[string]bool
	// dirty names the children whose liveness the next snapshot checks
	// in /proc; all asks for every child.
	dirty  map[string]bool
	all    bool
	closed bool

	kick chan struct{}
	quit chan struct{}
	done chan struct{}
}

// NewRecorder starts recording into path (see Path) for the daemon of
// the configuration file config, and writes a first state with no
// children.
func NewRecorder(path, config string, log *slog.Logger) (*Recorder, error) {
	self, err := procfs.ReadStat(os.Getpid())
	if err != nil {
		return nil, fmt.Errorf("record the children in %s: %w", path, err)
	}
	r := &Recorder{
		path:     path,
		log:      log,
		config:   config,
		daemon:   Proc{PID: self.PID, StartTime: self.StartTime},
		children: make(map[string]Child),
		pending:  make(map[string]bool),
		dirty:    make(map[string]bool),
		kick:     make(chan struct{}, 1),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	// The pidfile's directory may not exist yet (the daemon creates it
	// for the pidfile too).
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("record the children in %s: %w", path, err)
	}
	if err := writeState(path, r.snapshot()); err != nil {
		return nil, err
	}
	go r.run()
	return r, nil
}

// SetConfig records a new configuration path (after a restart on another
// file).
func (r *Recorder) SetConfig(config string) {
	r.mu.Lock()
	r.config = config
	r.mu.Unlock()
	r.wake()
}

// Spawned records a child the daemon has just forked. It does not read
// /proc, so that a burst of spawns is not slowed by it: the writer reads
// the child's start time before it first writes the child, and forgets
// the child if the pid no longer belongs to a live child of this process
// by then (it exited and was reaped: there is nothing to recover).
func (r *Recorder) Spawned(name string, pid int, stop Stop) {
	r.mu.Lock()
	r.children[name] = Child{Name: name, Proc: Proc{PID: pid}, Stop: stop}
	r.pending[name] = true
	r.mu.Unlock()
	r.wake()
}

// Refresh asks for the file to be rewritten without the child name if it
// has exited (the daemon calls it when that process changes state), or
// without every child that has exited when name is "" (after missed
// state changes). Whether a child still runs is read from /proc, so the
// order of Spawned and Refresh calls does not matter; only the children
// named are read, so a burst of spawns costs one read each, not one per
// recorded child.
func (r *Recorder) Refresh(name string) {
	r.mu.Lock()
	if name == "" {
		r.all = true
	} else {
		r.dirty[name] = true
	}
	r.mu.Unlock()
	r.wake()
}

func (r *Recorder) wake() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Close stops recording and removes the state file: the daemon is shutting
// down cleanly, with its children stopped.
func (r *Recorder) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	r.mu.Unlock()
	close(r.quit)
	<-r.done
	if err := os.Remove(r.path); err != nil && !os.IsNotExist(err) {
		r.log.Warn(fmt.Sprintf("could not remove the state file %s: %v", r.path, err))
	}
}

// run writes the state whenever it changed, coalescing bursts.
func (r *Recorder) run() {
	defer close(r.done)
	failing := false
	for {
		select {
		case <-r.quit:
			return
		case <-r.kick:
		}
		err := writeState(r.path, r.snapshot())
		switch {
		case err != nil && !failing:
			r.log.Warn(fmt.Sprintf("could not record the running children: %v", err))
			failing = true
		case err == nil:
			failing = false
		}
		// A burst of spawns (start-up, startAll) is written in a few
		// files, not one per child.
		select {
		case <-r.quit:
			return
		case <-time.After(writeInterval):
		}
	}
}

// snapshot returns the state to write, children sorted by name: it reads
// the start time of the children spawned since the last one, and forgets
// the children asked about (Refresh) that no longer run. /proc is read
// without the lock, which Spawned waits for on the daemon's spawn path.
func (r *Recorder) snapshot() *State {
	type check struct {
		c             Child
		pending, gone bool
	}
	r.mu.Lock()
	s := &State{Version: stateVersion, Config: r.config, Daemon: r.daemon}
	var checks []check
	for name, c := range r.children {
		if p := r.pending[name]; p || r.all || r.dirty[name] {
			checks = append(checks, check{c: c, pending: p})
		}
	}
	clear(r.pending)
	clear(r.dirty)
	r.all = false
	r.mu.Unlock()

	self := os.Getpid()
	for i := range checks {
		ch := &checks[i]
		if !ch.pending {
			ch.gone = !alive(ch.c.Proc)
			continue
		}
		// Still this process's child, not yet reaped.
		st, err := procfs.ReadStat(ch.c.PID)
		ch.gone = err != nil || st.PPID != self || st.Zombie()
		ch.c.StartTime = st.StartTime
	}

	r.mu.Lock()
	for _, ch := range checks {
		name := ch.c.Name
		if cur, ok := r.children[name]; !ok || cur.PID != ch.c.PID || r.pending[name] {
			continue // spawned again meanwhile: the next snapshot reads it
		}
		if ch.gone {
			delete(r.children, name)
		} else {
			r.children[name] = ch.c
		}
	}
	s.Children = make([]Child, 0, len(r.children))
	for name, c := range r.children {
		if !r.pending[name] {
			s.Children = append(s.Children, c)
		}
	}
	r.mu.Unlock()
	sort.Slice(s.Children, func(i, j int) bool { return s.Children[i].Name < s.Children[j].Name })
	return s
}
