package supervisor

import (
	"context"
	"errors"
	"sync"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// Result is the outcome for one process of a group or "all" operation.
type Result struct {
	// Name and Group name the process.
	Name, Group string
	// Err is nil on success.
	Err error
}

// Description is "OK" on success, else the legacy fault string.
func (r Result) Description() string {
	if r.Err == nil {
		return "OK"
	}
	return r.Err.Error()
}

// rename returns err with its detail replaced by name when it is a
// name-carrying fault, so that faults name the process as the caller did.
func rename(err error, name string) error {
	var e *errdefs.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Reason {
	case errdefs.AlreadyStarted, errdefs.NotRunning, errdefs.SpawnError, errdefs.AbnormalTermination, errdefs.BadName:
		return errdefs.New(e.Reason, "%s", name)
	}
	return err
}

// processNamed returns the process named name for a single-process
// operation: SHUTDOWN_STATE while stopping, BAD_NAME for an unknown name
// or a group form ("g:*"), with the name as given.
func (s *Supervisor) processNamed(name string) (*member, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, err
	}
	_, p, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	return p, nil
}

// Process returns the information of the process named name (a group
// form is BAD_NAME).
func (s *Supervisor) Process(name string) (ProcessInfo, error) {
	p, err := s.processNamed(name)
	if err != nil {
		return ProcessInfo{}, err
	}
	return s.info(p), nil
}

// StartProcess starts one process (startProcess). With wait, it returns
// when the process is RUNNING, or SPAWN_ERROR / ABNORMAL_TERMINATION. A
// process with dependencies first has them started (those not running
// and not on their way), and is started once they meet their conditions;
// the namespecs of the dependencies it started are returned. Without
// wait, a process still waiting for its dependencies is returned STOPPED
// with its Waiting text.
func (s *Supervisor) StartProcess(ctx context.Context, name string, wait bool) (ProcessInfo, []string, error) {
	p, err := s.processNamed(name)
	if err != nil {
		return ProcessInfo{}, nil, err
	}
	deps, err := s.start(ctx, p, wait)
	if err != nil {
		return s.info(p), deps, rename(err, name)
	}
	return s.info(p), deps, nil
}

// start starts p (and what it needs) and, with wait, waits for the
// outcome.
func (s *Supervisor) start(ctx context.Context, p *member, wait bool) ([]string, error) {
	if err := checkStartable(p); err != nil {
		return nil, err
	}
	if p.State() == process.Stopping {
		// As 4.2.5: the start is logged and refused without an error
		// (dependencies are not looked at); a waiting caller sees
		// ABNORMAL_TERMINATION.
		pending, err := beginStart(p)
		if err != nil || !wait || !pending {
			return nil, err
		}
		return nil, waitStarted(ctx, p)
	}
	deps, waitFor, err := s.requestStart(p, false)
	if err != nil || !wait || !waitFor {
		return deps, err
	}
	return deps, s.waitPending(ctx, p)
}

// checkStartable refuses a start that 4.2.5 refuses before looking at
// dependencies: a bad command, a process already started.
func checkStartable(p *member) error {
	if _, _, err := process.ResolveCommand(p.Config().Command, p.Config().Environment); err != nil {
		return err
	}
	if p.State().IsRunning() {
		return errdefs.New(errdefs.AlreadyStarted, "%s", p.Namespec())
	}
	return nil
}

// beginStart spawns p. As in 4.2.5, a spawn that failed at once is
// SPAWN_ERROR at once, and a process already RUNNING (startsecs=0) is
// started whatever happens next; otherwise the start is pending.
func beginStart(p *member) (pending bool, err error) {
	info, err := p.Start()
	if err != nil {
		return false, err
	}
	if info.SpawnErr != "" {
		return false, errdefs.New(errdefs.SpawnError, "%s", p.Namespec())
	}
	return info.State != process.Running, nil
}

// waitStarted waits until p is RUNNING, or fails with SPAWN_ERROR or
// ABNORMAL_TERMINATION, as 4.2.5's deferred startProcess does.
func waitStarted(ctx context.Context, p *member) error {
	name := p.Namespec()
	return p.Wait(ctx, func(i process.Info) (bool, error) {
		switch {
		case i.SpawnErr != "":
			return false, errdefs.New(errdefs.SpawnError, "%s", name)
		case i.State == process.Running:
			return true, nil
		case i.State != process.Starting:
			return false, errdefs.New(errdefs.AbnormalTermination, "%s", name)
		}
		return false, nil
	})
}

// StopProcess stops one process (stopProcess). With wait, it returns when
// the process is in a stopped state. A process waiting for its
// dependencies stops waiting (and the call succeeds).
func (s *Supervisor) StopProcess(ctx context.Context, name string, wait bool) (ProcessInfo, error) {
	p, err := s.processNamed(name)
	if err != nil {
		return ProcessInfo{}, err
	}
	if err := s.stop(ctx, p, wait); err != nil {
		return s.info(p), rename(err, name)
	}
	return s.info(p), nil
}

