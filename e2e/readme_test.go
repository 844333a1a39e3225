//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// readmeBlock returns the first ```sh block after the heading.
func readmeBlock(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q section", heading)
	}
	s = s[i:]
	start := strings.Index(s, "```sh\n")
	end := strings.Index(s[start+6:], "```")
	if start < 0 || end < 0 {
		t.Fatalf("no sh block under %q", heading)
	}
	var lines []string
	for _, l := range strings.Split(s[start+6:start+6+end], "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestReadmeRESTExamples runs the README's REST/JSON examples, as written,
// against a daemon on a copy of examples/supervisord.conf: each curl must
// succeed (HTTP 2xx), the streaming one must stream.
func TestReadmeRESTExamples(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "examples"), 0o755)
	os.MkdirAll(filepath.Join(dir, "run", "logs"), 0o755)
	conf, err := os.ReadFile("../examples/supervisord.conf")
	if err != nil {
		t.Fatal(err)
	}
	// The example's web port, 9001, may be taken on this machine: the
	// daemon and the README's web examples use a free one instead.
	ports := testutil.FreePorts(t, 3)
	port := strconv.Itoa(ports[2])
	conf = bytes.ReplaceAll(conf, []byte("127.0.0.1:9001"), []byte("127.0.0.1:"+port))
	confPath := filepath.Join(dir, "examples", "supervisord.conf")
	// The dependency example's ports, free ones here (make run may be on).
	conf = []byte(strings.NewReplacer("17432", strconv.Itoa(ports[0]), "17480", strconv.Itoa(ports[1])).Replace(string(conf)))
	os.WriteFile(confPath, conf, 0o644)
	// bin/ holds the binaries (the example's chain runs bin/chaindemo).
	os.Symlink(binDir, filepath.Join(dir, "bin"))
	d := &daemon{t: t, dir: dir, conf: confPath, sock: filepath.Join(dir, "run", "supervisor.sock"), out: &testutil.Buffer{}}
	d.start()
	d.waitState("worker:worker_00", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)

	lines := append(readmeBlock(t, "## REST/JSON"), readmeBlock(t, "## Logs")...)
	lines = append(lines, readmeBlock(t, "## Events")...)
	web := readmeBlock(t, "## Web interface")
	if len(web) == 0 {
		t.Fatal("the Web interface section has no example")
	}
	for _, line := range web {
		lines = append(lines, strings.ReplaceAll(line, "127.0.0.1:9001", "127.0.0.1:"+port))
	}
	for _, line := range lines {
		if strings.HasPrefix(line, "S=") {
			continue
		}
		script := `S="--unix-socket run/supervisor.sock"` + "\n" + line + "\n"
		if strings.Contains(line, "curl -N") || strings.Contains(line, " -f ") {
			// A stream does not end by itself: it must print (a JSON line
			// from curl) and still be streaming when the test stops it.
			want := `{"result":`
			if strings.Contains(line, "Accept: text/plain") {
				// Raw text: the clock's date lines, not base64 JSON.
				want = strconv.Itoa(time.Now().Year())
			}
			if strings.HasPrefix(line, "bin/supervisorctl") {
				want = "==> Press Ctrl-C to exit <=="
			}
			readmeStream(t, dir, script, line, want)
			continue
		}
		cmd := exec.CommandContext(testutil.Context(t), "sh", "-c", "curl() { command curl -fsS --max-time 60 \"$@\"; }\n"+script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if strings.Contains(line, "Accept: text/plain") && (len(out) == 0 || strings.HasPrefix(string(out), "{")) {
			t.Errorf("%s: not raw text:\n%s", line, out)
		}
		if err != nil || len(out) == 0 {
			t.Errorf("%s: %v\n%s", line, err, out)
		}
	}
}

// readmeStream runs a README line that streams until its output contains
// want, checks it is still running then, and interrupts it (its process
// group) as Ctrl-C would.
func readmeStream(t *testing.T, dir, script, line, want string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	var out testutil.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = testutil.DaemonAttr()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		if testutil.Poll(testutil.Timeout, func() bool { return len(done) > 0 }) {
			return
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}()
	testutil.Eventually(t, fmt.Sprintf("%q from %s", want, line), func() bool {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("%s ended by itself (%v):\n%s", line, err, out.String())
		default:
		}
		return strings.Contains(out.String(), want)
	})
}
