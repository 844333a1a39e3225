package supervisor

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// ProcessInfo is a process snapshot with its log files and, for event
// listeners, its protocol state.
type ProcessInfo struct {
	process.Info
	// StdoutLogfile and StderrLogfile are the log paths ("" if none).
	StdoutLogfile, StderrLogfile string
	// StdoutStats and StderrStats are the logs' counters (nil if none).
	StdoutStats, StderrStats *logs.Stats
	// Listener is the listener protocol state; 0 for other processes.
	Listener events.ListenerState
	// Health is what the process's probes say (HealthUnknown without
	// probes or a live child).
	Health probe.Health
	// LastProbe is the last probe result (zero Time if none yet).
	LastProbe ProbeResult
	// Disabled reports whether the process's program is disabled.
	Disabled bool
	// Waiting says what a start waiting for dependencies waits for
	// ("waiting for db to be healthy"), or why the last one failed ("not
	// started: dependency db is FATAL"); "" otherwise.
	Waiting string
}

// Namespec returns the process's namespec.
func (i ProcessInfo) Namespec() string { return process.Namespec(i.Group, i.Name) }

// info builds the snapshot of p.
func (s *Supervisor) info(m *member) ProcessInfo {
	var stats [2]logs.Stats
	return s.infoInto(m, &stats, time.Now())
}

// infoInto builds the snapshot of p as of now, with the logs' counters
// kept in stats (so a list of snapshots allocates them at once).
func (s *Supervisor) infoInto(m *member, stats *[2]logs.Stats, now time.Time) ProcessInfo {
	pi := ProcessInfo{Info: m.InfoAt(now)}
	stdout, stderr, _ := m.logs()
	if stdout != nil {
		pi.StdoutLogfile = stdout.Path()
		stats[0] = stdout.Stats()
		pi.StdoutStats = &stats[0]
	}
	if stderr != nil {
		pi.StderrLogfile = stderr.Path()
		stats[1] = stderr.Stats()
		pi.StderrStats = &stats[1]
	}
	if m.g.pool != nil {
		pi.Listener = m.g.pool.State(m)
	}
	pi.Health, pi.LastProbe = m.Health()
	pi.Disabled = s.sticky.disabled(m.Config().Program)
	pi.Waiting = s.waitingText(m)
	return pi
}

// Processes returns every process, ordered by group name and then process
// name.
func (s *Supervisor) Processes() ([]ProcessInfo, error) {
	var l ProcessList
	err := s.ProcessesInto(&l)
	return l.Infos, err
}

// ProcessList holds the snapshots of every process; ProcessesInto refills
// one, reusing its memory, so that a caller listing the processes call
// after call (the API's list of a thousand processes) can keep one in a
// pool instead of allocating half a megabyte each time.
type ProcessList struct {
	// Infos are the snapshots, ordered by group name and then process
	// name.
	Infos []ProcessInfo
	// stats holds the logs' counters the snapshots point to.
	stats [][2]logs.Stats
}

// ProcessesInto replaces the snapshots in l with those of every process,
// ordered by group name and then process name. The snapshots l held before
// must no longer be in use.
func (s *Supervisor) ProcessesInto(l *ProcessList) error {
	l.Infos = l.Infos[:0]
	if err := s.CheckRunning(); err != nil {
		return err
	}
	ps := s.membersByName()
	n := len(ps)
	l.Infos = slices.Grow(l.Infos[:0], n)[:n]
	l.stats = slices.Grow(l.stats[:0], n)[:n]
	now := time.Now()
	for i, p := range ps {
		l.Infos[i] = s.infoInto(p, &l.stats[i], now)
	}
	return nil
}

// memberOrder is every process in Processes' order, as it was for one
// layout (see Supervisor.layout), with the version counters of those
// that can have a version (see ProcessVersion.Known; nil for the others).
type memberOrder struct {
	layout   uint64
	members  []*member
	versions []*atomic.Uint64
}

// membersByName returns every process ordered by group name and then
// process name. The slice is shared: never change it.
func (s *Supervisor) membersByName() []*member { return s.nameOrder().members }

// nameOrder returns every process ordered by group name and then process
// name. The order is kept until the layout changes, so listing a
// thousand processes does not sort them each time.
func (s *Supervisor) nameOrder() *memberOrder {
	// The layout is read before the groups: a change made in between is
	// seen now and recorded under the old layout, so the next call sorts
	// again.
	layout := s.layout.Load()
	if o := s.order.Load(); o != nil && o.layout == layout {
		return o
	}
	s.mu.RLock()
	n := 0
	for _, g := range s.groups {
		n += len(g.members())
	}
	ps := make([]*member, 0, n)
	for _, g := range s.groups {
		ps = append(ps, g.members()...)
	}
	s.mu.RUnlock()
	// The members are sorted (pointers swapped, no reflection), not the
	// snapshots (structs of 250 bytes).
	slices.SortFunc(ps, func(a, b *member) int {
		return cmp.Or(strings.Compare(a.Group(), b.Group()), strings.Compare(a.Name(), b.Name()))
	})
	vs := make([]*atomic.Uint64, len(ps))
	for k, m := range ps {
		if m.g.pool == nil && !m.hasProbes() {
			vs[k] = m.version
		}
	}
	o := &memberOrder{layout: layout, members: ps, versions: vs}
	s.order.Store(o)
	return o
}

