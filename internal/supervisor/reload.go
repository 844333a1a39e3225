package supervisor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
)

// ChangeKind is how a group differs between the running and the parsed
// configuration.
type ChangeKind int

// The change kinds.
const (
	// ChangeNone marks a requested group that is neither active nor
	// configured.
	ChangeNone ChangeKind = iota
	// ChangeAdded: the group is new in the file.
	ChangeAdded
	// ChangeChanged: the group's configuration changed.
	ChangeChanged
	// ChangeRemoved: the group is no longer in the file.
	ChangeRemoved
)

// GroupChange is the plan for one group.
type GroupChange struct {
	// Group is the group name.
	Group string
	// Kind is how the group changes.
	Kind ChangeKind
	// Options are the differing options of a changed group.
	Options []config.OptionChange
}

// Plan is the result of a reread: what update would do.
type Plan struct {
	// Added, Changed and Removed are the group names, sorted.
	Added, Changed, Removed []string
	// Groups is one entry per added, changed or removed group, by name.
	Groups []GroupChange
	// Revision names the parsed configuration.
	Revision string
}

// reread parses the configuration file again; a broken file is
// CANT_REREAD with the parser's message.
func (s *Supervisor) reread() (*config.Config, error) {
	if s.opts.Reload == nil {
		return nil, errdefs.New(errdefs.CantReread, "the configuration cannot be reread")
	}
	cfg, err := s.opts.Reload(s.sticky.scales())
	if err != nil {
		return nil, errdefs.Wrap(errdefs.CantReread, err, err.Error())
	}
	return cfg, nil
}

// plan compares the active groups with cfg.
func (s *Supervisor) plan(cfg *config.Config) Plan {
	s.mu.RLock()
	var active []config.GroupConfig
	activeBy := make(map[string]config.GroupConfig, len(s.groups))
	for n, g := range s.groups {
		gc := g.config()
		active = append(active, gc)
		activeBy[n] = gc
	}
	s.mu.RUnlock()
	p := Plan{Revision: cfg.Revision()}
	p.Added, p.Changed, p.Removed = config.Diff(active, cfg.Groups)
	for _, n := range p.Added {
		p.Groups = append(p.Groups, GroupChange{Group: n, Kind: ChangeAdded})
	}
	for _, n := range p.Changed {
		ng, _ := cfg.Group(n)
		p.Groups = append(p.Groups, GroupChange{Group: n, Kind: ChangeChanged, Options: config.OptionChanges(activeBy[n], ng)})
	}
	for _, n := range p.Removed {
		p.Groups = append(p.Groups, GroupChange{Group: n, Kind: ChangeRemoved})
	}
	sort.SliceStable(p.Groups, func(i, j int) bool { return p.Groups[i].Group < p.Groups[j].Group })
	return p
}

// Reread parses the configuration again and returns what would change
// (reloadConfig). The parsed configuration becomes the one add, update and
// ProcessConfigs use; nothing is applied.
func (s *Supervisor) Reread() (Plan, error) {
	if err := s.CheckRunning(); err != nil {
		return Plan{}, err
	}
	cfg, err := s.reread()
	if err != nil {
		return Plan{}, err
	}
	s.mu.Lock()
	s.parsed = cfg
	s.mu.Unlock()
	return s.plan(cfg), nil
}

// GroupResult is the outcome of an update for one group.
type GroupResult struct {
	// Group is the group name.
	Group string
	// Kind is what was done.
	Kind ChangeKind
	// Err is nil on success.
	Err error
	// Stopped are the outcomes of stopping the group's processes.
	Stopped []Result
}

