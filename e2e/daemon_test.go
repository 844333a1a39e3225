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

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// writeConf writes a config (without nodaemon) into a new short temp dir.
func writeConf(t *testing.T, programs string) (dir, conf string) {
	t.Helper()
	dir = testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	conf = filepath.Join(dir, "supervisord.conf")
	body := strings.Replace(configBody(programs), "nodaemon=true\n", "", 1)
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, conf
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pidfile %q", b)
	}
	return pid
}

// TestDaemonizes starts supervisord without -n: the command returns 0 once
// the daemon serves, the pidfile names the background process, and SIGTERM
// removes the pidfile and the socket.
func TestDaemonizes(t *testing.T) {
	dir, conf := writeConf(t, "[program:sleeper]\ncommand=sleep 1000\nstartsecs=0\n")
	cmd := exec.Command(filepath.Join(binDir, "supervisord"), "-c", conf)
	cmd.Env = append(os.Environ(), testutil.MarkerEnv+"="+dir)
	t.Cleanup(func() { testutil.CheckNoStrays(t, dir) })
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("supervisord: %v\n%s", err, out)
	}
	pid := readPid(t, filepath.Join(dir, "supervisord.pid"))
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if pid == cmd.Process.Pid || !testutil.Alive(pid) {
		t.Fatalf("pidfile names %d (parent was %d)", pid, cmd.Process.Pid)
	}
	// The daemon is in its own session, with its standard streams closed.
	sid, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if f := strings.Fields(string(sid[bytes.LastIndexByte(sid, ')')+2:])); len(f) < 4 || f[3] != strconv.Itoa(pid) {
		t.Errorf("daemon is not a session leader: %v", f)
	}
	if _, err := os.Stat(filepath.Join(dir, "s.sock")); err != nil {
		t.Fatal("socket missing")
	}
	log, _ := os.ReadFile(filepath.Join(dir, "supervisord.log"))
	if !strings.Contains(string(log), "supervisord started with pid "+strconv.Itoa(pid)) {
		t.Errorf("main log:\n%s", log)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	testutil.Eventually(t, "the daemon to exit", func() bool { return !testutil.Alive(pid) })
	for _, f := range []string{"supervisord.pid", "s.sock"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s left behind after shutdown", f)
		}
	}
}

// TestStartupErrorsReachTheTerminal: errors found by the background daemon
// (socket in use, limits) are printed by the command, exit status 2.
func TestStartupErrorsReachTheTerminal(t *testing.T) {
	d := startDaemon(t, "")
	// Same socket: in use (a daemonizing copy of the config, as in §19).
	body, _ := os.ReadFile(d.conf)
	conf2 := filepath.Join(d.dir, "second.conf")
	os.WriteFile(conf2, []byte(strings.Replace(string(body), "nodaemon=true\n", "", 1)), 0o644)
	cmd := exec.Command(filepath.Join(binDir, "supervisord"), "-c", conf2)
	out, _ := cmd.CombinedOutput()
	want := "Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.\nFor help, use " +
		filepath.Join(binDir, "supervisord") + " -h\n"
	if cmd.ProcessState.ExitCode() != 2 || string(out) != want {
		t.Errorf("second daemon: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
	// minfds beyond what the kernel allows.
	_, conf := writeConf(t, "[supervisord]\nminfds=100000000\n")
	cmd = exec.Command(filepath.Join(binDir, "supervisord"), "-c", conf)
	out, _ = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "Error: The minimum number of file descriptors required to run this process is 100000000 as per the \"minfds\" command-line argument or config file setting.") {
		t.Errorf("minfds: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
}

// TestSignals: HUP restarts in place (same daemon pid, config re-read,
// programs restarted), USR2 reopens the logs, TERM shuts down and leaves no
// grandchild of a stopasgroup program behind.
func TestSignals(t *testing.T) {
	d := startDaemon(t, `
[program:family]
command=sh -c 'sleep 1000 & echo child $!; wait'
startsecs=0
stopasgroup=true
`)
	daemonPid := d.cmd.Process.Pid
	first := d.waitState("family", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING).GetPid()

	// HUP with a new program in the file.
	body, _ := os.ReadFile(d.conf)
	os.WriteFile(d.conf, append(body, []byte("\n[program:added]\ncommand=sleep 1000\nstartsecs=0\n")...), 0o644)
	syscall.Kill(daemonPid, syscall.SIGHUP)
	var newPid int32
	testutil.Eventually(t, "the restart", func() bool {
		r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "added"})
		if err != nil {
			return false
		}
		f, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "family"})
		if err != nil {
			return false
		}
		newPid = f.GetProcess().GetPid()
		return r.GetProcess().GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING && newPid != 0
	})
	if newPid == first {
		t.Fatal("HUP did not restart the program")
	}
	pr, err := gsupervisorv1.NewSupervisorServiceClient(d.conn).GetPID(d.ctx(), &gsupervisorv1.GetPIDRequest{})
	if err != nil || int(pr.GetPid()) != daemonPid {
		t.Fatalf("daemon pid after HUP = %v (%v), want %d", pr.GetPid(), err, daemonPid)
	}
	log, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	if !strings.Contains(string(log), "received SIGHUP indicating restart request") {
		t.Errorf("no HUP line in the main log")
	}

	// USR2: the main log moved away is recreated; as in 4.2.5 the
	// "logreopen" line is the last one in the old file.
	os.Rename(filepath.Join(d.dir, "supervisord.log"), filepath.Join(d.dir, "old.log"))
	syscall.Kill(daemonPid, syscall.SIGUSR2)
	testutil.Eventually(t, "the reopen", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.dir, "old.log"))
		return strings.Contains(string(b), "received SIGUSR2 indicating log reopen request\n") && strings.Contains(string(b), "supervisord logreopen\n")
	})
	if _, err := d.processes().StopProcess(d.ctx(), &gsupervisorv1.StopProcessRequest{Name: "added", Wait: true}); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "a new main log", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
		return strings.Contains(string(b), "stopped: added (terminated by SIGTERM)")
	})

	// TERM: the grandchild of the stopasgroup program goes too.
	var grandchild int
	testutil.Eventually(t, "the grandchild pid", func() bool {
		r, err := gsupervisorv1.NewLogServiceClient(d.conn).ReadProcessLog(d.ctx(), &gsupervisorv1.ReadProcessLogRequest{Name: "family", Offset: -100})
		if err != nil {
			return false
		}
		lines := strings.Split(strings.TrimSpace(string(r.GetData())), "\n")
		_, err = fmtSscanf(lines[len(lines)-1], "child %d", &grandchild)
		return err == nil
	})
	d.stop()
	if testutil.Alive(grandchild) {
		t.Fatalf("grandchild %d survived the shutdown", grandchild)
	}
}
