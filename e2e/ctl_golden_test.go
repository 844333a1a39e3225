//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// gcPrograms is the golden scenario's configuration: every kind of
// process state and failure supervisorctl reports. failer and halfsec
// must die before startsecs: a minute, so that they do however slow the
// machine.
const gcPrograms = `
[program:sleeper]
command=/bin/sleep 100000
startsecs=0

[program:failer]
command=/bin/sh -c "exit 1"
startretries=0
startsecs=60

[program:multi]
command=/bin/sleep 100000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0

[group:grp]
programs=ga,gb
priority=500

[program:ga]
command=/bin/sleep 100000
startsecs=0

[program:gb]
command=/bin/sleep 100000
priority=10
startsecs=0

[program:printer]
command=/bin/sh -c 'echo out line; echo err line >&2; exec sleep 100000'
startsecs=0

[program:exiter]
command=/bin/sh -c "exit 3"
startsecs=0
autorestart=false

[program:manual]
command=/bin/sleep 100000
autostart=false
startsecs=0

[program:badcmd]
command=/nonexistent/binary --flag
autostart=false

[program:halfsec]
command=/bin/sh -c "sleep 0.3"
autostart=false
startretries=0
startsecs=60

[program:cat]
command=/bin/cat
stdout_logfile=%(here)s/cat.log
autostart=false
startsecs=0

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
autostart=false
`

// gcStatusLine is one status line.
func gcStatusLine(name, state, desc string) string {
	return fmt.Sprintf("%-33s%-10s%s\n", name, state, desc)
}

// gcAvailLine is one avail line.
func gcAvailLine(name, inUse, auto, prio string) string {
	return fmt.Sprintf("%-32s %-9s %-9s %s\n", name, inUse, auto, prio)
}

const (
	gcUp         = "pid <PID>, uptime <UPTIME>"
	gcNotStarted = "Not started"
	gcTooFast    = "Exited too quickly (process log may have details)"
)

var gcFullStatus = gcStatusLine("badcmd", "STOPPED", gcNotStarted) + gcStatusLine("cat", "STOPPED", gcNotStarted) + gcStatusLine("exiter", "EXITED", "<DATE>") +
	gcStatusLine("failer", "FATAL", gcTooFast) + gcStatusLine("grp:ga", "RUNNING", gcUp) + gcStatusLine("grp:gb", "RUNNING", gcUp) +
	gcStatusLine("halfsec", "STOPPED", gcNotStarted) + gcStatusLine("manual", "STOPPED", gcNotStarted) + gcStatusLine("multi:multi_00", "RUNNING", gcUp) +
	gcStatusLine("multi:multi_01", "RUNNING", gcUp) + gcStatusLine("nolog", "STOPPED", gcNotStarted) + gcStatusLine("printer", "RUNNING", gcUp) +
	gcStatusLine("sleeper", "RUNNING", gcUp)

// Help texts as 4.2.5 prints them after a usage error.
const (
	gcStartHelp = "start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\n" +
		"start <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes\n"
	gcStopHelp = "stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\n" +
		"stop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes\n"
	gcRestartHelp = "restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\n" +
		"restart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\n" +
		"Note: restart does not reread config files. For that, see reread and update.\n"
	gcSignalHelp = "signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\n" +
		"signal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes\n"
	gcTailHelp = "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n" +
		"\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr\n"
	gcMaintailHelp = "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n" +
		"maintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n\n"
	gcClearHelp = "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\n" +
		"clear all\t\tClear all process' log files\n"
	gcFgHelp = "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit\n"
)

// gcStartDaemon starts our daemon on the golden configuration and waits
// until every autostart process has settled.
func gcStartDaemon(t *testing.T) *daemon {
	t.Helper()
	d := startDaemon(t, gcPrograms)
	d.gcWaitStatus(gcFullStatus)
	return d
}

