package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// APIVersion is the version of Supervisor's RPC API implemented.
const APIVersion = "3.0"

// SupervisorVersion is the Supervisor release the daemon is compatible
// with.
const SupervisorVersion = "4.2.5"

// Version is the gsupervisor version; set at build time with -ldflags.
var Version = "0.1.0-dev"

// State is the daemon state. The values are Supervisor's codes.
type State int

// The daemon states.
const (
	StateFatal      State = 2
	StateRunning    State = 1
	StateRestarting State = 0
	StateShutdown   State = -1
)

// String returns the state name.
func (s State) String() string {
	switch s {
	case StateFatal:
		return "FATAL"
	case StateRunning:
		return "RUNNING"
	case StateRestarting:
		return "RESTARTING"
	case StateShutdown:
		return "SHUTDOWN"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Options configure a Supervisor.
type Options struct {
	// Log is the daemon's logger (the main log).
	Log *slog.Logger
	// MainLog is the main log file, for reading and following; nil if the
	// main log is not a file.
	MainLog *logs.File
	// Bus is the event bus; it outlives restarts so serials keep counting.
	Bus *events.Bus
	// ExecHelper is the path of the daemon binary acting as exec helper
	// (for umask=); "" disables it.
	ExecHelper string
	// ServerURL is the default SUPERVISOR_SERVER_URL for children.
	ServerURL string
	// Reload parses the configuration file again (for reread, update, add
	// and ScaleProgram) with the runtime numprocs of scale applied; nil
	// disables rereading (and scaling).
	Reload func(scale map[string]config.Scale) (*config.Config, error)
	// Spawned, if set, is called right after a child is forked, before it
	// can be reaped (the daemon records it for crash recovery). It must
	// not block.
	Spawned func(pc *config.ProcessConfig, pid int)
	// HTTPCheck makes the check of an http:// or https:// probe (package
	// httpprobe; the core links no HTTP code). Without it such a probe
	// always fails, saying so.
	HTTPCheck func(url string) probe.Check
	// Console, if set, receives every program's output line by line
	// (container output); nil copies nothing.
	Console *logs.Console
	// ExitWhenFinished makes Run end once every program has finished
	// (exit_when_finished, resolved by the daemon).
	ExitWhenFinished bool

	// trim and trimQuiet replace memtrim.Shared with a Trimmer of their
	// own (tests).
	trim      func()
	trimQuiet time.Duration
}

// Supervisor owns the process groups of one daemon life (a restart
// creates a new one).
type Supervisor struct {
	opts Options
	log  *slog.Logger
	bus  *events.Bus
	pid  int

	mu       sync.RWMutex
	state    State
	cfg      *config.Config // the configuration the daemon runs
	parsed   *config.Config // the last parsed configuration (reread)
	groups   map[string]*group
	seq      int
	env      *process.Env
	stopReq  chan State
	stopOnce sync.Once
	stopping chan struct{} // closed when a shutdown or restart begins
	ticker   func()
	done     chan struct{}
	syslog   *logs.Syslog
	// captures counts the output channels being captured (Attach), which
	// the end of Run waits for.
	captures sync.WaitGroup

	// deps starts the processes waiting for their dependencies.
	deps *scheduler
	// sticky holds the disabled programs and runtime numprocs.
	sticky *sticky
	// scaleMu serializes ScaleProgram.
	scaleMu sync.Mutex

	policy exitPolicy

	aliveMu    sync.Mutex
	aliveCheck chan struct{} // the liveness check in flight, if any

	// layout counts the changes of the set of processes (layoutChanged);
	// order caches their sorted list for one layout (membersByName).
	layout atomic.Uint64
	order  atomic.Pointer[memberOrder]
	// versions hands out the members' version counters.
	versions versionCells

	// trim gives memory back once the start-up, and later each burst of
	// process state changes, has been quiet for a while.
	trim *memtrim.Trimmer
}

// New creates the groups of cfg (AUTO log files are created, stale ones
// cleaned unless nocleanup) without starting any process.
func New(cfg *config.Config, opts Options) (*Supervisor, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Bus == nil {
		opts.Bus = events.NewBus(cfg.Supervisord.EventsRetained, opts.Log, events.RetainBytes(cfg.Supervisord.EventsRetainedBytes))
	}
	s := &Supervisor{
		opts:     opts,
		log:      opts.Log,
		bus:      opts.Bus,
		pid:      os.Getpid(),
		state:    StateRunning,
		cfg:      cfg,
		parsed:   cfg,
		groups:   make(map[string]*group),
		stopReq:  make(chan State, 1),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
		syslog:   logs.NewSyslog(opts.Log),
	}
	s.deps = newScheduler(s)
	s.sticky, cfg = s.loadSticky(cfg)
	s.cfg, s.parsed = cfg, cfg
	s.policy = exitPolicy{whenFinished: opts.ExitWhenFinished, kick: make(chan struct{}, 1)}
	if opts.trim != nil {
		s.trim = memtrim.New(opts.trimQuiet, opts.trim)
	} else {
		s.trim = memtrim.Shared()
	}
	s.env = &process.Env{
		Log:        opts.Log,
		BaseEnv:    os.Environ(),
		ExtraEnv:   cfg.Supervisord.Environment,
		ServerURL:  opts.ServerURL,
		ExecHelper: opts.ExecHelper,
	}
	if !cfg.Supervisord.Nocleanup && cfg.Supervisord.ChildLogDir != "" {
		if err := logs.CleanAuto(cfg.Supervisord.ChildLogDir, cfg.Supervisord.Identifier); err != nil {
			s.log.Warn(fmt.Sprintf("could not clean AUTO child logs: %v", err))
		}
	}
	// The groups are created and announced now; their log files are opened
	// by a background goroutine in start order (each spawn waits for its
	// own), so that creating thousands of AUTO files overlaps with the
	// spawns instead of delaying them all.
	var pending []*member
	for _, gc := range cfg.Groups {
		g, err := s.newGroup(gc)
		if err != nil {
			for _, m := range pending {
				close(m.ready)
			}
			s.closeGroups()
			return nil, err
		}
		pending = append(pending, g.procs...)
		s.registerGroupLocked(g)
	}
	go func() {
		for _, m := range pending {
			s.openLogs(m)
		}
	}()
	return s, nil
}

// Bus returns the event bus.
func (s *Supervisor) Bus() *events.Bus { return s.bus }

// MainLog returns the main log file, or NO_FILE.
func (s *Supervisor) MainLog() (*logs.File, error) {
	if s.opts.MainLog == nil {
		return nil, errdefs.New(errdefs.NoFile, "%s", s.cfg.Supervisord.Logfile)
	}
	return s.opts.MainLog, nil
}

// Config returns the running configuration.
func (s *Supervisor) Config() *config.Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// State returns the daemon state.
func (s *Supervisor) State() State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state
}

// Identification returns the identifier option.
func (s *Supervisor) Identification() string { return s.cfg.Supervisord.Identifier }

// PID returns the daemon's process id.
func (s *Supervisor) PID() int { return s.pid }

func (s *Supervisor) shuttingDown() bool {
	if s.policy.cause.Load() != nil {
		return true // the exit policy ends the daemon: nothing restarts
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state < StateRunning
}

// CheckRunning returns SHUTDOWN_STATE while the daemon shuts down or
// restarts, as every 4.2.5 RPC except sendRemoteCommEvent does.
func (s *Supervisor) CheckRunning() error {
	if s.shuttingDown() {
		return errdefs.New(errdefs.ShutdownState, "")
	}
	return nil
}

// Run starts the autostart processes in priority order, announces
// SUPERVISOR_STATE_CHANGE_RUNNING and waits until Shutdown or Restart is
// requested (or ctx ends, which is a shutdown). It then stops every group
// in descending priority order, one group at a time, and returns the
// state that ended it (StateShutdown or StateRestarting).
func (s *Supervisor) Run(ctx context.Context) State {
	defer close(s.done)
	s.ticker = events.StartTicker(s.bus)
	go s.deps.run()
	s.bus.Publish(events.Event{Type: events.TypeSupervisorStateChangeRunning})
	for _, g := range s.sortedGroups() {
		g.autostart()
	}
	// "Every program has finished" is judged once the start-up has started
	// them all: before, a program that already ended beside others not yet
	// spawned (STOPPED, which do not count) would end the daemon. A state
	// change during the start-up left a kick pending.
	if s.policy.whenFinished {
		watchCtx, stopWatch := context.WithCancel(ctx)
		defer stopWatch()
		go s.watchFinished(watchCtx)
	}
	// Parsing and start-up leave garbage behind (a large configuration can
	// leave megabytes) and most of the executable resident; both go back
	// to the system once the start-up has settled: the trimmer runs after
	// the process state changes have been quiet for a while (the programs
	// reaching RUNNING run code too), and again after each later burst.
	s.trim.Touch()
	var end State
	select {
	case end = <-s.stopReq:
	case <-ctx.Done():
		end = StateShutdown
		s.requestStop(StateShutdown)
	}
	s.bus.Publish(events.Event{Type: events.TypeSupervisorStateChangeStopping})
	s.deps.stop(errdefs.New(errdefs.ShutdownState, ""))
	s.orderedStop()
	for _, g := range s.sortedGroups() {
		for _, m := range g.members() {
			m.waitProbes()
		}
	}
	s.drainCaptures()
	s.ticker()
	s.closeGroups()
	return end
}

// captureDrainAtExit bounds how long the end of a daemon life waits for
// the output its programs wrote before they ended to be captured. An exit
// announces itself after outputDrainWait at most, so a program's last
// bytes (up to a pipe's 64 KiB) may still be on their way to its log or
// the container output; only a process outside the daemon's control (a
// grandchild holding the pipe) keeps a capture open this long.
const captureDrainAtExit = 5 * time.Second

// drainCaptures waits until every capture has reached end of file, at
// most captureDrainAtExit, and says so in the main log when one has not.
func (s *Supervisor) drainCaptures() {
	done := make(chan struct{})
	go func() {
		s.captures.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(captureDrainAtExit):
		s.log.Warn(fmt.Sprintf("output still open after %s at exit (a process the daemon did not start holds a program's pipe); the rest is not captured", captureDrainAtExit))
	}
}

// Done is closed when Run has returned.
func (s *Supervisor) Done() <-chan struct{} { return s.done }

// Stopping is closed when the daemon's shutdown or restart begins (the
// state leaves RUNNING), before any process is stopped.
func (s *Supervisor) Stopping() <-chan struct{} { return s.stopping }

// Shutdown begins the shutdown (SIGTERM, supervisor.shutdown).
func (s *Supervisor) Shutdown() error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	s.requestStop(StateShutdown)
	return nil
}

// Restart begins the restart in place (SIGHUP, supervisor.restart).
func (s *Supervisor) Restart() error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	s.requestStop(StateRestarting)
	return nil
}

