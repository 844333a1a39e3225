package process

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestMain(m *testing.M) {
	RunExecHelper()
	os.Exit(m.Run())
}

// recorder is the Host of a test process: it records state changes and
// captures output.
type recorder struct {
	mu      sync.Mutex
	changes []Change
	pids    []int
	out     testutil.Buffer // the child's stdout and stderr
	logs    testutil.Buffer // the process's log lines
	// ends is the exit policy EndsDaemon applies (nil: never ends).
	ends  func(Exit, bool) bool
	exits []Exit
}

func (r *recorder) ShuttingDown() bool { return false }

func (r *recorder) EndsDaemon(e Exit, expected bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exits = append(r.exits, e)
	return r.ends != nil && r.ends(e, expected)
}

func (r *recorder) PrepareSpawn() error { return nil }

func (r *recorder) Stdin() (*os.File, func(), error) { return nil, nil, nil }

func (r *recorder) StateChanged(c Change, info Info) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
	r.pids = append(r.pids, info.Pid)
}

func (r *recorder) Attach(pid int, stdout, stderr *os.File) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, f := range []*os.File{stdout, stderr} {
		if f == nil {
			continue
		}
		wg.Add(1)
		go func(f *os.File) {
			defer wg.Done()
			defer f.Close()
			buf := make([]byte, 4096)
			for {
				n, err := f.Read(buf)
				r.out.Write(buf[:n])
				if err != nil {
					return
				}
			}
		}(f)
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

func (r *recorder) states() []State {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []State
	for _, c := range r.changes {
		s = append(s, c.To)
	}
	return s
}

func newProc(t *testing.T, command string, mod func(*config.ProcessConfig)) (*Process, *recorder) {
	t.Helper()
	cfg := &config.ProcessConfig{
		Name: "p", Group: "p", Program: "p", Kind: config.KindProgram, Command: command,
		Priority: 999, Autostart: true, Autorestart: config.AutorestartNever,
		StartSecs: 0, StartRetries: 3, ExitCodes: []int{0}, StopSignal: syscall.SIGTERM, StopWaitSecs: 10,
	}
	if mod != nil {
		mod(cfg)
	}
	rec := &recorder{}
	log := slog.New(slog.NewTextHandler(&rec.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	exe, _ := os.Executable()
	p := New(cfg, &Env{Log: log, BaseEnv: os.Environ(), ExecHelper: exe}, rec)
	t.Cleanup(func() {
		p.Kill()
		if ch := p.Exited(); ch != nil {
			testutil.Receive(t, ch, "the process to be reaped after its kill")
		}
	})
	return p, rec
}

// waitState waits until p is in state s.
func waitState(t *testing.T, p *Process, s State) Info {
	t.Helper()
	var last Info
	err := p.Wait(testutil.Context(t), func(i Info) (bool, error) { last = i; return i.State == s, nil })
	if err != nil {
		t.Fatalf("waiting for %s: %v (last state %s, spawnerr %q)", s, err, last.State, last.SpawnErr)
	}
	return last
}

func equalStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStartRunningStop(t *testing.T) {
	p, rec := newProc(t, "sleep 1000", nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Running)
	if info.Pid == 0 || !strings.HasPrefix(info.Description, "pid "+strconv.Itoa(info.Pid)+", uptime 0:00:0") {
		t.Fatalf("running info = %+v", info)
	}
	if _, err := p.Start(); !errdefs.Has(err, errdefs.AlreadyStarted) {
		t.Fatalf("second start: %v", err)
	}
	pid := info.Pid
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	info = waitState(t, p, Stopped)
	if info.ExitStatus != -1 || info.Pid != 0 {
		t.Fatalf("stopped info = %+v", info)
	}
	want := []State{Starting, Running, Stopping, Stopped}
	if got := rec.states(); !equalStates(got, want) {
		t.Fatalf("states = %v, want %v", got, want)
	}
	if rec.pids[len(rec.pids)-1] != pid {
		t.Fatalf("STOPPED announced with pid %d, want %d", rec.pids[len(rec.pids)-1], pid)
	}
	if !strings.Contains(rec.logs.String(), "stopped: p (terminated by SIGTERM)") {
		t.Fatalf("log lacks the stop line:\n%s", rec.logs.String())
	}
	if err := p.Stop(); !errdefs.Has(err, errdefs.NotRunning) {
		t.Fatalf("stop when stopped: %v", err)
	}
}

func TestStartSecs(t *testing.T) {
	p, rec := newProc(t, "sleep 1000", func(c *config.ProcessConfig) { c.StartSecs = 1 })
	begin := time.Now()
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	if s := p.State(); s != Starting {
		t.Fatalf("state right after start = %s", s)
	}
	waitState(t, p, Running)
	if d := time.Since(begin); d < time.Second {
		t.Fatalf("RUNNING after %v, before startsecs", d)
	}
	if !strings.Contains(rec.logs.String(), "success: p entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)") {
		t.Fatalf("no success line:\n%s", rec.logs.String())
	}
}

func TestExitUnexpected(t *testing.T) {
	p, rec := newProc(t, "sh -c 'exit 3'", nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Exited)
	if info.ExitStatus != 3 || info.SpawnErr != "Bad exit code 3" || info.ExitExpected {
		t.Fatalf("exited info = %+v", info)
	}
	if !strings.Contains(rec.logs.String(), "exited: p (exit status 3; not expected)") {
		t.Fatalf("log:\n%s", rec.logs.String())
	}
	// startsecs=0: the exit passes through RUNNING.
	if got, want := rec.states(), []State{Starting, Running, Exited}; !equalStates(got, want) {
		t.Fatalf("states = %v, want %v", got, want)
	}
	if !strings.HasSuffix(info.Description, "M") {
		t.Fatalf("EXITED description %q is not a stop time", info.Description)
	}
}

func TestExitExpected(t *testing.T) {
	p, rec := newProc(t, "sh -c 'exit 2'", func(c *config.ProcessConfig) { c.ExitCodes = []int{0, 2} })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Exited)
	if info.ExitStatus != 2 || !info.ExitExpected || info.SpawnErr != "" {
		t.Fatalf("info = %+v", info)
	}
	if !strings.Contains(rec.logs.String(), "exited: p (exit status 2; expected)") {
		t.Fatalf("log:\n%s", rec.logs.String())
	}
}

func TestBackoffToFatal(t *testing.T) {
	// startsecs is a minute so that the exits always come before it.
	p, rec := newProc(t, "sh -c 'exit 1'", func(c *config.ProcessConfig) { c.StartSecs = 60; c.StartRetries = 1 })
	begin := time.Now()
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Fatal)
	if d := time.Since(begin); d < time.Second {
		t.Fatalf("FATAL after %v: the 1 s back-off was skipped", d)
	}
	if info.Description != "Exited too quickly (process log may have details)" {
		t.Fatalf("description %q", info.Description)
	}
	want := []State{Starting, Backoff, Starting, Backoff, Fatal}
	if got := rec.states(); !equalStates(got, want) {
		t.Fatalf("states = %v, want %v", got, want)
	}
	tries := []int{}
	for _, c := range rec.changes {
		tries = append(tries, c.Tries)
	}
	if fmt.Sprint(tries) != "[0 1 1 2 0]" {
		t.Fatalf("tries = %v", tries)
	}
	if !strings.Contains(rec.logs.String(), "gave up: p entered FATAL state, too many start retries too quickly") {
		t.Fatalf("log:\n%s", rec.logs.String())
	}
}

func TestSpawnErrors(t *testing.T) {
	dir := t.TempDir()
	noexec := filepath.Join(dir, "noexec")
	os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o644)
	cases := []struct {
		cmd    string
		reason errdefs.Reason
		text   string
	}{
		{"nosuchbinary_xyz", errdefs.NoFile, "can't find command 'nosuchbinary_xyz'"},
		{"/nonexistent/binary", errdefs.NoFile, "can't find command '/nonexistent/binary'"},
		{dir, errdefs.NotExecutable, fmt.Sprintf("command at '%s' is a directory", dir)},
		{noexec, errdefs.NotExecutable, fmt.Sprintf("command at '%s' is not executable", noexec)},
		{"", errdefs.NotExecutable, "command is empty"},
	}
	for _, c := range cases {
		p, rec := newProc(t, c.cmd, func(cfg *config.ProcessConfig) { cfg.StartRetries = 0 })
		_, err := p.Start()
		var e *errdefs.Error
		if !errors.As(err, &e) || e.Reason != c.reason || e.Detail != c.text {
			t.Errorf("Start(%q) = %v, want %s: %s", c.cmd, err, c.reason, c.text)
			continue
		}
		if p.State() != Stopped {
			t.Errorf("a refused start changed the state to %s", p.State())
		}
		// Autostart goes through the spawn: BACKOFF, then FATAL at once with
		// startretries=0, and the error as the description.
		p.Autostart()
		info := waitState(t, p, Fatal)
		if info.Description != c.text {
			t.Errorf("FATAL description %q, want %q", info.Description, c.text)
		}
		if got, want := rec.states(), []State{Starting, Backoff, Fatal}; !equalStates(got, want) {
			t.Errorf("states = %v, want %v", got, want)
		}
	}
}

