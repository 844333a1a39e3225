package testutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Threads returns the number of OS threads of this process.
func Threads(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("/proc/self/status: %q: %v", l, err)
			}
			return n
		}
	}
	t.Fatal("/proc/self/status has no Threads line")
	return 0
}

// stat returns the fields of /proc/pid/stat after the command name: the
// state first, then the parent's pid.
func stat(pid int) ([]string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(string(b[i+1:])), true
}

// Alive reports whether pid is a live process: it exists and is not a
// zombie waiting to be reaped.
func Alive(pid int) bool {
	f, ok := stat(pid)
	return ok && len(f) > 0 && f[0] != "Z"
}

// pids returns the pids in /proc.
func pids() []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// Zombies returns the zombie children of this process: children it has
// not reaped.
func Zombies() []int {
	me := strconv.Itoa(os.Getpid())
	var zs []int
	for _, pid := range pids() {
		if f, ok := stat(pid); ok && len(f) > 1 && f[0] == "Z" && f[1] == me {
			zs = append(zs, pid)
		}
	}
	return zs
}

// MarkerEnv is the name of the environment variable by which a test
// recognises the processes it started, children and grandchildren alike:
// they inherit it.
const MarkerEnv = "GSV_TEST_MARKER"

// Mark returns env (a program environment, which may be nil) with
// MarkerEnv=marker added: a daemon under test that passes it to every
// child marks them all.
func Mark(env map[string]string, marker string) map[string]string {
	if env == nil {
		env = map[string]string{}
	}
	env[MarkerEnv] = marker
	return env
}

// Marked returns the live processes (this one excepted) whose environment
// holds MarkerEnv=marker.
func Marked(marker string) []int {
	want := []byte(MarkerEnv + "=" + marker + "\x00")
	var out []int
	for _, pid := range pids() {
		if pid == os.Getpid() || !Alive(pid) {
			continue
		}
		env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
		if err != nil {
			continue // gone, or not ours
		}
		if bytes.HasPrefix(env, want) || bytes.Contains(env, append([]byte{0}, want...)) {
			out = append(out, pid)
		}
	}
	return out
}

// CheckNoStrays waits until no live process carries MarkerEnv=marker, and
// fails the test naming those still there after Timeout, which it kills:
// a test must leave no process behind.
func CheckNoStrays(t testing.TB, marker string) {
	t.Helper()
	CheckNoStraysWithin(t, marker, Timeout)
}

// CheckNoStraysWithin is CheckNoStrays with a deadline of d.
func CheckNoStraysWithin(t testing.TB, marker string, d time.Duration) {
	t.Helper()
	var left []int
	if Poll(d, func() bool { left = Marked(marker); return len(left) == 0 }) {
		return
	}
	var names []string
	for _, pid := range left {
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		names = append(names, fmt.Sprintf("%d %q", pid, strings.TrimRight(strings.ReplaceAll(string(cmd), "\x00", " "), " ")))
		syscall.Kill(pid, syscall.SIGKILL)
	}
	t.Errorf("processes left behind (killed now): %s", strings.Join(names, ", "))
}

// RunTest runs the test named name of this test binary again, in a child
// process with env added to its environment, and returns its output (with
// -test.v) and whether it passed. A test of a helper that must fail the
// test that calls it uses it: the named test calls the helper when env
// says so, and the parent checks how the child ended.
func RunTest(t testing.TB, name string, env ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run %s in a child: %v\n%s", name, err, out)
	}
	return string(out), err == nil
}

// DaemonAttr returns the attributes for a long-running process a test
// starts (a daemon under test, ours or the reference): its own process
// group, so that the test can signal the group, and SIGTERM when the test
// process dies, so that a test binary killed by its timeout or a panic
// leaves no daemon behind. SIGTERM rather than SIGKILL: a supervisord
// that is told to stop takes its programs with it, where one that is
// killed would leave them running.
func DaemonAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// StartDaemon starts cmd as a daemon under test (with DaemonAttr) and
// returns a channel closed once it has exited and been reaped. When the
// test ends, a daemon still running gets SIGTERM (its process group does),
// and SIGKILL if it has not exited within Timeout.
func StartDaemon(t testing.TB, cmd *exec.Cmd) <-chan struct{} {
	t.Helper()
	cmd.SysProcAttr = DaemonAttr()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
			return
		default:
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		timer := time.NewTimer(Timeout)
		defer timer.Stop()
		select {
		case <-exited:
		case <-timer.C:
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	return exited
}
