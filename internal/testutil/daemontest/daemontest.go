package daemontest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/httpprobe"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// strayWait bounds the wait for the processes the daemon started to be
// gone after its shutdown (they are only failures once it passes).
var strayWait = testutil.Timeout

// execHelper is set by Main: the test binary then acts as the daemon's
// exec helper (umask=), as the supervisord binary does.
var execHelper bool

// Main is the TestMain of a package whose tests run programs with umask=:
// it lets the test binary act as the daemon's exec helper, then runs the
// tests. Without it the daemon runs without the helper (umask= is then
// ignored), never the tests again in a child.
func Main(m *testing.M) {
	process.RunExecHelper()
	execHelper = true
	os.Exit(m.Run())
}

// Options are the choices of a test beyond its programs.
type Options struct {
	// Identifier is the [supervisord] identifier (default "test").
	Identifier string
	// Supervisord holds more lines of the [supervisord] section.
	Supervisord string
	// Mounts are the HTTP surfaces mounted on every endpoint, as the
	// daemon binary mounts compat.Mount.
	Mounts []surface.Mount
	// UnixMode and UnixCredentials configure the unix socket endpoint
	// (the [unix_http_server] chmod, username and password).
	UnixMode        os.FileMode
	UnixCredentials server.Credentials
	// Endpoints are opened after the unix socket, in order (a loopback
	// TCP port with credentials or TLS, say).
	Endpoints []server.EndpointConfig
}

// Daemon is a daemon running in the test process.
type Daemon struct {
	t testing.TB
	// Dir is the daemon's short temp dir: its configuration file, main
	// log, child logs (Dir/logs) and socket are there; %(here)s in the
	// programs is Dir.
	Dir string
	// Conf is the configuration file; WriteConfig rewrites it (for
	// reread and update).
	Conf string
	// Sock is the path of the unix socket endpoint.
	Sock string
	// Core is the core service.
	Core *supervisor.Supervisor
	// Bus is the daemon's event bus.
	Bus *events.Bus
	// Server serves the endpoints.
	Server *server.Server
	// Endpoints are the open endpoints: the unix socket, then
	// Options.Endpoints in order.
	Endpoints []*server.Endpoint
	// MainLog is the main log file (Dir/supervisord.log).
	MainLog *logs.File
	// Conn is a gRPC client connection on Sock, without credentials.
	Conn *grpc.ClientConn
	// HTTP is an HTTP client whose every request goes to Sock.
	HTTP *http.Client

	options Options
	ran     chan struct{}
	stop    sync.Once
}

// Start writes a configuration made of a [supervisord] section and
// programs (the rest of the file) into a new short temp dir, and runs the
// core and the server on it until the test ends. At the end it shuts the
// daemon down and fails the test if the shutdown does not finish or any
// process the daemon started (children and their children) is left.
func Start(t testing.TB, programs string, opts Options) *Daemon {
	t.Helper()
	if opts.Identifier == "" {
		opts.Identifier = "test"
	}
	dir := testutil.ShortTempDir(t)
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := &Daemon{
		t: t, Dir: dir, Conf: filepath.Join(dir, "supervisord.conf"), Sock: filepath.Join(dir, "s.sock"),
		options: opts, ran: make(chan struct{}),
	}
	// Registered first, so it runs last, after the shutdown.
	t.Cleanup(func() { testutil.CheckNoStraysWithin(t, dir, strayWait) })
	d.WriteConfig(programs)
	cfg, err := d.load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.startCore(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	if err := d.serve(); err != nil {
		t.Fatal(err)
	}
	return d
}

// WriteConfig writes the configuration file: the [supervisord] section,
// then programs.
func (d *Daemon) WriteConfig(programs string) {
	d.t.Helper()
	body := fmt.Sprintf(`[supervisord]
logfile=%%(here)s/supervisord.log
pidfile=%%(here)s/supervisord.pid
childlogdir=%%(here)s/logs
identifier=%s
loglevel=debug
%s

%s
`, d.options.Identifier, d.options.Supervisord, programs)
	if err := os.WriteFile(d.Conf, []byte(body), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// load parses the configuration file, marking the children: every process
// the daemon starts inherits testutil.MarkerEnv=Dir, by which the cleanup
// finds those left behind.
func (d *Daemon) load(scale map[string]config.Scale) (*config.Config, error) {
	cfg, err := config.Load(d.Conf, config.Overrides{Scale: scale})
	if err != nil {
		return nil, err
	}
	cfg.Supervisord.Environment = testutil.Mark(cfg.Supervisord.Environment, d.Dir)
	return cfg, nil
}

// startCore opens the main log and runs the core service.
func (d *Daemon) startCore(cfg *config.Config) error {
	var err error
	d.MainLog, err = logs.OpenFile(logs.FileConfig{Path: cfg.Supervisord.Logfile})
	if err != nil {
		return err
	}
	log := slog.New(logs.NewMainHandler(d.MainLog, slog.LevelDebug))
	d.Bus = events.NewBus(cfg.Supervisord.EventsRetained, log)
	helper := ""
	if execHelper {
		helper, _ = os.Executable()
	}
	d.Core, err = supervisor.New(cfg, supervisor.Options{
		Log: log, MainLog: d.MainLog, Bus: d.Bus, ExecHelper: helper,
		ServerURL: "unix://" + d.Sock,
		Reload:    d.load,
		HTTPCheck: httpprobe.Check,
	})
	if err != nil {
		d.MainLog.Close()
		return err
	}
	d.Server = server.New(d.Core, d.Bus, log, d.options.Mounts...)
	go func() {
		defer close(d.ran)
		d.Core.Run(context.Background())
	}()
	return nil
}

// serve opens the endpoints, serves them and connects the clients.
func (d *Daemon) serve() error {
	eps := append([]server.EndpointConfig{{
		Name: "unix_http_server", Network: "unix", Address: d.Sock, Mode: d.options.UnixMode,
		UID: -1, GID: -1, Credentials: d.options.UnixCredentials,
	}}, d.options.Endpoints...)
	for _, c := range eps {
		e, err := d.Server.Listen(c)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", c.Name, err)
		}
		d.Endpoints = append(d.Endpoints, e)
	}
	d.Server.Serve()
	conn, err := grpc.NewClient("unix://"+d.Sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	d.Conn = conn
	d.HTTP = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", d.Sock)
		},
	}}
	return nil
}

// Done is closed when the core's Run has returned (after a shutdown or
// the start of a restart).
func (d *Daemon) Done() <-chan struct{} { return d.ran }

// Stop shuts the daemon down: it asks the core to shut down, waits for it
// (failing the test if that takes longer than testutil.Timeout), then
// closes the server, the clients and the main log. The cleanup calls it;
// calling it again does nothing.
func (d *Daemon) Stop() { d.stop.Do(d.shutdown) }

func (d *Daemon) shutdown() {
	d.Core.RequestShutdown()
	timer := time.NewTimer(testutil.Timeout)
	defer timer.Stop()
	select {
	case <-d.ran:
	case <-timer.C:
		d.t.Errorf("the daemon did not shut down within %v", testutil.Timeout)
	}
	if d.Conn != nil {
		d.Conn.Close()
	}
	if d.HTTP != nil {
		d.HTTP.CloseIdleConnections()
	}
	d.Server.Close()
	d.MainLog.Close()
}
