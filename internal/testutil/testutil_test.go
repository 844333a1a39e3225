package testutil

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// helperEnv selects what TestHelperProcess does in a child test binary.
const helperEnv = "GSV_TESTUTIL_HELPER"

// TestHelperProcess is not a test: run by runHelper in a child test binary,
// it calls a helper the way a failing test would, so that the parent can
// check how the helper ends that test.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "":
		return
	case "eventually":
		EventuallyWithin(t, 10*time.Millisecond, "a condition that never holds", func() bool { return false })
	case "receive":
		// Receive waits for Timeout; the child's -test.timeout ends it
		// sooner, so only its start is checked here: it must block.
		Receive(t, make(chan int), "a value that never comes")
	case "require":
		Require(t, errors.New("the widget is not installed"))
		t.Log("went on after Require")
	case "strays":
		cmd := exec.Command("sleep", "1000")
		cmd.Env = append(os.Environ(), MarkerEnv+"=strays-"+os.Getenv("GSV_TESTUTIL_MARK"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("stray pid %d\n", cmd.Process.Pid)
		go cmd.Wait() // reap it once killed
		CheckNoStraysWithin(t, "strays-"+os.Getenv("GSV_TESTUTIL_MARK"), 10*time.Millisecond)
	}
}

// runHelper runs TestHelperProcess in mode in a child test binary with the
// extra environment and returns its output and whether it passed.
func runHelper(t *testing.T, mode string, env ...string) (string, bool) {
	t.Helper()
	return RunTest(t, "TestHelperProcess", append([]string{helperEnv + "=" + mode}, env...)...)
}

func TestEventually(t *testing.T) {
	n := 0
	Eventually(t, "the third check", func() bool { n++; return n == 3 })
	if n != 3 {
		t.Fatalf("cond called %d times, want 3", n)
	}
	out, ok := runHelper(t, "eventually")
	if ok || !strings.Contains(out, "timed out after 10ms waiting for a condition that never holds") {
		t.Fatalf("Eventually of a condition that never holds: passed=%v\n%s", ok, out)
	}
}

func TestPoll(t *testing.T) {
	if Poll(20*time.Millisecond, func() bool { return false }) {
		t.Fatal("Poll of a condition that never holds reported true")
	}
	var mu sync.Mutex
	ready := false
	go func() { mu.Lock(); ready = true; mu.Unlock() }()
	if !Poll(Timeout, func() bool { mu.Lock(); defer mu.Unlock(); return ready }) {
		t.Fatal("Poll missed a condition that came true")
	}
}

func TestReceive(t *testing.T) {
	ch := make(chan string, 1)
	ch <- "x"
	if v := Receive(t, ch, "x"); v != "x" {
		t.Fatalf("Receive = %q", v)
	}
	done := make(chan struct{})
	close(done)
	Receive(t, done, "a closed channel")
	// A channel that never delivers blocks until the deadline: the child
	// is ended by its own -test.timeout well before Timeout.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.timeout=1s")
	cmd.Env = append(os.Environ(), helperEnv+"=receive")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "test timed out after 1s") {
		t.Fatalf("Receive of a channel that never delivers returned: %v\n%s", err, out)
	}
}

func TestContextEndsWithTheTest(t *testing.T) {
	var ctx interface{ Err() error }
	t.Run("inner", func(t *testing.T) {
		c := Context(t)
		if d, ok := c.Deadline(); !ok || time.Until(d) > Timeout {
			t.Errorf("deadline %v, %v", d, ok)
		}
		ctx = c
	})
	if ctx.Err() == nil {
		t.Fatal("the context outlived its test")
	}
}

// TestRequire: a missing requirement skips the test, or fails it when CI
// is set.
func TestRequire(t *testing.T) {
	out, ok := runHelper(t, "require", "CI=")
	if !ok || !strings.Contains(out, "--- SKIP") || !strings.Contains(out, "the widget is not installed") || strings.Contains(out, "went on") {
		t.Fatalf("Require without CI: passed=%v\n%s", ok, out)
	}
	for _, ci := range []string{"1", "true"} {
		out, ok = runHelper(t, "require", "CI="+ci)
		if ok || !strings.Contains(out, "--- FAIL") || !strings.Contains(out, "the widget is not installed (CI is set") || strings.Contains(out, "went on") {
			t.Fatalf("Require with CI=%s: passed=%v\n%s", ci, ok, out)
		}
	}
	for ci, want := range map[string]bool{"": false, "0": false, "false": false, "FALSE": false, "1": true, "true": true, "yes": true} {
		t.Setenv("CI", ci)
		if CI() != want {
			t.Errorf("CI=%q: CI() = %v", ci, !want)
		}
	}
}

