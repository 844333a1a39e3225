//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// cxCtlPrograms is the configuration of the supervisorctl differential tests:
// startsecs=0 where it does not matter, so that states are settled when a
// command returns, on both daemons; failer's startsecs is a minute so that
// it dies before it on either daemon, however slow the machine.
const cxCtlPrograms = `
[program:sleeper]
command=/bin/sleep 100000
startsecs=0

[program:trapper]
command=/bin/sh -c 'trap "echo got HUP" HUP; while true; do sleep 0.1; done'
startsecs=0
stopasgroup=true
killasgroup=true

[program:static]
command=/bin/sh -c 'printf "line one\nline two\nline three\n"; printf "err\n" >&2; exec /bin/sleep 100000'
startsecs=0

[program:printer]
command=/bin/sh -c 'i=0; while true; do echo "out line $i"; i=$((i+1)); sleep 0.1; done'
startsecs=0

[program:cat]
command=/bin/cat
startsecs=0

[program:failer]
command=/bin/sh -c "exit 1"
autostart=false
startretries=0
startsecs=60

[program:badcmd]
command=/nonexistent/binary --flag
autostart=false

[program:manual]
command=/bin/sleep 100000
autostart=false
startsecs=0

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
autostart=false
startsecs=0

[group:grp]
programs=ga,gb
priority=500

[program:ga]
command=/bin/sleep 100000
startsecs=0

[program:gb]
command=/bin/sleep 100000
priority=10
startsecs=0
`

// cxStep is one supervisorctl invocation of a differential script.
type cxStep struct {
	args []string
	// outputDiffers skips the output comparison (the exit codes are still
	// compared): the main log's text is ours, not 4.2.5's.
	outputDiffers bool
	// unordered compares the output lines as a set: 4.2.5 reports the
	// processes of "all" operations in the order their waits complete,
	// which depends on timing (ours: in priority order).
	unordered bool
}

func cxSteps(lines ...string) []cxStep {
	var out []cxStep
	for _, l := range lines {
		// "~" marks a step whose output lines are compared as a set.
		unordered := strings.HasPrefix(l, "~")
		out = append(out, cxStep{args: strings.Fields(strings.TrimPrefix(l, "~")), unordered: unordered})
	}
	return out
}

// cxCtlScript is run by the real supervisorctl against both daemons.
var cxCtlScript = append(cxSteps(
	"status",
	"status sleeper",
	"status nope",
	"status grp:*",
	"status sleeper nope grp:ga",
	"start manual",
	"start manual",
	"start nope",
	"start badcmd",
	"start failer",
	"start grp:*",
	"stop manual",
	"stop manual",
	"stop nope",
	"~stop grp:*",
	"start grp:*",
	"restart sleeper",
	"~restart grp:*",
	"restart nope",
	"signal HUP trapper",
	"signal BOGUS trapper",
	"signal HUP manual",
	"signal HUP nope",
	"signal WINCH grp:*",
	"signal",
	"pid",
	"pid sleeper",
	"pid nope",
	"pid manual",
	"tail static",
	"tail static stderr",
	"tail -12 static",
	"tail nope",
	"tail nolog",
	"tail static bogus",
	"clear static",
	"tail static",
	"clear nope",
	"avail",
	"reread",
	"update",
	"version",
	"add nope",
	"add sleeper",
	"remove nope",
	"remove sleeper",
	"~stop all",
	"status",
	"~start all",
	"clear all",
	"fg",
	"fg nope",
), cxStep{args: []string{"maintail"}, outputDiffers: true}, cxStep{args: []string{"maintail", "-100"}, outputDiffers: true})

// cxCtlScriptEdited runs after both configuration files were edited.
var cxCtlScriptEdited = cxSteps(
	"reread",
	"avail",
	"update nosuchgroup",
	"add newprog",
	"add newprog",
	"status newprog",
	"remove newprog",
	"update",
	"status",
	"reread",
)

// cxRunCtl runs a script and returns one block per step: the command,
// its output and its exit code.
func cxRunCtl(t *testing.T, conf string, script []cxStep, auth ...string) []string {
	var out []string
	for _, s := range script {
		o, code := cxCtl(t, conf, append(auth, s.args...)...)
		if s.outputDiffers {
			o = fmt.Sprintf("(%d bytes)", len(o))
			if len(o) == 0 {
				o = "(empty)"
			}
		}
		out = append(out, fmt.Sprintf("$ supervisorctl %s\n%s[exit %d]", strings.Join(s.args, " "), o, code))
	}
	return out
}

