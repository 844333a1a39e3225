package config

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// overridesFrom builds Overrides from supervisord command-line arguments.
func overridesFrom(t *testing.T, args []string) Overrides {
	t.Helper()
	var ov Overrides
	str := func(v string) *string { return &v }
	yes := true
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() *string {
			i++
			return str(args[i])
		}
		switch a {
		case "-n", "--nodaemon":
			ov.Nodaemon = &yes
		case "-s", "--silent":
			ov.Silent = &yes
		case "-k", "--nocleanup":
			ov.Nocleanup = &yes
		case "-t", "--strip_ansi":
			ov.StripANSI = &yes
		case "-u", "--user":
			ov.User = next()
		case "-m", "--umask":
			ov.Umask = next()
		case "-d", "--directory":
			ov.Directory = next()
		case "-l", "--logfile":
			ov.Logfile = next()
		case "-y", "--logfile_maxbytes":
			ov.LogfileMaxBytes = next()
		case "-z", "--logfile_backups":
			ov.LogfileBackups = next()
		case "-e", "--loglevel":
			ov.LogLevel = next()
		case "-j", "--pidfile":
			ov.Pidfile = next()
		case "-i", "--identifier":
			ov.Identifier = next()
		case "-q", "--childlogdir":
			ov.ChildLogDir = next()
		case "-a", "--minfds":
			ov.Minfds = next()
		case "--minprocs":
			ov.Minprocs = next()
		default:
			t.Fatalf("unknown argument %q", a)
		}
	}
	return ov
}

