package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
)

// Host is what a process needs from the daemon that supervises it. Each
// process has its own Host (the supervisor's record of that process), so
// no method is told which process calls it. Every method is called with
// the process's lock held: it must not wait on other processes, and of
// the process's own methods it may call only those that take no lock
// (Config, Name, Group, Namespec).
type Host interface {
	// ShuttingDown reports whether the daemon is shutting down or
	// restarting (nothing is restarted automatically then).
	ShuttingDown() bool
	// PrepareSpawn runs before every spawn (the supervisor makes sure the
	// logs are open); an error is a spawn error: the process goes to
	// BACKOFF with its text.
	PrepareSpawn() error
	// Stdin returns the file to use as the child's stdin instead of a pipe
	// (the socket of an [fcgi-program:x]) and a function that releases it
	// when the child exits; a nil file means a pipe.
	Stdin() (f *os.File, release func(), err error)
	// Attach starts consuming the parent ends of the child's stdout and
	// stderr pipes (stderr is nil with redirect_stderr). It owns the files
	// and closes them at EOF. The returned channel is closed when both
	// reached EOF.
	Attach(pid int, stdout, stderr *os.File) <-chan struct{}
	// StateChanged reports one state change with the snapshot taken right
	// after it. It must not block.
	StateChanged(c Change, info Info)
	// EndsDaemon is asked when the child exits after startsecs (not
	// stopped): true means the daemon's exit policy ends its life on this
	// exit, so the process is not restarted. It must not block.
	EndsDaemon(exit Exit, expected bool) bool
}

// Exit is how a child ended.
type Exit struct {
	// Code is the exit status, or -1 when a signal ended the child.
	Code int
	// Signal is the signal that ended the child (0 for an exit).
	Signal syscall.Signal
	// Time is when the exit was seen (zero before the first).
	Time time.Time
}

// Env is what every process of a daemon shares: plain data, no hooks.
type Env struct {
	// Log receives the process log lines ("spawned: 'x' with pid 1").
	Log *slog.Logger
	// BaseEnv is the daemon's environment, inherited by every child.
	BaseEnv []string
	// ExtraEnv is the [supervisord] environment.
	ExtraEnv map[string]string
	// ServerURL is the default SUPERVISOR_SERVER_URL ("" for none).
	ServerURL string
	// ExecHelper is the path of a binary that calls RunExecHelper, used to
	// set a child's umask; "" disables umask support.
	ExecHelper string
}

// Process is one supervised program instance.
type Process struct {
	// The lock and, next to it, what Info reads under it: a list of a
	// thousand processes reads them from memory the CPU caches no longer
	// hold, a cache line at a time.
	mu           sync.Mutex
	m            Machine
	pid          int
	start        time.Time
	stop         time.Time
	spawnErr     string
	exitStatus   int
	expected     bool
	spawnFailed  bool // the last spawn attempt produced no child
	lastExit     Exit
	spawns       int       // children spawned
	restartCount int       // spawns by autorestart or a back-off retry
	retryAt      time.Time // when the back-off timer fires; zero if unarmed
	name, group  string    // cfg's, read without following cfg
	// changes, if set (TrackChanges), is advanced each time what Info
	// returns may have changed.
	changes *atomic.Uint64

	cfg  *config.ProcessConfig
	env  *Env
	host Host

	pidfd      *os.File
	stdin      *stdinPipe
	timer      *time.Timer
	timerGen   uint64
	changed    chan struct{}
	outputDone <-chan struct{}
	exited     chan struct{} // closed when the current child is reaped
	release    func()
	exitedPid  int // the pid announced with EXITED/STOPPED after a reap
	restarts   restartBudget
	disabled   bool // Start and Autostart refuse (DisableProgram)

	helperEnvOnce sync.Once // builds helperEnvList (RunCommand)
	helperEnvList []string

	noPidfd bool // tests: spawn without a pidfd, as on a kernel before 5.3

	// stopWatchers counts the callers waiting for a stop (StopWatched);
	// watchGen tells the periodic report of one watch from the next;
	// lastReport is when the stop was last reported.
	stopWatchers int
	watchGen     uint64
	lastReport   time.Time
}

