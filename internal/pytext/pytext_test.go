package pytext

import (
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// runPython runs script with the reference Python, in as JSON on stdin,
// and decodes its JSON stdout into out. Input strings travel as hex (the
// script decodes them with text(), surrogateescape), so invalid UTF-8
// reaches Python byte for byte.
func runPython(t *testing.T, script string, in, out any) {
	t.Helper()
	testutil.RunPythonJSON(t, "import json, sys\n"+
		"def text(h): return bytes.fromhex(h).decode('utf-8', 'surrogateescape')\n"+script, in, out)
}

// hexes encodes strings for runPython.
func hexes(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = hex.EncodeToString([]byte(s))
	}
	return out
}

// tricky are strings on the edges of the text functions.
var tricky = []string{
	"", "a", "plain text", "it's", `say "hi"`, `it's "both"`, `back\slash`, "tab\there", "new\nline",
	"cr\rlf", "\x00\x01\x1b\x7f", "\x1c\x1d\x1e\x1f", "\x85\xa0", "\u0085\u00a0 x \u0085", "caf\u00e9", "\u00a0nbsp\u00a0",
	"\u2028\u2029\u3000", "\u200b\ufeff", "\u0378", "emoji \U0001F600", "\U000E0001", "\U0010FFFF",
	"\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\ufffd", "  lead and trail \t\n",
	"\x1c sep \x1f", "\v\f", "words  with   runs\tand\ntabs", " \u3000ideographic\u3000space ", "CANT_REREAD: not a valid boolean value: 'maybe'",
	"\u180e mongolian", "\u0661\u0662\u0663", "x\u0300\u0301",
}

// TestIsSpaceIsPythons compares IsSpace with str.isspace() over every code
// point.
func TestIsSpaceIsPythons(t *testing.T) {
	var want []rune
	runPython(t, "json.dump([c for c in range(0x110000) if chr(c).isspace()], sys.stdout)", nil, &want)
	var got []rune
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if IsSpace(r) {
			got = append(got, r)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IsSpace holds for %U, Python's isspace for %U", got, want)
	}
}

// TestStripSplitArePythons compares Strip, RStrip and Split with
// str.strip(), str.rstrip() and str.split().
func TestStripSplitArePythons(t *testing.T) {
	var want []struct {
		Strip, RStrip string
		Split         []string
	}
	runPython(t, `
def enc(s): return s.encode('utf-8', 'surrogateescape').hex()
json.dump([{"Strip": enc(s.strip()), "RStrip": enc(s.rstrip()), "Split": [enc(w) for w in s.split()]}
           for s in map(text, json.load(sys.stdin))], sys.stdout)`, hexes(tricky), &want)
	for i, s := range tricky {
		w := want[i]
		if got := hex.EncodeToString([]byte(Strip(s))); got != w.Strip {
			t.Errorf("Strip(%q) = %s, Python %s", s, got, w.Strip)
		}
		if got := hex.EncodeToString([]byte(RStrip(s))); got != w.RStrip {
			t.Errorf("RStrip(%q) = %s, Python %s", s, got, w.RStrip)
		}
		words := Split(s)
		if len(words) == 0 {
			words = nil
		}
		gotWords := hexes(words)
		if len(w.Split) == 0 {
			w.Split = nil
		}
		if len(gotWords) == 0 {
			gotWords = nil
		}
		if !reflect.DeepEqual(gotWords, w.Split) {
			t.Errorf("Split(%q) = %q, Python %q", s, gotWords, w.Split)
		}
	}
}

