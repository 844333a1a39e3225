package config

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// formatDict is the dictionary the format tests expand against.
var formatDict = pyDict{
	"s":     strOf("xy"),
	"u":     strOf("é\u2028\x01'"),
	"q":     strOf(`it's "q"`),
	"empty": strOf(""),
	"c":     strOf("Z"),
	"n":     intOf(5),
	"neg":   intOf(-42),
	"zero":  intOf(0),
	"big":   intOf(1234567),
	"(a)":   strOf("paren"),
}

var formatCases = []string{
	"", "plain", "%%", "100%% done", "%(s)s", "%(n)d", "%(n)02d", "%(n)-4d|", "%(n)+d", "%(n) d",
	"%(neg)05d", "%(neg)+d", "%(n)#x", "%(big)#X", "%(n)#o", "%(n)o", "%(n).3d", "%(n)8.3d|",
	"%(n)-8.3d|", "%(neg).5i", "%(n)u", "%(zero)#x", "%(n)#08x", "%(neg)#08x", "%(n)f", "%(n).2f",
	"%(neg)e", "%(big)g", "%(big).3g", "%(n)#g", "%(n)G", "%(big)E", "%(n)F", "%(zero)g", "%(n)10.4f|",
	"%(n)-10e|", "%(n)+010.1f", "%(s)10s|", "%(s)-10s|", "%(s)010s|", "%(s).1s", "%(s).0s|", "%(u)s",
	"%(u)r", "%(u)a", "%(q)r", "%(s)r", "%(n)r", "%(n)s", "%(n)a", "%(c)c", "%(n)c", "%(s)5.1r|",
	"%(n)ld", "%(n)hd", "%(n)Ls", "%((a))s", "%(s)s%(n)d%%%(s)s", "a%(s)sb%(n)dc",
	// errors
	"%", "abc%", "%(s", "%(s)", "%(s)%", "%(s)y", "%(s)é", "%(missing)s", "%(s)s %(nope)s",
	"%s%s", "%(s)s%s", "%(s)*d", "%(n)*d", "%(n)*s", "%(s)d", "%(s)x", "%(s)f", "%(s)c",
	"%(n)l", "%(n)5%", "%(n)123456789012345678901234567890d", "%(n).99999999999d", "%%%",
	"%(n).", "%(n)-", "%(n)0", "%d", "%x", "%f", "%c", "%(big)c", "%(neg)c", "%*d",
}

// TestPyPercentMatchesPython runs every case through Python's % operator and
// through pyPercent and compares results and error texts.
func TestPyPercentMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	dict := map[string]any{}
	for k, v := range formatDict {
		if v.isInt {
			dict[k] = v.i
		} else {
			dict[k] = v.s
		}
	}
	in, err := json.Marshal(map[string]any{"dict": dict, "cases": formatCases})
	if err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys
d = json.load(sys.stdin)
out = []
for c in d["cases"]:
    try:
        out.append({"ok": c % d["dict"]})
    except KeyError as e:
        out.append({"key": str(e)})
    except Exception as e:
        out.append({"err": str(e)})
json.dump(out, sys.stdout)
`
	var want []map[string]string
	testutil.RunPythonJSON(t, script, json.RawMessage(in), &want)
	for i, c := range formatCases {
		got, err := pyPercent(c, formatDict)
		w := want[i]
		switch {
		case err == nil:
			if s, ok := w["ok"]; !ok || s != got {
				t.Errorf("%q: got %q, python %v", c, got, w)
			}
		default:
			var kind string
			switch err.(type) {
			case *keyError:
				kind = "key"
			default:
				kind = "err"
			}
			if w[kind] != err.Error() {
				t.Errorf("%q: got %s error %q, python %v", c, kind, err.Error(), w)
			}
		}
	}
}

// TestPositionalUsesDict covers a bare %s, which Python formats with the
// whole dictionary (rendered here with sorted keys).
func TestPositionalUsesDict(t *testing.T) {
	got, err := pyPercent("%s", pyDict{"b": intOf(1), "a": strOf("x'")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{'a': "x'", 'b': 1}`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestExpandMessages(t *testing.T) {
	d := pyDict{"here": strOf("/h"), "ENV_X": strOf("1")}
	if _, err := expand("%(nope)s", d, "program:x.command"); err == nil ||
		err.Error() != "Format string '%(nope)s' for 'program:x.command' contains names ('nope') which cannot be expanded. Available names: ENV_X, here" {
		t.Fatalf("unexpected %v", err)
	}
	if _, err := expand("it's %", d, "command"); err == nil ||
		err.Error() != `Format string "it's %" for 'command' is badly formatted: incomplete format` {
		t.Fatalf("unexpected %v", err)
	}
	if _, err := expand("%(here)999999999s", d, "x"); err == nil || !strings.Contains(err.Error(), "too big") {
		t.Fatalf("huge width accepted: %v", err)
	}
	got, err := expand("%(here)s/%(ENV_X)03d", pyDict{"here": strOf("/h"), "ENV_X": intOf(7)}, "x")
	if err != nil || got != "/h/007" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestPyRepr(t *testing.T) {
	cases := map[string]string{
		"":           `''`,
		"abc":        `'abc'`,
		"it's":       `"it's"`,
		`it's "x"`:   `'it\'s "x"'`,
		"a\\b":       `'a\\b'`,
		"t\tn\nr\r":  `'t\tn\nr\r'`,
		"\x01\x7f":   `'\x01\x7f'`,
		"é€😀":        `'é€😀'`,
		"\u00a0":     `'\xa0'`,
		"\u2028":     `'\u2028'`,
		"\U000e0001": `'\U000e0001'`,
		"\xff":       `'\udcff'`,
	}
	for in, want := range cases {
		if got := pytext.Repr(in); got != want {
			t.Errorf("pytext.Repr(%q) = %s, want %s", in, got, want)
		}
	}
	if got := pytext.ASCII("é"); got != `'\xe9'` {
		t.Errorf("pyASCII = %s", got)
	}
}

// TestPyReprMatchesPython checks the repr of awkward strings against Python.
func TestPyReprMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	cases := []string{"", "a'b", `a"b`, `a'"b`, "\\", "\t\n\r\x00\x1b\x7f", "é\u00a0\u00ad\u2028\u3000",
		"😀\U000e0001", "ü ß", "\x1c"}
	in, _ := json.Marshal(cases)
	var want []string
	testutil.RunPythonJSON(t, "import json,sys; json.dump([repr(s) for s in json.load(sys.stdin)], sys.stdout)", json.RawMessage(in), &want)
	for i, c := range cases {
		if got := pytext.Repr(c); got != want[i] {
			t.Errorf("pytext.Repr(%q) = %s, python %s", c, got, want[i])
		}
	}
}
