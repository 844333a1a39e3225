//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// realDaemon is Debian's supervisord 4.2.5 running a config, for
// differential tests.
type realDaemon struct {
	t      *testing.T
	dir    string
	conf   string
	sock   string
	pid    int
	exited chan struct{}
}

// configBody returns a full config for a daemon in dir: the same sections
// startDaemon writes, so both daemons run identical files.
func configBody(programs string) string {
	return `[unix_http_server]
file=%(here)s/s.sock

[supervisord]
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s/logs
nodaemon=true
identifier=e2e

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/s.sock

` + programs
}

// startReal runs the real supervisord on the same kind of config as
// startDaemon, in its own temp dir. extra files are written beside it.
func startReal(t *testing.T, programs string, extra map[string]string) *realDaemon {
	t.Helper()
	testutil.RequireSupervisor(t)
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	for name, body := range extra {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755)
	}
	conf := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(conf, []byte(configBody(programs)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The config has nodaemon=true: the real daemon stays our child, in its
	// own process group, so nothing outlives the test.
	out, err := os.Create(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testutil.Python, testutil.Supervisord, "-c", conf)
	cmd.Env = append(os.Environ(), testutil.MarkerEnv+"="+dir)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = testutil.DaemonAttr()
	if err := cmd.Start(); err != nil {
		out.Close()
		t.Fatalf("start the real supervisord: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); out.Close(); close(exited) }()
	pid := cmd.Process.Pid
	r := &realDaemon{t: t, dir: dir, conf: conf, sock: filepath.Join(dir, "s.sock"), pid: pid, exited: exited}
	t.Cleanup(func() {
		r.stop()
		testutil.CheckNoStrays(t, dir)
	})
	testutil.Eventually(t, "the real daemon's socket", func() bool {
		select {
		case <-exited:
			b, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
			t.Fatalf("the real supervisord exited during start-up:\n%s", b)
		default:
		}
		_, err := os.Stat(r.sock)
		return err == nil
	})
	return r
}

// stop sends SIGTERM and waits for the real daemon to exit.
func (r *realDaemon) stop() {
	if r.pid == 0 {
		return
	}
	syscall.Kill(r.pid, syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(testutil.Timeout):
		r.t.Errorf("real supervisord %d still running after %v; killing it", r.pid, testutil.Timeout)
		syscall.Kill(-r.pid, syscall.SIGKILL)
		<-r.exited
	}
	r.pid = 0
}

// fmtSscanf is fmt.Sscanf (kept here so test files share one import).
var fmtSscanf = fmt.Sscanf
