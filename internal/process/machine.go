package process

import (
	"fmt"
	"slices"
)

// State is a process state. The values are Supervisor's legacy codes.
type State int

// The process states.
const (
	Stopped  State = 0
	Starting State = 10
	Running  State = 20
	Backoff  State = 30
	Stopping State = 40
	Exited   State = 100
	Fatal    State = 200
	Unknown  State = 1000
)

// States lists every state.
var States = []State{Stopped, Starting, Running, Backoff, Stopping, Exited, Fatal, Unknown}

// String returns the state name, e.g. "RUNNING".
func (s State) String() string {
	switch s {
	case Stopped:
		return "STOPPED"
	case Starting:
		return "STARTING"
	case Running:
		return "RUNNING"
	case Backoff:
		return "BACKOFF"
	case Stopping:
		return "STOPPING"
	case Exited:
		return "EXITED"
	case Fatal:
		return "FATAL"
	case Unknown:
		return "UNKNOWN"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// IsStopped reports whether s is one of Supervisor's STOPPED_STATES
// (STOPPED, EXITED, FATAL, UNKNOWN).
func (s State) IsStopped() bool {
	return s == Stopped || s == Exited || s == Fatal || s == Unknown
}

// IsRunning reports whether s is one of Supervisor's RUNNING_STATES
// (RUNNING, BACKOFF, STARTING).
func (s State) IsRunning() bool {
	return s == Running || s == Backoff || s == Starting
}

// IsSignallable reports whether s is one of Supervisor's
// SIGNALLABLE_STATES (RUNNING, STARTING, STOPPING).
func (s State) IsSignallable() bool {
	return s == Running || s == Starting || s == Stopping
}

// Restart is an autorestart policy.
type Restart int

// The autorestart policies.
const (
	// RestartUnexpected restarts when the exit was not expected.
	RestartUnexpected Restart = iota
	// RestartNever never restarts.
	RestartNever
	// RestartAlways always restarts.
	RestartAlways
)

// Trigger is something that happens to a process.
type Trigger int

// The triggers.
const (
	// TriggerStart is a start request (API, autostart, group add).
	TriggerStart Trigger = iota + 1
	// TriggerSpawned: the child was forked and exec'd.
	TriggerSpawned
	// TriggerSpawnFailed: the child could not be spawned (no fork).
	TriggerSpawnFailed
	// TriggerStartSecs: startsecs passed and the child is alive.
	TriggerStartSecs
	// TriggerExit: the child exited (see Facts).
	TriggerExit
	// TriggerStop: a stop request.
	TriggerStop
	// TriggerRetry: the back-off delay passed.
	TriggerRetry
	// TriggerStopTimeout: stopwaitsecs passed after a signal in STOPPING.
	TriggerStopTimeout
	// TriggerShutdown: the daemon is shutting down; BACKOFF gives up.
	TriggerShutdown
	// TriggerSignalFailed: signalling the child failed unexpectedly.
	TriggerSignalFailed
	// TriggerRestart: the throttle delay of an automatic restart passed
	// (not in 4.2.5; see Facts.Throttled).
	TriggerRestart
)

// String names the trigger.
func (t Trigger) String() string {
	switch t {
	case TriggerStart:
		return "start"
	case TriggerSpawned:
		return "spawned"
	case TriggerSpawnFailed:
		return "spawn-failed"
	case TriggerStartSecs:
		return "startsecs"
	case TriggerExit:
		return "exit"
	case TriggerStop:
		return "stop"
	case TriggerRetry:
		return "retry"
	case TriggerStopTimeout:
		return "stop-timeout"
	case TriggerShutdown:
		return "shutdown"
	case TriggerSignalFailed:
		return "signal-failed"
	case TriggerRestart:
		return "restart"
	}
	return fmt.Sprintf("Trigger(%d)", int(t))
}

// Facts qualify a trigger.
type Facts struct {
	// TooQuick: for TriggerExit, the child ran for less than startsecs.
	TooQuick bool
	// Expected: for TriggerExit, the exit code is in exitcodes.
	Expected bool
	// ShuttingDown: the daemon is shutting down or restarting, so nothing
	// is (re)started automatically.
	ShuttingDown bool
	// Throttled: for TriggerExit, an automatic restart must wait (the
	// program keeps exiting right after it starts and spent its burst of
	// immediate restarts): the process stays EXITED with a restart pending
	// until TriggerRestart.
	Throttled bool
}

// Action is something the interpreter must do after a step.
type Action int

// The actions.
const (
	// ActSpawn: fork/exec the child (then report TriggerSpawned or
	// TriggerSpawnFailed).
	ActSpawn Action = iota + 1
	// ActStartTimer: arm the startsecs timer.
	ActStartTimer
	// ActRetryTimer: arm the back-off timer for Machine.Backoff seconds.
	ActRetryTimer
	// ActStopSignal: send the stop signal (to the group if stopasgroup) and
	// arm the stopwaitsecs timer.
	ActStopSignal
	// ActKill: send SIGKILL (to the group if killasgroup) and re-arm the
	// stopwaitsecs timer.
	ActKill
	// ActCancelTimer: disarm any pending timer.
	ActCancelTimer
	// ActRestartTimer: arm the timer of a throttled automatic restart.
	ActRestartTimer
)

// String names the action.
func (a Action) String() string {
	switch a {
	case ActSpawn:
		return "spawn"
	case ActStartTimer:
		return "start-timer"
	case ActRetryTimer:
		return "retry-timer"
	case ActStopSignal:
		return "stop-signal"
	case ActKill:
		return "kill"
	case ActCancelTimer:
		return "cancel-timer"
	case ActRestartTimer:
		return "restart-timer"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Change is one state change to announce (event, log line).
type Change struct {
	// From is the state left.
	From State
	// To is the state entered.
	To State
	// Expected qualifies an EXITED change.
	Expected bool
	// Tries is the back-off counter after the change (for STARTING and
	// BACKOFF events).
	Tries int
}

// Machine is the state of Supervisor's process state machine. It is a
// value: Step returns a new one.
type Machine struct {
	// State is the current state.
	State State
	// Backoff counts failed starts in the current cycle. Entering BACKOFF
	// increments it; RUNNING, FATAL and an exit from RUNNING reset it
	// (as in 4.2.5, STOPPED does not).
	Backoff int
	// Killing is true between a stop request and the child's exit.
	Killing bool
	// StartRetries is the startretries option.
	StartRetries int
	// Autorestart is the autorestart policy.
	Autorestart Restart
	// StartSecsZero is true when startsecs is 0 (RUNNING right after the
	// spawn).
	StartSecsZero bool
	// RestartPending is true while an EXITED process waits for a throttled
	// automatic restart; a stop request cancels it (STOPPED).
	RestartPending bool
}

// Result is the outcome of a step.
type Result struct {
	// Changes are the state changes, in order (there may be two, e.g.
	// STARTING→RUNNING→EXITED).
	Changes []Change
	// Actions are what the interpreter must do, in order.
	Actions []Action
}

// StepError is returned when a trigger is not valid in the current state.
type StepError struct {
	State   State
	Trigger Trigger
}

// Error describes the invalid step.
func (e *StepError) Error() string {
	return fmt.Sprintf("%s is not valid in state %s", e.Trigger, e.State)
}

func (m *Machine) change(r *Result, to State, expected bool) {
	from := m.State
	if from == to {
		return
	}
	if to == Backoff {
		m.Backoff++
	}
	m.State = to
	r.Changes = append(r.Changes, Change{From: from, To: to, Expected: expected, Tries: m.Backoff})
}

// Step applies a trigger. It returns the new machine and what to announce
// and do, or a *StepError if the trigger is not valid in the state (the
// machine is then unchanged).
func (m Machine) Step(t Trigger, f Facts) (Machine, Result, error) {
	for _, tr := range transitions {
		if tr.trigger == t && (tr.when == nil || tr.when(m, f)) && (tr.from == nil || slices.Contains(tr.from, m.State)) {
			var r Result
			tr.apply(&m, &r, f)
			return m, r, nil
		}
	}
	return m, Result{}, &StepError{State: m.State, Trigger: t}
}

// transition is one row of the state machine: a trigger, the condition
// and the states in which it applies, and what it does.
type transition struct {
	trigger Trigger
	// when, if set, must hold (it tells apart the rows of one trigger).
	when func(m Machine, f Facts) bool
	// from lists the states the row applies in; nil means every state.
	from []State
	// apply changes the state, and adds the changes to announce and the
	// actions to perform to r.
	apply func(m *Machine, r *Result, f Facts)
}

// transitions is Supervisor 4.2.5's process state machine: Step applies
// the first row that matches; a trigger no row matches is invalid.
var transitions = []transition{
	{TriggerStart, nil, []State{Stopped, Exited, Fatal, Backoff}, (*Machine).spawn},
	{TriggerSpawned, nil, []State{Starting}, (*Machine).spawned},
	{TriggerSpawnFailed, nil, []State{Starting}, (*Machine).spawnFailed},
	{TriggerStartSecs, nil, []State{Starting}, (*Machine).startSecsPassed},
	{TriggerExit, stopRequested, []State{Stopping}, (*Machine).exitStopped},
	{TriggerExit, exitTooQuick, []State{Starting}, (*Machine).exitTooQuickly},
	{TriggerExit, exitInTime, []State{Starting, Running}, (*Machine).exitAfterStart},
	{TriggerStop, nil, []State{Backoff}, (*Machine).stopRetrying},
	{TriggerStop, nil, []State{Starting, Running}, (*Machine).stop},
	{TriggerRetry, nil, []State{Backoff}, (*Machine).retry},
	{TriggerStopTimeout, stopRequested, []State{Stopping}, (*Machine).kill},
	{TriggerShutdown, nil, []State{Backoff}, (*Machine).giveUp},
	{TriggerSignalFailed, nil, nil, (*Machine).signalFailed},
	// Not in 4.2.5: the crash-loop floor (Facts.Throttled).
	{TriggerRestart, restartPending, []State{Exited}, (*Machine).restart},
	{TriggerStop, restartPending, []State{Exited}, (*Machine).cancelRestart},
	{TriggerShutdown, restartPending, []State{Exited}, (*Machine).dropRestart},
}

// The conditions that tell apart the rows of one trigger.
func stopRequested(m Machine, _ Facts) bool  { return m.Killing }
func exitTooQuick(m Machine, f Facts) bool   { return !m.Killing && f.TooQuick }
func exitInTime(m Machine, f Facts) bool     { return !m.Killing && !f.TooQuick }
func restartPending(m Machine, _ Facts) bool { return m.RestartPending }

// spawn starts a spawn: STARTING.
func (m *Machine) spawn(r *Result, _ Facts) {
	m.Killing = false
	m.RestartPending = false
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Starting, true)
	r.Actions = append(r.Actions, ActSpawn)
}

// spawned: RUNNING at once with startsecs=0, else wait for startsecs.
func (m *Machine) spawned(r *Result, _ Facts) {
	if m.StartSecsZero {
		m.Backoff = 0
		m.change(r, Running, true)
		return
	}
	r.Actions = append(r.Actions, ActStartTimer)
}

// spawnFailed: BACKOFF, then a retry or FATAL.
func (m *Machine) spawnFailed(r *Result, f Facts) {
	m.change(r, Backoff, true)
	m.afterBackoff(r, f)
}

// startSecsPassed: the child stayed up for startsecs: RUNNING.
func (m *Machine) startSecsPassed(r *Result, _ Facts) {
	m.Backoff = 0
	m.change(r, Running, true)
}

// exitStopped: the child exited after a stop request: STOPPED.
func (m *Machine) exitStopped(r *Result, _ Facts) {
	m.Killing = false
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Stopped, true)
}

// exitTooQuickly: the child exited before startsecs: BACKOFF, then a retry
// or FATAL.
func (m *Machine) exitTooQuickly(r *Result, f Facts) {
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Backoff, true)
	m.afterBackoff(r, f)
}

// exitAfterStart: the child exited after startsecs (passing through
// RUNNING if startsecs had not been seen yet): EXITED, then restarted if
// autorestart says so and the daemon is not shutting down.
func (m *Machine) exitAfterStart(r *Result, f Facts) {
	r.Actions = append(r.Actions, ActCancelTimer)
	m.Backoff = 0
	m.change(r, Running, true)
	m.change(r, Exited, f.Expected)
	if f.ShuttingDown {
		return
	}
	if m.Autorestart == RestartAlways || (m.Autorestart == RestartUnexpected && !f.Expected) {
		if f.Throttled {
			m.RestartPending = true
			r.Actions = append(r.Actions, ActRestartTimer)
			return
		}
		m.change(r, Starting, true)
		r.Actions = append(r.Actions, ActSpawn)
	}
}

// restart: the throttle delay passed: the automatic restart happens, unless
// the daemon shuts down meanwhile.
func (m *Machine) restart(r *Result, f Facts) {
	m.RestartPending = false
	if f.ShuttingDown {
		return
	}
	m.change(r, Starting, true)
	r.Actions = append(r.Actions, ActSpawn)
}

// cancelRestart: a stop request while a throttled restart is pending:
// STOPPED, the restart cancelled.
func (m *Machine) cancelRestart(r *Result, _ Facts) {
	m.RestartPending = false
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Stopped, true)
}