func TestRequireFile(t *testing.T) {
	t.Setenv("CI", "")
	RequireFile(t, os.Args[0]) // exists: nothing happens
	t.Run("missing", func(t *testing.T) {
		RequireFile(t, "/nonexistent/reference")
		t.Error("went on after RequireFile of a missing file")
	})
}

// TestRunPython runs the reference Python (where it is installed).
func TestRunPython(t *testing.T) {
	RequirePython(t)
	if out := RunPython(t, "import sys; print('-'.join(sys.argv[1:]))", "a", "b"); out != "a-b\n" {
		t.Errorf("RunPython = %q", out)
	}
	var got []int
	RunPythonJSON(t, "import json, sys; json.dump([x * 2 for x in json.load(sys.stdin)], sys.stdout)", []int{1, 2}, &got)
	if fmt.Sprint(got) != "[2 4]" {
		t.Errorf("RunPythonJSON = %v", got)
	}
}

func TestBuffer(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Write([]byte("x"))
			}
		}()
	}
	wg.Wait()
	if b.Len() != 400 || b.String() != strings.Repeat("x", 400) {
		t.Fatalf("buffer holds %d bytes", b.Len())
	}
}

func TestShortTempDir(t *testing.T) {
	var dir string
	t.Run("inner", func(t *testing.T) {
		dir = ShortTempDir(t)
		if len(dir+"/supervisor.sock") > 60 {
			t.Errorf("%s is not short", dir)
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s left after the test: %v", dir, err)
	}
}

func TestProcesses(t *testing.T) {
	if n := Threads(t); n < 1 {
		t.Fatalf("Threads = %d", n)
	}
	// A child not yet reaped is a zombie; once reaped it is gone.
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	Eventually(t, "the child to become a zombie", func() bool {
		for _, z := range Zombies() {
			if z == pid {
				return true
			}
		}
		return false
	})
	if Alive(pid) {
		t.Error("a zombie counts as alive")
	}
	cmd.Wait()
	for _, z := range Zombies() {
		if z == pid {
			t.Fatal("a reaped child is still a zombie")
		}
	}
}

// TestStrays: Marked finds processes by their marker; CheckNoStrays fails
// the test for those left and kills them.
func TestStrays(t *testing.T) {
	marker := fmt.Sprint("marked-", os.Getpid())
	cmd := exec.Command("sleep", "1000")
	cmd.Env = append(os.Environ(), MarkerEnv+"="+marker)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	if got := Marked(marker); len(got) != 1 || got[0] != cmd.Process.Pid {
		t.Fatalf("Marked = %v, want [%d]", got, cmd.Process.Pid)
	}
	if got := Marked(marker + "x"); len(got) != 0 {
		t.Fatalf("Marked of another marker = %v", got)
	}
	cmd.Process.Kill()
	Receive(t, exited, "the marked child to exit")
	CheckNoStrays(t, marker)

	mark := fmt.Sprint(os.Getpid())
	out, ok := runHelper(t, "strays", "GSV_TESTUTIL_MARK="+mark)
	var pid int
	for _, l := range strings.Split(out, "\n") {
		fmt.Sscanf(l, "stray pid %d", &pid)
	}
	if ok || pid == 0 || !strings.Contains(out, "processes left behind (killed now): "+fmt.Sprint(pid)+` "sleep 1000"`) {
		t.Fatalf("CheckNoStrays with a stray: passed=%v\n%s", ok, out)
	}
	// Killed, it dies when the scheduler next runs it: soon, not at once.
	Eventually(t, fmt.Sprintf("the killed stray %d to die", pid), func() bool { return !Alive(pid) })
}

// TestStartDaemon: the daemon runs in its own process group while the
// test runs, and is gone, reaped, once the test has ended.
func TestStartDaemon(t *testing.T) {
	var exited <-chan struct{}
	var pid int
	t.Run("daemon", func(t *testing.T) {
		cmd := exec.Command("sleep", "1000")
		exited = StartDaemon(t, cmd)
		pid = cmd.Process.Pid
		if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
			t.Errorf("process group %d (%v), want its own (%d)", pgid, err, pid)
		}
		select {
		case <-exited:
			t.Fatal("the daemon exited at once")
		default:
		}
	})
	select {
	case <-exited:
	default:
		t.Fatal("the daemon outlived its test")
	}
	if Alive(pid) {
		t.Fatalf("pid %d still alive", pid)
	}
}
