package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/poller"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// Group is one active process group.
type Group struct {
	s      *Supervisor
	cfg    config.GroupConfig
	seq    int
	procs  []*process.Process // configuration order
	byName map[string]*member
	pool   *events.Pool
}

// member is a process of a group with its logs. It is the process's
// owner data, so the observer and output paths reach it without locks.
type member struct {
	g *Group
	p *process.Process
	// ready is closed once the log files are open (or failed to open);
	// stdout, stderr and logErr are set before.
	ready  chan struct{}
	stdout *logs.File
	stderr *logs.File
	logErr error
}

// logs waits until the member's log files are open and returns them.
func (m *member) logs() (stdout, stderr *logs.File, err error) {
	<-m.ready
	return m.stdout, m.stderr, m.logErr
}

// listener adapts a process to the events.Listener interface.
type listener struct{ p *process.Process }

func (l listener) Name() string              { return l.p.Name() }
func (l listener) Running() bool             { return l.p.State() == process.Running }
func (l listener) WriteStdin(b []byte) error { return l.p.WriteStdin(b) }

// Name returns the group name.
func (g *Group) Name() string { return g.cfg.Name }

// Config returns the group configuration.
func (g *Group) Config() config.GroupConfig { return g.cfg }

// addGroupLocked creates the group's processes and logs and announces
// PROCESS_GROUP_ADDED. The caller holds s.mu or has exclusive access.
func (s *Supervisor) addGroupLocked(gc config.GroupConfig) (*Group, error) {
	g, err := s.newGroup(gc)
	if err != nil {
		return nil, err
	}
	for _, m := range g.byName {
		s.openLogs(m)
	}
	s.registerGroupLocked(g)
	return g, nil
}

