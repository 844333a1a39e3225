package config

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// setTestEnv sets the variables the testdata configurations expand.
func setTestEnv(t *testing.T) {
	t.Setenv("GSUP_TEST_NAME", "tname")
	t.Setenv("GSUP_TEST_LEVEL", "debug")
	t.Setenv("GSUP_TEST_PRIO", "42")
	t.Setenv("GSUP_TEST_PCT", "50%")
}

// TestDifferentialTestdata loads every testdata configuration with the real
// Supervisor parser and with Load, and compares every field.
func TestDifferentialTestdata(t *testing.T) {
	testutil.RequirePython(t)
	setTestEnv(t)
	paths, err := filepath.Glob("testdata/*.conf")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata configurations: %v", err)
	}
	sort.Strings(paths)
	want := pythonDump(t, paths...)
	for i, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if msg, ok := want[i]["error"]; ok {
				t.Fatalf("the real parser rejects %s: %v", path, msg)
			}
			cfg := mustLoad(t, path)
			for _, d := range jsonDiff("", map[string]any(want[i]), goDump(t, cfg)) {
				t.Error(d)
			}
		})
	}
}

// diffCase is an inline configuration compared with the real parser.
type diffCase struct {
	name string
	// conf is the main file's text; files are extra files (relative name
	// -> text) written next to it.
	conf  string
	files map[string]string
	// wantErr is a substring the real parser's error must contain; empty
	// when the configuration is valid.
	wantErr string
}

