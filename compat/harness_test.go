package compat

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

func TestMain(m *testing.M) {
	process.RunExecHelper()
	os.Exit(m.Run())
}

// testDaemon is a real daemon in this test process: the core service on a
// configuration file, served by internal/server on a unix socket (and an
// optional inet port) with compat mounted, exactly as the daemon binary
// wires it.
type testDaemon struct {
	t       testing.TB
	dir     string
	conf    string
	sock    string
	sup     *supervisor.Supervisor
	srv     *server.Server
	mainLog *logs.File
	inet    string // host:port of the inet endpoint, if any
	http    *http.Client
}

// testCreds are the credentials of the inet endpoint (when asked for).
var testCreds = server.Credentials{Username: "user", Password: "pass"}

// startDaemon runs a daemon on a configuration made of a [supervisord]
// section in a short temp dir and programs. With inet, it also listens on
// a loopback port that requires testCreds.
func startDaemon(t testing.TB, programs string, inet bool) *testDaemon {
	t.Helper()
	dir, err := os.MkdirTemp("", "gsvc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := &testDaemon{t: t, dir: dir, conf: filepath.Join(dir, "supervisord.conf"), sock: filepath.Join(dir, "s.sock")}
	d.writeConfig(programs)
	cfg, err := config.Load(d.conf, config.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	d.mainLog, err = logs.OpenFile(logs.FileConfig{Path: cfg.Supervisord.Logfile})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(logs.NewMainHandler(d.mainLog, slog.LevelDebug))
	bus := events.NewBus(1000, log)
	exe, _ := os.Executable()
	d.sup, err = supervisor.New(cfg, supervisor.Options{
		Log: log, MainLog: d.mainLog, Bus: bus, ExecHelper: exe,
		ServerURL: "unix://" + d.sock,
		Reload:    func() (*config.Config, error) { return config.Load(d.conf, config.Overrides{}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	d.srv = server.New(d.sup, bus, log, Mount)
	if _, err := d.srv.Listen(server.EndpointConfig{Name: "unix_http_server", Network: "unix", Address: d.sock, UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	if inet {
		ep, err := d.srv.Listen(server.EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0", Credentials: testCreds})
		if err != nil {
			t.Fatal(err)
		}
		d.inet = ep.Addr().String()
	}
	d.srv.Serve()
	ran := make(chan struct{})
	go func() { d.sup.Run(context.Background()); close(ran) }()
	t.Cleanup(func() {
		d.sup.RequestShutdown()
		select {
		case <-ran:
		case <-time.After(30 * time.Second):
			t.Errorf("daemon did not stop within 30 s")
		}
		d.srv.Close()
		d.mainLog.Close()
	})
	d.http = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", d.sock)
		},
	}}
	t.Cleanup(d.http.CloseIdleConnections)
	return d
}

// writeConfig writes the configuration file.
func (d *testDaemon) writeConfig(programs string) {
	d.t.Helper()
	body := fmt.Sprintf(`[supervisord]
logfile=%%(here)s/supervisord.log
pidfile=%%(here)s/supervisord.pid
childlogdir=%%(here)s/logs
identifier=compat
loglevel=debug

%s
`, programs)
	if err := os.WriteFile(d.conf, []byte(body), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// call makes one XML-RPC call over the unix socket and returns the result,
// or the *xmlrpc.Fault it ended with. Transport and decoding errors fail
// the test.
func (d *testDaemon) call(method string, params ...any) (any, *xmlrpc.Fault) {
	d.t.Helper()
	body, err := xmlrpc.AppendCall(nil, method, params...)
	if err != nil {
		d.t.Fatal(err)
	}
	resp, err := d.http.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
	if err != nil {
		d.t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		d.t.Fatalf("%s: HTTP %d: %s", method, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/xml" {
		d.t.Errorf("%s: Content-Type %q, want text/xml", method, ct)
	}
	v, err := xmlrpc.DecodeResponse(resp.Body, 0)
	if f, ok := err.(*xmlrpc.Fault); ok {
		return nil, f
	}
	if err != nil {
		d.t.Fatalf("%s: decoding the response: %v", method, err)
	}
	return v, nil
}

// ok makes a call that must succeed.
func (d *testDaemon) ok(method string, params ...any) any {
	d.t.Helper()
	v, f := d.call(method, params...)
	if f != nil {
		d.t.Fatalf("%s%s: fault %d %q", method, pyRepr(params), f.Code, f.String)
	}
	return v
}

// fault makes a call that must fail with code and text.
func (d *testDaemon) fault(code int, text, method string, params ...any) {
	d.t.Helper()
	v, f := d.call(method, params...)
	if f == nil {
		d.t.Fatalf("%s%s = %s, want fault %d %q", method, pyRepr(params), pyRepr(v), code, text)
	}
	if f.Code != code || f.String != text {
		d.t.Fatalf("%s%s: fault %d %q, want %d %q", method, pyRepr(params), f.Code, f.String, code, text)
	}
}

// info returns a process's getProcessInfo struct.
func (d *testDaemon) info(name string) xmlrpc.Struct {
	d.t.Helper()
	return d.ok("supervisor.getProcessInfo", name).(xmlrpc.Struct)
}

// waitState polls getProcessInfo until the process has the state name.
func (d *testDaemon) waitState(name, state string) xmlrpc.Struct {
	d.t.Helper()
	var last xmlrpc.Struct
	waitFor(d.t, 15*time.Second, name+" to be "+state, func() bool {
		last = d.info(name)
		v, _ := last.Get("statename")
		return v == state
	})
	return last
}

// raw sends a raw HTTP request on a new connection to the unix socket and
// returns everything the server sends until it closes the connection or
// the deadline passes.
func (d *testDaemon) raw(req string, wait time.Duration) string {
	d.t.Helper()
	c, err := net.Dial("unix", d.sock)
	if err != nil {
		d.t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		d.t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(wait))
	var out bytes.Buffer
	io.Copy(&out, c)
	return out.String()
}

// get returns a struct member, failing the test if it is missing.
func get(t testing.TB, s xmlrpc.Struct, key string) any {
	t.Helper()
	v, ok := s.Get(key)
	if !ok {
		t.Fatalf("struct has no %q: %s", key, pyRepr(s))
	}
	return v
}

// keys returns the member names of a struct, in order.
func keys(s xmlrpc.Struct) string {
	var names []string
	for _, m := range s {
		names = append(names, m.Name)
	}
	return strings.Join(names, ",")
}

func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
