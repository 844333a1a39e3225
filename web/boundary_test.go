package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsNoCore keeps the web interface a client of the API: it must
// not import the server or the core (rule 1 of ARCHITECTURE.md), only
// the generated API, internal/surface and leaf helpers.
func TestImportsNoCore(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const module = "github.com/gsupervisor/gsupervisor/"
	for _, imp := range strings.Fields(string(out)) {
		for _, core := range []string{"internal/server", "internal/supervisor", "internal/process", "internal/logs",
			"internal/config", "internal/events", "internal/poller", "internal/errdefs", "gen/go/gateway"} {
			if imp == module+core || strings.HasPrefix(imp, module+core+"/") {
				t.Errorf("web imports %s", imp)
			}
		}
	}
}
