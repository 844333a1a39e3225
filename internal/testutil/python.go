package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// The reference Supervisor 4.2.5 as Debian's package installs it (make
// deps): the python3 that can import it, and its programs.
const (
	// Python is Debian's python3. The python3 first on PATH may be another
	// one (pyenv) without Debian's packages, so tests always use this path.
	Python = "/usr/bin/python3"
	// Supervisord is the real supervisord script (run it with Python).
	Supervisord = "/usr/bin/supervisord"
	// Supervisorctl is the real supervisorctl script (run it with Python).
	Supervisorctl = "/usr/bin/supervisorctl"
	// EchoSupervisordConf is the real echo_supervisord_conf script.
	EchoSupervisordConf = "/usr/bin/echo_supervisord_conf"
)

// CI reports whether the tests run in CI: the CI environment variable is
// set to anything but "", "0" or "false" (CI systems set CI=true; .ci/run
// sets CI=1).
func CI() bool {
	switch strings.ToLower(os.Getenv("CI")) {
	case "", "0", "false":
		return false
	}
	return true
}

// Require skips the test when err says that something the test needs is
// missing, or fails it in CI, where everything must be installed: a test
// that compares with the reference must not pass by skipping there.
func Require(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if CI() {
		t.Fatalf("%v (CI is set: install what the tests need with make deps)", err)
	}
	t.Skipf("%v (make deps installs it)", err)
}

// RequireFile is Require for a file the test runs or reads, such as
// Supervisord.
func RequireFile(t testing.TB, path string) {
	t.Helper()
	_, err := os.Stat(path)
	if err != nil {
		err = fmt.Errorf("the reference is not installed: %w", err)
	}
	Require(t, err)
}

var pythonCheck = sync.OnceValue(func() error {
	out, err := exec.Command(Python, "-c", "import supervisor.options").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s cannot import Supervisor: %v: %s", Python, err, bytes.TrimSpace(out))
	}
	return nil
})

// RequirePython is Require for Python: it skips the test (fails it in CI)
// unless Python can import Supervisor.
func RequirePython(t testing.TB) {
	t.Helper()
	Require(t, pythonCheck())
}

// RequireSupervisor is Require for the whole reference: Python that can
// import Supervisor and the real supervisord and supervisorctl.
func RequireSupervisor(t testing.TB) {
	t.Helper()
	RequirePython(t)
	RequireFile(t, Supervisord)
	RequireFile(t, Supervisorctl)
}

// RunPython runs script with Python (after RequirePython) with args as its
// sys.argv[1:] and returns its standard output; a failure of the script
// fails the test with its standard error.
func RunPython(t testing.TB, script string, args ...string) string {
	t.Helper()
	return string(runPython(t, script, nil, args))
}

// RunPythonJSON runs script with Python (after RequirePython), feeding it
// in as JSON on its standard input, and decodes its standard output, JSON,
// into out.
func RunPythonJSON(t testing.TB, script string, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	stdout := runPython(t, script, b, nil)
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("python output: %v\n%s", err, stdout)
	}
}

func runPython(t testing.TB, script string, stdin []byte, args []string) []byte {
	t.Helper()
	RequirePython(t)
	cmd := exec.Command(Python, append([]string{"-c", script}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return stdout
}