// stop stops p and, with wait, waits until it is stopped.
func (s *Supervisor) stop(ctx context.Context, p *member, wait bool) error {
	cancelled := s.deps.cancel(p, errdefs.New(errdefs.NotRunning, "%s", p.Namespec()))
	stop := p.Stop
	if wait {
		stop = p.StopWatched
	}
	if err := stop(); err != nil {
		if cancelled && errdefs.Has(err, errdefs.NotRunning) {
			return nil
		}
		return err
	}
	if !wait {
		return nil
	}
	return waitWatchedStop(ctx, p)
}

// waitWatchedStop waits for the stop a client asked to wait for
// (StopWatched); meanwhile the main log says "waiting for <name> to
// stop", as in 4.2.5.
func waitWatchedStop(ctx context.Context, p *member) error {
	defer p.EndStopWatch()
	return waitStopped(ctx, p)
}

// waitStopped waits until p is in a stopped state.
func waitStopped(ctx context.Context, p *member) error {
	return p.Wait(ctx, func(i process.Info) (bool, error) {
		return i.State.IsStopped(), nil
	})
}

// RestartProcess stops a running process (waiting for it) and starts it.
func (s *Supervisor) RestartProcess(ctx context.Context, name string, wait bool) (ProcessInfo, error) {
	p, err := s.processNamed(name)
	if err != nil {
		return ProcessInfo{}, err
	}
	if err := s.stop(ctx, p, true); err != nil && !errdefs.Has(err, errdefs.NotRunning) {
		return s.info(p), rename(err, name)
	}
	if _, err := s.start(ctx, p, wait); err != nil {
		return s.info(p), rename(err, name)
	}
	return s.info(p), nil
}

// SignalProcess sends a signal (a name or number, as Supervisor accepts)
// to one process: BAD_SIGNAL is checked first, then BAD_NAME, then
// NOT_RUNNING.
func (s *Supervisor) SignalProcess(name, signal string) error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	sig, err := parseSignal(signal)
	if err != nil {
		return err
	}
	p, err := s.processNamed(name)
	if err != nil {
		return err
	}
	return rename(p.Signal(sig), name)
}

func parseSignal(signal string) (syscall.Signal, error) {
	sig, err := config.ParseSignal(signal)
	if err != nil {
		return 0, errdefs.New(errdefs.BadSignal, "%s", signal)
	}
	return sig, nil
}

// target selects the processes of a group or of all groups.
type target struct {
	group string // "" for all
	given string // the name as the caller gave it, for BAD_NAME
}

// groupTarget targets a group given by name, "g:*" or "g:".
func groupTarget(name string) target {
	return target{group: groupName(name), given: name}
}

// processes returns the processes of the target in Supervisor's order:
// groups by ascending priority, processes by ascending priority.
func (s *Supervisor) processes(t target) ([]*member, error) {
	if t.group != "" {
		name := t.group
		s.mu.RLock()
		g := s.groups[name]
		s.mu.RUnlock()
		if g == nil {
			if t.given != "" {
				name = t.given
			}
			return nil, errdefs.New(errdefs.BadName, "%s", name)
		}
		return g.byPriority(), nil
	}
	var ps []*member
	for _, g := range s.sortedGroups() {
		ps = append(ps, g.byPriority()...)
	}
	return ps, nil
}

// groupName strips ":*" or ":" from a group name given as a namespec.
func groupName(name string) string {
	g, _, hasProc := splitNamespec(name)
	if !hasProc {
		return g
	}
	return name
}

// operation is a group or "all" operation: begin runs for each selected
// process in order and says whether the process still has to be waited
// for; then wait (if set) runs for all of those at once.
type operation struct {
	pred  func(*member) bool
	begin func(*member) (pending bool, err error)
	wait  func(context.Context, *member) error
	// layered stops in reverse dependency order: the selection is split
	// into layers (see stopLayers) and each layer begins once the previous
	// one is stopped.
	layered bool
}

// forEach applies op to the target like 4.2.5's make_allfunc: every
// selected process is acted on in order first, then the deferred waits
// complete. Results are in the order of the processes.
func (s *Supervisor) forEach(ctx context.Context, t target, op operation) ([]Result, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, err
	}
	ps, err := s.processes(t)
	if err != nil {
		return nil, err
	}
	return s.forMembers(ctx, ps, op)
}

// forMembers is forEach on given processes.
func (s *Supervisor) forMembers(ctx context.Context, ps []*member, op operation) ([]Result, error) {
	var sel []*member
	for _, p := range ps {
		if op.pred(p) {
			sel = append(sel, p)
		}
	}
	results := make([]Result, len(sel))
	index := make(map[*member]int, len(sel))
	for i, p := range sel {
		results[i] = Result{Name: p.Name(), Group: p.Group()}
		index[p] = i
	}
	layers := [][]*member{sel}
	if op.layered && s.anyDependencies() {
		layers = stopLayers(sel, s.depGraph())
	}
	for li, layer := range layers {
		var pending []*member
		for _, p := range layer {
			more, err := op.begin(p)
			if err != nil {
				results[index[p]].Err = rename(err, p.Namespec())
				continue
			}
			if more {
				pending = append(pending, p)
			}
		}
		wait := op.wait
		if li < len(layers)-1 && wait == nil {
			// What depends on the next layer must be stopped first.
			wait = waitStopped
		}
		if wait == nil {
			continue
		}
		waitAll(ctx, pending, func(ctx context.Context, p *member) {
			if err := wait(ctx, p); err != nil && op.wait != nil {
				results[index[p]].Err = rename(err, p.Namespec())
			}
		})
	}
	return results, nil
}

