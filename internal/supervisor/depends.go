package supervisor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// depStatus is where a dependency stands.
type depStatus int

const (
	// depMet: the condition holds.
	depMet depStatus = iota
	// depWaiting: it may still hold (the dependency is starting, or
	// waiting to start itself).
	depWaiting
	// depFailed: it will not hold without an operator (FATAL, stopped,
	// disabled, exited badly, gone).
	depFailed
)

// scheduler starts the processes whose dependencies are not met yet as
// soon as they are: it re-evaluates its pending starts whenever a
// process changes state or health (kick), never blocking the caller.
type scheduler struct {
	s *Supervisor

	mu      sync.Mutex
	pending map[*member]*pendingStart
	count   atomic.Int32 // len(pending), read without the lock by kick
	// changes is advanced after each change of count: a list's
	// ProcessVersion includes it, as what a process waits for follows
	// the other processes.
	changes atomic.Uint64
	wake    chan struct{}
	quit    chan struct{}
	done    chan struct{}
}

// pendingStart is a start waiting for dependencies.
type pendingStart struct {
	// waiting says what it waits for ("waiting for db to be healthy").
	waiting string
	// done is closed when the start happened or failed (err).
	done chan struct{}
	err  error
}

func newScheduler(s *Supervisor) *scheduler {
	return &scheduler{s: s, pending: map[*member]*pendingStart{}, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
}

// run evaluates the pending starts on every kick until stop.
func (d *scheduler) run() {
	defer close(d.done)
	for {
		select {
		case <-d.quit:
			return
		case <-d.wake:
		}
		d.evaluate()
	}
}

// kick asks for an evaluation. It never blocks.
func (d *scheduler) kick() {
	if d.count.Load() == 0 {
		return
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// stop ends the scheduler; every pending start fails with err.
func (d *scheduler) stop(err error) {
	close(d.quit)
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	for m, ps := range d.pending {
		d.finishLocked(m, ps, err)
	}
}

// add makes m wait for its dependencies; an m already waiting keeps its
// entry. It returns the entry.
func (d *scheduler) add(m *member, waiting string) *pendingStart {
	d.mu.Lock()
	defer d.mu.Unlock()
	ps := d.pending[m]
	if ps == nil {
		ps = &pendingStart{done: make(chan struct{})}
		d.pending[m] = ps
		d.count.Add(1)
		d.changes.Add(1)
	}
	ps.waiting = waiting
	m.setDepNote("")
	return ps
}

// lookup returns m's pending start, or nil.
func (d *scheduler) lookup(m *member) *pendingStart {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending[m]
}

// cancel drops m's pending start (stop, disable, removal); a caller
// waiting for it gets err.
func (d *scheduler) cancel(m *member, err error) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	ps := d.pending[m]
	if ps == nil {
		return false
	}
	d.finishLocked(m, ps, err)
	return true
}

func (d *scheduler) finishLocked(m *member, ps *pendingStart, err error) {
	delete(d.pending, m)
	d.count.Add(-1)
	d.changes.Add(1)
	ps.err = err
	close(ps.done)
}

// evaluate starts every pending process whose dependencies are met, in
// priority order, and fails those whose dependencies failed.
func (d *scheduler) evaluate() {
	d.mu.Lock()
	ms := make([]*member, 0, len(d.pending))
	for m := range d.pending {
		ms = append(ms, m)
	}
	d.mu.Unlock()
	slices.SortFunc(ms, func(a, b *member) int {
		return cmp.Or(cmp.Compare(a.g.cfg.Priority, b.g.cfg.Priority), cmp.Compare(a.Config().Priority, b.Config().Priority),
			cmp.Compare(a.Namespec(), b.Namespec()))
	})
	for _, m := range ms {
		st, why := d.s.dependencies(m)
		d.mu.Lock()
		ps := d.pending[m]
		if ps == nil {
			d.mu.Unlock()
			continue
		}
		switch st {
		case depWaiting:
			ps.waiting = why
			d.mu.Unlock()
			continue
		case depFailed:
			err := errdefs.New(errdefs.DependencyFailed, "%s: %s", m.Namespec(), why)
			d.finishLocked(m, ps, err)
			d.mu.Unlock()
			m.setDepNote("not started: " + why)
			d.s.log.Warn(fmt.Sprintf("not starting %s: %s", m.Name(), why))
			continue
		}
		// Out of the table first (a stop can no longer cancel it), started,
		// then done: a caller waiting for it sees the spawn.
		delete(d.pending, m)
		d.count.Add(-1)
		d.changes.Add(1)
		d.mu.Unlock()
		var err error
		if d.s.shuttingDown() {
			err = errdefs.New(errdefs.ShutdownState, "")
		} else if _, err = beginStart(m); errdefs.Has(err, errdefs.AlreadyStarted) {
			err = nil
		}
		if err != nil {
			d.s.log.Warn(fmt.Sprintf("could not start %s: %v", m.Name(), err))
		}
		ps.err = err
		close(ps.done)
	}
}

// dependencies evaluates every dependency of m: met when all are met,
// failed when one failed (with why), else waiting (with what for).
func (s *Supervisor) dependencies(m *member) (depStatus, string) {
	st, why := depMet, ""
	for _, d := range m.Config().DependsOn {
		targets := s.dependencyTargets(d)
		if len(targets) == 0 {
			return depFailed, "dependency " + d.Name + " has no process"
		}
		for _, t := range targets {
			ts, tw := s.condition(t, d.Condition)
			switch {
			case ts == depFailed:
				return depFailed, "dependency " + tw
			case ts == depWaiting && st == depMet:
				st, why = depWaiting, "waiting for "+tw
			}
		}
	}
	return st, why
}

// dependencyTargets returns the active processes a dependency names. A
// group, or a program that is its own group, is looked up directly; a
// program inside a [group:x] is searched for.
func (s *Supervisor) dependencyTargets(d config.Dependency) []*member {
	name := d.Group
	if name == "" {
		name = d.Program
	}
	s.mu.RLock()
	g := s.groups[name]
	s.mu.RUnlock()
	groups := []*group{g}
	if g == nil || (d.Program != "" && g.cfg.Heterogeneous) {
		groups = s.sortedGroups()
	}
	var out []*member
	for _, g := range groups {
		if g == nil || (d.Group != "" && g.cfg.Name != d.Group) {
			continue
		}
		for _, t := range g.members() {
			if d.Matches(t.Config()) {
				out = append(out, t)
			}
		}
	}
	return out
}

// condition evaluates one dependency process t against c. The text names
// t and what it waits for, or why it failed.
func (s *Supervisor) condition(t *member, c config.Condition) (depStatus, string) {
	name := t.Namespec()
	if s.sticky.disabled(t.Config().Program) {
		return depFailed, name + " is disabled"
	}
	info := t.Info()
	starting := s.deps.lookup(t) != nil || t.hp.restarting.Load() || info.State == process.Starting ||
		info.State == process.Backoff || info.State == process.Stopping
	met := false
	switch c {
	case config.ConditionStarted:
		met = info.State == process.Running || info.State == process.Starting || (info.State == process.Exited && !info.Start.IsZero())
	case config.ConditionRunning:
		met = info.State == process.Running
	case config.ConditionHealthy:
		h, _ := t.Health()
		met = h == probe.HealthHealthy && info.State.IsRunning()
		starting = starting || info.State == process.Running
	case config.ConditionCompleted:
		met = info.State == process.Exited && info.ExitExpected
		starting = starting || info.State == process.Running
	}
	switch {
	case met:
		return depMet, ""
	case starting:
		return depWaiting, name + " to be " + conditionText(c)
	case info.State == process.Exited && c == config.ConditionCompleted:
		return depFailed, fmt.Sprintf("%s exited with status %d (not an expected exit code)", name, info.ExitStatus)
	}
	return depFailed, name + " is " + info.State.String()
}

// conditionText is a condition as "waiting for x to be …" reads.
func conditionText(c config.Condition) string {
	switch c {
	case config.ConditionStarted:
		return "started"
	case config.ConditionHealthy:
		return "healthy"
	case config.ConditionCompleted:
		return "completed (exited successfully)"
	}
	return "running"
}

// requestStart starts m once its dependencies are met, like systemd's
// Requires+After: first it starts (recursively) every dependency that is
// stopped, exited or failed and will not start by itself, then starts m at
// once if nothing is left to wait for, or leaves it pending. It returns
// the dependencies it started and whether a start with wait has something
// to wait for (m pending, or spawned and not RUNNING yet: see
// beginStart). A disabled m is DISABLED; a disabled dependency, or one
// that cannot be started, is DEPENDENCY_FAILED. With autostart, m is only
// started if it never was.
func (s *Supervisor) requestStart(m *member, autostart bool) (started []string, waitFor bool, err error) {
	if s.sticky.disabled(m.Config().Program) {
		return nil, false, errdefs.New(errdefs.Disabled, "%s", m.Namespec())
	}
	if len(m.Config().DependsOn) == 0 {
		if autostart {
			m.Autostart()
			return nil, false, nil
		}
		pending, err := beginStart(m)
		return nil, pending, err
	}
	if autostart && !m.neverStarted() {
		return nil, false, nil
	}
	started, why := s.pullDependencies(m, map[*member]bool{m: true})
	if why != "" {
		m.setDepNote("not started: " + why)
		return started, false, errdefs.New(errdefs.DependencyFailed, "%s: %s", m.Namespec(), why)
	}
	switch st, why := s.dependencies(m); st {
	case depMet:
		s.deps.cancel(m, nil)
		pending, err := beginStart(m)
		return started, pending, err
	case depFailed:
		m.setDepNote("not started: " + why)
		return started, false, errdefs.New(errdefs.DependencyFailed, "%s: %s", m.Namespec(), why)
	default:
		s.deps.add(m, why)
		s.deps.kick()
		return started, true, nil
	}
}

// pullDependencies starts the dependencies of m that are not running and
// not on their way (recursively, depth first; seen breaks cycles made by
// changes at run time). It returns their namespecs, and why not when one
// cannot be started ("" otherwise).
func (s *Supervisor) pullDependencies(m *member, seen map[*member]bool) (started []string, why string) {
	for _, d := range m.Config().DependsOn {
		targets := s.dependencyTargets(d)
		if len(targets) == 0 {
			return started, "dependency " + d.Name + " has no process"
		}
		for _, t := range targets {
			if seen[t] {
				continue
			}
			seen[t] = true
			if st, _ := s.condition(t, d.Condition); st != depFailed {
				continue
			}
			if s.sticky.disabled(t.Config().Program) {
				return started, "dependency " + t.Namespec() + " is disabled"
			}
			more, why := s.pullDependencies(t, seen)
			started = append(started, more...)
			if why != "" {
				return started, why
			}
			if st, _ := s.dependencies(t); st != depMet {
				s.deps.add(t, "")
				s.deps.kick()
				started = append(started, t.Namespec())
				continue
			}
			if _, err := beginStart(t); err != nil && !errdefs.Has(err, errdefs.AlreadyStarted) {
				return started, "dependency " + t.Namespec() + ": " + err.Error()
			}
			started = append(started, t.Namespec())
		}
	}
	return started, ""
}

// errDetail is an error's text without its reason ("db is disabled").
func errDetail(err error) string {
	if e, ok := err.(*errdefs.Error); ok && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}

// waitPending waits until m's pending start (if any) happened, then for
// m to be RUNNING, as a start with wait does.
func (s *Supervisor) waitPending(ctx context.Context, m *member) error {
	if ps := s.deps.lookup(m); ps != nil {
		select {
		case <-ps.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if ps.err != nil {
			return ps.err
		}
	}
	return waitStarted(ctx, m)
}

// depGraph maps every active process to those it depends on directly.
func (s *Supervisor) depGraph() map[*member][]*member {
	var all []*member
	for _, g := range s.sortedGroups() {
		all = append(all, g.members()...)
	}
	graph := make(map[*member][]*member, len(all))
	for _, q := range all {
		for _, d := range q.Config().DependsOn {
			for _, p := range all {
				if p != q && d.Matches(p.Config()) {
					graph[q] = append(graph[q], p)
				}
			}
		}
	}
	return graph
}

// reach returns what q depends on, directly or not.
func reach(graph map[*member][]*member, q *member) map[*member]bool {
	seen := map[*member]bool{}
	stack := []*member{q}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range graph[x] {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return seen
}

// stopLayers orders ps for stopping: each layer holds the processes that
// nothing in the later layers depends on (directly or through any other
// process), so dependents stop before what they depend on. Without
// dependencies there is one layer, ps.
func stopLayers(ps []*member, graph map[*member][]*member) [][]*member {
	reaches := make(map[*member]map[*member]bool, len(ps))
	for _, q := range ps {
		reaches[q] = reach(graph, q)
	}
	left := slices.Clone(ps)
	var layers [][]*member
	for len(left) > 0 {
		var layer, rest []*member
		for _, p := range left {
			needed := false
			for _, q := range left {
				if q != p && reaches[q][p] {
					needed = true
					break
				}
			}
			if needed {
				rest = append(rest, p)
			} else {
				layer = append(layer, p)
			}
		}
		if len(layer) == 0 {
			// A cycle made at run time: stop the rest together.
			layer, rest = rest, nil
		}
		layers = append(layers, layer)
		left = rest
	}
	return layers
}

// runningDependents returns ps and every active process not stopped that
// depends on one of them, directly or not.
func runningDependents(ps []*member, graph map[*member][]*member) []*member {
	in := map[*member]bool{}
	for _, p := range ps {
		in[p] = true
	}
	out := slices.Clone(ps)
	for q := range graph {
		if in[q] || q.State().IsStopped() {
			continue
		}
		for p := range reach(graph, q) {
			if in[p] && slices.Contains(ps, p) {
				in[q] = true
				out = append(out, q)
				break
			}
		}
	}
	return out
}

// waitingText is m's pending start's "waiting for …", or the reason its
// last start failed on a dependency.
func (s *Supervisor) waitingText(m *member) string {
	if s.deps.count.Load() == 0 {
		// Nothing waits (the common case): no lock for each process of a
		// list.
		return m.depNote()
	}
	s.deps.mu.Lock()
	ps := s.deps.pending[m]
	var w string
	if ps != nil {
		w = ps.waiting
	}
	s.deps.mu.Unlock()
	if ps != nil {
		if w == "" {
			w = "waiting for its dependencies"
		}
		return w
	}
	return m.depNote()
}

// joinNames joins namespecs for a log line.
func joinNames(names []string) string { return strings.Join(names, ", ") }