// cxCompareBlocks compares the outputs of two script runs.
func cxCompareBlocks(t *testing.T, what string, ours, real []string, oursDir, realDir string, script []cxStep) {
	t.Helper()
	if len(ours) != len(script) || len(real) != len(script) {
		t.Errorf("%s: %d and %d results for %d steps", what, len(ours), len(real), len(script))
		return
	}
	for i := range ours {
		o, r := cxNormalize(ours[i], oursDir), cxNormalize(real[i], realDir)
		if script[i].outputDiffers {
			o, r = cxFirstLast(o), cxFirstLast(r)
		}
		if script[i].unordered {
			o, r = cxSortLines(o), cxSortLines(r)
		}
		if o != r {
			t.Errorf("%s: differs from 4.2.5:\n--- ours\n%s\n--- real\n%s", what, o, r)
		}
	}
}

// cxSortLines sorts the lines of a block.
func cxSortLines(s string) string {
	lines := strings.Split(s, "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// cxFirstLast keeps the command and the exit code of a block.
func cxFirstLast(s string) string {
	lines := strings.Split(s, "\n")
	return lines[0] + "\n" + lines[len(lines)-1]
}

// cxStartBoth starts our daemon and the real one on the same programs.
func cxStartBoth(t *testing.T, programs string) (*daemon, *realDaemon) {
	t.Helper()
	var real *realDaemon
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); real = startReal(t, programs, nil) }()
	ours := startDaemon(t, programs)
	wg.Wait()
	for _, sock := range []string{ours.sock, real.sock} {
		out := cxPy(t, "unix://"+sock, []string{"wait('printer', 'RUNNING')", "waitlog('static', 'line three')", "wait('grp:gb', 'RUNNING')"})
		if strings.Contains(strings.Join(out, "\n"), "timeout") {
			t.Fatalf("daemon on %s did not start its programs: %v", sock, out)
		}
	}
	return ours, real
}

// TestCompatSupervisorctlDifferential runs the real supervisorctl 4.2.5
// against our daemon and the real supervisord on the same configuration
// (unix socket), and compares outputs and exit codes.
func TestCompatSupervisorctlDifferential(t *testing.T) {
	testutil.RequireSupervisor(t)
	ours, real := cxStartBoth(t, cxCtlPrograms)
	var o, r []string
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); o = cxRunCtl(t, ours.conf, cxCtlScript) }()
	go func() { defer wg.Done(); r = cxRunCtl(t, real.conf, cxCtlScript) }()
	wg.Wait()
	cxCompareBlocks(t, "supervisorctl", o, r, ours.dir, real.dir, cxCtlScript)

	cxEditConfig(t, ours.conf, "")
	cxEditConfig(t, real.conf, "")
	wg.Add(2)
	go func() { defer wg.Done(); o = cxRunCtl(t, ours.conf, cxCtlScriptEdited) }()
	go func() { defer wg.Done(); r = cxRunCtl(t, real.conf, cxCtlScriptEdited) }()
	wg.Wait()
	cxCompareBlocks(t, "supervisorctl after the edit", o, r, ours.dir, real.dir, cxCtlScriptEdited)

	// reload restarts in place; shutdown ends the daemon.
	for _, c := range []struct {
		conf string
		sock string
		dir  string
	}{{ours.conf, ours.sock, ours.dir}, {real.conf, real.sock, real.dir}} {
		out, code := cxCtl(t, c.conf, "reload")
		if out != "Restarted supervisord\n" || code != 0 {
			t.Errorf("reload in %s: %q, exit %d", c.dir, out, code)
		}
		testutil.Eventually(t, "the daemon to serve again after reload", func() bool {
			_, code := cxCtl(t, c.conf, "status", "sleeper")
			return code == 0
		})
		out, code = cxCtl(t, c.conf, "shutdown")
		if out != "Shut down\n" || code != 0 {
			t.Errorf("shutdown in %s: %q, exit %d", c.dir, out, code)
		}
	}
	testutil.Receive(t, ours.exited, "our daemon to exit after supervisorctl shutdown")
}

