package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// harness is one run of the benchmark.
type harness struct {
	opts    Options
	log     *slog.Logger
	root    string // the module root (for go build)
	work    string // run directories live here
	oursBin string
	self    string // this executable: the children's binary
	oursAPI string // "XML-RPC" or "gRPC"
	prof    *profiler

	report *Report

	mu      sync.Mutex
	tracked map[int]*exec.Cmd // processes started by the harness, by pid
	daemons map[*daemon]bool  // daemons not yet exited
	metrics map[string]*Metric
}

// newHarness prepares a run: work dir, binaries, subreaper.
func newHarness(opts Options, log *slog.Logger) (*harness, error) {
	h := &harness{
		opts:    opts,
		log:     log,
		tracked: map[int]*exec.Cmd{},
		daemons: map[*daemon]bool{},
		metrics: map[string]*Metric{},
		report:  &Report{Started: time.Now(), Env: map[string]string{}, Options: map[string]string{}, Profiles: map[string]string{}},
	}
	if err := becomeSubreaper(); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	h.self = self
	if opts.Work != "" {
		h.work = opts.Work
		if err := os.MkdirAll(h.work, 0o755); err != nil {
			return nil, fmt.Errorf("create work dir: %w", err)
		}
	} else if h.work, err = os.MkdirTemp("", "gsvbench"); err != nil {
		return nil, fmt.Errorf("create work dir: %w", err)
	}
	if _, err := os.Stat(opts.Real); err != nil {
		return nil, fmt.Errorf("real supervisord: %w", err)
	}
	if _, err := os.Stat(opts.Python); err != nil {
		return nil, fmt.Errorf("python for the real supervisord: %w", err)
	}
	if opts.Ours != "" && !opts.Profile {
		if h.oursBin, err = filepath.Abs(opts.Ours); err != nil {
			return nil, fmt.Errorf("our supervisord: %w", err)
		}
		if _, err := os.Stat(h.oursBin); err != nil {
			return nil, fmt.Errorf("our supervisord: %w (run make build, or omit -ours to build it)", err)
		}
	} else {
		if h.root, err = moduleRoot(); err != nil {
			return nil, err
		}
		if h.oursBin, err = h.buildOurs(opts.Profile); err != nil {
			return nil, err
		}
	}
	if opts.Profile {
		h.prof = &profiler{h: h, dir: filepath.Join(opts.Out, "profiles")}
	}
	return h, nil
}

// moduleRoot finds the directory of this module's go.mod from the current
// directory upwards.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("getwd: %w", err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/gsupervisor/gsupervisor\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the gsupervisor module: run from the repository, or pass -ours")
		}
		dir = parent
	}
}

// buildOurs builds ./daemon into the work dir, with the profiling overlay
// when prof is set.
func (h *harness) buildOurs(prof bool) (string, error) {
	out := filepath.Join(h.work, "supervisord")
	// Built as `make build` builds the shipped binary (its BUILDTAGS).
	args := []string{"build", "-tags", "grpcnotrace", "-o", out}
	if prof {
		ov, err := writeOverlay(h.root, h.work)
		if err != nil {
			return "", err
		}
		args = append(args, "-overlay", ov)
	}
	args = append(args, "./daemon")
	cmd := exec.Command("go", args...)
	cmd.Dir = h.root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, b)
	}
	return out, nil
}

// track starts cmd and records it (and d, if it is a daemon) for clean-up.
// It holds the lock over Start so that sweep never mistakes a process being
// started for an orphan.
func (h *harness) track(cmd *exec.Cmd, d *daemon) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	h.tracked[cmd.Process.Pid] = cmd
	if d != nil {
		h.daemons[d] = true
	}
	return nil
}

// untrack forgets a process that has been waited for.
func (h *harness) untrack(cmd *exec.Cmd) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.tracked, cmd.Process.Pid)
	for d := range h.daemons {
		if d.cmd == cmd {
			delete(h.daemons, d)
		}
	}
}

// sweep kills and reaps the orphans reparented to the harness and returns
// how many there were.
func (h *harness) sweep() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	keep := make(map[int]bool, len(h.tracked))
	for pid := range h.tracked {
		keep[pid] = true
	}
	return reapOrphans(keep)
}

