//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
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
		if !isZombie(pid) {
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
	d := startDaemon(t, programs)
	d.waitState("plain", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, 15*time.Second)
	d.waitState("family", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, 15*time.Second)
	d.waitState("slow", gsupervisorv1.ProcessState_PROCESS_STATE_STARTING, 15*time.Second)
	statePath := filepath.Join(d.dir, "supervisord.pid.children")
	var state struct {
		Children []struct {
			Name string `json:"name"`
			PID  int    `json:"pid"`
		} `json:"children"`
	}
	waitFor(t, 10*time.Second, "three children in the state file", func() bool {
		b, _ := os.ReadFile(statePath)
		return json.Unmarshal(b, &state) == nil && len(state.Children) == 3
	})
	var old []int
	for _, argv := range [][]string{{"sleep", "100001"}, {"sleep", "100002"}, {"sleep", "100003"}} {
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
		if !pidAlive(pid) || isZombie(pid) {
			t.Fatalf("program pid %d died with the daemon", pid)
		}
	}

	// The restart.
	d.out = &bytes.Buffer{}
	d.start()
	d.waitState("plain", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, 15*time.Second)
	d.waitState("family", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, 15*time.Second)
	for _, pid := range old {
		if pidAlive(pid) && !isZombie(pid) {
			t.Errorf("the old program pid %d still runs", pid)
		}
	}
	for _, argv := range [][]string{{"sleep", "100001"}, {"sleep", "100002"}, {"sleep", "100003"}} {
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
	for _, argv := range [][]string{{"sleep", "100001"}, {"sleep", "100002"}, {"sleep", "100003"}} {
		if n := len(running(argv...)); n != 0 {
			t.Errorf("%v still runs %d times after the shutdown", argv, n)
		}
	}
}