func TestChildFailures(t *testing.T) {
	t.Run("directory", func(t *testing.T) {
		p, rec := newProc(t, "true", func(c *config.ProcessConfig) {
			c.Directory = "/nonexistent_dir"
			c.StartSecs = 60 // the failure always comes before it
			c.StartRetries = 0
		})
		if _, err := p.Start(); err != nil {
			t.Fatal(err)
		}
		info := waitState(t, p, Fatal)
		if info.Description != "Exited too quickly (process log may have details)" {
			t.Fatalf("description %q", info.Description)
		}
		testutil.Eventually(t, "the child failure message", func() bool {
			return strings.Contains(rec.out.String(), "supervisor: couldn't chdir to /nonexistent_dir: ENOENT\nsupervisor: child process was not spawned\n")
		})
		spawnedThenExited(t, rec.logs.String())
	})
	t.Run("exec", func(t *testing.T) {
		dir := t.TempDir()
		script := filepath.Join(dir, "noshebang")
		os.WriteFile(script, []byte("\x7fELFgarbage"), 0o755)
		p, rec := newProc(t, script, func(c *config.ProcessConfig) { c.StartSecs = 60; c.StartRetries = 0 })
		if _, err := p.Start(); err != nil {
			t.Fatal(err)
		}
		waitState(t, p, Fatal)
		testutil.Eventually(t, "the exec failure message", func() bool {
			return strings.Contains(rec.out.String(), "supervisor: couldn't exec "+script+": ENOEXEC")
		})
		spawnedThenExited(t, rec.logs.String())
	})
}

