package compat

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

func TestMain(m *testing.M) { daemontest.Main(m) }

// testDaemon is a real daemon in this test process (daemontest) with
// compat mounted, as the daemon binary wires it, and the XML-RPC helpers
// of these tests.
type testDaemon struct {
	*daemontest.Daemon
	t    testing.TB
	inet string // host:port of the inet endpoint, if any
}

// testCreds are the credentials of the inet endpoint (when asked for).
var testCreds = server.Credentials{Username: "user", Password: "pass"}

// startDaemon runs a daemon on a configuration made of a [supervisord]
// section and programs. With inet, it also listens on a loopback port that
// requires testCreds.
func startDaemon(t testing.TB, programs string, inet bool) *testDaemon {
	t.Helper()
	opts := daemontest.Options{Identifier: "compat", Mounts: []surface.Mount{Mount}}
	if inet {
		opts.Endpoints = []server.EndpointConfig{{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0", Credentials: testCreds}}
	}
	d := &testDaemon{Daemon: daemontest.Start(t, programs, opts), t: t}
	if inet {
		d.inet = d.Endpoints[1].Addr().String()
	}
	return d
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
	resp, err := d.HTTP.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
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
	testutil.Eventually(d.t, name+" to be "+state, func() bool {
		last = d.info(name)
		v, _ := last.Get("statename")
		return v == state
	})
	return last
}

// raw sends a raw HTTP request on a new connection to the unix socket and
// returns everything the server sends until it closes the connection or,
// if until is not empty, until what it sent contains until (for a
// response that streams). A server that does neither within
// testutil.Timeout fails the test.
func (d *testDaemon) raw(req, until string) string {
	d.t.Helper()
	c, err := net.Dial("unix", d.Sock)
	if err != nil {
		d.t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		d.t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(testutil.Timeout))
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for until == "" || !strings.Contains(out.String(), until) {
		n, err := c.Read(buf)
		out.Write(buf[:n])
		if errors.Is(err, os.ErrDeadlineExceeded) {
			d.t.Fatalf("no end of the response within %v; got %q", testutil.Timeout, out.String())
		}
		if err != nil {
			break
		}
	}
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
