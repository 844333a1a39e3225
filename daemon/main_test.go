package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineErrors checks the daemon's usage errors: the text and
// exit status 2 of 4.2.5, with the help hint.
func TestCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.conf")
	os.WriteFile(good, []byte("[supervisord]\nlogfile="+dir+"/l.log\npidfile="+dir+"/p.pid\n"), 0o644)
	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("[supervisord]\n[program:x]\ncommand=true\nautostart=maybe\n"), 0o644)
	cases := []struct {
		args []string
		err  string
	}{
		{[]string{"-Z"}, "option -Z not recognized"},
		{[]string{"--bogus"}, "option --bogus not recognized"},
		{[]string{"-c"}, "option -c requires argument"},
		{[]string{"-c", good, "extra"}, "positional arguments are not supported: ['extra']"},
		{[]string{"-c", good, "-c", good}, "conflicting command line option '-c'"},
		{[]string{"-c", filepath.Join(dir, "nonexistent.conf")}, "could not find config file " + filepath.Join(dir, "nonexistent.conf")},
		{[]string{"-c", bad}, "not a valid boolean value: 'maybe' in section 'program:x' (file: '" + bad + "')"},
		{[]string{"-c", good, "-m", "9"}, "invalid value for -m '9': 9 can not be converted to an octal type"},
		{[]string{"-c", good, "--loglevel", "loud"}, "invalid value for --loglevel 'loud': bad logging level name 'loud'"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(append([]string{"supervisord"}, c.args...), &out, &errOut)
		want := "Error: " + c.err + "\nFor help, use supervisord -h\n"
		if code != 2 || errOut.String() != want {
			t.Errorf("supervisord %s: exit %d, stderr %q; want 2, %q", strings.Join(c.args, " "), code, errOut.String(), want)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	for _, args := range [][]string{{"-v"}, {"--version"}} {
		var out, errOut bytes.Buffer
		if code := run(append([]string{"supervisord"}, args...), &out, &errOut); code != 0 || out.String() != "4.2.5\n" {
			t.Errorf("%v: %d %q", args, code, out.String())
		}
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"-?"}} {
		var out, errOut bytes.Buffer
		if code := run(append([]string{"supervisord"}, args...), &out, &errOut); code != 0 || !strings.Contains(out.String(), "Usage: supervisord [options]") ||
			!strings.Contains(out.String(), "-c/--configuration FILENAME") {
			t.Errorf("%v: %d %q", args, code, out.String())
		}
	}
}
