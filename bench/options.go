package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/memtrim"
)

// scenarioNames lists the scenarios in the order they run.
var scenarioNames = []string{"startup", "api", "idle", "respawn", "logs", "writers", "events", "probes", "deps", "metrics"}

// aliases maps -only names that are measured inside another scenario to it.
var aliases = map[string]string{"rss": "startup", "stop": "startup", "shutdown": "startup", "floor": "startup"}

// Options is the scale and selection of one harness run.
type Options struct {
	// Out is the directory the reports are written to.
	Out string
	// Work is where the run directories are made (a temp dir if empty).
	Work string
	// Ours is our supervisord binary; empty builds ./daemon into Work.
	Ours string
	// Real is the real supervisord script, run with Python.
	Real string
	// Python is the interpreter for Real and for the event listener.
	Python string
	// OursAPI is auto, xmlrpc or grpc: the API used to drive our daemon.
	OursAPI string
	// Only is the set of scenarios to run (all if empty).
	Only map[string]bool
	// Reps is how many times each repeated scenario runs per daemon.
	Reps int
	// Programs is the number of programs of the startup scenario.
	Programs int
	// StartupLogs is "auto" (the default AUTO child logs) or "none"
	// (stdout_logfile=NONE and stderr_logfile=NONE) for the startup
	// scenario's programs.
	StartupLogs string
	// APIPrograms is the number of programs of the api scenario.
	APIPrograms int
	// APICalls is the number of getAllProcessInfo (ListProcesses) calls
	// of the api scenario, made within at most APIWindow.
	APICalls int
	// APIWindow bounds the time of the api scenario's APICalls calls.
	APIWindow time.Duration
	// APIClients is the number of concurrent clients of the getState
	// storms.
	APIClients int
	// APIStorm is how long each getState storm lasts.
	APIStorm time.Duration
	// RecoverWithin is how long after a load the daemon's RSS is read
	// again.
	RecoverWithin time.Duration
	// IdlePrograms is the number of programs of the idle scenario.
	IdlePrograms int
	// Idle is the idle window of the idle scenario.
	Idle time.Duration
	// Respawn is how long each daemon respawns the crashing program.
	Respawn time.Duration
	// LogBytes is how much the writer of the logs scenario writes.
	LogBytes int64
	// RotateBytes is the logfile_maxbytes of the rotating logs variant.
	RotateBytes int64
	// Writers is the number of children of the writers scenario.
	Writers int
	// WriterRate is the bytes/s each of them writes.
	WriterRate int64
	// WriterChunk is the size of each of their writes.
	WriterChunk int
	// WriterDur is how long each of them writes.
	WriterDur time.Duration
	// BlockedAfter is the write() time over which a write counts as blocked.
	BlockedAfter time.Duration
	// EventsDur is how long each events measurement runs.
	EventsDur time.Duration
	// Flappers is the number of flapping programs of the events throughput.
	Flappers int
	// Subscribers is the number of gRPC subscribers of the events throughput.
	Subscribers int
	// Poll is the interval between API polls while waiting for a state.
	Poll time.Duration
	// Settle is how long a daemon is left alone before RSS/CPU readings.
	Settle time.Duration
	// Profile CPU-profiles our daemon's measured windows.
	Profile bool
	// OursEnv is added to our daemon's environment (KEY=VALUE each).
	OursEnv []string
	// OursOnly skips the real daemon in the api, writers, startup and logs scenarios (for profiling
	// and before/after comparisons of ours alone).
	OursOnly bool
	// Keep keeps the run directories (logs, configs) after the run.
	Keep bool
	// Quick is set for the smoke run (recorded in the report only).
	Quick bool
}

// defaultOptions is the default run, sized to finish within ~10 minutes on
// 2 cores.
func defaultOptions() Options {
	return Options{
		Real:          "/usr/bin/supervisord",
		Python:        "/usr/bin/python3",
		OursAPI:       "auto",
		Reps:          3,
		Programs:      1000,
		StartupLogs:   "auto",
		IdlePrograms:  100,
		APIPrograms:   1000,
		APICalls:      200,
		APIWindow:     30 * time.Second,
		APIClients:    8,
		APIStorm:      10 * time.Second,
		RecoverWithin: 10 * time.Second,
		Idle:          60 * time.Second,
		Respawn:       5 * time.Second,
		LogBytes:      1 << 30,
		RotateBytes:   50 * 1000 * 1000,
		Writers:       100,
		WriterRate:    1 << 20,
		WriterChunk:   4096,
		WriterDur:     10 * time.Second,
		BlockedAfter:  50 * time.Millisecond,
		EventsDur:     10 * time.Second,
		Flappers:      100,
		Subscribers:   100,
		Poll:          10 * time.Millisecond,
		// Past our daemon's memory trim (memtrim.Quiet after the last
		// call): a reading at the same 2 s raced with it.
		Settle: memtrim.Quiet + time.Second,
	}
}

