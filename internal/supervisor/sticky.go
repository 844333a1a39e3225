package supervisor

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/statefile"
)

// stickyFileName is the suffix of the sticky settings' file beside the
// pidfile (<pidfile>.programs).
const stickyFileName = "programs"

// stickyVersion is the format of that file.
const stickyVersion = 1

// stickyState is the content of the file.
type stickyState struct {
	// Version is stickyVersion.
	Version int `json:"version"`
	// Disabled are the disabled programs, sorted.
	Disabled []string `json:"disabled"`
	// Scale are the runtime numprocs, by group.
	Scale map[string]scaleEntry `json:"scale"`
}

// scaleEntry is a config.Scale as the file stores it.
type scaleEntry struct {
	FileNumprocs int `json:"file_numprocs"`
	Numprocs     int `json:"numprocs"`
}

// sticky holds what an operator set at run time that outlives update,
// reload and daemon restarts: the disabled programs and the runtime
// numprocs. Every change is written to the file before it takes effect
// for callers (a crash right after a call keeps it).
type sticky struct {
	path string // "" keeps the settings in memory only

	mu          sync.Mutex
	disabledSet map[string]bool
	scale       map[string]config.Scale
	// anyDisabled is len(disabledSet) > 0, read without the lock: most
	// daemons disable nothing, and a list asks about every process.
	anyDisabled atomic.Bool
	// changes is advanced after each change of the settings, which a
	// list's ProcessVersion includes.
	changes atomic.Uint64
}

// loadSticky reads the settings kept beside pidfile; a missing file is
// empty settings, a damaged one is reported and ignored.
func loadSticky(pidfile string) (*sticky, error) {
	st := &sticky{path: statefile.Beside(pidfile, stickyFileName), disabledSet: map[string]bool{}, scale: map[string]config.Scale{}}
	if st.path == "" {
		return st, nil
	}
	var f stickyState
	found, err := statefile.Read(st.path, &f)
	if err != nil || !found {
		return st, err
	}
	if f.Version != stickyVersion {
		return st, fmt.Errorf("the state file %s has version %d, not %d", st.path, f.Version, stickyVersion)
	}
	for _, p := range f.Disabled {
		st.disabledSet[p] = true
	}
	st.anyDisabled.Store(len(st.disabledSet) > 0)
	for g, e := range f.Scale {
		st.scale[g] = config.Scale{FileNumprocs: e.FileNumprocs, Numprocs: e.Numprocs}
	}
	return st, nil
}

// saveLocked writes the settings; st.mu is held.
func (st *sticky) saveLocked() error {
	if st.path == "" {
		return nil
	}
	f := stickyState{Version: stickyVersion, Disabled: slices.Sorted(maps.Keys(st.disabledSet)), Scale: map[string]scaleEntry{}}
	if f.Disabled == nil {
		f.Disabled = []string{}
	}
	for g, sc := range st.scale {
		f.Scale[g] = scaleEntry{FileNumprocs: sc.FileNumprocs, Numprocs: sc.Numprocs}
	}
	if err := statefile.Write(st.path, f); err != nil {
		return errdefs.Wrap(errdefs.Failed, err, err.Error())
	}
	return nil
}

// disabled reports whether a program is disabled.
func (st *sticky) disabled(program string) bool {
	if !st.anyDisabled.Load() {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.disabledSet[program]
}

// setDisabled disables or enables programs and saves; on a failed save
// nothing changes.
func (st *sticky) setDisabled(programs []string, on bool) error {
	return st.change(func(disabled map[string]bool, _ map[string]config.Scale) {
		for _, p := range programs {
			if on {
				disabled[p] = true
			} else {
				delete(disabled, p)
			}
		}
	})
}

// scales returns a copy of the runtime numprocs.
func (st *sticky) scales() map[string]config.Scale {
	st.mu.Lock()
	defer st.mu.Unlock()
	return maps.Clone(st.scale)
}

// setScale records (or, with forget, drops) the runtime numprocs of a
// group and saves; on a failed save nothing changes.
func (st *sticky) setScale(group string, sc config.Scale, forget bool) error {
	return st.change(func(_ map[string]bool, scale map[string]config.Scale) {
		if forget {
			delete(scale, group)
		} else {
			scale[group] = sc
		}
	})
}

// pruneScales drops the runtime numprocs of groups that no longer apply
// to cfg (the group is gone, or the file's numprocs changed since the
// scale) and saves; on a failed save nothing changes.
func (st *sticky) pruneScales(cfg *config.Config, groups []string) error {
	return st.change(func(_ map[string]bool, scale map[string]config.Scale) {
		for _, name := range groups {
			sc, ok := scale[name]
			if !ok {
				continue
			}
			if g, found := cfg.Group(name); !found || g.Heterogeneous || g.FileNumprocs != sc.FileNumprocs {
				delete(scale, name)
			}
		}
	})
}

// change applies mutate to copies of the settings and, if they differ,
// saves them and makes them current; on a failed save nothing changes.
func (st *sticky) change(mutate func(disabled map[string]bool, scale map[string]config.Scale)) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	defer func() {
		st.anyDisabled.Store(len(st.disabledSet) > 0)
		st.changes.Add(1)
	}()
	disabled, scale := maps.Clone(st.disabledSet), maps.Clone(st.scale)
	mutate(disabled, scale)
	if maps.Equal(disabled, st.disabledSet) && maps.Equal(scale, st.scale) {
		return nil
	}
	beforeDisabled, beforeScale := st.disabledSet, st.scale
	st.disabledSet, st.scale = disabled, scale
	if err := st.saveLocked(); err != nil {
		st.disabledSet, st.scale = beforeDisabled, beforeScale
		return err
	}
	return nil
}