// New returns a STOPPED process for cfg, supervised by host (not nil).
func New(cfg *config.ProcessConfig, env *Env, host Host) *Process {
	restart := RestartUnexpected
	switch cfg.Autorestart {
	case config.AutorestartNever:
		restart = RestartNever
	case config.AutorestartAlways:
		restart = RestartAlways
	}
	if env.Log == nil {
		env.Log = slog.Default()
	}
	return &Process{
		name:     cfg.Name,
		group:    cfg.Group,
		cfg:      cfg,
		env:      env,
		host:     host,
		restarts: newRestartBudget(cfg.RestartBurst, cfg.RestartInterval),
		m: Machine{
			State:         Stopped,
			StartRetries:  cfg.StartRetries,
			Autorestart:   restart,
			StartSecsZero: cfg.StartSecs <= 0,
		},
		changed: make(chan struct{}),
	}
}

// TrackChanges makes the process advance c each time what Info returns
// (apart from its time: Now, and the uptime of a running process's
// Description) may have changed, after the change is made, so that a
// reader that loads c before taking a snapshot and finds it unchanged
// later knows the snapshot still holds. It must be called before the
// process is started.
func (p *Process) TrackChanges(c *atomic.Uint64) { p.changes = c }

// unlock releases p.mu after a section that may have changed what Info
// returns (TrackChanges).
func (p *Process) unlock() {
	if p.changes != nil {
		p.changes.Add(1)
	}
	p.mu.Unlock()
}

// Config returns the process configuration.
func (p *Process) Config() *config.ProcessConfig { return p.cfg }

// Name returns the process name.
func (p *Process) Name() string { return p.name }

// Group returns the group name.
func (p *Process) Group() string { return p.group }

// Namespec returns the process's namespec.
func (p *Process) Namespec() string { return Namespec(p.group, p.name) }

// State returns the current state.
func (p *Process) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m.State
}

// Pid returns the process id, 0 when not running.
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pid
}

// Info returns a snapshot of the process.
func (p *Process) Info() Info { return p.InfoAt(time.Now()) }

// InfoAt returns a snapshot of the process as of now: a list of many
// processes reads the clock once for all of them. A process that started
// or stopped after now (while the list was being read) is described as
// of the clock's time instead, so that no snapshot has its start or stop
// after its now.
func (p *Process) InfoAt(now time.Time) Info {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Before(p.start) || now.Before(p.stop) {
		now = time.Now()
	}
	return p.infoLocked(now)
}

func (p *Process) infoLocked(now time.Time) Info {
	return Info{
		Name:         p.name,
		Group:        p.group,
		State:        p.m.State,
		Start:        p.start,
		Stop:         p.stop,
		Now:          now,
		SpawnErr:     p.spawnErr,
		ExitStatus:   p.exitStatus,
		ExitExpected: p.expected,
		Pid:          p.pid,
		Description:  Describe(p.name, p.m.State, p.pid, p.start, p.stop, now, p.spawnErr),
		NextAttempt:  p.retryAt,
		LastExit:     p.lastExit,
		SpawnFailed:  p.spawnFailed,
		Spawns:       p.spawns,
		Restarts:     p.restartCount,
	}
}

