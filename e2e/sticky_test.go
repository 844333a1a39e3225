//go:build e2e

package e2e

import (
	"os"
	"strings"
	"syscall"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

const stickyConf = `
[program:web]
command=sleep 1000
startsecs=0

[program:db]
command=sleep 1001
startsecs=0
`

// TestDisableSurvivesReloadAndKill: a disabled program stays stopped
// across start, update, reload and a restart of a daemon killed with
// SIGKILL, and runs again once enabled.
func TestDisableSurvivesReloadAndKill(t *testing.T) {
	d := startDaemon(t, stickyConf)
	d.waitState("web", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	gcExpect(t, d.gcCtl("disable", "web"), d.dir, "disable web", "web: stopped\nweb: disabled\n", 0)
	gcExpect(t, d.gcCtl("start", "web"), d.dir, "start web", "web: ERROR (disabled)\n", 7)
	gcExpect(t, d.gcCtl("start", "all"), d.dir, "start all", "", 0)
	if js := d.gcCtl("status", "-o", "json", "web").stdout; !strings.Contains(js, `"disabled": true`) || !strings.Contains(js, `"state": "STOPPED"`) {
		t.Errorf("status -o json web:\n%s", js)
	}
	// update re-creates the changed group: it stays off.
	os.WriteFile(d.conf, []byte(configBody(strings.Replace(stickyConf, "sleep 1000", "sleep 1002", 1))), 0o644)
	gcExpect(t, d.gcCtl("update"), d.dir, "update", "web: stopped\nweb: updated process group\n", 0)
	d.expectDisabledStopped("after update")
	// reload: the daemon restarts in place.
	gcExpect(t, d.gcCtl("reload"), d.dir, "reload", "Restarted supervisord\n", 0)
	d.waitState("db", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.expectDisabledStopped("after reload")
	// SIGKILL: nothing is written at exit; the setting was already on disk.
	dbPid := d.waitState("db", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING).GetPid()
	d.cmd.Process.Signal(syscall.SIGKILL)
	<-d.exited
	syscall.Kill(int(dbPid), syscall.SIGKILL) // the orphan the killed daemon left
	d.start()
	d.waitState("db", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.expectDisabledStopped("after SIGKILL and a new daemon")
	gcExpect(t, d.gcCtl("enable", "web"), d.dir, "enable web", "web: started\nweb: enabled\n", 0)
	if js := d.gcCtl("status", "-o", "json", "web").stdout; !strings.Contains(js, `"disabled": false`) || !strings.Contains(js, `"state": "RUNNING"`) {
		t.Errorf("after enable:\n%s", js)
	}
	gcExpect(t, d.gcCtl("disable", "nope"), d.dir, "disable nope", "nope: ERROR (no such program)\n", 2)
	// REST.
	if out := d.curl("-X", "POST", "-d", `{"wait": true}`, "http://localhost/v1/programs/web:disable"); !strings.Contains(out, `"programs":["web"]`) {
		t.Errorf("REST disable: %s", out)
	}
	if out := d.curl("-X", "POST", "-d", `{}`, "http://localhost/v1/programs/web:enable"); !strings.Contains(out, `"programs":["web"]`) {
		t.Errorf("REST enable: %s", out)
	}
}

// expectDisabledStopped checks that web is disabled, STOPPED and was not
// started.
func (d *daemon) expectDisabledStopped(when string) {
	d.t.Helper()
	r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "web"})
	if err != nil {
		d.t.Fatal(err)
	}
	p := r.GetProcess()
	if !p.GetDisabled() || p.GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED || p.GetPid() != 0 {
		d.t.Errorf("%s: web disabled=%v %s", when, p.GetDisabled(), p.GetState())
	}
}

// TestScaleThenUpdate: scale up and down, then reread/update: the runtime
// numprocs holds while the file's numprocs is unchanged, and the file
// wins once edited.
func TestScaleThenUpdate(t *testing.T) {
	programs := `
[program:w]
command=sleep 1000
process_name=w_%(process_num)d
numprocs=2
startsecs=0
`
	d := startDaemon(t, programs)
	d.waitState("w:w_1", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	gcExpect(t, d.gcCtl("scale", "w", "4"), d.dir, "scale w 4",
		"w:w_2: started\nw:w_3: started\nw: scaled from 2 to 4 processes (the file says 2)\n", 0)
	d.waitState("w:w_3", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	gcExpect(t, d.gcCtl("scale", "w:*", "3"), d.dir, "scale w:* 3",
		"w:w_3: stopped\nw: scaled from 4 to 3 processes (the file says 2)\n", 0)
	gcExpect(t, d.gcCtl("reread"), d.dir, "reread", "No config updates to processes\n", 0)
	gcExpect(t, d.gcCtl("update"), d.dir, "update", "", 0)
	if n := len(mustList(t, d)); n != 3 {
		t.Errorf("%d processes after update", n)
	}
	// The operator edits the file's numprocs: it wins.
	os.WriteFile(d.conf, []byte(configBody(strings.Replace(programs, "numprocs=2", "numprocs=1", 1))), 0o644)
	gcExpect(t, d.gcCtl("reread"), d.dir, "reread", "w: changed\n", 0)
	r := d.gcCtl("update")
	if r.code != 0 || !strings.HasSuffix(r.stdout, "w: updated process group\n") {
		t.Errorf("update: %d %q", r.code, r.stdout)
	}
	d.waitState("w:w_0", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	if n := len(mustList(t, d)); n != 1 {
		t.Errorf("%d processes after the edit", n)
	}
	// REST and the usage errors.
	if out := d.curl("-X", "POST", "-d", `{"numprocs": 2}`, "http://localhost/v1/programs/w:scale"); !strings.Contains(out, `"previous_numprocs":1`) || !strings.Contains(out, `"numprocs":2`) {
		t.Errorf("REST scale: %s", out)
	}
	gcExpect(t, d.gcCtl("scale", "w"), d.dir, "scale w", "Error: scale requires a group name and a number of processes\n"+
		"scale <gname> <n>\t\tRun n processes of a numprocs program now\n\t\t\t\t(new ones take the next process_num; the highest stop first)\n", 2)
	gcExpect(t, d.gcCtl("scale", "nope", "2"), d.dir, "scale nope 2", "nope: ERROR (no such group)\n", 2)
	gcExpect(t, d.gcCtl("scale", "w", "-1"), d.dir, "scale w -1", "w: ERROR (numprocs -1 is out of range (0 to 10000))\n", 2)
}

// TestRealLoadsEveryNewOption is the differential check of the new
// options: Supervisor 4.2.5 runs a configuration that uses every one of
// them (ignoring them), and so does our daemon (honouring them).
func TestRealLoadsEveryNewOption(t *testing.T) {
	b, err := os.ReadFile("../internal/config/testdata/new-options.programs.ini")
	if err != nil {
		t.Fatal(err)
	}
	programs := string(b)
	real := startReal(t, programs, nil)
	ok := testutil.Poll(testutil.Timeout, func() bool {
		r := gcRun(t, gcRealCtl, "", "-c", real.conf, "status")
		return strings.Count(r.stdout, "RUNNING") == 4 && strings.Contains(r.stdout, "migrate                          EXITED")
	})
	if !ok {
		t.Fatalf("4.2.5 does not run the configuration:\n%s", gcRun(t, gcRealCtl, "", "-c", real.conf, "status").stdout)
	}
	d := startDaemon(t, programs)
	d.waitState("db", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	js := d.gcCtl("status", "-o", "json", "migrate").stdout
	if !strings.Contains(js, `"waiting": "waiting for db to be healthy"`) {
		t.Errorf("migrate waits for db:\n%s", js)
	}
}
