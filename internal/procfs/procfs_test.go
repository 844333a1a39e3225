package procfs

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestParseStatOddName(t *testing.T) {
	line := "4242 (a) (b c) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 2 3\n"
	s, err := ParseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if s != (Stat{PID: 4242, State: 'S', PPID: 17, PGID: 4242, StartTime: 987654}) {
		t.Fatalf("got %+v", s)
	}
	for _, bad := range []string{"", "12 (x", "12 (x) S 1 2", "x (y) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5", "1 (y) S p 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5"} {
		if _, err := ParseStat([]byte(bad)); err == nil {
			t.Errorf("ParseStat(%q) succeeded", bad)
		}
	}
}

// TestReadStatChild reads a real child: its parent is us, it leads its
// own group, its start time is stable and differs from ours.
func TestReadStatChild(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 1000 & echo $!; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	buf := make([]byte, 32)
	n, _ := out.Read(buf)
	grandchild, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		t.Fatalf("grandchild pid %q", buf[:n])
	}
	s, err := ReadStat(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if s.PPID != os.Getpid() || s.PGID != cmd.Process.Pid || s.PID != cmd.Process.Pid || s.Zombie() {
		t.Errorf("child stat %+v", s)
	}
	me, err := ReadStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.StartTime < me.StartTime {
		t.Errorf("child started (%d) before us (%d)", s.StartTime, me.StartTime)
	}
	again, _ := ReadStat(cmd.Process.Pid)
	if again.StartTime != s.StartTime {
		t.Errorf("start time changed: %d then %d", s.StartTime, again.StartTime)
	}
	if !IsDescendant(grandchild, os.Getpid()) || !IsDescendant(cmd.Process.Pid, os.Getpid()) {
		t.Error("children are not descendants")
	}
	if IsDescendant(os.Getpid(), cmd.Process.Pid) || IsDescendant(1, os.Getpid()) {
		t.Error("descendant the wrong way round")
	}
}

func TestReadStatGone(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	// The reaped pid names no process (unless reused at once, which the
	// wait tolerates: a reused pid is soon free again).
	var err error
	if !testutil.Poll(testutil.Timeout, func() bool {
		_, err = ReadStat(cmd.Process.Pid)
		return errors.Is(err, ErrNoProcess)
	}) {
		t.Fatalf("ReadStat of a reaped pid: %v", err)
	}
	if _, err := ReadStat(0); !errors.Is(err, ErrNoProcess) {
		t.Errorf("ReadStat(0) = %v", err)
	}
}
