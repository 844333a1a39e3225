//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// TestWebShowsHealthAndDisabled: the dashboard's rows say a process's
// health, live (from the PROCESS_HEALTH events), and that a program is
// disabled.
func TestWebShowsHealthAndDisabled(t *testing.T) {
	haveChromium(t)
	d := startWebDaemon(t, wbConfig{programs: `
[program:svc]
command=sleep 1000
startsecs=0
liveness_probe=exec:test -f %(here)s/alive
liveness_period=0.2
liveness_failure_threshold=1
liveness_action=report

[program:off]
command=sleep 1000
startsecs=0
`, files: map[string]string{"alive": ""}})
	d.waitState("off", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	if r := d.gcCtl("disable", "off"); r.code != 0 {
		t.Fatalf("disable off: %d %s", r.code, r.stdout)
	}
	b := startBrowser(t, 1280, 900)
	b.openDashboard(d.base)
	note := func(ns string) string {
		return fmt.Sprintf(`(document.querySelector('tr[data-namespec=%q] .note') || {}).textContent`, ns)
	}
	b.waitJS("svc healthy", note("svc")+` === "healthy"`)
	b.waitJS("off disabled", note("off")+` === "disabled"`)
	// The probe starts failing: the row follows without a reload.
	if err := os.Remove(filepath.Join(d.dir, "alive")); err != nil {
		t.Fatal(err)
	}
	b.waitJS("svc unhealthy", note("svc")+` === "unhealthy"`)
}