// Changed returns a channel that is closed at the next state change.
func (p *Process) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// Wait blocks until done reports true for the process's snapshot, done
// returns an error, or ctx ends.
func (p *Process) Wait(ctx context.Context, done func(Info) (bool, error)) error {
	for {
		p.mu.Lock()
		info := p.infoLocked(time.Now())
		ch := p.changed
		p.mu.Unlock()
		ok, err := done(info)
		if err != nil || ok {
			return err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Start starts the process on request (startProcess). It checks the
// command first (NO_FILE, NOT_EXECUTABLE), then the state
// (ALREADY_STARTED, FAILED for UNKNOWN; a STOPPING process is logged and
// left alone, as 4.2.5 does), and spawns. The snapshot returned
// is taken right after the spawn, under the same lock, so a caller can
// tell a spawn that failed at once (BACKOFF with a spawn error) or a
// process already RUNNING (startsecs=0) from what happens later.
func (p *Process) Start() (Info, error) {
	if _, _, err := ResolveCommand(p.cfg.Command, p.cfg.Environment); err != nil {
		return p.Info(), err
	}
	p.mu.Lock()
	defer p.unlock()
	switch {
	case p.disabled:
		return p.infoLocked(time.Now()), errdefs.New(errdefs.Disabled, "%s", p.Namespec())
	case p.m.State.IsRunning():
		return p.infoLocked(time.Now()), errdefs.New(errdefs.AlreadyStarted, "%s", p.Namespec())
	case p.m.State == Unknown:
		return p.infoLocked(time.Now()), errdefs.New(errdefs.Failed, "%s is in an unknown process state", p.Namespec())
	case p.m.State == Stopping:
		// As 4.2.5's spawn, refuse a process that still has a pid: say
		// so and leave its state alone. A caller that waits for the
		// start then sees ABNORMAL_TERMINATION; one that does not, success.
		p.env.Log.Warn(fmt.Sprintf("process '%s' already running", p.cfg.Name))
		return p.infoLocked(time.Now()), nil
	}
	err := p.stepLocked(TriggerStart, Facts{})
	return p.infoLocked(time.Now()), err
}

// SetDisabled makes Start refuse with DISABLED and Autostart do nothing
// (on) or lifts that (off). Set under the process's lock, it closes the
// window between a check of the program's setting and a spawn.
func (p *Process) SetDisabled(on bool) {
	p.mu.Lock()
	defer p.unlock()
	p.disabled = on
}

// NeverStarted reports whether the process is STOPPED and was never
// spawned (what autostart starts).
func (p *Process) NeverStarted() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m.State == Stopped && p.start.IsZero()
}

// Autostart starts the process if autostart is set and it was never
// started, as Supervisor's main loop does for a STOPPED process.
func (p *Process) Autostart() {
	if !p.cfg.Autostart {
		return
	}
	p.mu.Lock()
	defer p.unlock()
	if p.m.State != Stopped || !p.start.IsZero() || p.disabled || p.shuttingDown() {
		return
	}
	_ = p.stepLocked(TriggerStart, Facts{})
}

// Stop stops the process on request (stopProcess): NOT_RUNNING unless it
// is STARTING, RUNNING or in BACKOFF, or EXITED with a throttled restart
// pending (which the stop cancels: STOPPED).
func (p *Process) Stop() error {
	p.mu.Lock()
	defer p.unlock()
	if !p.m.State.IsRunning() && !p.m.RestartPending {
		return errdefs.New(errdefs.NotRunning, "%s", p.Namespec())
	}
	return p.stepLocked(TriggerStop, Facts{})
}

// RestartPending reports whether the process is EXITED and waits for a
// throttled automatic restart (see RestartBudget): it is not settled
// (a stop cancels the restart; its group cannot be removed yet).
func (p *Process) RestartPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m.RestartPending
}

// Shutdown is the daemon's ordered stop of this process: a RUNNING or
// STARTING process is stopped, one in BACKOFF gives up (FATAL).
func (p *Process) Shutdown() {
	p.mu.Lock()
	defer p.unlock()
	switch {
	case p.m.State == Running || p.m.State == Starting:
		_ = p.stepLocked(TriggerStop, Facts{})
	case p.m.State == Backoff || p.m.RestartPending:
		_ = p.stepLocked(TriggerShutdown, Facts{ShuttingDown: true})
	}
}

// Signal sends sig to the process (not its group): NOT_RUNNING unless it
// is STARTING, RUNNING or STOPPING.
func (p *Process) Signal(sig syscall.Signal) error {
	p.mu.Lock()
	defer p.unlock()
	if !p.m.State.IsSignallable() || p.pid == 0 {
		return errdefs.New(errdefs.NotRunning, "%s", p.Namespec())
	}
	p.env.Log.Debug(fmt.Sprintf("sending %s (pid %d) sig %s", p.cfg.Name, p.pid, config.SignalName(sig)))
	if err := p.sendLocked(sig, false); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		msg := fmt.Sprintf("unable to signal %s (pid %d): %v", p.cfg.Name, p.pid, err)
		p.env.Log.Error(msg)
		_ = p.stepLocked(TriggerSignalFailed, Facts{})
		return errdefs.New(errdefs.Failed, "%s", msg)
	}
	return nil
}