// Update rereads the configuration and applies it like supervisorctl
// update: removed groups are stopped and removed, changed groups stopped,
// removed and added again, added groups added; unchanged groups are left
// alone. With groups, only those are acted on (an unknown name gets a
// BAD_NAME result). With revision, the file must still parse to it
// (REVISION_MISMATCH otherwise). stopTimeout > 0 bounds the wait for a
// group's processes to stop; a group still running then is left in place
// with STILL_RUNNING.
func (s *Supervisor) Update(ctx context.Context, groups []string, revision string, stopTimeout time.Duration) ([]GroupResult, string, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, "", err
	}
	cfg, err := s.reread()
	if err != nil {
		return nil, "", err
	}
	if revision != "" && cfg.Revision() != revision {
		return nil, "", errdefs.New(errdefs.RevisionMismatch, "the configuration file changed since revision %s (it is now %s); reread and review the plan again", revision, cfg.Revision())
	}
	s.mu.Lock()
	s.parsed = cfg
	s.mu.Unlock()
	plan := s.plan(cfg)

	wanted := make(map[string]bool)
	for _, g := range groups {
		if g != "all" {
			wanted[g] = true
		}
	}
	var results []GroupResult
	if len(wanted) > 0 {
		known := make(map[string]bool)
		s.mu.RLock()
		for n := range s.groups {
			known[n] = true
		}
		s.mu.RUnlock()
		for _, n := range plan.Added {
			known[n] = true
		}
		var unknown []string
		for g := range wanted {
			if !known[g] {
				unknown = append(unknown, g)
			}
		}
		sort.Strings(unknown)
		for _, g := range unknown {
			results = append(results, GroupResult{Group: g, Kind: ChangeNone, Err: errdefs.New(errdefs.BadName, "%s", g)})
		}
	}
	selected := func(n string) bool { return len(wanted) == 0 || wanted[n] }

	var added []*group
	for _, n := range plan.Removed {
		if !selected(n) {
			continue
		}
		r := GroupResult{Group: n, Kind: ChangeRemoved}
		r.Stopped, r.Err = s.stopForUpdate(ctx, n, stopTimeout)
		if r.Err == nil {
			r.Err = s.removeGroup(n)
		}
		results = append(results, r)
	}
	for _, n := range plan.Changed {
		if !selected(n) {
			continue
		}
		r := GroupResult{Group: n, Kind: ChangeChanged}
		r.Stopped, r.Err = s.stopForUpdate(ctx, n, stopTimeout)
		if r.Err == nil {
			r.Err = s.removeGroup(n)
		}
		if r.Err == nil {
			var g *group
			if g, r.Err = s.activateGroup(cfg, n); r.Err == nil {
				added = append(added, g)
			}
		}
		results = append(results, r)
	}
	for _, n := range plan.Added {
		if !selected(n) {
			continue
		}
		g, err := s.activateGroup(cfg, n)
		if err == nil {
			added = append(added, g)
		}
		results = append(results, GroupResult{Group: n, Kind: ChangeAdded, Err: err})
	}
	// Every new group is in place before any starts: a program may depend
	// on one added later in the same update.
	slices.SortStableFunc(added, func(a, b *group) int { return cmp.Compare(a.cfg.Priority, b.cfg.Priority) })
	for _, g := range added {
		g.autostart()
	}
	// A runtime numprocs the file's edited numprocs made stale is
	// forgotten once its group is applied.
	var applied []string
	for _, r := range results {
		if r.Err == nil {
			applied = append(applied, r.Group)
		}
	}
	if err := s.sticky.pruneScales(cfg, applied); err != nil {
		s.log.Warn(fmt.Sprintf("could not save the runtime numprocs: %v", err))
	}
	return results, plan.Revision, nil
}

// stopForUpdate stops a group's running processes and waits until every
// process is stopped (bounded by timeout if > 0).
func (s *Supervisor) stopForUpdate(ctx context.Context, name string, timeout time.Duration) ([]Result, error) {
	wctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	results, err := s.forEach(wctx, target{group: name}, s.stopOp(true))
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		if r.Err != nil && !errdefs.Has(r.Err, errdefs.NotRunning) {
			return results, errdefs.New(errdefs.StillRunning, "%s", name)
		}
	}
	s.mu.RLock()
	g := s.groups[name]
	s.mu.RUnlock()
	if g != nil && len(g.unstopped()) > 0 {
		return results, errdefs.New(errdefs.StillRunning, "%s", name)
	}
	return results, nil
}

// AddGroup activates a group of the last parsed configuration and starts
// its autostart processes (addProcessGroup).
func (s *Supervisor) AddGroup(name string) error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	s.mu.RLock()
	cfg := s.parsed
	s.mu.RUnlock()
	return s.addGroup(cfg, name)
}

func (s *Supervisor) addGroup(cfg *config.Config, name string) error {
	g, err := s.activateGroup(cfg, name)
	if err != nil {
		return err
	}
	g.autostart()
	return nil
}

// activateGroup adds a group of cfg without starting anything.
func (s *Supervisor) activateGroup(cfg *config.Config, name string) (*group, error) {
	gc, ok := cfg.Group(name)
	if !ok {
		return nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	s.mu.Lock()
	if _, active := s.groups[name]; active {
		s.mu.Unlock()
		return nil, errdefs.New(errdefs.AlreadyAdded, "%s", name)
	}
	g, err := s.addGroupLocked(gc)
	s.mu.Unlock()
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Failed, err, err.Error())
	}
	return g, nil
}

// RemoveGroup removes an active group whose processes are all stopped
// (removeProcessGroup).
func (s *Supervisor) RemoveGroup(name string) error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	return s.removeGroup(name)
}

func (s *Supervisor) removeGroup(name string) error {
	s.mu.Lock()
	g := s.groups[name]
	if g == nil {
		s.mu.Unlock()
		return errdefs.New(errdefs.BadName, "%s", name)
	}
	s.mu.Unlock()
	// Process states are read without the supervisor lock (a process
	// announces changes under its own lock).
	if len(g.unstopped()) > 0 {
		return errdefs.New(errdefs.StillRunning, "%s", name)
	}
	s.mu.Lock()
	if s.groups[name] != g {
		s.mu.Unlock()
		return errdefs.New(errdefs.BadName, "%s", name)
	}
	delete(s.groups, name)
	s.layoutChanged()
	s.mu.Unlock()
	for _, m := range g.members() {
		s.deps.cancel(m, errdefs.New(errdefs.BadName, "%s", m.Namespec()))
	}
	s.deps.kick()
	g.close()
	s.bus.Publish(events.Event{Type: events.TypeProcessGroupRemoved, Group: name})
	return nil
}

// String names a change kind.
func (k ChangeKind) String() string {
	switch k {
	case ChangeAdded:
		return "added"
	case ChangeChanged:
		return "changed"
	case ChangeRemoved:
		return "removed"
	}
	return fmt.Sprintf("ChangeKind(%d)", int(k))
}
