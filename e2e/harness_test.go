//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// binDir holds the binaries built for this test run.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gsv-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	for _, b := range []struct{ out, pkg string }{
		{"supervisord", "./daemon"}, {"supervisorctl", "./ctl"},
		{"echo_supervisord_conf", "./echoconf"}, {"pidproxy", "./pidproxy"},
		{"chaindemo", "./examples/chaindemo"},
	} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", b.pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// daemon is a running bin/supervisord.
type daemon struct {
	t      *testing.T
	dir    string
	conf   string
	sock   string
	cmd    *exec.Cmd
	out    *testutil.Buffer
	conn   *grpc.ClientConn
	exited chan struct{}
	extra  []*os.File // inherited by the daemon as fds 3, 4, …
}

// startDaemon writes a config whose [supervisord] and [unix_http_server]
// sections point into a new temp dir (programs is the rest of the file,
// where %(here)s is that dir) and starts supervisord -n on it.
func startDaemon(t *testing.T, programs string) *daemon {
	t.Helper()
	return startDaemonIn(t, testutil.ShortTempDir(t), programs)
}

// startDaemonIn is startDaemon in a given directory.
func startDaemonIn(t *testing.T, dir string, programs string) *daemon {
	t.Helper()
	return startDaemonWith(t, dir, configBody(programs), nil)
}

// startDaemonWith starts supervisord -n in dir on the whole config body,
// with extra descriptors (fd 3 on) inherited from the test.
func startDaemonWith(t *testing.T, dir, body string, extra []*os.File) *daemon {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	conf := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &daemon{t: t, dir: dir, conf: conf, sock: filepath.Join(dir, "s.sock"), out: &testutil.Buffer{}, exited: make(chan struct{}), extra: extra}
	d.start()
	return d
}

func (d *daemon) start() {
	t := d.t
	t.Helper()
	d.exited = make(chan struct{})
	ok := d.launchOnPort("the daemon to serve", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
		defer cancel()
		_, err := gsupervisorv1.NewSupervisorServiceClient(d.conn).GetState(ctx, &gsupervisorv1.GetStateRequest{})
		return err == nil
	})
	if !ok {
		t.Fatalf("daemon exited during start-up:\n%s", d.out)
	}
}

// launchOnPort starts a daemon whose configuration has an inet port
// picked beforehand, with a gRPC connection on its unix socket (opts add
// credentials), and waits until ready; false if the daemon exited because
// another program took the port meanwhile (the caller tries another). The
// daemon and everything it starts inherit the marker
// testutil.MarkerEnv=dir, by which the cleanup, after stopping the daemon,
// finds any process left behind.
func (d *daemon) launchOnPort(what string, ready func() bool, opts ...grpc.DialOption) bool {
	t := d.t
	t.Helper()
	d.cmd = exec.Command(filepath.Join(binDir, "supervisord"), "-c", d.conf, "-n")
	d.cmd.Env = append(os.Environ(), testutil.MarkerEnv+"="+d.dir)
	d.cmd.Stdout = d.out
	d.cmd.Stderr = d.out
	d.cmd.SysProcAttr = testutil.DaemonAttr()
	d.cmd.ExtraFiles = d.extra
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := d.exited
	go func() { d.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		d.stop()
		testutil.CheckNoStrays(t, d.dir)
	})
	conn, err := grpc.NewClient("unix://"+d.sock, append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	d.conn = conn
	inUse := false
	testutil.Eventually(t, what, func() bool {
		select {
		case <-exited:
			if strings.Contains(d.out.String(), "Another program is already listening") {
				inUse = true
				return true
			}
			t.Fatalf("daemon exited during start-up:\n%s", d.out)
		default:
		}
		return ready()
	})
	return !inUse
}

// stop shuts the daemon down with SIGTERM and checks that it exits and
// leaves no process of its group behind.
func (d *daemon) stop() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	select {
	case <-d.exited:
	default:
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(testutil.Timeout):
			d.t.Errorf("daemon did not exit within %v of SIGTERM; killing it\n%s", testutil.Timeout, d.out)
			syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			<-d.exited
		}
	}
	if d.conn != nil {
		d.conn.Close()
	}
}

func (d *daemon) ctx() context.Context { return testutil.Context(d.t) }

func (d *daemon) processes() gsupervisorv1.ProcessServiceClient {
	return gsupervisorv1.NewProcessServiceClient(d.conn)
}

// waitState polls until the process is in state.
func (d *daemon) waitState(name string, state gsupervisorv1.ProcessState) *gsupervisorv1.ProcessInfo {
	d.t.Helper()
	var last *gsupervisorv1.ProcessInfo
	testutil.Eventually(d.t, fmt.Sprintf("%s to be %s", name, state), func() bool {
		r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: name})
		if err != nil {
			return false
		}
		last = r.GetProcess()
		return last.GetState() == state
	})
	return last
}

// curl runs curl against the daemon's socket and returns its output.
func (d *daemon) curl(args ...string) string {
	d.t.Helper()
	full := append([]string{"-sS", "--unix-socket", d.sock}, args...)
	out, err := exec.Command("curl", full...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