// WriteStdin sends data to the process's stdin and returns at once: what
// the pipe does not take now waits in a bounded buffer (StdinBufferBytes)
// until the process reads it. Errors: NOT_RUNNING if the process has no
// pid or is being stopped, NO_FILE if its stdin is closed, FAILED if the
// data does not fit the buffer (nothing of it is kept).
func (p *Process) WriteStdin(data []byte) error {
	p.mu.Lock()
	in := p.stdin
	ok := p.pid != 0 && !p.m.Killing
	p.mu.Unlock()
	if !ok {
		return errdefs.New(errdefs.NotRunning, "%s", p.Namespec())
	}
	if in == nil {
		return errdefs.New(errdefs.NoFile, "%s", p.Namespec())
	}
	if err := in.write(data); err != nil {
		switch {
		case errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed):
			return errdefs.New(errdefs.NoFile, "%s", p.Namespec())
		case errors.Is(err, errStdinFull):
			return errdefs.New(errdefs.Failed, "the stdin of %s does not read fast enough: %v", p.Namespec(), err)
		}
		return errdefs.Wrap(errdefs.Failed, err, err.Error())
	}
	return nil
}

// Exited returns a channel closed when the current child (if any) has
// been reaped; nil if no child runs.
func (p *Process) Exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pid == 0 {
		return nil
	}
	return p.exited
}

// Kill sends SIGKILL to the child (and its group if killasgroup or
// stopasgroup); it is the last resort when the daemon must not leave a
// process behind.
func (p *Process) Kill() {
	p.mu.Lock()
	defer p.unlock()
	if p.pid != 0 {
		_ = p.sendLocked(syscall.SIGKILL, p.cfg.KillAsGroup || p.cfg.StopAsGroup)
	}
}

func (p *Process) shuttingDown() bool { return p.host.ShuttingDown() }

// stepLocked applies a trigger and performs the resulting actions.
func (p *Process) stepLocked(t Trigger, f Facts) error {
	f.ShuttingDown = f.ShuttingDown || p.shuttingDown()
	m, res, err := p.m.Step(t, f)
	if err != nil {
		return errdefs.Wrap(errdefs.Failed, err, err.Error())
	}
	p.m = m
	now := time.Now()
	for _, c := range res.Changes {
		p.announceLocked(c, now, t)
	}
	for _, a := range res.Actions {
		if a == ActSpawn && (t == TriggerExit || t == TriggerRetry || t == TriggerRestart) {
			p.restartCount++
		}
		p.actLocked(a, t)
	}
	return nil
}

func (p *Process) announceLocked(c Change, now time.Time, t Trigger) {
	switch {
	case c.To == Running && (t == TriggerStartSecs || t == TriggerSpawned):
		p.env.Log.Info(fmt.Sprintf("success: %s entered RUNNING state, process has stayed up for > than %d seconds (startsecs)", p.cfg.Name, p.cfg.StartSecs))
	case c.To == Fatal && c.From == Backoff && t != TriggerShutdown:
		p.env.Log.Info(fmt.Sprintf("gave up: %s entered FATAL state, too many start retries too quickly", p.cfg.Name))
	}
	// Broadcast the change to waiters, then tell the host.
	close(p.changed)
	p.changed = make(chan struct{})
	info := p.infoLocked(now)
	info.State = c.To
	if (c.To == Exited || c.To == Stopped) && info.Pid == 0 {
		info.Pid = p.exitedPid
	}
	p.host.StateChanged(c, info)
}

