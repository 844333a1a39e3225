package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// writeConfFiles writes files (name → content) into a new directory and
// returns the path of the first one, "supervisord.conf".
func writeConfFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "supervisord.conf")
}

// TestEnvironmentFilePrecedence checks the documented merge order, from
// lowest to highest: [supervisord] environment_file, [supervisord]
// environment=, the program's environment_file, the program's
// environment=; later files of one option win over earlier ones, and the
// values of [supervisord]'s files are %(ENV_x)s expansions for the
// sections read after it.
func TestEnvironmentFilePrecedence(t *testing.T) {
	path := writeConfFiles(t, map[string]string{
		"supervisord.conf": `[supervisord]
environment_file = %(here)s/daemon.env, -%(here)s/missing.env
environment = FROM_SD_ENV="sd-env",LEVEL=sd-env

[program:app]
command = /bin/echo %(ENV_GREETING)s
environment_file = %(here)s/app.env, %(here)s/app-%(process_num)s.env
environment = LEVEL=prog-env
`,
		"daemon.env": "GREETING=hello\nLEVEL=sd-file\nFROM_SD_FILE=x\n",
		"app.env":    "LEVEL=prog-file\nQUOTED=\"a b # c\"\nAPP=1\n",
		"app-0.env":  "APP=2\n",
	})
	cfg, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	sd := cfg.Supervisord
	if sd.Environment["LEVEL"] != "sd-env" || sd.Environment["FROM_SD_FILE"] != "x" || sd.Environment["GREETING"] != "hello" {
		t.Errorf("[supervisord] environment = %v", sd.Environment)
	}
	g, _ := cfg.Group("app")
	p := g.Processes[0]
	want := map[string]string{
		"GREETING": "hello", "FROM_SD_FILE": "x", "FROM_SD_ENV": "sd-env",
		"LEVEL": "prog-env", "QUOTED": "a b # c", "APP": "2",
	}
	if !reflect.DeepEqual(p.Environment, want) {
		t.Errorf("environment =\n%v\nwant\n%v", p.Environment, want)
	}
	if p.Command != "/bin/echo hello" {
		t.Errorf("command = %q: the daemon's file is not an expansion", p.Command)
	}
	dir := filepath.Dir(path)
	if !reflect.DeepEqual(p.EnvironmentFiles, []string{filepath.Join(dir, "app.env"), filepath.Join(dir, "app-0.env")}) {
		t.Errorf("EnvironmentFiles = %v", p.EnvironmentFiles)
	}
	if !reflect.DeepEqual(sd.EnvironmentFiles, []string{filepath.Join(dir, "daemon.env"), "-" + filepath.Join(dir, "missing.env")}) {
		t.Errorf("[supervisord] EnvironmentFiles = %v", sd.EnvironmentFiles)
	}
}

