package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
)

// TestFloorServerArgs checks that the floor server refuses bad arguments
// before it serves anything.
func TestFloorServerArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "missing -sock"},
		{[]string{"-sock", "x.sock", "-ballast", "8"}, "need -http"},
		{[]string{"-sock", "x.sock", "-tcp", "127.0.0.1:0"}, "need -http"},
		{[]string{"-sock", "x.sock", "-http", "h.sock", "-ballast", "-1"}, "cannot be negative"},
		{[]string{"-sock", "x.sock", "-http", "h.sock", "-programs", "-1"}, "cannot be negative"},
	} {
		err := childGRPCServer(tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("childGRPCServer(%q) = %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

// TestMemFloor starts the memory floor as the harness does and checks
// that it answers getAllProcessInfo with every process, getState, and a
// gRPC health check, on each of its endpoints, and that stop ends it.
func TestMemFloor(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{self: self, tracked: map[int]*exec.Cmd{}, daemons: map[*daemon]bool{}}
	f, err := h.startMemFloor(context.Background(), t.TempDir(), 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			f.stop()
		}
	}()
	call := func(c *http.Client, method string) []byte {
		t.Helper()
		body, _ := xmlrpc.AppendCall(nil, method)
		resp, err := c.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(b)) {
			t.Fatalf("%s: status %s, Content-Length %d, %d bytes, %v", method, resp.Status, resp.ContentLength, len(b), err)
		}
		return b
	}
	unix, tcp := keepAliveClient("unix", f.httpSock), keepAliveClient("tcp", f.tcp)
	defer unix.CloseIdleConnections()
	defer tcp.CloseIdleConnections()
	for _, c := range []*http.Client{unix, tcp} {
		if b := call(c, "supervisor.getAllProcessInfo"); bytes.Count(b, []byte("<name>statename</name>")) != 3 {
			t.Errorf("getAllProcessInfo: want 3 processes in %q", b)
		}
		if b := call(c, "supervisor.getState"); !bytes.Contains(b, []byte("RUNNING")) {
			t.Errorf("getState: %q", b)
		}
	}
	// A server that cannot listen is reported, not waited for.
	dir := t.TempDir()
	if _, err := h.startFloor(context.Background(), &grpcFloor{sock: dir + "/missing/floor.sock"}, dir); err == nil || !strings.Contains(err.Error(), "exited before serving") {
		t.Errorf("a server on a socket in a missing directory: %v", err)
	}
	f.stop()
	stopped = true
	if f.cmd.ProcessState == nil || len(h.tracked) != 0 {
		t.Errorf("after stop: state %v, tracked %v", f.cmd.ProcessState, h.tracked)
	}
}