// quickOptions scales the default run down to a ~2 minute smoke run.
func quickOptions() Options {
	o := defaultOptions()
	o.Quick = true
	o.Reps = 1
	o.Programs = 300
	o.Idle = 10 * time.Second
	o.APIPrograms = 300
	o.APICalls = 50
	o.APIWindow = 10 * time.Second
	o.APIStorm = 3 * time.Second
	o.RecoverWithin = 5 * time.Second
	o.Respawn = 3 * time.Second
	o.LogBytes = 256 << 20
	o.RotateBytes = 16 * 1000 * 1000
	o.WriterDur = 4 * time.Second
	o.EventsDur = 4 * time.Second
	o.Settle = time.Second
	return o
}

// parseFlags parses the command line into Options. The flags' defaults
// are those of the default run, or of the quick run with -quick; flags
// given explicitly override either.
func parseFlags(args []string) (Options, error) {
	// First pass: only to learn whether -quick is given.
	var probe Options
	var only string
	var quick bool
	pre := flagSet(&probe, defaultOptions(), &only, &quick)
	pre.SetOutput(io.Discard)
	pre.Usage = func() {}
	if err := pre.Parse(args); err != nil && !errors.Is(err, flag.ErrHelp) {
		// Reported by the second pass with the usage.
		quick = false
	}
	base := defaultOptions()
	if quick {
		base = quickOptions()
	}
	var o Options
	fs := flagSet(&o, base, &only, &quick)
	if err := fs.Parse(args); err != nil {
		return Options{}, err
	}
	o.Quick = quick
	if fs.NArg() > 0 {
		return Options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch o.OursAPI {
	case "auto", "xmlrpc", "grpc":
	default:
		return Options{}, fmt.Errorf("-ours-api %q: want auto, xmlrpc or grpc", o.OursAPI)
	}
	if o.StartupLogs != "auto" && o.StartupLogs != "none" {
		return Options{}, fmt.Errorf("-startup-logs %q: want auto or none", o.StartupLogs)
	}
	if o.APIPrograms < 1 || o.APICalls < 1 || o.APIClients < 1 || o.APIWindow <= 0 || o.APIStorm <= 0 || o.RecoverWithin < 0 {
		return Options{}, errors.New("-api-programs, -api-calls, -api-clients, -api-window and -api-storm must be positive, -recover-within not negative")
	}
	if o.Reps < 1 || o.Programs < 1 || o.IdlePrograms < 1 || o.Writers < 1 || o.Flappers < 1 || o.Subscribers < 1 {
		return Options{}, errors.New("-reps, -programs, -idle-programs, -writers, -flappers and -subscribers must be at least 1")
	}
	if o.LogBytes < 1 || o.RotateBytes < 1 || o.WriterRate < 1 || o.WriterChunk < 1 {
		return Options{}, errors.New("-log-bytes, -rotate-bytes, -writer-rate and -writer-chunk must be at least 1")
	}
	if o.Idle <= 0 || o.Respawn <= 0 || o.WriterDur <= 0 || o.EventsDur <= 0 || o.Poll <= 0 || o.BlockedAfter <= 0 || o.Settle < 0 {
		return Options{}, errors.New("-idle, -respawn, -writer-dur, -events-dur, -poll and -blocked must be positive, -settle not negative")
	}
	sel, err := parseOnly(only)
	if err != nil {
		return Options{}, err
	}
	o.Only = sel
	return o, nil
}

// flagSet returns the flag set that parses into o with the defaults of
// base.
func flagSet(o *Options, base Options, only *string, quick *bool) *flag.FlagSet {
	q := quickOptions()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.BoolVar(quick, "quick", false, "smoke run (~2 minutes): smaller scale, one repetition; other flags override it")
	fs.StringVar(&o.Out, "out", "bench/results", "directory for report.md and report.json")
	fs.StringVar(&o.Work, "work", "", "directory for the run directories (default: a new temp dir)")
	fs.StringVar(&o.Ours, "ours", "", "our supervisord binary (default: go build ./daemon into the work dir)")
	fs.StringVar(&o.Real, "real", base.Real, "the real supervisord script")
	fs.StringVar(&o.Python, "python", base.Python, "the Python that runs the real supervisord and the event listener")
	fs.StringVar(&o.OursAPI, "ours-api", base.OursAPI, "API to drive our daemon: auto (XML-RPC if served, else gRPC), xmlrpc or grpc")
	fs.StringVar(only, "only", "", "comma-separated scenarios: "+strings.Join(scenarioNames, ",")+" (rss, stop, floor select startup)")
	fs.IntVar(&o.Reps, "reps", base.Reps, fmt.Sprintf("repetitions per daemon of each repeated scenario (-quick: %d)", q.Reps))
	fs.IntVar(&o.Programs, "programs", base.Programs, fmt.Sprintf("programs of the startup scenario (-quick: %d)", q.Programs))
	fs.StringVar(&o.StartupLogs, "startup-logs", base.StartupLogs, "child logs of the startup scenario's programs: auto (AUTO files, the default) or none (no log files: the spawn path alone)")
	fs.IntVar(&o.APIPrograms, "api-programs", base.APIPrograms, fmt.Sprintf("programs RUNNING in the api scenario (-quick: %d)", q.APIPrograms))
	fs.IntVar(&o.APICalls, "api-calls", base.APICalls, fmt.Sprintf("getAllProcessInfo / ListProcesses calls of the api scenario (-quick: %d)", q.APICalls))
	fs.DurationVar(&o.APIWindow, "api-window", base.APIWindow, fmt.Sprintf("at most this long for the -api-calls calls (-quick: %v)", q.APIWindow))
	fs.IntVar(&o.APIClients, "api-clients", base.APIClients, "concurrent clients of the getState storms")
	fs.DurationVar(&o.APIStorm, "api-storm", base.APIStorm, fmt.Sprintf("duration of each getState storm (-quick: %v)", q.APIStorm))
	fs.DurationVar(&o.RecoverWithin, "recover-within", base.RecoverWithin, fmt.Sprintf("how long after a load the RSS is read again (-quick: %v)", q.RecoverWithin))
	fs.IntVar(&o.IdlePrograms, "idle-programs", base.IdlePrograms, "programs of the idle scenario")
	fs.DurationVar(&o.Idle, "idle", base.Idle, fmt.Sprintf("idle window of the idle scenario (-quick: %v)", q.Idle))
	fs.DurationVar(&o.Respawn, "respawn", base.Respawn, fmt.Sprintf("respawn scenario duration per daemon (-quick: %v)", q.Respawn))
	fs.Int64Var(&o.LogBytes, "log-bytes", base.LogBytes, fmt.Sprintf("bytes written by the logs scenario's writer (-quick: %d)", q.LogBytes))
	fs.Int64Var(&o.RotateBytes, "rotate-bytes", base.RotateBytes, fmt.Sprintf("logfile_maxbytes of the rotating logs run (-quick: %d)", q.RotateBytes))
	fs.IntVar(&o.Writers, "writers", base.Writers, "children of the writers scenario")
	fs.Int64Var(&o.WriterRate, "writer-rate", base.WriterRate, "bytes/s each writer writes")
	fs.IntVar(&o.WriterChunk, "writer-chunk", base.WriterChunk, "bytes per write of the writers")
	fs.DurationVar(&o.WriterDur, "writer-dur", base.WriterDur, fmt.Sprintf("how long each writer writes (-quick: %v)", q.WriterDur))
	fs.DurationVar(&o.BlockedAfter, "blocked", base.BlockedAfter, "a writer's write() longer than this counts as blocked")
	fs.DurationVar(&o.EventsDur, "events-dur", base.EventsDur, fmt.Sprintf("duration of each events measurement (-quick: %v)", q.EventsDur))
	fs.IntVar(&o.Flappers, "flappers", base.Flappers, "flapping programs of the events throughput")
	fs.IntVar(&o.Subscribers, "subscribers", base.Subscribers, "gRPC subscribers of the events throughput")
	fs.DurationVar(&o.Poll, "poll", base.Poll, "API poll interval while waiting for states")
	fs.DurationVar(&o.Settle, "settle", base.Settle, fmt.Sprintf("quiet time before RSS/CPU readings (-quick: %v)", q.Settle))
	fs.BoolVar(&o.Profile, "profile", false, "CPU-profile our daemon (built with a bench-only overlay) into <out>/profiles")
	fs.Func("ours-env", "KEY=VALUE added to our daemon's environment (repeatable), e.g. GOGC=100", func(v string) error {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", v)
		}
		o.OursEnv = append(o.OursEnv, v)
		return nil
	})
	fs.BoolVar(&o.OursOnly, "ours-only", false, "api, writers, startup and logs scenarios: run our daemon only (the floors are still measured)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the run directories")
	return fs
}

// parseOnly parses the -only list; an empty list selects every scenario.
func parseOnly(s string) (map[string]bool, error) {
	sel := map[string]bool{}
	if strings.TrimSpace(s) == "" {
		for _, n := range scenarioNames {
			sel[n] = true
		}
		return sel, nil
	}
	known := map[string]bool{}
	for _, n := range scenarioNames {
		known[n] = true
	}
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if a, ok := aliases[n]; ok {
			n = a
		}
		if !known[n] {
			names := append(append([]string{}, scenarioNames...), "rss", "stop", "floor")
			sort.Strings(names)
			return nil, fmt.Errorf("-only: unknown scenario %q (known: %s)", n, strings.Join(names, ", "))
		}
		sel[n] = true
	}
	return sel, nil
}
