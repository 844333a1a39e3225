//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/procfs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// running returns the pids of the processes whose command line is argv.
func running(argv ...string) []int {
	want := strings.Join(argv, "\x00") + "\x00"
	var pids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil || string(b) != want {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if testutil.Alive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestCrashRecovery: supervisord is killed with SIGKILL, its programs
// keep running; started again on the same configuration, it stops them
// (logged, by the stop settings of each) before starting its programs, so
// no program runs twice; a program caught in STARTING is recorded too.
// A clean shutdown leaves no state file.
func TestCrashRecovery(t *testing.T) {
	programs := `
[program:plain]
command=sleep 100001

[program:family]
command=sh -c 'sleep 100002 & wait'
stopasgroup=true
startsecs=0

[program:slow]
command=sleep 100003
startsecs=3600
`
	argvs := [][]string{{"sleep", "100001"}, {"sleep", "100002"}, {"sleep", "100003"}}
	// The programs outlive the daemon killed below: whatever happens, they
	// must not outlive the test.
	t.Cleanup(func() {
		for _, argv := range argvs {
			for _, pid := range running(argv...) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	d := startDaemon(t, programs)
	d.waitState("plain", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("family", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("slow", gsupervisorv1.ProcessState_PROCESS_STATE_STARTING)
	statePath := filepath.Join(d.dir, "supervisord.pid.children")
	var state struct {
		Children []struct {
			Name string `json:"name"`
			PID  int    `json:"pid"`
		} `json:"children"`
	}
	testutil.Eventually(t, "three children in the state file", func() bool {
		b, _ := os.ReadFile(statePath)
		return json.Unmarshal(b, &state) == nil && len(state.Children) == 3
	})
	var old []int
	for _, argv := range argvs {
		pids := running(argv...)
		if len(pids) != 1 {
			t.Fatalf("%v runs %d times before the crash", argv, len(pids))
		}
		old = append(old, pids[0])
	}

	// The crash: the programs survive their daemon.
	d.cmd.Process.Kill()
	<-d.exited
	for _, pid := range old {
		if !testutil.Alive(pid) {
			t.Fatalf("program pid %d died with the daemon", pid)
		}
	}

	// The restart.
	d.out = &testutil.Buffer{}
	d.start()
	d.waitState("plain", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("family", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("slow", gsupervisorv1.ProcessState_PROCESS_STATE_STARTING)
	// The recovery waited for each program it stopped, not for family's
	// grandchild, which got the signal with its group and dies on its own
	// time.
	for _, pid := range old {
		testutil.Eventually(t, "the old program pid "+strconv.Itoa(pid)+" to end", func() bool { return !testutil.Alive(pid) })
	}
	for _, argv := range argvs {
		if n := len(running(argv...)); n != 1 {
			t.Errorf("%v runs %d times after the restart", argv, n)
		}
	}
	log, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	for _, want := range []string{
		"did not shut down cleanly; stopping the processes it left running",
		"WARN stopping leftover 'plain' (pid " + strconv.Itoa(old[0]) + ") with SIGTERM",
		"WARN stopping leftover 'family' (pid ",
		"WARN stopping leftover 'slow' (pid ",
		"INFO stopped leftover 'plain' (pid " + strconv.Itoa(old[0]) + ")",
	} {
		if !strings.Contains(string(log), want) {
			t.Errorf("main log lacks %q:\n%s", want, log)
		}
	}
	// Recovery comes before the programs start.
	s := string(log)
	restart := strings.LastIndex(s, "did not shut down cleanly")
	if spawn := strings.LastIndex(s, "spawned: 'plain'"); spawn < restart {
		t.Errorf("plain was spawned before the recovery:\n%s", log)
	}

	d.stop()
	if _, err := os.Stat(statePath); !os.IsNotExist(err) {
		t.Errorf("a clean shutdown left the state file")
	}
	for _, argv := range argvs {
		testutil.Eventually(t, strings.Join(argv, " ")+" to end after the shutdown", func() bool { return len(running(argv...)) == 0 })
	}
}

// TestStateFileFollowsExits: the state file holds a child from its spawn
// (with its start time) until it exits or is stopped, and a respawned
// program's new child replaces the old one.
func TestStateFileFollowsExits(t *testing.T) {
	d := startDaemon(t, `
[program:dies]
command=sleep 100011
autorestart=false
startsecs=0

[program:stopped]
command=sleep 100012
startsecs=0

[program:respawns]
command=sleep 100013
autorestart=true
startsecs=0
`)
	statePath := filepath.Join(d.dir, "supervisord.pid.children")
	type child struct {
		Name      string `json:"name"`
		PID       int    `json:"pid"`
		StartTime uint64 `json:"start_time"`
	}
	children := func() map[string]child {
		var s struct {
			Children []child `json:"children"`
		}
		b, _ := os.ReadFile(statePath)
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		out := map[string]child{}
		for _, c := range s.Children {
			out[c.Name] = c
		}
		return out
	}
	// recorded reports whether the file holds exactly the live children of
	// names, each with its pid and start time.
	recorded := func(names ...string) bool {
		got := children()
		if len(got) != len(names) {
			return false
		}
		for _, n := range names {
			info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: n})
			c, ok := got[n]
			if err != nil || !ok || int(info.GetProcess().GetPid()) != c.PID {
				return false
			}
			if st, err := procfs.ReadStat(c.PID); err != nil || st.StartTime != c.StartTime {
				return false
			}
		}
		return true
	}
	for _, n := range []string{"dies", "stopped", "respawns"} {
		d.waitState(n, gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	}
	testutil.Eventually(t, "three children recorded", func() bool { return recorded("dies", "stopped", "respawns") })

	dies := children()["dies"].PID
	syscall.Kill(dies, syscall.SIGKILL)
	d.waitState("dies", gsupervisorv1.ProcessState_PROCESS_STATE_EXITED)
	testutil.Eventually(t, "the exited child dropped", func() bool { return recorded("stopped", "respawns") })

	if _, err := d.processes().StopProcess(d.ctx(), &gsupervisorv1.StopProcessRequest{Name: "stopped", Wait: true}); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the stopped child dropped", func() bool { return recorded("respawns") })

	old := children()["respawns"].PID
	syscall.Kill(old, syscall.SIGKILL)
	testutil.Eventually(t, "the respawned child recorded", func() bool {
		return children()["respawns"].PID != old && recorded("respawns")
	})
}
