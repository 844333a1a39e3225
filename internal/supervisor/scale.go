package supervisor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
)

// MaxNumprocs bounds ScaleProgram.
const MaxNumprocs = 10000

// ScaleResult is the outcome of ScaleProgram.
type ScaleResult struct {
	// Group is the group scaled.
	Group string
	// From and To are the numbers of processes before and after.
	From, To int
	// FileNumprocs is the numprocs the file sets.
	FileNumprocs int
	// Stopped are the outcomes of stopping the removed processes (highest
	// process_num first).
	Stopped []Result
	// Started are the outcomes of starting the added processes that have
	// autostart set.
	Started []Result
}

// ScaleProgram sets the number of processes of a homogeneous group
// ([program:x] with numprocs, [fcgi-program:x], [eventlistener:x]) now,
// without editing the file. New processes take the next process_num and
// are started if autostart is set; removing stops the highest
// process_num first and waits for them (bounded by stopTimeout if > 0;
// a process still running then is STILL_RUNNING and the group keeps it).
//
// The runtime numprocs is saved beside the pidfile and outlives reread,
// update, reload and daemon restarts for as long as the file's numprocs
// is the one it was made against: once an edit changes the file's
// numprocs, the file wins (reread shows the change and update applies
// it). Scaling back to the file's numprocs forgets the runtime value.
//
// The group must be as the file describes it: a file edited since the
// group was applied (update pending) is FAILED, as is a program whose
// process_name lacks %(process_num)s when scaling above 1.
func (s *Supervisor) ScaleProgram(ctx context.Context, name string, numprocs int, stopTimeout time.Duration) (ScaleResult, error) {
	if err := s.CheckRunning(); err != nil {
		return ScaleResult{}, err
	}
	if numprocs < 0 || numprocs > MaxNumprocs {
		return ScaleResult{}, errdefs.New(errdefs.BadArguments, "numprocs %d is out of range (0 to %d)", numprocs, MaxNumprocs)
	}
	s.scaleMu.Lock()
	defer s.scaleMu.Unlock()
	s.mu.RLock()
	g := s.groups[groupName(name)]
	s.mu.RUnlock()
	if g == nil {
		return ScaleResult{}, errdefs.New(errdefs.BadName, "%s", name)
	}
	running := g.config()
	if running.Heterogeneous {
		return ScaleResult{}, errdefs.New(errdefs.BadArguments, "%s is a [group:x] of several programs; scale one of its programs' own groups instead", running.Name)
	}
	scaled, err := s.scaledConfig(running, numprocs)
	if err != nil {
		return ScaleResult{}, err
	}
	next, _ := scaled.Group(running.Name)
	res := ScaleResult{Group: running.Name, From: len(running.Processes), To: numprocs, FileNumprocs: running.FileNumprocs}
	removed := g.scaleDiff(next)
	if res.Stopped, err = s.stopRemoved(ctx, removed, stopTimeout); err != nil {
		return res, err
	}
	if err := s.saveScale(running, numprocs); err != nil {
		return res, err
	}
	newMembers := g.applyScale(next, removed)
	for _, m := range newMembers {
		s.openLogs(m)
	}
	// The scaled parse is the newest: avail and update see it.
	s.mu.Lock()
	if s.parsed == s.cfg {
		s.cfg = scaled
	}
	s.parsed = scaled
	s.mu.Unlock()
	s.log.Info(fmt.Sprintf("scaled %s from %d to %d processes (the file says %d)", running.Name, res.From, res.To, running.FileNumprocs))
	s.deps.kick()
	var auto []*member
	for _, m := range newMembers {
		if m.Config().Autostart && !s.sticky.disabled(m.Config().Program) {
			auto = append(auto, m)
		}
	}
	res.Started, err = s.forMembers(ctx, auto, s.startOp(false, true))
	return res, err
}

