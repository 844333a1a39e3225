//go:build e2e

package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The tests of this file run examples/container/run.sh, the example of
// issue 18: supervisord as PID 1 of a fresh PID namespace.

// containerRun is one run of examples/container/run.sh.
type containerRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	port   int
	stdout *testutil.Buffer
	stderr *testutil.Buffer
	done   chan struct{}
	code   int
}

// needPIDNamespace skips a test that cannot make a PID namespace.
func needPIDNamespace(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for a PID namespace")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare not installed")
	}
}

// runContainer starts examples/container/run.sh with env added (conf, if
// not empty, replaces the example's configuration).
func runContainer(t *testing.T, conf string, env ...string) *containerRun {
	t.Helper()
	needPIDNamespace(t)
	script, err := filepath.Abs("../examples/container/run.sh")
	if err != nil {
		t.Fatal(err)
	}
	r := &containerRun{t: t, port: testutil.FreePorts(t, 1)[0], stdout: &testutil.Buffer{}, stderr: &testutil.Buffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(script)
	r.cmd.Env = append(os.Environ(),
		"SUPERVISORD="+filepath.Join(binDir, "supervisord"),
		"GSV_RUN="+testutil.ShortTempDir(t),
		fmt.Sprintf("GSV_LISTEN=127.0.0.1:%d", r.port),
		"GSV_PASSWORD=secret")
	if conf != "" {
		r.cmd.Env = append(r.cmd.Env, "GSV_CONF="+conf)
	}
	r.cmd.Env = append(r.cmd.Env, env...)
	r.cmd.Stdout, r.cmd.Stderr = r.stdout, r.stderr
	r.cmd.SysProcAttr = testutil.DaemonAttr()
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := r.cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		}
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
			return
		default:
		}
		syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.done
	})
	return r
}

// signal sends sig to the run's process group: unshare blocks it, the
// daemon (PID 1 inside) takes it, as a container runtime's signal would.
func (r *containerRun) signal(sig syscall.Signal) {
	syscall.Kill(-r.cmd.Process.Pid, sig)
}

// wait waits for the run to end and returns its exit status.
func (r *containerRun) wait() int {
	r.t.Helper()
	testutil.Receive(r.t, r.done, "the container to end")
	return r.code
}

