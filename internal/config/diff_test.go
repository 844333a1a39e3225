package config

import (
	"reflect"
	"strings"
	"testing"
)

// diffBase is the configuration the Diff tests edit.
const diffBase = minimal + `environment=G=1
[program:web]
command=/bin/web %(process_num)d
process_name=web_%(process_num)d
numprocs=2
user=root
[program:solo]
command=/bin/solo
stdout_logfile=AUTO
[group:grp]
programs=a,b
priority=5
[program:a]
command=/bin/a
[program:b]
command=/bin/b
[eventlistener:ev]
command=/bin/ev
events=TICK_5
[fcgi-program:f]
command=/bin/f
socket=unix:///tmp/gsup-f.sock
`

func loadText(t *testing.T, text string) *Config {
	t.Helper()
	return mustLoad(t, writeConf(t, t.TempDir(), "s.conf", text))
}

func TestDiffAndRevision(t *testing.T) {
	base := loadText(t, diffBase)
	again := loadText(t, diffBase)
	if base.Revision() != again.Revision() {
		t.Fatal("two parses of the same text have different revisions")
	}
	if len(base.Revision()) != 64 {
		t.Fatalf("revision %q is not a hex SHA-256", base.Revision())
	}
	if a, c, r := Diff(base.Groups, again.Groups); a != nil || c != nil || r != nil {
		t.Fatalf("unchanged: %v %v %v", a, c, r)
	}
	cases := []struct {
		name                    string
		from, to                string
		added, changed, removed []string
		changes                 map[string][]OptionChange // per group, when checked
	}{
		{name: "command", from: "command=/bin/solo", to: "command=/bin/solo --v",
			changed: []string{"solo"},
			changes: map[string][]OptionChange{"solo": {{Process: "solo", Option: "command", Old: "/bin/solo", New: "/bin/solo --v"}}}},
		{name: "numprocs", from: "numprocs=2", to: "numprocs=3",
			changed: []string{"web"},
			changes: map[string][]OptionChange{"web": {
				{Option: "numprocs", Old: "2", New: "3"},
				{Option: "processes", Old: "web_0,web_1", New: "web_0,web_1,web_2"},
			}}},
		{name: "global environment", from: "environment=G=1", to: "environment=G=2",
			changed: []string{"ev", "f", "grp", "solo", "web"}},
		{name: "program environment", from: "command=/bin/a\n", to: "command=/bin/a\nenvironment=X=\"a b\"\n",
			changed: []string{"grp"},
			changes: map[string][]OptionChange{"grp": {{Process: "a", Option: "environment", Old: `G="1"`, New: `G="1",X="a b"`}}}},
		{name: "group priority", from: "priority=5", to: "priority=6", changed: []string{"grp"},
			changes: map[string][]OptionChange{"grp": {{Option: "priority", Old: "5", New: "6"}}}},
		{name: "group programs", from: "programs=a,b", to: "programs=b,a", changed: []string{"grp"},
			changes: map[string][]OptionChange{"grp": {
				{Option: "programs", Old: "a,b", New: "b,a"},
				{Option: "processes", Old: "a,b", New: "b,a"},
			}}},
		{name: "group shrinks", from: "programs=a,b", to: "programs=a", added: []string{"b"}, changed: []string{"grp"}},
		{name: "removed", from: "[program:solo]\ncommand=/bin/solo\nstdout_logfile=AUTO\n", to: "", removed: []string{"solo"}},
		{name: "added", from: "[program:solo]", to: "[program:new]\ncommand=/bin/new\n[program:solo]", added: []string{"new"}},
		{name: "renamed", from: "[program:solo]", to: "[program:alone]", added: []string{"alone"}, removed: []string{"solo"}},
		{name: "auto to file", from: "stdout_logfile=AUTO", to: "stdout_logfile=/tmp/solo.log", changed: []string{"solo"},
			changes: map[string][]OptionChange{"solo": {{Process: "solo", Option: "stdout_logfile", Old: "AUTO", New: "/tmp/solo.log"}}}},
		{name: "same uid", from: "user=root", to: "user=0"},
		{name: "other user", from: "user=root", to: "user=nobody", changed: []string{"web"},
			changes: map[string][]OptionChange{"web": {
				{Process: "web_0", Option: "user", Old: "root", New: "nobody"},
				{Process: "web_1", Option: "user", Old: "root", New: "nobody"},
			}}},
		{name: "comment only", from: "command=/bin/b", to: "command=/bin/b ; a comment"},
		{name: "events", from: "events=TICK_5", to: "events=TICK_5,TICK_60", changed: []string{"ev"},
			changes: map[string][]OptionChange{"ev": {{Option: "events", Old: "TICK_5", New: "TICK_5,TICK_60"}}}},
		{name: "buffer", from: "events=TICK_5", to: "events=TICK_5\nbuffer_size=20", changed: []string{"ev"},
			changes: map[string][]OptionChange{"ev": {{Option: "buffer_size", Old: "10", New: "20"}}}},
		{name: "fcgi socket", from: "gsup-f.sock", to: "gsup-g.sock", changed: []string{"f"},
			changes: map[string][]OptionChange{"f": {{Process: "f", Option: "socket", Old: "unix:///tmp/gsup-f.sock", New: "unix:///tmp/gsup-g.sock"}}}},
		{name: "kind", from: "[eventlistener:ev]\ncommand=/bin/ev\nevents=TICK_5", to: "[program:ev]\ncommand=/bin/ev\npriority=-1",
			changed: []string{"ev"}},
		{name: "stopsignal and exitcodes", from: "command=/bin/solo\n", to: "command=/bin/solo\nstopsignal=INT\nexitcodes=0,2\numask=022\n",
			changed: []string{"solo"},
			changes: map[string][]OptionChange{"solo": {
				{Process: "solo", Option: "exitcodes", Old: "0", New: "0,2"},
				{Process: "solo", Option: "stopsignal", Old: "TERM", New: "INT"},
				{Process: "solo", Option: "umask", Old: "", New: "022"},
			}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(diffBase, c.from) {
				t.Fatalf("base has no %q", c.from)
			}
			next := loadText(t, strings.Replace(diffBase, c.from, c.to, 1))
			added, changed, removed := Diff(base.Groups, next.Groups)
			if !reflect.DeepEqual(added, c.added) || !reflect.DeepEqual(changed, c.changed) || !reflect.DeepEqual(removed, c.removed) {
				t.Fatalf("Diff = %v %v %v, want %v %v %v", added, changed, removed, c.added, c.changed, c.removed)
			}
			same := added == nil && changed == nil && removed == nil
			if (base.Revision() == next.Revision()) != same {
				t.Errorf("revision equal = %v, but diff empty = %v", base.Revision() == next.Revision(), same)
			}
			for name, want := range c.changes {
				og, _ := base.Group(name)
				ng, _ := next.Group(name)
				if got := OptionChanges(og, ng); !reflect.DeepEqual(got, want) {
					t.Errorf("OptionChanges(%s) =\n%+v\nwant\n%+v", name, got, want)
				}
			}
			for _, name := range changed {
				og, _ := base.Group(name)
				ng, _ := next.Group(name)
				if len(OptionChanges(og, ng)) == 0 {
					t.Errorf("%s changed without option changes", name)
				}
			}
		})
	}
}

