package supervisor

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// group is one active process group.
type group struct {
	s    *Supervisor
	seq  int
	pool *events.Pool

	// mu guards cfg.Processes, procs and byName, which ScaleProgram
	// replaces (never changes in place); the rest of cfg never changes.
	mu     sync.RWMutex
	cfg    config.GroupConfig
	procs  []*member // configuration order
	byName map[string]*member
}

// members returns the group's processes in configuration order. The
// slice is never changed in place.
func (g *group) members() []*member {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.procs
}

// member returns the process named name, or nil.
func (g *group) member(name string) *member {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.byName[name]
}

// config returns the group's configuration.
func (g *group) config() config.GroupConfig {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.cfg
}

// addGroupLocked creates the group's processes and logs and announces
// PROCESS_GROUP_ADDED. The caller holds s.mu or has exclusive access.
func (s *Supervisor) addGroupLocked(gc config.GroupConfig) (*group, error) {
	g, err := s.newGroup(gc)
	if err != nil {
		return nil, err
	}
	for _, m := range g.members() {
		s.openLogs(m)
	}
	s.registerGroupLocked(g)
	return g, nil
}

// newGroup creates a group and its processes; their log files are not
// open yet (see openLogs).
func (s *Supervisor) newGroup(gc config.GroupConfig) (*group, error) {
	g := &group{s: s, cfg: gc, byName: make(map[string]*member, len(gc.Processes))}
	for i := range gc.Processes {
		pc := &g.cfg.Processes[i]
		m := newMember(g, pc)
		g.procs = append(g.procs, m)
		g.byName[pc.Name] = m
	}
	if gc.Kind == config.KindEventListener && gc.Pool != nil {
		var types []events.Type
		for _, name := range gc.Pool.Events {
			t, err := events.ParseType(name)
			if err != nil {
				return nil, fmt.Errorf("group %s: %w", gc.Name, err)
			}
			types = append(types, t)
		}
		g.pool = events.NewPool(events.PoolConfig{
			Name:       gc.Name,
			Events:     types,
			BufferSize: gc.Pool.BufferSize,
			Identifier: s.cfg.Supervisord.Identifier,
		}, s.bus, s.log)
	}
	return g, nil
}

// registerGroupLocked makes a group active and announces
// PROCESS_GROUP_ADDED. The caller holds s.mu or has exclusive access.
func (s *Supervisor) registerGroupLocked(g *group) {
	s.seq++
	g.seq = s.seq
	s.groups[g.cfg.Name] = g
	s.layoutChanged()
	s.bus.Publish(events.Event{Type: events.TypeProcessGroupAdded, Group: g.cfg.Name})
}

// openLogs opens a member's log files (AUTO logs are created in
// childlogdir). A failure is kept and becomes the process's spawn error,
// as 4.2.5 reports a log it cannot open when it spawns.
func (s *Supervisor) openLogs(m *member) {
	defer m.logsOpened()
	pc := m.Config()
	var err error
	if m.stdout, err = s.openLog(pc, pc.Stdout, "stdout"); err != nil {
		m.logErr = err
		return
	}
	if !pc.RedirectStderr {
		if m.stderr, err = s.openLog(pc, pc.Stderr, "stderr"); err != nil {
			m.logErr = err
		}
	}
}

// errnoText returns the symbolic errno of err ("EACCES") if it has one.
func errnoText(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		if n := unix.ErrnoName(en); n != "" {
			return n
		}
	}
	return err.Error()
}

