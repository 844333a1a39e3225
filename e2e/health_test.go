//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestLivenessRestartsAProcessThatStopsAnswering: the web server is
// frozen (SIGSTOP); its liveness probe times out, and the daemon restarts
// it (SIGKILL after stopwaitsecs: a frozen process ignores SIGTERM).
func TestLivenessRestartsAProcessThatStopsAnswering(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePorts(t, 1)[0])
	d := startDaemon(t, fmt.Sprintf(`
[program:web]
command=%s web %s 127.0.0.1:1
startsecs=0
stopwaitsecs=1
liveness_probe=http://%s/
liveness_period=0.2
liveness_timeout=0.2
liveness_failure_threshold=2
`, filepath.Join(binDir, "chaindemo"), addr, addr))
	tl := d.follow()
	first := d.waitHealth("web", gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY)
	if r := d.gcCtl("signal", "STOP", "web"); r.code != 0 {
		t.Fatalf("signal STOP: %d %s", r.code, r.stdout)
	}
	tl.waitOrder(t, "health UNHEALTHY web", "STOPPING web", "STOPPED web", "STARTING web", "health HEALTHY web")
	again := d.waitHealth("web", gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY)
	if again.GetPid() == first.GetPid() {
		t.Errorf("same pid %d after the restart", again.GetPid())
	}
	if lp := again.GetLastProbe(); lp.GetProbe() != gsupervisorv1.ProbeType_PROBE_TYPE_LIVENESS || !lp.GetPassed() || !strings.HasPrefix(lp.GetOutput(), "HTTP 200 OK") {
		t.Errorf("last probe %v", lp)
	}
	ok := testutil.Poll(testutil.Timeout, func() bool {
		return strings.Contains(d.readLog(), "liveness probe of web failed 2 times (timed out after 200ms")
	})
	if !ok {
		t.Errorf("main log:\n%s", d.readLog())
	}
}

// waitHealth polls until the process has the health.
func (d *daemon) waitHealth(name string, want gsupervisorv1.ProcessHealth) *gsupervisorv1.ProcessInfo {
	d.t.Helper()
	var last *gsupervisorv1.ProcessInfo
	testutil.Eventually(d.t, fmt.Sprintf("%s to be %s", name, want), func() bool {
		r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: name})
		if err != nil {
			return false
		}
		last = r.GetProcess()
		return last.GetHealth() == want
	})
	return last
}

// readLog returns the daemon's main log.
func (d *daemon) readLog() string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	return string(b)
}

// TestHungProbesStallNothing: 100 programs whose probes hang (a command
// that sleeps an hour, with an hour's timeout) do not delay another
// program's spawn or the API.
func TestHungProbesStallNothing(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "[program:h%03d]\ncommand=sleep 1000\nstartsecs=0\nreadiness_probe=exec:sleep 3600\nreadiness_timeout=1h\nstopwaitsecs=2\n\n", i)
	}
	b.WriteString("[program:other]\ncommand=sleep 1000\nautostart=false\nstartsecs=0\n")
	d := startDaemon(t, b.String())
	d.waitState("h099", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	// Every probe is hanging now.
	daemonPid := d.cmd.Process.Pid
	testutil.Eventually(t, "100 hung probes", func() bool { return countChildren(daemonPid, "sleep\x003600") >= 100 })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.processes().ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{}); err != nil {
				errs <- err
			}
		}()
	}
	if _, err := d.processes().StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "other", Wait: true}); err != nil {
		t.Fatalf("start while 100 probes hang: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("ListProcesses while 100 probes hang: %v", err)
	}
	for _, p := range mustList(t, d) {
		if strings.HasPrefix(p.GetName(), "h") && p.GetHealth() != gsupervisorv1.ProcessHealth_PROCESS_HEALTH_STARTING {
			t.Errorf("%s: %s", p.GetName(), p.GetHealth())
		}
	}
	// The shutdown kills the hung probes with their processes.
	probes := childPids(daemonPid, "sleep\x003600")
	d.stop()
	testutil.Eventually(t, "the hung probes to be killed", func() bool {
		for _, pid := range probes {
			if testutil.Alive(pid) {
				return false
			}
		}
		return true
	})
}

// childPids returns the children of pid whose command line (NUL-separated)
// contains substr.
func childPids(pid int, substr string) []int {
	var out []int
	paths, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		for _, f := range strings.Fields(string(b)) {
			cmd, _ := os.ReadFile("/proc/" + f + "/cmdline")
			if strings.Contains(string(cmd), substr) {
				var c int
				fmt.Sscan(f, &c)
				out = append(out, c)
			}
		}
	}
	return out
}

// countChildren counts the children of pid whose command line contains
// substr.
func countChildren(pid int, substr string) int { return len(childPids(pid, substr)) }

// mustList returns every process.
func mustList(t *testing.T, d *daemon) []*gsupervisorv1.ProcessInfo {
	t.Helper()
	r, err := d.processes().ListProcesses(d.ctx(), &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return r.GetProcesses()
}
