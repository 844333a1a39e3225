//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// sampleConf is echo_supervisord_conf's output with its /tmp paths moved
// into dir.
func sampleConf(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command(filepath.Join(binDir, "echo_supervisord_conf")).Output()
	if err != nil {
		t.Fatalf("echo_supervisord_conf: %v", err)
	}
	if !bytes.Contains(out, []byte("\n[supervisord]\n")) || !bytes.Contains(out, []byte("\n;[program:theprogramname]\n")) {
		t.Fatalf("echo_supervisord_conf printed:\n%s", out)
	}
	return strings.ReplaceAll(string(out), "/tmp/", dir+"/")
}

// TestSampleConfBothDaemons: the sample configuration, unchanged but for
// its paths, starts our daemon and the real 4.2.5 supervisord, and each
// supervisorctl reaches its daemon through the [supervisorctl] section.
func TestSampleConfBothDaemons(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	conf := filepath.Join(dir, "supervisord.conf")
	os.WriteFile(conf, []byte(sampleConf(t, dir)), 0o644)
	d := &daemon{t: t, dir: dir, conf: conf, sock: filepath.Join(dir, "supervisor.sock"), out: &testutil.Buffer{}}
	d.start()
	if r := d.gcCtl("version"); r.code != 0 || r.stdout != "4.2.5\n" {
		t.Errorf("our ctl on the sample: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	d.stop()

	testutil.RequireSupervisor(t)
	rdir := testutil.ShortTempDir(t)
	rconf := filepath.Join(rdir, "supervisord.conf")
	os.WriteFile(rconf, []byte(sampleConf(t, rdir)), 0o644)
	real := exec.Command(testutil.Python, testutil.Supervisord, "-c", rconf, "-n")
	var out testutil.Buffer
	real.Stdout, real.Stderr = &out, &out
	exited := testutil.StartDaemon(t, real)
	testutil.Eventually(t, "the real supervisord on the sample", func() bool {
		select {
		case <-exited:
			t.Fatalf("the real supervisord refused the sample:\n%s", out.String())
		default:
		}
		r, err := gcRunErr(gcRealCtl, "", "-c", rconf, "version")
		return err == nil && r.code == 0 && r.stdout == "4.2.5\n"
	})
}

// TestSampleConfFromAPipe: `supervisord -c <(echo_supervisord_conf)`
// works in the foreground and daemonized, where the background daemon
// cannot open the shell's pipe again; a SIGHUP re-reads it.
func TestSampleConfFromAPipe(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash for <(...)")
	}
	dir := testutil.ShortTempDir(t)
	sub := "<(" + filepath.Join(binDir, "echo_supervisord_conf") + " | sed 's,/tmp/," + dir + "/,g')"
	sd := filepath.Join(binDir, "supervisord")
	cmd := exec.Command("bash", "-c", sd+" -c "+sub)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("daemonized on a pipe: %v\n%s", err, out)
	}
	pidfile := filepath.Join(dir, "supervisord.pid")
	pid := readPid(t, pidfile)
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	ctl := func(args ...string) gcResult {
		return gcRun(t, gcOurCtl(), "", append([]string{"-s", "unix://" + filepath.Join(dir, "supervisor.sock")}, args...)...)
	}
	if r := ctl("version"); r.code != 0 {
		t.Fatalf("ctl version: %+v", r)
	}
	syscall.Kill(pid, syscall.SIGHUP)
	logPath := filepath.Join(dir, "supervisord.log")
	testutil.Eventually(t, "the restart on the kept configuration", func() bool {
		b, _ := os.ReadFile(logPath)
		return strings.Count(string(b), "supervisord started with pid "+strconv.Itoa(pid)) == 2
	})
	syscall.Kill(pid, syscall.SIGTERM)
	testutil.Eventually(t, "the daemon to exit", func() bool { return !testutil.Alive(pid) })

	// In the foreground.
	fg := exec.Command("bash", "-c", "exec "+sd+" -n -c "+sub)
	var out testutil.Buffer
	fg.Stdout, fg.Stderr = &out, &out
	done := testutil.StartDaemon(t, fg)
	testutil.Eventually(t, "the foreground daemon", func() bool {
		r, err := gcRunErr(gcOurCtl(), "", "-s", "unix://"+filepath.Join(dir, "supervisor.sock"), "version")
		return err == nil && r.code == 0
	})
	fg.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(testutil.Timeout):
		t.Fatalf("the foreground daemon did not stop:\n%s", out.String())
	}
}

// TestPidproxyUnderDaemon: a program that daemonizes itself (double
// fork, pidfile), run through pidproxy, is signalled, restarted and
// stopped like any program, and leaves no process behind.
func TestPidproxyUnderDaemon(t *testing.T) {
	testutil.RequireFile(t, testutil.Python)
	script, _ := filepath.Abs("../pidproxy/testdata/daemon.py")
	d := startDaemon(t, "[program:dmn]\ncommand="+filepath.Join(binDir, "pidproxy")+
		" %(here)s/dmn.pid "+testutil.Python+" "+script+" %(here)s/dmn.pid %(here)s/dmn.log 0\nstartsecs=1\n")
	pidfile, logPath := filepath.Join(d.dir, "dmn.pid"), filepath.Join(d.dir, "dmn.log")
	daemonPid := func(not int) int {
		var pid int
		testutil.Eventually(t, "the daemonized program's pidfile", func() bool {
			b, _ := os.ReadFile(pidfile)
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			return pid > 0 && pid != not && testutil.Alive(pid)
		})
		return pid
	}
	d.waitState("dmn", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	first := daemonPid(0)

	if r := d.gcCtl("signal", "HUP", "dmn"); r.code != 0 {
		t.Fatalf("signal: %+v", r)
	}
	testutil.Eventually(t, "the daemonized program to get SIGHUP", func() bool {
		b, _ := os.ReadFile(logPath)
		return strings.Contains(string(b), "SIGHUP\n")
	})

	if r := d.gcCtl("restart", "dmn"); r.code != 0 || r.stdout != "dmn: stopped\ndmn: started\n" {
		t.Fatalf("restart: %+v", r)
	}
	if testutil.Alive(first) {
		t.Fatalf("restart left the first daemonized process %d running", first)
	}
	second := daemonPid(first)

	if r := d.gcCtl("stop", "dmn"); r.code != 0 || r.stdout != "dmn: stopped\n" {
		t.Fatalf("stop: %+v", r)
	}
	if testutil.Alive(second) {
		t.Fatalf("stop left the daemonized process %d running", second)
	}
	testutil.Eventually(t, "the stop in the main log", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
		return strings.Contains(string(b), "stopped: dmn (exit status 0)")
	})

	// Started again, then the daemon shuts down: nothing survives.
	if r := d.gcCtl("start", "dmn"); r.code != 0 {
		t.Fatalf("start: %+v", r)
	}
	third := daemonPid(second)
	d.stop()
	if testutil.Alive(third) {
		t.Fatalf("shutdown left the daemonized process %d running", third)
	}
}
