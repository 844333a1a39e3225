package surface

// This file is the module's layering test: the package boundaries of
// ARCHITECTURE.md ("the compiler enforces it") checked on the real import
// graph with `go list -deps`. It lives here because internal/surface is
// the contract that decides what a surface may see. A new surface (web)
// or command adds its row.

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// module is the module path.
const module = "github.com/gsupervisor/gsupervisor"

// core are the daemon's own packages behind the API.
var core = []string{
	module + "/internal/config", module + "/internal/supervisor", module + "/internal/process",
	module + "/internal/logs", module + "/internal/poller", module + "/internal/events",
	module + "/internal/server",
}

// boundaries lists, per package, the import paths (or path prefixes) that
// must not be among its dependencies.
var boundaries = []struct {
	pkg       string
	forbidden []string
	why       string
}{
	{module + "/compat", append(core, module+"/gen/go/gateway", "github.com/grpc-ecosystem/grpc-gateway"),
		"the legacy surface reaches the service only through gRPC (internal/surface, gen/ and leaves)"},
	{module + "/web", append(core, module+"/compat", module+"/gen/go/gateway", "github.com/grpc-ecosystem/grpc-gateway"),
		"the web interface reaches the service only through gRPC (and its page through REST)"},
	{module + "/internal/surface", append(core, module+"/compat", module+"/web"),
		"the surface contract is a leaf"},
	{module + "/ctl", []string{
		module + "/internal/server", module + "/internal/supervisor", module + "/internal/process",
		module + "/internal/logs", module + "/internal/poller", module + "/internal/events",
		module + "/internal/surface", module + "/compat", module + "/web", module + "/gen/go/gateway",
		"github.com/grpc-ecosystem/grpc-gateway",
	}, "supervisorctl links no server code (it reads [supervisorctl] through internal/config)"},
	{module + "/gen/go/gsupervisor/v1", []string{module + "/internal", module + "/compat", module + "/ctl",
		module + "/gen/go/gateway", "github.com/grpc-ecosystem/grpc-gateway"},
		"the public stubs are importable alone"},
	{module + "/internal/pytext", []string{module + "/"}, "a leaf"},
	{module + "/internal/loglevel", []string{module + "/"}, "a leaf"},
	{module + "/internal/symlinks", []string{module + "/"}, "a leaf"},
	{module + "/internal/faults", []string{module + "/internal", module + "/compat"}, "a leaf over the generated API"},
	{module + "/internal/supervisor", []string{module + "/gen", module + "/internal/server", module + "/compat",
		module + "/internal/metrics", "google.golang.org/grpc", "google.golang.org/protobuf", "net/http",
		"github.com/prometheus"},
		"the core is plain Go: no proto, gRPC, HTTP or Prometheus (metrics read it at scrape time)"},
	{module + "/internal/probe", []string{module + "/", "net/http"},
		"the probes the core runs are a leaf; the HTTP check is internal/httpprobe, wired in by the daemon"},
}

// goTool returns the go command.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// TestBoundaries checks every row of boundaries against go list -deps.
func TestBoundaries(t *testing.T) {
	for _, b := range boundaries {
		out, err := exec.Command(goTool(), "list", "-deps", "-f", "{{.ImportPath}}", b.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", b.pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) == 0 || deps[len(deps)-1] != b.pkg {
			t.Fatalf("go list -deps %s listed %d packages, not ending with the package", b.pkg, len(deps))
		}
		for _, dep := range deps[:len(deps)-1] {
			for _, f := range b.forbidden {
				if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") {
					t.Errorf("%s depends on %s (%s)", b.pkg, dep, b.why)
				}
			}
		}
	}
}
