package main

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// serve runs a gRPC server with the given registrations on a new unix
// socket and returns its serverurl.
func serve(t *testing.T, register func(*grpc.Server)) string {
	t.Helper()
	sock := filepath.Join(testutil.ShortTempDir(t), "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	register(s)
	go s.Serve(ln)
	t.Cleanup(s.Stop)
	return "unix://" + sock
}

// oldDaemon answers GetVersion with another API version and records the
// credentials it was sent.
type oldDaemon struct {
	gsupervisorv1.UnimplementedSupervisorServiceServer
	auth chan []string
}

func (o *oldDaemon) GetVersion(ctx context.Context, _ *gsupervisorv1.GetVersionRequest) (*gsupervisorv1.GetVersionResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	select {
	case o.auth <- md.Get("authorization"):
	default:
	}
	return &gsupervisorv1.GetVersionResponse{ApiVersion: "2.0", SupervisorVersion: "3.0"}, nil
}

// runAgainst runs one command line against url.
func runAgainst(t *testing.T, url string, line string, user, pass string) (string, int) {
	t.Helper()
	c, out := newTestController(t)
	c.srv.url = url
	if user != "" {
		c.srv.username, c.srv.hasUser = user, true
		c.srv.password, c.srv.hasPass = pass, true
	}
	c.onecmd(context.Background(), line)
	return out.String(), c.exit
}

// TestUpcheck checks what 4.2.5's upcheck reports: a server without the
// supervisor API (exit 3), another API version (exit 5), a socket nobody
// listens on (refused, exit 4), and that credentials travel as Basic
// authorization metadata.
func TestUpcheck(t *testing.T) {
	bare := serve(t, func(*grpc.Server) {})
	sorry := "Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl " +
		"uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration " +
		"file (see sample.conf).\n"
	if out, code := runAgainst(t, bare, "version", "", ""); out != sorry || code != 3 {
		t.Errorf("no supervisor API: %q exit %d", out, code)
	}
	if out, code := runAgainst(t, bare, "status", "", ""); out != sorry || code != 4 {
		t.Errorf("status without the API: %q exit %d", out, code)
	}
	if out, code := runAgainst(t, bare, "avail", "", ""); out != "error: <class 'xmlrpc.client.Fault'>, <Fault 1: 'UNKNOWN_METHOD'>\n" || code != 1 {
		t.Errorf("avail without the API: %q exit %d", out, code)
	}

	old := &oldDaemon{auth: make(chan []string, 1)}
	url := serve(t, func(s *grpc.Server) { gsupervisorv1.RegisterSupervisorServiceServer(s, old) })
	want := "Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is 2.0.\n"
	if out, code := runAgainst(t, url, "pid", "user", "pa:ss"); out != want || code != 5 {
		t.Errorf("old API: %q exit %d", out, code)
	}
	if got := testutil.Receive(t, old.auth, "the credentials the daemon got"); len(got) != 1 || got[0] != "Basic dXNlcjpwYTpzcw==" {
		t.Errorf("authorization metadata = %q", got)
	}
	runAgainst(t, url, "pid", "", "")
	if got := testutil.Receive(t, old.auth, "the credentials the daemon got"); len(got) != 0 {
		t.Errorf("authorization sent without credentials: %q", got)
	}

	// A socket file nobody listens on.
	stale := filepath.Join(testutil.ShortTempDir(t), "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if out, code := runAgainst(t, "unix://"+stale, "status", "", ""); out != "unix://"+stale+" refused connection\n" || code != 4 {
		t.Errorf("stale socket: %q exit %d", out, code)
	}
	if out, code := runAgainst(t, "unix://"+stale, "shutdown", "", ""); out != "ERROR: unix://"+stale+" refused connection (already shut down?)\n" || code != 1 {
		t.Errorf("shutdown on a stale socket: %q exit %d", out, code)
	}
}
