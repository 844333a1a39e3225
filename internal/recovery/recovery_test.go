package recovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/procfs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// child is a real process started by the test in its own process group,
// standing for a program a crashed daemon left running.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func startChild(t *testing.T, script string) *child {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	// Killed if the test process dies: some of them ignore SIGTERM.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(c.done) }()
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); <-c.done })
	return c
}

func (c *child) proc(t *testing.T) Proc {
	t.Helper()
	st, err := procfs.ReadStat(c.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	return Proc{PID: st.PID, StartTime: st.StartTime}
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// signal returns the signal that ended the child (0 if it exited).
func (c *child) signal() syscall.Signal {
	<-c.done
	ws := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

func testLog() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

// deadProc is a process that no longer runs.
func deadProc(t *testing.T) Proc {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return Proc{PID: cmd.Process.Pid, StartTime: 1}
}

// waitReady waits until a shell has set its traps (it prints "ready").
func waitReady(t *testing.T, path string) {
	t.Helper()
	testutil.Eventually(t, path+" to say ready", func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "ready")
	})
}

// TestRecoverStopsLeftovers: the recorded children that still run are
// stopped as configured (stop signal; SIGKILL after stopwaitsecs; to the
// group with stopasgroup); a live process whose start time differs from
// the record (a reused pid) and a dead one are left alone.
func TestRecoverStopsLeftovers(t *testing.T) {
	dir := t.TempDir()
	plain := startChild(t, "exec sleep 1000")
	stubborn := startChild(t, "trap '' TERM; echo ready > "+dir+"/stubborn; while :; do sleep 1; done")
	family := startChild(t, "sleep 1000 & echo $! > "+dir+"/grandchild; wait")
	stranger := startChild(t, "exec sleep 1000")
	waitReady(t, dir+"/stubborn")
	var grandchild int
	testutil.Eventually(t, "the grandchild's pid", func() bool {
		b, _ := os.ReadFile(dir + "/grandchild")
		if !bytes.HasSuffix(b, []byte("\n")) {
			return false // not yet, or not all of it
		}
		grandchild, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return grandchild > 0
	})
	strangerProc := stranger.proc(t)
	strangerProc.StartTime++ // the record is of an earlier process with this pid

	path := filepath.Join(dir, "supervisord.pid.children")
	s := &State{Version: stateVersion, Config: "/etc/x.conf", Daemon: deadProc(t), Children: []Child{
		{Name: "plain", Proc: plain.proc(t), Stop: Stop{Signal: syscall.SIGTERM, WaitSecs: 10}},
		{Name: "stubborn", Proc: stubborn.proc(t), Stop: Stop{Signal: syscall.SIGTERM, WaitSecs: 1}},
		{Name: "grp:family", Proc: family.proc(t), Stop: Stop{Signal: syscall.SIGHUP, WaitSecs: 10, AsGroup: true, KillAsGroup: true}},
		{Name: "stranger", Proc: strangerProc, Stop: Stop{Signal: syscall.SIGTERM, WaitSecs: 10}},
		{Name: "dead", Proc: deadProc(t), Stop: Stop{Signal: syscall.SIGTERM, WaitSecs: 10}},
	}}
	if err := writeState(path, s); err != nil {
		t.Fatal(err)
	}
	log, buf := testLog()
	if err := Recover(context.Background(), path, "/etc/x.conf", log); err != nil {
		t.Fatal(err)
	}
	if sig := plain.signal(); sig != syscall.SIGTERM {
		t.Errorf("plain ended by %v, want SIGTERM", sig)
	}
	if sig := stubborn.signal(); sig != syscall.SIGKILL {
		t.Errorf("stubborn ended by %v, want SIGKILL", sig)
	}
	if sig := family.signal(); sig != syscall.SIGHUP {
		t.Errorf("family ended by %v, want SIGHUP", sig)
	}
	// The grandchild got the signal with its group; it ends on its own
	// time (it is init's child now).
	testutil.Eventually(t, "the stopasgroup grandchild to end", func() bool {
		st, err := procfs.ReadStat(grandchild)
		return err != nil || st.Zombie() || st.PGID != family.cmd.Process.Pid
	})
	if stranger.exited() {
		t.Error("the process with a reused pid was signalled")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the state file is still there")
	}
	out := buf.String()
	for _, want := range []string{
		"did not shut down cleanly; stopping the processes it left running",
		"stopping leftover 'plain' (pid ", "killing leftover 'stubborn' (pid ",
		"stopping leftover 'grp:family' (pid ", "with SIGHUP",
		"leftover 'stranger' (pid ", "is another process now, left alone",
		"leftover 'dead' (pid ", "is no longer running",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestRecoverLeavesOthersAlone: a state file of another configuration is
// not acted on; one whose daemon still runs is an error; no file, or a
// damaged one, is not.
func TestRecoverLeavesOthersAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.children")
	victim := startChild(t, "exec sleep 1000")
	children := []Child{{Name: "v", Proc: victim.proc(t), Stop: Stop{Signal: syscall.SIGTERM, WaitSecs: 1}}}
	log, buf := testLog()

	writeState(path, &State{Version: stateVersion, Config: "/other.conf", Daemon: deadProc(t), Children: children})
	if err := Recover(context.Background(), path, "/mine.conf", log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "was written by a supervisord on /other.conf, not /mine.conf") {
		t.Errorf("log:\n%s", buf)
	}

	daemon := startChild(t, "exec sleep 1000")
	writeState(path, &State{Version: stateVersion, Config: "/mine.conf", Daemon: daemon.proc(t), Children: children})
	if err := Recover(context.Background(), path, "/mine.conf", log); !errors.Is(err, ErrDaemonRunning) {
		t.Fatalf("Recover with the daemon alive: %v", err)
	}
	if victim.exited() {
		t.Fatal("a child was stopped")
	}

	os.Remove(path)
	if err := Recover(context.Background(), path, "/mine.conf", log); err != nil {
		t.Errorf("no state file: %v", err)
	}
	os.WriteFile(path, []byte("{not json"), 0o600)
	buf.Reset()
	if err := Recover(context.Background(), path, "/mine.conf", log); err != nil {
		t.Errorf("damaged state file: %v", err)
	}
	if !strings.Contains(buf.String(), "is damaged") {
		t.Errorf("log:\n%s", buf)
	}
}

// TestRecorder: the file follows Spawned and the children's exits,
// ignores a pid that is not this process's child, and goes on Close.
func TestRecorder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run", "d.pid.children") // run/ does not exist yet
	log, _ := testLog()
	r, err := NewRecorder(path, "/c.conf", log)
	if err != nil {
		t.Fatal(err)
	}
	// A child already reaped when the writer reads its start time, and a
	// pid that is not this process's child, are not recorded.
	gone := startChild(t, "exit 0")
	<-gone.done
	r.Spawned("gone", gone.cmd.Process.Pid, Stop{Signal: syscall.SIGTERM})
	a := startChild(t, "exec sleep 1000")
	r.Spawned("g:a", a.cmd.Process.Pid, Stop{Signal: syscall.SIGHUP, WaitSecs: 3, AsGroup: true, KillAsGroup: true})
	r.Spawned("init", 1, Stop{Signal: syscall.SIGTERM})
	want := Child{Name: "g:a", Proc: a.proc(t), Stop: Stop{Signal: syscall.SIGHUP, WaitSecs: 3, AsGroup: true, KillAsGroup: true}}
	waitState(t, path, func(s State) bool { return len(s.Children) == 1 && s.Children[0] == want })
	// Spawned again: the file holds the new child, once its start time
	// is read.
	a2 := startChild(t, "exec sleep 1001")
	r.Spawned("g:a", a2.cmd.Process.Pid, Stop{Signal: syscall.SIGHUP, WaitSecs: 3, AsGroup: true, KillAsGroup: true})
	want.Proc = a2.proc(t)
	waitState(t, path, func(s State) bool { return len(s.Children) == 1 && s.Children[0] == want })
	s, _ := readState(path)
	if s.Config != "/c.conf" || s.Daemon.PID != os.Getpid() {
		t.Errorf("state %+v", s)
	}
	// Once a child has exited, a refresh of another name keeps it (its
	// liveness is not read), its own refresh drops it, and a refresh of
	// every child drops the rest.
	b := startChild(t, "exec sleep 1000")
	r.Spawned("b", b.cmd.Process.Pid, Stop{Signal: syscall.SIGTERM})
	waitState(t, path, func(s State) bool { return len(s.Children) == 2 })
	for _, c := range []*child{a2, b} {
		syscall.Kill(c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
	r.Refresh("other")
	r.Refresh("g:a")
	waitState(t, path, func(s State) bool { return len(s.Children) == 1 && s.Children[0].Name == "b" })
	r.Refresh("")
	waitState(t, path, func(s State) bool { return len(s.Children) == 0 })
	r.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("Close left the state file")
	}
	r.Close() // twice is fine
}

func waitState(t *testing.T, path string, ok func(State) bool) {
	t.Helper()
	var b []byte
	if !testutil.Poll(testutil.Timeout, func() bool {
		b, _ = os.ReadFile(path)
		var s State
		return json.Unmarshal(b, &s) == nil && ok(s)
	}) {
		t.Fatalf("state file never matched; last:\n%s", b)
	}
}
