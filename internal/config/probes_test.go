package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// everyNewOption returns the programs of testdata/new-options.programs.ini,
// which set every option gsupervisor adds to Supervisor 4.2.5's
// [program:x]; 4.2.5 must load them (see the differential case
// "gsupervisor options").
func everyNewOption(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/new-options.programs.ini")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGsupervisorOptions(t *testing.T) {
	cfg := loadText(t, minimal+everyNewOption(t))
	procs := map[string]ProcessConfig{}
	for _, g := range cfg.Groups {
		for _, p := range g.Processes {
			procs[p.Name] = p
		}
	}
	db := procs["db"]
	wantReady := &Probe{Kind: ProbeTCP, Target: "127.0.0.1:1", Spec: "tcp:127.0.0.1:1", InitialDelay: 500 * time.Millisecond,
		Period: 2 * time.Second, Timeout: 500 * time.Millisecond, SuccessThreshold: 2, FailureThreshold: 4}
	if !reflect.DeepEqual(db.Readiness, wantReady) {
		t.Errorf("db readiness = %+v, want %+v", db.Readiness, wantReady)
	}
	wantLive := &Probe{Kind: ProbeExec, Target: "/bin/true --port 0", Spec: "exec:/bin/true --port 0", InitialDelay: 3 * time.Second,
		Period: time.Minute, Timeout: 2 * time.Second, SuccessThreshold: 1, FailureThreshold: 5}
	if !reflect.DeepEqual(db.Liveness, wantLive) {
		t.Errorf("db liveness = %+v, want %+v", db.Liveness, wantLive)
	}
	if db.LivenessAction != LivenessReport || db.Backoff != BackoffExponential || db.BackoffMaxSecs != 30 {
		t.Errorf("db action %v backoff %v max %d", db.LivenessAction, db.Backoff, db.BackoffMaxSecs)
	}
	web := procs["web_1"]
	if web.Readiness.Kind != ProbeHTTP || web.Readiness.Period != defaultProbePeriod || web.Readiness.Timeout != defaultProbeTimeout ||
		web.Readiness.SuccessThreshold != 1 || web.Readiness.FailureThreshold != 3 || web.Readiness.InitialDelay != 0 {
		t.Errorf("web readiness defaults: %+v", web.Readiness)
	}
	if web.LivenessAction != LivenessRestart || web.Backoff != BackoffLinear || web.BackoffMaxSecs != defaultBackoffMaxSecs || web.ProcessNum != 1 {
		t.Errorf("web defaults: action %v backoff %v max %d num %d", web.LivenessAction, web.Backoff, web.BackoffMaxSecs, web.ProcessNum)
	}
	wantDeps := []Dependency{
		{Name: "migrate", Program: "migrate", Condition: ConditionCompleted},
		{Name: "db", Program: "db", Condition: ConditionRunning},
	}
	if !reflect.DeepEqual(web.DependsOn, wantDeps) {
		t.Errorf("web depends_on = %+v", web.DependsOn)
	}
	worker := procs["worker"]
	if worker.Readiness.Kind != ProbeLog || worker.Readiness.Target != "^ready( now)?$" {
		t.Errorf("worker readiness = %+v", worker.Readiness)
	}
	wantDeps = []Dependency{
		{Name: "web:*", Group: "web", Condition: ConditionHealthy},
		{Name: "web:web_1", Group: "web", Process: "web_1", Condition: ConditionStarted},
	}
	if !reflect.DeepEqual(worker.DependsOn, wantDeps) {
		t.Errorf("worker depends_on = %+v", worker.DependsOn)
	}
	if procs["migrate"].Readiness != nil || procs["migrate"].Liveness != nil {
		t.Errorf("migrate has probes")
	}
}

