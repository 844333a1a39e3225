package supervisor

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// Probe names, as events and ProcessInfo show them.
const (
	probeReadiness = "readiness"
	probeLiveness  = "liveness"
)

// ProbeResult is the last result of a process's probes.
type ProbeResult struct {
	probe.Result
	// Probe is which probe it came from ("readiness" or "liveness").
	Probe string
}

// health is the probe state of one member: its probes run while it has a
// live child (from each STARTING on), one session per spawn. Its lock is
// a leaf: nothing else is locked while it is held.
type health struct {
	readyCheck, liveCheck probe.Check    // nil for a probe it does not have
	readyRE               *regexp.Regexp // the log readiness probe, compiled

	mu        sync.Mutex
	gen       uint64 // the current session; reports of older ones are dropped
	cancel    context.CancelFunc
	readiness *probe.Tracker
	liveness  *probe.Tracker
	value     probe.Health
	last      ProbeResult

	// matcher is the current session's log readiness matcher until it
	// matched (nil otherwise); the capture reads it on every chunk.
	matcher atomic.Pointer[sessionMatcher]
	// restarting is set while a failed liveness probe restarts the member.
	restarting atomic.Bool
	// running counts the probe goroutines of every session (a check in
	// flight included), so a shutdown can wait until none is left.
	running sync.WaitGroup
}

// sessionMatcher is a log readiness matcher and the session it belongs to.
type sessionMatcher struct {
	gen uint64
	m   *probe.LineMatcher
}

// initHealth prepares the member's probes from its configuration.
func (m *member) initHealth() {
	pc := m.Config()
	m.hp.readyCheck, m.hp.readyRE = m.probeCheck(pc.Readiness)
	m.hp.liveCheck, _ = m.probeCheck(pc.Liveness)
}

// probeCheck returns the check of a probe (nil for none or a log probe)
// and, for a log probe, its regular expression.
func (m *member) probeCheck(p *config.Probe) (probe.Check, *regexp.Regexp) {
	if p == nil {
		return nil, nil
	}
	switch p.Kind {
	case config.ProbeExec:
		return probe.Exec(p.Target, m.Process.RunCommand), nil
	case config.ProbeHTTP:
		if check := m.g.s.opts.HTTPCheck; check != nil {
			return check(p.Target), nil
		}
		return func(context.Context) (bool, string) { return false, "http probes are not available in this daemon" }, nil
	case config.ProbeTCP:
		return probe.TCP(p.Target), nil
	}
	// The configuration checked the expression.
	return nil, regexp.MustCompile(p.Target)
}

// hasProbes reports whether the member has a readiness or liveness probe.
func (m *member) hasProbes() bool {
	pc := m.Config()
	return pc.Readiness != nil || pc.Liveness != nil
}

// Health returns the member's health and its last probe result.
func (m *member) Health() (probe.Health, ProbeResult) {
	if m.hp.readyCheck == nil && m.hp.liveCheck == nil && m.hp.readyRE == nil {
		// No probes: nothing ever changes the health (set at creation).
		return m.hp.value, ProbeResult{}
	}
	m.hp.mu.Lock()
	defer m.hp.mu.Unlock()
	return m.hp.value, m.hp.last
}

// healthOnState follows a state change of the member: each STARTING (a
// spawn) begins a probe session; leaving the running states ends it. It
// runs under the process's lock and does not block.
func (m *member) healthOnState(to process.State, pid int) {
	if !m.hasProbes() {
		return
	}
	switch to {
	case process.Starting:
		m.beginProbes()
	case process.Running:
	default:
		m.endProbes(pid)
	}
}

// beginProbes starts a probe session for a new child.
func (m *member) beginProbes() {
	pc := m.Config()
	h := &m.hp
	h.mu.Lock()
	if h.cancel != nil {
		h.cancel()
	}
	h.gen++
	gen := h.gen
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.readiness, h.liveness = nil, nil
	if pc.Readiness != nil {
		h.readiness = &probe.Tracker{Success: pc.Readiness.SuccessThreshold, Failure: pc.Readiness.FailureThreshold, Readiness: true}
	}
	if pc.Liveness != nil {
		h.liveness = &probe.Tracker{Success: pc.Liveness.SuccessThreshold, Failure: pc.Liveness.FailureThreshold}
	}
	from := h.value
	h.value = probe.Combine(h.readiness, h.liveness)
	to := h.value
	h.mu.Unlock()
	if h.readyRE != nil {
		h.matcher.Store(&sessionMatcher{gen: gen, m: probe.NewLineMatcher(h.readyRE)})
	} else {
		h.matcher.Store(nil)
	}
	for _, r := range []struct {
		name  string
		p     *config.Probe
		check probe.Check
	}{{probeReadiness, pc.Readiness, h.readyCheck}, {probeLiveness, pc.Liveness, h.liveCheck}} {
		if r.check == nil {
			continue
		}
		timing := probe.Timing{InitialDelay: r.p.InitialDelay, Period: r.p.Period, Timeout: r.p.Timeout}
		h.running.Add(1)
		go func() {
			defer h.running.Done()
			probe.Run(ctx, timing, r.check, func(res probe.Result) { m.probeReported(gen, r.name, res) })
		}()
	}
	m.healthChanged(from, to, "", "", 0)
}

