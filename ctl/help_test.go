package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newTestController returns a controller writing to a buffer, for
// commands that do not need a daemon.
func newTestController(t *testing.T) (*controller, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	opts := &options{progname: "supervisorctl", prompt: "supervisor",
		srv: server{url: "unix://" + filepath.Join(t.TempDir(), "none.sock")}}
	c := newController(opts, newPlainReader(os.Stdin, &out, &out), &out, &out)
	return c, &out
}

// TestHelpGolden compares every help text with 4.2.5's own output
// (testdata/gen.sh), byte for byte.
func TestHelpGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/help/*.golden")
	if err != nil || len(files) < 20 {
		t.Fatalf("goldens: %v %v", files, err)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		topic := strings.TrimSuffix(filepath.Base(f), ".golden")
		line := "help " + topic
		if topic == "_topics" {
			line = "help"
		}
		c, out := newTestController(t)
		c.onecmd(context.Background(), line)
		got := out.String()
		if topic == "_topics" {
			// 4.2.5's section first, then gsupervisor's like a plugin's.
			extra := "\ngsupervisor commands (type help <topic>):\n=========================================\ndisable  enable  scale  wait\n\n"
			if got != string(want)+extra {
				t.Errorf("help =\n%q\nwant\n%q", got, string(want)+extra)
			}
		} else if got != string(want) {
			t.Errorf("%s =\n%q\nwant\n%q", line, got, want)
		}
		if c.exit != 0 {
			t.Errorf("%s: exit %d", line, c.exit)
		}
	}
	// "?" is help; help of the extension command.
	c, out := newTestController(t)
	c.onecmd(context.Background(), "?version")
	if out.String() != "version\t\t\tShow the version of the remote supervisord process\n" {
		t.Errorf("?version = %q", out.String())
	}
	c, out = newTestController(t)
	c.onecmd(context.Background(), "help wait")
	if !strings.HasPrefix(out.String(), "wait <name> <state>") {
		t.Errorf("help wait = %q", out.String())
	}
	c, out = newTestController(t)
	c.onecmd(context.Background(), "help status  extra")
	if out.String() != "*** No help on status  extra\n" {
		t.Errorf("help with two words = %q", out.String())
	}
}

// TestOfflineCommands runs the command lines that need no daemon: unknown
// syntax, quit/exit/EOF and argument errors checked before connecting.
func TestOfflineCommands(t *testing.T) {
	cases := []struct {
		line, out string
		exit      int
		stop      bool
	}{
		{"bogus", "*** Unknown syntax: bogus\n", 1, false},
		{"  bogus  arg ", "*** Unknown syntax: bogus  arg\n", 1, false},
		{"!ls", "*** Unknown syntax: !ls\n", 1, false},
		{"-x", "*** Unknown syntax: -x\n", 1, false},
		{"__complete", "*** Unknown syntax: __complete\n", 1, false},
		{"STATUS", "*** Unknown syntax: STATUS\n", 1, false},
		{"", "", 0, false},
		{"quit", "\n", 0, true},
		{"exit", "\n", 0, true},
		{"EOF", "\n", 0, true},
		{"avail x", "Error: avail accepts no arguments\navail\t\t\tDisplay all configured processes\n", 1, false},
		{"reread x", "Error: reread accepts no arguments\nreread \t\t\tReload the daemon's configuration files without add/remove\n", 1, false},
		{"version x", "Error: version accepts no arguments\nversion\t\t\tShow the version of the remote supervisord process\n", 1, false},
		{"shutdown now", "Error: shutdown accepts no arguments\nshutdown \tShut the remote supervisord down.\n", 1, false},
		{"reload now", "Error: reload accepts no arguments\nreload \t\tRestart the remote supervisord.\n", 1, false},
		{"open", "ERROR: url must be http:// or unix://\n", 1, false},
		{"open foo://bar", "ERROR: url must be http:// or unix://\n", 1, false},
		{"add", "", 0, false},
		{"remove", "", 0, false},
		{"status -o yaml", "Error: unknown output format 'yaml' (use text or json)\n", 2, false},
		{"avail --output", "Error: --output requires an output format (text or json)\n", 2, false},
	}
	for _, c := range cases {
		ctl, out := newTestController(t)
		ctl.onecmd(context.Background(), c.line)
		if out.String() != c.out || ctl.exit != c.exit || ctl.stop != c.stop {
			t.Errorf("%q: out %q exit %d stop %v; want %q %d %v", c.line, out.String(), ctl.exit, ctl.stop, c.out, c.exit, c.stop)
		}
	}
}

// TestNoDaemon checks the messages and exit codes when the socket does
// not exist, for each kind of command.
func TestNoDaemon(t *testing.T) {
	cases := []struct {
		line, out string
		exit      int
	}{
		{"status", "%s no such file\n", 4},
		{"start x", "%s no such file\n", 7},
		{"version", "%s no such file\n", 7},
		{"tail x", "%s no such file\n", 7},
		{"shutdown", "ERROR: %s no such file (already shut down?)\n", 1},
		{"avail", "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n", 1},
		{"reload", "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n", 1},
		{"add x", "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n", 1},
		{"update", "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n", 1},
	}
	for _, c := range cases {
		ctl, out := newTestController(t)
		ctl.onecmd(context.Background(), c.line)
		want := strings.ReplaceAll(c.out, "%s", ctl.srv.url)
		if out.String() != want || ctl.exit != c.exit {
			t.Errorf("%q: out %q exit %d; want %q %d", c.line, out.String(), ctl.exit, want, c.exit)
		}
	}
	// An unknown protocol fails when connecting, like 4.2.5's transport.
	ctl, out := newTestController(t)
	ctl.srv.url = "foo://bar"
	ctl.onecmd(context.Background(), "status")
	if out.String() != "error: <class 'ValueError'>, Unknown protocol for serverurl foo://bar\n" || ctl.exit != 1 {
		t.Errorf("unknown protocol: %q %d", out.String(), ctl.exit)
	}
}
