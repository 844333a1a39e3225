//go:build e2e

package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestSystemdNotify: under a service manager (NOTIFY_SOCKET, as systemd
// sets it for Type=notify), the daemon says READY=1 once it serves, again
// after a restart, and STOPPING=1 at shutdown; its programs do not
// inherit the socket.
func TestSystemdNotify(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	sockPath := filepath.Join(dir, "notify.sock")
	ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sockPath, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	conf := filepath.Join(dir, "supervisord.conf")
	os.WriteFile(conf, []byte(configBody("[program:env]\ncommand=sh -c 'env; echo end-of-env; exec sleep 1000'\nstdout_logfile=%(here)s/env.txt\n")), 0o644)
	cmd := exec.Command(filepath.Join(binDir, "supervisord"), "-n", "-c", conf)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sockPath)
	var out testutil.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := testutil.StartDaemon(t, cmd)
	next := func(want string) {
		t.Helper()
		ln.SetReadDeadline(time.Now().Add(testutil.Timeout))
		buf := make([]byte, 512)
		n, err := ln.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("notification %q (%v), want %q; daemon output:\n%s", buf[:n], err, want, out.String())
		}
	}
	next("READY=1")
	if _, err := os.Stat(filepath.Join(dir, "s.sock")); err != nil {
		t.Errorf("READY=1 before the socket exists: %v", err)
	}
	testutil.Eventually(t, "the program's environment", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "env.txt"))
		return strings.Contains(string(b), "end-of-env")
	})
	if b, _ := os.ReadFile(filepath.Join(dir, "env.txt")); !strings.Contains(string(b), "SUPERVISOR_ENABLED=1") || strings.Contains(string(b), "NOTIFY_SOCKET") {
		t.Errorf("the program's environment lacks SUPERVISOR_ENABLED or has NOTIFY_SOCKET:\n%s", b)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	next("READY=1")
	cmd.Process.Signal(syscall.SIGTERM)
	next("STOPPING=1")
	testutil.Receive(t, done, "the daemon to exit")
}
