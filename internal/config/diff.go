package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OptionChange is one differing option of a changed group: the plan shown
// before update applies it.
type OptionChange struct {
	// Process is the process name, or "" for a group-level option (priority,
	// numprocs, programs, the process list, eventlistener pool options).
	Process string
	// Option is the configuration-file option name, e.g. "command",
	// "numprocs", "environment", or "processes" for the list of process
	// names.
	Option string
	// Old and New are the values rendered as text ("" when unset).
	Old, New string
}

// option is one rendered option: key compares, text is shown.
type option struct {
	name, key, text string
}

func opt(name, text string) option { return option{name: name, key: text, text: text} }

func boolText(b bool) string { return strconv.FormatBool(b) }

func kindText(k Kind) string {
	switch k {
	case KindProgram:
		return "program"
	case KindEventListener:
		return "eventlistener"
	case KindFCGIProgram:
		return "fcgi-program"
	}
	return strconv.Itoa(int(k))
}

func autorestartText(a Autorestart) string {
	switch a {
	case AutorestartAlways:
		return "true"
	case AutorestartNever:
		return "false"
	}
	return "unexpected"
}

func intsText(v []int) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// envText renders an environment as sorted KEY="value" pairs (values
// quoted, so that the text identifies the map).
func envText(env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(env[k])
	}
	return strings.Join(parts, ",")
}

func octalText(m int) string { return "0" + strconv.FormatInt(int64(m), 8) }

// processOptions lists the options of a process that update compares, in
// a fixed order. Like Supervisor, a user compares by uid.
func processOptions(p *ProcessConfig) []option {
	userKey, userText := "", ""
	if p.User != nil {
		userKey, userText = strconv.Itoa(p.User.UID), p.User.Name
	}
	umask := ""
	if p.Umask != nil {
		umask = octalText(*p.Umask)
	}
	opts := []option{
		opt("command", p.Command),
		opt("priority", strconv.Itoa(p.Priority)),
		opt("autostart", boolText(p.Autostart)),
		opt("autorestart", autorestartText(p.Autorestart)),
		opt("startsecs", strconv.Itoa(p.StartSecs)),
		opt("startretries", strconv.Itoa(p.StartRetries)),
		opt("restart_burst", strconv.Itoa(p.RestartBurst)),
		opt("restart_interval", strconv.Itoa(int(p.RestartInterval/time.Second))),
		opt("exitcodes", intsText(p.ExitCodes)),
		opt("stopsignal", strings.TrimPrefix(SignalName(p.StopSignal), "SIG")),
		opt("stopwaitsecs", strconv.Itoa(p.StopWaitSecs)),
		opt("stopasgroup", boolText(p.StopAsGroup)),
		opt("killasgroup", boolText(p.KillAsGroup)),
		{name: "user", key: userKey, text: userText},
		opt("redirect_stderr", boolText(p.RedirectStderr)),
	}
	for _, ch := range []struct {
		name string
		c    *LogConfig
	}{{"stdout", &p.Stdout}, {"stderr", &p.Stderr}} {
		opts = append(opts,
			opt(ch.name+"_logfile", ch.c.Logfile),
			opt(ch.name+"_logfile_maxbytes", strconv.FormatInt(ch.c.MaxBytes, 10)),
			opt(ch.name+"_logfile_backups", strconv.Itoa(ch.c.Backups)),
			opt(ch.name+"_capture_maxbytes", strconv.FormatInt(ch.c.CaptureMaxBytes, 10)),
			opt(ch.name+"_events_enabled", boolText(ch.c.EventsEnabled)),
			opt(ch.name+"_syslog", boolText(ch.c.Syslog)),
		)
	}
	opts = append(opts,
		opt("environment", envText(p.Environment)),
		opt("directory", p.Directory),
		opt("umask", umask),
		opt("serverurl", p.ServerURL),
		opt("environment_file", strings.Join(p.EnvironmentFiles, ",")),
		opt("required", p.Required.String()),
	)
	opts = append(opts, beyondOptions(p)...)
	if p.FCGI != nil {
		owner := ""
		if p.FCGI.OwnerUID != -1 || p.FCGI.OwnerGID != -1 {
			owner = strconv.Itoa(p.FCGI.OwnerUID) + ":" + strconv.Itoa(p.FCGI.OwnerGID)
		}
		opts = append(opts,
			opt("socket", p.FCGI.URL),
			opt("socket_backlog", strconv.Itoa(p.FCGI.Backlog)),
			opt("socket_owner", owner),
			opt("socket_mode", octalText(int(p.FCGI.Mode))),
		)
	}
	return opts
}

// beyondOptions lists gsupervisor's process options that are set (so a
// configuration without them compares and hashes as before).
func beyondOptions(p *ProcessConfig) []option {
	var opts []option
	for _, pr := range []struct {
		name string
		p    *Probe
	}{{"readiness_probe", p.Readiness}, {"liveness_probe", p.Liveness}} {
		if pr.p != nil {
			opts = append(opts, opt(pr.name, probeText(pr.p)))
		}
	}
	if p.Liveness != nil && p.LivenessAction == LivenessReport {
		opts = append(opts, opt("liveness_action", "report"))
	}
	if len(p.DependsOn) > 0 {
		deps := make([]string, len(p.DependsOn))
		for i, d := range p.DependsOn {
			deps[i] = d.String()
		}
		opts = append(opts, opt("depends_on", strings.Join(deps, ",")))
	}
	if p.Backoff == BackoffExponential {
		opts = append(opts, opt("backoff", "exponential, at most "+strconv.Itoa(p.BackoffMaxSecs)+"s"))
	}
	return opts
}