// TestCtlGolden runs every command of supervisorctl, with every argument
// form and error path, against our daemon and checks the output and exit
// code of each against 4.2.5's (transcripts in
// reference/supervisor-4.2.5-observed.md §3-§13).
func TestCtlGolden(t *testing.T) {
	d := gcStartDaemon(t)

	t.Run("status", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"status", gcFullStatus, 3},
			{"status all", gcFullStatus, 3},
			{"status sleeper", gcStatusLine("sleeper", "RUNNING", gcUp), 0},
			{"status nope", "nope: ERROR (no such process)\n", 4},
			{"status grp:*", gcStatusLine("grp:ga", "RUNNING", gcUp) + gcStatusLine("grp:gb", "RUNNING", gcUp), 0},
			{"status grp:", gcStatusLine("grp:ga", "RUNNING", gcUp) + gcStatusLine("grp:gb", "RUNNING", gcUp), 0},
			{"status nogroup:*", "nogroup: ERROR (no such group)\n", 4},
			{"status sleeper nope", "nope: ERROR (no such process)\n" + gcStatusLine("sleeper", "RUNNING", gcUp), 4},
			{"status nope manual", "nope: ERROR (no such process)\n" + gcStatusLine("manual", "STOPPED", gcNotStarted), 3},
			{"status failer", gcStatusLine("failer", "FATAL", gcTooFast), 3},
			{"status sleeper multi:multi_00", gcStatusLine("sleeper", "RUNNING", gcUp) + gcStatusLine("multi:multi_00", "RUNNING", gcUp), 0},
			{"status multi", "multi: ERROR (no such process)\n", 4},
			{"status sleeper sleeper", gcStatusLine("sleeper", "RUNNING", gcUp) + gcStatusLine("sleeper", "RUNNING", gcUp), 0},
		})
	})
	t.Run("start-stop-restart", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"start nope", "nope: ERROR (no such process)\n", 1},
			{"start nogroup:*", "nogroup: ERROR (no such group)\n", 2},
			{"start sleeper", "sleeper: ERROR (already started)\n", 0},
			{"start manual", "manual: started\n", 0},
			{"start manual", "manual: ERROR (already started)\n", 0},
			{"start badcmd", "badcmd: ERROR (no such file)\n", 1},
			{"start halfsec", "halfsec: ERROR (spawn error)\n", 7},
			{"start", "Error: start requires a process name\n" + gcStartHelp, 2},
			{"stop nope", "nope: ERROR (no such process)\n", 1},
			{"stop nogroup:*", "nogroup: ERROR (no such group)\n", 1},
			{"stop manual", "manual: stopped\n", 0},
			{"stop manual", "manual: ERROR (not running)\n", 0},
			{"stop", "Error: stop requires a process name\n" + gcStopHelp, 1},
			{"restart nope", "nope: ERROR (no such process)\nnope: ERROR (no such process)\n", 1},
			{"restart sleeper", "sleeper: stopped\nsleeper: started\n", 0},
			{"restart", "Error: restart requires a process name\n" + gcRestartHelp, 1},
			{"stop grp:*", "grp:gb: stopped\ngrp:ga: stopped\n", 0},
			{"start grp:*", "grp:gb: started\ngrp:ga: started\n", 0},
			{"start grp:*", "", 0},
			{"restart grp:ga", "grp:ga: stopped\ngrp:ga: started\n", 0},
			{"stop multi:*", "multi:multi_00: stopped\nmulti:multi_01: stopped\n", 0},
			{"start multi:multi_00 multi:multi_01 sleeper", "multi:multi_00: started\nmulti:multi_01: started\nsleeper: ERROR (already started)\n", 0},
			{"stop nope sleeper", "nope: ERROR (no such process)\nsleeper: stopped\n", 1},
			{"start nope sleeper", "nope: ERROR (no such process)\nsleeper: started\n", 1},
			{"start grp:ga grp:gb", "grp:ga: ERROR (already started)\ngrp:gb: ERROR (already started)\n", 0},
		})
	})
	t.Run("signal", func(t *testing.T) {
		d.t = t
		usage := "Error: signal requires a signal name and a process name\n" + gcSignalHelp
		d.gcSteps([]gcStep{
			{"signal", usage, 1},
			{"signal HUP", usage, 1},
			{"signal CONT sleeper", "sleeper: signalled\n", 0},
			{"signal BOGUS sleeper", "sleeper: ERROR (bad signal name)\n", 1},
			{"signal HUP manual", "manual: ERROR (not running)\n", 7},
			{"signal HUP nope", "nope: ERROR (no such process)\n", 1},
			{"signal CONT grp:*", "grp:gb: signalled\ngrp:ga: signalled\n", 0},
			{"signal 0 sleeper", "sleeper: signalled\n", 0},
			{"signal SIGCONT sleeper", "sleeper: signalled\n", 0},
			{"signal 18 sleeper", "sleeper: signalled\n", 0},
			{"signal HUP nogroup:*", "nogroup: ERROR (no such group)\n", 1},
		})
		r := d.gcCtl("signal", "CONT", "all")
		want := "grp:ga: signalled\ngrp:gb: signalled\nmulti:multi_00: signalled\nmulti:multi_01: signalled\nprinter: signalled\nsleeper: signalled\n"
		if got := gcSortedLines(r.stdout); got != want || r.code != 0 {
			t.Errorf("signal CONT all (sorted):\n%s(exit %d)\nwant:\n%s", got, r.code, want)
		}
	})
	t.Run("pid", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"pid", "<PID>\n", 0},
			{"pid sleeper", "<PID>\n", 0},
			{"pid manual", "0\n", 7},
			{"pid nope", "No such process nope\n", 1},
			{"pid sleeper manual", "<PID>\n0\n", 7},
			{"pid nope sleeper", "No such process nope\n<PID>\n", 1},
			{"pid all", "0\n0\n0\n0\n<PID>\n<PID>\n0\n0\n<PID>\n<PID>\n0\n<PID>\n<PID>\n", 0},
		})
		daemonPid := strings.TrimSpace(d.gcCtl("pid").stdout)
		if daemonPid != fmt.Sprint(d.cmd.Process.Pid) {
			t.Errorf("pid = %s, daemon is %d", daemonPid, d.cmd.Process.Pid)
		}
	})
	t.Run("avail-version", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"avail", gcAvailLine("badcmd", "in use", "manual", "999:999") + gcAvailLine("cat", "in use", "manual", "999:999") +
				gcAvailLine("exiter", "in use", "auto", "999:999") + gcAvailLine("failer", "in use", "auto", "999:999") +
				gcAvailLine("grp:ga", "in use", "auto", "500:999") + gcAvailLine("grp:gb", "in use", "auto", "500:10") +
				gcAvailLine("halfsec", "in use", "manual", "999:999") + gcAvailLine("manual", "in use", "manual", "999:999") +
				gcAvailLine("multi:multi_00", "in use", "auto", "999:999") + gcAvailLine("multi:multi_01", "in use", "auto", "999:999") +
				gcAvailLine("nolog", "in use", "manual", "999:999") + gcAvailLine("printer", "in use", "auto", "999:999") +
				gcAvailLine("sleeper", "in use", "auto", "999:999"), 0},
			{"avail x", "Error: avail accepts no arguments\navail\t\t\tDisplay all configured processes\n", 1},
			{"version", "4.2.5\n", 0},
			{"version x", "Error: version accepts no arguments\nversion\t\t\tShow the version of the remote supervisord process\n", 1},
		})
	})
	t.Run("tail-maintail", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"tail printer", "out line\n\n", 0},
			{"tail printer stderr", "err line\n\n", 0},
			{"tail printer STDERR", "err line\n\n", 0},
			{"tail -5 printer", "line\n\n", 0},
			{"tail -0 printer", "out line\n\n", 0},
			{"tail -4 printer stdout", "ine\n\n", 0},
			{"tail printer extra stderr", "err line\n\n", 0},
			{"tail printer bogus", "Error: bad channel 'bogus'\n", 1},
			{"tail nope", "nope: ERROR (no such process name)\n", 1},
			{"tail", "Error: too few arguments\n" + gcTailHelp, 1},
			{"tail a b c d", "Error: too many arguments\n" + gcTailHelp, 1},
			{"tail -x printer", "Error: bad argument -x\n", 1},
			{"tail -f", "Error: tail requires process name\n", 1},
			{"tail nolog", "nolog: ERROR (no log file)\n", 1},
			{"maintail x", "Error: bad argument x\n", 1},
			{"maintail -x", "Error: bad argument -x\n", 1},
			{"maintail a b", "Error: too many arguments\n" + gcMaintailHelp, 1},
		})
		r := d.gcCtl("maintail", "-20")
		log, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
		if r.code != 0 || len(r.stdout) != 21 || !strings.HasSuffix(string(log), strings.TrimSuffix(r.stdout, "\n")) {
			t.Errorf("maintail -20 = %q (exit %d); log ends %q", r.stdout, r.code, string(log[max(0, len(log)-40):]))
		}
		r = d.gcCtl("maintail")
		if r.code != 0 || len(r.stdout) != 1601 && len(log) >= 1600 {
			t.Errorf("maintail printed %d bytes (exit %d)", len(r.stdout), r.code)
		}
	})
	t.Run("fg-errors", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"fg", "ERROR: no process name supplied\n" + gcFgHelp, 1},
			{"fg nope", "ERROR: bad process name supplied\n", 1},
			{"fg manual", "ERROR: process not running\n", 1},
			{"fg a b", "ERROR: too many process names supplied\n", 1},
		})
	})
	t.Run("clear", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"clear", "Error: clear requires a process name\n" + gcClearHelp, 1},
			{"clear printer", "printer: cleared\n", 0},
			{"tail printer", "\n", 0},
			{"clear nope", "nope: ERROR (no such process)\n", 1},
			{"clear grp:*", "grp:None: ERROR (no such process)\n", 1},
			{"clear printer nope", "printer: cleared\nnope: ERROR (no such process)\n", 1},
		})
		r := d.gcCtl("clear", "all")
		want := "badcmd: cleared\ncat: cleared\nexiter: cleared\nfailer: cleared\ngrp:ga: cleared\ngrp:gb: cleared\nhalfsec: cleared\n" +
			"manual: cleared\nmulti:multi_00: cleared\nmulti:multi_01: cleared\nnolog: cleared\nprinter: cleared\nsleeper: cleared\n"
		if got := gcSortedLines(r.stdout); got != want || r.code != 0 {
			t.Errorf("clear all (sorted):\n%s(exit %d)\nwant:\n%s", got, r.code, want)
		}
	})
	t.Run("help-unknown-open", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{
			{"help help", "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>\n", 0},
			{"help nosuch", "*** No help on nosuch\n", 0},
			{"bogus", "*** Unknown syntax: bogus\n", 1},
			{"bogus arg", "*** Unknown syntax: bogus arg\n", 1},
			{"open", "ERROR: url must be http:// or unix://\n", 1},
			{"open foo://bar", "ERROR: url must be http:// or unix://\n", 1},
		})
		want := gcNormalize(d.gcCtl("status").stdout, d.dir)
		r := d.gcCtl("open", "unix://"+d.sock)
		if got := gcNormalize(r.stdout, d.dir); got != want || r.code != 0 {
			t.Errorf("open: %s (exit %d), want the status\n%s", got, r.code, want)
		}
	})
	t.Run("quit-exit-EOF", func(t *testing.T) {
		d.t = t
		d.gcSteps([]gcStep{{"quit", "\n", 0}, {"exit", "\n", 0}, {"EOF", "\n", 0}})
	})
	t.Run("json", func(t *testing.T) { d.t = t; gcTestJSON(t, d) })
	t.Run("reread-update", func(t *testing.T) { d.t = t; gcTestRereadUpdate(t, d) })
}