// spawnedThenExited checks that, as in 4.2.5, a child that fails after
// its fork is logged as spawned with a real pid, then as exited 127.
func spawnedThenExited(t *testing.T, log string) {
	t.Helper()
	m := regexp.MustCompile(`spawned: 'p' with pid ([0-9]+)`).FindStringSubmatchIndex(log)
	exited := strings.Index(log, "exited: p (exit status 127; not expected)")
	if m == nil || exited < m[1] || strings.Contains(log, "spawnerr") {
		t.Errorf("want a spawned line, then the exit:\n%s", log)
	}
}

func TestStopKillsStubbornProcess(t *testing.T) {
	p, rec := newProc(t, `sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'`, func(c *config.ProcessConfig) { c.StopWaitSecs = 1 })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Running)
	testutil.Eventually(t, "the trap", func() bool { return strings.Contains(rec.out.String(), "ready") })
	begin := time.Now()
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Stopped)
	if d := time.Since(begin); d < time.Second {
		t.Fatalf("stopped after %v, before stopwaitsecs", d)
	}
	if !strings.Contains(rec.logs.String(), "with SIGKILL") || !strings.Contains(rec.logs.String(), "stopped: p (terminated by SIGKILL)") {
		t.Fatalf("log:\n%s", rec.logs.String())
	}
	_ = info
}

func TestStopAsGroupKillsGrandchildren(t *testing.T) {
	for _, asGroup := range []bool{true, false} {
		t.Run(fmt.Sprint("stopasgroup=", asGroup), func(t *testing.T) {
			p, rec := newProc(t, `sh -c 'sleep 1000 & echo grandchild $!; wait'`, func(c *config.ProcessConfig) {
				c.StopAsGroup = asGroup
				c.KillAsGroup = asGroup
			})
			if _, err := p.Start(); err != nil {
				t.Fatal(err)
			}
			waitState(t, p, Running)
			var gc int
			testutil.Eventually(t, "the grandchild pid", func() bool {
				_, err := fmt.Sscanf(strings.TrimSpace(rec.out.String()), "grandchild %d", &gc)
				return err == nil
			})
			if err := p.Stop(); err != nil {
				t.Fatal(err)
			}
			waitState(t, p, Stopped)
			alive := func() bool {
				// A reparented grandchild that exited may linger as a zombie
				// of init; count only live ones.
				b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", gc))
				if err != nil {
					return false
				}
				f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
				return len(f) > 0 && f[0] != "Z"
			}
			if asGroup {
				testutil.Eventually(t, "the grandchild to die", func() bool { return !alive() })
			} else {
				if !alive() {
					t.Fatal("without stopasgroup the grandchild should survive, as in 4.2.5")
				}
				syscall.Kill(gc, syscall.SIGKILL)
			}
		})
	}
}

