//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// docBlock is one fenced code block of a markdown page.
type docBlock struct {
	section string // the "## " heading it is under
	lang    string
	body    string
}

// docBlocks returns the fenced code blocks of a markdown file.
func docBlocks(t *testing.T, file string) []docBlock {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	section := ""
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		if h, ok := strings.CutPrefix(lines[i], "## "); ok {
			section = h
			continue
		}
		lang, ok := strings.CutPrefix(lines[i], "```")
		if !ok {
			continue
		}
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		blocks = append(blocks, docBlock{section: section, lang: lang, body: strings.Join(body, "\n") + "\n"})
	}
	return blocks
}

// docFileName matches the first line of a program on the page, which
// names the file it is saved as ("# example.py: …", "// example.js: …").
var docFileName = regexp.MustCompile(`^(?:#|//) ([\w./]+):`)

// TestClientsDoc runs every example of docs/clients.md as written, in a
// directory laid out like a clone after its Setup (examples/, run/, bin/,
// gen/), against a daemon on examples/supervisord.conf with the
// [inet_http_server] section the page gives. The one change: the page's
// port 9001 becomes a free port, in the configuration and in the examples,
// so that tests running side by side do not collide.
func TestClientsDoc(t *testing.T) {
	blocks := docBlocks(t, "../docs/clients.md")
	grpcurlBin := grpcurl(t)
	ws, err := os.MkdirTemp("testdata", "docs-")
	if err != nil {
		t.Fatal(err)
	}
	ws, _ = filepath.Abs(ws)
	t.Cleanup(func() { os.RemoveAll(ws) })
	for _, dir := range []string{"examples", "run/logs", "bin"} {
		os.MkdirAll(filepath.Join(ws, dir), 0o755)
	}
	os.Symlink(repoPath(t, "gen"), filepath.Join(ws, "gen"))
	for _, b := range []string{"supervisord", "supervisorctl"} {
		os.Symlink(filepath.Join(binDir, b), filepath.Join(ws, "bin", b))
	}
	os.Symlink(grpcurlBin, filepath.Join(ws, "bin", "grpcurl"))
	conf, err := os.ReadFile("../examples/supervisord.conf")
	if err != nil {
		t.Fatal(err)
	}
	var inet string
	for _, b := range blocks {
		if b.lang == "ini" && strings.Contains(b.body, "[inet_http_server]") {
			inet = b.body
		}
	}
	if inet == "" {
		t.Fatal("docs/clients.md gives no [inet_http_server] section")
	}
	port := startDocDaemon(t, ws, string(conf), inet)
	withPort := func(s string) string { return strings.ReplaceAll(s, "127.0.0.1:9001", "127.0.0.1:"+strconv.Itoa(port)) }

	ran := map[string]bool{}
	var program string
	for _, b := range blocks {
		switch b.lang {
		case "go", "python", "js":
			m := docFileName.FindStringSubmatch(b.body)
			if m == nil {
				t.Fatalf("%s: the %s block does not start with the file it is saved as", b.section, b.lang)
			}
			program = m[1]
			p := filepath.Join(ws, program)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(withPort(b.body)), 0o644); err != nil {
				t.Fatal(err)
			}
		case "sh":
			if b.section == "Setup" {
				continue // make deps build grpcurl run: done by the test's own harness
			}
			ran[b.section] = true
			t.Run(b.section, func(t *testing.T) { runDocCommands(t, ws, b, withPort(b.body), program) })
			program = ""
		}
	}
	for _, s := range []string{"Go", "Python", "TypeScript / Node", "grpcurl", "curl"} {
		if !ran[s] {
			t.Errorf("docs/clients.md has no %s example", s)
		}
	}
}

// startDocDaemon starts supervisord on the example configuration plus the
// page's inet section (on a free port) in ws, and returns the port once
// clock runs.
func startDocDaemon(t *testing.T, ws, conf, inet string) int {
	t.Helper()
	d, port := startOnFreePort(t, ws, filepath.Join(ws, "examples", "supervisord.conf"), filepath.Join(ws, "run", "supervisor.sock"), func(port int) string {
		return conf + "\n" + strings.ReplaceAll(inet, "127.0.0.1:9001", "127.0.0.1:"+strconv.Itoa(port))
	})
	d.waitState("clock", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	return port
}

// runDocCommands runs the commands of an sh block, one by one, in ws. A
// command may exit non-zero only where the page says it ends that way: a
// stream ended by --max-time / -max-time, a call that reads an error. The
// output must show what each example promises.
func runDocCommands(t *testing.T, ws string, b docBlock, script, program string) {
	var all strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = ws
		cmd.Env = offlineEnv()
		var out testutil.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		runBounded(t, cmd)
		code := cmd.ProcessState.ExitCode()
		allowed := code == 0 ||
			(strings.Contains(line, "--max-time") && code == 28) || // curl: the stream was still open
			(strings.Contains(line, "-max-time") && strings.Contains(out.String(), "DeadlineExceeded")) ||
			(strings.Contains(line, "nope") && strings.Contains(out.String(), "ERROR_REASON_BAD_NAME"))
		if !allowed || out.Len() == 0 {
			t.Errorf("%s: exit %d\n%s", line, code, out.String())
		}
		fmt.Fprintf(&all, "$ %s\n%s", line, out.String())
	}
	got := all.String()
	t.Logf("%s", got)
	want := []string{"ERROR_REASON_BAD_NAME", "clock"}
	switch b.section {
	case "grpcurl":
		want = append(want, "gsupervisor.v1.ProcessService\n", `"state": "PROCESS_STATE_RUNNING"`, `"chunk"`, `"ready"`, `"status": "SERVING"`)
	case "curl":
		want = append(want, `"namespec":"clock"`, "PROCESS_STATE_RUNNING", `"ready"`)
	default:
		// The programs print both endpoints' results.
		want = append(want, "worker:worker_00", "log: ", "event: PROCESS_STATE_RUNNING", "error: ERROR_REASON_BAD_NAME nope")
		if n := strings.Count(got, "error: ERROR_REASON_BAD_NAME nope"); n != 2 {
			t.Errorf("%s: the typed error read %d times, want 2 (unix socket and TCP)", program, n)
		}
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: the output has no %q", b.section, w)
		}
	}
}