// TestReprIsPythons compares Repr and ASCII with repr() and ascii() for
// tricky strings and for every code point. Python 3.11 knows Unicode 14
// and Go a later version: a character Python does not know yet (category
// Cn) is escaped by Python and may be printable for Go; only those may
// differ.
func TestReprIsPythons(t *testing.T) {
	var want []struct{ Repr, ASCII string }
	runPython(t, `json.dump([{"Repr": repr(s), "ASCII": ascii(s)} for s in map(text, json.load(sys.stdin))], sys.stdout)`,
		hexes(tricky), &want)
	for i, s := range tricky {
		if got := Repr(s); got != want[i].Repr {
			t.Errorf("Repr(%q) = %s, Python %s", s, got, want[i].Repr)
		}
		if got := ASCII(s); got != want[i].ASCII {
			t.Errorf("ASCII(%q) = %s, Python %s", s, got, want[i].ASCII)
		}
	}
	// Every code point (surrogates cannot be in a Go string): Python lists
	// the ones repr escapes, and the ones its Unicode database does not
	// know.
	var cps struct{ Escaped, Unknown [][2]rune }
	runPython(t, `
import unicodedata
def ranges(pred):
    out = []
    for c in range(0x110000):
        if 0xd800 <= c <= 0xdfff or not pred(chr(c)): continue
        if out and out[-1][1] == c - 1: out[-1][1] = c
        else: out.append([c, c])
    return out
json.dump({"Escaped": ranges(lambda s: repr(s) != "'" + s + "'" and s not in "'\\"),
           "Unknown": ranges(lambda s: unicodedata.category(s) == "Cn")}, sys.stdout)`, nil, &cps)
	escaped := inRanges(cps.Escaped)
	unknown := inRanges(cps.Unknown)
	newer := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff || r == '\'' || r == '\\' {
			continue
		}
		s := string(r)
		goEscapes := Repr(s) != "'"+s+"'"
		if goEscapes == escaped(r) {
			continue
		}
		if unknown(r) && !goEscapes {
			newer++
			continue
		}
		t.Errorf("Repr(%U) = %s; Python escapes it: %v", r, Repr(s), escaped(r))
	}
	t.Logf("%d code points are printable for Go's newer Unicode and unknown to Python's", newer)
	// The escape forms themselves, on a sample of the escaped code points.
	var sample []string
	for _, rg := range cps.Escaped {
		for r := rg[0]; r <= rg[1]; r += 997 {
			sample = append(sample, string(r))
		}
	}
	var reprs []string
	runPython(t, `json.dump([repr(s) for s in map(text, json.load(sys.stdin))], sys.stdout)`, hexes(sample), &reprs)
	for i, s := range sample {
		r, _ := utf8.DecodeRuneInString(s)
		if got := Repr(s); got != reprs[i] && !unknown(r) {
			t.Errorf("Repr(%U) = %s, Python %s", r, got, reprs[i])
		}
	}
}

// inRanges returns a membership test for sorted inclusive ranges.
func inRanges(rs [][2]rune) func(rune) bool {
	return func(r rune) bool {
		i := sort.Search(len(rs), func(i int) bool { return rs[i][1] >= r })
		return i < len(rs) && rs[i][0] <= r
	}
}

// TestBytesReprIsPythons compares BytesRepr with repr() of bytes.
func TestBytesReprIsPythons(t *testing.T) {
	inputs := []string{"", "abc", "it's", `"q"`, `'"`, `it's "q"`, "\\", "\t\n\r\v\f", "\x00\x7f\x80\xff"}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	inputs = append(inputs, string(all))
	var want []string
	runPython(t, `json.dump([repr(bytes.fromhex(h)) for h in json.load(sys.stdin)], sys.stdout)`, hexes(inputs), &want)
	for i, s := range inputs {
		if got := BytesRepr([]byte(s)); got != want[i] {
			t.Errorf("BytesRepr(%q) = %s, Python %s", s, got, want[i])
		}
	}
}