// cleanup stops every daemon still running, kills every other process the
// harness started, and reaps the orphans.
func (h *harness) cleanup() {
	h.mu.Lock()
	var ds []*daemon
	for d := range h.daemons {
		ds = append(ds, d)
	}
	var others []*exec.Cmd
	for _, c := range h.tracked {
		isDaemon := false
		for _, d := range ds {
			isDaemon = isDaemon || d.cmd == c
		}
		if !isDaemon {
			others = append(others, c)
		}
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.kill(30 * time.Second)
		}()
	}
	wg.Wait()
	for _, c := range others {
		killTree(append(descendants(c.Process.Pid), c.Process.Pid))
	}
	if n := h.sweep(); n > 0 {
		h.note("clean-up: killed %d orphaned processes", n)
	}
	if !h.opts.Keep {
		os.RemoveAll(h.work)
	}
}

// note adds a remark to the report and logs it.
func (h *harness) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	h.log.Info("note", "text", s)
	h.mu.Lock()
	h.report.Notes = append(h.report.Notes, s)
	h.mu.Unlock()
}

// metric returns the metric scen/name, creating it (in report order) on
// first use.
func (h *harness) metric(scen, name, unit, better string) *Metric {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := scen + "\x00" + name
	if m, ok := h.metrics[key]; ok {
		return m
	}
	m := &Metric{Scenario: scen, Name: name, Unit: unit, Better: better}
	h.metrics[key] = m
	h.report.Metrics = append(h.report.Metrics, m)
	return m
}

// addNote adds s to the metric's note.
func (m *Metric) addNote(s string) {
	if m.Note != "" {
		s = "; " + s
	}
	m.Note += s
}

// add records one sample of side k ("ours", "real" or "floor").
func (m *Metric) add(k kind, v float64) {
	switch k {
	case ours:
		m.ours = append(m.ours, v)
	case real:
		m.real = append(m.real, v)
	case floor:
		m.floor = append(m.floor, v)
	}
}

// floor is the pseudo-kind of physical-limit samples.
const floor kind = "floor"

// runDir returns a new run directory for one daemon run.
func (h *harness) runDir(name string) string {
	return filepath.Join(h.work, name)
}

// order returns the daemons in the order of repetition rep: alternating
// which one goes first.
func order(rep int) []kind {
	if rep%2 == 0 {
		return []kind{ours, real}
	}
	return []kind{real, ours}
}

// resolveOursAPI decides how to drive our daemon: XML-RPC when it serves
// /RPC2 (the same path as the real one), else gRPC.
func (h *harness) resolveOursAPI(ctx context.Context) error {
	switch h.opts.OursAPI {
	case "xmlrpc":
		h.oursAPI = "XML-RPC"
		return nil
	case "grpc":
		h.oursAPI = "gRPC"
		return nil
	}
	h.oursAPI = "gRPC"
	d, err := h.startDaemon(ctx, ours, h.runDir("probe"), "")
	if err != nil {
		return err
	}
	defer d.kill(10 * time.Second)
	if err := d.waitServing(ctx, 30*time.Second); err != nil {
		return fmt.Errorf("probe our daemon: %w", err)
	}
	x := newXMLRPC(d.sock, "ours")
	defer x.Close()
	if err := x.Ping(ctx); err == nil {
		h.oursAPI = "XML-RPC"
	} else {
		h.note("our daemon does not serve XML-RPC yet (%v): our side is driven through the equivalent gRPC calls (GetState, ListProcesses, StartProcess, StopAllProcesses wait=true), the real one through XML-RPC", err)
	}
	if _, err := d.shutdown(10 * time.Second); err != nil {
		return fmt.Errorf("probe our daemon: %w", err)
	}
	return nil
}