// layoutChanged records a change of the set of processes: a group added or
// removed, a group's processes replaced. The caller makes the change
// visible first.
func (s *Supervisor) layoutChanged() { s.layout.Add(1) }

// ConfigInfo is the configuration of one process (getAllConfigInfo).
type ConfigInfo struct {
	// Process is the configuration.
	Process config.ProcessConfig
	// GroupPriority is the group's priority.
	GroupPriority int
	// InUse reports whether the group is active.
	InUse bool
	// StdoutLogfile and StderrLogfile are the resolved log paths of an
	// active process whose configuration is the running one; otherwise the
	// configured value ("AUTO", a path, or "" for none).
	StdoutLogfile, StderrLogfile string
	// Numprocs is the number of processes of the group (0 for a [group:x]
	// of several programs); FileNumprocs is the numprocs the file sets.
	Numprocs, FileNumprocs int
}

// ProcessConfigs returns the configuration of every process of the last
// parsed configuration, sorted by process name.
func (s *Supervisor) ProcessConfigs() ([]ConfigInfo, error) {
	if err := s.CheckRunning(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	parsed, running := s.parsed, s.cfg
	active := make(map[string]*group, len(s.groups))
	for n, g := range s.groups {
		active[n] = g
	}
	s.mu.RUnlock()
	var out []ConfigInfo
	for _, gc := range parsed.Groups {
		g := active[gc.Name]
		for _, pc := range gc.Processes {
			ci := ConfigInfo{
				Process:       pc,
				GroupPriority: gc.Priority,
				InUse:         g != nil,
				StdoutLogfile: pc.Stdout.Logfile,
				StderrLogfile: pc.Stderr.Logfile,
				FileNumprocs:  gc.FileNumprocs,
			}
			if !gc.Heterogeneous {
				ci.Numprocs = len(gc.Processes)
			}
			if pc.RedirectStderr {
				ci.StderrLogfile = ""
			}
			// Until a reread, the running configuration is the parsed one and
			// the resolved AUTO paths are shown, as in 4.2.5.
			if g != nil && parsed == running {
				if m := g.member(pc.Name); m != nil {
					stdout, stderr, _ := m.logs()
					if stdout != nil {
						ci.StdoutLogfile = stdout.Path()
					}
					if stderr != nil {
						ci.StderrLogfile = stderr.Path()
					}
				}
			}
			out = append(out, ci)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Process.Name < out[j].Process.Name })
	return out, nil
}

// Channel selects a process log.
type Channel = events.Channel

// ProcessLog returns the log file of a process's channel: BAD_NAME for an
// unknown process, NO_FILE (no detail) for a channel without a log.
func (s *Supervisor) ProcessLog(name string, ch Channel) (*logs.File, error) {
	p, err := s.processNamed(name)
	if err != nil {
		return nil, err
	}
	f, stderr, _ := p.logs()
	if ch == events.Stderr {
		f = stderr
	}
	if f == nil {
		return nil, errdefs.New(errdefs.NoFile, "")
	}
	return f, nil
}

// ClearProcessLogs empties both logs of a process. As in 4.2.5, a process
// that is not running is left untouched (and the call succeeds).
func (s *Supervisor) ClearProcessLogs(name string) error {
	p, err := s.processNamed(name)
	if err != nil {
		return err
	}
	return s.clearLogs(p)
}

func (s *Supervisor) clearLogs(p *member) error {
	if p.Pid() == 0 {
		return nil
	}
	stdout, stderr, _ := p.logs()
	for _, f := range []*logs.File{stdout, stderr} {
		if f == nil {
			continue
		}
		if err := f.Clear(); err != nil {
			return errdefs.Wrap(errdefs.Failed, err, p.Namespec())
		}
	}
	return nil
}

// ClearAllProcessLogs empties the logs of every process, in priority
// order.
func (s *Supervisor) ClearAllProcessLogs() ([]Result, error) {
	return s.forEach(context.Background(), target{}, operation{
		pred:  func(*member) bool { return true },
		begin: func(p *member) (bool, error) { return false, s.clearLogs(p) },
	})
}

// ClearMainLog empties the main log.
func (s *Supervisor) ClearMainLog() error {
	if err := s.CheckRunning(); err != nil {
		return err
	}
	f, err := s.MainLog()
	if err != nil {
		return err
	}
	if err := f.Clear(); err != nil {
		return errdefs.Wrap(errdefs.Failed, err, err.Error())
	}
	return nil
}

// ReopenLogs reopens every log file (SIGUSR2).
func (s *Supervisor) ReopenLogs() {
	s.log.Info("supervisord logreopen")
	if s.opts.MainLog != nil {
		if err := s.opts.MainLog.Reopen(); err != nil {
			s.log.Warn("could not reopen the main log: " + err.Error())
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, g := range s.groups {
		for _, m := range g.members() {
			stdout, stderr, _ := m.logs()
			for _, f := range []*logs.File{stdout, stderr} {
				if f != nil {
					if err := f.Reopen(); err != nil {
						s.log.Warn("could not reopen " + f.Path() + ": " + err.Error())
					}
				}
			}
		}
	}
}
