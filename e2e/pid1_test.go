//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestPID1ReapsOrphans runs the daemon as PID 1 of a new PID namespace (a
// container): a program's child that outlives its parent becomes the
// daemon's child, and the daemon reaps it instead of leaving a zombie. The
// child exits only once its parent (whose pid $$ the parent wrote into its
// command) is gone, so it is an orphan however slow the machine.
func TestPID1ReapsOrphans(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a PID namespace")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare not installed")
	}
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	conf := filepath.Join(dir, "supervisord.conf")
	os.WriteFile(conf, []byte(configBody(`
[program:orphaner]
command=sh -c 'sh -c "while kill -0 $$ 2>/dev/null; do sleep 0.05; done; exit 7" & exit 0'
startsecs=0
autorestart=false

; As PID 1 the daemon is in container mode, which ends it once every
; program has finished: this one keeps it until the orphan is reaped.
[program:keeper]
command=sleep 1000
startsecs=0
`)), 0o644)
	var out bytes.Buffer
	cmd := exec.Command("unshare", "--pid", "--fork", "--kill-child=SIGTERM", "--mount-proc", filepath.Join(binDir, "supervisord"), "-c", conf, "-n")
	cmd.Stdout, cmd.Stderr = &out, &out
	testutil.StartDaemon(t, cmd)
	log := filepath.Join(dir, "supervisord.log")
	testutil.Eventually(t, "the orphan to be reaped", func() bool {
		b, _ := os.ReadFile(log)
		return strings.Contains(string(b), "(exit status 7)") && strings.Contains(string(b), "reaped unknown pid ")
	})
	// The program's own exit is reported as such (not as an unknown pid).
	// Its line may come after the orphan's: the orphan ends as soon as its
	// parent is reaped, which is before the exit is logged.
	testutil.Eventually(t, "the program's own exit to be reported", func() bool {
		b, _ := os.ReadFile(log)
		return strings.Contains(string(b), "exited: orphaner (exit status 0; expected)")
	})
	b, _ := os.ReadFile(log)
	if n := strings.Count(string(b), "reaped unknown pid "); n != 1 {
		t.Errorf("%d processes reaped as unknown, want the orphan alone:\n%s", n, b)
	}
}
