package main

import (
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		line, name, arg, full string
		ok                    bool
	}{
		{"status", "status", "", "status", true},
		{"  tail -f  x  ", "tail", "-f  x", "tail -f  x", true},
		{"?status", "help", "status", "help status", true},
		{"? ", "help", "", "help ", true},
		{"!ls", "", "", "!ls", false},
		{"", "", "", "", false},
		{"   ", "", "", "", false},
		{"-x", "", "-x", "-x", true},
		{"status:foo", "status", ":foo", "status:foo", true},
		{"bogus arg", "bogus", "arg", "bogus arg", true},
	}
	for _, c := range cases {
		name, arg, full, ok := parseLine(c.line)
		if name != c.name || arg != c.arg || full != c.full || ok != c.ok {
			t.Errorf("parseLine(%q) = %q, %q, %q, %v; want %q, %q, %q, %v", c.line, name, arg, full, ok, c.name, c.arg, c.full, c.ok)
		}
	}
}

// TestColumnizeMatchesPython compares columnize with cmd.Cmd.columnize.
func TestColumnizeMatchesPython(t *testing.T) {
	lists := [][]string{
		{"add", "avail", "clear", "exit", "fg", "maintail", "open", "pid", "quit", "reload", "remove", "reread", "restart", "shutdown", "signal", "start", "status", "stop", "tail", "update", "version"},
		{"wait"},
		{"a", "b"},
		{strings.Repeat("x", 50), strings.Repeat("y", 40), "z"},
		{},
	}
	var want []string
	testutil.RunPythonJSON(t, `
import cmd, io, json, sys
out = []
for l in json.load(sys.stdin):
    c = cmd.Cmd(stdout=io.StringIO())
    c.columnize(l, 79)
    out.append(c.stdout.getvalue())
print(json.dumps(out))`, lists, &want)
	for i, l := range lists {
		if got := columnize(l, 79); got != want[i] {
			t.Errorf("columnize(%q) =\n%q\npython:\n%q", l, got, want[i])
		}
	}
}

// TestIsURLMatchesPython compares isURL with supervisor.datatypes.url.
func TestIsURLMatchesPython(t *testing.T) {
	in := []string{"bogus", "unix:///tmp/s.sock", "http://localhost:9001", "https://h:1", "foo://bar", "localhost:9001",
		"http:", "http://", "unix://", "x:y", "1http://a", "h+t-t.p://a", "http://?q", "http:#f", "", ":x", "UNIX:///x"}
	var want []bool
	testutil.RunPythonJSON(t, `
import json, sys
from supervisor.datatypes import url
out = []
for s in json.load(sys.stdin):
    try:
        url(s); out.append(True)
    except ValueError:
        out.append(False)
print(json.dumps(out))`, in, &want)
	for i, s := range in {
		if got := isURL(s); got != want[i] {
			t.Errorf("isURL(%q) = %v, python %v", s, got, want[i])
		}
	}
	if s, _ := urlScheme("UNIX:///x"); s != "unix" {
		t.Errorf("urlScheme lower-cases: %q", s)
	}
}
