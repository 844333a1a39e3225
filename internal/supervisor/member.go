package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// member is a process of a group with its logs: the supervisor's record
// of one process. It is the process's process.Host, so what the process
// asks for (open logs, its output consumed, its state changes announced)
// reaches the member directly, and an event listener's member is the
// events.Listener its pool sees.
type member struct {
	*process.Process
	g *group
	// ready is closed once the log files are open (or failed to open);
	// stdout, stderr and logErr are set before.
	ready chan struct{}
	// logsReady is set once ready was seen closed, so that reading the
	// logs (for every process of every list) takes no channel lock.
	logsReady atomic.Bool
	stdout    *logs.File
	stderr    *logs.File
	logErr    error

	// hp is the state of the member's probes.
	hp health
	// note is why the last start waiting for dependencies failed ("" if
	// none since).
	note atomic.Pointer[string]
	// version is the process's version counter (see versionReady).
	version *atomic.Uint64
}

var (
	_ process.Host    = (*member)(nil)
	_ events.Listener = (*member)(nil)
)

// newMember creates the member of group g for pc; its logs are not open
// yet (see Supervisor.openLogs).
func newMember(g *group, pc *config.ProcessConfig) *member {
	m := &member{g: g, ready: make(chan struct{}), version: g.s.versions.next()}
	m.Process = process.New(pc, g.s.env, m)
	m.Process.TrackChanges(m.version)
	m.initHealth()
	m.SetDisabled(g.s.sticky.disabled(pc.Program))
	return m
}

// neverStarted reports whether autostart would start the member.
func (m *member) neverStarted() bool { return m.Process.NeverStarted() }

// setDepNote records why a start failed on a dependency ("" clears it).
func (m *member) setDepNote(note string) {
	m.note.Store(&note)
	m.version.Add(1)
}

// depNote returns why the last start failed on a dependency.
func (m *member) depNote() string {
	if n := m.note.Load(); n != nil {
		return *n
	}
	return ""
}

// logs waits until the member's log files are open and returns them.
func (m *member) logs() (stdout, stderr *logs.File, err error) {
	if !m.logsReady.Load() {
		<-m.ready
		m.logsReady.Store(true)
	}
	return m.stdout, m.stderr, m.logErr
}

// Running reports whether the process is RUNNING (events.Listener: only
// running listeners get events).
func (m *member) Running() bool { return m.State() == process.Running }

// ShuttingDown reports whether the daemon is shutting down or restarting
// (process.Host).
func (m *member) ShuttingDown() bool { return m.g.s.shuttingDown() }

// PrepareSpawn makes sure the logs are open before each spawn
// (process.Host). During start-up they are opened in the background in
// start order, so creating thousands of files overlaps with spawning.
func (m *member) PrepareSpawn() error {
	stdout, stderr, err := m.logs()
	if err != nil {
		return errdefs.Wrap(errdefs.SpawnError, err, fmt.Sprintf("unknown error making dispatchers for '%s': %s", m.Name(), errnoText(err)))
	}
	// 4.2.5 opens a program's logs at each spawn, so a log moved or
	// deleted while the program was stopped starts again at its path.
	for _, f := range []*logs.File{stdout, stderr} {
		if f == nil {
			continue
		}
		if err := f.Reopen(); err != nil {
			return errdefs.Wrap(errdefs.SpawnError, err, fmt.Sprintf("unknown error making dispatchers for '%s': %s", m.Name(), errnoText(err)))
		}
	}
	return nil
}

// Stdin returns the socket of an [fcgi-program:x] as the child's stdin,
// or nil for a pipe (process.Host).
func (m *member) Stdin() (*os.File, func(), error) {
	pc := m.Config()
	if pc.FCGI == nil {
		return nil, nil, nil
	}
	return m.g.s.fcgiStdin(pc)
}

// StateChanged publishes PROCESS_STATE_* events and tells an event
// listener pool about its listeners (process.Host). It runs under the
// process's lock, so it never takes the supervisor's.
func (m *member) StateChanged(c process.Change, info process.Info) {
	if t, ok := stateEventTypes[c.To]; ok {
		m.g.s.bus.Publish(events.Event{Type: t, State: &events.ProcessState{
			Process:  info.Name,
			Group:    info.Group,
			From:     c.From.String(),
			To:       c.To.String(),
			Expected: c.Expected,
			Pid:      info.Pid,
			Tries:    c.Tries,
		}})
	}
	if m.g.pool != nil {
		m.g.pool.Kick()
	}
	if c.To == process.Starting {
		m.setDepNote("")
	}
	m.healthOnState(c.To, info.Pid)
	m.g.s.deps.kick()
	m.policyOnState(c, info)
	m.g.s.trim.Touch()
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

// Attach consumes a child's output into its logs (process.Host). An event
// listener's stdout is its protocol channel: the pool reads it.
func (m *member) Attach(pid int, stdout, stderr *os.File) <-chan struct{} {
	done := make(chan struct{})
	left := atomic.Int32{}
	left.Store(1)
	if stderr != nil {
		left.Store(2)
	}
	captures := &m.g.s.captures
	captures.Add(int(left.Load()))
	finished := func() {
		captures.Done()
		if left.Add(-1) == 0 {
			close(done)
		}
	}
	pc := m.Config()
	if spawned := m.g.s.opts.Spawned; spawned != nil {
		spawned(pc, pid)
	}
	outLog, errLog, _ := m.logs()
	if pc.Kind == config.KindEventListener && m.g.pool != nil {
		pool := m.g.pool
		pool.Attach(m)
		go func() {
			pool.Consume(m, stdout)
			pool.Detach(m)
			stdout.Close()
			finished()
		}()
	} else {
		m.capture(pid, stdout, outLog, pc.Stdout, events.Stdout, finished)
	}
	if stderr != nil {
		m.capture(pid, stderr, errLog, pc.Stderr, events.Stderr, finished)
	}
	return done
}

// capture consumes one channel until end of file (see logs.Drain for the
// driver), then calls finished.
func (m *member) capture(pid int, r *os.File, dst *logs.File, lc config.LogConfig, ch events.Channel, finished func()) {
	s := m.g.s
	pc := m.Config()
	logs.Drain(r, dst, s.captureOptions(m, pid, lc, ch), func(_ logs.CaptureStats, err error) {
		if err != nil {
			s.log.Warn(fmt.Sprintf("capture of %s %s failed: %v", pc.Name, ch, err))
		}
		finished()
	})
}

// captureOptions builds the capture options of one channel: events for
// PROCESS_LOG and PROCESS_COMMUNICATION, the log readiness probe,
// strip_ansi, and the debug copy.
func (s *Supervisor) captureOptions(m *member, pid int, lc config.LogConfig, ch events.Channel) logs.CaptureOptions {
	pc := m.Config()
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
	if m.hp.readyRE != nil {
		// The log readiness probe reads every chunk (until it matched).
		events := opts.OnLog
		opts.OnLog = func(data []byte) {
			m.feedOutput(ch, data)
			if events != nil {
				events(data)
			}
		}
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
	if s.opts.Console != nil && !logs.IsStdStream(lc.Logfile) {
		// Container output; a log that is already the daemon's stdout or
		// stderr is there once, as it is.
		opts.Console = s.opts.Console.Stream(process.Namespec(pc.Group, pc.Name), ch == events.Stderr)
	}
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		// loglevel=debug: every chunk also goes to the main log, as in 4.2.5.
		opts.Debug = func(data []byte) {
			s.log.Debug(fmt.Sprintf("'%s' %s output:\n%s", pc.Name, ch, data))
		}
	}
	return opts
}
