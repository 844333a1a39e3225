package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// realSample is Supervisor 4.2.5's own sample, when Debian's package is
// installed.
const realSample = "/usr/lib/python3/dist-packages/supervisor/skel/sample.conf"

func TestRunPrintsTheSample(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(&out, &errOut); code != 0 || out.String() != sample || errOut.Len() != 0 {
		t.Fatalf("run: exit %d, %d bytes, stderr %q", code, out.Len(), errOut.String())
	}
}

// TestSampleLoads parses the sample with the daemon's own parser, its
// /tmp paths moved to a test directory (the e2e tests start both daemons
// on it).
func TestSampleLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(sample, "/tmp/", dir+"/")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, config.Overrides{})
	if err != nil {
		t.Fatalf("the sample does not load: %v", err)
	}
	if len(cfg.UnixHTTPServers) != 1 || cfg.UnixHTTPServers[0].File != filepath.Join(dir, "supervisor.sock") {
		t.Errorf("unix servers %+v", cfg.UnixHTTPServers)
	}
	if len(cfg.InetHTTPServers) != 0 || len(cfg.Groups) != 0 {
		t.Errorf("the sample enables an inet server or programs: %+v %+v", cfg.InetHTTPServers, cfg.Groups)
	}
	if cfg.Supervisord.Logfile != filepath.Join(dir, "supervisord.log") || cfg.Supervisord.Pidfile != filepath.Join(dir, "supervisord.pid") {
		t.Errorf("supervisord %+v", cfg.Supervisord)
	}
	for _, m := range cfg.Messages {
		if m.Level == config.LevelWarn {
			t.Errorf("the sample draws a warning: %s", m.Text)
		}
	}
}

// option is one "key=value" line of a sample.
type option struct {
	commented bool
	line      string
}

// sampleSections maps "[section]" (as written) to its options and the
// section line's own commented state (key "").
func sampleSections(t *testing.T, text string) map[string]map[string]option {
	t.Helper()
	header := regexp.MustCompile(`^(;?)\[([^\]]+)\]`)
	opt := regexp.MustCompile(`^(;?)([a-z_.]+) ?=`)
	sections := map[string]map[string]option{}
	var cur map[string]option
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		if m := header.FindStringSubmatch(l); m != nil {
			cur = map[string]option{"": {commented: m[1] == ";", line: l}}
			sections[m[2]] = cur
			continue
		}
		if m := opt.FindStringSubmatch(l); m != nil && cur != nil {
			if _, dup := cur[m[2]]; !dup {
				cur[m[2]] = option{commented: m[1] == ";", line: l}
			}
		}
	}
	return sections
}

// beyondSample are the options 4.2.5 knows that its own sample does not
// show, by section of our sample.
var beyondSample = map[string][]string{
	"program:theprogramname":             {"numprocs_start"},
	"eventlistener:theeventlistenername": {"numprocs_start", "result_handler"},
	"fcgi-program:thefcgiprogramname":    {"command", "socket", "socket_backlog", "socket_owner", "socket_mode"},
	"ctlplugin:theplugin":                {"supervisor.ctl_factory"},
}

// additions are gsupervisor's own options, which must be marked.
var additions = map[string][]string{
	"unix_http_server": {"metrics_auth"},
	"inet_http_server": {"certfile", "keyfile", "clientcafile", "allow_no_auth", "metrics_auth"},
	"supervisord": {"events_retained", "events_retained_bytes", "environment_file", "container", "exit_when_finished",
		"container_output", "logformat", "shutdown_timeout", "readiness_programs"},
	"supervisorctl": {"cafile", "certfile", "keyfile"},
	"program:theprogramname": {
		"restart_burst", "restart_interval", "environment_file", "required",
		"readiness_probe", "readiness_initial_delay", "readiness_period", "readiness_timeout",
		"readiness_success_threshold", "readiness_failure_threshold",
		"liveness_probe", "liveness_initial_delay", "liveness_period", "liveness_timeout",
		"liveness_success_threshold", "liveness_failure_threshold", "liveness_action",
		"depends_on", "backoff", "backoff_maxsecs",
	},
	"eventlistener:theeventlistenername": {"restart_burst", "restart_interval"},
}