// status returns the HTTP status of GET path on the run's port (0 if
// the request failed).
func (r *containerRun) status(path string) int {
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(fmt.Sprintf("http://127.0.0.1:%d%s", r.port, path))
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestContainerSIGTERM runs the example as PID 1 and stops it as an
// orchestrator does: SIGTERM stops the programs in reverse priority order,
// within shutdown_timeout, and the container exits 0; every program's
// output is on stdout, prefixed with its name, beside the main log.
func TestContainerSIGTERM(t *testing.T) {
	r := runContainer(t, "")
	testutil.Eventually(t, "worker's second job", func() bool {
		return strings.Contains(r.stdout.String(), "worker | worker: job 2 done")
	})
	r.signal(syscall.SIGTERM)
	if code := r.wait(); code != 0 {
		t.Fatalf("exit status %d after SIGTERM\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
	}
	out := r.stdout.String()
	for _, want := range []string{
		"INFO container mode: supervisord is PID 1 and reaps orphaned processes",
		"INFO supervisord started with pid 1",
		"migrate | migrating the schema to version 42",
		"web | web: serving on :8080",
		"WARN received SIGTERM indicating exit request",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	worker, web := strings.Index(out, "worker | worker: stopping"), strings.Index(out, "web | web: draining")
	if worker < 0 || web < 0 || worker > web {
		t.Errorf("worker (priority 30) must stop before web (20):\n%s", out)
	}
}

// TestContainerRequiredExitCodes checks the exit policy's documented
// codes: a required program that exits unexpectedly ends the container
// with its status, one that goes FATAL with its last status.
func TestContainerRequiredExitCodes(t *testing.T) {
	t.Run("worker fails", func(t *testing.T) {
		r := runContainer(t, "", "WORKER_FAIL_AFTER=2", "WORKER_EXIT=42")
		if code := r.wait(); code != 42 {
			t.Fatalf("exit status %d, want 42\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr.String(), "worker | worker: giving up") {
			t.Errorf("stderr lacks the worker's last words:\n%s", r.stderr)
		}
		if !strings.Contains(r.stdout.String(), "exit policy: required program worker failed: it exited with status 42; supervisord exits with status 42") {
			t.Errorf("stdout does not say why:\n%s", r.stdout)
		}
		if !strings.Contains(r.stdout.String(), "web | web: draining") {
			t.Errorf("web was not stopped in order:\n%s", r.stdout)
		}
	})
	t.Run("web goes FATAL", func(t *testing.T) {
		r := runContainer(t, "", "WEB_FAIL_START=1")
		if code := r.wait(); code != 2 {
			t.Fatalf("exit status %d, want 2\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout.String(), "gave up: web entered FATAL state") ||
			!strings.Contains(r.stdout.String(), "exit policy: required program web failed: it entered FATAL after too many failed starts") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
}

// containerConf writes a configuration for run.sh into dir: a
// [supervisord] section in run.sh's directory (GSV_RUN), then programs.
func containerConf(t *testing.T, dir, programs string) string {
	t.Helper()
	conf := filepath.Join(dir, "supervisord.conf")
	err := os.WriteFile(conf, []byte("[supervisord]\nlogfile=/dev/null\npidfile=%(ENV_GSV_RUN)s/supervisord.pid\n"+
		"childlogdir=%(ENV_GSV_RUN)s\n\n"+programs), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return conf
}

// TestContainerFinished checks that the container ends by itself when
// every program has finished, with the status of the first that failed.
func TestContainerFinished(t *testing.T) {
	conf := containerConf(t, testutil.ShortTempDir(t), `[program:ok]
command=sh -c 'echo done'
startsecs=0
autorestart=false

[program:bad]
command=sh -c 'sleep 0.3; echo failing >&2; exit 9'
startsecs=0
autorestart=false
`)
	r := runContainer(t, conf)
	if code := r.wait(); code != 9 {
		t.Fatalf("exit status %d, want 9\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout.String(), "every program has finished; bad failed first: it exited with status 9") ||
		!strings.Contains(r.stderr.String(), "bad | failing") || !strings.Contains(r.stdout.String(), "ok | done") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

// TestContainerOutputLossless checks that container output loses no
// byte: a program writes megabytes of random bytes (any byte, lines of
// any length, no final newline) to stdout and stderr while its log file
// rotates; the prefixed lines on the daemon's streams give back exactly
// what it wrote (checksum), and so do the log files.
func TestContainerOutputLossless(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	data := make([]byte, 4<<20)
	rand.Read(data)
	if err := os.WriteFile(filepath.Join(dir, "blob"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := containerConf(t, dir, `[program:blob]
command=sh -c 'cat %(here)s/blob; cat %(here)s/blob >&2'
startsecs=0
autorestart=false
stdout_logfile=%(here)s/blob.out
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=10
stderr_logfile=NONE
`)
	r := runContainer(t, conf)
	if code := r.wait(); code != 0 {
		t.Fatalf("exit status %d\nstderr:\n%.2000s", code, r.stderr)
	}
	want := sha256.Sum256(data)
	for _, s := range []struct {
		name string
		out  string
	}{{"stdout", r.stdout.String()}, {"stderr", r.stderr.String()}} {
		got := unprefixLines(t, s.out, "blob")
		if sum := sha256.Sum256(got); sum != want {
			t.Errorf("%s: %d bytes back with sha256 %x, want %d bytes %x", s.name, len(got), sum, len(data), want)
		}
	}
	var logged []byte
	for i := 10; i >= 1; i-- {
		b, _ := os.ReadFile(filepath.Join(dir, "blob.out."+strconv.Itoa(i)))
		logged = append(logged, b...)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "blob.out"))
	if sum := sha256.Sum256(append(logged, b...)); sum != want {
		t.Errorf("the rotated log files hold %d bytes, not the %d written", len(logged)+len(b), len(data))
	}
}

// unprefixLines rebuilds what process name wrote from prefixed console
// output: "name | text" ends a line, "name + text" is a piece the next one
// continues. Other lines (the main log, other programs) are skipped.
func unprefixLines(t *testing.T, out, name string) []byte {
	t.Helper()
	var got []byte
	whole, part := name+" | ", name+" + "
	for len(out) > 0 {
		line, rest, _ := strings.Cut(out, "\n")
		out = rest
		switch {
		case strings.HasPrefix(line, whole):
			got = append(append(got, line[len(whole):]...), '\n')
		case strings.HasPrefix(line, part):
			got = append(got, line[len(part):]...)
		}
	}
	return got
}

// curlStatus returns curl's HTTP status for url (extra arguments first).
func curlStatus(t *testing.T, args ...string) int {
	t.Helper()
	out, err := exec.Command("curl", append([]string{"-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"}, args...)...).Output()
	if err != nil {
		return 0
	}
	code, _ := strconv.Atoi(string(out))
	return code
}

// TestContainerProbesAndMetrics checks the example's endpoints with curl
// as Kubernetes uses them (status codes only): /healthz and /readyz
// without credentials, readiness flipping when a program stops and
// starts, /metrics open (metrics_auth=false) while the API needs the
// password, and the exposition passing promtool.
func TestContainerProbesAndMetrics(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	r := runContainer(t, "")
	base := fmt.Sprintf("http://127.0.0.1:%d", r.port)
	testutil.Eventually(t, "/readyz to answer 200", func() bool { return curlStatus(t, base+"/readyz") == 200 })
	if code := curlStatus(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code := curlStatus(t, base+"/v1/daemon/state"); code != 401 {
		t.Errorf("the API without the password = %d, want 401", code)
	}
	api := []string{"-u", "admin:secret", "-X", "POST", "-d", `{"wait": true}`}
	if code := curlStatus(t, append(api, base+"/v1/processes/worker:stop")...); code != 200 {
		t.Fatalf("stop worker = %d", code)
	}
	testutil.Eventually(t, "/readyz to answer 503", func() bool { return curlStatus(t, base+"/readyz") == 503 })
	if code := curlStatus(t, append(api, base+"/v1/processes/worker:start")...); code != 200 {
		t.Fatalf("start worker = %d", code)
	}
	testutil.Eventually(t, "/readyz to answer 200 again", func() bool { return curlStatus(t, base+"/readyz") == 200 })

	out, err := exec.Command("curl", "-s", "--max-time", "10", base+"/metrics").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		`gsupervisor_process_state{group="worker",process="worker",state="RUNNING"} 1`,
		`gsupervisor_process_starts_total{group="worker",process="worker"} 2`,
		`gsupervisor_process_last_exit_code{group="migrate",process="migrate"} 0`,
		`gsupervisor_rpc_requests_total{code="OK",kind="unary",method="/gsupervisor.v1.ProcessService/StopProcess",surface="rest"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	testutil.CheckMetrics(t, text)
	r.signal(syscall.SIGTERM)
	if code := r.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// TestContainerGracePeriod checks that SIGTERM ends the container within
// shutdown_timeout when a program ignores its stop signal (its
// stopwaitsecs would take ten minutes): what is left is killed, in time
// for an orchestrator's grace period.
func TestContainerGracePeriod(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	conf := containerConf(t, dir, `shutdown_timeout=2

[program:stubborn]
command=sh -c 'trap "" TERM; touch %(here)s/trapped; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=600
`)
	r := runContainer(t, conf)
	testutil.Eventually(t, "the program to ignore SIGTERM", func() bool {
		_, err := os.Stat(filepath.Join(dir, "trapped"))
		return err == nil
	})
	r.signal(syscall.SIGTERM)
	if code := r.wait(); code != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s", code, r.stdout)
	}
	if !strings.Contains(r.stdout.String(), "shutdown_timeout (2s) passed: killed [stubborn] with SIGKILL") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

// TestContainerSubreaper checks container=true when supervisord is not
// PID 1 (under tini or docker --init, say): it becomes a child subreaper,
// so a program's orphan comes back to it and is reaped, not left to the
// real init.
func TestContainerSubreaper(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	conf := filepath.Join(dir, "supervisord.conf")
	os.WriteFile(conf, []byte(`[supervisord]
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
container=true

[program:orphaner]
command=sh -c 'sh -c "sleep 0.3; exit 7" & exit 0'
startsecs=0
autorestart=false

[program:keeper]
command=sleep 1000
startsecs=0
`), 0o644)
	var out testutil.Buffer
	cmd := exec.Command(filepath.Join(binDir, "supervisord"), "-c", conf)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = testutil.DaemonAttr()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	})
	testutil.Eventually(t, "the orphan to be reaped", func() bool {
		s := out.String()
		return strings.Contains(s, "reaped unknown pid ") && strings.Contains(s, "(exit status 7)")
	})
	if !strings.Contains(out.String(), "container mode: supervisord is a child subreaper") {
		t.Errorf("output:\n%s", out.String())
	}
	// container=true keeps it in the foreground (nodaemon is not set).
	syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
	err := testutil.Receive(t, done, "supervisord to exit after SIGTERM")
	done <- err
	if err != nil {
		t.Errorf("exit: %v\n%s", err, out.String())
	}
}

// TestContainerJSON checks logformat=json in container mode: every line
// on the daemon's stdout and stderr is a JSON object, the main log's
// records (level, msg) and the programs' lines (process, stream, msg)
// alike, and the exit policy's status is still the program's.
func TestContainerJSON(t *testing.T) {
	conf := containerConf(t, testutil.ShortTempDir(t), `logformat=json

[program:talker]
command=sh -c 'echo "said \"hi\""; echo oops >&2; exit 3'
startsecs=0
autorestart=false
required=true
`)
	r := runContainer(t, conf)
	if code := r.wait(); code != 3 {
		t.Fatalf("exit status %d, want 3\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
	}
	records := func(name, out string) []map[string]any {
		var recs []map[string]any
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%s: not a JSON line: %q", name, line)
			}
			recs = append(recs, rec)
		}
		return recs
	}
	find := func(recs []map[string]any, match func(map[string]any) bool) bool {
		for _, rec := range recs {
			if match(rec) {
				return true
			}
		}
		return false
	}
	out, errOut := records("stdout", r.stdout.String()), records("stderr", r.stderr.String())
	if !find(out, func(rec map[string]any) bool {
		return rec["process"] == "talker" && rec["stream"] == "stdout" && rec["msg"] == `said "hi"`
	}) {
		t.Errorf("stdout lacks talker's line:\n%s", r.stdout)
	}
	if !find(errOut, func(rec map[string]any) bool {
		return rec["process"] == "talker" && rec["stream"] == "stderr" && rec["msg"] == "oops"
	}) {
		t.Errorf("stderr lacks talker's line:\n%s", r.stderr)
	}
	if !find(out, func(rec map[string]any) bool {
		msg, _ := rec["msg"].(string)
		return rec["level"] == "WARN" && strings.Contains(msg, "exit policy: required program talker failed")
	}) {
		t.Errorf("stdout lacks the exit policy's record:\n%s", r.stdout)
	}
}

// TestMetricsAuth checks metrics_auth with curl: by default /metrics is
// open on the socket and on a loopback port and needs the password on a
// port open to the network; true closes it on a loopback port too, false
// opens it on any port; the API keeps its password throughout and
// /healthz never needs it.
func TestMetricsAuth(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	for _, c := range []struct {
		name, host, option string
		open               bool
	}{
		{"loopback, auto", "127.0.0.1", "", true},
		{"loopback, true", "127.0.0.1", "metrics_auth=true", false},
		{"any address, auto", "0.0.0.0", "", false},
		{"any address, false", "0.0.0.0", "metrics_auth=false", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			port := testutil.FreePorts(t, 1)[0]
			d := startDaemon(t, fmt.Sprintf("[inet_http_server]\nport=%s:%d\nusername=u\npassword=p\n%s\n", c.host, port, c.option))
			base := fmt.Sprintf("http://127.0.0.1:%d", port)
			want := map[bool]int{true: 200, false: 401}
			if got := curlStatus(t, base+"/metrics"); got != want[c.open] {
				t.Errorf("/metrics without the password = %d, want %d", got, want[c.open])
			}
			if got := curlStatus(t, "-u", "u:p", base+"/metrics"); got != 200 {
				t.Errorf("/metrics with the password = %d", got)
			}
			if got := curlStatus(t, "--unix-socket", d.sock, "http://localhost/metrics"); got != 200 {
				t.Errorf("/metrics on the socket = %d", got)
			}
			if got := curlStatus(t, base+"/v1/daemon/state"); got != 401 {
				t.Errorf("the API without the password = %d", got)
			}
			if got := curlStatus(t, base+"/healthz"); got != 200 {
				t.Errorf("/healthz = %d", got)
			}
		})
	}
}
