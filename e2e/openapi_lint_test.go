//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// nodeTool returns the path of a pinned Node tool of tools/node, which
// make deps installs.
func nodeTool(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "tools", "node", "node_modules", ".bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not installed: run make deps (npm ci in tools/node): %v", name, err)
	}
	return p
}

// offlineEnv is the environment of the Node tools: no telemetry, no
// update checks (tests reach nothing beyond loopback).
func offlineEnv() []string {
	return append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "DO_NOT_TRACK=1",
		"NO_UPDATE_NOTIFIER=1", "npm_config_update_notifier=false")
}

// TestOpenAPILinters fetches /openapi.json and /swagger.json from a daemon
// with credentials and runs the pinned Redocly CLI (recommended rules) and
// swagger-cli on both: neither may report an error, and the OpenAPI 3
// document must declare Basic auth.
func TestOpenAPILinters(t *testing.T) {
	redocly, swagger := nodeTool(t, "redocly"), nodeTool(t, "swagger-cli")
	d := rsStart(t, &rsHits{}, "")
	dir := t.TempDir()
	for _, path := range []string{"/openapi.json", "/swagger.json"} {
		r := rsRaw(t, d.inet, d.inet.auth, "GET", path)
		if r.status != 200 {
			t.Fatalf("GET %s: %v", path, r)
		}
		if path == "/openapi.json" && !strings.Contains(string(r.body), `"scheme": "basic"`) {
			t.Errorf("%s declares no Basic auth scheme", path)
		}
		file := filepath.Join(dir, strings.TrimPrefix(path, "/"))
		if err := os.WriteFile(file, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{redocly, "lint", "--config", "../tools/node/redocly.yaml", "--format", "summary", file},
			{swagger, "validate", file},
		} {
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = offlineEnv()
			out, err := cmd.CombinedOutput()
			if err != nil || strings.Contains(string(out), "error ") {
				t.Errorf("%s %s: %v\n%s", filepath.Base(args[0]), path, err, out)
			}
			t.Logf("%s %s:\n%s", filepath.Base(args[0]), path, out)
		}
	}
}