func TestAutorestartRespawns(t *testing.T) {
	p, rec := newProc(t, "sh -c 'exit 0'", func(c *config.ProcessConfig) { c.Autorestart = config.AutorestartAlways })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "three respawns", func() bool {
		n := 0
		for _, s := range rec.states() {
			if s == Starting {
				n++
			}
		}
		return n >= 4
	})
	// Stop the loop: stop it when running, or it is stopped from BACKOFF.
	testutil.Eventually(t, "a stop to be accepted", func() bool {
		err := p.Stop()
		if err != nil && !errdefs.Has(err, errdefs.NotRunning) {
			t.Fatal(err)
		}
		return err == nil
	})
	if err := p.Wait(testutil.Context(t), func(i Info) (bool, error) { return i.State.IsStopped(), nil }); err != nil {
		t.Fatal(err)
	}
}

func TestUnexpectedExitRestartsOnlyWhenUnexpected(t *testing.T) {
	p, rec := newProc(t, "sh -c 'exit 0'", func(c *config.ProcessConfig) { c.Autorestart = config.AutorestartUnexpected })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Exited)
	if got, want := rec.states(), []State{Starting, Running, Exited}; !equalStates(got, want) {
		t.Fatalf("expected exit restarted: %v", got)
	}
}

func TestEnvironmentAndUmask(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "env")
	mask := 0o027
	p, rec := newProc(t, "sh -c 'env > "+out+"; umask >> "+out+"'", func(c *config.ProcessConfig) {
		c.Name, c.Group = "web_01", "web"
		c.Environment = map[string]string{"FOO": "bar", "SUPERVISOR_GROUP_NAME": "overridden"}
		c.Umask = &mask
		c.Directory = dir
	})
	p.env.ServerURL = "unix:///tmp/x.sock"
	p.env.ExtraEnv = map[string]string{"GLOBAL": "1", "FOO": "global"}
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Exited)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("%v (output %q)", err, rec.out.String())
	}
	env := string(b)
	for _, want := range []string{"SUPERVISOR_ENABLED=1\n", "SUPERVISOR_SERVER_URL=unix:///tmp/x.sock\n", "SUPERVISOR_PROCESS_NAME=web_01\n",
		"SUPERVISOR_GROUP_NAME=overridden\n", "FOO=bar\n", "GLOBAL=1\n", "PWD=" + dir + "\n", "0027\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("child environment lacks %q:\n%s", want, env)
		}
	}
}

func TestSignalAndStdin(t *testing.T) {
	// dash's read returns 1 both at end of file and when the trapped signal
	// interrupts it, so the loop must not end on a failed read: the program
	// then cannot exit on its own (its stdin stays open while it runs), and
	// only the test's Stop ends it.
	p, rec := newProc(t, `sh -c 'trap "echo got-usr1" USR1; echo ready; while :; do read line && echo "echo:$line"; done'`, nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Running)
	testutil.Eventually(t, "ready", func() bool { return strings.Contains(rec.out.String(), "ready") })
	if err := p.WriteStdin([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the echo", func() bool { return strings.Contains(rec.out.String(), "echo:hello") })
	if err := p.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the trap output", func() bool { return strings.Contains(rec.out.String(), "got-usr1") })
	// It still reads its stdin after the signal.
	if err := p.WriteStdin([]byte("again\n")); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the echo after the signal", func() bool { return strings.Contains(rec.out.String(), "echo:again") })
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Stopped)
	if err := p.Signal(syscall.SIGUSR1); !errdefs.Has(err, errdefs.NotRunning) {
		t.Fatalf("signal when stopped: %v", err)
	}
	if err := p.WriteStdin([]byte("x")); !errdefs.Has(err, errdefs.NotRunning) {
		t.Fatalf("stdin when stopped: %v", err)
	}
}

func TestUserSwitch(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch users")
	}
	// t.TempDir's parent is private to root; nobody needs a path it can
	// traverse.
	dir, err := os.MkdirTemp("", "usertest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	out := filepath.Join(dir, "id")
	p, _ := newProc(t, "sh -c 'id -u > "+out+"; id -g >> "+out+"'", func(c *config.ProcessConfig) {
		c.User = &config.User{Name: "nobody", UID: 65534, GID: 65534}
	})
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Exited)
	b, _ := os.ReadFile(out)
	if string(b) != "65534\n65534\n" {
		t.Fatalf("id output %q", b)
	}
}

