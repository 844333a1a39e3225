package testutil

import (
	"os/exec"
	"strings"
	"testing"
)

// CheckMetrics runs `promtool check metrics` on a Prometheus exposition
// and fails the test with promtool's complaints. Without promtool the
// test skips (fails in CI: .ci/deps installs it).
func CheckMetrics(t testing.TB, exposition string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	Require(t, err)
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(exposition)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
