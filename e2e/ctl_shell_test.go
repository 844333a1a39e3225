//go:build e2e

package e2e

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

const gcShellPrograms = `
[program:sleeper]
command=/bin/sleep 100000
startsecs=0

[group:grp]
programs=ga,gb

[program:ga]
command=/bin/sleep 100000
startsecs=0

[program:gb]
command=/bin/sleep 100000
startsecs=0

[program:talker]
command=/bin/sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'
startsecs=0

[program:cat]
command=/bin/cat
startsecs=0
`

// gcShellStatus is the status every shell starts with.
var gcShellStatus = gcStatusLine("cat", "RUNNING", gcUp) + gcStatusLine("grp:ga", "RUNNING", gcUp) +
	gcStatusLine("grp:gb", "RUNNING", gcUp) + gcStatusLine("sleeper", "RUNNING", gcUp) + gcStatusLine("talker", "RUNNING", gcUp)

// TestCtlShellPiped drives the shell with piped input, as the observed
// transcripts do (§10): prompts without newlines, "status" first, an
// empty line at the end, exit 0 whatever the commands returned.
func TestCtlShellPiped(t *testing.T) {
	d := startDaemon(t, gcShellPrograms)
	d.gcWaitStatus(gcShellStatus)
	sleeper := gcStatusLine("sleeper", "RUNNING", gcUp)
	cases := []struct {
		name, stdin string
		args        []string
		out         string
	}{
		{"commands", "status sleeper\nstatus nope\nbogus\n\nversion\nquit\n", nil,
			gcShellStatus + "supervisor> " + sleeper + "supervisor> nope: ERROR (no such process)\n" +
				"supervisor> *** Unknown syntax: bogus\nsupervisor> supervisor> 4.2.5\nsupervisor> \n"},
		{"EOF ends", "status sleeper\n", nil, gcShellStatus + "supervisor> " + sleeper + "supervisor> \n"},
		{"no final newline", "version", nil, gcShellStatus + "supervisor> 4.2.5\nsupervisor> \n"},
		{"-i with an action runs no shell", "version\n", []string{"-i", "status", "sleeper"}, sleeper},
		{"-i alone is the shell", "exit\n", []string{"-i"}, gcShellStatus + "supervisor> \n"},
		{"shutdown answered n", "shutdown\nn\nquit\n", nil,
			gcShellStatus + "supervisor> Really shut the remote supervisord process down y/N? supervisor> \n"},
		{"help and ?", "help version\n?pid\n", nil, gcShellStatus + "supervisor> version\t\t\tShow the version of the remote supervisord process\n" +
			"supervisor> pid\t\t\tGet the PID of supervisord.\npid <name>\t\tGet the PID of a single child process by name.\n" +
			"pid all\t\t\tGet the PID of every child process, one per line.\nsupervisor> \n"},
	}
	for _, c := range cases {
		r := d.gcCtlIn(c.stdin, c.args...)
		gcExpect(t, r, d.dir, c.name, c.out, 0)
	}
	// The daemon is still there after the refused shutdown.
	d.gcSteps([]gcStep{{"status sleeper", sleeper, 0}})
	// prompt= from the configuration.
	conf, _ := os.ReadFile(d.conf)
	custom := filepath.Join(d.dir, "prompt.conf")
	os.WriteFile(custom, []byte(strings.Replace(string(conf), "[supervisorctl]\n", "[supervisorctl]\nprompt=mine\n", 1)), 0o644)
	r := gcRun(t, gcOurCtl(), "version\n", "-c", custom)
	gcExpect(t, r, d.dir, "prompt=mine", gcShellStatus+"mine> 4.2.5\nmine> \n", 0)
}

// gcTerm is our supervisorctl on a pseudo-terminal.
type gcTerm struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	out  testutil.Buffer
	done chan error
}

// startTerm runs our supervisorctl on a new pseudo-terminal.
func startTerm(t *testing.T, args ...string) *gcTerm {
	t.Helper()
	cmd := exec.Command(gcOurCtl(), args...)
	cmd.Env = append(os.Environ(), "TERM=xterm", "NO_COLOR=")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	s := &gcTerm{t: t, cmd: cmd, tty: tty, done: make(chan error, 1)}
	go func() { _, _ = io.Copy(&s.out, tty) }()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
		tty.Close()
	})
	return s
}

// mark returns the length of the output so far.
func (s *gcTerm) mark() int { return len(s.out.String()) }

// expect waits until the output after mark contains want, and returns the
// new mark (just after it).
func (s *gcTerm) expect(mark int, want string) int {
	s.t.Helper()
	var at int
	testutil.Eventually(s.t, "the terminal to show "+strings.ReplaceAll(want, "\x1b", "ESC"), func() bool {
		out := s.out.String()
		if i := strings.Index(out[mark:], want); i >= 0 {
			at = mark + i + len(want)
			return true
		}
		return false
	})
	return at
}

