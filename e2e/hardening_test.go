//go:build e2e

package e2e

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// runDaemonFails starts supervisord -n on conf and expects it to exit
// with status 2 and a message containing want.
func runDaemonFails(t *testing.T, conf, want string) {
	t.Helper()
	cmd := exec.Command(binDir+"/supervisord", "-c", conf, "-n")
	done := make(chan struct{})
	var out []byte
	go func() { out, _ = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the daemon did not refuse to start:\n%s", out)
	}
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), want) {
		t.Fatalf("exit %d, output:\n%s\nwant exit 2 and %q", cmd.ProcessState.ExitCode(), out, want)
	}
}

// TestEmptyPasswordIsNoAuth checks that a port beyond loopback with a
// username but an empty password is refused like one without credentials
// (anyone who knows the user name would get in), and that allow_no_auth
// still opts out.
func TestEmptyPasswordIsNoAuth(t *testing.T) {
	port := freeTCPPort(t)
	_, conf := writeConf(t, fmt.Sprintf("[inet_http_server]\nport=0.0.0.0:%d\nusername=admin\npassword=\n", port))
	runDaemonFails(t, conf, fmt.Sprintf("[inet_http_server] port 0.0.0.0:%d is reachable from other hosts but has an empty password", port))

	// The explicit opt-out still starts.
	startDaemon(t, fmt.Sprintf("[inet_http_server]\nport=0.0.0.0:%d\nusername=admin\npassword=\nallow_no_auth=true\n", port))
}

// TestIPv6LoopbackPort checks port=[::1]:N (4.2.5's parser keeps the
// brackets in the host): the daemon listens on ::1, counts it as loopback
// and serves REST there.
func TestIPv6LoopbackPort(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	startDaemon(t, fmt.Sprintf("[inet_http_server]\nport=[::1]:%d\n", port))
	out, err := exec.Command("curl", "-sS", "-g", fmt.Sprintf("http://[::1]:%d/v1/daemon/state", port)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SUPERVISOR_STATE_RUNNING") {
		t.Fatalf("curl over [::1]: %v\n%s", err, out)
	}
}