// dropRestart: the daemon shuts down while a throttled restart is
// pending: the restart is cancelled; the process stays EXITED.
func (m *Machine) dropRestart(r *Result, _ Facts) {
	m.RestartPending = false
	r.Actions = append(r.Actions, ActCancelTimer)
}

// stopRetrying: a stop request in BACKOFF: STOPPED.
func (m *Machine) stopRetrying(r *Result, _ Facts) {
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Stopped, true)
}

// stop: a stop request for a live child: STOPPING and the stop signal.
func (m *Machine) stop(r *Result, _ Facts) {
	m.Killing = true
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Stopping, true)
	r.Actions = append(r.Actions, ActStopSignal)
}

// retry: the back-off delay passed: spawn again, or give up (FATAL) after
// too many tries. Nothing happens while the daemon shuts down.
func (m *Machine) retry(r *Result, f Facts) {
	if f.ShuttingDown {
		return
	}
	if m.Backoff > m.StartRetries {
		m.Backoff = 0
		m.change(r, Fatal, true)
		return
	}
	m.change(r, Starting, true)
	r.Actions = append(r.Actions, ActSpawn)
}

// kill: stopwaitsecs passed after the stop signal: SIGKILL.
func (m *Machine) kill(r *Result, _ Facts) {
	r.Actions = append(r.Actions, ActKill)
}

// giveUp: the daemon shuts down while the process is in BACKOFF: FATAL.
func (m *Machine) giveUp(r *Result, _ Facts) {
	r.Actions = append(r.Actions, ActCancelTimer)
	m.Backoff = 0
	m.change(r, Fatal, true)
}

// signalFailed: the child could not be signalled: UNKNOWN.
func (m *Machine) signalFailed(r *Result, _ Facts) {
	m.Killing = false
	r.Actions = append(r.Actions, ActCancelTimer)
	m.change(r, Unknown, true)
}

// afterBackoff moves a BACKOFF process with too many failed starts (or
// one caught by a shutdown) to FATAL, or arms the retry timer.
func (m *Machine) afterBackoff(r *Result, f Facts) {
	if m.Backoff > m.StartRetries || f.ShuttingDown {
		m.Backoff = 0
		m.change(r, Fatal, true)
		return
	}
	r.Actions = append(r.Actions, ActRetryTimer)
}
