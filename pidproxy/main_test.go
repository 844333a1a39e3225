package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// bin is pidproxy, built once for the tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pidproxy")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "pidproxy")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build pidproxy: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proxyRun is one pidproxy process.
type proxyRun struct {
	t       *testing.T
	pidfile string
	log     string
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	done    chan struct{}
}

// startProxy runs pidproxy on testdata/daemon.py, which exits with exit on
// SIGTERM.
func startProxy(t *testing.T, exit string) *proxyRun {
	t.Helper()
	testutil.RequireFile(t, testutil.Python)
	dir := t.TempDir()
	pidfile, log := filepath.Join(dir, "d.pid"), filepath.Join(dir, "d.log")
	script, _ := filepath.Abs("testdata/daemon.py")
	return startProxyOn(t, pidfile, log, testutil.Python, script, pidfile, log, exit)
}

// startProxyOn runs pidproxy pidfile args...; log is where daemon.py
// notes signals.
func startProxyOn(t *testing.T, pidfile, log string, args ...string) *proxyRun {
	t.Helper()
	r := &proxyRun{t: t, pidfile: pidfile, log: log, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(bin, append([]string{r.pidfile}, args...)...)
	r.cmd.Stderr = r.stderr
	r.cmd.SysProcAttr = testutil.DaemonAttr()
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		// Whatever happened, leave nothing behind: the daemon is in its
		// own session, so kill it by the pid it wrote.
		if pid := r.daemonPid(); pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.done
	})
	return r
}

// daemonPid is the pid in the pidfile (0 if none).
func (r *proxyRun) daemonPid() int {
	b, err := os.ReadFile(r.pidfile)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// waitDaemon waits until the pidfile names a live process other than not.
func (r *proxyRun) waitDaemon(not int) int {
	r.t.Helper()
	var pid int
	testutil.Eventually(r.t, "the daemon's pidfile", func() bool {
		pid = r.daemonPid()
		return pid > 0 && pid != not && syscall.Kill(pid, 0) == nil
	})
	return pid
}

// signal sends sig to pidproxy and waits until the daemon logged it.
func (r *proxyRun) signal(sig syscall.Signal, name string) {
	r.t.Helper()
	before := r.logged()
	syscall.Kill(r.cmd.Process.Pid, sig)
	testutil.Eventually(r.t, "the daemon to log "+name, func() bool { return strings.Count(r.logged(), name+"\n") > strings.Count(before, name+"\n") })
}

func (r *proxyRun) logged() string {
	b, _ := os.ReadFile(r.log)
	return string(b)
}

// wait waits for pidproxy to exit and returns its status.
func (r *proxyRun) wait() syscall.WaitStatus {
	r.t.Helper()
	testutil.Receive(r.t, r.done, "pidproxy to exit")
	return r.cmd.ProcessState.Sys().(syscall.WaitStatus)
}

func gone(pid int) bool { return !testutil.Alive(pid) }

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"only.pid"}} {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(stdout.String(), "Usage: pidproxy <pidfile> <command> [args...]") || stderr.Len() != 0 {
			t.Errorf("pidproxy %v: exit %d\n%s%s", args, cmd.ProcessState.ExitCode(), stdout.String(), stderr.String())
		}
	}
}

// TestForwardsSignals: every forwarded signal reaches the daemon (not
// the command, long gone), and TERM ends it; pidproxy exits with the
// daemon's own status.
func TestForwardsSignals(t *testing.T) {
	r := startProxy(t, "7")
	pid := r.waitDaemon(0)
	for _, s := range []struct {
		sig  syscall.Signal
		name string
	}{{syscall.SIGHUP, "SIGHUP"}, {syscall.SIGINT, "SIGINT"}, {syscall.SIGQUIT, "SIGQUIT"}, {syscall.SIGUSR1, "SIGUSR1"}} {
		r.signal(s.sig, s.name)
	}
	select {
	case <-r.done:
		t.Fatalf("pidproxy exited while the daemon runs:\n%s", r.stderr)
	default:
	}
	syscall.Kill(r.cmd.Process.Pid, syscall.SIGTERM)
	if ws := r.wait(); ws.Signaled() || ws.ExitStatus() != 7 {
		t.Fatalf("pidproxy ended with %v, want exit 7; stderr:\n%s", ws, r.stderr)
	}
	if !gone(pid) {
		t.Fatalf("daemon %d still running", pid)
	}
}

// TestDiesOfTheSameSignal: a daemon killed by SIGTERM makes pidproxy end
// by SIGTERM too, so supervisord reports "terminated by SIGTERM".
func TestDiesOfTheSameSignal(t *testing.T) {
	r := startProxy(t, "signal")
	r.waitDaemon(0)
	syscall.Kill(r.cmd.Process.Pid, syscall.SIGTERM)
	if ws := r.wait(); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("pidproxy ended with %v, want SIGTERM", ws)
	}
}

