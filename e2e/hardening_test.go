//go:build e2e

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
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

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

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

// withSupervisord sets options ("key=value") of the [supervisord]
// section of a config body made by configBody, replacing the body's own.
func withSupervisord(body string, lines ...string) string {
	for _, l := range lines {
		key, _, _ := strings.Cut(l, "=")
		var kept []string
		for _, old := range strings.Split(body, "\n") {
			if !strings.HasPrefix(old, key+"=") {
				kept = append(kept, old)
			}
		}
		body = strings.Join(kept, "\n")
	}
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
		// The program opens files of its own while it starts (the dynamic
		// loader, locale files); an inherited descriptor would stay.
		var fds map[int]string
		testutil.Eventually(t, name+" to hold exactly fds 0, 1 and 2", func() bool {
			fds = openFds(t, int(info.GetPid()))
			return len(fds) == 3 && fds[0] != "" && fds[1] != "" && fds[2] != ""
		})
	}
	for fd, target := range openFds(t, d.cmd.Process.Pid) {
		if target == secret {
			t.Errorf("the daemon still holds the inherited descriptor %d on %s", fd, secret)
		}
	}
}

// nobodyUID owns the links an attacker plants.
const nobodyUID = 65534

// stickyTmp returns a new sticky world-writable directory, like /tmp.
func stickyTmp(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to plant links owned by another user")
	}
	dir := filepath.Join(testutil.ShortTempDir(t), "tmp")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	return dir
}

// plantLink makes a link at link to target owned by nobody.
func plantLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, nobodyUID, nobodyUID); err != nil {
		t.Fatal(err)
	}
}

// rootOnly returns a root-only file with known content and a check that
// it is unchanged.
func rootOnly(t *testing.T) (string, func()) {
	t.Helper()
	p := filepath.Join(testutil.ShortTempDir(t), "only-root.txt")
	if err := os.WriteFile(p, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, func() {
		t.Helper()
		if b, _ := os.ReadFile(p); string(b) != "secret\n" {
			t.Errorf("the daemon wrote through a planted link into %s: %q", p, b)
		}
	}
}

// TestSymlinkRuleForDaemonFiles plants links owned by another user in a
// sticky world-writable directory for the pidfile and the main log: the
// daemon refuses to follow them (the kernel's protected_symlinks rule,
// whatever fs.protected_symlinks says) and names the link.
func TestSymlinkRuleForDaemonFiles(t *testing.T) {
	tmp := stickyTmp(t)
	secret, intact := rootOnly(t)
	defer intact()

	pid := filepath.Join(tmp, "supervisord.pid")
	plantLink(t, secret, pid)
	d := startDaemonWith(t, testutil.ShortTempDir(t), withSupervisord(configBody(""), "pidfile="+pid), nil)
	testutil.Eventually(t, "the pidfile refusal in the main log", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
		return strings.Contains(string(b), "refusing to follow the symbolic link "+pid)
	})
	d.stop()

	mainLog := filepath.Join(tmp, "main.log")
	plantLink(t, secret, mainLog)
	_, conf := writeConf(t, "")
	body, _ := os.ReadFile(conf)
	os.WriteFile(conf, []byte(withSupervisord(string(body), "logfile="+mainLog)), 0o644)
	runDaemonFails(t, conf, "refusing to follow the symbolic link "+mainLog)
}

