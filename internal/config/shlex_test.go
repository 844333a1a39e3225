package config

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

var splitCases = []string{
	"", "   ", "/bin/cat", "a b  c", " lead trail ", "a\tb\nc\rd",
	`sh -c 'echo a; echo b'`, `"double quoted" 'single'`, `a"b c"d`, `''`, `""`, `a '' b`,
	`esc\ aped`, `\\`, `"in \" quote"`, `"in \\ quote"`, `"keep \x"`, `'no \escape'`,
	`a#b # c`, `unclosed "quote`, `unclosed 'quote`, `trailing\`, `"esc at end\`, "é ü",
}

// TestSplitCommandMatchesPython compares SplitCommand with shlex.split and
// Supervisor's error texts.
func TestSplitCommandMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	in, _ := json.Marshal(splitCases)
	script := `
import json, shlex, sys
out = []
for c in json.load(sys.stdin):
    try:
        args = shlex.split(c)
    except ValueError as e:
        out.append({"err": "can't parse command %r: %s" % (c, str(e))})
        continue
    if not args:
        out.append({"err": "command is empty"})
    else:
        out.append({"args": args})
json.dump(out, sys.stdout)
`
	var want []struct {
		Args []string `json:"args"`
		Err  string   `json:"err"`
	}
	testutil.RunPythonJSON(t, script, json.RawMessage(in), &want)
	for i, c := range splitCases {
		args, err := SplitCommand(c)
		if want[i].Err != "" {
			if err == nil || err.Error() != want[i].Err {
				t.Errorf("SplitCommand(%q) = %q, %v; want error %q", c, args, err, want[i].Err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(args, want[i].Args) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", c, args, err, want[i].Args)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	args, err := SplitCommand(`/bin/sh -c "echo \"hi\" 'there'" x\ y`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/bin/sh", "-c", `echo "hi" 'there'`, "x y"}; !reflect.DeepEqual(args, want) {
		t.Fatalf("got %q, want %q", args, want)
	}
	for cmd, msg := range map[string]string{
		"":          "command is empty",
		" \t":       "command is empty",
		`a "b`:      `can't parse command 'a "b': No closing quotation`,
		`a\`:        `can't parse command 'a\\': No escaped character`,
		`it's`:      `can't parse command "it's": No closing quotation`,
		`"x" 'y' \`: `can't parse command '"x" \'y\' \\': No escaped character`,
	} {
		_, err := SplitCommand(cmd)
		if err == nil || err.Error() != msg {
			t.Errorf("SplitCommand(%q) error = %v, want %q", cmd, err, msg)
		}
		if _, ok := err.(*Error); !ok {
			t.Errorf("SplitCommand(%q) error is %T, want *Error", cmd, err)
		}
	}
}

// envCases are the environment= examples of the reference (§2.16, §20)
// and a few more.
var envCases = []string{
	`A="1",B="2"`,
	`A='x,y',B="p q",C=/usr/bin:/bin,D=a-b.c+d(e)`,
	`A=1;B=2`,
	`A=1,`,
	`A=1 B=2`,
	`A=1,,B=2`,
	`A=`,
	`KEY=val with space`,
	`A=x@y`,
	`A=$X`,
	`A=%d`,
	`A=x#y,B=2`,
	`A='',B=2`,
	``,
	`A="unclosed`,
	`A=x#y` + "\n" + `z,B=1`,
	`A = 1 , B = 2`,
	`"K"="v"`,
	`A="x"y,B=2`,
	`A=é`,
	"A=1,\nB=2,\n\nC=3",
	`A="a'b"`,
	`# only a comment`,
}

// TestEnvironmentMatchesPython compares dictOfKeyValuePairs with
// Supervisor's dict_of_key_value_pairs on every example.
func TestEnvironmentMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	in, _ := json.Marshal(envCases)
	script := `
import json, sys
from supervisor.datatypes import dict_of_key_value_pairs
out = []
for c in json.load(sys.stdin):
    try:
        out.append({"env": dict_of_key_value_pairs(c)})
    except ValueError as e:
        out.append({"err": str(e)})
json.dump(out, sys.stdout)
`
	var want []struct {
		Env map[string]string `json:"env"`
		Err string            `json:"err"`
	}
	testutil.RunPythonJSON(t, script, json.RawMessage(in), &want)
	for i, c := range envCases {
		env, err := dictOfKeyValuePairs(c)
		if want[i].Err != "" {
			if err == nil || err.Error() != want[i].Err {
				t.Errorf("%q: got %v, %v; want error %q", c, env, err, want[i].Err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(env, want[i].Env) {
			t.Errorf("%q: got %v, %v; want %v", c, env, err, want[i].Env)
		}
	}
}

// TestEnvironmentExamples pins the reference's examples without Python.
func TestEnvironmentExamples(t *testing.T) {
	ok := map[string]map[string]string{
		`A="1",B="2"`: {"A": "1", "B": "2"},
		`A='x,y',B="p q",C=/usr/bin:/bin,D=a-b.c+d(e)`: {"A": "x,y", "B": "p q", "C": "/usr/bin:/bin", "D": "a-b.c+d(e)"},
		`A=1;B=2`:   {"A": "1", "B": "2"},
		`A=1,`:      {"A": "1"},
		`A=$X`:      {"A": "$"},
		`A=%d`:      {"A": "%"},
		`A=x#y,B=2`: {"A": "x"},
		`A='',B=2`:  {"A": "", "B": "2"},
		``:          {},
		`"K"="v"`:   {`"K"`: "v"},
		`A="x"y`:    {"A": "x"},
	}
	for in, want := range ok {
		got, err := dictOfKeyValuePairs(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{`A=1 B=2`, `A=1,,B=2`, `A=`, `KEY=val with space`, `A=x@y`, `A="x"y,B=2`} {
		_, err := dictOfKeyValuePairs(in)
		if err == nil || err.Error() != "Unexpected end of key/value pairs in value '"+in+"'" {
			t.Errorf("%q: error %v", in, err)
		}
	}
	if _, err := dictOfKeyValuePairs(`A="x`); err == nil || err.Error() != "No closing quotation" {
		t.Errorf("unclosed quote: %v", err)
	}
}