// scaledConfig parses the file again with the group at numprocs, after
// checking that the file still describes the running group.
func (s *Supervisor) scaledConfig(running config.GroupConfig, numprocs int) (*config.Config, error) {
	if s.opts.Reload == nil {
		return nil, errdefs.New(errdefs.CantReread, "the configuration cannot be reread")
	}
	scale := s.sticky.scales()
	current, err := s.opts.Reload(scale)
	if err != nil {
		return nil, errdefs.Wrap(errdefs.CantReread, err, err.Error())
	}
	cur, ok := current.Group(running.Name)
	if !ok || len(config.OptionChanges(running, cur)) > 0 {
		section := "program:" + running.Name
		if len(running.Processes) > 0 {
			section = running.Processes[0].Section
		}
		return nil, errdefs.New(errdefs.Failed, "[%s] changed in the configuration file since it was applied; run update first (reread shows the plan)", section)
	}
	scale[running.Name] = config.Scale{FileNumprocs: running.FileNumprocs, Numprocs: numprocs}
	scaled, err := s.opts.Reload(scale)
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Failed, err, fmt.Sprintf("cannot scale %s to %d: %s", running.Name, numprocs, err))
	}
	return scaled, nil
}

// scaleDiff returns the members next removes, highest process_num first.
func (g *group) scaleDiff(next config.GroupConfig) []*member {
	keep := map[string]bool{}
	for _, pc := range next.Processes {
		keep[pc.Name] = true
	}
	var removed []*member
	for _, m := range g.members() {
		if !keep[m.Name()] {
			removed = append(removed, m)
		}
	}
	slices.SortFunc(removed, func(a, b *member) int { return b.Config().ProcessNum - a.Config().ProcessNum })
	return removed
}

// stopRemoved stops the processes a scale removes, in order, and waits
// until they are stopped (bounded by timeout if > 0).
func (s *Supervisor) stopRemoved(ctx context.Context, removed []*member, timeout time.Duration) ([]Result, error) {
	wctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	op := s.stopOp(true)
	op.layered = false
	results, err := s.forMembers(wctx, removed, op)
	if err != nil {
		return results, err
	}
	for _, m := range removed {
		if !m.State().IsStopped() {
			return results, errdefs.New(errdefs.StillRunning, "%s", m.Namespec())
		}
	}
	return results, nil
}

// applyScale makes next the group's configuration: removed members (all
// stopped) leave, new ones are created (their logs not open yet) and
// returned. Members that stay keep the configuration they run with.
func (g *group) applyScale(next config.GroupConfig, removed []*member) []*member {
	gone := map[*member]bool{}
	for _, m := range removed {
		gone[m] = true
	}
	g.mu.Lock()
	procs := make([]config.ProcessConfig, len(next.Processes))
	var added []*member
	byName := make(map[string]*member, len(next.Processes))
	for i, pc := range next.Processes {
		if m := g.byName[pc.Name]; m != nil && !gone[m] {
			procs[i] = *m.Config()
			byName[pc.Name] = m
			continue
		}
		procs[i] = pc
	}
	for i := range procs {
		if byName[procs[i].Name] != nil {
			continue
		}
		m := newMember(g, &procs[i])
		byName[procs[i].Name] = m
		added = append(added, m)
	}
	g.cfg.Processes = procs
	g.procs = orderLike(procs, byName)
	g.byName = byName
	g.mu.Unlock()
	g.s.layoutChanged()
	for _, m := range removed {
		m.closeLogs()
	}
	return added
}

// orderLike returns the members in the order of procs.
func orderLike(procs []config.ProcessConfig, byName map[string]*member) []*member {
	out := make([]*member, len(procs))
	for i, pc := range procs {
		out[i] = byName[pc.Name]
	}
	return out
}

// saveScale records the group's runtime numprocs (forgotten when it is
// the file's).
func (s *Supervisor) saveScale(running config.GroupConfig, numprocs int) error {
	return s.sticky.setScale(running.Name, config.Scale{FileNumprocs: running.FileNumprocs, Numprocs: numprocs},
		numprocs == running.FileNumprocs)
}
