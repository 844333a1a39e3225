package dotenv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParse checks every rule of the format on one file.
func TestParse(t *testing.T) {
	src := strings.Join([]string{
		"# a comment",
		"",
		"PLAIN=value",
		"  SPACED  =  spaced value  ",
		"export EXPORTED=yes",
		"EMPTY=",
		"HASH=a#b",
		"COMMENTED=value # a comment",
		"SINGLE='lit $HOME \\n # not a comment'",
		`DOUBLE="tab\there \"quoted\" \\ \$HOME \q"`,
		`MULTI="line one`,
		`line two"  # trailing comment`,
		"SQMULTI='a",
		"b'",
		"NOEXPAND=$HOME ${HOME}",
		"PLAIN=second wins",
		"CRLF=x\r",
		"EQ=a=b=c",
		"exportNOT=1",
	}, "\n")
	vars, err := Parse([]byte(src), "test.env")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"PLAIN":     "second wins",
		"SPACED":    "spaced value",
		"EXPORTED":  "yes",
		"EMPTY":     "",
		"HASH":      "a#b",
		"COMMENTED": "value",
		"SINGLE":    `lit $HOME \n # not a comment`,
		"DOUBLE":    "tab\there \"quoted\" \\ $HOME \\q",
		"MULTI":     "line one\nline two",
		"SQMULTI":   "a\nb",
		"NOEXPAND":  "$HOME ${HOME}",
		"CRLF":      "x",
		"EQ":        "a=b=c",
		"exportNOT": "1",
	}
	got := Map(vars)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d names, want %d: %v", len(got), len(want), got)
	}
	lines := map[string]int{}
	for _, v := range vars {
		lines[v.Name] = v.Line
	}
	if lines["MULTI"] != 11 || lines["SQMULTI"] != 13 || lines["NOEXPAND"] != 15 {
		t.Errorf("lines: %v", lines)
	}
}

// TestParseErrors checks that every error names the file and the line
// where the problem is.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"OK=1\nno equals sign", `x.env, line 2: expected NAME=VALUE, found "no equals sign"`},
		{"1BAD=x", `x.env, line 1: "1BAD" is not a valid variable name`},
		{"BAD-NAME=x", `x.env, line 1: "BAD-NAME" is not a valid variable name`},
		{"=x", `x.env, line 1: "" is not a valid variable name`},
		{"A=1\nB=\"open\nstill open", `x.env, line 2: the quote " opened here is never closed`},
		{"A='open", `x.env, line 1: the quote ' opened here is never closed`},
		{"A=\"x\"y", `x.env, line 1: unexpected "y" after the closing quote`},
		{"A=\"x\ny\" z", `x.env, line 2: unexpected "z" after the closing quote`},
		{"A=\"a\x00b\"", `x.env, line 1: the value of A contains a NUL byte`},
	} {
		_, err := Parse([]byte(c.src), "x.env")
		var e *Error
		if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q", c.src, err, c.want)
		}
	}
}

// TestReadFile reads a real file, and refuses a missing one and one too
// large to be an environment file.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.env")
	if err := os.WriteFile(path, []byte("A=1\nB='two'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars, err := ReadFile(path)
	if err != nil || len(vars) != 2 || vars[1].Value != "two" {
		t.Fatalf("ReadFile = %v, %v", vars, err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.env")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.env")
	if err := os.WriteFile(big, make([]byte, maxFileBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
}
