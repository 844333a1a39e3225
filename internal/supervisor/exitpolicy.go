package supervisor

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// This file is the daemon's exit policy (container mode, issue 18): the
// daemon ends its life on its own when a required program fails or exits,
// or when every program has finished, and says why with an exit code.

// Exit codes of the daemon that are not a program's (see ExitCause).
const (
	// ExitFailedWithoutStatus is the code when a program failed without a
	// status of its own to pass on: it reached FATAL after exiting 0 too
	// quickly, or exited 0 where 0 is not an expected code.
	ExitFailedWithoutStatus = 1
	// ExitSpawnFailed is the code when a program reached FATAL because no
	// child could be spawned (as a shell's "command not found").
	ExitSpawnFailed = 127
)

// ExitCause is why the exit policy ended the daemon's life.
type ExitCause struct {
	// Reason says what happened, for the main log.
	Reason string
	// Code is the daemon's exit status: the failing program's exit
	// status, 128+N for a program killed by signal N, ExitSpawnFailed,
	// ExitFailedWithoutStatus, or 0 when every program finished as
	// expected (or a required=exit program exited 0).
	Code int
	// Process is the namespec of the process that decided (empty when
	// every program finished as expected).
	Process string
}

// exitPolicy is the supervisor's exit policy state.
type exitPolicy struct {
	// whenFinished: exit once every program has finished.
	whenFinished bool
	// cause is set once, by the first event that ends the daemon; while
	// it is set the daemon is shutting down (nothing restarts).
	cause atomic.Pointer[ExitCause]
	// kick wakes the evaluation of "every program finished".
	kick chan struct{}
}

// ExitCause returns why the exit policy ended the daemon, or nil if it did
// not (a shutdown was requested, or the daemon still runs).
func (s *Supervisor) ExitCause() *ExitCause { return s.policy.cause.Load() }

// endByPolicy ends the daemon's life for cause, unless it is already
// ending. It runs under a process's lock: the stop request goes through a
// goroutine.
func (s *Supervisor) endByPolicy(c *ExitCause) bool {
	if s.shuttingDown() || !s.policy.cause.CompareAndSwap(nil, c) {
		return false
	}
	s.log.Warn(fmt.Sprintf("exit policy: %s; supervisord exits with status %d", c.Reason, c.Code))
	go s.requestStop(StateShutdown)
	return true
}

// exitCode returns the daemon's exit status for a process that ended its
// life (see ExitCause.Code).
func exitCode(info process.Info) int {
	switch {
	case info.State == process.Fatal && info.SpawnFailed:
		return ExitSpawnFailed
	case info.LastExit.Signal != 0:
		return 128 + int(info.LastExit.Signal)
	case info.LastExit.Code > 0:
		return info.LastExit.Code
	case info.State == process.Fatal:
		return ExitFailedWithoutStatus
	}
	return 0
}

// describeExit says how a process ended, for the exit policy's reason.
func describeExit(info process.Info) string {
	switch {
	case info.State == process.Fatal && info.SpawnFailed:
		return "entered FATAL: it could not be spawned"
	case info.State == process.Fatal:
		return "entered FATAL after too many failed starts"
	case info.LastExit.Signal != 0:
		return "was killed by " + config.SignalName(info.LastExit.Signal)
	}
	return fmt.Sprintf("exited with status %d", info.LastExit.Code)
}

// EndsDaemon applies a required program's exit policy to an exit after
// startsecs (process.Host).
func (m *member) EndsDaemon(exit process.Exit, expected bool) bool {
	pc := m.Config()
	if pc.Required == config.RequiredNo || (pc.Required == config.RequiredFailure && expected) {
		return false
	}
	info := process.Info{Name: pc.Name, Group: pc.Group, State: process.Exited, LastExit: exit}
	kind := "failed"
	if expected {
		kind = "exited"
	}
	return m.g.s.endByPolicy(&ExitCause{
		Reason:  fmt.Sprintf("required program %s %s: it %s", m.Namespec(), kind, describeExit(info)),
		Code:    exitCode(info),
		Process: m.Namespec(),
	})
}

// policyOnState follows a state change for the exit policy: a required
// program entering FATAL ends the daemon; any change wakes the check of
// "every program finished". It runs under the process's lock.
func (m *member) policyOnState(c process.Change, info process.Info) {
	s := m.g.s
	if c.To == process.Fatal && m.Config().Required != config.RequiredNo {
		s.endByPolicy(&ExitCause{
			Reason:  fmt.Sprintf("required program %s failed: it %s", m.Namespec(), describeExit(info)),
			Code:    exitCode(info),
			Process: m.Namespec(),
		})
	}
	if s.policy.whenFinished {
		select {
		case s.policy.kick <- struct{}{}:
		default:
		}
	}
}

// watchFinished ends the daemon once every program has finished (runs
// while ctx lasts, when exit_when_finished is on).
func (s *Supervisor) watchFinished(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.policy.kick:
		}
		if c := s.finished(); c != nil {
			s.endByPolicy(c)
			return
		}
	}
}

// finished returns the exit cause when every program has finished: none
// is starting, running, backing off or stopping, and at least one ended
// on its own (EXITED or FATAL). Event listeners, which serve the other
// programs, are not waited for; processes never started or stopped by
// request (STOPPED) do not count as finished ones. The code is that of the
// first process, in the order they ended, that failed (FATAL, or EXITED
// with an unexpected status), or 0.
func (s *Supervisor) finished() *ExitCause {
	var ended int
	var failed *process.Info
	var failedName string
	for _, m := range s.allMembers() {
		if m.Config().Kind == config.KindEventListener {
			continue
		}
		info := m.Info()
		switch info.State {
		case process.Stopped:
			continue
		case process.Exited, process.Fatal:
			ended++
			bad := info.State == process.Fatal || !info.ExitExpected
			if bad && (failed == nil || info.Stop.Before(failed.Stop)) {
				failed, failedName = &info, m.Namespec()
			}
		default:
			return nil
		}
	}
	if ended == 0 {
		return nil
	}
	if failed == nil {
		return &ExitCause{Reason: "every program has finished as expected", Code: 0}
	}
	return &ExitCause{
		Reason:  fmt.Sprintf("every program has finished; %s failed first: it %s", failedName, describeExit(*failed)),
		Code:    exitCode(*failed),
		Process: failedName,
	}
}

// allMembers returns every process of every group.
func (s *Supervisor) allMembers() []*member {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ms []*member
	for _, g := range s.groups {
		ms = append(ms, g.procs...)
	}
	return ms
}

// killRemaining kills (SIGKILL, to the group where configured) every live
// process of groups, when the shutdown took longer than shutdown_timeout.
func (s *Supervisor) killRemaining(groups []*group) {
	var names []string
	for _, g := range groups {
		for _, m := range g.procs {
			if !m.State().IsStopped() {
				names = append(names, m.Namespec())
				m.Kill()
			}
		}
	}
	if len(names) > 0 {
		s.log.Warn(fmt.Sprintf("shutdown_timeout (%s) passed: killed %v with %s", s.Config().Supervisord.ShutdownTimeout, names, config.SignalName(syscall.SIGKILL)))
	}
}