// TestSymlinkRuleForChildLogs plants links for a child log, for the
// AUTO log directory and, while the program runs, in place of a log that
// rotates by truncation (backups=0): each is refused with the link named,
// the daemon keeps running, and the target is untouched.
func TestSymlinkRuleForChildLogs(t *testing.T) {
	tmp := stickyTmp(t)
	secret, intact := rootOnly(t)
	defer intact()
	plantLink(t, secret, filepath.Join(tmp, "planted.log"))
	elsewhere := testutil.ShortTempDir(t)
	plantLink(t, elsewhere, filepath.Join(tmp, "auto"))

	dir := testutil.ShortTempDir(t)
	body := withSupervisord(configBody(fmt.Sprintf(`
[program:planted]
command=/bin/sleep 100000
stdout_logfile=%[1]s/planted.log
startsecs=0
startretries=0

[program:auto]
command=/bin/sleep 100000
stdout_logfile=AUTO
startsecs=0
startretries=0

[program:rotating]
command=/bin/sh -c 'while read line; do echo "$line"; done'
stdout_logfile=%[1]s/rotating.log
stdout_logfile_maxbytes=1KB
stdout_logfile_backups=0
stderr_logfile=NONE
startsecs=0
`, tmp)), "childlogdir="+filepath.Join(tmp, "auto"))
	d := startDaemonWith(t, dir, body, nil)
	for name, link := range map[string]string{"planted": filepath.Join(tmp, "planted.log"), "auto": filepath.Join(tmp, "auto")} {
		info := d.waitState(name, gsupervisorv1.ProcessState_PROCESS_STATE_FATAL)
		if !strings.Contains(info.GetSpawnError(), "refusing to follow the symbolic link "+link) {
			t.Errorf("%s: spawn error %q does not name the refused link %s", name, info.GetSpawnError(), link)
		}
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("AUTO logs were created through the planted link: %v", entries)
	}

	// The rotating log is replaced by a planted link; the next rotation
	// (a truncation) must not open it.
	d.waitState("rotating", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	logPath := filepath.Join(tmp, "rotating.log")
	os.Remove(logPath)
	plantLink(t, secret, logPath)
	line := strings.Repeat("x", 600)
	for i := 0; i < 4; i++ {
		if _, err := d.processes().WriteProcessStdin(d.ctx(), &gsupervisorv1.WriteProcessStdinRequest{Name: "rotating", Data: []byte(line + "\n")}); err != nil {
			t.Fatal(err)
		}
	}
	testutil.Eventually(t, "the refused rotation in the main log", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "supervisord.log"))
		return strings.Contains(string(b), "refusing to follow the symbolic link "+logPath)
	})
	d.waitState("rotating", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
}

// mountTmpfs mounts a tmpfs of size bytes on a new directory, unmounted
// at cleanup; it skips the test where mounting is not allowed.
func mountTmpfs(t *testing.T, dir string, size string) {
	t.Helper()
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
}

// fillDisk writes a file in dir until the file system is full.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			break
		}
	}
	return p
}

// logStats returns the counters of a process's stdout log.
func (d *daemon) logStats(name string) *gsupervisorv1.LogStats {
	d.t.Helper()
	r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: name})
	if err != nil {
		d.t.Fatal(err)
	}
	return r.GetProcess().GetStdoutLogStats()
}

// mainLogLines returns the main log's lines with msg about file.
func (d *daemon) mainLogLines(msg, file string) []string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, " "+msg+" ") && strings.Contains(l, " file="+file+" ") {
			out = append(out, l)
		}
	}
	return out
}

// mainLogSum adds up the key=N values of the main log's lines with msg
// about file.
func (d *daemon) mainLogSum(msg, file, key string) int64 {
	var n int64
	for _, l := range d.mainLogLines(msg, file) {
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, key+"="); ok {
				x, _ := strconv.ParseInt(v, 10, 64)
				n += x
			}
		}
	}
	return n
}