// endProbes ends the probe session: the child is gone (or going).
func (m *member) endProbes(pid int) {
	h := &m.hp
	h.mu.Lock()
	if h.cancel != nil {
		h.cancel()
		h.cancel = nil
	}
	h.gen++
	h.readiness, h.liveness = nil, nil
	from := h.value
	h.value = probe.HealthUnknown
	h.mu.Unlock()
	h.matcher.Store(nil)
	m.healthChanged(from, probe.HealthUnknown, "", "", pid)
}

// waitProbes ends the member's probe session and waits until its probes
// are gone (a check in flight is killed with its process group): a
// shutdown leaves no probe command behind.
func (m *member) waitProbes() {
	if !m.hasProbes() {
		return
	}
	m.endProbes(0)
	m.hp.running.Wait()
}

// probeReported records one result of a session's probe, and restarts the
// process when its liveness probe has just failed (liveness_action).
func (m *member) probeReported(gen uint64, name string, res probe.Result) {
	h := &m.hp
	h.mu.Lock()
	if gen != h.gen {
		h.mu.Unlock()
		return
	}
	t := h.readiness
	if name == probeLiveness {
		t = h.liveness
	}
	h.last = ProbeResult{Result: res, Probe: name}
	changed := t.Observe(res.OK)
	failed := changed && name == probeLiveness && t.Status() == probe.Failing
	from := h.value
	h.value = probe.Combine(h.readiness, h.liveness)
	to := h.value
	h.mu.Unlock()
	if !res.OK {
		m.g.s.log.Debug(fmt.Sprintf("%s probe of %s failed: %s", name, m.Name(), res.Output))
	}
	m.healthChanged(from, to, name, res.Output, m.Pid())
	if failed {
		m.livenessFailed(res)
	}
}

// feedOutput passes a chunk of the child's output to the log readiness
// probe while it waits for its line.
func (m *member) feedOutput(ch events.Channel, data []byte) {
	sm := m.hp.matcher.Load()
	if sm == nil || !sm.m.Feed(int(ch), data) {
		return
	}
	m.hp.matcher.CompareAndSwap(sm, nil)
	h := &m.hp
	h.mu.Lock()
	if sm.gen != h.gen || h.readiness == nil {
		h.mu.Unlock()
		return
	}
	out := "matched: " + sm.m.Line()
	h.last = ProbeResult{Result: probe.Result{Time: time.Now(), OK: true, Output: out}, Probe: probeReadiness}
	h.readiness.Pass()
	from := h.value
	h.value = probe.Combine(h.readiness, h.liveness)
	to := h.value
	h.mu.Unlock()
	m.healthChanged(from, to, probeReadiness, out, m.Pid())
}

// healthChanged announces a health change (an event and a main log line).
func (m *member) healthChanged(from, to probe.Health, probeName, output string, pid int) {
	if from == to {
		return
	}
	s := m.g.s
	if probeName != "" {
		s.log.Info(fmt.Sprintf("health: %s is %s (%s probe: %s)", m.Name(), to, probeName, output))
	}
	s.bus.Publish(events.Event{Type: events.TypeProcessHealthChanged, Health: &events.ProcessHealth{
		Process: m.Name(), Group: m.Group(), From: from.String(), To: to.String(), Probe: probeName, Output: output, Pid: pid,
	}})
	s.deps.kick()
}

// livenessFailed acts on a liveness probe that has just failed: it
// restarts the process (liveness_action=restart) in the background.
func (m *member) livenessFailed(res probe.Result) {
	pc := m.Config()
	s := m.g.s
	if pc.LivenessAction == config.LivenessReport {
		s.log.Warn(fmt.Sprintf("liveness probe of %s failed %d times (%s); reporting only", m.Name(), pc.Liveness.FailureThreshold, res.Output))
		return
	}
	if !m.hp.restarting.CompareAndSwap(false, true) {
		return
	}
	s.log.Warn(fmt.Sprintf("liveness probe of %s failed %d times (%s); restarting it", m.Name(), pc.Liveness.FailureThreshold, res.Output))
	go func() {
		defer func() {
			m.hp.restarting.Store(false)
			s.deps.kick()
		}()
		s.restartUnhealthy(m)
	}()
}

// restartUnhealthy stops a process whose liveness probe failed and starts
// it again (unless it was stopped, disabled or the daemon shuts down
// meanwhile).
func (s *Supervisor) restartUnhealthy(m *member) {
	if s.shuttingDown() || !m.State().IsRunning() {
		return
	}
	if err := s.stop(context.Background(), m, true); err != nil {
		s.log.Warn(fmt.Sprintf("could not stop %s after its liveness probe failed: %v", m.Name(), err))
		return
	}
	if s.shuttingDown() || s.sticky.disabled(m.Config().Program) {
		return
	}
	if _, _, err := s.requestStart(m, false); err != nil {
		s.log.Warn(fmt.Sprintf("could not start %s again after its liveness probe failed: %v", m.Name(), err))
	}
}