// loadSticky reads the sticky settings kept beside the pidfile of cfg and
// returns them with cfg parsed again with their runtime numprocs applied
// (those that no longer apply are dropped). Problems are logged: the
// daemon starts without the settings rather than not at all.
func (s *Supervisor) loadSticky(cfg *config.Config) (*sticky, *config.Config) {
	st, err := loadSticky(cfg.Supervisord.Pidfile)
	if err != nil {
		s.log.Error(fmt.Sprintf("could not read the disabled and scaled programs: %v; starting without them", err))
	}
	scale := st.scales()
	if len(scale) == 0 {
		return st, cfg
	}
	if s.opts.Reload != nil {
		scaled, err := s.opts.Reload(scale)
		if err != nil {
			s.log.Error(fmt.Sprintf("could not apply the runtime numprocs: %v", err))
		} else {
			cfg = scaled
		}
	}
	if err := st.pruneScales(cfg, slices.Collect(maps.Keys(scale))); err != nil {
		s.log.Warn(fmt.Sprintf("could not save the runtime numprocs: %v", err))
	}
	for name, sc := range st.scales() {
		s.log.Info(fmt.Sprintf("%s runs %d processes (scaled at run time; the file says %d)", name, sc.Numprocs, sc.FileNumprocs))
	}
	return st, cfg
}

// programsNamed resolves the target of DisableProgram/EnableProgram: a
// program name ([program:x], also inside a [group:x]), or a group ("g:*",
// or "g" when no program has that name) for all of its programs. It
// returns the programs and their active processes. An unknown name is
// BAD_NAME; a process ("g:p") is BAD_ARGUMENTS: programs are disabled
// whole.
func (s *Supervisor) programsNamed(name string) ([]string, []*member, error) {
	groupName, _, hasProc := splitNamespec(name)
	if hasProc && strings.Contains(name, ":") {
		return nil, nil, errdefs.New(errdefs.BadArguments, "%s names a process: a whole program is disabled or enabled (give its name, or g:* for a group)", name)
	}
	collect := func(match func(g *group, pc *config.ProcessConfig) bool) ([]string, []*member) {
		var programs []string
		var procs []*member
		seen := map[string]bool{}
		for _, g := range s.sortedGroups() {
			for _, m := range g.members() {
				pc := m.Config()
				if !match(g, pc) {
					continue
				}
				procs = append(procs, m)
				if !seen[pc.Program] {
					seen[pc.Program] = true
					programs = append(programs, pc.Program)
				}
			}
		}
		sort.Strings(programs)
		return programs, procs
	}
	var programs []string
	var procs []*member
	if hasProc {
		programs, procs = collect(func(_ *group, pc *config.ProcessConfig) bool { return pc.Program == name })
	}
	if len(programs) == 0 {
		programs, procs = collect(func(g *group, _ *config.ProcessConfig) bool { return g.cfg.Name == groupName })
	}
	if len(programs) == 0 {
		return nil, nil, errdefs.New(errdefs.BadName, "%s", name)
	}
	return programs, procs, nil
}

// DisableProgram disables a program (or every program of a group): it is
// stopped and stays stopped across autostart, update, reload and daemon
// restarts until EnableProgram. The setting is saved before anything
// else. It returns the programs disabled and the outcomes of stopping
// their processes (with wait, once they are stopped).
func (s *Supervisor) DisableProgram(ctx context.Context, name string, wait bool) ([]string, []Result, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, nil, err
	}
	programs, procs, err := s.programsNamed(name)
	if err != nil {
		return nil, nil, err
	}
	if err := s.sticky.setDisabled(programs, true); err != nil {
		return nil, nil, err
	}
	s.log.Info(fmt.Sprintf("disabled: %s", joinNames(programs)))
	for _, m := range procs {
		m.SetDisabled(true)
		s.deps.cancel(m, errdefs.New(errdefs.Disabled, "%s", m.Namespec()))
	}
	s.deps.kick()
	results, err := s.forMembers(ctx, procs, s.stopOp(wait))
	return programs, results, err
}

// EnableProgram enables a disabled program (or every program of a group)
// again and starts its processes that have autostart set, as if their
// group had just been added. It returns the programs enabled and the
// outcomes of those starts (with wait, once they are RUNNING).
func (s *Supervisor) EnableProgram(ctx context.Context, name string, wait bool) ([]string, []Result, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, nil, err
	}
	programs, procs, err := s.programsNamed(name)
	if errdefs.Has(err, errdefs.BadName) && s.sticky.disabled(name) {
		// A program no longer in the configuration can still be enabled.
		programs, procs, err = []string{name}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.sticky.setDisabled(programs, false); err != nil {
		return nil, nil, err
	}
	s.log.Info(fmt.Sprintf("enabled: %s", joinNames(programs)))
	var auto []*member
	for _, m := range procs {
		m.SetDisabled(false)
		if m.Config().Autostart && !m.State().IsRunning() {
			auto = append(auto, m)
		}
	}
	s.deps.kick()
	results, err := s.forMembers(ctx, auto, s.startOp(wait, false))
	return programs, results, err
}

// Disabled reports whether a program is disabled.
func (s *Supervisor) Disabled(program string) bool { return s.sticky.disabled(program) }
