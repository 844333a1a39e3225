//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestCtlShutdownReload checks shutdown and reload, their interactive
// confirmation, and every command while the daemon shuts down (observed
// §18) and after it is gone.
func TestCtlShutdownReload(t *testing.T) {
	d := startDaemon(t, `
[program:slowstop]
command=/bin/sh -c "trap '' TERM; while true; do sleep 1; done"
stopwaitsecs=5
startsecs=0

[program:manual]
command=/bin/sleep 100000
autostart=false
`)
	d.gcWaitStatus(gcStatusLine("manual", "STOPPED", gcNotStarted) + gcStatusLine("slowstop", "RUNNING", gcUp))
	pid := d.cmd.Process.Pid

	// -i makes even a one-shot command ask; anything but y… is no.
	r := d.gcCtlIn("n\n", "-i", "shutdown")
	gcExpect(t, r, d.dir, "-i shutdown (n)", "Really shut the remote supervisord process down y/N? ", 0)
	r = d.gcCtlIn("", "-i", "reload")
	gcExpect(t, r, d.dir, "-i reload (EOF)", "Really restart the remote supervisord process y/N? ", 0)
	d.gcSteps([]gcStep{
		{"shutdown x", "Error: shutdown accepts no arguments\nshutdown \tShut the remote supervisord down.\n", 1},
		{"reload x", "Error: reload accepts no arguments\nreload \t\tRestart the remote supervisord.\n", 1},
	})

	// reload restarts in place: same pid, processes started again, on the
	// configuration read again. The restart stops slowstop with the
	// stopwaitsecs it started with (5 s, then SIGKILL); the new slowstop
	// gets an hour, so that the shutdown below lasts until the test
	// kills it.
	body, err := os.ReadFile(d.conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.conf, []byte(strings.Replace(string(body), "stopwaitsecs=5\n", "stopwaitsecs=3600\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	r = d.gcCtlIn("yes\n", "-i", "reload")
	gcExpect(t, r, d.dir, "-i reload (yes)", "Really restart the remote supervisord process y/N? Restarted supervisord\n", 0)
	d.gcWaitStatus(gcStatusLine("manual", "STOPPED", gcNotStarted) + gcStatusLine("slowstop", "RUNNING", gcUp))
	if got := strings.TrimSpace(d.gcCtl("pid").stdout); got != fmt.Sprint(pid) {
		t.Errorf("pid after reload = %s, want %d", got, pid)
	}

	// slowstop ignores SIGTERM: the shutdown lasts until the test kills
	// it, after the commands below.
	slowstop := d.waitState("slowstop", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING).GetPid()
	d.gcSteps([]gcStep{{"shutdown", "Shut down\n", 0}})
	fault := "error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>\n"
	d.gcSteps([]gcStep{
		{"shutdown", "ERROR: already shutting down\n", 0},
		{"reload", "ERROR: already shutting down\n", 1},
		{"status slowstop", fault, 1},
		{"avail", "ERROR: supervisor shutting down\n", 1},
		{"reread", "ERROR: supervisor shutting down\n", 1},
		{"update", "ERROR: already shutting down\n", 1},
		{"add manual", "ERROR: shutting down\n", 1},
		{"start manual", fault, 1},
		{"version", fault, 1},
	})
	syscall.Kill(-int(slowstop), syscall.SIGKILL)
	testutil.Receive(t, d.exited, "the daemon to exit after the shutdown")
	url := "unix://<DIR>/s.sock"
	d.gcSteps([]gcStep{
		{"status", url + " no such file\n", 4},
		{"start manual", url + " no such file\n", 7},
		{"shutdown", "ERROR: " + url + " no such file (already shut down?)\n", 1},
		{"avail", "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n", 1},
	})
}

// TestCtlConnectionErrors checks a refused TCP connection for each kind
// of command (observed §11).
func TestCtlConnectionErrors(t *testing.T) {
	url := fmt.Sprintf("http://127.0.0.1:%d", testutil.FreePorts(t, 1)[0])
	for _, c := range []gcStep{
		{"status", url + " refused connection\n", 4},
		{"stop x", url + " refused connection\n", 4},
		{"tail x", url + " refused connection\n", 4},
		{"avail", "error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused\n", 1},
		{"shutdown", "ERROR: " + url + " refused connection (already shut down?)\n", 1},
	} {
		r := gcRun(t, gcOurCtl(), "", append([]string{"-s", url}, strings.Fields(c.args)...)...)
		gcExpect(t, r, "", c.args, c.out, c.code)
	}
}

// TestCtlAuth checks HTTP Basic credentials over an inet endpoint (observed
// §11): none or wrong ones get 4.2.5's 401 lines, right ones work, and the
// interactive mode asks for them.
func TestCtlAuth(t *testing.T) {
	port := testutil.FreePorts(t, 1)[0]
	d := startDaemon(t, fmt.Sprintf(`
[inet_http_server]
port=127.0.0.1:%d
username=user
password={SHA}9d4e1e23bd5b727046a9e3b4b7db57bd8d6ee684

[program:sleeper]
command=/bin/sleep 100000
startsecs=0
`, port))
	d.gcWaitStatus(gcStatusLine("sleeper", "RUNNING", gcUp))
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	denied := "Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>\n"
	for _, c := range []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"-s", url, "status", "sleeper"}, denied, 1},
		{[]string{"-s", url, "-u", "user", "-p", "wrong", "status", "sleeper"}, denied, 1},
		{[]string{"-s", url, "-u", "user", "status", "sleeper"}, denied, 1},
		{[]string{"-s", url, "-u", "user", "-p", "pass", "status", "sleeper"}, gcStatusLine("sleeper", "RUNNING", gcUp), 0},
		{[]string{"-s", url, "-u", "user", "-p", "pass", "pid"}, "<PID>\n", 0},
		{[]string{"-s", url, "avail"}, denied, 1},
		{[]string{"-s", url, "shutdown"}, denied, 1},
	} {
		r := gcRun(t, gcOurCtl(), "", c.args...)
		gcExpect(t, r, d.dir, strings.Join(c.args, " "), c.out, c.code)
	}
	// Interactive: asked for a username and a password, then the command
	// runs again.
	r := gcRun(t, gcOurCtl(), "user\npass\n", "-s", url, "-i", "status", "sleeper")
	gcExpect(t, r, d.dir, "-i status with credentials typed", "Server requires authentication\nUsername:\n"+gcStatusLine("sleeper", "RUNNING", gcUp), 0)
	if r.stderr != "Password:" {
		t.Errorf("password prompt on stderr = %q", r.stderr)
	}
	// Credentials from the [supervisorctl] section.
	conf := filepath.Join(d.dir, "ctl.conf")
	os.WriteFile(conf, []byte("[supervisorctl]\nserverurl="+url+"\nusername=user\npassword=pass\nprompt=auth\n"), 0o644)
	r = gcRun(t, gcOurCtl(), "", "-c", conf, "status")
	gcExpect(t, r, d.dir, "-c ctl.conf status", gcStatusLine("sleeper", "RUNNING", gcUp), 0)
	r = gcRun(t, gcOurCtl(), "version\n", "-c", conf)
	gcExpect(t, r, d.dir, "shell with prompt=auth", gcStatusLine("sleeper", "RUNNING", gcUp)+"auth> 4.2.5\nauth> \n", 0)
}