// requestStop ends the daemon's life with st (StateShutdown or
// StateRestarting): the state changes at once and Run starts the ordered
// stop. It reports whether the request was taken (false if a shutdown or
// restart is already in progress).
func (s *Supervisor) requestStop(st State) bool {
	taken := false
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.state = st
		s.mu.Unlock()
		close(s.stopping)
		s.stopReq <- st
		taken = true
	})
	return taken
}

// RequestShutdown is Shutdown for signal handlers: it reports false when a
// shutdown or restart is already in progress.
func (s *Supervisor) RequestShutdown() bool { return s.requestStop(StateShutdown) }

// RequestRestart is Restart for signal handlers: it reports false when a
// shutdown or restart is already in progress.
func (s *Supervisor) RequestRestart() bool { return s.requestStop(StateRestarting) }

// orderedStop stops the groups one at a time in descending priority
// order, waiting for every process of a group to be stopped before the
// next, and logging "waiting for …" every waitingReport. With
// dependencies, what depends on a group's processes (in any group) is
// stopped before them, layer by layer.
//
// With shutdown_timeout, every process still alive when it has passed is
// killed (SIGKILL), so the daemon ends within an orchestrator's grace
// period.
func (s *Supervisor) orderedStop() {
	groups := s.sortedGroups()
	run := &stopRun{s: s}
	if d := s.Config().Supervisord.ShutdownTimeout; d > 0 {
		run.deadline = time.Now().Add(d)
	}
	layered := s.anyDependencies()
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		run.remaining = groups[:i+1]
		if !run.killed {
			g.drainPool(min(poolDrainTimeout, untilOr(run.deadline, poolDrainTimeout)))
		}
		if !layered {
			run.stopAndWait(g.members())
			continue
		}
		graph := s.depGraph()
		for _, layer := range stopLayers(runningDependents(g.members(), graph), graph) {
			run.stopAndWait(layer)
		}
	}
}