// gcSortedLines sorts the lines of s, for commands whose order the daemon
// decides ("all" forms).
func gcSortedLines(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// gcTestJSON checks -o json of every read command: valid JSON with the
// documented fields, and the text mode's exit codes.
func gcTestJSON(t *testing.T, d *daemon) {
	var st struct {
		Processes []map[string]any `json:"processes"`
		Errors    []map[string]any `json:"errors"`
	}
	r := d.gcCtl("status", "-o", "json", "sleeper", "nolog", "nope")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 3 {
		t.Fatalf("status -o json: %v (exit %d)\n%s", err, r.code, r.stdout)
	}
	if len(st.Processes) != 2 || st.Processes[0]["namespec"] != "sleeper" || st.Processes[0]["state"] != "RUNNING" ||
		st.Processes[0]["pid"].(float64) <= 0 || st.Processes[0]["start_time"] == nil ||
		st.Processes[1]["state"] != "STOPPED" || st.Processes[1]["description"] != "Not started" || st.Processes[1]["start_time"] != nil {
		t.Errorf("status -o json processes: %v", st.Processes)
	}
	for _, key := range []string{"name", "group", "namespec", "state", "description", "pid", "start_time", "stop_time",
		"exit_status", "spawn_error", "stdout_logfile", "stderr_logfile"} {
		if _, ok := st.Processes[0][key]; !ok {
			t.Errorf("status -o json lacks %q", key)
		}
	}
	if len(st.Errors) != 1 || st.Errors[0]["name"] != "nope" || st.Errors[0]["error"] != "no such process" {
		t.Errorf("status -o json errors: %v", st.Errors)
	}
	r = d.gcCtl("-o", "json", "status", "nogroup:")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 4 || len(st.Processes) != 0 ||
		st.Errors[0]["name"] != "nogroup" || st.Errors[0]["error"] != "no such group" {
		t.Errorf("global -o json status nogroup: %s (exit %d)", r.stdout, r.code)
	}
	var av struct{ Processes []map[string]any }
	r = d.gcCtl("avail", "--output=json")
	if err := json.Unmarshal([]byte(r.stdout), &av); err != nil || r.code != 0 || len(av.Processes) != 13 {
		t.Fatalf("avail -o json: %v (exit %d)\n%s", err, r.code, r.stdout)
	}
	gb := av.Processes[5]
	if gb["namespec"] != "grp:gb" || gb["in_use"] != true || gb["autostart"] != true || gb["group_priority"].(float64) != 500 ||
		gb["process_priority"].(float64) != 10 {
		t.Errorf("avail -o json grp:gb: %v", gb)
	}
	var pid struct{ PID int }
	r = d.gcCtl("pid", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &pid); err != nil || pid.PID != d.cmd.Process.Pid {
		t.Errorf("pid -o json: %s %v", r.stdout, err)
	}
	var pids struct {
		Processes []struct {
			Namespec string
			PID      int
		}
		Errors []map[string]string
	}
	r = d.gcCtl("pid", "-o", "json", "manual", "nope", "grp:ga")
	if err := json.Unmarshal([]byte(r.stdout), &pids); err != nil || r.code != 1 || len(pids.Processes) != 2 ||
		pids.Processes[0].Namespec != "manual" || pids.Processes[0].PID != 0 || pids.Processes[1].Namespec != "grp:ga" ||
		pids.Processes[1].PID <= 0 || len(pids.Errors) != 1 || pids.Errors[0]["name"] != "nope" {
		t.Errorf("pid -o json names: %s (exit %d) %v", r.stdout, r.code, err)
	}
	var ver map[string]string
	r = d.gcCtl("version", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &ver); err != nil || ver["supervisor_version"] != "4.2.5" || ver["api_version"] != "3.0" || ver["daemon_version"] == "" {
		t.Errorf("version -o json: %s", r.stdout)
	}
	var rr struct {
		Added, Changed, Removed []string
		Revision                string
	}
	r = d.gcCtl("reread", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &rr); err != nil || rr.Added == nil || rr.Changed == nil || rr.Removed == nil ||
		len(rr.Added)+len(rr.Changed)+len(rr.Removed) != 0 {
		t.Errorf("reread -o json: %s (%v)", r.stdout, err)
	}
	d.gcSteps([]gcStep{
		{"status -o yaml", "Error: unknown output format 'yaml' (use text or json)\n", 2},
		{"version -o", "Error: -o requires an output format (text or json)\n", 2},
	})
}

// gcTestRereadUpdate edits the configuration and checks reread, update,
// add and remove (observed §13).
func gcTestRereadUpdate(t *testing.T, d *daemon) {
	d.gcSteps([]gcStep{
		{"reread", "No config updates to processes\n", 0},
		{"reread x", "Error: reread accepts no arguments\nreread \t\t\tReload the daemon's configuration files without add/remove\n", 1},
		{"update", "", 0},
	})
	conf, err := os.ReadFile(d.conf)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(conf), "[program:sleeper]\ncommand=/bin/sleep 100000", "[program:sleeper]\ncommand=/bin/sleep 200000", 1)
	edited = strings.Replace(edited, "[program:exiter]\ncommand=/bin/sh -c \"exit 3\"\nstartsecs=0\nautorestart=false\n", "", 1)
	edited += "\n[program:newprog]\ncommand=/bin/sleep 100000\nstartsecs=0\n\n[program:newmanual]\ncommand=/bin/sleep 100000\nautostart=false\n"
	if err := os.WriteFile(d.conf, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	d.gcSteps([]gcStep{
		{"reread", "exiter: disappeared\nnewmanual: available\nnewprog: available\nsleeper: changed\n", 0},
		{"avail", gcAvailLine("badcmd", "in use", "manual", "999:999") + gcAvailLine("cat", "in use", "manual", "999:999") +
			gcAvailLine("failer", "in use", "auto", "999:999") +
			gcAvailLine("grp:ga", "in use", "auto", "500:999") + gcAvailLine("grp:gb", "in use", "auto", "500:10") +
			gcAvailLine("halfsec", "in use", "manual", "999:999") + gcAvailLine("manual", "in use", "manual", "999:999") +
			gcAvailLine("multi:multi_00", "in use", "auto", "999:999") + gcAvailLine("multi:multi_01", "in use", "auto", "999:999") +
			gcAvailLine("newmanual", "avail", "manual", "999:999") + gcAvailLine("newprog", "avail", "auto", "999:999") +
			gcAvailLine("nolog", "in use", "manual", "999:999") + gcAvailLine("printer", "in use", "auto", "999:999") +
			gcAvailLine("sleeper", "in use", "auto", "999:999"), 0},
		{"update nosuchgroup", "ERROR: no such group: nosuchgroup\n", 1},
		{"update newprog", "newprog: added process group\n", 0},
		{"add newprog", "ERROR: process group already active\n", 0},
		{"add nope", "ERROR: no such process/group: nope\n", 1},
		{"remove nope", "ERROR: no such process/group: nope\n", 1},
		{"remove sleeper", "ERROR: process/group still running: sleeper\n", 1},
		{"update", "exiter: stopped\nexiter: removed process group\nsleeper: stopped\nsleeper: updated process group\nnewmanual: added process group\n", 0},
		{"reread", "No config updates to processes\n", 0},
		{"update", "", 0},
		{"update all", "", 0},
		{"stop newmanual", "newmanual: ERROR (not running)\n", 0},
		{"remove newmanual", "newmanual: removed process group\n", 0},
		{"add newmanual", "newmanual: added process group\n", 0},
		{"status newmanual", gcStatusLine("newmanual", "STOPPED", gcNotStarted), 3},
		{"status exiter", "exiter: ERROR (no such process)\n", 4},
	})
	d.gcWaitStatus(gcStatusLine("sleeper", "RUNNING", gcUp)+gcStatusLine("newprog", "RUNNING", gcUp), "sleeper", "newprog")
	if err := os.WriteFile(d.conf, []byte(edited+"\n[program:broken]\ncommand=/bin/true\nautostart=maybe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := "CANT_REREAD: not a valid boolean value: 'maybe' in section 'program:broken' (file: '<DIR>/supervisord.conf')"
	d.gcSteps([]gcStep{
		{"reread", "ERROR: " + msg + "\n", 1},
		{"update", "error: <class 'xmlrpc.client.Fault'>, <Fault 92: \"" + msg + "\">\n", 1},
	})
	if err := os.WriteFile(d.conf, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCtlFollow checks tail -f, maintail -f (ended by Ctrl-C: an empty
// line, exit 0), the 404 of tail -f for an unknown name, and fg.
func TestCtlFollow(t *testing.T) {
	d := startDaemon(t, `
[program:talker]
command=/bin/sh -c 'i=0; while true; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done'
startsecs=0

[program:cat]
command=/bin/cat
startsecs=0
`)
	d.waitState("talker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("cat", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	testutil.Eventually(t, "talker output", func() bool { return strings.Contains(d.gcCtl("tail", "talker").stdout, "tick 1") })

	before := strings.Count(d.gcCtl("tail", "-0", "talker").stdout, "tick")
	for _, c := range []struct {
		args   []string
		marker string
	}{
		{[]string{"tail", "-f", "talker"}, fmt.Sprintf("tick %d\n", before+3)},
		{[]string{"tail", "-f", "talker", "stderr"}, fmt.Sprintf("err %d\n", before+3)},
		{[]string{"maintail", "-f"}, "stopped: cat"},
	} {
		// Followed output keeps coming; Ctrl-C ends it with an empty line
		// and exit 0.
		var out testutil.Buffer
		cmd := exec.Command(gcOurCtl(), append([]string{"-c", d.conf}, c.args...)...)
		cmd.Stdout, cmd.Stderr = &out, &out
		if c.args[0] == "maintail" {
			// Something for the main log to say once the follow is on.
			go func() {
				if testutil.Poll(testutil.Timeout, func() bool { return strings.Contains(out.String(), "<==\n") }) {
					exec.Command(gcOurCtl(), "-c", d.conf, "restart", "cat").Run()
				}
			}()
		}
		text, code := gcInterruptAfter(t, cmd, &out, c.marker)
		if !strings.HasPrefix(text, "==> Press Ctrl-C to exit <==\n") || !strings.HasSuffix(text, "\n\n") || code != 0 {
			t.Errorf("%q after Ctrl-C (exit %d):\n%q", c.args, code, text)
		}
		// At most 1024 bytes of the existing log come first.
		if c.args[0] == "tail" {
			first := strings.SplitN(strings.TrimPrefix(text, "==> Press Ctrl-C to exit <==\n"), c.marker, 2)[0]
			if len(first) > 1024+200 {
				t.Errorf("%q showed %d bytes of old log", c.args, len(first))
			}
		}
	}

	r := d.gcCtl("tail", "-f", "nope")
	if r.stdout != "==> Press Ctrl-C to exit <==\n" || r.stderr != "unix://"+d.sock+"/logtail/nope/stdout Cannot read, status code 404\n" || r.code != 0 {
		t.Errorf("tail -f nope: %q %q (exit %d)", r.stdout, r.stderr, r.code)
	}

	// fg: typed lines reach the process's stdin; end of input detaches.
	r = d.gcCtlIn("hello cat\n", "fg", "cat")
	if !strings.HasPrefix(r.stdout, "==> Press Ctrl-C to exit <==\n") || !strings.HasSuffix(r.stdout, "Exiting foreground\n") || r.code != 0 {
		t.Errorf("fg cat: %q (exit %d) %s", r.stdout, r.code, r.stderr)
	}
	testutil.Eventually(t, "cat to log what fg sent", func() bool {
		return strings.Contains(d.gcCtl("tail", "cat").stdout, "hello cat")
	})
	// fg shows the process's output live, and Ctrl-C detaches.
	var fgOut testutil.Buffer
	fg := exec.Command(gcOurCtl(), "-c", d.conf, "fg", "talker")
	fg.Stdout, fg.Stderr = &fgOut, &fgOut
	stdin, err := fg.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	// Three lines after those written so far (counted now: the steps above
	// may have taken any time).
	before = strings.Count(d.gcCtl("tail", "-0", "talker").stdout, "tick")
	text, code := gcInterruptAfter(t, fg, &fgOut, fmt.Sprintf("err %d", before+3))
	if !strings.Contains(text, "tick ") || !strings.HasSuffix(text, "Exiting foreground\n") || code != 0 {
		t.Errorf("fg talker after Ctrl-C (exit %d):\n%q", code, text)
	}
	// fg notices the process stopping when a line is typed.
	fgOut = testutil.Buffer{}
	fg = exec.Command(gcOurCtl(), "-c", d.conf, "fg", "cat")
	fg.Stdout, fg.Stderr = &fgOut, &fgOut
	stdin, err = fg.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := fg.Start(); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "fg banner", func() bool { return strings.Contains(fgOut.String(), "==> Press Ctrl-C to exit <==") })
	if r := d.gcCtl("stop", "cat"); r.stdout != "cat: stopped\n" {
		t.Fatalf("stop cat: %q", r.stdout)
	}
	fmt.Fprintln(stdin, "anyone there?")
	if err := fg.Wait(); err != nil {
		t.Errorf("fg exit: %v", err)
	}
	if !strings.HasSuffix(fgOut.String(), "Process got killed\nExiting foreground\n") {
		t.Errorf("fg after the process stopped: %q", fgOut.String())
	}
}

// TestCtlWait checks the wait command: it returns as soon as the state is
// reached (driven by events), times out with exit 1, and rejects bad usage
// with exit 2.
func TestCtlWait(t *testing.T) {
	d := startDaemon(t, `
[program:slow]
command=/bin/sleep 100000
autostart=false
startsecs=1
`)
	d.gcSteps([]gcStep{
		{"wait slow STOPPED", "slow: STOPPED\n", 0},
		// The timeout covers the whole command: it must outlast the calls
		// that read the state on a loaded machine (or the state would be
		// "unknown"), so it is seconds, not a fraction of one.
		{"wait slow running --timeout 3s", "slow: ERROR (timed out waiting for RUNNING; state is STOPPED)\n", 1},
		{"wait nope RUNNING", "nope: ERROR (no such process)\n", 1},
		{"wait slow", "Error: wait requires a process name and a state\n" + gcWaitHelp, 2},
		{"wait slow NAPPING", "Error: bad state 'NAPPING'\n" + gcWaitHelp, 2},
	})
	// Start without waiting (from another client) and wait for RUNNING:
	// STARTING comes first, RUNNING one startsecs later.
	var out testutil.Buffer
	w := exec.Command(gcOurCtl(), "-c", d.conf, "wait", "slow", "RUNNING", "--timeout", "10m")
	w.Stdout, w.Stderr = &out, &out
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Wait() }()
	defer w.Process.Kill() // if it never returns
	if _, err := d.processes().StartProcess(d.ctx(), &gsupervisorv1.StartProcessRequest{Name: "slow"}); err != nil {
		t.Fatal(err)
	}
	if err := testutil.Receive(t, done, "wait slow RUNNING to return"); err != nil || out.String() != "slow: RUNNING\n" {
		t.Errorf("wait slow RUNNING: %v %q", err, out.String())
	}
}

const gcWaitHelp = "wait <name> <state>\t\tWait until a process is in a state (RUNNING, STOPPED, ...)\n" +
	"wait <name> HEALTHY\t\tWait until its probes pass (or UNHEALTHY: until one fails)\n" +
	"wait <name> <state> --timeout 30s\tGive up after a duration (default 30s)\n" +
	"\t\t\t\tExit status: 0 reached, 1 timed out or failed, 2 usage\n"