// actLocked performs an action of a step made for trigger t.
func (p *Process) actLocked(a Action, t Trigger) {
	switch a {
	case ActCancelTimer:
		p.cancelTimerLocked()
	case ActSpawn:
		if t == TriggerExit || t == TriggerRestart {
			p.restarts.spend(time.Now()) // an automatic restart
		}
		p.spawnLocked()
	case ActRestartTimer:
		if p.restarts.startThrottling() {
			p.env.Log.Warn(fmt.Sprintf("%s keeps exiting right after it starts: automatic restarts are throttled to one every %s (restart_burst=%d, restart_interval)",
				p.cfg.Name, p.cfg.RestartInterval, p.cfg.RestartBurst))
		}
		p.armLocked(p.restarts.wait, TriggerRestart)
	case ActStartTimer:
		p.armLocked(time.Duration(p.cfg.StartSecs)*time.Second, TriggerStartSecs)
	case ActRetryTimer:
		d := BackoffDelay(p.cfg.Backoff, p.cfg.BackoffMaxSecs, p.m.Backoff)
		p.armLocked(d, TriggerRetry)
		p.retryAt = time.Now().Add(d)
	case ActStopSignal:
		p.signalStopLocked(p.cfg.StopSignal, p.cfg.StopAsGroup)
		if p.stopWatchers > 0 {
			p.reportWaitingLocked()
		}
	case ActKill:
		p.env.Log.Warn(fmt.Sprintf("killing '%s' (%d) with SIGKILL", p.cfg.Name, p.pid))
		p.signalStopLocked(syscall.SIGKILL, p.cfg.KillAsGroup)
		if p.stopWatchers > 0 {
			p.reportWaitingLocked()
		}
	}
}