// TestLogFailuresReachMainLog writes known amounts through cat into a
// log on a full 1 MB tmpfs and into one whose directory is removed: the
// daemon keeps running, every byte is written or counted as dropped (in
// the process's log counters and, in rate-limited lines with byte counts
// that add up, in the main log), and the logs recover when space and the
// directory return.
func TestLogFailuresReachMainLog(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := testutil.ShortTempDir(t)
	full := filepath.Join(dir, "full")
	mountTmpfs(t, full, "1m")
	gone := filepath.Join(dir, "gone")
	os.Mkdir(gone, 0o755)
	d := startDaemonWith(t, dir, configBody(fmt.Sprintf(`
[program:disk]
command=/bin/cat
stdout_logfile=%s/disk.log
stdout_logfile_maxbytes=0
stderr_logfile=NONE
startsecs=0

[program:gone]
command=/bin/cat
stdout_logfile=%s/gone.log
stdout_logfile_maxbytes=0
stderr_logfile=NONE
startsecs=0
`, full, gone)), nil)
	d.waitState("disk", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("gone", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	chunk := []byte(strings.Repeat(strings.Repeat("z", 1023)+"\n", 64))
	sent := map[string]int64{}
	send := func(name string, n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if _, err := d.processes().WriteProcessStdin(d.ctx(), &gsupervisorv1.WriteProcessStdinRequest{Name: name, Data: chunk}); err != nil {
				t.Fatal(err)
			}
			sent[name] += int64(len(chunk))
		}
		testutil.Eventually(t, name+"'s bytes to be written or dropped", func() bool {
			st := d.logStats(name)
			return st.GetWrittenBytes()+st.GetDroppedBytes() == sent[name]
		})
	}
	accounted := func(name, path string) {
		t.Helper()
		testutil.Eventually(t, "the main log's drop reports for "+name+" to add up", func() bool {
			return d.mainLogSum("log bytes dropped", path, "bytes") == d.logStats(name).GetDroppedBytes()
		})
	}

	// A full disk.
	diskLog := filepath.Join(full, "disk.log")
	filler := fillDisk(t, full)
	send("disk", 10)
	if st := d.logStats("disk"); st.GetDroppedBytes() == 0 || !strings.Contains(st.GetLastDropError(), "no space left on device") {
		t.Fatalf("nothing dropped on a full disk: %v", st)
	}
	accounted("disk", diskLog)
	os.Remove(filler)
	send("disk", 10)
	testutil.Eventually(t, "the recovery report", func() bool { return len(d.mainLogLines("log writes recovered", diskLog)) > 0 })
	if fi, err := os.Stat(diskLog); err != nil || fi.Size() != d.logStats("disk").GetWrittenBytes() {
		t.Fatalf("%s: %v, %v; stats %v", diskLog, fi, err, d.logStats("disk"))
	}

	// A removed log directory.
	goneLog := filepath.Join(gone, "gone.log")
	send("gone", 1)
	if err := os.RemoveAll(gone); err != nil {
		t.Fatal(err)
	}
	send("gone", 5)
	if st := d.logStats("gone"); st.GetDroppedBytes() != 5*int64(len(chunk)) || !strings.Contains(st.GetLastDropError(), "deleted") {
		t.Fatalf("the writes to a removed directory: %v", st)
	}
	accounted("gone", goneLog)
	os.Mkdir(gone, 0o755)
	testutil.Eventually(t, "the log to be created again", func() bool {
		send("gone", 1)
		fi, err := os.Stat(goneLog)
		return err == nil && fi.Size() > 0
	})
	testutil.Eventually(t, "the recovery report", func() bool { return len(d.mainLogLines("log writes recovered", goneLog)) > 0 })
	accounted("gone", goneLog)
	for _, name := range []string{"disk", "gone"} {
		d.waitState(name, gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	}
}

// stallHTTP sends an HTTP/1.1 GET over the daemon's socket and never reads
// the answer (a client that stopped reading).
func (d *daemon) stallHTTP(path string) net.Conn {
	d.t.Helper()
	c, err := net.Dial("unix", d.sock)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { c.Close() })
	c.(*net.UnixConn).SetReadBuffer(4096)
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path); err != nil {
		d.t.Fatal(err)
	}
	return c
}

// daemonFds counts the daemon's open descriptors and those on deleted
// files.
func (d *daemon) daemonFds() (open, deleted int) {
	for _, target := range openFds(d.t, d.cmd.Process.Pid) {
		open++
		if strings.HasSuffix(target, " (deleted)") {
			deleted++
		}
	}
	return open, deleted
}