// TestCompatSupervisorctlInet runs the real supervisorctl over an
// [inet_http_server] port with credentials, against both daemons.
func TestCompatSupervisorctlInet(t *testing.T) {
	testutil.RequireSupervisor(t)
	ports := testutil.FreePorts(t, 2)
	inet := func(port int) string {
		return fmt.Sprintf("\n[inet_http_server]\nport=127.0.0.1:%d\nusername=user\npassword={SHA}9d4e1e23bd5b727046a9e3b4b7db57bd8d6ee684\n", port)
	}
	var real *realDaemon
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); real = startReal(t, cxCtlPrograms+inet(ports[1]), nil) }()
	ours := startDaemon(t, cxCtlPrograms+inet(ports[0]))
	wg.Wait()
	script := cxSteps("status sleeper", "start manual", "stop manual", "tail static", "pid", "version", "avail")
	for _, sock := range []string{ours.sock, real.sock} {
		cxPy(t, "unix://"+sock, []string{"waitlog('static', 'line three')"})
	}
	o := cxRunCtl(t, ours.conf, script, "-s", fmt.Sprintf("http://127.0.0.1:%d", ports[0]), "-u", "user", "-p", "pass")
	r := cxRunCtl(t, real.conf, script, "-s", fmt.Sprintf("http://127.0.0.1:%d", ports[1]), "-u", "user", "-p", "pass")
	for i := range o {
		o[i] = strings.ReplaceAll(o[i], fmt.Sprint(ports[0]), "PORT")
		r[i] = strings.ReplaceAll(r[i], fmt.Sprint(ports[1]), "PORT")
	}
	cxCompareBlocks(t, "supervisorctl over inet", o, r, ours.dir, real.dir, script)
	// Wrong credentials.
	bad := cxSteps("status")
	o = cxRunCtl(t, ours.conf, bad, "-s", fmt.Sprintf("http://127.0.0.1:%d", ports[0]), "-u", "user", "-p", "wrong")
	r = cxRunCtl(t, real.conf, bad, "-s", fmt.Sprintf("http://127.0.0.1:%d", ports[1]), "-u", "user", "-p", "wrong")
	o[0] = strings.ReplaceAll(o[0], fmt.Sprint(ports[0]), "PORT")
	r[0] = strings.ReplaceAll(r[0], fmt.Sprint(ports[1]), "PORT")
	cxCompareBlocks(t, "supervisorctl with a wrong password", o, r, ours.dir, real.dir, bad)
	// tail -f over inet, with credentials.
	for _, c := range []struct {
		conf string
		port int
	}{{ours.conf, ports[0]}, {real.conf, ports[1]}} {
		out := cxTailFollow(t, c.conf, "static", cxHas("line three"), "-s", fmt.Sprintf("http://127.0.0.1:%d", c.port), "-u", "user", "-p", "pass")
		if !strings.HasPrefix(out, "==> Press Ctrl-C to exit <==\nline one\nline two\nline three\n") {
			t.Errorf("tail -f over inet on port %d: %q", c.port, out)
		}
	}
}

// cxTailFollow runs `supervisorctl [auth] tail -f name` until its output
// satisfies until, then interrupts it as a user's Ctrl-C would, and returns
// the output.
func cxTailFollow(t *testing.T, conf, name string, until cxUntil, auth ...string) string {
	t.Helper()
	args := append([]string{testutil.Supervisorctl, "-c", conf}, auth...)
	args = append(args, "tail", "-f", name)
	if name == "" {
		args = append(args[:len(args)-3], "maintail", "-f")
	}
	cmd := exec.Command(testutil.Python, args...)
	var out testutil.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	if !testutil.Poll(testutil.Timeout, func() bool { return until.done(out.String()) }) {
		t.Errorf("tail -f %s: no %s within %v; got %q", name, until.what, testutil.Timeout, out.String())
	}
	return out.String()
}

// cxUntil is when cxTailFollow has read enough: what it waits for, for
// the failure message, and whether the output so far has it.
type cxUntil struct {
	what string
	done func(out string) bool
}

// cxHas waits for want in the output.
func cxHas(want string) cxUntil {
	return cxUntil{fmt.Sprintf("%q", want), func(out string) bool { return strings.Contains(out, want) }}
}

// cxNewPrinterLines waits until the output, which starts with the last
// lines of printer's log, shows three lines printer wrote after the first
// one shown; the line it waits for is put in *want.
func cxNewPrinterLines(want *string) cxUntil {
	return cxUntil{"three new lines of printer", func(out string) bool {
		if *want == "" {
			// The last complete line shown so far.
			lines := strings.Split(out, "\n")
			for i := len(lines) - 2; i >= 0; i-- {
				var n int
				if _, err := fmt.Sscanf(lines[i], "out line %d", &n); err == nil && lines[i] == fmt.Sprintf("out line %d", n) {
					*want = fmt.Sprintf("out line %d\n", n+3)
					break
				}
			}
			return false
		}
		return strings.Contains(out, *want)
	}}
}