// run runs the selected scenarios and fills the report.
func (h *harness) run(ctx context.Context) error {
	h.describeEnv()
	if err := h.resolveOursAPI(ctx); err != nil {
		return err
	}
	h.report.Env["api (ours)"] = h.oursAPI
	h.report.Env["api (real)"] = "XML-RPC"
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"startup", h.scenarioStartup},
		{"api", h.scenarioAPI},
		{"idle", h.scenarioIdle},
		{"respawn", h.scenarioRespawn},
		{"logs", h.scenarioLogs},
		{"writers", h.scenarioWriters},
		{"events", h.scenarioEvents},
		{"probes", h.scenarioProbes},
		{"deps", h.scenarioDeps},
		{"metrics", h.scenarioMetrics},
	}
	var errs []error
	for _, s := range steps {
		if !h.opts.Only[s.name] {
			continue
		}
		h.log.Info("scenario", "name", s.name)
		t0 := time.Now()
		err := s.fn(ctx)
		h.log.Info("scenario done", "name", s.name, "took", time.Since(t0).Round(time.Millisecond), "err", err)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			h.note("scenario %s failed: %v", s.name, err)
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	h.report.Env["load after"] = loadAvg()
	return errors.Join(errs...)
}

// describeEnv records the machine, the load and the binaries.
func (h *harness) describeEnv() {
	e := h.report.Env
	e["load before"] = loadAvg()
	e["cpus"] = fmt.Sprint(runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				e["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e["kernel"] = strings.TrimSpace(string(b))
	}
	e["go"] = runtime.Version()
	e["ours"] = h.oursBin
	if b, err := exec.Command(h.opts.Python, h.opts.Real, "--version").CombinedOutput(); err == nil {
		e["real"] = fmt.Sprintf("%s %s (Supervisor %s)", h.opts.Python, h.opts.Real, strings.TrimSpace(string(b)))
	} else {
		e["real"] = fmt.Sprintf("%s %s (version: %v)", h.opts.Python, h.opts.Real, err)
	}
	if h.root != "" {
		if b, err := exec.Command("git", "-C", h.root, "describe", "--always", "--dirty").Output(); err == nil {
			e["commit"] = strings.TrimSpace(string(b))
		}
	}
	o := h.report.Options
	o["quick"] = fmt.Sprint(h.opts.Quick)
	o["reps"] = fmt.Sprint(h.opts.Reps)
	o["programs"] = fmt.Sprint(h.opts.Programs)
	o["startup-logs"] = h.opts.StartupLogs
	o["api"] = fmt.Sprintf("%d programs RUNNING; %d getAllProcessInfo/ListProcesses calls within %v; getState storms of %d clients for %v; RSS read again %v after a load",
		h.opts.APIPrograms, h.opts.APICalls, h.opts.APIWindow, h.opts.APIClients, h.opts.APIStorm, h.opts.RecoverWithin)
	o["idle-programs"] = fmt.Sprint(h.opts.IdlePrograms)
	o["idle"] = h.opts.Idle.String()
	o["respawn"] = h.opts.Respawn.String()
	o["log-bytes"] = fmt.Sprint(h.opts.LogBytes)
	o["rotate-bytes"] = fmt.Sprint(h.opts.RotateBytes)
	o["writers"] = fmt.Sprintf("%d x %d B/s in %d B writes for %v (blocked: a write > %v)", h.opts.Writers, h.opts.WriterRate, h.opts.WriterChunk, h.opts.WriterDur, h.opts.BlockedAfter)
	o["events"] = fmt.Sprintf("%v per measurement; throughput: %d flapping programs, %d gRPC subscribers", h.opts.EventsDur, h.opts.Flappers, h.opts.Subscribers)
	o["poll"] = h.opts.Poll.String()
	o["settle"] = h.opts.Settle.String()
	o["profile"] = fmt.Sprint(h.opts.Profile)
	o["ours-env"] = strings.Join(h.opts.OursEnv, " ")
	o["ours-only"] = fmt.Sprint(h.opts.OursOnly)
	var only []string
	for k := range h.opts.Only {
		only = append(only, k)
	}
	sort.Strings(only)
	o["only"] = strings.Join(only, ",")
}

// loadAvg returns /proc/loadavg's three load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return strings.TrimSpace(string(b))
	}
	return strings.Join(f[:3], " ")
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
