//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// mainLogLine matches a main log line: time, level, message.
var mainLogLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ([A-Z]{4}) (.*)$`)

// mainLogLines returns a main log without times, its pids and dir
// normalized, and the lines of a program's own output dropped.
func mainLogLines(t *testing.T, path, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid := regexp.MustCompile(`(pid |\()[0-9]+`)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		m := mainLogLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		msg := pid.ReplaceAllString(strings.ReplaceAll(m[2], dir, "<DIR>"), "${1}N")
		out = append(out, m[1]+" "+msg)
	}
	return out
}

// stopLinesSorted sorts each run of consecutive "waiting for x to stop"
// and "killing 'x' (N) with SIGKILL" lines: when the SIGKILL and a report
// fall due at the same moment, 4.2.5 writes them in either order (its loop
// looks at waiting requests before it moves processes, and the two
// deadlines are microseconds apart). The number of each still counts.
func stopLinesSorted(lines []string) []string {
	stopLine := regexp.MustCompile(`^(INFO waiting for .* to stop|WARN killing '.*' \(N\) with SIGKILL)$`)
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && stopLine.MatchString(lines[j]) {
			j++
		}
		if j > i {
			sort.Strings(lines[i:j])
			i = j
		} else {
			i++
		}
	}
	return lines
}

// mainLogPrograms runs in both daemons: a program whose working directory
// does not exist, one whose command cannot be executed, and one that
// ignores SIGTERM. The inet server has a password, the unix one none.
// stopwaitsecs=3 keeps the SIGKILL away from the 2 s report: when both
// fall due at once, 4.2.5 writes one or two "waiting" lines depending on
// microseconds. startsecs=30 on the failing ones: on a loaded machine the
// real daemon's child may take more than a second to fail.
func mainLogPrograms(port int) string {
	return fmt.Sprintf(`[inet_http_server]
port=127.0.0.1:%d
username=user
password=pass

[program:baddir]
command=/bin/sleep 100
directory=/nonexistent/dir
autostart=false
startretries=0
startsecs=30

[program:badexec]
command=%%(here)s/notexec
autostart=false
startretries=0
startsecs=30

[program:stubborn]
command=/bin/sh -c "trap '' TERM; echo ready; while :; do sleep 0.1; done"
stopwaitsecs=3
`, port)
}

// mainLogScript drives both daemons the same way over XML-RPC: two
// children that fail after their fork, a start request while stubborn is
// stopping (with and without wait), and a waited stop that ends in SIGKILL.
var mainLogScript = []string{
	"wait('stubborn', 'RUNNING')",
	"waitlog('stubborn', 'ready')",
	"s.supervisor.startProcess('baddir')",
	"wait('baddir', 'FATAL')",
	"s.supervisor.startProcess('badexec')",
	"wait('badexec', 'FATAL')",
	"s.supervisor.stopProcess('stubborn', False)",
	"s.supervisor.startProcess('stubborn', True)",
	"s.supervisor.startProcess('stubborn', False)",
	"s.supervisor.getProcessInfo('stubborn')['statename']",
	"wait('stubborn', 'STOPPED')",
	"s.supervisor.clearProcessLogs('stubborn')",
	"s.supervisor.startProcess('stubborn')",
	"waitlog('stubborn', 'ready')",
	"s.supervisor.stopProcess('stubborn')",
}

// TestMainLogDifferential runs the same configuration and requests on our
// daemon and on the real supervisord 4.2.5 and compares their main logs
// line by line (times and pids aside), and the XML-RPC answers: the
// start-up lines (RPC interface, no authentication) in order and number,
// "spawned" before "exited" for children that fail after their fork,
// "process 'x' already running" and ABNORMAL_TERMINATION for a start
// while stopping, and the "waiting for x to stop" lines of a waited stop.
func TestMainLogDifferential(t *testing.T) {
	testutil.RequireSupervisor(t)
	garbage := "this is not a program\n"
	ports := testutil.FreePorts(t, 2)
	var ours *daemon
	var real *realDaemon
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		real = startReal(t, mainLogPrograms(ports[0]), map[string]string{"notexec": garbage})
	}()
	ours = startDaemon(t, mainLogPrograms(ports[1]))
	os.WriteFile(filepath.Join(ours.dir, "notexec"), []byte(garbage), 0o755)
	wg.Wait()

	var o, r []string
	wg.Add(2)
	go func() { defer wg.Done(); o = cxPy(t, "unix://"+ours.sock, mainLogScript) }()
	go func() { defer wg.Done(); r = cxPy(t, "unix://"+real.sock, mainLogScript) }()
	wg.Wait()
	cxCompareLines(t, "XML-RPC", o, r, ours.dir, real.dir)

	ol := stopLinesSorted(mainLogLines(t, filepath.Join(ours.dir, "supervisord.log"), ours.dir))
	rl := stopLinesSorted(mainLogLines(t, filepath.Join(real.dir, "supervisord.log"), real.dir))
	if strings.Join(ol, "\n") != strings.Join(rl, "\n") {
		t.Errorf("main logs differ:\nours:\n%s\n\nreal:\n%s", strings.Join(ol, "\n"), strings.Join(rl, "\n"))
	}
}