// TestCompatTailFollow: `tail -f`, `tail -f name stderr` and `maintail -f`
// stream the last bytes and then new output from both daemons.
func TestCompatTailFollow(t *testing.T) {
	testutil.RequireSupervisor(t)
	ours, real := cxStartBoth(t, cxCtlPrograms)
	for _, d := range []struct{ conf, dir string }{{ours.conf, ours.dir}, {real.conf, real.dir}} {
		out := cxTailFollow(t, d.conf, "static", cxHas("line three"))
		if out != "==> Press Ctrl-C to exit <==\nline one\nline two\nline three\n" {
			t.Errorf("tail -f static (%s): %q", d.dir, out)
		}
		// printer writes a line every 0.1 s: the first lines come from the
		// existing log, then new ones arrive.
		var more string
		out = cxTailFollow(t, d.conf, "printer", cxNewPrinterLines(&more))
		if !strings.HasPrefix(out, "==> Press Ctrl-C to exit <==\n") || more == "" || !strings.Contains(out, more) {
			t.Errorf("tail -f printer (%s): %q", d.dir, out)
		}
		out = cxTailFollow(t, d.conf, "", cxHas(" INFO "))
		if !strings.HasPrefix(out, "==> Press Ctrl-C to exit <==\n") || !strings.Contains(out, " INFO ") {
			t.Errorf("maintail -f (%s): %q", d.dir, out)
		}
	}
	// The stderr channel and an unknown name, through the same command.
	for _, d := range []struct{ conf, dir string }{{ours.conf, ours.dir}, {real.conf, real.dir}} {
		cmd := exec.Command(testutil.Python, testutil.Supervisorctl, "-c", d.conf, "tail", "-f", "nope")
		out, _ := cmd.CombinedOutput()
		got := cxNormalize(string(out), d.dir)
		if got != "==> Press Ctrl-C to exit <==\nunix://<DIR>/s.sock/logtail/nope/stdout Cannot read, status code 404\n" {
			t.Errorf("tail -f nope (%s): %q", d.dir, got)
		}
	}
}

// TestCompatFg drives `supervisorctl fg cat` through a terminal: what is
// typed reaches cat's stdin (sendProcessStdin) and cat's output comes back
// through /logtail, on both daemons.
func TestCompatFg(t *testing.T) {
	testutil.RequireSupervisor(t)
	ours, real := cxStartBoth(t, cxCtlPrograms)
	for _, d := range []struct{ conf, dir string }{{ours.conf, ours.dir}, {real.conf, real.dir}} {
		cmd := exec.Command(testutil.Python, testutil.Supervisorctl, "-c", d.conf, "fg", "cat")
		tty, err := pty.Start(cmd)
		if err != nil {
			t.Fatal(err)
		}
		var out testutil.Buffer
		go io.Copy(&out, tty)
		testutil.Eventually(t, "fg to start", func() bool { return strings.Contains(out.String(), "Press Ctrl-C to exit") })
		// Give the logtail threads a moment to connect before typing: they
		// only show output written after they started plus the last 1024
		// bytes, so a line typed now is shown either way.
		if _, err := io.WriteString(tty, "hello from the terminal\n"); err != nil {
			t.Fatal(err)
		}
		testutil.Eventually(t, "cat's echo through fg", func() bool {
			// Once echoed by the terminal, once written by cat to its log.
			return strings.Count(out.String(), "hello from the terminal") >= 2
		})
		io.WriteString(tty, "\x03")
		// supervisorctl then waits for its logtail thread's asyncore loop
		// to time out (30 s), with either daemon: stop it once it has said
		// it is leaving.
		testutil.Eventually(t, "fg to leave on Ctrl-C", func() bool { return strings.Contains(out.String(), "^CExiting foreground") })
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
		logged := cxPy(t, "unix://"+strings.TrimSuffix(d.conf, "supervisord.conf")+"s.sock", []string{"'hello from the terminal' in s.supervisor.readProcessStdoutLog('cat', 0, 0)"})
		if !strings.HasSuffix(logged[0], `{"ok": true}`) {
			t.Errorf("fg (%s): cat's log does not have the line: %v", d.dir, logged)
		}
	}
}
