package supervisor

import (
	"context"
	"fmt"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// This file answers the orchestrators' two questions (issue 18): is the
// daemon alive (its state responsive), and is it ready (the programs it
// runs for are up)? The HTTP /healthz and /readyz ask here, and so does
// the gRPC health service's "readiness": Readiness is cheap (one lock per
// process) and is asked again on every process, group or daemon state
// event.

// Readiness is the answer to "is the daemon ready?".
type Readiness struct {
	// Ready reports whether every selected process is ready.
	Ready bool
	// Waiting lists the selected processes that are not, as
	// "name (STATE)", in start order.
	Waiting []string
}

// Readiness reports whether the daemon is ready: it is not shutting down,
// and each process selected by readiness_programs (every autostart
// process without it) is RUNNING, or finished as expected and not to be
// restarted (a one-shot task).
// A process with a readiness probe is ready only once its health is
// HEALTHY (the same meaning as depends_on's "healthy").
func (s *Supervisor) Readiness() Readiness {
	if s.shuttingDown() {
		return Readiness{Waiting: []string{"supervisord (" + s.State().String() + ")"}}
	}
	sel := s.Config().Supervisord.ReadinessPrograms
	r := Readiness{Ready: true}
	for _, m := range s.sortedMembers() {
		pc := m.Config()
		if !readinessSelects(sel, pc) {
			continue
		}
		info := m.Info()
		health, _ := m.Health()
		if !processReady(pc, info, health) {
			r.Ready = false
			why := info.State.String()
			if info.State == process.Running {
				why += ", health " + health.String()
			}
			r.Waiting = append(r.Waiting, fmt.Sprintf("%s (%s)", m.Namespec(), why))
		}
	}
	return r
}

// readinessSelects reports whether readiness waits for the process pc:
// with readiness_programs, when an entry names its program, its group
// ("group:*"), or the process itself ("group:name", or "name" when they
// are equal); otherwise when it is an autostart process.
func readinessSelects(sel []string, pc *config.ProcessConfig) bool {
	if sel == nil {
		return pc.Autostart
	}
	for _, e := range sel {
		g, p, hasProc := splitNamespec(e)
		switch {
		case e == pc.Program || e == pc.Group:
			return true
		case !hasProc && g == pc.Group:
			return true
		case hasProc && g == pc.Group && p == pc.Name:
			return true
		}
	}
	return false
}

// processReady reports whether one selected process is ready: RUNNING
// (and HEALTHY where it has a readiness probe), or EXITED as expected
// where autorestart does not restart it.
func processReady(pc *config.ProcessConfig, info process.Info, health probe.Health) bool {
	switch info.State {
	case process.Running:
		return pc.Readiness == nil || health == probe.HealthHealthy
	case process.Exited:
		return info.ExitExpected && pc.Autorestart != config.AutorestartAlways
	}
	return false
}

// Alive checks that the daemon's state answers: its locks can be taken
// and every process's state read, within ctx. A daemon whose state is
// stuck (a deadlock) is not alive. Only one check runs at a time; a
// caller arriving during one waits for it.
func (s *Supervisor) Alive(ctx context.Context) error {
	s.aliveMu.Lock()
	ch := s.aliveCheck
	if ch == nil {
		ch = make(chan struct{})
		s.aliveCheck = ch
		go func() {
			for _, m := range s.allMembers() {
				m.State()
			}
			s.aliveMu.Lock()
			s.aliveCheck = nil
			s.aliveMu.Unlock()
			close(ch)
		}()
	}
	s.aliveMu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the daemon's state did not answer: %w", ctx.Err())
	}
}

// AliveTimeout is how long a liveness check waits for the daemon's state.
const AliveTimeout = 5 * time.Second

// sortedMembers returns every process in start order (group priority,
// then the group's configuration order).
func (s *Supervisor) sortedMembers() []*member {
	var ms []*member
	for _, g := range s.sortedGroups() {
		ms = append(ms, g.procs...)
	}
	return ms
}

// ProcessStats is what the metrics read of one process at a scrape.
type ProcessStats struct {
	process.Info
	// Health is what the process's probes say (HealthUnknown without
	// probes).
	Health probe.Health
	// Stdout and Stderr are the counters of the process's log files;
	// HasStdout and HasStderr say whether it has one (not NONE).
	Stdout, Stderr       logs.Stats
	HasStdout, HasStderr bool
}

// ProcessStats returns the counters of every process, in start order. It
// only reads: collecting metrics costs the engine one lock per process.
func (s *Supervisor) ProcessStats() []ProcessStats {
	ms := s.sortedMembers()
	out := make([]ProcessStats, len(ms))
	for i, m := range ms {
		out[i].Info = m.Info()
		out[i].Health, _ = m.Health()
		select {
		case <-m.ready:
		default:
			continue // its logs are still being opened
		}
		if m.stdout != nil {
			out[i].Stdout, out[i].HasStdout = m.stdout.Stats(), true
		}
		if m.stderr != nil {
			out[i].Stderr, out[i].HasStderr = m.stderr.Stats(), true
		}
	}
	return out
}

// ConsoleDropped returns the bytes of container output that the daemon's
// stdout or stderr refused (0 without container output).
func (s *Supervisor) ConsoleDropped() int64 {
	if s.opts.Console == nil {
		return 0
	}
	return s.opts.Console.Dropped()
}