// differentialCases cover every error message and the parsing quirks.
var differentialCases = []diffCase{
	// configparser level
	{name: "no section header", conf: "garbage line\n" + minimal, wantErr: "File contains no section headers."},
	{name: "no section header, comment first", conf: "; comment\n\n  x = 1\n" + minimal, wantErr: "line: 3"},
	{name: "parsing errors", conf: minimal + "bad line\n[program:x]\ncommand=a\nalso bad ; comment\n", wantErr: "Source contains parsing errors"},
	{name: "empty option name", conf: minimal + "=value\n", wantErr: "[line  4]: '=value\\n'"},
	{name: "no supervisord", conf: "[program:x]\ncommand=a\n", wantErr: ".ini file does not include supervisord section"},
	{name: "section name case", conf: "[Supervisord]\n", wantErr: "does not include supervisord section"},
	{name: "include without files", conf: minimal + "[include]\n", wantErr: "no files setting"},
	{name: "include bad file", conf: minimal + "[include]\nfiles=inc/*.conf\n", files: map[string]string{"inc/a.conf": "oops\n"}, wantErr: "File contains no section headers."},
	{name: "include parse error", conf: minimal + "[include]\nfiles=inc/*.conf\n", files: map[string]string{"inc/a.conf": "[program:x]\nnodelim\n"}, wantErr: "Source contains parsing errors"},
	{name: "include expansion", conf: minimal + "[include]\nfiles=%(nope)s\n", wantErr: "for 'include.files' contains names ('nope')"},
	{name: "include host_node_name", conf: minimal + "[include]\nfiles=%(host_node_name)s-nothing.conf\n  %(ENV_GSUP_TEST_NAME)s.conf\n"},
	{name: "include directory and unreadable", conf: minimal + "[include]\nfiles=inc\n", files: map[string]string{"inc/x": "x"}},
	{name: "include glob rules", conf: minimal + "[include]\nfiles=inc/[!b]*.conf inc/[ab-c].ini inc/[.conf inc/*/*.conf inc/?.conf\n",
		files: map[string]string{
			"inc/a.conf": "[program:a]\ncommand=a\n", "inc/b.conf": "[program:b]\ncommand=b\n",
			"inc/.h.conf": "[program:h]\ncommand=h\n", "inc/c.ini": "[program:c]\ncommand=c\n",
			"inc/[.conf": "[program:br]\ncommand=br\n", "inc/d/e.conf": "[program:e]\ncommand=e\n",
		}},
	{name: "include hidden pattern", conf: minimal + "[include]\nfiles=inc/.*.conf\n", files: map[string]string{"inc/.h.conf": "[program:h]\ncommand=h\n"}},
	{name: "include here pre-pass", conf: "[DEFAULT]\nstdout_logfile=%(here)s/d.log\n" + minimal + "[include]\nfiles=sub/x.conf\n[program:main]\ncommand=%(here)s\n",
		files: map[string]string{"sub/x.conf": "[program:inc]\ncommand=%(here)s\n[program:main]\ndirectory=%(here)s\n"}},
	{name: "here without include", conf: minimal + "[program:x]\ncommand=%(here)s\n"},
	{name: "inline comments", conf: minimal + "[program:x]\ncommand=a;b ;c\ndirectory=x#y #z\nenvironment=A=\"1\" ; B=2\n"},
	{name: "inline comment rounds", conf: minimal + "[program:x]\ncommand=x#1 #2 ;3\n"},
	{name: "colon delimiter and case", conf: minimal + "[program:x]\nCommand : a = b\nAUTOSTART: False\n"},
	{name: "continuation and blank lines", conf: minimal + "[program:x]\ncommand = a\n\n    b\n  ; c\n\td\n\n\n[program:y]\ncommand=y\n"},
	{name: "indented option after header", conf: minimal + "[program:x]\n  command = a\n    b\n  autostart=false\n"},
	{name: "crlf", conf: strings.ReplaceAll(minimal+"[program:x]\ncommand=a\r\n  b\n", "\n", "\r\n")},
	{name: "merged sections", conf: minimal + "[program:x]\ncommand=a\npriority=5\n[program:y]\ncommand=y\n[program:x]\ncommand=b\n"},
	{name: "header with trailing text", conf: minimal + "[program:x] trailing\ncommand=a\n[program:y]]\ncommand=b\n"},

	// [supervisord]
	{name: "minfds", conf: minimal + "minfds=abc\n", wantErr: "invalid literal for int() with base 10: 'abc'"},
	{name: "minprocs", conf: minimal + "minprocs=1.5\n", wantErr: "invalid literal for int()"},
	{name: "directory", conf: minimal + "directory=/nonexistent-gsup\n", wantErr: "/nonexistent-gsup is not an existing directory"},
	{name: "directory ok", conf: minimal + "directory=%(here)s\numask=0o027\nminfds=+10\nminprocs= 1_000 \n"},
	{name: "umask", conf: minimal + "umask=8\n", wantErr: "8 can not be converted to an octal type"},
	{name: "logfile", conf: "[supervisord]\nlogfile=/nonexistent-gsup/x.log\n", wantErr: "The directory named as part of the path /nonexistent-gsup/x.log does not exist"},
	{name: "logfile syslog", conf: "[supervisord]\nlogfile=syslog\npidfile=~/x.pid\n"},
	{name: "logfile relative", conf: "[supervisord]\nlogfile=SYSLOG\nlogfile_maxbytes=1gb\nlogfile_backups=-1\n"},
	{name: "logfile_maxbytes float", conf: minimal + "logfile_maxbytes=1.5MB\n", wantErr: "invalid literal for int() with base 10: '1.5'"},
	{name: "logfile_maxbytes suffix", conf: minimal + "logfile_maxbytes=5B\n", wantErr: "'5b'"},
	{name: "logfile_backups", conf: minimal + "logfile_backups=x\n", wantErr: "invalid literal"},
	{name: "loglevel", conf: minimal + "loglevel=Warning\n", wantErr: "bad logging level name 'Warning'"},
	{name: "loglevels", conf: minimal + "loglevel=BLATHER\n"},
	{name: "pidfile", conf: minimal + "pidfile=/nonexistent-gsup/p\n", wantErr: "does not exist"},
	{name: "nodaemon", conf: minimal + "nodaemon=maybe\n", wantErr: "not a valid boolean value: 'maybe'"},
	{name: "silent", conf: minimal + "silent=2\n", wantErr: "not a valid boolean value: '2'"},
	{name: "childlogdir", conf: minimal + "childlogdir=/nonexistent-gsup\n", wantErr: "is not an existing directory"},
	{name: "nocleanup", conf: minimal + "nocleanup=x\n", wantErr: "not a valid boolean value: 'x'"},
	{name: "strip_ansi", conf: minimal + "strip_ansi=x\n", wantErr: "not a valid boolean value: 'x'"},
	{name: "flags", conf: minimal + "nodaemon=YES\nsilent=on\nnocleanup=1\nstrip_ansi=True\nidentifier=%(here)s\n"},
	{name: "identifier expansion", conf: minimal + "identifier=%(nope)s\n", wantErr: "for 'supervisord.identifier' contains names ('nope')"},
	{name: "user", conf: minimal + "user=nosuchuser-gsup\n", wantErr: "Invalid user name nosuchuser-gsup"},
	{name: "user id", conf: minimal + "user=987654\n", wantErr: "Invalid user id 987654"},
	{name: "user ok", conf: minimal + "user=nobody\n"},
	{name: "env separator", conf: minimal + "environment=A=1 B=2\n", wantErr: "Unexpected end of key/value pairs in value 'A=1 B=2'"},
	{name: "env empty value", conf: minimal + "environment=A=\n", wantErr: "Unexpected end of key/value pairs"},
	{name: "env spaces", conf: minimal + "environment=KEY=val with space\n", wantErr: "Unexpected end"},
	{name: "env at", conf: minimal + "environment=A=x@y\n", wantErr: "Unexpected end"},
	{name: "env double comma", conf: minimal + "environment=A=1,,B=2\n", wantErr: "Unexpected end"},
	{name: "env unclosed", conf: minimal + "environment=A=\"x\n", wantErr: "No closing quotation"},
	{name: "env host_node_name", conf: minimal + "environment=A=%(host_node_name)s\n", wantErr: "for 'supervisord.environment' contains names ('host_node_name')"},
	{name: "env double expansion", conf: minimal + "environment=A=%%d\n", wantErr: "for 'environment' is badly formatted: %d format: a real number is required, not dict"},
	{name: "env quoting", conf: minimal + "environment=A=\"1\",B=\"2\",C='x,y',D=\"p q\",E=/usr/bin:/bin,F=a-b.c+d(e),G='',H=1;I=2\n"},
	{name: "env quirks", conf: minimal + "[program:a]\ncommand=a\nenvironment=A=$X\n[program:b]\ncommand=b\nenvironment=A=%%d\n[program:c]\ncommand=c\nenvironment=A=x#y,B=2\n[program:d]\ncommand=d\nenvironment=A=1,\n[program:e]\ncommand=e\nenvironment=\"Q\"=\"v\",lower=Case\n"},
	{name: "env merged and ENV_", conf: minimal + "environment=G=global,O=sd\n[program:x]\ncommand=%(ENV_G)s %(ENV_O)s %(ENV_P)s\nenvironment=O=prog,P=%(ENV_G)s\n"},
	{name: "env program ENV_ before definition", conf: minimal + "[program:x]\ncommand=x\nenvironment=A=1,B=%(ENV_A)s\n", wantErr: "contains names ('ENV_A')"},

	// [rpcinterface:x], [ctlplugin:x]
	{name: "rpcinterface factory", conf: minimal + "[rpcinterface:x]\nfoo=bar\n", wantErr: "section [rpcinterface:x] does not specify a supervisor.rpcinterface_factory"},
	{name: "rpcinterface extra expansion", conf: minimal + "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nx=%(here)s\n", wantErr: "for 'rpcinterface:supervisor.x' contains names ('here')"},
	{name: "rpcinterface ok", conf: minimal + "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[ctlplugin:x]\nnothing=checked\n"},

	// [group:x]
	{name: "group name", conf: minimal + "[group:a b]\nprograms=x\n", wantErr: "Invalid name: 'a b' because of character: ' '"},
	{name: "group unknown", conf: minimal + "[group:g]\nprograms=nope\n", wantErr: "[group:g] names unknown program or fcgi-program nope"},
	{name: "group unknown after known", conf: minimal + "[group:g]\nprograms=a,nope\n[program:a]\ncommand=a\n", wantErr: "[program:a] names unknown program or fcgi-program nope"},
	{name: "group trailing comma", conf: minimal + "[group:g]\nprograms=a,\n[program:a]\ncommand=a\n", wantErr: "names unknown program or fcgi-program "},
	{name: "group ambiguous", conf: minimal + "[group:g]\nprograms=a\n[program:a]\ncommand=a\n[fcgi-program:a]\ncommand=a\nsocket=tcp://h:1\n", wantErr: "[group:g] name a is ambiguous (exists as program and fcgi-program)"},
	{name: "group priority", conf: minimal + "[group:g]\npriority=high\n", wantErr: "invalid literal"},
	{name: "group with fcgi and two groups", conf: minimal + "[group:g]\nprograms=f,a\npriority=3\n[group:h]\nprograms=a\n[program:a]\ncommand=a %(group_name)s\n[fcgi-program:f]\ncommand=f\nsocket=bogus\nsocket_mode=999\n"},
	{name: "group same name as program", conf: minimal + "[group:x]\nprograms=y\n[program:x]\ncommand=x\n[program:y]\ncommand=y\n"},

	// [program:x]
	{name: "program name space", conf: minimal + "[program:a b]\ncommand=a\n", wantErr: "Invalid name: 'a b' because of character: ' '"},
	{name: "program name colon", conf: minimal + "[program:a:b]\ncommand=a\n", wantErr: "because of character: ':'"},
	{name: "program name slash", conf: minimal + "[program:a/b]\ncommand=a\n", wantErr: "because of character: '/'"},
	{name: "program name stripped", conf: minimal + "[program: a ]\ncommand=a\n"},
	{name: "priority", conf: minimal + "[program:x]\ncommand=a\npriority=x\n", wantErr: "invalid literal for int() with base 10: 'x'"},
	{name: "priority process_num", conf: minimal + "[program:x]\ncommand=a\npriority=%(process_num)s\n", wantErr: "for 'program:x.priority' contains names ('process_num')"},
	{name: "autostart", conf: minimal + "[program:x]\ncommand=a\nautostart=maybe\n", wantErr: "not a valid boolean value: 'maybe' in section 'program:x' (file: "},
	{name: "autorestart", conf: minimal + "[program:x]\ncommand=a\nautorestart=Maybe\n", wantErr: "invalid 'autorestart' value 'maybe'"},
	{name: "autorestart values", conf: minimal + "[program:a]\ncommand=a\nautorestart=TRUE\n[program:b]\ncommand=b\nautorestart=off\n[program:c]\ncommand=c\nautorestart=Unexpected\n"},
	{name: "startsecs", conf: minimal + "[program:x]\ncommand=a\nstartsecs=1s\n", wantErr: "'1s' in section 'program:x'"},
	{name: "startsecs process_num", conf: minimal + "[program:x]\ncommand=a\nstartsecs=%(process_num)s\n", wantErr: "for 'program:x.startsecs' contains names ('process_num')"},
	{name: "startretries", conf: minimal + "[program:x]\ncommand=a\nstartretries=x\n", wantErr: "invalid literal"},
	{name: "stopsignal name", conf: minimal + "[program:x]\ncommand=a\nstopsignal=FOO\n", wantErr: "value 'FOO' is not a valid signal name"},
	{name: "stopsignal number", conf: minimal + "[program:x]\ncommand=a\nstopsignal=65\n", wantErr: "value '65' is not a valid signal number"},
	{name: "stopsignal 35", conf: minimal + "[program:x]\ncommand=a\nstopsignal=35\n", wantErr: "not a valid signal number"},
	{name: "stopsignals", conf: minimal + "[program:a]\ncommand=a\nstopsignal= hup \n[program:b]\ncommand=b\nstopsignal=sigKill\n[program:c]\ncommand=c\nstopsignal=0\n[program:d]\ncommand=d\nstopsignal=_dfl\n[program:e]\ncommand=e\nstopsignal=rtmax\n[program:f]\ncommand=f\nstopsignal=iot\n"},
	{name: "stopwaitsecs", conf: minimal + "[program:x]\ncommand=a\nstopwaitsecs=x\n", wantErr: "invalid literal"},
	{name: "stopasgroup", conf: minimal + "[program:x]\ncommand=a\nstopasgroup=x\n", wantErr: "not a valid boolean"},
	{name: "killasgroup", conf: minimal + "[program:x]\ncommand=a\nkillasgroup=x\n", wantErr: "not a valid boolean"},
	{name: "stopasgroup without killasgroup", conf: minimal + "[program:x]\ncommand=a\nstopasgroup=true\nkillasgroup=false\n", wantErr: "Cannot set stopasgroup=true and killasgroup=false"},
	{name: "killasgroup default", conf: minimal + "[program:x]\ncommand=a\nstopasgroup=true\n[program:y]\ncommand=y\nkillasgroup=true\n"},
	{name: "exitcodes range", conf: minimal + "[program:x]\ncommand=a\nexitcodes=256\n", wantErr: "not a valid list of exit codes: '256'"},
	{name: "exitcodes trailing", conf: minimal + "[program:x]\ncommand=a\nexitcodes=0,\n", wantErr: "not a valid list of exit codes: '0,'"},
	{name: "exitcodes empty", conf: minimal + "[program:x]\ncommand=a\nexitcodes=\n[program:y]\ncommand=y\nexitcodes= 1 , 2,255\n"},
	{name: "redirect_stderr", conf: minimal + "[program:x]\ncommand=a\nredirect_stderr=x\n", wantErr: "not a valid boolean"},
	{name: "numprocs", conf: minimal + "[program:x]\ncommand=a\nnumprocs=x\n", wantErr: "invalid literal"},
	{name: "numprocs_start", conf: minimal + "[program:x]\ncommand=a\nnumprocs_start=x\n", wantErr: "invalid literal"},
	{name: "numprocs process_name", conf: minimal + "[program:m]\ncommand=a\nnumprocs=2\n", wantErr: "%(process_num) must be present within process_name when numprocs > 1 in section 'program:m'"},
	{name: "numprocs zero", conf: minimal + "[program:m]\ncommand=a\nnumprocs=0\n"},
	{name: "numprocs sorting", conf: minimal + "[program:m]\ncommand=a %(process_num)d\nnumprocs=12\nprocess_name=m_%(process_num)d\nnumprocs_start=-2\n"},
	{name: "process_name invalid", conf: minimal + "[program:x]\ncommand=a\nprocess_name=a b\n", wantErr: "Invalid name: 'a b'"},
	{name: "process_name badly formatted", conf: minimal + "[program:x]\ncommand=a\nprocess_name=%(process_num)d_%(program_name)d\n", wantErr: "for 'process_name' is badly formatted: %d format: a real number is required, not str"},
	{name: "process_name not revalidated", conf: minimal + "[program:x]\ncommand=a\nprocess_name=%(ENV_GSUP_TEST_PCT)s\n"},
	{name: "capture maxbytes", conf: minimal + "[program:x]\ncommand=a\nstdout_capture_maxbytes=x\n", wantErr: "invalid literal"},
	{name: "events enabled", conf: minimal + "[program:x]\ncommand=a\nstderr_events_enabled=x\n", wantErr: "not a valid boolean"},
	{name: "program user", conf: minimal + "[program:x]\ncommand=a\nuser=nosuchuser-gsup\n", wantErr: "Invalid user name nosuchuser-gsup in section"},
	{name: "program umask", conf: minimal + "[program:x]\ncommand=a\numask=9\n", wantErr: "9 can not be converted to an octal type in section"},
	{name: "program environment", conf: minimal + "[program:x]\ncommand=a\nenvironment=A=1 B=2\n", wantErr: "Unexpected end of key/value pairs in value 'A=1 B=2' in section"},
	{name: "program environment name", conf: minimal + "[program:x]\ncommand=a\nenvironment=A=%(nope)s\n", wantErr: "for 'environment' contains names ('nope')"},
	{name: "directory expansion", conf: minimal + "[program:x]\ncommand=a\ndirectory=%(nope)s\n", wantErr: "for 'program:x.directory' contains names ('nope')"},
	{name: "stdout_logfile dir", conf: minimal + "[program:x]\ncommand=a\nstdout_logfile=/nonexistent-gsup/x.log\n", wantErr: "The directory named as part of the path /nonexistent-gsup/x.log does not exist in section"},
	{name: "stdout_logfile double expansion", conf: minimal + "[program:x]\ncommand=a\nstdout_logfile=%(here)s/100%%.log\n", wantErr: "for 'stdout_logfile' is badly formatted"},
	{name: "logfile backups", conf: minimal + "[program:x]\ncommand=a\nstdout_logfile_backups=x\n", wantErr: "invalid literal"},
	{name: "logfile maxbytes", conf: minimal + "[program:x]\ncommand=a\nstderr_logfile_maxbytes=1TB\n", wantErr: "invalid literal for int() with base 10: '1tb'"},
	{name: "logfile syslog flag", conf: minimal + "[program:x]\ncommand=a\nstdout_syslog=x\n", wantErr: "not a valid boolean"},
	{name: "no command", conf: minimal + "[program:x]\n", wantErr: "program section program:x does not specify a command in section 'program:x'"},
	{name: "command key error", conf: minimal + "[program:x]\ncommand=%(process_num)d %(nope)s\n", wantErr: "for 'program:x.command' contains names ('nope') which cannot be expanded. Available names: ENV_"},
	{name: "command incomplete", conf: minimal + "[program:x]\ncommand=50%\n", wantErr: "is badly formatted: incomplete format in section"},
	{name: "command incomplete key", conf: minimal + "[program:x]\ncommand=%(program_name\n", wantErr: "incomplete format key"},
	{name: "command unsupported", conf: minimal + "[program:x]\ncommand=%(program_name)y\n", wantErr: "unsupported format character 'y' (0x79) at index 15"},
	{name: "command quotes in value", conf: minimal + "[program:x]\ncommand=it's \"%(program_name)s\" \\ %(ENV_GSUP_TEST_PCT)s\n"},
	{name: "serverurl expansion", conf: minimal + "[program:x]\ncommand=a\nserverurl=%(nope)s\n", wantErr: "for 'program:x.serverurl'"},

	// [eventlistener:x]
	{name: "listener events", conf: minimal + "[eventlistener:l]\ncommand=a\n", wantErr: "[eventlistener:l] section requires an \"events\" line"},
	{name: "listener unknown event", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=FOO\n", wantErr: "Unknown event type FOO in [eventlistener:l] events"},
	{name: "listener empty event", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=,\n", wantErr: "Unknown event type  in [eventlistener:l] events"},
	{name: "listener buffer_size", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=TICK_5\nbuffer_size=0\n", wantErr: "[eventlistener:l] section sets invalid buffer_size (0)"},
	{name: "listener buffer_size int", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=TICK_5\nbuffer_size=x\n", wantErr: "invalid literal"},
	{name: "listener result_handler", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=TICK_5\nresult_handler=nosuch.module:func\n", wantErr: "nosuch.module:func cannot be resolved within [eventlistener:l]"},
	{name: "listener redirect", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=TICK_5\nredirect_stderr=true\n", wantErr: "[eventlistener:l] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol"},
	{name: "listener priority", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=TICK_5\npriority=x\n", wantErr: "invalid literal"},
	{name: "listener name", conf: minimal + "[eventlistener:l b]\ncommand=a\nevents=TICK_5\n", wantErr: "Invalid name: 'l b' because of character: ' ' in section 'eventlistener:l b'"},
	{name: "listener all events", conf: minimal + "[eventlistener:l]\ncommand=a\nevents=" + strings.Join(EventTypeNames(), ",") + "\npriority=3\n[eventlistener:m]\ncommand=m\nevents=tick_5\n"},

	// [fcgi-program:x]
	{name: "fcgi socket", conf: minimal + "[fcgi-program:f]\ncommand=a\n", wantErr: "[fcgi-program:f] section requires a \"socket\" line"},
	{name: "fcgi socket empty", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=\n", wantErr: "requires a \"socket\" line"},
	{name: "fcgi relative", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix://rel.sock\n", wantErr: "('Unix socket path %s is not an absolute path', 'rel.sock') in [fcgi-program:f] socket"},
	{name: "fcgi bad format", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=udp://x:1\n", wantErr: "('Bad socket format %s', 'udp://x:1') in [fcgi-program:f] socket"},
	{name: "fcgi port", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=tcp://h:0\n", wantErr: "0 is below lower bound (1) in [fcgi-program:f] socket"},
	{name: "fcgi owner tcp", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=tcp://h:1\nsocket_mode=0600\n", wantErr: "socket_owner and socket_mode params should only be used with a Unix domain socket in [fcgi-program:f] socket"},
	{name: "fcgi backlog", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=tcp://h:1\nsocket_backlog=0\n", wantErr: "Invalid socket_backlog value 0"},
	{name: "fcgi backlog int", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=tcp://h:1\nsocket_backlog=x\n", wantErr: "invalid literal"},
	{name: "fcgi owner", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix:///tmp/f.sock\nsocket_owner=nosuchuser-gsup\n", wantErr: "Invalid socket_owner value nosuchuser-gsup"},
	{name: "fcgi mode", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix:///tmp/f.sock\nsocket_mode=9\n", wantErr: "Invalid socket_mode value 9"},
	{name: "fcgi user", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix:///tmp/f.sock\nuser=nosuchuser-gsup\n", wantErr: "Invalid user name nosuchuser-gsup"},
	{name: "fcgi name", conf: minimal + "[fcgi-program:f:g]\ncommand=a\nsocket=unix:///tmp/f.sock\n", wantErr: "Invalid name: 'f:g'"},
	{name: "fcgi socket expansion", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix:///tmp/%(process_num)s.sock\n", wantErr: "for 'fcgi-program:f.socket' contains names ('process_num')"},
	{name: "fcgi ok", conf: minimal + "[fcgi-program:f]\ncommand=a\nsocket=unix:///tmp/%(program_name)s/../f.sock\nsocket_owner=nobody:nogroup\n[fcgi-program:g]\ncommand=g\nsocket=tcp://*:9\n"},

	// servers
	{name: "inet no port", conf: minimal + "[inet_http_server]\n", wantErr: "section [inet_http_server] has no port value"},
	{name: "inet port 0", conf: minimal + "[inet_http_server]\nport=0\n", wantErr: "not a valid port number: '0' "},
	{name: "inet port high", conf: minimal + "[inet_http_server]\nport=h:70000\n", wantErr: "70000 is above upper bound (65535)"},
	{name: "inet port low", conf: minimal + "[inet_http_server]\nport=h:0\n", wantErr: "0 is below lower bound (1)"},
	{name: "inet port text", conf: minimal + "[inet_http_server]\nport=h:abc\n", wantErr: "invalid literal for int() with base 10: 'abc'"},
	{name: "inet no port number", conf: minimal + "[inet_http_server]\nport=host:\n", wantErr: "no port number specified in ''"},
	{name: "inet half auth", conf: minimal + "[inet_http_server]\nport=1\nusername=u\n", wantErr: "Section [inet_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified"},
	{name: "inet password only", conf: minimal + "[inet_http_server:x]\nport=1\npassword=p\n", wantErr: "Section [inet_http_server:x] contains incomplete authentication"},
	{name: "inet here", conf: minimal + "[inet_http_server]\nport=1\nusername=%(here)s\npassword=p\n", wantErr: "for 'inet_http_server.username' contains names ('here')"},
	{name: "inet prefix sections", conf: minimal + "[inet_http_serverX]\nport=[::1]:9\n[inet_http_server]\nport=%(ENV_GSUP_TEST_PRIO)s\n"},
	{name: "unix no file", conf: minimal + "[unix_http_server]\n", wantErr: "section [unix_http_server] has no file value"},
	{name: "unix chmod", conf: minimal + "[unix_http_server]\nfile=/tmp/x.sock\nchmod=9\n", wantErr: "Invalid chmod value 9"},
	{name: "unix chown", conf: minimal + "[unix_http_server]\nfile=/tmp/x.sock\nchown=nosuchuser-gsup\n", wantErr: "Invalid sockchown value nosuchuser-gsup"},
	{name: "unix chown group", conf: minimal + "[unix_http_server]\nfile=/tmp/x.sock\nchown=nobody:nosuchgroup-gsup\n", wantErr: "Invalid sockchown value nobody:nosuchgroup-gsup"},
	{name: "unix half auth", conf: minimal + "[unix_http_server]\nfile=/tmp/x.sock\npassword=p\n", wantErr: "Section [unix_http_server] contains incomplete authentication"},
	{name: "unix ok", conf: minimal + "[unix_http_server]\nfile=~/x.sock\nchown=0:0\nchmod=0o600\n"},

	// files named in errors, unicode, misc
	{name: "error in included section", conf: minimal + "[include]\nfiles=inc/*.conf\n", files: map[string]string{"inc/a.conf": "[program:x]\ncommand=a\nautostart=maybe\n"}, wantErr: "inc/a.conf')"},
	{name: "error in merged section", conf: minimal + "[include]\nfiles=inc/*.conf\n[program:x]\ncommand=a\n", files: map[string]string{"inc/a.conf": "[program:x]\nautostart=maybe\n"}, wantErr: "supervisord.conf')"},
	{name: "supervisord env not yet for options", conf: minimal + "identifier=%(ENV_LATE)s\nenvironment=LATE=1\n", wantErr: "contains names ('ENV_LATE')"},
	{name: "unicode", conf: minimal + "[program:café]\ncommand=/bin/ünï %(program_name)s\nÄutostart=false\nenvironment=A=é,B=xéy\n", wantErr: "Unexpected end"},
	{name: "unicode ok", conf: minimal + "[program:café]\ncommand=/bin/ünï %(program_name)s\nÄUTOSTART=false\n"},
	{name: "numprocs expansions", conf: minimal + "[program:n]\ncommand=%(numprocs)d %(process_num)d\nprocess_name=n%(process_num)02d-of-%(numprocs)d\nnumprocs=3\nnumprocs_start=98\n"},
	{name: "include in included file", conf: minimal + "[include]\nfiles=inc/a.conf\n", files: map[string]string{"inc/a.conf": "[include]\nfiles=b.conf\n[program:a]\ncommand=a\n", "inc/b.conf": "[program:b]\ncommand=b\n"}},
	{name: "unix file expansion", conf: minimal + "[unix_http_server]\nfile=%(program_name)s\n", wantErr: "for 'unix_http_server.file' contains names ('program_name')"},
	{name: "tabs and formfeeds", conf: minimal + "[program:x]\ncommand\t=\ta\tb\t\nautostart\f=\ffalse\n"},

	// [DEFAULT]
	{name: "default applies everywhere", conf: "[DEFAULT]\nautostart=maybe\n" + minimal + "[program:x]\ncommand=a\n", wantErr: "not a valid boolean value: 'maybe' in section 'program:x'"},
	{name: "default values", conf: "[DEFAULT]\nstartsecs=7\ncommand=default\n" + minimal + "[program:x]\n[program:y]\ncommand=y\nstartsecs=1\n"},
	// gsupervisor's options: 4.2.5 ignores them and parses the rest alike.
	{name: "gsupervisor options", conf: minimal + "[include]\nfiles=new-options.programs.ini\n",
		files: map[string]string{"new-options.programs.ini": newOptionsFile()}},
	{name: "default section merged", conf: "[DEFAULT]\nstartsecs=7\n" + minimal + "[DEFAULT]\nstartretries=9\n[program:x]\ncommand=a\n"},
	// An option set twice (strict=False): the later value, also across a
	// section given twice and across an included file.
	{name: "option set twice", conf: minimal + "[program:x]\ncommand=a\nstartsecs=3\ncommand=b\n[program:y]\ncommand=y\n[program:x]\nstartsecs=4\n"},
	{name: "option set again in an include", conf: "[DEFAULT]\nstartsecs=7\n" + minimal + "[program:x]\ncommand=a\n[include]\nfiles=again.conf\n",
		files: map[string]string{"again.conf": "[program:x]\ncommand=b\n[DEFAULT]\nstartsecs=8\n"}},
	// No '%': the value is its own expansion (even one with a parenthesis
	// or an 's' after a would-be name).
	{name: "values without a percent sign", conf: minimal + "[program:x]\ncommand=/bin/echo (here)s $HOME\ndirectory=/tmp/(x)\n"},
}

// TestDifferentialInline compares Load with the real parser on the inline
// configurations above: the exact error text, or every parsed field.
func TestDifferentialInline(t *testing.T) {
	testutil.RequirePython(t)
	setTestEnv(t)
	dir := t.TempDir()
	paths := make([]string, len(differentialCases))
	for i, c := range differentialCases {
		cdir := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(c.name))
		paths[i] = writeConf(t, cdir, "supervisord.conf", c.conf)
		for name, text := range c.files {
			writeConf(t, cdir, name, text)
		}
	}
	want := pythonDump(t, paths...)
	for i, c := range differentialCases {
		t.Run(c.name, func(t *testing.T) {
			w := want[i]
			if crash, ok := w["crash"]; ok {
				t.Fatalf("the real parser crashed: %v", crash)
			}
			msg, isErr := w["error"].(string)
			switch {
			case c.wantErr == "" && isErr:
				t.Fatalf("the real parser rejects the configuration: %s", msg)
			case c.wantErr != "" && !isErr:
				t.Fatalf("the real parser accepts the configuration, want an error containing %q", c.wantErr)
			case isErr && !strings.Contains(msg, c.wantErr):
				t.Fatalf("the real parser says %q, want it to contain %q", msg, c.wantErr)
			}
			cfg, err := Load(paths[i], Overrides{})
			if isErr {
				if err == nil {
					t.Fatalf("Load succeeded, want error %q", msg)
				}
				if err.Error() != msg {
					t.Fatalf("error text differs\nwant: %q\ngot:  %q", msg, err.Error())
				}
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error is %T, want *Error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			for _, d := range jsonDiff("", map[string]any(w), goDump(t, cfg)) {
				t.Error(d)
			}
		})
	}
}

// TestDifferentialMissingFiles compares the messages for a missing file and
// a file that cannot be read.
func TestDifferentialMissingFiles(t *testing.T) {
	testutil.RequirePython(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.conf")
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths := []string{missing, filepath.Join(dir, "adir")}
	want := pythonDump(t, paths...)
	for i, p := range paths {
		_, err := Load(p, Overrides{})
		if err == nil || err.Error() != want[i]["error"] {
			t.Errorf("Load(%s) = %v, want %v", p, err, want[i]["error"])
		}
	}
}

// TestInlineCases checks the same table without Python: every broken
// configuration fails with a message containing the expected text (the
// differential test above pins the whole text), every valid one loads.
func TestInlineCases(t *testing.T) {
	setTestEnv(t)
	dir := t.TempDir()
	for i, c := range differentialCases {
		cdir := filepath.Join(dir, strconv.Itoa(i))
		path := writeConf(t, cdir, "supervisord.conf", c.conf)
		for name, text := range c.files {
			writeConf(t, cdir, name, text)
		}
		_, err := Load(path, Overrides{})
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantErr != "" && err == nil:
			t.Errorf("%s: loaded, want an error containing %q", c.name, c.wantErr)
		case c.wantErr != "" && !strings.Contains(err.Error(), c.wantErr):
			t.Errorf("%s: error %q does not contain %q", c.name, err.Error(), c.wantErr)
		}
	}
}

// newOptionsFile is testdata/new-options.programs.ini (read when the table
// is built; a missing file fails the cases that use it).
func newOptionsFile() string {
	b, _ := os.ReadFile("testdata/new-options.programs.ini")
	return string(b)
}