// TestFloatReprIsPythons compares FloatRepr with repr() of a float, for the
// edges of the notations and random values of every magnitude.
func TestFloatReprIsPythons(t *testing.T) {
	fs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.1, 1.5, 100, 1e15, 9999999999999998, 1e16, 1e17, 1.5e16,
		123456789012345680, 1e-4, 0.00011, 9.9e-5, 1e-5, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.Inf(1), math.Inf(-1), math.NaN(), 1e22, 1e23, 2.5e-7, 3.14159, 1.0 / 3}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		fs = append(fs, math.Float64frombits(rng.Uint64()))
		fs = append(fs, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
	}
	bits := make([]string, len(fs))
	for i, f := range fs {
		bits[i] = strconv.FormatUint(math.Float64bits(f), 16)
	}
	var want []string
	runPython(t, `
import struct
json.dump([repr(struct.unpack('<d', int(b, 16).to_bytes(8, 'little'))[0]) for b in json.load(sys.stdin)], sys.stdout)`,
		bits, &want)
	for i, f := range fs {
		if got := FloatRepr(f); got != want[i] {
			t.Errorf("FloatRepr(%v) = %s, Python %s", f, got, want[i])
		}
	}
}

// intCases are inputs of int(): white space, signs, underscores, prefixes,
// Unicode digits, the edges of int64.
var intCases = []string{
	"0", "7", "-7", "+7", " 42 ", "\t-42\n", "007", "1_000", "1__000", "_1", "1_", "-_1", "+", "-", "", " ",
	"- 1", "1 2", "0x10", "0o17", "0O17", "0o_17", "0o", "0o_", "017", "8", "9", "1.5", "1e3", "١٢٣", "\u0967\u0968",
	"𝟏𝟐", "\u00a012\u00a0", "\u008512\u2028", "\x1c12\x1f", "\x0b12\x0c", "\u3000-5\u3000", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "99999999999999999999999", "0_0", "-0", "+0", "٣_٤",
}

// TestParseIntIsPythons compares ParseInt with int(s, 10) and int(s, 8).
func TestParseIntIsPythons(t *testing.T) {
	var want [][2]*string // per input: base 10, base 8 (nil: ValueError)
	runPython(t, `
def conv(s, base):
    try: return str(int(s, base))
    except ValueError: return None
json.dump([[conv(s, 10), conv(s, 8)] for s in map(text, json.load(sys.stdin))], sys.stdout)`, hexes(intCases), &want)
	for i, s := range intCases {
		for j, base := range []int{10, 8} {
			checkInt(t, "ParseInt("+strconv.Quote(s)+", "+strconv.Itoa(base)+")", want[i][j], func() (int64, error) { return ParseInt(s, base) })
		}
	}
	if _, err := ParseInt("1", 16); err == nil || errors.Is(err, ErrSyntax) {
		t.Errorf("base 16 = %v, want an unsupported-base error", err)
	}
}

// TestParseIntBytesIsPythons compares ParseIntBytes with int() of bytes.
func TestParseIntBytesIsPythons(t *testing.T) {
	var want []*string
	runPython(t, `
def conv(b):
    try: return str(int(b))
    except ValueError: return None
json.dump([conv(bytes.fromhex(h)) for h in json.load(sys.stdin)], sys.stdout)`, hexes(intCases), &want)
	for i, s := range intCases {
		checkInt(t, "ParseIntBytes("+strconv.Quote(s)+")", want[i], func() (int64, error) { return ParseIntBytes([]byte(s)) })
	}
}

// checkInt compares one parse with Python's answer: nil for ValueError, a
// decimal otherwise (ErrRange when it does not fit an int64).
func checkInt(t *testing.T, what string, want *string, parse func() (int64, error)) {
	t.Helper()
	got, err := parse()
	switch {
	case want == nil:
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%s = %d, %v; Python: ValueError", what, got, err)
		}
	case err != nil:
		if _, perr := strconv.ParseInt(*want, 10, 64); !errors.Is(err, ErrRange) || perr == nil {
			t.Errorf("%s: %v; Python: %s", what, err, *want)
		}
	case strconv.FormatInt(got, 10) != *want:
		t.Errorf("%s = %d; Python: %s", what, got, *want)
	}
}