// stopRun is one ordered stop: its shutdown_timeout deadline, and whether
// that has passed and the rest was killed.
type stopRun struct {
	s         *Supervisor
	deadline  time.Time // zero without shutdown_timeout
	killed    bool      // the deadline passed: what was left is killed
	remaining []*group  // the groups not yet stopped (killed at the deadline)
}

// stopAndWait stops ps as a shutdown does (descending priority; ties in
// reverse configuration order) and waits until every one is stopped with
// no restart pending, asking again every second and naming those left
// every waitingReport. Past the deadline it kills what is left of the
// remaining groups and only waits.
func (run *stopRun) stopAndWait(ps []*member) {
	ps = slices.Clone(ps)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Config().Priority < ps[j].Config().Priority })
	shutdown := func() {
		if run.killed {
			return
		}
		for i := len(ps) - 1; i >= 0; i-- {
			ps[i].Shutdown()
		}
	}
	shutdown()
	lastReport := time.Now()
	for {
		var left []*member
		for _, p := range ps {
			if !p.State().IsStopped() || p.RestartPending() {
				left = append(left, p)
			}
		}
		if len(left) == 0 {
			return
		}
		if !run.killed && !run.deadline.IsZero() && !time.Now().Before(run.deadline) {
			run.killed = true
			run.s.killRemaining(run.remaining)
		}
		if time.Since(lastReport) >= waitingReport {
			lastReport = time.Now()
			names := make([]string, len(left))
			for j, p := range left {
				names[j] = p.Name()
			}
			run.s.log.Info("waiting for " + strings.Join(names, ", ") + " to die")
		}
		wait := time.Second
		if !run.killed {
			wait = min(wait, untilOr(run.deadline, wait))
		}
		waitAllStopped(left, wait)
		shutdown()
	}
}