// TestNoZombies runs many short-lived children and checks that none is
// left unreaped.
func TestNoZombies(t *testing.T) {
	var ps []*Process
	for i := 0; i < 30; i++ {
		p, _ := newProc(t, "true", nil)
		if _, err := p.Start(); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	for _, p := range ps {
		waitState(t, p, Exited)
	}
	testutil.Eventually(t, "no zombie children", func() bool { return len(testutil.Zombies()) == 0 })
}

// TestIdleProcessesHoldNoThreads: waiting for a child's exit and for its
// output happens on the runtime poller, so 100 idle children (300 waits)
// do not cost an OS thread each.
func TestIdleProcessesHoldNoThreads(t *testing.T) {
	before := testutil.Threads(t)
	var ps []*Process
	for i := 0; i < 100; i++ {
		p, _ := newProc(t, "sleep 1000", nil)
		if _, err := p.Start(); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	for _, p := range ps {
		waitState(t, p, Running)
	}
	if after := testutil.Threads(t); after > before+20 {
		t.Fatalf("%d OS threads with 100 idle children (%d before)", after, before)
	}
}

// TestStartWhileStopping: as 4.2.5, a start request for a process that is
// still stopping (it has a pid) spawns nothing: it is logged, the state
// stays STOPPING, and the request itself succeeds.
func TestStartWhileStopping(t *testing.T) {
	p, rec := newProc(t, "sh -c 'trap \"\" TERM; echo ready; while :; do sleep 0.05; done'", func(c *config.ProcessConfig) { c.StopWaitSecs = 30 })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	pid := waitState(t, p, Running).Pid
	// The shell ignores TERM only once its trap is set.
	testutil.Eventually(t, "the program to say ready", func() bool { return strings.Contains(rec.out.String(), "ready") })
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	info, err := p.Start()
	if err != nil || info.State != Stopping || info.Pid != pid {
		t.Fatalf("start while stopping: %+v, %v", info, err)
	}
	if !strings.Contains(rec.logs.String(), `level=WARN msg="process 'p' already running"`) {
		t.Errorf("log lacks the refusal:\n%s", rec.logs.String())
	}
	want := []State{Starting, Running, Stopping}
	if got := rec.states(); !equalStates(got, want) {
		t.Fatalf("states = %v, want %v", got, want)
	}
}

// TestStopWatchedReportsWaiting: a stop a caller waits for is reported as
// 4.2.5 reports it: "waiting for p to stop" right after the stop signal
// and right after the SIGKILL that stopwaitsecs brings; a stop nobody
// waits for is not.
func TestStopWatchedReportsWaiting(t *testing.T) {
	p, rec := newProc(t, `sh -c 'trap "" TERM; echo ready; while :; do sleep 0.05; done'`, func(c *config.ProcessConfig) { c.StopWaitSecs = 2 })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Running)
	testutil.Eventually(t, "the trap", func() bool { return strings.Contains(rec.out.String(), "ready") })
	if err := p.StopWatched(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Stopped)
	p.EndStopWatch()
	var lines []string
	for _, l := range strings.Split(rec.logs.String(), "\n") {
		for _, key := range []string{"with signal SIGTERM", "waiting for p to stop", "with SIGKILL", "stopped: p"} {
			if strings.Contains(l, key) {
				lines = append(lines, key)
			}
		}
	}
	// The report after the SIGKILL and the periodic one fall due 50 ms
	// apart (at the 2 s mark): which of them logs first is the scheduler's
	// choice on a loaded machine (4.2.5 writes them in either order too),
	// so the two lines there count, not their order.
	if len(lines) == 5 && lines[2] == "waiting for p to stop" && lines[3] == "with SIGKILL" {
		lines[2], lines[3] = lines[3], lines[2]
	}
	want := []string{"with signal SIGTERM", "waiting for p to stop", "with SIGKILL", "waiting for p to stop", "stopped: p"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("log lines %q, want %q:\n%s", lines, want, rec.logs.String())
	}
	if err := p.StopWatched(); !errdefs.Has(err, errdefs.NotRunning) {
		t.Errorf("StopWatched when stopped: %v", err)
	}

	// A stop nobody waits for says nothing of the kind.
	q, qrec := newProc(t, "sleep 1000", nil)
	if _, err := q.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, q, Running)
	q.Stop()
	waitState(t, q, Stopped)
	if strings.Contains(qrec.logs.String(), "waiting for") {
		t.Errorf("unwatched stop reported:\n%s", qrec.logs.String())
	}
}