// TestStalledLogClientsPinNothing follows a chatty, fast-rotating log with
// clients that stop reading, over gRPC, REST and /logtail: however many
// stall, the daemon keeps no more rotated files open than the rotation
// keeps (backups plus a constant), and a stalled gRPC follower that reads
// again gets an explicit gap.
func TestStalledLogClientsPinNothing(t *testing.T) {
	const backups = 2
	d := startDaemon(t, fmt.Sprintf(`
[program:chatty]
command=/bin/sh -c 'while :; do dd if=/dev/zero bs=64k count=1 status=none; sleep 0.05; done'
stdout_logfile=%%(here)s/chatty.log
stdout_logfile_maxbytes=100KB
stdout_logfile_backups=%d
stderr_logfile=NONE
startsecs=0
`, backups))
	d.waitState("chatty", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	logs := gsupervisorv1.NewLogServiceClient(d.conn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var streams []gsupervisorv1.LogService_FollowProcessLogClient
	for i := 0; i < 3; i++ {
		s, err := logs.FollowProcessLog(ctx, &gsupervisorv1.FollowProcessLogRequest{Name: "chatty"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Recv(); err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s)
		d.stallHTTP("/v1/processes/chatty/log:follow?tail_bytes=0")
		d.stallHTTP("/logtail/chatty")
	}
	rotations := func() int64 { return d.logStats("chatty").GetRotations() }
	start := rotations()
	testutil.Eventually(t, "40 rotations", func() bool { return rotations() >= start+40 })
	_, deleted := d.daemonFds()
	if deleted > 2 {
		t.Fatalf("9 stalled followers keep %d deleted files open; want at most 2", deleted)
	}
	var lines []string
	for fd, target := range openFds(t, d.cmd.Process.Pid) {
		if strings.Contains(target, "chatty.log") {
			lines = append(lines, fmt.Sprintf("%d=%s", fd, target))
		}
	}
	if len(lines) > backups+3 {
		t.Fatalf("the daemon holds %d descriptors on the log and its backups; want at most %d: %v", len(lines), backups+3, lines)
	}
	// A stalled gRPC follower that reads again learns what it missed.
	for {
		m, err := streams[0].Recv()
		if err != nil {
			t.Fatal(err)
		}
		if m.GetGap() != nil {
			if m.GetGap().GetMissedBytes() <= 0 {
				t.Fatalf("gap %v", m.GetGap())
			}
			break
		}
	}
}

// rssKB returns a process's resident set size in KiB.
func rssKB(t *testing.T, pid int) int64 {
	t.Helper()
	v := strings.TrimSuffix(procStatusField(t, pid, "VmRSS"), " kB")
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStdinToANonReader sends 40 writes of 3 MB to the stdin of a program
// that never reads, each abandoned by its client after a deadline: every
// call returns at once (the first is buffered, the others do not fit the
// bounded buffer and fail with FAILED), the daemon's memory stays flat,
// and the legacy sendProcessStdin gives fault 30 for a write that does
// not fit.
func TestStdinToANonReader(t *testing.T) {
	d := startDaemon(t, `
[program:deaf]
command=/bin/sleep 100000
startsecs=0
`)
	d.waitState("deaf", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	pid := d.cmd.Process.Pid
	before := rssKB(t, pid)
	big := []byte(strings.Repeat("x", 3<<20))
	failed := 0
	for i := 0; i < 40; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := d.processes().WriteProcessStdin(ctx, &gsupervisorv1.WriteProcessStdinRequest{Name: "deaf", Data: big})
		cancel()
		switch {
		case err == nil:
		case status.Code(err) == codes.DeadlineExceeded:
			t.Fatalf("write %d blocked until its deadline", i)
		default:
			if r, _, _ := gsupervisorv1.ReasonFromError(err); r != gsupervisorv1.ErrorReason_ERROR_REASON_FAILED || !strings.Contains(err.Error(), "does not read fast enough") {
				t.Fatalf("write %d: %v", i, err)
			}
			failed++
		}
	}
	if failed != 39 {
		t.Fatalf("%d of 40 writes failed; want all but the first", failed)
	}
	after := rssKB(t, pid)
	t.Logf("daemon RSS %d kB before, %d kB after 40 writes of 3 MB to a program that does not read", before, after)
	if after-before > 64<<10 {
		t.Fatalf("the daemon's RSS grew by %d kB", after-before)
	}
	out := cxPy(t, "unix://"+d.sock, []string{`s.supervisor.sendProcessStdin('deaf', 'more')`})
	if !strings.Contains(out[0], `"fault": [30, "FAILED: the stdin of deaf does not read fast enough: stdin buffer full`) {
		t.Fatalf("sendProcessStdin to a full buffer: %s", out[0])
	}
}

// TestRetainedEventsBoundedByBytes sends 100 remote-communication events
// of nearly the 1 MiB limit to a daemon retaining at most 8 MB of events:
// a resume from the start replays only what fits and says explicitly that
// the rest is not retained, the daemon's memory stays bounded, and a
// payload above the limit is refused (legacy fault BAD_ARGUMENTS).
func TestRetainedEventsBoundedByBytes(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	d := startDaemonWith(t, dir, withSupervisord(configBody(""), "events_retained_bytes=8MB"), nil)
	ev := gsupervisorv1.NewEventServiceClient(d.conn)
	pid := d.cmd.Process.Pid
	before := rssKB(t, pid)
	data := strings.Repeat("r", 1<<20-16)
	for i := 0; i < 100; i++ {
		if _, err := ev.SendRemoteCommEvent(d.ctx(), &gsupervisorv1.SendRemoteCommEventRequest{Type: "big", Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	after := rssKB(t, pid)
	t.Logf("daemon RSS %d kB before, %d kB after 100 remote-communication events of 1 MiB", before, after)
	if after-before > 64<<10 {
		t.Errorf("the daemon's RSS grew by %d kB", after-before)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Resume from the start with no filter: serials are daemon-wide, and
	// a TICK_5 may fall among the 100 sends, so the replay is read as it
	// comes: the not-retained gap, then consecutive serials up to the
	// ready marker.
	stream, err := ev.SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{AfterSerial: proto.Uint64(0)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	gap := m.GetGap()
	if gap == nil || gap.GetCause() != gsupervisorv1.EventGapCause_EVENT_GAP_CAUSE_NOT_RETAINED || gap.GetFirstSerial() != 1 {
		t.Fatalf("the resume from serial 0 starts with gap %v (event %d); want the not-retained gap", gap, m.GetEvent().GetSerial())
	}
	// The retained ones follow: what fits in 8 MB.
	next, replayed := gap.GetLastSerial()+1, 0
	for {
		m, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if r := m.GetReady(); r != nil {
			if r.GetLastSerial() != next-1 {
				t.Fatalf("ready after serial %d; the replay ended at %d", r.GetLastSerial(), next-1)
			}
			break
		}
		e := m.GetEvent()
		if e.GetSerial() != next {
			t.Fatalf("replay: %v, want event %d", m, next)
		}
		next++
		if rc := e.GetRemoteCommunication(); rc != nil {
			if len(rc.GetData()) != len(data) {
				t.Fatalf("event %d carries %d bytes, want %d", e.GetSerial(), len(rc.GetData()), len(data))
			}
			replayed++
		}
	}
	if replayed < 1 || replayed > 8 {
		t.Fatalf("%d events of 1 MiB retained under an 8 MB bound", replayed)
	}
	out := cxPy(t, "unix://"+d.sock, []string{`s.supervisor.sendRemoteCommEvent('big', 'x' * (2 << 20))`})
	if !strings.Contains(out[0], `"fault": [3, "BAD_ARGUMENTS: remote communication payload of 2097155 bytes is larger than the limit of 1048576"`) {
		t.Fatalf("a payload above the limit: %s", out[0])
	}
}

// TestCrashLoopFloor runs /bin/true with startsecs=0 and autorestart=true
// on the default restart_burst and restart_interval: it spawns a short
// burst at once, then about once a second, and the throttling is logged
// once. The bound is an upper one over the observed time (a loaded
// machine only spawns less); without the floor it spawned hundreds of
// times a second.
func TestCrashLoopFloor(t *testing.T) {
	begin := time.Now()
	d := startDaemon(t, `
[program:loop]
command=/bin/true
startsecs=0
autorestart=true
`)
	mainLog := func() string { b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log")); return string(b) }
	spawns := func() int { return strings.Count(mainLog(), "spawned: 'loop' with pid") }
	testutil.Eventually(t, "eight spawns", func() bool { return spawns() >= 8 })
	n, elapsed := spawns(), time.Since(begin)
	if limit := 1 + 5 + int(elapsed/time.Second) + 1; n > limit {
		t.Fatalf("%d spawns in %v, want at most %d", n, elapsed, limit)
	}
	if got := strings.Count(mainLog(), "automatic restarts are throttled"); got != 1 {
		t.Fatalf("throttling logged %d times, want once", got)
	}
	// A stop cancels the pending restart.
	if _, err := d.processes().StopProcess(d.ctx(), &gsupervisorv1.StopProcessRequest{Name: "loop"}); err != nil {
		t.Fatal(err)
	}
	d.waitState("loop", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED)
}

// TestHTTPSEverySurfaceOverHTTP2 serves TLS on the inet port: curl with
// its defaults (HTTP/2 negotiated by ALPN) and with --http1.1 reaches
// REST, XML-RPC, the OpenAPI spec and the web page, and a Go gRPC client
// (unary and streaming) works on the same port; credentials are checked
// on each path.
func TestHTTPSEverySurfaceOverHTTP2(t *testing.T) {
	certs := testutil.WriteCerts(t, testutil.ShortTempDir(t))
	port := testutil.FreePorts(t, 1)[0]
	d := startDaemon(t, fmt.Sprintf(`
[inet_http_server]
port=127.0.0.1:%d
username=user
password=pass
certfile=%s
keyfile=%s

[program:sleeper]
command=/bin/sleep 100000
startsecs=0
`, port, certs.ServerCert, certs.ServerKey))
	d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	base := fmt.Sprintf("https://127.0.0.1:%d", port)
	curl := func(args ...string) (code, version, body string) {
		t.Helper()
		full := append([]string{"-sS", "--cacert", certs.CA, "-u", "user:pass", "-o", "-", "-w", "\n%{http_code} %{http_version}"}, args...)
		out, err := exec.Command("curl", full...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		s := string(out)
		i := strings.LastIndexByte(s, '\n')
		f := strings.Fields(s[i+1:])
		return f[0], f[1], s[:i]
	}
	rpc := `<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName><params/></methodCall>`
	for _, proto := range []struct{ flag, version string }{{"--http2", "2"}, {"--http1.1", "1.1"}} {
		for _, c := range []struct {
			name string
			args []string
			want string
		}{
			{"REST", []string{base + "/v1/processes"}, `"sleeper"`},
			{"XML-RPC", []string{"-H", "Content-Type: text/xml", "--data", rpc, base + "/RPC2"}, "<value><string>RUNNING</string></value>"},
			{"OpenAPI", []string{base + "/openapi.json"}, `"paths"`},
			{"web page", []string{base + "/"}, "sleeper"},
		} {
			code, version, body := curl(append([]string{proto.flag}, c.args...)...)
			if code != "200" || version != proto.version || !strings.Contains(body, c.want) {
				t.Errorf("%s over HTTP/%s: %s HTTP/%s\n%.300s", c.name, proto.version, code, version, body)
			}
		}
	}
	// Without credentials, HTTP/2 is refused too.
	out, _ := exec.Command("curl", "-sS", "--cacert", certs.CA, "-o", "/dev/null", "-w", "%{http_code} %{http_version}", base+"/v1/processes").CombinedOutput()
	if string(out) != "401 2" {
		t.Errorf("REST over HTTP/2 without credentials: %s", out)
	}

	// gRPC on the same port, with and without credentials.
	caPEM, err := os.ReadFile(certs.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	dial := func(opts ...grpc.DialOption) *grpc.ClientConn {
		conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), append(opts, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool})))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	anon := dial()
	if _, err := gsupervisorv1.NewSupervisorServiceClient(anon).GetState(d.ctx(), &gsupervisorv1.GetStateRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("gRPC over TLS without credentials: %v", err)
	}
	conn := dial(grpc.WithPerRPCCredentials(rsBasic{"user", "pass"}))
	st, err := gsupervisorv1.NewSupervisorServiceClient(conn).GetState(d.ctx(), &gsupervisorv1.GetStateRequest{})
	if err != nil || st.GetState() != gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING {
		t.Fatalf("gRPC over TLS: %v %v", st, err)
	}
	ctx, cancel := context.WithCancel(d.ctx())
	defer cancel()
	stream, err := gsupervisorv1.NewEventServiceClient(conn).SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{AfterSerial: proto.Uint64(0)})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := stream.Recv(); err != nil || (m.GetEvent() == nil && m.GetGap() == nil) {
		t.Fatalf("gRPC stream over TLS: %v %v", m, err)
	}
}

// TestRESTBodyLimitAndShortErrors: a REST body over the 4 MiB limit gets
// 413 whether it announces its length or is chunked, and an error about a
// 120 KB bad input quotes only a short prefix of it.
func TestRESTBodyLimitAndShortErrors(t *testing.T) {
	d := startDaemon(t, "")
	dir := testutil.ShortTempDir(t)
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"wait": "`+strings.Repeat("x", 5<<20)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, chunked := range []bool{false, true} {
		args := []string{"-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "--data-binary", "@" + big}
		if chunked {
			args = append(args, "-H", "Transfer-Encoding: chunked")
		}
		if code := d.curl(append(args, "http://localhost/v1/processes:stopAll")...); code != "413" {
			t.Errorf("a 5 MiB body (chunked %v): HTTP %s, want 413", chunked, code)
		}
	}
	bad := strings.Repeat("y", 120<<10)
	for _, c := range []struct{ what, path, body string }{
		{"bad value", "/v1/processes:stopAll", `{"wait": "` + bad + `"}`},
		{"unknown process", "/v1/processes/" + bad[:40<<10] + ":start", `{}`},
	} {
		out := d.curl("-H", "Content-Type: application/json", "--data-binary", c.body, "-w", "\n%{http_code}", "http://localhost"+c.path)
		i := strings.LastIndexByte(out, '\n')
		body, code := out[:i], out[i+1:]
		if code[0] != '4' || len(body) > 1024 || !strings.Contains(body, "yyyyyyyy") {
			t.Errorf("%s: HTTP %s with a %d-byte body: %.300s", c.what, code, len(body), body)
		}
	}
}