// waitAll runs wait for every process at once and returns when all are
// done.
func waitAll(ctx context.Context, ps []*member, wait func(context.Context, *member)) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait(ctx, p)
		}()
	}
	wg.Wait()
}

// startOp starts the processes that are not running, their dependencies
// first (see requestStart). With skipDisabled ("all"), disabled programs
// are left out; otherwise they get DISABLED.
func (s *Supervisor) startOp(wait, skipDisabled bool) operation {
	op := operation{
		pred: func(p *member) bool {
			return notRunning(p) && !(skipDisabled && s.sticky.disabled(p.Config().Program))
		},
		begin: func(p *member) (bool, error) {
			if err := checkStartable(p); err != nil {
				return false, err
			}
			_, waitFor, err := s.requestStart(p, false)
			return waitFor, err
		},
	}
	if wait {
		op.wait = s.waitPending
	}
	return op
}

// stopOp stops the running processes (and stops waiting for those pending
// on their dependencies), dependents first. With wait, the main log says
// "waiting for <name> to stop" meanwhile, as in 4.2.5.
func (s *Supervisor) stopOp(wait bool) operation {
	stop := (*member).Stop
	if wait {
		stop = (*member).StopWatched
	}
	op := operation{
		pred: func(p *member) bool { return stoppable(p) || s.deps.lookup(p) != nil },
		begin: func(p *member) (bool, error) {
			if s.deps.cancel(p, errdefs.New(errdefs.NotRunning, "%s", p.Namespec())) && !p.State().IsRunning() {
				return false, nil
			}
			return true, stop(p)
		},
		layered: true,
	}
	if wait {
		op.wait = waitWatchedStop
	}
	return op
}

func signalOp(signal string) operation {
	return operation{pred: func(p *member) bool { return signallable(p) }, begin: func(p *member) (bool, error) {
		sig, err := parseSignal(signal)
		if err != nil {
			return false, err
		}
		return false, p.Signal(sig)
	}}
}

// StartGroup starts the processes of a group that are not running.
func (s *Supervisor) StartGroup(ctx context.Context, group string, wait bool) ([]Result, error) {
	return s.forEach(ctx, groupTarget(group), s.startOp(wait, false))
}

// StartAll starts every process that is not running.
func (s *Supervisor) StartAll(ctx context.Context, wait bool) ([]Result, error) {
	return s.forEach(ctx, target{}, s.startOp(wait, true))
}

// StopGroup stops the running processes of a group.
func (s *Supervisor) StopGroup(ctx context.Context, group string, wait bool) ([]Result, error) {
	return s.forEach(ctx, groupTarget(group), s.stopOp(wait))
}

// StopAll stops every running process.
func (s *Supervisor) StopAll(ctx context.Context, wait bool) ([]Result, error) {
	return s.forEach(ctx, target{}, s.stopOp(wait))
}

// RestartGroup stops the running processes of a group, then starts every
// process of it.
func (s *Supervisor) RestartGroup(ctx context.Context, group string, wait bool) (stopped, started []Result, err error) {
	if stopped, err = s.StopGroup(ctx, group, true); err != nil {
		return nil, nil, err
	}
	started, err = s.StartGroup(ctx, group, wait)
	return stopped, started, err
}

// RestartAll stops every running process, then starts every process.
func (s *Supervisor) RestartAll(ctx context.Context, wait bool) (stopped, started []Result, err error) {
	if stopped, err = s.StopAll(ctx, true); err != nil {
		return nil, nil, err
	}
	started, err = s.StartAll(ctx, wait)
	return stopped, started, err
}

// SignalGroup signals the signallable processes of a group. A bad signal
// gives a BAD_SIGNAL result per process, as in 4.2.5.
func (s *Supervisor) SignalGroup(group, signal string) ([]Result, error) {
	return s.forEach(context.Background(), groupTarget(group), signalOp(signal))
}

// SignalAll signals every signallable process.
func (s *Supervisor) SignalAll(signal string) ([]Result, error) {
	return s.forEach(context.Background(), target{}, signalOp(signal))
}

// WriteStdin writes data to a process's stdin (sendProcessStdin).
func (s *Supervisor) WriteStdin(name string, data []byte) error {
	p, err := s.processNamed(name)
	if err != nil {
		return err
	}
	return rename(p.WriteStdin(data), name)
}

func notRunning(p *member) bool  { return !p.State().IsRunning() }
func signallable(p *member) bool { return p.State().IsSignallable() }

// stoppable: running, or EXITED with a throttled restart pending (a stop
// cancels it).
func stoppable(p *member) bool { return p.State().IsRunning() || p.RestartPending() }
