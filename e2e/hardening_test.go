//go:build e2e

package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
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
	port := testutil.FreePorts(t, 1)[0]
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

// withSupervisord adds option lines to the [supervisord] section of a
// config body made by configBody.
func withSupervisord(body string, lines ...string) string {
	return strings.Replace(body, "[supervisord]\n", "[supervisord]\n"+strings.Join(lines, "\n")+"\n", 1)
}

// testAccount is a user created for a test, with a primary group and one
// supplementary group, removed at cleanup.
type testAccount struct {
	name          string
	uid, gid, sup int
}

// newTestAccount creates the account (the tests run as root); it skips
// the test where useradd/groupadd are missing or fail.
func newTestAccount(t *testing.T) testAccount {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create an account")
	}
	suffix := fmt.Sprintf("%d%d", os.Getpid()%10000, time.Now().UnixNano()%100000)
	name, sup := "gsvu"+suffix, "gsvs"+suffix
	if out, err := exec.Command("groupadd", sup).CombinedOutput(); err != nil {
		t.Skipf("groupadd: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("groupdel", sup).Run() })
	if out, err := exec.Command("useradd", "-M", "-N", "-g", "nogroup", "-G", sup, name).CombinedOutput(); err != nil {
		t.Skipf("useradd: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("userdel", name).Run() })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroup(sup)
	if err != nil {
		t.Fatal(err)
	}
	a := testAccount{name: name}
	a.uid, _ = strconv.Atoi(u.Uid)
	a.gid, _ = strconv.Atoi(u.Gid)
	a.sup, _ = strconv.Atoi(g.Gid)
	return a
}

// procStatusField returns a field of /proc/<pid>/status ("Groups").
func procStatusField(t *testing.T, pid int, field string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == field {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return ""
}

// TestDaemonUserGetsSupplementaryGroups checks [supervisord] user=: the
// daemon runs with the user's primary and supplementary groups (4.2.5's
// initgroups), not the primary group alone.
func TestDaemonUserGetsSupplementaryGroups(t *testing.T) {
	a := newTestAccount(t)
	dir := testutil.ShortTempDir(t)
	os.Chmod(dir, 0o777)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o777)
	os.Chmod(filepath.Join(dir, "logs"), 0o777)
	d := startDaemonWith(t, dir, withSupervisord(configBody(""), "user="+a.name), nil)
	pid := d.cmd.Process.Pid
	testutil.Eventually(t, "the daemon to switch user", func() bool {
		return strings.Fields(procStatusField(t, pid, "Uid"))[1] == strconv.Itoa(a.uid)
	})
	groups := strings.Fields(procStatusField(t, pid, "Groups"))
	if !slices.Contains(groups, strconv.Itoa(a.gid)) || !slices.Contains(groups, strconv.Itoa(a.sup)) || len(groups) != 2 {
		t.Fatalf("daemon groups %v; want exactly the primary %d and the supplementary %d", groups, a.gid, a.sup)
	}
}

// openFds lists /proc/<pid>/fd: descriptor number → link target.
func openFds(t *testing.T, pid int) map[int]string {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		target, _ := os.Readlink(filepath.Join(dir, e.Name()))
		out[fd] = target
	}
	return out
}

// TestChildrenGetOnlyStdio starts the daemon with a descriptor open on a
// root-only file (as `exec 7>>/root/file` in its shell would) and checks
// that its children, including one running as nobody, hold exactly fds
// 0–2, and that the daemon itself closed the inherited descriptor.
func TestChildrenGetOnlyStdio(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	secret := filepath.Join(dir, "only-root.txt")
	f, err := os.OpenFile(secret, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := startDaemonWith(t, dir, configBody(`
[program:plain]
command=/bin/sleep 100000
startsecs=0

[program:dropped]
command=/bin/sleep 100000
user=nobody
startsecs=0
`), []*os.File{f})
	for _, name := range []string{"plain", "dropped"} {
		info := d.waitState(name, gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
		fds := openFds(t, int(info.GetPid()))
		if len(fds) != 3 || fds[0] == "" || fds[1] == "" || fds[2] == "" {
			t.Errorf("%s (pid %d) holds descriptors %v; want exactly 0, 1 and 2", name, info.GetPid(), fds)
		}
	}
	for fd, target := range openFds(t, d.cmd.Process.Pid) {
		if target == secret {
			t.Errorf("the daemon still holds the inherited descriptor %d on %s", fd, secret)
		}
	}
}
