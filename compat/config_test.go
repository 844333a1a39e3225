package compat

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
)

const configPrograms = `
[program:sleeper]
command=/bin/sleep 100000
startsecs=0

[program:manual]
command=/bin/sleep 100000
autostart=false

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
autostart=false
directory=/tmp
user=nobody
exitcodes=0,3
stopsignal=HUP

[program:gone]
command=/bin/sleep 100000
autostart=false

[group:grp]
programs=ga
priority=500

[program:ga]
command=/bin/sleep 100000
autostart=false
`

// configByName indexes getAllConfigInfo by process name.
func configByName(t *testing.T, d *testDaemon) map[string]xmlrpc.Struct {
	t.Helper()
	out := map[string]xmlrpc.Struct{}
	var names []string
	for _, c := range d.ok("supervisor.getAllConfigInfo").([]any) {
		s := c.(xmlrpc.Struct)
		n := get(t, s, "name").(string)
		names = append(names, n)
		out[n] = s
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] > names[i] {
			t.Errorf("getAllConfigInfo not sorted by name: %v", names)
		}
	}
	return out
}

func TestConfigMethods(t *testing.T) {
	d := startDaemon(t, configPrograms, false)
	d.waitState("sleeper", "RUNNING")
	cfg := configByName(t, d)
	s := cfg["nolog"]
	if k := keys(s); k != "autostart,directory,uid,command,exitcodes,group,group_prio,inuse,killasgroup,name,process_prio,redirect_stderr,startretries,startsecs,stdout_capture_maxbytes,stdout_events_enabled,stdout_logfile,stdout_logfile_backups,stdout_logfile_maxbytes,stdout_syslog,stopsignal,stopwaitsecs,stderr_capture_maxbytes,stderr_events_enabled,stderr_logfile,stderr_logfile_backups,stderr_logfile_maxbytes,stderr_syslog,serverurl" {
		t.Fatalf("getAllConfigInfo keys: %s", k)
	}
	for k, v := range map[string]any{
		"autostart": false, "directory": "/tmp", "uid": int64(65534), "command": "/bin/sleep 100000",
		"exitcodes": []any{int64(0), int64(3)}, "group": "nolog", "group_prio": int64(999), "inuse": true,
		"killasgroup": false, "process_prio": int64(999), "redirect_stderr": false, "startretries": int64(3),
		"startsecs": int64(1), "stdout_capture_maxbytes": int64(0), "stdout_events_enabled": false,
		"stdout_logfile": "none", "stdout_logfile_backups": int64(10), "stdout_logfile_maxbytes": int64(52428800),
		"stdout_syslog": false, "stopsignal": int64(1), "stopwaitsecs": int64(10), "serverurl": "none",
	} {
		if got := get(t, s, k); !reflect.DeepEqual(got, v) {
			t.Errorf("nolog %s = %s, want %s", k, pyRepr(got), pyRepr(v))
		}
	}
	// Before a reread, the resolved AUTO log paths are shown.
	if lf := get(t, cfg["sleeper"], "stdout_logfile").(string); !strings.HasPrefix(lf, d.Dir) {
		t.Errorf("sleeper stdout_logfile before a reread: %q", lf)
	}
	if get(t, cfg["sleeper"], "directory") != "none" || get(t, cfg["sleeper"], "uid") != "none" || get(t, cfg["ga"], "group") != "grp" || get(t, cfg["ga"], "group_prio") != int64(500) {
		t.Errorf("sleeper/ga: %s %s", pyRepr(cfg["sleeper"]), pyRepr(cfg["ga"]))
	}

	if got := d.ok("supervisor.reloadConfig"); !reflect.DeepEqual(got, []any{[]any{[]any{}, []any{}, []any{}}}) {
		t.Errorf("reloadConfig without changes = %s", pyRepr(got))
	}
	// Edit: add newprog, change manual, remove gone.
	edited := strings.Replace(configPrograms, "[program:gone]\ncommand=/bin/sleep 100000\nautostart=false\n", "[program:newprog]\ncommand=/bin/sleep 100000\nautostart=false\n", 1)
	edited = strings.Replace(edited, "[program:manual]\ncommand=/bin/sleep 100000", "[program:manual]\ncommand=/bin/sleep 99999", 1)
	d.WriteConfig(edited)
	want := []any{[]any{[]any{"newprog"}, []any{"manual"}, []any{"gone"}}}
	if got := d.ok("supervisor.reloadConfig"); !reflect.DeepEqual(got, want) {
		t.Errorf("reloadConfig = %s, want %s", pyRepr(got), pyRepr(want))
	}
	cfg = configByName(t, d)
	if _, ok := cfg["gone"]; ok {
		t.Errorf("getAllConfigInfo still lists gone after the reread")
	}
	if n := cfg["newprog"]; n == nil || get(t, n, "inuse") != false || get(t, n, "stdout_logfile") != "auto" {
		t.Errorf("newprog after the reread: %s", pyRepr(cfg["newprog"]))
	}

	d.fault(10, "BAD_NAME: nope", "supervisor.addProcessGroup", "nope")
	if v := d.ok("supervisor.addProcessGroup", "newprog"); v != true {
		t.Errorf("addProcessGroup(newprog) = %s", pyRepr(v))
	}
	d.fault(90, "ALREADY_ADDED: newprog", "supervisor.addProcessGroup", "newprog")
	if st := get(t, d.info("newprog"), "statename"); st != "STOPPED" {
		t.Errorf("newprog after add: %v", st)
	}
	d.fault(10, "BAD_NAME: nope", "supervisor.removeProcessGroup", "nope")
	d.fault(91, "STILL_RUNNING: sleeper", "supervisor.removeProcessGroup", "sleeper")
	if v := d.ok("supervisor.removeProcessGroup", "newprog"); v != true {
		t.Errorf("removeProcessGroup(newprog) = %s", pyRepr(v))
	}
	d.fault(10, "BAD_NAME: newprog", "supervisor.getProcessInfo", "newprog")

	// A broken file: CANT_REREAD with the parser's message.
	d.WriteConfig(configPrograms + "\n[program:broken]\ncommand=/bin/true\nautostart=maybe\n")
	_, f := d.call("supervisor.reloadConfig")
	if f == nil || f.Code != 92 || !strings.HasPrefix(f.String, "CANT_REREAD: ") || !strings.Contains(f.String, "maybe") {
		t.Errorf("reloadConfig of a broken file: %v", f)
	}
}