// TestOverridesMatchPython runs supervisord's option processing (realize)
// with command-line options over a configuration and compares the result.
func TestOverridesMatchPython(t *testing.T) {
	testutil.RequirePython(t)
	dir := t.TempDir()
	conf := writeConf(t, dir, "s.conf", minimal+"umask=077\nloglevel=warn\nidentifier=fromfile\nuser=root\n")
	badConf := writeConf(t, dir, "bad.conf", minimal+"umask=8\n")
	cases := [][]string{
		{},
		{"-n", "-s", "-k", "-t"},
		{"-m", "027", "-e", "debug", "-i", "cli", "-a", "10", "--minprocs", "20", "-y", "1KB", "-z", "3"},
		{"-l", filepath.Join(dir, "cli.log"), "-j", filepath.Join(dir, "cli.pid"), "-d", dir, "-q", dir},
		{"-l", "syslog"},
		{"-u", "nobody"},
		{"-u", "nosuchuser-gsup"},
		{"-m", "8"},
		{"--umask", "9"},
		{"-d", "/nonexistent-gsup"},
		{"-l", "/nonexistent-gsup/x.log"},
		{"-y", "1.5MB"},
		{"-z", "x"},
		{"-e", "warning"},
		{"--loglevel", "Loud"},
		{"-j", "/nonexistent-gsup/p"},
		{"-q", "/nonexistent-gsup"},
		{"-a", "x"},
		{"--minprocs", "1e3"},
		{"-m", "8", "-e", "bad"},
	}
	script := `
import json, os, sys
from supervisor.options import ServerOptions, normalize_path
class Usage(Exception):
    pass
def usage(msg):
    raise Usage(msg)
out = []
req = json.load(sys.stdin)
for args in req["cases"]:
    for conf in (req["conf"], req["bad"]):
        o = ServerOptions()
        o.usage = usage
        try:
            o.realize(args=["-c", conf] + args)
        except Usage as e:
            out.append({"err": str(e)})
            continue
        out.append({"ok": {
            "nodaemon": bool(o.nodaemon), "silent": bool(o.silent), "nocleanup": bool(o.nocleanup),
            "strip_ansi": bool(o.strip_ansi), "umask": o.umask, "directory": os.path.abspath(o.directory) if o.directory else "",
            "logfile": o.logfile, "logfile_maxbytes": o.logfile_maxbytes, "logfile_backups": o.logfile_backups,
            "loglevel": o.loglevel, "pidfile": o.pidfile, "identifier": o.identifier,
            "childlogdir": os.path.abspath(o.childlogdir), "minfds": o.minfds, "minprocs": o.minprocs,
            "uid": o.uid,
        }})
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(map[string]any{"conf": conf, "bad": badConf, "cases": cases})
	var want []map[string]any
	testutil.RunPythonJSON(t, script, json.RawMessage(in), &want)
	for i, args := range cases {
		for j, path := range []string{conf, badConf} {
			w := want[2*i+j]
			// The daemon checks each option as typed (CheckFlag), in
			// command-line order, before loading.
			var err error
			for k := 0; k+1 < len(args) && err == nil; k++ {
				if strings.HasPrefix(args[k+1], "-") {
					continue
				}
				err = CheckFlag(args[k], args[k+1])
			}
			var cfg *Config
			if err == nil {
				cfg, err = Load(path, overridesFrom(t, args))
			}
			if msg, isErr := w["err"]; isErr {
				if err == nil || err.Error() != msg {
					t.Errorf("%v on %s: got %v, python error %q", args, filepath.Base(path), err, msg)
				}
				continue
			}
			if err != nil {
				t.Errorf("%v on %s: %v", args, filepath.Base(path), err)
				continue
			}
			sd := cfg.Supervisord
			var uid any
			if sd.User != nil {
				uid = sd.User.UID
			}
			got := map[string]any{
				"nodaemon": sd.Nodaemon, "silent": sd.Silent, "nocleanup": sd.Nocleanup, "strip_ansi": sd.StripANSI,
				"umask": sd.Umask, "directory": sd.Directory, "logfile": sd.Logfile,
				"logfile_maxbytes": sd.LogfileMaxBytes, "logfile_backups": sd.LogfileBackups,
				"loglevel": int(sd.LogLevel), "pidfile": sd.Pidfile, "identifier": sd.Identifier,
				"childlogdir": sd.ChildLogDir, "minfds": sd.Minfds, "minprocs": sd.Minprocs, "uid": uid,
			}
			data, _ := json.Marshal(got)
			var norm map[string]any
			_ = json.Unmarshal(data, &norm)
			for _, d := range jsonDiff("", w["ok"], norm) {
				t.Errorf("%v: %s", args, d)
			}
		}
	}
}

func TestCheckFlag(t *testing.T) {
	for _, c := range []struct{ opt, val, want string }{
		{"-m", "022", ""},
		{"-m", "8", "invalid value for -m '8': 8 can not be converted to an octal type"},
		{"--umask", "8", "invalid value for --umask '8': 8 can not be converted to an octal type"},
		{"-a", "x", "invalid value for -a 'x': invalid literal for int() with base 10: 'x'"},
		{"--minprocs", "x", "invalid value for --minprocs 'x': invalid literal for int() with base 10: 'x'"},
		{"-e", "warning", "invalid value for -e 'warning': bad logging level name 'warning'"},
		{"-y", "5B", "invalid value for -y '5B': invalid literal for int() with base 10: '5b'"},
		{"-d", "/nonexistent-gsup", "invalid value for -d '/nonexistent-gsup': /nonexistent-gsup is not an existing directory"},
		{"-u", "anything", ""},
		{"-n", "", ""},
	} {
		err := CheckFlag(c.opt, c.val)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckFlag(%s, %q) = %v", c.opt, c.val, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("CheckFlag(%s, %q) = %v, want %q", c.opt, c.val, err, c.want)
		}
	}
}

func TestLoadBasic(t *testing.T) {
	cfg := mustLoad(t, "testdata/basic.conf")
	here, _ := filepath.Abs("testdata")
	if cfg.Path != filepath.Join(here, "basic.conf") {
		t.Errorf("Path = %q", cfg.Path)
	}
	sd := cfg.Supervisord
	if sd.Logfile != filepath.Join(here, "logs/supervisord.log") || sd.LogLevel != LevelInfo ||
		sd.LogfileMaxBytes != 50<<20 || sd.LogfileBackups != 10 || sd.Umask != 0o22 || sd.Minfds != 1024 ||
		sd.Minprocs != 200 || sd.Identifier != "supervisor" || sd.EventsRetained != 10000 || sd.Nodaemon {
		t.Errorf("supervisord = %+v", sd)
	}
	if len(cfg.UnixHTTPServers) != 1 || cfg.UnixHTTPServers[0].File != filepath.Join(here, "logs/supervisor.sock") ||
		cfg.UnixHTTPServers[0].Chmod != 0o700 || cfg.UnixHTTPServers[0].ChownUID != -1 {
		t.Errorf("unix servers = %+v", cfg.UnixHTTPServers)
	}
	if !reflect.DeepEqual(cfg.RPCInterfaces, []string{"supervisor"}) {
		t.Errorf("rpc = %v", cfg.RPCInterfaces)
	}
	if cfg.Ctl.ServerURL != "unix://"+filepath.Join(here, "logs/supervisor.sock") || cfg.Ctl.Prompt != "supervisor" {
		t.Errorf("ctl = %+v", cfg.Ctl)
	}
	g, ok := cfg.Group("cat")
	if !ok || len(g.Processes) != 1 {
		t.Fatalf("group cat = %+v, %v", g, ok)
	}
	p := g.Processes[0]
	want := ProcessConfig{
		Name: "cat", Group: "cat", Program: "cat", Kind: KindProgram, Section: "program:cat",
		File: filepath.Join(here, "basic.conf"), Command: "/bin/cat", Priority: 999, Autostart: true,
		Autorestart: AutorestartUnexpected, StartSecs: 1, StartRetries: 3, ExitCodes: []int{0},
		RestartBurst: 5, RestartInterval: time.Second,
		StopSignal: syscall.SIGTERM, StopWaitSecs: 10,
		Stdout:         LogConfig{Logfile: AutoLog, MaxBytes: 50 << 20, Backups: 10},
		Stderr:         LogConfig{Logfile: AutoLog, MaxBytes: 50 << 20, Backups: 10},
		Environment:    map[string]string{},
		BackoffMaxSecs: defaultBackoffMaxSecs,
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("process =\n%+v\nwant\n%+v", p, want)
	}
	if _, ok := cfg.Group("nope"); ok {
		t.Error("Group(nope) found")
	}
	if !reflect.DeepEqual(cfg.Files, []string{filepath.Join(here, "basic.conf")}) {
		t.Errorf("Files = %v", cfg.Files)
	}
}

func TestLoadExpansions(t *testing.T) {
	setTestEnv(t)
	cfg := mustLoad(t, "testdata/expansions.conf")
	here, _ := filepath.Abs("testdata")
	if cfg.Supervisord.Identifier != "tname-"+here || cfg.Supervisord.LogLevel != LevelDebug {
		t.Errorf("supervisord = %+v", cfg.Supervisord)
	}
	web, _ := cfg.Group("web")
	if procNames(web) != "web_08,web_09,web_10" || web.Priority != 42 {
		t.Fatalf("web = %s prio %d", procNames(web), web.Priority)
	}
	p := web.Processes[2]
	if p.Command != "/bin/sleep 100 --name=web --group=web g tname" || p.StartSecs != 42 {
		t.Errorf("command = %q startsecs %d", p.Command, p.StartSecs)
	}
	wantEnv := map[string]string{"GLOBAL": "g tname", "HERE": here, "PORT": "8010", "NUM": "3", "WHO": "tname"}
	if !reflect.DeepEqual(p.Environment, wantEnv) {
		t.Errorf("env = %v", p.Environment)
	}
	if p.Stdout.Logfile != filepath.Join(here, "logs/web-010-8010.log") || p.Stderr.Logfile != "" {
		t.Errorf("logs = %q %q", p.Stdout.Logfile, p.Stderr.Logfile)
	}
	pct, _ := cfg.Group("pct")
	if got := pct.Processes[1].Command; got != "/bin/echo 100% done    +1|1   |0x1|1|001|pc|'pct'|2.000000e+00" {
		t.Errorf("pct command = %q", got)
	}
}

func TestLoadComments(t *testing.T) {
	cfg := mustLoad(t, "testdata/comments.conf")
	if !cfg.Supervisord.Nodaemon || !strings.HasSuffix(cfg.Supervisord.Pidfile, "/logs/c.pid") {
		t.Errorf("supervisord = %+v", cfg.Supervisord)
	}
	semi, _ := cfg.Group("semi")
	if p := semi.Processes[0]; p.Command != "/bin/sh -c 'echo a;echo b'" || p.Autostart ||
		p.StopSignal != syscall.SIGINT || !strings.HasSuffix(p.Stdout.Logfile, "/semi#1.log") {
		t.Errorf("semi = %+v", p)
	}
	hash, _ := cfg.Group("hash")
	if p := hash.Processes[0]; p.Command != "/bin/echo a#b a" || !reflect.DeepEqual(p.ExitCodes, []int{0, 2, 3}) ||
		!reflect.DeepEqual(p.Environment, map[string]string{"A": "1", "B": "2", "C": "3", "D": "4"}) {
		t.Errorf("hash = %+v", p)
	}
	ml, _ := cfg.Group("multiline")
	if got := ml.Processes[0].Command; got != "/bin/echo\nfirst\nsecond" {
		t.Errorf("multiline = %q", got)
	}
}

func TestLoadDefaultAndDuplicates(t *testing.T) {
	cfg := mustLoad(t, "testdata/default.conf")
	a, _ := cfg.Group("a")
	b, _ := cfg.Group("b")
	if a.Processes[0].StartSecs != 7 || a.Processes[0].StopWaitSecs != 3 || b.Processes[0].StartSecs != 1 {
		t.Errorf("DEFAULT not applied: a=%+v b=%+v", a.Processes[0], b.Processes[0])
	}
	cfg = mustLoad(t, "testdata/duplicates.conf")
	x, _ := cfg.Group("x")
	if p := x.Processes[0]; p.Command != "/bin/second" || p.Priority != 5 || p.Autostart {
		t.Errorf("merged = %+v", p)
	}
	if !strings.HasSuffix(cfg.Supervisord.Logfile, "/second.log") {
		t.Errorf("logfile = %q", cfg.Supervisord.Logfile)
	}
}

func TestLoadGroups(t *testing.T) {
	cfg := mustLoad(t, "testdata/groups.conf")
	if got := groupNames(cfg); got != "first,alone,web,empty" {
		t.Fatalf("groups = %s", got)
	}
	web, _ := cfg.Group("web")
	if !web.Heterogeneous || web.Priority != 10 || procNames(web) != "nginx,app_0,app_1,fcgi" {
		t.Fatalf("web = %+v (%s)", web, procNames(web))
	}
	for _, p := range web.Processes {
		if p.Group != "web" {
			t.Errorf("%s group = %q", p.Name, p.Group)
		}
	}
	if app := web.Processes[1]; app.Command != "/bin/app web app" || app.Priority != 2 || app.Program != "app" {
		t.Errorf("app = %+v", app)
	}
	if f := web.Processes[3]; f.FCGI != nil || f.Kind != KindProgram || f.Section != "fcgi-program:fcgi" {
		t.Errorf("fcgi in a group = %+v", f)
	}
	empty, _ := cfg.Group("empty")
	if len(empty.Processes) != 0 {
		t.Errorf("empty = %+v", empty)
	}
}

func TestLoadEventListeners(t *testing.T) {
	cfg := mustLoad(t, "testdata/eventlisteners.conf")
	if got := groupNames(cfg); got != "listener,prio" {
		t.Fatalf("groups = %s", got)
	}
	l, _ := cfg.Group("listener")
	if l.Kind != KindEventListener || l.Priority != -1 || l.Pool == nil ||
		!reflect.DeepEqual(l.Pool.Events, []string{"PROCESS_STATE", "TICK_60"}) || l.Pool.BufferSize != 50 ||
		l.Pool.ResultHandler != "supervisor.dispatchers:default_handler" {
		t.Fatalf("listener = %+v pool %+v", l, l.Pool)
	}
	if l.Processes[0].Priority != 999 || l.Processes[0].Kind != KindEventListener || procNames(l) != "listener_0,listener_1" {
		t.Errorf("listener processes = %+v", l.Processes)
	}
	if !hasMessage(cfg, LevelWarn, "For [eventlistener:prio], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally") {
		t.Errorf("messages = %+v", cfg.Messages)
	}
}

func hasMessage(cfg *Config, level Level, text string) bool {
	for _, m := range cfg.Messages {
		if m.Level == level && m.Text == text {
			return true
		}
	}
	return false
}

func TestLoadFCGI(t *testing.T) {
	cfg := mustLoad(t, "testdata/fcgi.conf")
	here, _ := filepath.Abs("testdata")
	u, _ := cfg.Group("unixsock")
	for _, p := range u.Processes {
		if p.FCGI == nil || p.FCGI.URL != "unix://"+filepath.Join(here, "logs/unixsock.sock") || p.FCGI.Backlog != 128 ||
			p.FCGI.OwnerUID != 65534 || p.FCGI.OwnerGID != -1 || p.FCGI.Mode != 0o660 || p.Kind != KindFCGIProgram {
			t.Errorf("unixsock = %+v", p.FCGI)
		}
	}
	if u.Processes[0].FCGI == u.Processes[1].FCGI {
		t.Error("processes share one FCGISocket")
	}
	tcp, _ := cfg.Group("tcpsock")
	if f := tcp.Processes[0].FCGI; f.URL != "tcp://localhost:9002" || f.OwnerUID != -1 || f.Backlog != 0 {
		t.Errorf("tcpsock = %+v", f)
	}
	uo, _ := cfg.Group("useronly")
	if f := uo.Processes[0].FCGI; f.OwnerUID != 65534 || f.OwnerGID != 65534 || f.Mode != 0o700 {
		t.Errorf("useronly = %+v", f)
	}
}

func TestLoadServers(t *testing.T) {
	cfg := mustLoad(t, "testdata/servers.conf")
	cwd, _ := os.Getwd()
	if len(cfg.UnixHTTPServers) != 2 || len(cfg.InetHTTPServers) != 4 {
		t.Fatalf("servers = %+v %+v", cfg.UnixHTTPServers, cfg.InetHTTPServers)
	}
	u := cfg.UnixHTTPServers[0]
	if u.File != filepath.Join(cwd, "logs/rel.sock") || u.Chmod != 0o777 || u.ChownUID != 65534 || u.ChownGID != 65534 ||
		u.Username != "user" || !strings.HasPrefix(u.Password, "{SHA}") {
		t.Errorf("unix = %+v", u)
	}
	want := []InetHTTPServer{
		{Section: "inet_http_server", Port: 9001, Username: "u", Password: "p"},
		{Section: "inet_http_server:local", Host: "localhost", Port: 9002},
		{Section: "inet_http_server:star", Port: 9003},
		{Section: "inet_http_server:colon", Port: 9004},
	}
	if !reflect.DeepEqual(cfg.InetHTTPServers, want) {
		t.Errorf("inet = %+v", cfg.InetHTTPServers)
	}
	if cfg.Supervisord.User == nil || cfg.Supervisord.User.UID != 0 || cfg.Supervisord.Umask != 0o27 {
		t.Errorf("user/umask = %+v %o", cfg.Supervisord.User, cfg.Supervisord.Umask)
	}
	if hasMessage(cfg, LevelCritical, rootMessage) {
		t.Error("root message with user=root")
	}
}

func TestLoadLogs(t *testing.T) {
	cfg := mustLoad(t, "testdata/logs.conf")
	cwd, _ := os.Getwd()
	get := func(name string) ProcessConfig {
		g, ok := cfg.Group(name)
		if !ok {
			t.Fatalf("no group %s", name)
		}
		return g.Processes[0]
	}
	if p := get("none"); p.Stdout.Logfile != "" || p.Stderr.Logfile != "" {
		t.Errorf("none = %+v", p)
	}
	if p := get("auto0"); p.Stdout.Logfile != AutoLog || p.Stdout.MaxBytes != 0 || p.Stdout.CaptureMaxBytes != 1024 ||
		!p.Stdout.EventsEnabled || p.Stderr.CaptureMaxBytes != 2<<30 || !p.Stderr.Syslog {
		t.Errorf("auto0 = %+v", p)
	}
	if p := get("syslog"); p.Stdout.Logfile != "" || !p.Stdout.Syslog || !p.Stderr.Syslog {
		t.Errorf("syslog = %+v", p)
	}
	if p := get("redirect"); !p.RedirectStderr || p.Stderr.Logfile != "" {
		t.Errorf("redirect = %+v", p)
	}
	if p := get("empty"); p.Command != "" || p.Stdout.Logfile != "" || p.ServerURL != "" {
		t.Errorf("empty = %+v", p)
	}
	p := get("rel")
	if p.Stdout.Logfile != filepath.Join(cwd, "testdata/logs/rel.log") || p.Stdout.MaxBytes != -1 ||
		p.ServerURL != "http://127.0.0.1:9001" || p.Umask == nil || *p.Umask != 0o2 || p.User == nil ||
		p.User.UID != 65534 || p.User.Name != "nobody" || p.Directory != "/nonexistent/is/fine" {
		t.Errorf("rel = %+v", p)
	}
	for _, w := range []string{
		"For [program:auto0], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally",
		"For [program:syslog], stdout_logfile=syslog but this is deprecated and will be removed.  Use stdout_syslog=true to enable syslog instead.",
		"For [program:redirect], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored",
	} {
		if !hasMessage(cfg, LevelWarn, w) {
			t.Errorf("missing warning %q", w)
		}
	}
	n := 0
	for _, m := range cfg.Messages {
		if strings.HasPrefix(m.Text, "For [program:redirect], redirect_stderr") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("redirect warning %d times, want once per process (2)", n)
	}
}

func TestLoadIncludes(t *testing.T) {
	cfg := mustLoad(t, "testdata/include_main.conf")
	here, _ := filepath.Abs("testdata")
	inc := filepath.Join(here, "include.d")
	if got := groupNames(cfg); got != "q,b,c,inc,literal" {
		t.Fatalf("groups = %s", got)
	}
	q, _ := cfg.Group("q")
	if p := q.Processes[0]; p.Command != "overridden "+inc || p.Priority != 5 || p.File != filepath.Join(here, "include_main.conf") {
		t.Errorf("q = %+v", p)
	}
	c, _ := cfg.Group("c")
	if p := c.Processes[0]; p.Command != "/bin/c "+filepath.Join(inc, "sub") || p.File != filepath.Join(inc, "sub/c.ini") {
		t.Errorf("c = %+v", p)
	}
	if _, hidden := cfg.Group("hidden"); hidden {
		t.Error("a hidden file was included by *.conf")
	}
	wantMsgs := []Message{
		{LevelCritical, rootMessage},
		{LevelWarn, `No file matches via include "` + inc + `/nomatch-*.conf"`},
		{LevelInfo, `Included extra file "` + inc + `/a.conf" during parsing`},
		{LevelInfo, `Included extra file "` + inc + `/b.conf" during parsing`},
		{LevelInfo, `Included extra file "` + inc + `/literal.conf" during parsing`},
		{LevelInfo, `Included extra file "` + inc + `/sub/c.ini" during parsing`},
		{LevelInfo, `Included extra file "` + inc + `/literal.conf" during parsing`},
	}
	if os.Getuid() != 0 {
		wantMsgs = wantMsgs[1:]
	}
	if !reflect.DeepEqual(cfg.Messages, wantMsgs) {
		t.Errorf("messages =\n%+v\nwant\n%+v", cfg.Messages, wantMsgs)
	}
	if len(cfg.Files) != 6 || cfg.Files[1] != filepath.Join(inc, "a.conf") {
		t.Errorf("Files = %v", cfg.Files)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, conf, want string }{
		{"garbage", "garbage line\n", "File contains no section headers.\nfile: '" + filepath.Join(dir, "garbage.conf") + "', line: 1\n'garbage line\\n'"},
		{"no supervisord", "[program:x]\ncommand=a\n", ".ini file does not include supervisord section"},
		{"autostart", minimal + "[program:x]\ncommand=a\nautostart=maybe\n",
			"not a valid boolean value: 'maybe' in section 'program:x' (file: '" + filepath.Join(dir, "autostart.conf") + "')"},
		{"badname", minimal + "[program:a b]\ncommand=a\n", "Invalid name: 'a b' because of character: ' '"},
		{"badnum", minimal + "[program:m]\ncommand=a\nnumprocs=2\n",
			"%(process_num) must be present within process_name when numprocs > 1 in section 'program:m' (file: '" + filepath.Join(dir, "badnum.conf") + "')"},
		{"noevents", minimal + "[eventlistener:l]\ncommand=a\n", `[eventlistener:l] section requires an "events" line`},
		{"badevent", minimal + "[eventlistener:l]\ncommand=a\nevents=FOO\n", "Unknown event type FOO in [eventlistener:l] events"},
		{"badgroup", minimal + "[group:g]\nprograms=nope\n", "[group:g] names unknown program or fcgi-program nope"},
		{"halfauth", minimal + "[inet_http_server]\nport=1\nusername=u\n", "Section [inet_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified"},
		{"parse", minimal + "a\nb\n", "Source contains parsing errors: '" + filepath.Join(dir, "parse.conf") + "'\n\t[line  4]: 'a\\n'\n\t[line  5]: 'b\\n'"},
		{"events_retained", minimal + "events_retained=0\n", "invalid events_retained value 0 in section [supervisord]: it must be at least 1"},
		{"events_retained int", minimal + "events_retained=many\n", "invalid literal for int() with base 10: 'many'"},
		{"events_retained_bytes", minimal + "events_retained_bytes=0\n", "invalid events_retained_bytes value 0 in section [supervisord]: it must be at least 1"},
		{"restart_burst", minimal + "[program:x]\ncommand=a\nrestart_burst=-1\n",
			"invalid restart_burst value -1: it must be at least 0 in section 'program:x' (file: '" + filepath.Join(dir, "restart_burst.conf") + "')"},
		{"restart_interval", minimal + "[program:x]\ncommand=a\nrestart_interval=-2\n",
			"invalid restart_interval value -2: it must be at least 0 in section 'program:x' (file: '" + filepath.Join(dir, "restart_interval.conf") + "')"},
	} {
		path := writeConf(t, dir, c.name+".conf", c.conf)
		if got := loadErr(t, path); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	_, err := Load(filepath.Join(dir, "missing.conf"), Overrides{})
	if err == nil || err.Error() != "could not find config file "+filepath.Join(dir, "missing.conf") {
		t.Errorf("missing: %v", err)
	}
	var ce *Error
	if !asConfigError(err, &ce) || ce.Err == nil {
		t.Errorf("missing: no underlying error in %#v", err)
	}
	_, err = Load(dir, Overrides{})
	if err == nil || err.Error() != "could not read config file "+dir {
		t.Errorf("directory: %v", err)
	}
	bad := writeConf(t, dir, "latin1.conf", "[supervisord]\nidentifier=caf\xe9\n")
	if msg := loadErr(t, bad); !strings.Contains(msg, "not valid UTF-8") {
		t.Errorf("latin1: %q", msg)
	}
}

func TestEventsRetained(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GSUP_N", "5")
	cfg := mustLoad(t, writeConf(t, dir, "s.conf", minimal+"events_retained=%(ENV_GSUP_N)s\n"+
		"[program:x]\ncommand=a\n"))
	if cfg.Supervisord.EventsRetained != 5 || cfg.Supervisord.EventsRetainedBytes != 16<<20 {
		t.Errorf("events_retained = %d, events_retained_bytes = %d", cfg.Supervisord.EventsRetained, cfg.Supervisord.EventsRetainedBytes)
	}
	cfg = mustLoad(t, writeConf(t, dir, "b.conf", minimal+"events_retained_bytes=2MB\n"))
	if cfg.Supervisord.EventsRetainedBytes != 2<<20 {
		t.Errorf("events_retained_bytes = %d", cfg.Supervisord.EventsRetainedBytes)
	}
}

func TestRootMessage(t *testing.T) {
	dir := t.TempDir()
	cfg := mustLoad(t, writeConf(t, dir, "s.conf", minimal))
	if got := hasMessage(cfg, LevelCritical, rootMessage); got != (os.Getuid() == 0) {
		t.Errorf("root message present = %v as uid %d", got, os.Getuid())
	}
	user := "root"
	cfg, err := Load(filepath.Join(dir, "s.conf"), Overrides{User: &user})
	if err != nil {
		t.Fatal(err)
	}
	if hasMessage(cfg, LevelCritical, rootMessage) {
		t.Error("root message with -u root")
	}
}

func TestInetTLS(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"cert.pem", "key.pem", "ca.pem"} {
		writeConf(t, dir, f, "x")
	}
	ok := writeConf(t, dir, "ok.conf", minimal+"[inet_http_server]\nport=127.0.0.1:9\ncertfile=%(here)s/cert.pem\n"+
		"keyfile=%(here)s/key.pem\nclientcafile=%(here)s/ca.pem\nallow_no_auth=yes\n[inet_http_server:plain]\nport=9\n")
	cfg := mustLoad(t, ok)
	s := cfg.InetHTTPServers[0]
	if s.CertFile != filepath.Join(dir, "cert.pem") || s.KeyFile != filepath.Join(dir, "key.pem") ||
		s.ClientCAFile != filepath.Join(dir, "ca.pem") || !s.AllowNoAuth {
		t.Errorf("tls = %+v", s)
	}
	if p := cfg.InetHTTPServers[1]; p.CertFile != "" || p.AllowNoAuth {
		t.Errorf("plain = %+v", p)
	}
	for _, c := range []struct{ name, body, want string }{
		{"missing", "certfile=%(here)s/nope.pem\nkeyfile=%(here)s/key.pem\n", "section [inet_http_server] certfile " + dir + "/nope.pem is not an existing file"},
		{"dir", "certfile=%(here)s\nkeyfile=%(here)s/key.pem\n", "section [inet_http_server] certfile " + dir + " is not an existing file"},
		{"half", "certfile=%(here)s/cert.pem\n", "Section [inet_http_server] contains incomplete TLS settings: If a certfile or a keyfile is specified, both the certfile and keyfile must be specified"},
		{"keyonly", "keyfile=%(here)s/key.pem\n", "Section [inet_http_server] contains incomplete TLS settings: If a certfile or a keyfile is specified, both the certfile and keyfile must be specified"},
		{"ca", "clientcafile=%(here)s/ca.pem\n", "Section [inet_http_server] sets clientcafile without certfile and keyfile"},
		{"noauth", "allow_no_auth=sometimes\n", "not a valid boolean value: 'sometimes' in section [inet_http_server] allow_no_auth"},
		{"expand", "certfile=%(nope)s\n", "contains names ('nope')"},
	} {
		path := writeConf(t, dir, c.name+".conf", minimal+"[inet_http_server]\nport=9\n"+c.body)
		if got := loadErr(t, path); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSampleConfigParses(t *testing.T) {
	testutil.RequireFile(t, testutil.EchoSupervisordConf)
	out, err := exec.Command(testutil.EchoSupervisordConf).Output()
	if err != nil {
		t.Fatal(err)
	}
	path := writeConf(t, t.TempDir(), "supervisord.conf", string(out))
	cfg := mustLoad(t, path)
	if len(cfg.UnixHTTPServers) != 1 || cfg.UnixHTTPServers[0].File != "/tmp/supervisor.sock" ||
		cfg.Supervisord.Logfile != "/tmp/supervisord.log" || cfg.Supervisord.Pidfile != "/tmp/supervisord.pid" ||
		cfg.Ctl.ServerURL != "unix:///tmp/supervisor.sock" || len(cfg.Groups) != 0 ||
		!reflect.DeepEqual(cfg.RPCInterfaces, []string{"supervisor"}) {
		t.Errorf("sample = %+v", cfg)
	}
	// Uncommenting every example line (with users, paths and group members
	// that exist here) must give exactly what Supervisor makes of it.
	testutil.RequirePython(t)
	uncomment := regexp.MustCompile(`(?m)^;(\[|[a-z_.]+ ?=)`)
	full := uncomment.ReplaceAllString(string(out), "$1")
	full = strings.NewReplacer("user=supervisord", "user=root", "user=chrism", "user=nobody",
		"/a/path", "/tmp/a.log", "programs=progname1,progname2", "programs=theprogramname").Replace(full)
	path = writeConf(t, t.TempDir(), "full.conf", full)
	want := pythonDump(t, path)[0]
	if msg, ok := want["error"]; ok {
		t.Fatalf("the real parser rejects the uncommented sample: %v", msg)
	}
	cfg = mustLoad(t, path)
	if len(cfg.Groups) != 2 || len(cfg.InetHTTPServers) != 1 {
		t.Errorf("uncommented sample: groups %s, inet %+v", groupNames(cfg), cfg.InetHTTPServers)
	}
	for _, d := range jsonDiff("", map[string]any(want), goDump(t, cfg)) {
		t.Error(d)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "bin", "supervisord")
	paths := SearchPaths(exe)
	want := []string{dir + "/etc/supervisord.conf", dir + "/supervisord.conf", "supervisord.conf",
		"etc/supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("SearchPaths = %q", paths)
	}
	if got := SearchPaths("supervisord")[0]; got != "etc/supervisord.conf" {
		t.Errorf("bare executable: %q", got)
	}
	cwd := t.TempDir()
	if _, err := os.Stat("/etc/supervisord.conf"); err != nil {
		if _, err := os.Stat("/etc/supervisor/supervisord.conf"); err != nil {
			_, err := Find(exe, cwd)
			wantMsg := "No config file found at default paths (" + strings.Join(want, ", ") +
				"); use the -c option to specify a config file at a different path"
			if err == nil || err.Error() != wantMsg {
				t.Errorf("Find none = %v", err)
			}
		}
	}
	writeConf(t, cwd, "etc/supervisord.conf", "")
	if got, err := Find(exe, cwd); err != nil || got != "etc/supervisord.conf" {
		t.Errorf("Find cwd/etc = %q, %v", got, err)
	}
	writeConf(t, cwd, "supervisord.conf", "")
	if got, err := Find(exe, cwd); err != nil || got != "supervisord.conf" {
		t.Errorf("Find cwd = %q, %v", got, err)
	}
	writeConf(t, dir, "supervisord.conf", "")
	if got, err := Find(exe, cwd); err != nil || got != dir+"/supervisord.conf" {
		t.Errorf("Find here = %q, %v", got, err)
	}
	writeConf(t, dir, "etc/supervisord.conf", "")
	if got, err := Find(exe, cwd); err != nil || got != dir+"/etc/supervisord.conf" {
		t.Errorf("Find here/etc = %q, %v", got, err)
	}
}

// TestFindMatchesPython compares the search list with Supervisor's.
func TestFindMatchesPython(t *testing.T) {
	for _, exe := range []string{"/usr/bin/supervisord", "supervisord", "./bin/supervisord", "/supervisord"} {
		var want []string
		testutil.RunPythonJSON(t, "import json, sys; sys.argv[0] = json.load(sys.stdin); from supervisor.options import Options; json.dump(Options().searchpaths, sys.stdout)", exe, &want)
		if got := SearchPaths(exe); !reflect.DeepEqual(got, want) {
			t.Errorf("SearchPaths(%q) = %q, python %q", exe, got, want)
		}
	}
}

func TestLoadCtl(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GSUP_USER", "ctluser")
	path := writeConf(t, dir, "c.conf", "[DEFAULT]\nprompt=fromdefault\n[supervisorctl]\nserverurl=unix://%(here)s/x/../s.sock\n"+
		"username=%(ENV_GSUP_USER)s\npassword=p%%w\nhistory_file=%(here)s/hist\n")
	ctl, err := LoadCtl(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Supervisorctl{ServerURL: "unix://" + dir + "/s.sock", Username: "ctluser", Password: "p%w",
		Prompt: "fromdefault", HistoryFile: dir + "/hist"}
	if *ctl != want {
		t.Errorf("ctl = %+v, want %+v", *ctl, want)
	}
	ctl, err = LoadCtl(writeConf(t, dir, "d.conf", "[supervisorctl]\n"))
	if err != nil || *ctl != ctlDefaults() {
		t.Errorf("defaults = %+v, %v", ctl, err)
	}
	for name, c := range map[string]struct{ conf, want string }{
		"nosection": {"[supervisord]\n", ".ini file does not include supervisorctl section"},
		"garbage":   {"x\n", "File contains no section headers."},
		"expand":    {"[supervisorctl]\nprompt=%(here)s\n", "for 'supervisorctl.prompt' contains names ('here')"},
		"plugin":    {"[supervisorctl]\n[ctlplugin:x]\na=b\n", "section [ctlplugin:x] does not specify a supervisor.ctl_factory"},
	} {
		_, err := LoadCtl(writeConf(t, dir, name+".conf", c.conf))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if _, err := LoadCtl(filepath.Join(dir, "missing.conf")); err == nil ||
		err.Error() != "could not find config file "+filepath.Join(dir, "missing.conf") {
		t.Errorf("missing: %v", err)
	}
}

// TestLoadCtlMatchesPython compares LoadCtl with supervisorctl's own
// reading of the section.
func TestLoadCtlMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	dir := t.TempDir()
	t.Setenv("GSUP_USER", "ctluser")
	confs := []string{
		"[supervisorctl]\n",
		"[supervisorctl]\nserverurl=unix://rel.sock\nprompt=%(ENV_GSUP_USER)s\nhistory_file=~/h\nusername=u\n",
		"[supervisorctl]\nserverurl=http://%(ENV_GSUP_USER)s:9\npassword=x\nhistory_file=\n",
		"[supervisord]\n",
		"[supervisorctl]\nserverurl=%(nope)s\n",
		"[supervisorctl]\nserverurl=%(here)s\n",
		"[supervisorctl]\nusername=%(here)s\n",
		"[supervisorctl]\n[include]\nfiles=x\n",
	}
	var paths []string
	for i, c := range confs {
		paths = append(paths, writeConf(t, dir, strings.Repeat("c", i+1)+".conf", c))
	}
	in, _ := json.Marshal(paths)
	script := `
import json, sys
from supervisor.options import ClientOptions
out = []
for p in json.load(sys.stdin):
    o = ClientOptions()
    o.configfile = p
    try:
        o.process_config(do_usage=False)
    except ValueError as e:
        out.append({"err": str(e)})
        continue
    s = o.configroot.supervisorctl
    out.append({"ok": {"ServerURL": s.serverurl, "Username": s.username or "", "Password": s.password or "",
                       "Prompt": s.prompt, "HistoryFile": s.history_file or ""}})
json.dump(out, sys.stdout)
`
	var want []struct {
		OK  *Supervisorctl `json:"ok"`
		Err string         `json:"err"`
	}
	testutil.RunPythonJSON(t, script, json.RawMessage(in), &want)
	for i, p := range paths {
		got, err := LoadCtl(p)
		if want[i].Err != "" {
			if err == nil || err.Error() != want[i].Err {
				t.Errorf("%q: got %+v, %v; python error %q", confs[i], got, err, want[i].Err)
			}
			continue
		}
		if err != nil || *got != *want[i].OK {
			t.Errorf("%q: got %+v, %v; python %+v", confs[i], got, err, want[i].OK)
		}
	}
}

// BenchmarkLoad loads the test configurations, and one of 1000 programs
// (the start-up benchmark's), whose load is on the daemon's path to its
// first spawn.
func BenchmarkLoad(b *testing.B) {
	b.Setenv("GSUP_TEST_NAME", "tname")
	b.Setenv("GSUP_TEST_LEVEL", "debug")
	b.Setenv("GSUP_TEST_PRIO", "42")
	var many strings.Builder
	many.WriteString(minimal)
	for i := range 1000 {
		fmt.Fprintf(&many, "[program:p%04d]\ncommand=sleep 100000\nstartsecs=0\n\n", i)
	}
	paths := map[string]string{"programs1000": writeConf(b, b.TempDir(), "many.conf", many.String())}
	for _, name := range []string{"basic", "include_main", "expansions"} {
		paths[name] = "testdata/" + name + ".conf"
	}
	for _, name := range []string{"basic", "include_main", "expansions", "programs1000"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Load(paths[name], Overrides{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestDefaultServerURL(t *testing.T) {
	for _, c := range []struct{ conf, want string }{
		{minimal, ""},
		{minimal + "[inet_http_server]\nport=9001\n[inet_http_server:b]\nport=127.0.0.1:9002\n", "http://127.0.0.1:9002"},
		{minimal + "[inet_http_server]\nport=9001\n", "http://localhost:9001"},
		{minimal + "[inet_http_server]\nport=[::1]:9001\n", "http://[::1]:9001"},
		{minimal + "[inet_http_server]\nport=::1:9001\n", "http://[::1]:9001"},
		{minimal + "[inet_http_server]\nport=9001\n[unix_http_server]\nfile=/tmp/a.sock\n[unix_http_server:b]\nfile=/tmp/b.sock\n", "unix:///tmp/a.sock"},
	} {
		if got := loadText(t, c.conf).DefaultServerURL(); got != c.want {
			t.Errorf("%q: %q, want %q", c.conf, got, c.want)
		}
	}
}

// TestInetAddress checks the address an [inet_http_server] binds and
// whether its credentials count as authentication (an empty password
// does not).
func TestInetAddress(t *testing.T) {
	for _, c := range []struct {
		port, user, pass string
		bind, addr       string
		auth             bool
	}{
		{"9001", "", "", "", ":9001", false},
		{"127.0.0.1:9001", "u", "p", "127.0.0.1", "127.0.0.1:9001", true},
		{"[::1]:9001", "u", "", "::1", "[::1]:9001", false},
		{"::1:9001", "", "", "::1", "[::1]:9001", false},
	} {
		conf := minimal + "[inet_http_server]\nport=" + c.port + "\n"
		if c.user != "" {
			conf += "username=" + c.user + "\npassword=" + c.pass + "\n"
		}
		s := loadText(t, conf).InetHTTPServers[0]
		if s.BindHost() != c.bind || s.Address() != c.addr || s.Authenticated() != c.auth {
			t.Errorf("port=%s user=%q pass=%q: bind %q addr %q auth %v; want %q %q %v",
				c.port, c.user, c.pass, s.BindHost(), s.Address(), s.Authenticated(), c.bind, c.addr, c.auth)
		}
	}
}

// TestDefaultServerURLMatchesPython compares with realize()'s serverurl.
func TestDefaultServerURLMatchesPython(t *testing.T) {
	dir := t.TempDir()
	path := writeConf(t, dir, "s.conf", minimal+"[inet_http_server]\nport=9001\n[inet_http_server:b]\nport=*:9002\n")
	out := testutil.RunPython(t, "import sys; from supervisor.options import ServerOptions; o = ServerOptions(); "+
		"o.realize(args=['-c', sys.argv[1]]); print(o.serverurl)", path)
	if got := mustLoad(t, path).DefaultServerURL(); got != strings.TrimSpace(out) {
		t.Errorf("DefaultServerURL = %q, python %q", got, out)
	}
}
