package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRealizeUsage checks -h and the usage errors: texts on the right
// stream and exit codes, in 4.2.5's order of checks.
func TestRealizeUsage(t *testing.T) {
	dir := t.TempDir()
	usage, err := os.ReadFile("testdata/usage.golden")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args         []string
		stdout, errs string
		code         int
	}{
		{args: []string{"-h"}, code: 0},
		{args: []string{"-?", "-x"}, errs: "Error: option -x not recognized\n", code: 2},
		{args: []string{"--help", "-s", "bogus"}, code: 0},
		{args: []string{"-s", "bogus", "-h"}, errs: "Error: invalid value for -s 'bogus': value 'bogus' is not a URL\n", code: 2},
		{args: []string{"--serverurl=it's"}, errs: `Error: invalid value for --serverurl "it's": value "it's" is not a URL` + "\n", code: 2},
		{args: []string{"--version"}, errs: "Error: option --version not recognized\n", code: 2},
		{args: []string{"--history-file", "x"}, errs: "Error: option --history-file not recognized\n", code: 2},
		{args: []string{"-c", "a", "-c", "b"}, errs: "Error: conflicting command line option '-c'\n", code: 2},
		{args: []string{"-i", "--interactive"}, errs: "Error: conflicting command line option '--interactive'\n", code: 2},
		{args: []string{"-c"}, errs: "Error: option -c requires argument\n", code: 2},
		{args: []string{"-c", filepath.Join(dir, "nope.conf"), "status"}, errs: "Error: could not find config file " + filepath.Join(dir, "nope.conf") + "\n", code: 2},
		{args: []string{"-c", writeFile(t, filepath.Join(dir, "d.conf"), "[supervisord]\n"), "status"}, errs: "Error: .ini file does not include supervisorctl section\n", code: 2},
		{args: []string{"-o", "yaml"}, errs: "Error: invalid value for -o 'yaml': value 'yaml' is not an output format (text or json)\n", code: 2},
	}
	for _, c := range cases {
		var out, errs bytes.Buffer
		_, code, done := realize(append([]string{"/x/supervisorctl"}, c.args...), &out, &errs)
		if !done || code != c.code {
			t.Errorf("%q: done %v code %d, want exit %d", c.args, done, code, c.code)
		}
		wantOut := c.stdout
		wantErr := ""
		if c.errs != "" {
			wantErr = c.errs + "For help, use /x/supervisorctl -h\n"
		} else {
			wantOut = strings.ReplaceAll(string(usage), "/usr/bin/supervisorctl", "/x/supervisorctl")
		}
		if c.errs == "" {
			// Our -h adds gsupervisor's options after 4.2.5's text.
			got := out.String()
			base := strings.TrimSuffix(wantOut, "\n")
			if !strings.HasPrefix(got, base) || !strings.Contains(got, "--cafile") {
				t.Errorf("%q: usage =\n%s\nwant 4.2.5's text first:\n%s", c.args, got, wantOut)
			}
		} else if out.String() != wantOut {
			t.Errorf("%q: stdout %q, want %q", c.args, out.String(), wantOut)
		}
		if errs.String() != wantErr {
			t.Errorf("%q: stderr %q, want %q", c.args, errs.String(), wantErr)
		}
	}
}

// TestParseOptionsConfig checks the [supervisorctl] section, command-line
// precedence and the shell-or-action decision.
func TestParseOptionsConfig(t *testing.T) {
	dir := t.TempDir()
	ca := writeFile(t, filepath.Join(dir, "ca.pem"), "x")
	conf := writeFile(t, filepath.Join(dir, "s.conf"), "[supervisorctl]\nserverurl=unix://%(here)s/s.sock\n"+
		"username=cu\npassword=cp\nprompt=mine\nhistory_file=%(here)s/h\ncafile=ca.pem\n")
	t.Chdir(dir)

	o, err := parseOptions([]string{"ctl", "-c", conf}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if o.srv.url != "unix://"+dir+"/s.sock" || o.srv.authorization() != "Basic Y3U6Y3A=" || o.prompt != "mine" ||
		o.historyFile != dir+"/h" || o.srv.caFile != ca || !o.interactive || len(o.args) != 0 {
		t.Errorf("from config: %+v", o)
	}
	o, err = parseOptions([]string{"ctl", "-c", conf, "-s", "http://h:1", "-u", "x", "-p", "", "-r", "hist",
		"--cafile", "c2", "--certfile", "cert", "--keyfile", "key", "-o", "json", "status", "-o", "x"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if o.srv.url != "http://h:1" || o.srv.authorization() != "Basic eDo=" || o.historyFile != "hist" ||
		o.srv.caFile != "c2" || o.srv.certFile != "cert" || o.srv.keyFile != "key" || !o.json || o.interactive ||
		strings.Join(o.args, " ") != "status -o x" {
		t.Errorf("command line over config: %+v", o)
	}
	// -i with an action does not make the action run in a shell, but makes
	// it interactive (confirmations).
	o, err = parseOptions([]string{"ctl", "-c", conf, "-i", "shutdown"}, dir)
	if err != nil || !o.interactive || len(o.args) != 1 {
		t.Errorf("-i shutdown: %+v %v", o, err)
	}
	// Without -c the search list is used: supervisord.conf in the cwd.
	writeFile(t, filepath.Join(dir, "supervisord.conf"), "[supervisorctl]\nserverurl=unix:///found.sock\n")
	o, err = parseOptions([]string{"/nowhere/bin/supervisorctl"}, dir)
	if err != nil || o.srv.url != "unix:///found.sock" || o.configFile != "supervisord.conf" {
		t.Errorf("searched: %+v %v", o, err)
	}
	os.Remove(filepath.Join(dir, "supervisord.conf"))
	// No file anywhere on the list: defaults (unless the machine has one).
	if _, err := os.Stat("/etc/supervisor/supervisord.conf"); err != nil {
		o, err = parseOptions([]string{"/nowhere/bin/supervisorctl", "status"}, dir)
		if err != nil || o.srv.url != "http://localhost:9001" || o.prompt != "supervisor" || o.srv.authorization() != "" {
			t.Errorf("defaults: %+v %v", o, err)
		}
	}
	// Only a username: no credentials are sent.
	o, err = parseOptions([]string{"ctl", "-c", conf, "-p", "x"}, dir)
	if err != nil || o.srv.authorization() != "Basic Y3U6eA==" {
		t.Errorf("password override: %+v %v", o, err)
	}
	s := server{username: "u", hasUser: true}
	if s.authorization() != "" {
		t.Errorf("username alone sent credentials")
	}
}
