package process

import (
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestReapOrphansLeavesSupervisedProcesses: the orphan reaper reaps an
// exited child it did not spawn, but never the exit of a supervised
// process, whose own watcher must get the status.
func TestReapOrphansLeavesSupervisedProcesses(t *testing.T) {
	// An unsupervised child that exits with 5 (as an orphan re-parented to
	// the daemon would).
	stray := exec.Command("sh", "-c", "exit 5")
	if err := stray.Start(); err != nil {
		t.Fatal(err)
	}
	// A supervised process that exits with 3 at the same time.
	p, _ := newProc(t, "sh -c 'exit 3'", nil)
	var out testutil.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the stray child to be reaped", func() bool {
		reapOrphansOnce(func() *slog.Logger { return log })
		return strings.Contains(out.String(), "reaped unknown pid "+strconv.Itoa(stray.Process.Pid)+" (exit status 5)")
	})
	info := waitState(t, p, Exited)
	if info.ExitStatus != 3 {
		t.Fatalf("the supervised process lost its exit status: %+v", info)
	}
	if err := syscall.Kill(stray.Process.Pid, 0); err == nil {
		t.Fatal("the stray child is still there")
	}
}
