//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The foreign clients' tests: the generated Python and Node clients and
// grpcurl (through reflection) drive a daemon whose unix socket is open
// and whose TCP port requires credentials.

const (
	clUser = "alice"
	clPass = "clients-secret"
)

// clientsPrograms: cat (stdin → stdout log) and ticker (a line a second).
const clientsPrograms = `
[program:cat]
command=cat
startsecs=0

[program:ticker]
command=/bin/sh -c 'while :; do echo tick; sleep 1; done'
startsecs=0
stopasgroup=true
`

// clientsDaemon is a daemon for the foreign clients.
type clientsDaemon struct {
	*daemon
	addr string // the TCP port, host:port
}

// startClientsDaemon starts a daemon with an open unix socket and a TCP
// port that requires clUser:clPass.
func startClientsDaemon(t *testing.T, programs string) *clientsDaemon {
	t.Helper()
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	d, port := startOnFreePort(t, dir, filepath.Join(dir, "supervisord.conf"), filepath.Join(dir, "s.sock"), func(port int) string {
		return configBody(programs) + fmt.Sprintf("\n[inet_http_server]\nport=127.0.0.1:%d\nusername=%s\npassword=%s\n", port, clUser, clPass)
	})
	return &clientsDaemon{daemon: d, addr: fmt.Sprintf("127.0.0.1:%d", port)}
}

// startOnFreePort writes conf(port), a configuration with an inet port, to
// confPath for a free port and starts the daemon on it (unix socket sock),
// trying another port if one was taken meanwhile; it returns the daemon,
// serving, and the port.
func startOnFreePort(t *testing.T, dir, confPath, sock string, conf func(port int) string) (*daemon, int) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		port := testutil.FreePorts(t, 1)[0]
		if err := os.WriteFile(confPath, []byte(conf(port)), 0o644); err != nil {
			t.Fatal(err)
		}
		d := &daemon{t: t, dir: dir, conf: confPath, sock: sock, out: &testutil.Buffer{}, exited: make(chan struct{})}
		ok := d.launchOnPort("the daemon to serve", func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
			defer cancel()
			_, err := gsupervisorv1.NewSupervisorServiceClient(d.conn).GetState(ctx, &gsupervisorv1.GetStateRequest{})
			return err == nil
		})
		if ok {
			return d, port
		}
		if attempt == 3 {
			t.Fatalf("the daemon could not listen on a free port three times:\n%s", d.out)
		}
	}
}

// runBounded runs cmd, killing it (our child, by its id) if it runs
// longer than clientTimeout.
func runBounded(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(clientTimeout, func() { cmd.Process.Kill() })
	defer timer.Stop()
	return cmd.Wait()
}

// clientTimeout bounds one client program.
const clientTimeout = 2 * time.Minute

// runClient runs a client program (argv) with the daemon's socket,
// address and credentials as its last arguments, in dir with env added,
// and fails the test unless it prints PASS.
func (d *clientsDaemon) runClient(t *testing.T, dir string, env []string, argv ...string) string {
	t.Helper()
	cmd := exec.Command(argv[0], append(argv[1:], d.sock, d.addr, clUser, clPass)...)
	cmd.Dir = dir
	cmd.Env = append(offlineEnv(), env...)
	var out testutil.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := runBounded(t, cmd); err != nil || !strings.Contains(out.String(), "PASS") {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out.String())
	}
	t.Logf("%s:\n%s", strings.Join(argv, " "), out.String())
	return out.String()
}

// repoPath returns the absolute path of a file of the repository.
func repoPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pythonEnv is the environment of the Python client: the generated
// package on the path, no bytecode written into the repository.
func pythonEnv(t *testing.T) []string {
	return []string{"PYTHONPATH=" + repoPath(t, "gen/python"), "PYTHONDONTWRITEBYTECODE=1"}
}

// TestPythonClient drives the daemon from the generated Python client with
// Debian's grpcio, in the same interpreter as Supervisor's own
// supervisor.childutils: unary calls, both server streams, cancellation
// mid-stream, auth good and bad, a typed error, health.
func TestPythonClient(t *testing.T) {
	d := startClientsDaemon(t, clientsPrograms)
	d.waitState("ticker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.runClient(t, ".", pythonEnv(t), "/usr/bin/python3", "testdata/clients/python_client.py")
}

// TestNodeClient drives the daemon from the generated TypeScript client,
// compiled to gen/ts/dist, with @grpc/grpc-js: the same checks.
func TestNodeClient(t *testing.T) {
	if _, err := os.Stat(repoPath(t, "gen/ts/node_modules/@grpc/grpc-js")); err != nil {
		t.Fatalf("the TypeScript client's runtime is not installed: run make deps (npm ci in gen/ts): %v", err)
	}
	d := startClientsDaemon(t, clientsPrograms)
	d.waitState("ticker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.runClient(t, ".", nil, "node", "testdata/clients/node_client.js")
}

// TestClientErrorHelpers checks the Python and Node helpers that read
// (reason, detail) on errors no daemon sends today: an unknown reason (a
// newer daemon) reads as ERROR_REASON_FAILED; another domain's ErrorInfo,
// no details, undecodable details and errors that are not gRPC errors
// read as none.
func TestClientErrorHelpers(t *testing.T) {
	for _, argv := range [][]string{
		{"/usr/bin/python3", "testdata/clients/errorinfo_python.py"},
		{"node", "testdata/clients/errorinfo_node.js"},
	} {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(offlineEnv(), pythonEnv(t)...)
		var out testutil.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := runBounded(t, cmd); err != nil || !strings.Contains(out.String(), "PASS") {
			t.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out.String())
		}
	}
}

// grpcurlOnce builds the pinned grpcurl (tools/grpcurl) once per run.
var grpcurlOnce = sync.OnceValues(func() (string, error) {
	out := filepath.Join(binDir, "grpcurl")
	cmd := exec.Command("go", "build", "-modfile=tools/grpcurl/go.mod", "-o", out, "github.com/fullstorydev/grpcurl/cmd/grpcurl")
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build grpcurl: %w\n%s", err, b)
	}
	return out, nil
})

// grpcurl returns the path of the pinned grpcurl.
func grpcurl(t *testing.T) string {
	t.Helper()
	p, err := grpcurlOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