func TestGsupervisorOptionErrors(t *testing.T) {
	dir := t.TempDir()
	prog := minimal + "[program:x]\ncommand=sleep 1\n"
	for _, c := range []struct{ name, conf, want string }{
		{"kind", prog + "readiness_probe=ping:x\n", "readiness_probe 'ping:x': expected exec:<command>, http://<url>, https://<url>, tcp:<host>:<port> or log:<regex> in section 'program:x'"},
		{"exec empty", prog + "liveness_probe=exec:\n", "liveness_probe 'exec:': the command is empty or cannot be parsed"},
		{"exec quote", prog + "liveness_probe=exec:echo 'x\n", "the command is empty or cannot be parsed"},
		{"http host", prog + "readiness_probe=http:///x\n", "not an http:// or https:// URL with a host"},
		{"tcp port", prog + "readiness_probe=tcp:localhost\n", "tcp: needs <host>:<port>"},
		{"tcp bad port", prog + "readiness_probe=tcp:localhost:99999\n", "tcp: needs <host>:<port>"},
		{"log regex", prog + "readiness_probe=log:(\n", "log: needs a regular expression"},
		{"log liveness", prog + "liveness_probe=log:ready\n", "a log: probe can only be a readiness_probe"},
		{"period zero", prog + "readiness_probe=tcp:h:1\nreadiness_period=0\n", "invalid readiness_period value '0': it must be positive"},
		{"period bad", prog + "readiness_probe=tcp:h:1\nreadiness_period=soon\n", "invalid readiness_period value 'soon': want seconds"},
		{"delay negative", prog + "liveness_probe=tcp:h:1\nliveness_initial_delay=-1\n", "it must not be negative"},
		{"threshold", prog + "liveness_probe=tcp:h:1\nliveness_failure_threshold=0\n", "invalid liveness_failure_threshold value 0: it must be at least 1"},
		{"threshold int", prog + "liveness_probe=tcp:h:1\nliveness_success_threshold=x\n", "invalid literal for int() with base 10: 'x'"},
		{"action", prog + "liveness_action=reboot\n", "invalid liveness_action value 'reboot': want restart or report"},
		{"backoff", prog + "backoff=quadratic\n", "invalid backoff value 'quadratic': want linear or exponential"},
		{"backoff max", prog + "backoff_maxsecs=0\n", "invalid backoff_maxsecs value 0"},
		{"condition", prog + "depends_on=y=ready\n", "depends_on entry 'y=ready': unknown condition 'ready'"},
		{"dep name", prog + "depends_on==running\n", "depends_on entry '=running': no program or group name"},
		{"dep chars", prog + "depends_on=a:b:c\n", "depends_on entry 'a:b:c': Invalid name: 'b:c'"},
	} {
		path := writeConf(t, dir, c.name+".conf", c.conf)
		if got := loadErr(t, path); !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %q\nwant it to contain %q", c.name, got, c.want)
		}
	}
}

func TestDependencyErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, conf, want string }{
		{"missing program", "[program:web]\ncommand=a\ndepends_on=dbx\n",
			"[program:web] depends_on dbx=running, but there is no program dbx (file: '%s')"},
		{"missing group", "[program:web]\ncommand=a\ndepends_on=nog:*=started\n",
			"[program:web] depends_on nog:*=started, but there is no group nog (file: '%s')"},
		{"missing process", "[program:web]\ncommand=a\ndepends_on=db:db_9\n[program:db]\ncommand=a\n",
			"[program:web] depends_on db:db_9=running, but group db has no process db_9 (file: '%s')"},
		{"healthy without probe", "[program:web]\ncommand=a\ndepends_on=db=healthy\n[program:db]\ncommand=a\n",
			"[program:web] depends_on db=healthy, but [program:db] has no readiness_probe or liveness_probe (file: '%s')"},
		{"cycle of two", "[program:a]\ncommand=a\ndepends_on=b\n[program:b]\ncommand=b\ndepends_on=a\n",
			"dependency cycle: [program:a] depends_on b, [program:b] depends_on a"},
		{"self", "[program:a]\ncommand=a\ndepends_on=a=started\n",
			"dependency cycle: [program:a] depends_on a"},
		{"cycle through a group", "[program:a]\ncommand=a\ndepends_on=g:*\n[group:g]\nprograms=b,c\n[program:b]\ncommand=b\n[program:c]\ncommand=c\ndepends_on=a=completed\n",
			"dependency cycle: [program:a] depends_on g:c, [program:c] depends_on a"},
	} {
		path := writeConf(t, dir, strings.ReplaceAll(c.name, " ", "_")+".conf", minimal+c.conf)
		want := c.want
		if strings.Contains(want, "%s") {
			want = strings.ReplaceAll(want, "%s", path)
		}
		if got := loadErr(t, path); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
	}
}