// TestExitsWhenTheDaemonDies: nobody signals; the daemon dies by itself
// and pidproxy follows with its status.
func TestExitsWhenTheDaemonDies(t *testing.T) {
	r := startProxy(t, "5")
	pid := r.waitDaemon(0)
	syscall.Kill(pid, syscall.SIGKILL)
	if ws := r.wait(); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("pidproxy ended with %v, want SIGKILL", ws)
	}
}

// TestFollowsARestart: the daemon restarts itself under a new pid (USR2
// here); pidproxy reads the pidfile again and follows the new process.
func TestFollowsARestart(t *testing.T) {
	r := startProxy(t, "9")
	first := r.waitDaemon(0)
	syscall.Kill(r.cmd.Process.Pid, syscall.SIGUSR2)
	second := r.waitDaemon(first)
	testutil.Eventually(t, "the old daemon to exit", func() bool { return gone(first) })
	r.signal(syscall.SIGHUP, "SIGHUP")
	select {
	case <-r.done:
		t.Fatalf("pidproxy exited with the old daemon:\n%s", r.stderr)
	default:
	}
	syscall.Kill(r.cmd.Process.Pid, syscall.SIGTERM)
	if ws := r.wait(); ws.ExitStatus() != 9 {
		t.Fatalf("pidproxy ended with %v, want exit 9", ws)
	}
	if !gone(second) {
		t.Fatalf("new daemon %d still running", second)
	}
}

// TestIgnoresAStalePidfile: a pidfile left from before pidproxy started
// names an unrelated live process; it is never signalled. Until the
// pidfile names a process pidproxy can vouch for, signals go to the
// command itself.
func TestIgnoresAStalePidfile(t *testing.T) {
	stranger := startSleeper(t)
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "d.pid")
	os.WriteFile(pidfile, []byte(strconv.Itoa(stranger.Process.Pid)+"\n"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(pidfile, old, old)

	r := startProxyOn(t, pidfile, "", "sleep", "1000")
	// A signal: pidproxy looks at the pidfile, refuses it, and sends TERM
	// to its command (sleep), which dies of it.
	testutil.Eventually(t, "pidproxy's command", func() bool { return childOf(r.cmd.Process.Pid) != 0 })
	r.cmd.Process.Signal(syscall.SIGTERM)
	if ws := r.wait(); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("pidproxy ended with %v, want SIGTERM (its command's end)", ws)
	}
	if gone(stranger.Process.Pid) {
		t.Fatal("the stranger named by the stale pidfile was signalled")
	}
	if want := fmt.Sprintf("names pid %d, which pidproxy did not start", stranger.Process.Pid); !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", r.stderr, want)
	}
}

// startSleeper starts a process that is not pidproxy's.
func startSleeper(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "1000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// childOf returns a child pid of pid (0 if none), whichever of its
// threads forked it.
func childOf(pid int) int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, task := range tasks {
		b, _ := os.ReadFile(task)
		if f := strings.Fields(string(b)); len(f) > 0 {
			c, _ := strconv.Atoi(f[0])
			return c
		}
	}
	return 0
}

// TestCommandFails: a command that exits without leaving a process
// behind ends pidproxy with its status; one that cannot run, with 127.
func TestCommandFails(t *testing.T) {
	r := startProxyOn(t, filepath.Join(t.TempDir(), "none.pid"), "", "sh", "-c", "exit 4")
	if ws := r.wait(); ws.ExitStatus() != 4 {
		t.Errorf("pidproxy ended with %v, want exit 4", ws)
	}
	r = startProxyOn(t, filepath.Join(t.TempDir(), "none.pid"), "", "/nonexistent/prog")
	if ws := r.wait(); ws.ExitStatus() != 127 || !strings.Contains(r.stderr.String(), "cannot run /nonexistent/prog") {
		t.Errorf("pidproxy ended with %v, want exit 127; stderr %q", ws, r.stderr)
	}
	r = startProxyOn(t, filepath.Join(t.TempDir(), "none.pid"), "", "no-such-command-anywhere")
	if ws := r.wait(); ws.ExitStatus() != 127 || !strings.Contains(r.stderr.String(), "cannot find command no-such-command-anywhere") {
		t.Errorf("pidproxy ended with %v, want exit 127; stderr %q", ws, r.stderr)
	}
}

// TestWatchesAProcessItDidNotStart: the pidfile, written after pidproxy
// started, names a process that is not its descendant; pidproxy follows
// it (through a pidfd) and exits when it is gone.
func TestWatchesAProcessItDidNotStart(t *testing.T) {
	other := startSleeper(t)
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "d.pid")
	r := startProxyOn(t, pidfile, "", "sh", "-c", fmt.Sprintf("echo %d > %s", other.Process.Pid, pidfile))
	// TERM reaches the process through pidproxy once the pidfile names it,
	// and pidproxy exits when it is gone.
	testutil.Eventually(t, "the pidfile", func() bool { b, _ := os.ReadFile(pidfile); return len(b) > 0 })
	r.cmd.Process.Signal(syscall.SIGTERM)
	r.wait()
	if !gone(other.Process.Pid) {
		t.Error("the watched process did not get SIGTERM")
	}
}
