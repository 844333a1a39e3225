package process

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestExitWatchers runs the same lives under both exit watchers: the
// pidfd on the poller, and the wait4 goroutine that replaces it when the
// kernel gives no pidfd. Exits, stops, kills and restarts are reported
// alike, and no child is left unreaped.
func TestExitWatchers(t *testing.T) {
	for _, noPidfd := range []bool{false, true} {
		watcher := "pidfd"
		if noPidfd {
			watcher = "wait4"
		}
		// newProc makes p use the watcher under test, and checks that it
		// is the one watching.
		newProc := func(t *testing.T, command string, mod func(*config.ProcessConfig)) (*Process, *recorder) {
			p, rec := newProc(t, command, mod)
			p.noPidfd = noPidfd
			return p, rec
		}
		running := func(t *testing.T, p *Process) Info {
			t.Helper()
			info := waitState(t, p, Running)
			p.mu.Lock()
			hasPidfd := p.pidfd != nil
			p.mu.Unlock()
			if hasPidfd == noPidfd {
				t.Fatalf("the child has a pidfd: %v, want %v", hasPidfd, !noPidfd)
			}
			return info
		}
		t.Run(watcher+"/stop", func(t *testing.T) {
			p, rec := newProc(t, "sleep 1000", nil)
			if _, err := p.Start(); err != nil {
				t.Fatal(err)
			}
			pid := running(t, p).Pid
			if err := p.Stop(); err != nil {
				t.Fatal(err)
			}
			info := waitState(t, p, Stopped)
			if info.ExitStatus != -1 || info.Pid != 0 {
				t.Fatalf("stopped info = %+v", info)
			}
			if got, want := rec.states(), []State{Starting, Running, Stopping, Stopped}; !equalStates(got, want) {
				t.Fatalf("states = %v, want %v", got, want)
			}
			if rec.pids[len(rec.pids)-1] != pid || !strings.Contains(rec.logs.String(), "stopped: p (terminated by SIGTERM)") {
				t.Fatalf("STOPPED announced with pid %d (want %d); log:\n%s", rec.pids[len(rec.pids)-1], pid, rec.logs.String())
			}
		})
		t.Run(watcher+"/exit", func(t *testing.T) {
			p, rec := newProc(t, "sh -c 'read x; exit 3'", nil)
			if _, err := p.Start(); err != nil {
				t.Fatal(err)
			}
			running(t, p)
			if err := p.WriteStdin([]byte("go\n")); err != nil {
				t.Fatal(err)
			}
			info := waitState(t, p, Exited)
			if info.ExitStatus != 3 || info.SpawnErr != "Bad exit code 3" || info.ExitExpected {
				t.Fatalf("exited info = %+v", info)
			}
			if !strings.Contains(rec.logs.String(), "exited: p (exit status 3; not expected)") {
				t.Fatalf("log:\n%s", rec.logs.String())
			}
		})
		t.Run(watcher+"/kill", func(t *testing.T) {
			p, rec := newProc(t, `sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'`, func(c *config.ProcessConfig) { c.StopWaitSecs = 1 })
			if _, err := p.Start(); err != nil {
				t.Fatal(err)
			}
			running(t, p)
			testutil.Eventually(t, "the trap", func() bool { return strings.Contains(rec.out.String(), "ready") })
			if err := p.Stop(); err != nil {
				t.Fatal(err)
			}
			waitState(t, p, Stopped)
			if !strings.Contains(rec.logs.String(), "stopped: p (terminated by SIGKILL)") {
				t.Fatalf("log:\n%s", rec.logs.String())
			}
		})
		t.Run(watcher+"/restarts", func(t *testing.T) {
			// Each program fails twice (unexpected: restarted at once),
			// then exits 0 (expected: left EXITED).
			dir := t.TempDir()
			var ps []*Process
			var recs []*recorder
			for i := range 10 {
				count := filepath.Join(dir, strconv.Itoa(i))
				p, rec := newProc(t, fmt.Sprintf(`sh -c 'echo >> %s; [ $(wc -l < %s) -ge 3 ] && exit 0; exit 1'`, count, count),
					func(c *config.ProcessConfig) { c.Autorestart = config.AutorestartUnexpected })
				if _, err := p.Start(); err != nil {
					t.Fatal(err)
				}
				ps, recs = append(ps, p), append(recs, rec)
			}
			want := []State{Starting, Running, Exited, Starting, Running, Exited, Starting, Running, Exited}
			for i, p := range ps {
				testutil.Eventually(t, "three lives", func() bool { return len(recs[i].states()) >= len(want) })
				if info := waitState(t, p, Exited); info.ExitStatus != 0 || !info.ExitExpected {
					t.Fatalf("last exit: %+v", info)
				}
				if got := recs[i].states(); !equalStates(got, want) {
					t.Fatalf("states = %v, want %v", got, want)
				}
			}
			testutil.Eventually(t, "no zombie children", func() bool { return len(testutil.Zombies()) == 0 })
		})
	}
}