// openLog opens a channel's log file (nil for NONE). AUTO logs get a new
// file in childlogdir, created now as 4.2.5 does when the group is added.
func (s *Supervisor) openLog(pc *config.ProcessConfig, lc config.LogConfig, channel string) (*logs.File, error) {
	// The file's own problems (dropped bytes, failed rotations) go to the
	// main log.
	cfg := logs.FileConfig{Path: lc.Logfile, MaxBytes: lc.MaxBytes, Backups: lc.Backups, Logger: s.log}
	switch lc.Logfile {
	case "":
		return nil, nil
	case config.AutoLog:
		f, err := logs.CreateAuto(s.cfg.Supervisord.ChildLogDir, pc.Name, channel, s.cfg.Supervisord.Identifier, cfg)
		if err != nil {
			return nil, fmt.Errorf("create AUTO %s log of %s: %w", channel, pc.Name, err)
		}
		return f, nil
	}
	f, err := logs.OpenFile(cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s log of %s: %w", channel, pc.Name, err)
	}
	return f, nil
}

// close releases the group's logs and pool. Its processes must be
// stopped.
func (g *group) close() {
	if g.pool != nil {
		g.pool.Close()
	}
	for _, m := range g.members() {
		m.closeLogs()
	}
}

// closeLogs closes the member's log files; it must be stopped.
func (m *member) closeLogs() {
	stdout, stderr, _ := m.logs()
	if stdout != nil {
		stdout.Close()
	}
	if stderr != nil {
		stderr.Close()
	}
}

// byPriority returns the processes sorted by ascending priority (stable:
// ties keep configuration order).
func (g *group) byPriority() []*member {
	ps := append([]*member(nil), g.members()...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Config().Priority < ps[j].Config().Priority })
	return ps
}

// autostart starts the group's autostart processes in configuration order
// (for heterogeneous groups, programs= order, as 4.2.5 does at boot),
// except disabled ones; a process with dependencies starts once they are
// met (and pulls in those that would not start by themselves).
func (g *group) autostart() {
	s := g.s
	for _, p := range g.members() {
		pc := p.Config()
		if !pc.Autostart || s.sticky.disabled(pc.Program) {
			continue
		}
		if _, _, err := s.requestStart(p, true); err != nil {
			s.log.Warn(fmt.Sprintf("not starting %s: %s", p.Name(), errDetail(err)))
		}
	}
}

// poolDrainPoll is how often a shutdown looks whether an event listener
// pool has delivered its events.
const poolDrainPoll = 10 * time.Millisecond

// drainPool waits (at most timeout) until an event listener pool has
// delivered what it holds, while one of its listeners is RUNNING to take
// it. It looks every poolDrainPoll.
func (g *group) drainPool(timeout time.Duration) {
	if g.pool == nil {
		return
	}
	deadline := time.Now().Add(timeout)
	for !g.pool.Drained() && time.Now().Before(deadline) {
		running := false
		for _, p := range g.members() {
			running = running || p.State() == process.Running
		}
		if !running {
			return
		}
		time.Sleep(poolDrainPoll)
	}
}

// unstopped returns the processes not in a stopped state, or EXITED with
// a throttled restart pending.
func (g *group) unstopped() []*member {
	var left []*member
	for _, p := range g.members() {
		if !p.State().IsStopped() || p.RestartPending() {
			left = append(left, p)
		}
	}
	return left
}

// lookup resolves a namespec like 4.2.5: "name" is group "name" process
// "name"; "g:p" is process p of group g; "g:*" and "g:" are the group
// (process nil). An unknown group or process is BAD_NAME with the name as
// given.
func (s *Supervisor) lookup(name string) (*group, *member, error) {
	groupName, procName, hasProc := splitNamespec(name)
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.groups[groupName]
	if g == nil {
		return nil, nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	if !hasProc {
		return g, nil, nil
	}
	m := g.member(procName)
	if m == nil {
		return nil, nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	return g, m, nil
}

// splitNamespec splits a namespec into group and process names; hasProc
// is false for "g:*" and "g:".
func splitNamespec(name string) (group, proc string, hasProc bool) {
	for i := 0; i < len(name); i++ {
		if name[i] == ':' {
			group, proc = name[:i], name[i+1:]
			if proc == "" || proc == "*" {
				return group, "", false
			}
			return group, proc, true
		}
	}
	return name, name, true
}