func TestRevisionIgnoresOrderAndFiles(t *testing.T) {
	a := loadText(t, minimal+"[program:x]\ncommand=x\n[program:y]\ncommand=y\n")
	b := loadText(t, minimal+"[program:y]\ncommand=y\n[program:x]\ncommand=x\n")
	if a.Revision() != b.Revision() {
		t.Error("section order changes the revision")
	}
	c := loadText(t, minimal+"[program:y]\ncommand=y\n[program:x]\ncommand=x\npriority=999\nautostart=yes\n")
	if a.Revision() != c.Revision() {
		t.Error("spelling out defaults changes the revision")
	}
	empty := &Config{}
	if empty.Revision() == a.Revision() || len(empty.Revision()) != 64 {
		t.Error("empty revision")
	}
}

func TestOptionChangesEverything(t *testing.T) {
	old := loadText(t, minimal+"[program:x]\ncommand=x\n")
	next := loadText(t, minimal+`[program:x]
command=y
priority=1
autostart=false
autorestart=true
startsecs=2
startretries=4
exitcodes=1
stopsignal=KILL
stopwaitsecs=3
stopasgroup=true
user=nobody
redirect_stderr=true
stdout_logfile=/tmp/o.log
stdout_logfile_maxbytes=1
stdout_logfile_backups=2
stdout_capture_maxbytes=3
stdout_events_enabled=true
stdout_syslog=true
stderr_logfile_maxbytes=1
stderr_logfile_backups=2
stderr_capture_maxbytes=3
stderr_events_enabled=true
stderr_syslog=true
environment=A=1
directory=/tmp
umask=077
serverurl=http://x:1
`)
	og, _ := old.Group("x")
	ng, _ := next.Group("x")
	var names []string
	for _, c := range OptionChanges(og, ng) {
		names = append(names, c.Option)
	}
	want := "priority,command,priority,autostart,autorestart,startsecs,startretries,exitcodes,stopsignal,stopwaitsecs," +
		"stopasgroup,killasgroup,user,redirect_stderr,stdout_logfile,stdout_logfile_maxbytes,stdout_logfile_backups," +
		"stdout_capture_maxbytes,stdout_events_enabled,stdout_syslog,stderr_logfile,stderr_logfile_maxbytes," +
		"stderr_logfile_backups,stderr_capture_maxbytes,stderr_events_enabled,stderr_syslog,environment,directory,umask,serverurl"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("options =\n%s\nwant\n%s", got, want)
	}
}