// anyDependencies reports whether an active process has depends_on.
func (s *Supervisor) anyDependencies() bool {
	for _, g := range s.sortedGroups() {
		for _, m := range g.members() {
			if len(m.Config().DependsOn) > 0 {
				return true
			}
		}
	}
	return false
}

// untilOr returns the time left until deadline (at least a millisecond),
// or def without a deadline.
func untilOr(deadline time.Time, def time.Duration) time.Duration {
	if deadline.IsZero() {
		return def
	}
	return max(time.Until(deadline), time.Millisecond)
}

// waitingReport is how often a shutdown names the processes it still
// waits for, as 4.2.5 does.
const waitingReport = 3 * time.Second

// poolDrainTimeout bounds how long a shutdown waits for an event listener
// pool to deliver the events already queued (those about the processes
// just stopped) before stopping its listeners.
const poolDrainTimeout = 3 * time.Second

// waitAllStopped waits until every process is in a stopped state, or d
// passes. Each wait checks the state and subscribes to its changes
// atomically, so no change is missed.
func waitAllStopped(ps []*member, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = waitStopped(ctx, p)
		}()
	}
	wg.Wait()
}

// sortedGroups returns the groups in ascending priority order; ties keep
// the order the groups were added in.
func (s *Supervisor) sortedGroups() []*group {
	s.mu.RLock()
	gs := make([]*group, 0, len(s.groups))
	for _, g := range s.groups {
		gs = append(gs, g)
	}
	s.mu.RUnlock()
	sort.SliceStable(gs, func(i, j int) bool {
		if gs[i].cfg.Priority != gs[j].cfg.Priority {
			return gs[i].cfg.Priority < gs[j].cfg.Priority
		}
		return gs[i].seq < gs[j].seq
	})
	return gs
}

// closeGroups releases every group's resources (logs, pools).
func (s *Supervisor) closeGroups() {
	s.mu.Lock()
	gs := s.groups
	s.groups = make(map[string]*group)
	s.layoutChanged()
	s.mu.Unlock()
	for _, g := range gs {
		g.close()
	}
}

// SendRemoteComm emits a REMOTE_COMMUNICATION event; it works while
// shutting down. A payload (type and data) larger than
// events.MaxRemotePayload is BAD_ARGUMENTS.
func (s *Supervisor) SendRemoteComm(typ, data string) error {
	if n := len(typ) + len(data); n > events.MaxRemotePayload {
		return errdefs.New(errdefs.BadArguments, "remote communication payload of %d bytes is larger than the limit of %d", n, events.MaxRemotePayload)
	}
	s.bus.Publish(events.Event{Type: events.TypeRemoteCommunication, Remote: &events.RemoteComm{Type: typ, Data: data}})
	return nil
}