// TestSampleCoversSupervisor: every section and option of 4.2.5's sample
// is in ours, commented out exactly where 4.2.5's is, and so are the
// options its sample leaves out.
func TestSampleCoversSupervisor(t *testing.T) {
	testutil.RequireFile(t, realSample)
	b, err := os.ReadFile(realSample)
	if err != nil {
		t.Fatal(err)
	}
	theirs, ours := sampleSections(t, string(b)), sampleSections(t, sample)
	for name, opts := range theirs {
		mine, ok := ours[name]
		if !ok {
			t.Errorf("section [%s] is missing", name)
			continue
		}
		for key, o := range opts {
			m, ok := mine[key]
			switch {
			case !ok:
				t.Errorf("[%s] %s is missing", name, key)
			case m.commented != o.commented:
				t.Errorf("[%s] %q: commented=%v, 4.2.5's %q: commented=%v", name, m.line, m.commented, o.line, o.commented)
			}
		}
	}
	for name, keys := range beyondSample {
		for _, key := range keys {
			if _, ok := ours[name][key]; !ok {
				t.Errorf("[%s] %s is missing", name, key)
			}
		}
	}
}

// TestSampleMarksAdditions: our own options carry "[gsupervisor]", and
// nothing else does.
func TestSampleMarksAdditions(t *testing.T) {
	ours := sampleSections(t, sample)
	want := map[string]bool{}
	for name, keys := range additions {
		for _, key := range keys {
			want[name+" "+key] = true
			o, ok := ours[name][key]
			if !ok || !strings.Contains(o.line, "; [gsupervisor] ") || !o.commented {
				t.Errorf("[%s] %s: %q is not a commented, marked line", name, key, o.line)
			}
		}
	}
	for name, opts := range ours {
		for key, o := range opts {
			if strings.Contains(o.line, "[gsupervisor]") && !want[name+" "+key] {
				t.Errorf("[%s] %q is marked but not an addition", name, o.line)
			}
		}
	}
}

// sampleReference loads a configuration with Supervisor 4.2.5's own
// option parser and prints its programs, one per line.
const sampleReference = `
import sys
from supervisor.options import ServerOptions
o = ServerOptions()
o.realize(args=["-c", sys.argv[1]])
for g in o.process_group_configs:
    print(g.name)
`

// TestSampleAdditionsLoad: the [program:x] lines the sample marks as
// gsupervisor's, uncommented as they are, load in our daemon with the
// values the comments give, and Supervisor 4.2.5 accepts them (it ignores
// them).
func TestSampleAdditionsLoad(t *testing.T) {
	var lines []string
	for _, o := range sampleSections(t, sample)["program:theprogramname"] {
		if strings.Contains(o.line, "; [gsupervisor] ") {
			lines = append(lines, strings.TrimPrefix(o.line, ";"))
		}
	}
	if len(lines) != len(additions["program:theprogramname"]) {
		t.Fatalf("%d marked lines in [program:theprogramname]", len(lines))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "supervisord.conf")
	conf := "[supervisord]\nlogfile=" + dir + "/supervisord.log\npidfile=" + dir + "/supervisord.pid\n\n" +
		"[program:db]\ncommand=sleep 1\nreadiness_probe=tcp:127.0.0.1:1\n\n" +
		"[program:migrate]\ncommand=/bin/true\n\n" +
		"[program:theprogramname]\ncommand=sleep 1\n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, config.Overrides{})
	if err != nil {
		t.Fatalf("our daemon refuses the sample's additions: %v\n%s", err, conf)
	}
	for _, m := range cfg.Messages {
		if m.Level == config.LevelWarn {
			t.Errorf("the sample's additions draw a warning: %s", m.Text)
		}
	}
	var p *config.ProcessConfig
	for _, g := range cfg.Groups {
		if g.Name == "theprogramname" {
			p = &g.Processes[0]
		}
	}
	if p == nil || p.Readiness == nil || p.Liveness == nil || len(p.DependsOn) != 2 {
		t.Fatalf("the additions were not applied: %+v", p)
	}
	if got := testutil.RunPython(t, sampleReference, path); got != "db\nmigrate\ntheprogramname\n" {
		t.Errorf("Supervisor 4.2.5 loads %q", got)
	}
}