func (p *Process) cancelTimerLocked() {
	p.timerGen++
	p.retryAt = time.Time{}
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// armLocked arms the process's single timer to fire trigger after d.
func (p *Process) armLocked(d time.Duration, t Trigger) {
	p.cancelTimerLocked()
	gen := p.timerGen
	p.timer = time.AfterFunc(d, func() {
		p.mu.Lock()
		defer p.unlock()
		if gen != p.timerGen {
			return
		}
		p.timer = nil
		p.retryAt = time.Time{}
		_ = p.stepLocked(t, Facts{})
	})
}

// maxBackoffShift bounds the exponent of an exponential back-off (2^30 s
// is far beyond any cap).
const maxBackoffShift = 30

// BackoffDelay is the wait before the retry that follows the tries-th
// failed start: tries seconds (Supervisor's linear back-off), or 1, 2, 4,
// … seconds capped at maxSecs (exponential).
func BackoffDelay(policy config.BackoffPolicy, maxSecs, tries int) time.Duration {
	if policy != config.BackoffExponential {
		return time.Duration(tries) * time.Second
	}
	secs := 1 << min(max(tries-1, 0), maxBackoffShift)
	return time.Duration(min(secs, max(maxSecs, 1))) * time.Second
}

// signalStopLocked sends the stop or kill signal and arms stopwaitsecs.
func (p *Process) signalStopLocked(sig syscall.Signal, group bool) {
	if p.pid == 0 {
		return
	}
	as := ""
	if group {
		as = "process group "
	}
	p.env.Log.Debug(fmt.Sprintf("killing %s (pid %d) %swith signal %s", p.cfg.Name, p.pid, as, config.SignalName(sig)))
	if err := p.sendLocked(sig, group); err != nil && !errors.Is(err, syscall.ESRCH) {
		p.env.Log.Error(fmt.Sprintf("unable to signal %s (pid %d): %v", p.cfg.Name, p.pid, err))
		_ = p.stepLocked(TriggerSignalFailed, Facts{})
		return
	}
	p.armLocked(time.Duration(p.cfg.StopWaitSecs)*time.Second, TriggerStopTimeout)
}

// sendLocked signals the child through its pidfd, or its process group.
func (p *Process) sendLocked(sig syscall.Signal, group bool) error {
	if group {
		return syscall.Kill(-p.pid, sig)
	}
	if p.pidfd != nil {
		return unix.PidfdSendSignal(int(p.pidfd.Fd()), sig, nil, 0)
	}
	return syscall.Kill(p.pid, sig)
}

// spawnLocked forks and execs the child, then steps TriggerSpawned or
// TriggerSpawnFailed.
func (p *Process) spawnLocked() {
	p.spawnErr = ""
	p.exitStatus = 0
	p.expected = false
	p.spawnFailed = false
	p.start = time.Now()
	err := p.forkLocked()
	var cf *childFailure
	switch {
	case err == nil:
		p.spawns++
		p.env.Log.Info(fmt.Sprintf("spawned: '%s' with pid %d", p.cfg.Name, p.pid))
		_ = p.stepLocked(TriggerSpawned, Facts{})
	case errors.As(err, &cf):
		// The child would have started and exited 127 after writing the
		// message to its stderr (written to the log by forkLocked).
		_ = p.stepLocked(TriggerSpawned, Facts{})
		p.finishLocked(exitStatus(notSpawnedExit), time.Now())
	default:
		p.spawnErr = err.Error()
		var e *errdefs.Error
		if errors.As(err, &e) && e.Detail != "" {
			p.spawnErr = e.Detail
		}
		p.spawnFailed = true
		p.env.Log.Info("spawnerr: " + p.spawnErr)
		_ = p.stepLocked(TriggerSpawnFailed, Facts{})
	}
}

// outputDrainWait bounds how long an exit waits for the child's output to
// reach end of file (a grandchild may hold the pipe open).
const outputDrainWait = 200 * time.Millisecond

// exitedWith lets the output drain briefly and reports the exit.
func (p *Process) exitedWith(pid int, ws syscall.WaitStatus, pidfd *os.File, outputDone <-chan struct{}, exited chan struct{}) {
	now := time.Now()
	// Let the output reach EOF so the log is complete when the exit is
	// announced; a grandchild holding the pipe must not delay the state.
	if outputDone != nil {
		select {
		case <-outputDone:
		case <-time.After(outputDrainWait):
		}
	}
	p.mu.Lock()
	defer p.unlock()
	if pidfd != nil {
		pidfd.Close()
		if p.pidfd == pidfd {
			p.pidfd = nil
		}
	}
	if p.pid != pid {
		return
	}
	close(exited)
	p.finishLocked(ws, now)
}

// finishLocked records an exit and steps the machine, logging it as
// Supervisor does.
func (p *Process) finishLocked(ws syscall.WaitStatus, now time.Time) {
	desc, code := ExitDescription(ws, config.SignalName)
	p.stop = now
	p.lastExit = Exit{Code: code, Time: now}
	if ws.Signaled() {
		p.lastExit.Signal = ws.Signal()
	}
	tooQuick := now.Sub(p.start) < time.Duration(p.cfg.StartSecs)*time.Second
	expected := code >= 0 && slices.Contains(p.cfg.ExitCodes, code)
	p.exitedPid = p.pid
	defer func() { p.exitedPid = 0 }()
	p.pid = 0
	if p.stdin != nil {
		p.stdin.close()
		p.stdin = nil
	}
	if p.release != nil {
		p.release()
		p.release = nil
	}
	switch {
	case p.m.Killing:
		p.exitStatus = code
		p.expected = expected
		msg := fmt.Sprintf("stopped: %s (%s)", p.cfg.Name, desc)
		if expected {
			p.env.Log.Info(msg)
		} else {
			p.env.Log.Warn(msg)
		}
	case tooQuick && p.m.State == Starting:
		p.exitStatus = 0
		p.expected = false
		p.spawnErr = "Exited too quickly (process log may have details)"
		p.env.Log.Warn(fmt.Sprintf("exited: %s (%s; not expected)", p.cfg.Name, desc))
	default:
		tooQuick = false
		p.exitStatus = code
		p.expected = expected
		if expected {
			p.env.Log.Info(fmt.Sprintf("exited: %s (%s; expected)", p.cfg.Name, desc))
		} else {
			p.spawnErr = "Bad exit code " + strconv.Itoa(code)
			p.env.Log.Warn(fmt.Sprintf("exited: %s (%s; not expected)", p.cfg.Name, desc))
		}
	}
	throttled := p.restarts.delay(now) > 0
	facts := Facts{TooQuick: tooQuick, Expected: expected, Throttled: throttled}
	if !p.m.Killing && !tooQuick && p.host.EndsDaemon(p.lastExit, expected) {
		facts.ShuttingDown = true // the daemon exits: no restart
	}
	if err := p.stepLocked(TriggerExit, facts); err != nil {
		// An exit in a state the table does not expect (UNKNOWN after a
		// failed signal): the process is gone, so it is EXITED.
		p.env.Log.Debug(fmt.Sprintf("exit of %s in state %s", p.cfg.Name, p.m.State))
		if p.m.State == Unknown {
			from := p.m.State
			p.m.State = Exited
			p.m.Killing = false
			p.announceLocked(Change{From: from, To: Exited, Expected: expected}, now, TriggerExit)
		}
	}
}

// waitReportEvery is how often a stop that callers wait for is reported.
const waitReportEvery = 2 * time.Second

// StopWatched is Stop for a caller that will wait for the stop
// (stopProcess with wait); the caller calls EndStopWatch when its wait
// ends. While such callers wait and the process is STOPPING, it logs
// "waiting for <name> to stop" as 4.2.5 does when it looks at a waited-for
// stop: right after the stop signal, right after an escalation to
// SIGKILL, and every 2 s.
func (p *Process) StopWatched() error {
	p.mu.Lock()
	defer p.unlock()
	if !p.m.State.IsRunning() && !p.m.RestartPending {
		return errdefs.New(errdefs.NotRunning, "%s", p.Namespec())
	}
	p.stopWatchers++
	if p.stopWatchers == 1 {
		p.watchGen++
		p.armWaitReportLocked(p.watchGen)
	}
	if err := p.stepLocked(TriggerStop, Facts{}); err != nil {
		p.stopWatchers--
		return err
	}
	return nil
}

// EndStopWatch ends the wait of a StopWatched caller.
func (p *Process) EndStopWatch() {
	p.mu.Lock()
	p.stopWatchers--
	p.mu.Unlock()
}

// armWaitReportLocked schedules the next periodic report of watch gen.
// It runs a moment after the 2 s mark, so that a SIGKILL due at the same
// time is logged first, as in 4.2.5's loop.
func (p *Process) armWaitReportLocked(gen uint64) {
	time.AfterFunc(waitReportEvery+50*time.Millisecond, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.stopWatchers == 0 || p.watchGen != gen {
			return
		}
		p.reportWaitingLocked()
		p.armWaitReportLocked(gen)
	})
}

// reportWaitingLocked logs "waiting for <name> to stop" if the process is
// STOPPING and the last report is about 2 s old (a report due at the same
// moment as the SIGKILL is not held back by scheduling delays).
func (p *Process) reportWaitingLocked() {
	if p.m.State != Stopping || time.Since(p.lastReport) < waitReportEvery-100*time.Millisecond {
		return
	}
	p.lastReport = time.Now()
	p.env.Log.Info(fmt.Sprintf("waiting for %s to stop", p.cfg.Name))
}