// TestEnvironmentFileErrors checks that a bad or missing file is a
// configuration error naming the section, the file and the line.
func TestEnvironmentFileErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"syntax in a program's file", map[string]string{
			"supervisord.conf": "[supervisord]\n[program:a]\ncommand=/bin/true\nenvironment_file=%(here)s/a.env\n",
			"a.env":            "OK=1\n# comment\nnot an assignment\n",
		}, []string{"environment_file of section [program:a]: ", "a.env, line 3: expected NAME=VALUE"}},
		{"unclosed quote in the daemon's file", map[string]string{
			"supervisord.conf": "[supervisord]\nenvironment_file=%(here)s/d.env\n",
			"d.env":            "A='x\n",
		}, []string{"environment_file of section [supervisord]: ", "d.env, line 1: the quote ' opened here is never closed"}},
		{"missing file", map[string]string{
			"supervisord.conf": "[supervisord]\n[program:a]\ncommand=/bin/true\nenvironment_file=%(here)s/none.env\n",
		}, []string{"environment_file of section [program:a]: ", "none.env does not exist"}},
	} {
		_, err := Load(writeConfFiles(t, c.files), Overrides{})
		if err == nil {
			t.Errorf("%s: loaded", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

// TestEnvironmentFileChangeIsAChange checks that editing an environment
// file (the configuration file unchanged) makes the program changed for
// reread/update, with the variable shown in the plan.
func TestEnvironmentFileChangeIsAChange(t *testing.T) {
	path := writeConfFiles(t, map[string]string{
		"supervisord.conf": "[supervisord]\n[program:a]\ncommand=/bin/true\nenvironment_file=%(here)s/a.env\n[program:b]\ncommand=/bin/true\n",
		"a.env":            "TOKEN=one\n",
	})
	before, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "a.env"), []byte("TOKEN=two\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	after, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	added, changed, removed := Diff(before.Groups, after.Groups)
	if len(added) != 0 || len(removed) != 0 || !reflect.DeepEqual(changed, []string{"a"}) {
		t.Fatalf("Diff = %v %v %v, want a changed", added, changed, removed)
	}
	if before.Revision() == after.Revision() {
		t.Error("the revision did not change")
	}
	ga, _ := before.Group("a")
	gb, _ := after.Group("a")
	found := false
	for _, c := range OptionChanges(ga, gb) {
		if c.Option == "environment" && strings.Contains(c.Old, `TOKEN="one"`) && strings.Contains(c.New, `TOKEN="two"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("OptionChanges = %+v", OptionChanges(ga, gb))
	}
}

// TestOperationsOptions checks the options of containers and
// orchestrators, their defaults and their errors.
func TestOperationsOptions(t *testing.T) {
	path := writeConfFiles(t, map[string]string{"supervisord.conf": `[supervisord]
container = true
exit_when_finished = false
container_output = json
logformat = json
shutdown_timeout = 25.5
readiness_programs = web, worker:*

[inet_http_server]
port = 127.0.0.1:9001
metrics_auth = false

[unix_http_server]
file = %(here)s/s.sock
metrics_auth = true

[program:web]
command = /bin/true
required = true

[program:job]
command = /bin/true
required = exit

[program:other]
command = /bin/true
`})
	cfg, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	sd := cfg.Supervisord
	if sd.Container != SwitchOn || sd.ExitWhenFinished != SwitchOff || sd.ContainerOutput != OutputJSON ||
		sd.LogFormat != LogJSON || sd.ShutdownTimeout != 25500*time.Millisecond ||
		!reflect.DeepEqual(sd.ReadinessPrograms, []string{"web", "worker:*"}) {
		t.Errorf("supervisord = %+v", sd)
	}
	if cfg.InetHTTPServers[0].MetricsAuth != SwitchOff || cfg.UnixHTTPServers[0].MetricsAuth != SwitchOn {
		t.Errorf("metrics_auth = %v, %v", cfg.InetHTTPServers[0].MetricsAuth, cfg.UnixHTTPServers[0].MetricsAuth)
	}
	for name, want := range map[string]Required{"web": RequiredFailure, "job": RequiredExit, "other": RequiredNo} {
		if g, _ := cfg.Group(name); g.Processes[0].Required != want {
			t.Errorf("%s required = %v, want %v", name, g.Processes[0].Required, want)
		}
	}

	def, err := Load(writeConfFiles(t, map[string]string{"supervisord.conf": "[supervisord]\n"}), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	d := def.Supervisord
	if d.Container != SwitchAuto || d.ExitWhenFinished != SwitchAuto || d.ContainerOutput != OutputAuto ||
		d.LogFormat != LogText || d.ShutdownTimeout != 0 || d.ReadinessPrograms != nil || d.EnvironmentFiles != nil {
		t.Errorf("defaults = %+v", d)
	}

	for _, c := range []struct{ conf, want string }{
		{"[supervisord]\ncontainer=maybe\n", "not auto or a boolean: 'maybe'"},
		{"[supervisord]\ncontainer_output=xml\n", "not one of auto, prefixed, json, none: 'xml'"},
		{"[supervisord]\nlogformat=yaml\n", "not text or json: 'yaml'"},
		{"[supervisord]\nshutdown_timeout=-1\n", "not a number of seconds: '-1'"},
		{"[supervisord]\n[program:a]\ncommand=/bin/true\nrequired=sometimes\n", "invalid 'required' value 'sometimes'"},
		{"[supervisord]\n[inet_http_server]\nport=127.0.0.1:9001\nmetrics_auth=x\n", "in section [inet_http_server] metrics_auth"},
	} {
		_, err := Load(writeConfFiles(t, map[string]string{"supervisord.conf": c.conf}), Overrides{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.conf, err, c.want)
		}
	}
}

// TestOperationsOptionsIgnoredBySupervisor checks rule 6 of the house:
// the real Supervisor 4.2.5 loads a configuration that uses every option
// of this file.
func TestOperationsOptionsIgnoredBySupervisor(t *testing.T) {
	testutil.RequirePython(t)
	path := writeConfFiles(t, map[string]string{"supervisord.conf": `[supervisord]
container = auto
exit_when_finished = true
container_output = prefixed
logformat = json
shutdown_timeout = 25
readiness_programs = web
environment_file = -/nonexistent.env

[inet_http_server]
port = 127.0.0.1:9001
metrics_auth = auto

[program:web]
command = /bin/true
required = failure
environment_file = -/nonexistent.env
`})
	res := pythonDump(t, path)
	if res[0]["error"] != nil {
		t.Fatalf("Supervisor 4.2.5 refuses the options: %v", res[0]["error"])
	}
	if _, err := Load(path, Overrides{}); err != nil {
		t.Fatal(err)
	}
}