// probeText renders a probe with its timing.
func probeText(p *Probe) string {
	return fmt.Sprintf("%s (initial_delay=%v period=%v timeout=%v success_threshold=%d failure_threshold=%d)",
		p.Spec, p.InitialDelay, p.Period, p.Timeout, p.SuccessThreshold, p.FailureThreshold)
}

// programList returns the distinct program names of a group, in order.
func programList(g *GroupConfig) string {
	var names []string
	seen := map[string]bool{}
	for _, p := range g.Processes {
		if !seen[p.Program] {
			seen[p.Program] = true
			names = append(names, p.Program)
		}
	}
	return strings.Join(names, ",")
}

func processList(g *GroupConfig) string {
	names := make([]string, len(g.Processes))
	for i, p := range g.Processes {
		names[i] = p.Name
	}
	return strings.Join(names, ",")
}

// groupOptions lists the group-level options update compares.
func groupOptions(g *GroupConfig) []option {
	opts := []option{
		opt("kind", kindText(g.Kind)),
		opt("priority", strconv.Itoa(g.Priority)),
	}
	if g.Heterogeneous {
		opts = append(opts, opt("programs", programList(g)))
	} else {
		opts = append(opts, opt("numprocs", strconv.Itoa(len(g.Processes))))
	}
	opts = append(opts, opt("processes", processList(g)))
	if g.Pool != nil {
		opts = append(opts,
			opt("events", strings.Join(g.Pool.Events, ",")),
			opt("buffer_size", strconv.Itoa(g.Pool.BufferSize)),
			opt("result_handler", g.Pool.ResultHandler),
		)
	}
	return opts
}

// compareOptions appends the differences between two option lists. Options
// present on one side only compare against "".
func compareOptions(out []OptionChange, process string, oldOpts, newOpts []option) []OptionChange {
	oldBy := map[string]option{}
	for _, o := range oldOpts {
		oldBy[o.name] = o
	}
	newBy := map[string]option{}
	for _, o := range newOpts {
		newBy[o.name] = o
	}
	var names []string
	seen := map[string]bool{}
	for _, list := range [][]option{oldOpts, newOpts} {
		for _, o := range list {
			if !seen[o.name] {
				seen[o.name] = true
				names = append(names, o.name)
			}
		}
	}
	for _, n := range names {
		o, n2 := oldBy[n], newBy[n]
		if o.key != n2.key {
			out = append(out, OptionChange{Process: process, Option: n, Old: o.text, New: n2.text})
		}
	}
	return out
}

// OptionChanges lists every option that differs between two configurations
// of a group: group-level options first (Process ""), then the options of
// each process present in both, in the new group's order. It is empty when
// update would leave the group alone. Unlike Supervisor 4.2.5, which skips
// AUTO log files when comparing, a switch between AUTO and an explicit log
// file counts as a change.
func OptionChanges(old, new GroupConfig) []OptionChange {
	out := compareOptions(nil, "", groupOptions(&old), groupOptions(&new))
	oldProcs := map[string]*ProcessConfig{}
	for i := range old.Processes {
		oldProcs[old.Processes[i].Name] = &old.Processes[i]
	}
	for i := range new.Processes {
		np := &new.Processes[i]
		op, ok := oldProcs[np.Name]
		if !ok {
			continue
		}
		out = compareOptions(out, np.Name, processOptions(op), processOptions(np))
	}
	return out
}

// Diff compares the running groups with newly parsed ones as update does:
// a group is added or removed by name, and changed when any option of the
// group or of its processes differs (including numprocs, the environment
// merged with [supervisord] environment, and expanded values). The names
// are sorted.
func Diff(old, new []GroupConfig) (added, changed, removed []string) {
	oldBy := map[string]GroupConfig{}
	for _, g := range old {
		oldBy[g.Name] = g
	}
	newBy := map[string]GroupConfig{}
	for _, g := range new {
		newBy[g.Name] = g
	}
	for name, g := range newBy {
		og, ok := oldBy[name]
		switch {
		case !ok:
			added = append(added, name)
		case len(OptionChanges(og, g)) > 0:
			changed = append(changed, name)
		}
	}
	for name := range oldBy {
		if _, ok := newBy[name]; !ok {
			removed = append(removed, name)
		}
	}
	sort.Strings(added)
	sort.Strings(changed)
	sort.Strings(removed)
	return added, changed, removed
}

// Revision returns a stable token (hex SHA-256) of what update applies: the
// groups and every option Diff compares. Two parses of an unchanged file
// give the same token; any change Diff would report gives another.
func (c *Config) Revision() string {
	groups := make([]*GroupConfig, len(c.Groups))
	for i := range c.Groups {
		groups[i] = &c.Groups[i]
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(strconv.Itoa(len(p))))
			h.Write([]byte{':'})
			h.Write([]byte(p))
		}
		h.Write([]byte{'\n'})
	}
	for _, g := range groups {
		write("group", g.Name)
		for _, o := range groupOptions(g) {
			write(o.name, o.key)
		}
		procs := make([]*ProcessConfig, len(g.Processes))
		for i := range g.Processes {
			procs[i] = &g.Processes[i]
		}
		sort.SliceStable(procs, func(i, j int) bool { return procs[i].Name < procs[j].Name })
		for _, p := range procs {
			write("process", p.Name)
			for _, o := range processOptions(p) {
				write(o.name, o.key)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
