//go:build e2e

package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// cxPyDriver evaluates Python expressions against a daemon's XML-RPC
// interface (Supervisor's own transport, as supervisorctl uses it), one per
// line of stdin, and prints "expr => json" for each: {"ok": value},
// {"fault": [code, text]} or {"error": "..."} (an HTTP error, for example).
// wait(name, state) polls getProcessInfo until the process is in state;
// byname(results) sorts a list of per-process results by name, for the
// group calls that wait, whose results come in the order the processes
// finished (4.2.5's too), which the machine's speed decides.
const cxPyDriver = `
import sys, json, time, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
url = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 2 else None
password = sys.argv[3] if len(sys.argv) > 3 else None
s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(user, password, url))
def wait(name, state, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        info = s.supervisor.getProcessInfo(name)
        if info['statename'] == state:
            return state
        time.sleep(0.05)
    return 'timeout: %s is %s' % (name, info['statename'])
def waitlog(name, text, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in s.supervisor.readProcessStdoutLog(name, 0, 0):
            return True
        time.sleep(0.05)
    return False
def sleep(secs):
    time.sleep(secs)
def byname(results):
    return sorted(results, key=lambda r: (r['group'], r['name']))
for line in sys.stdin:
    expr = line.rstrip('\n')
    if not expr.strip() or expr.startswith('#'):
        continue
    try:
        out = {'ok': eval(expr)}
    except xmlrpc.client.Fault as f:
        out = {'fault': [f.faultCode, f.faultString]}
    except Exception as e:
        out = {'error': '%s: %s' % (type(e).__name__, e)}
    print(expr + ' => ' + json.dumps(out, default=str))
    sys.stdout.flush()
`

// cxPy runs the expressions through cxPyDriver against a daemon's unix
// socket (or an http:// URL) and returns one output line per expression.
func cxPy(t *testing.T, url string, exprs []string, auth ...string) []string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "driver.py")
	if err := os.WriteFile(script, []byte(cxPyDriver), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testutil.Python, append([]string{script, url}, auth...)...)
	cmd.Stdin = strings.NewReader(strings.Join(exprs, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python driver: %v\n%s\n%s", err, out, stderr.String())
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// cxNormalizers make the outputs of two daemons comparable: their temp dirs,
// pids, times, dates and the random parts of AUTO log file names differ.
var cxNormalizers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`---e2e-[A-Za-z0-9_]+\.log`), "---e2e-R.log"},
	{regexp.MustCompile(`"pid": [1-9][0-9]*`), `"pid": N`},
	{regexp.MustCompile(`pid [1-9][0-9]*, uptime [0-9]+:[0-9]{2}:[0-9]{2}`), "pid N, uptime T"},
	{regexp.MustCompile(`"(start|stop|now)": [1-9][0-9]*`), `"$1": T`},
	{regexp.MustCompile(`[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2} [AP]M`), "DATE"},
	{regexp.MustCompile(`(?m)^(\S+\s+RUNNING\s+)pid N, uptime T`), "${1}pid N, uptime T"},
	{regexp.MustCompile(`(?m)^([a-z_:0-9]+\s+)?[0-9]+$`), "${1}N"},
}

// cxNormalize rewrites a daemon's output for comparison: dir becomes <DIR>.
func cxNormalize(s, dir string) string {
	s = strings.ReplaceAll(s, dir, "<DIR>")
	for _, n := range cxNormalizers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	return s
}

// cxCompareLines reports every line that differs between ours and the real
// daemon's, after normalization.
func cxCompareLines(t *testing.T, what string, ours, real []string, oursDir, realDir string) {
	t.Helper()
	if len(ours) != len(real) {
		t.Errorf("%s: %d lines, the real one %d\nours:\n%s\nreal:\n%s", what, len(ours), len(real), strings.Join(ours, "\n"), strings.Join(real, "\n"))
		return
	}
	for i := range ours {
		o, r := cxNormalize(ours[i], oursDir), cxNormalize(real[i], realDir)
		if o != r {
			t.Errorf("%s line %d differs:\n ours: %s\n real: %s", what, i+1, o, r)
		}
	}
}

// cxCtl runs the real supervisorctl 4.2.5 with args and returns its output
// (stdout and stderr together) and exit code.
func cxCtl(t *testing.T, conf string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(testutil.Python, append([]string{testutil.Supervisorctl, "-c", conf}, args...)...)
	cmd.Stdin = strings.NewReader("")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("supervisorctl %v: %v", args, err)
		}
	case <-time.After(testutil.Timeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("supervisorctl %v did not finish in %v:\n%s", args, testutil.Timeout, out.String())
	}
	return out.String(), cmd.ProcessState.ExitCode()
}