// TestCtlTLS checks https:// server URLs: the server is verified with
// --cafile (or cafile= in [supervisorctl]), a client certificate is sent
// with --certfile/--keyfile, and failures are reported, not hidden.
func TestCtlTLS(t *testing.T) {
	certDir := testutil.ShortTempDir(t)
	f := testutil.WriteCerts(t, certDir)
	port := testutil.FreePorts(t, 1)[0]
	d := startDaemon(t, fmt.Sprintf(`
[inet_http_server]
port=127.0.0.1:%d
username=user
password=pass
certfile=%s
keyfile=%s
clientcafile=%s

[program:sleeper]
command=/bin/sleep 100000
startsecs=0
`, port, f.ServerCert, f.ServerKey, f.CA))
	d.gcWaitStatus(gcStatusLine("sleeper", "RUNNING", gcUp))
	url := fmt.Sprintf("https://127.0.0.1:%d", port)
	ok := gcStatusLine("sleeper", "RUNNING", gcUp)
	client := []string{"--certfile", f.ClientCert, "--keyfile", f.ClientKey}
	r := gcRun(t, gcOurCtl(), "", append(append([]string{"-s", url, "-u", "user", "-p", "pass", "--cafile", f.CA}, client...), "status", "sleeper")...)
	gcExpect(t, r, d.dir, "https status", ok, 0)

	for name, args := range map[string][]string{
		"unknown CA":         append([]string{"--cafile", f.OtherCA}, client...),
		"system roots":       client,
		"no client cert":     {"--cafile", f.CA},
		"missing cafile":     append([]string{"--cafile", filepath.Join(certDir, "nope.pem")}, client...),
		"certfile alone":     {"--cafile", f.CA, "--certfile", f.ClientCert},
		"cleartext to https": nil,
	} {
		u := url
		if name == "cleartext to https" {
			u = fmt.Sprintf("http://127.0.0.1:%d", port)
		}
		r := gcRun(t, gcOurCtl(), "", append(append([]string{"-s", u, "-u", "user", "-p", "pass"}, args...), "status", "sleeper")...)
		if r.code != 1 || !strings.HasPrefix(r.stdout, "error: ") || strings.Contains(r.stdout, "RUNNING") {
			t.Errorf("%s: exit %d, %q; want an error line and exit 1", name, r.code, r.stdout)
		}
	}
	// The TLS options from [supervisorctl].
	conf := filepath.Join(d.dir, "ctl.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("[supervisorctl]\nserverurl=%s\nusername=user\npassword=pass\ncafile=%s\ncertfile=%s\nkeyfile=%s\n",
		url, f.CA, f.ClientCert, f.ClientKey)), 0o644)
	r = gcRun(t, gcOurCtl(), "", "-c", conf, "status", "sleeper")
	gcExpect(t, r, d.dir, "-c ctl.conf (TLS) status", ok, 0)
	os.WriteFile(conf, []byte("[supervisorctl]\nserverurl="+url+"\ncertfile="+f.ClientCert+"\n"), 0o644)
	r = gcRun(t, gcOurCtl(), "", "-c", conf, "status")
	if r.code != 2 || !strings.Contains(r.stderr, "Error: Section [supervisorctl] contains incomplete TLS settings") {
		t.Errorf("certfile without keyfile in the config: exit %d %q", r.code, r.stderr)
	}
}