// send types keys.
func (s *gcTerm) send(keys string) {
	s.t.Helper()
	if _, err := s.tty.Write([]byte(keys)); err != nil {
		s.t.Fatal(err)
	}
}

// exit waits for the program to end and returns its exit code.
func (s *gcTerm) exit() int {
	s.t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(testutil.Timeout):
		s.t.Fatalf("supervisorctl did not exit; screen:\n%s", s.out.String())
	}
	return -1
}

// TestCtlShellTerminal drives the shell through a pseudo-terminal:
// readline editing, TAB completion of commands, processes and groups,
// colours, help, history across sessions, confirmations, tail -f and fg
// with Ctrl-C, and Ctrl-C / Ctrl-D at the prompt.
func TestCtlShellTerminal(t *testing.T) {
	d := startDaemon(t, gcShellPrograms)
	d.gcWaitStatus(gcShellStatus)
	hist := filepath.Join(d.dir, "history")

	s := startTerm(t, "-c", d.conf, "-r", hist)
	m := s.expect(0, "\x1b[32mRUNNING\x1b[0m   pid ") // status in colour
	m = s.expect(m, "supervisor> ")
	// A command completed by TAB.
	s.send("versi\t\r")
	m = s.expect(m, "4.2.5\r\n")
	m = s.expect(m, "supervisor> ")
	// A process name completed by TAB.
	s.send("status sle\t\r")
	m = s.expect(m, "sleeper                          \x1b[32mRUNNING\x1b[0m")
	m = s.expect(m, "supervisor> ")
	// A group member: several candidates are listed, then one is chosen.
	s.send("status grp:g\t")
	m = s.expect(m, "grp:gb")
	s.send("b\r")
	m = s.expect(m, "grp:gb                           \x1b[32mRUNNING")
	m = s.expect(m, "supervisor> ")
	// Group names for update; help topics.
	s.send("help upd\t\r")
	m = s.expect(m, "update <gname> [...]\tUpdate specific groups")
	m = s.expect(m, "supervisor> ")
	s.send("help\r")
	m = s.expect(m, "default commands (type help <topic>):\r\n=====================================\r\n")
	m = s.expect(m, "supervisor> ")
	// The shutdown question; "n" keeps the daemon.
	s.send("shutdown\r")
	m = s.expect(m, "Really shut the remote supervisord process down y/N? ")
	s.send("n\r")
	m = s.expect(m, "supervisor> ")
	// tail -f until Ctrl-C, back at the prompt.
	s.send("tail -f talker\r")
	m = s.expect(m, "==> Press Ctrl-C to exit <==")
	m = s.expect(m, "tick ")
	s.send("\x03")
	m = s.expect(m, "supervisor> ")
	// fg: typed lines reach cat, which echoes them into its log; Ctrl-C
	// detaches.
	s.send("fg cat\r")
	m = s.expect(m, "==> Press Ctrl-C to exit <==")
	s.send("hello from fg\r")
	m = s.expect(m, "hello from fg")
	m = s.expect(m, "hello from fg") // the echo, then cat's output
	s.send("\x03")
	m = s.expect(m, "Exiting foreground")
	m = s.expect(m, "supervisor> ")
	s.send("bogus\r")
	m = s.expect(m, "*** Unknown syntax: bogus")
	s.expect(m, "supervisor> ")
	s.send("quit\r")
	if code := s.exit(); code != 0 {
		t.Errorf("quit: exit %d", code)
	}
	h, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"version ", "status sleeper ", "help\n", "quit\n"} {
		if !strings.Contains(string(h), line) {
			t.Errorf("history file lacks %q:\n%s", line, h)
		}
	}

	// A new session finds the history: two lines up is "bogus".
	s = startTerm(t, "-c", d.conf, "-r", hist)
	m = s.expect(0, "supervisor> ")
	s.send("\x1b[A\x1b[A\r")
	m = s.expect(m, "*** Unknown syntax: bogus")
	m = s.expect(m, "supervisor> ")
	// Ctrl-D at the prompt ends the shell with an empty line.
	s.send("\x04")
	if code := s.exit(); code != 0 {
		t.Errorf("Ctrl-D: exit %d", code)
	}

	// Ctrl-C at the prompt ends the shell too (4.2.5 leaves on
	// KeyboardInterrupt), exit 0.
	s = startTerm(t, "-c", d.conf)
	s.expect(0, "supervisor> ")
	s.send("\x03")
	if code := s.exit(); code != 0 {
		t.Errorf("Ctrl-C: exit %d", code)
	}
	// Without a terminal the status is not coloured.
	if r := d.gcCtl("status", "sleeper"); strings.Contains(r.stdout, "\x1b") {
		t.Errorf("colour without a terminal: %q", r.stdout)
	}
}