func TestDependencyChainLoads(t *testing.T) {
	cfg := loadText(t, minimal+`[program:db]
command=a
readiness_probe=tcp:127.0.0.1:1
[program:migrate]
command=a
depends_on=db=healthy
[program:web]
command=a
depends_on=migrate=completed
[group:workers]
programs=worker
[program:worker]
command=a
depends_on=web, db=started
`)
	if len(cfg.Groups) != 4 {
		t.Fatalf("groups: %s", groupNames(cfg))
	}
	g, _ := cfg.Group("workers")
	if d := g.Processes[0].DependsOn; len(d) != 2 || !d[0].Matches(&cfg.Groups[2].Processes[0]) && !d[1].Matches(&cfg.Groups[0].Processes[0]) {
		t.Errorf("worker depends_on = %+v", d)
	}
}

func TestScaleOverride(t *testing.T) {
	dir := t.TempDir()
	path := writeConf(t, dir, "s.conf", minimal+`[program:w]
command=echo %(process_num)d of %(numprocs)d
process_name=w_%(process_num)d
numprocs=2
numprocs_start=5
[program:one]
command=a
[group:g]
programs=h
[program:h]
command=h
process_name=h_%(process_num)d
numprocs=2
`)
	load := func(scale map[string]Scale) *Config {
		t.Helper()
		cfg, err := Load(path, Overrides{Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	names := func(g GroupConfig) []string {
		var out []string
		for _, p := range g.Processes {
			out = append(out, p.Name+":"+p.Command)
		}
		return out
	}
	g, _ := load(nil).Group("w")
	if g.FileNumprocs != 2 || !reflect.DeepEqual(names(g), []string{"w_5:echo 5 of 2", "w_6:echo 6 of 2"}) {
		t.Errorf("unscaled: %d %v", g.FileNumprocs, names(g))
	}
	cfg := load(map[string]Scale{"w": {FileNumprocs: 2, Numprocs: 3}, "g": {FileNumprocs: 2, Numprocs: 5}})
	g, _ = cfg.Group("w")
	if g.FileNumprocs != 2 || !reflect.DeepEqual(names(g), []string{"w_5:echo 5 of 3", "w_6:echo 6 of 3", "w_7:echo 7 of 3"}) {
		t.Errorf("scaled: %d %v", g.FileNumprocs, names(g))
	}
	if g.Processes[2].ProcessNum != 7 {
		t.Errorf("process_num = %d", g.Processes[2].ProcessNum)
	}
	if hg, _ := cfg.Group("g"); len(hg.Processes) != 2 || hg.FileNumprocs != 0 {
		t.Errorf("a [group:x] is not scaled: %v", names(hg))
	}
	// The file changed since the scale was made: the file wins.
	g, _ = load(map[string]Scale{"w": {FileNumprocs: 4, Numprocs: 1}}).Group("w")
	if len(g.Processes) != 2 {
		t.Errorf("stale scale applied: %v", names(g))
	}
	g, _ = load(map[string]Scale{"w": {FileNumprocs: 2, Numprocs: 0}}).Group("w")
	if len(g.Processes) != 0 {
		t.Errorf("scale to 0: %v", names(g))
	}
	_, err := Load(path, Overrides{Scale: map[string]Scale{"one": {FileNumprocs: 1, Numprocs: 2}}})
	if err == nil || !strings.Contains(err.Error(), "%(process_num) must be present within process_name when numprocs > 1") {
		t.Errorf("scaling a program without process_num: %v", err)
	}
}

func TestGsupervisorOptionsInDiff(t *testing.T) {
	old := loadText(t, minimal+"[program:x]\ncommand=x\n")
	next := loadText(t, minimal+"[program:x]\ncommand=x\nreadiness_probe=tcp:h:1\ndepends_on=y\nbackoff=exponential\n[program:y]\ncommand=y\n")
	ox, _ := old.Group("x")
	nx, _ := next.Group("x")
	var got []string
	for _, c := range OptionChanges(ox, nx) {
		got = append(got, c.Option+"="+c.New)
	}
	want := []string{
		"readiness_probe=tcp:h:1 (initial_delay=0s period=10s timeout=1s success_threshold=1 failure_threshold=3)",
		"depends_on=y=running",
		"backoff=exponential, at most 60s",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %q", got)
	}
	// A configuration without the new options hashes as before they
	// existed: nothing of theirs is rendered.
	for _, o := range processOptions(&ox.Processes[0]) {
		if strings.Contains(o.name, "probe") || o.name == "depends_on" || o.name == "backoff" {
			t.Errorf("unset option %s rendered", o.name)
		}
	}
}