// newGroup creates a group and its processes; their log files are not
// open yet (see openLogs).
func (s *Supervisor) newGroup(gc config.GroupConfig) (*Group, error) {
	g := &Group{s: s, cfg: gc, byName: make(map[string]*member, len(gc.Processes))}
	for i := range gc.Processes {
		pc := &g.cfg.Processes[i]
		m := &member{g: g, ready: make(chan struct{})}
		m.p = process.New(pc, s.env, m)
		g.procs = append(g.procs, m.p)
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
func (s *Supervisor) registerGroupLocked(g *Group) {
	s.seq++
	g.seq = s.seq
	s.groups[g.cfg.Name] = g
	s.bus.Publish(events.Event{Type: events.TypeProcessGroupAdded, Group: g.cfg.Name})
}

// openLogs opens a member's log files (AUTO logs are created in
// childlogdir). A failure is kept and becomes the process's spawn error,
// as 4.2.5 reports a log it cannot open when it spawns.
func (s *Supervisor) openLogs(m *member) {
	defer close(m.ready)
	pc := m.p.Config()
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

// beforeSpawn is the process.Env hook run before each spawn: the logs
// must be open. During start-up they are opened in the background in start
// order, so creating thousands of files overlaps with spawning.
func (s *Supervisor) beforeSpawn(p *process.Process) error {
	m := memberOf(p)
	if m == nil {
		return nil
	}
	stdout, stderr, err := m.logs()
	if err != nil {
		return errdefs.Wrap(errdefs.SpawnError, err, fmt.Sprintf("unknown error making dispatchers for '%s': %s", p.Name(), errnoText(err)))
	}
	// 4.2.5 opens a program's logs at each spawn, so a log moved or
	// deleted while the program was stopped starts again at its path.
	for _, f := range []*logs.File{stdout, stderr} {
		if f == nil {
			continue
		}
		if err := f.Reopen(); err != nil {
			return errdefs.Wrap(errdefs.SpawnError, err, fmt.Sprintf("unknown error making dispatchers for '%s': %s", p.Name(), errnoText(err)))
		}
	}
	return nil
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
	path := lc.Logfile
	switch path {
	case "":
		return nil, nil
	case config.AutoLog:
		p, err := logs.AutoPath(s.cfg.Supervisord.ChildLogDir, pc.Name, channel, s.cfg.Supervisord.Identifier)
		if err != nil {
			return nil, fmt.Errorf("create AUTO %s log of %s: %w", channel, pc.Name, err)
		}
		path = p
	}
	f, err := logs.OpenFile(logs.FileConfig{Path: path, MaxBytes: lc.MaxBytes, Backups: lc.Backups})
	if err != nil {
		return nil, fmt.Errorf("open %s log of %s: %w", channel, pc.Name, err)
	}
	return f, nil
}

// close releases the group's logs and pool. Its processes must be
// stopped.
func (g *Group) close() {
	if g.pool != nil {
		g.pool.Close()
	}
	for _, m := range g.byName {
		stdout, stderr, _ := m.logs()
		if stdout != nil {
			stdout.Close()
		}
		if stderr != nil {
			stderr.Close()
		}
	}
}

// byPriority returns the processes sorted by ascending priority (stable:
// ties keep configuration order).
func (g *Group) byPriority() []*process.Process {
	ps := append([]*process.Process(nil), g.procs...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Config().Priority < ps[j].Config().Priority })
	return ps
}

// autostart starts the group's autostart processes in configuration order
// (for heterogeneous groups, programs= order, as 4.2.5 does at boot).
func (g *Group) autostart() {
	for _, p := range g.procs {
		p.Autostart()
	}
}

// shutdown asks every process to stop, in descending priority order
// (ties: reverse configuration order).
func (g *Group) shutdown() {
	ps := g.byPriority()
	for i := len(ps) - 1; i >= 0; i-- {
		ps[i].Shutdown()
	}
}

// drainPool waits (at most timeout) until an event listener pool has
// delivered what it holds, while one of its listeners is RUNNING to take
// it.
func (g *Group) drainPool(timeout time.Duration) {
	if g.pool == nil {
		return
	}
	deadline := time.Now().Add(timeout)
	for !g.pool.Drained() && time.Now().Before(deadline) {
		running := false
		for _, p := range g.procs {
			running = running || p.State() == process.Running
		}
		if !running {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// unstopped returns the processes not in a stopped state.
func (g *Group) unstopped() []*process.Process {
	var left []*process.Process
	for _, p := range g.procs {
		if !p.State().IsStopped() {
			left = append(left, p)
		}
	}
	return left
}

// memberOf returns the group member that owns p.
func memberOf(p *process.Process) *member {
	m, _ := p.Owner().(*member)
	return m
}

// ProcessStateChanged publishes PROCESS_STATE_* events and tells an event
// listener pool about its listeners (process.Observer). It runs under the
// process's lock, so it never takes the supervisor's.
func (s *Supervisor) ProcessStateChanged(p *process.Process, c process.Change, info process.Info) {
	if t, ok := stateEventTypes[c.To]; ok {
		s.bus.Publish(events.Event{Type: t, State: &events.ProcessState{
			Process:  info.Name,
			Group:    info.Group,
			From:     c.From.String(),
			To:       c.To.String(),
			Expected: c.Expected,
			Pid:      info.Pid,
			Tries:    c.Tries,
		}})
	}
	if m := memberOf(p); m != nil && m.g.pool != nil {
		m.g.pool.Kick()
	}
}

var stateEventTypes = map[process.State]events.Type{
	process.Stopped:  events.TypeProcessStateStopped,
	process.Starting: events.TypeProcessStateStarting,
	process.Running:  events.TypeProcessStateRunning,
	process.Backoff:  events.TypeProcessStateBackoff,
	process.Stopping: events.TypeProcessStateStopping,
	process.Exited:   events.TypeProcessStateExited,
	process.Fatal:    events.TypeProcessStateFatal,
	process.Unknown:  events.TypeProcessStateUnknown,
}

// Attach consumes a child's output into its logs (process.Outputs).
func (s *Supervisor) Attach(p *process.Process, pid int, stdout, stderr *os.File) <-chan struct{} {
	done := make(chan struct{})
	left := atomic.Int32{}
	left.Store(1)
	if stderr != nil {
		left.Store(2)
	}
	finished := func() {
		if left.Add(-1) == 0 {
			close(done)
		}
	}
	m := memberOf(p)
	var g *Group
	if m != nil {
		g = m.g
	}
	pc := p.Config()
	if pc.Kind == config.KindEventListener && g != nil && g.pool != nil {
		l := listener{p}
		g.pool.Attach(l)
		go func() {
			g.pool.Consume(l, stdout)
			g.pool.Detach(l)
			stdout.Close()
			finished()
		}()
	} else {
		var dst *logs.File
		if m != nil {
			dst, _, _ = m.logs()
		}
		s.capture(p, pid, stdout, dst, pc.Stdout, events.Stdout, finished)
	}
	if stderr != nil {
		var dst *logs.File
		if m != nil {
			_, dst, _ = m.logs()
		}
		s.capture(p, pid, stderr, dst, pc.Stderr, events.Stderr, finished)
	}
	return done
}

// capture consumes one channel until end of file. The pipe is watched by
// the poller, so a quiet program costs no goroutine; a goroutine runs
// only while there is output to move. finished is called at the end.
func (s *Supervisor) capture(p *process.Process, pid int, r *os.File, dst *logs.File, lc config.LogConfig, ch events.Channel, finished func()) {
	pc := p.Config()
	opts := s.captureOptions(pc, pid, lc, ch)
	fail := func(err error) {
		if err != nil {
			s.log.Warn(fmt.Sprintf("capture of %s %s failed: %v", pc.Name, ch, err))
		}
	}
	if pl, err := poller.Default(); err == nil {
		fd := -1
		if rc, err := r.SyscallConn(); err == nil {
			_ = rc.Control(func(d uintptr) { fd = int(d) })
		}
		c := logs.NewCapturer(fd, dst, opts)
		_, err := pl.Add(fd, func(h *poller.Handle) {
			eof, err := c.Pump(fd)
			if !eof {
				if err = h.Rearm(); err == nil {
					return
				}
			}
			h.Remove()
			fail(err)
			r.Close()
			finished()
		})
		if err == nil {
			return
		}
	}
	go func() {
		_, err := logs.Capture(context.Background(), r, dst, opts)
		fail(err)
		r.Close()
		finished()
	}()
}

// captureOptions builds the capture options of one channel: events for
// PROCESS_LOG and PROCESS_COMMUNICATION, strip_ansi, and the debug copy.
func (s *Supervisor) captureOptions(pc *config.ProcessConfig, pid int, lc config.LogConfig, ch events.Channel) logs.CaptureOptions {
	opts := logs.CaptureOptions{StripANSI: s.cfg.Supervisord.StripANSI}
	output := func(t events.Type, data []byte) {
		s.bus.Publish(events.Event{Type: t, Output: &events.ProcessOutput{
			Process: pc.Name, Group: pc.Group, Pid: pid, Channel: ch, Data: append([]byte(nil), data...),
		}})
	}
	logType, commType := events.TypeProcessLogStdout, events.TypeProcessCommunicationStdout
	if ch == events.Stderr {
		logType, commType = events.TypeProcessLogStderr, events.TypeProcessCommunicationStderr
	}
	if lc.EventsEnabled {
		opts.OnLog = func(data []byte) { output(logType, data) }
	}
	if lc.CaptureMaxBytes > 0 {
		opts.CaptureMaxBytes = lc.CaptureMaxBytes
		opts.OnCommunication = func(data []byte) { output(commType, data) }
	}
	if lc.Syslog {
		// *_syslog=true: each line also goes to syslog as "<name> <line>".
		prefix := []byte(pc.Name + " ")
		opts.Syslog = func(line []byte) { s.syslog.Line(append(append([]byte(nil), prefix...), line...)) }
	}
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		// loglevel=debug: every chunk also goes to the main log, as in 4.2.5.
		opts.Debug = func(data []byte) {
			s.log.Debug(fmt.Sprintf("'%s' %s output:\n%s", pc.Name, ch, data))
		}
	}
	return opts
}

// lookup resolves a namespec like 4.2.5: "name" is group "name" process
// "name"; "g:p" is process p of group g; "g:*" and "g:" are the group
// (process nil). An unknown group or process is BAD_NAME with the name as
// given.
func (s *Supervisor) lookup(name string) (*Group, *process.Process, error) {
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
	m := g.byName[procName]
	if m == nil {
		return nil, nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	return g, m.p, nil
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