// TestExitEndsDaemon checks the exit policy hook: an exit after startsecs
// that the host says ends the daemon is not restarted, whatever
// autorestart says, and the exit and the counters are in Info.
func TestExitEndsDaemon(t *testing.T) {
	p, rec := newProc(t, "sh -c 'exit 3'", func(c *config.ProcessConfig) { c.Autorestart = config.AutorestartAlways })
	rec.ends = func(e Exit, expected bool) bool { return e.Code == 3 && !expected }
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Exited)
	if got, want := rec.states(), []State{Starting, Running, Exited}; !equalStates(got, want) {
		t.Fatalf("states %v, want %v (no restart)", got, want)
	}
	if info.LastExit.Code != 3 || info.LastExit.Signal != 0 || info.LastExit.Time.IsZero() || info.Spawns != 1 || info.Restarts != 0 {
		t.Errorf("info %+v", info)
	}
}

// TestRestartCounters checks Spawns and Restarts: autorestart's respawns
// count as restarts, a start request does not; a signal is in LastExit.
func TestRestartCounters(t *testing.T) {
	p, _ := newProc(t, "sh -c 'kill -KILL $$'", func(c *config.ProcessConfig) { c.Autorestart = config.AutorestartUnexpected })
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "two restarts", func() bool { return p.Info().Restarts >= 2 })
	info := p.Info()
	if info.Spawns < info.Restarts+1 || info.LastExit.Signal != syscall.SIGKILL || info.LastExit.Code != -1 {
		t.Errorf("info %+v", info)
	}
	for {
		err := p.Stop()
		if err == nil || !errdefs.Has(err, errdefs.NotRunning) {
			break
		}
	}
	if err := p.Wait(testutil.Context(t), func(i Info) (bool, error) { return i.State.IsStopped(), nil }); err != nil {
		t.Fatal(err)
	}
	// A child that cannot start (chdir fails): it exits 127 at once.
	q, _ := newProc(t, "/bin/true", func(c *config.ProcessConfig) {
		c.StartRetries, c.StartSecs, c.Directory = 0, 1, "/nonexistent_dir"
	})
	if _, err := q.Start(); err != nil {
		t.Fatal(err)
	}
	qi := waitState(t, q, Fatal)
	if qi.LastExit.Code != 127 || qi.SpawnFailed {
		t.Errorf("child failure: info %+v", qi)
	}
	// A spawn error: no child at all.
	r, _ := newProc(t, "/nonexistent/program", func(c *config.ProcessConfig) { c.StartRetries = 0 })
	r.Autostart()
	ri := waitState(t, r, Fatal)
	if !ri.SpawnFailed || ri.Spawns != 0 || !ri.LastExit.Time.IsZero() {
		t.Errorf("spawn error: info %+v", ri)
	}
}

// TestInfoAtNeverBeforeStart: a list reads the clock once, before it
// reads each process; a process that started in between is described as
// of the clock's time, so that its now is never before its start (the
// uptime a client computes is never negative).
func TestInfoAtNeverBeforeStart(t *testing.T) {
	p, _ := newProc(t, "sleep 1000", nil)
	before := time.Now()
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := p.InfoAt(before)
	if info.Start.IsZero() || info.Now.Before(info.Start) {
		t.Fatalf("start %v, now %v", info.Start, info.Now)
	}
	// A process that has not changed since keeps the list's time.
	later := time.Now()
	if info := p.InfoAt(later); !info.Now.Equal(later) {
		t.Fatalf("now %v, want the list's %v", info.Now, later)
	}
}
