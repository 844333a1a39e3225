package xmlrpc

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestEncodeObserved reproduces the responses captured from the real
// Supervisor 4.2.5 (reference observed §14) byte for byte.
func TestEncodeObserved(t *testing.T) {
	sleeper := Struct{
		{"name", "sleeper"},
		{"group", "sleeper"},
		{"start", 1795236856},
		{"stop", 1795236855},
		{"now", 1795236900},
		{"state", 20},
		{"statename", "RUNNING"},
		{"spawnerr", ""},
		{"exitstatus", 0},
		{"logfile", "/tmp/supref/logs/sleeper-stdout---supref-yt5adtfv.log"},
		{"stdout_logfile", "/tmp/supref/logs/sleeper-stdout---supref-yt5adtfv.log"},
		{"stderr_logfile", "/tmp/supref/logs/sleeper-stderr---supref-8hacjup3.log"},
		{"pid", 12077},
		{"description", "pid 12077, uptime 0:00:44"},
	}
	cases := []struct {
		file string
		v    any
	}{
		{"getState.xml", Struct{{"statecode", 1}, {"statename", "RUNNING"}}},
		{"getProcessInfo.xml", sleeper},
		{"getProcessInfo_fault.xml", &Fault{Code: 10, String: "BAD_NAME: nope"}},
		{"tailProcessStdoutLog.xml", []any{"145\nout line 146\nout line 147\n", 273, true}},
		{"signalProcess.xml", true},
		{"multicall.xml", []any{10152, &Fault{Code: 10, String: "BAD_NAME: nope"}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "observed", c.file))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := EncodeResponse(&buf, c.v); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	t.Run("EncodeFault", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("testdata", "observed", "getProcessInfo_fault.xml"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := EncodeFault(&buf, &Fault{Code: 10, String: "BAD_NAME: nope"}); err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(want) {
			t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
		}
	})
}

// pyCase is one value encoded by both Go and Python.
type pyCase struct {
	name string
	v    any    // Go value
	py   string // the same value as a Python expression
}

// pythonCases covers every value type, in responses and calls.
var pythonCases = []pyCase{
	{"int", 42, "42"},
	{"int zero", 0, "0"},
	{"int negative", -17, "-17"},
	{"int max", math.MaxInt32, "2**31-1"},
	{"int min", math.MinInt32, "-2**31"},
	{"int64 small", int64(7), "7"},
	{"uint8", uint8(255), "255"},
	{"true", true, "True"},
	{"false", false, "False"},
	{"string", "RUNNING", "'RUNNING'"},
	{"empty string", "", "''"},
	{"escapes", `a & b < c > d "q" 'a' ]]>`, `'a & b < c > d "q" \'a\' ]]>'`},
	{"unicode", "héllo wörld ✓ 日本 😀 \U0010FFFD", `'héllo wörld ✓ 日本 😀 \U0010FFFD'`},
	{"whitespace", " \t\n x \n", `' \t\n x \n'`},
	{"existing entity text", "&amp; &#13; &lt;", "'&amp; &#13; &lt;'"},
	{"double", 1.5, "1.5"},
	{"double int-valued", 3.0, "3.0"},
	{"double tiny", 1e-7, "1e-07"},
	{"double big", 1e22, "1e22"},
	{"double neg zero", math.Copysign(0, -1), "-0.0"},
	{"double nan", math.NaN(), "float('nan')"},
	{"double inf", math.Inf(1), "float('inf')"},
	{"double -inf", math.Inf(-1), "float('-inf')"},
	{"float32", float32(0.1), "0.10000000149011612"},
	{"bytes empty", []byte{}, "b''"},
	{"bytes nil", []byte(nil), "b''"},
	{"bytes short", []byte("hi"), "b'hi'"},
	{"bytes 57", bytes.Repeat([]byte{0xAB}, 57), "b'\\xab'*57"},
	{"bytes 58", bytes.Repeat([]byte{0xAB}, 58), "b'\\xab'*58"},
	{"bytes long", bytes.Repeat([]byte("0123456789"), 40), "b'0123456789'*40"},
	{"datetime", time.Date(2026, 11, 21, 4, 55, 0, 0, time.UTC), "datetime.datetime(2026, 11, 21, 4, 55, 0)"},
	{"datetime year 5", time.Date(5, 1, 2, 3, 4, 5, 0, time.UTC), "datetime.datetime(5, 1, 2, 3, 4, 5)"},
	{"datetime micro", time.Date(2026, 1, 2, 3, 4, 5, 999, time.UTC), "datetime.datetime(2026, 1, 2, 3, 4, 5, 999)"},
	{"nil", nil, "None"},
	{"array empty", []any{}, "[]"},
	{"array mixed", []any{"a", 1, true, 2.5, nil, []byte("x")}, "['a', 1, True, 2.5, None, b'x']"},
	{"array nested", []any{[]any{[]any{}}, Struct{}}, "[[[]], {}]"},
	{"strings", []string{"a", "b"}, "['a', 'b']"},
	{"ints", []int{1, 2}, "[1, 2]"},
	{"int64s", []int64{3}, "[3]"},
	{"struct empty", Struct{}, "{}"},
	{"struct order", Struct{{"z", 1}, {"a", "x"}, {"m", nil}}, "{'z': 1, 'a': 'x', 'm': None}"},
	{"struct escaped name", Struct{{"a<&>b", 1}, {"", 2}}, "{'a<&>b': 1, '': 2}"},
	{"map sorted", map[string]any{"b": 1, "a": 2}, "{'a': 2, 'b': 1}"},
	{"structs", []Struct{{{"x", 1}}, {}}, "[{'x': 1}, {}]"},
	{"fault value", []any{Fault{Code: 10, String: "BAD_NAME: x"}}, "[{'faultCode': 10, 'faultString': 'BAD_NAME: x'}]"},
	{"process info", processInfo(3), "" +
		"{'name': 'worker_003', 'group': 'workers', 'start': 1795236856, 'stop': 1795236855, 'now': 1795236900," +
		" 'state': 20, 'statename': 'RUNNING', 'spawnerr': '', 'exitstatus': 0," +
		" 'logfile': '/var/log/supervisor/worker_003-stdout---supervisor-yt5adtfv.log'," +
		" 'stdout_logfile': '/var/log/supervisor/worker_003-stdout---supervisor-yt5adtfv.log'," +
		" 'stderr_logfile': '/var/log/supervisor/worker_003-stderr---supervisor-8hacjup3.log'," +
		" 'pid': 12080, 'description': 'pid 12080, uptime 0:00:44'}"},
}

const pyDumpsScript = `
import sys, json, datetime, xmlrpc.client as x
out = []
for c in json.load(sys.stdin):
    if c['kind'] == 'response':
        out.append(x.dumps((eval(c['py']),), methodresponse=True, allow_none=True))
    elif c['kind'] == 'fault':
        out.append(x.dumps(x.Fault(c['code'], c['string'])))
    else:
        out.append(x.dumps(tuple(eval(c['py'])), c['method'], allow_none=True))
json.dump(out, sys.stdout)
`

type pyDumpsReq struct {
	Kind   string `json:"kind"`
	Py     string `json:"py,omitempty"`
	Method string `json:"method,omitempty"`
	Code   int    `json:"code"`
	String string `json:"string"`
}

// TestEncodeMatchesPython compares EncodeResponse, EncodeFault and EncodeCall
// with xmlrpc.client.dumps for the same values, byte for byte.
func TestEncodeMatchesPython(t *testing.T) {
	type goCase struct {
		name string
		enc  func() ([]byte, error)
	}
	var reqs []pyDumpsReq
	var gos []goCase
	for _, c := range pythonCases {
		reqs = append(reqs, pyDumpsReq{Kind: "response", Py: c.py})
		gos = append(gos, goCase{"response/" + c.name, func() ([]byte, error) { return AppendResponse(nil, c.v) }})
		reqs = append(reqs, pyDumpsReq{Kind: "call", Py: "[" + c.py + "]", Method: "supervisor.test"})
		gos = append(gos, goCase{"call/" + c.name, func() ([]byte, error) { return AppendCall(nil, "supervisor.test", c.v) }})
	}
	// Calls with several and with no parameters.
	reqs = append(reqs, pyDumpsReq{Kind: "call", Py: "[]", Method: "supervisor.getVersion"})
	gos = append(gos, goCase{"call/no params", func() ([]byte, error) { return AppendCall(nil, "supervisor.getVersion") }})
	reqs = append(reqs, pyDumpsReq{Kind: "call", Py: "['printer', 0, 30]", Method: "supervisor.tailProcessStdoutLog"})
	gos = append(gos, goCase{"call/tail", func() ([]byte, error) {
		return AppendCall(nil, "supervisor.tailProcessStdoutLog", "printer", 0, 30)
	}})
	faults := []Fault{
		{10, "BAD_NAME: nope"}, {1, "UNKNOWN_METHOD"}, {2, ""}, {-32700, "parse error: <&>"},
		{math.MaxInt32, "max"}, {math.MinInt32, "min"}, {92, "CANT_REREAD: bad\nconfig ✓"},
	}
	for _, f := range faults {
		reqs = append(reqs, pyDumpsReq{Kind: "fault", Code: f.Code, String: f.String})
		gos = append(gos, goCase{"fault/" + f.String, func() ([]byte, error) {
			var buf bytes.Buffer
			err := EncodeFault(&buf, &f)
			return buf.Bytes(), err
		}})
	}
	var want []string
	testutil.RunPythonJSON(t, pyDumpsScript, reqs, &want)
	if len(want) != len(gos) {
		t.Fatalf("python returned %d documents, want %d", len(want), len(gos))
	}
	for i, g := range gos {
		got, err := g.enc()
		if err != nil {
			t.Errorf("%s: %v", g.name, err)
			continue
		}
		if string(got) != want[i] {
			t.Errorf("%s:\ngot:\n%s\nwant (python):\n%s", g.name, got, want[i])
		}
	}
}

// TestPythonFloatRepr compares appendPythonFloat with Python's repr for
// boundary cases and random doubles.
func TestPythonFloatRepr(t *testing.T) {
	vals := []float64{
		0.1, 0.2, 1.0 / 3, 2.0 / 3, 1e-4, 1e-5, 9.999e-5, 0.00012345, 1e15, 1e16, 1e17, 9999999999999998,
		1234567890123456.7, 12345678901234567, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64,
		-1.5, 100, 1e100, 1e-100, 123.456, 4.35, 0.3, 1e21, 1e22, 1e23, math.Pi, math.E, -1e-5,
		2.5e-5, 0.0001, 0.001, 1e300 * 10,
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		vals = append(vals, math.Float64frombits(r.Uint64()))
	}
	for range 1000 {
		vals = append(vals, float64(r.IntN(1e6))/math.Pow(10, float64(r.IntN(25)-5)))
	}
	bits := make([]string, len(vals))
	for i, v := range vals {
		bits[i] = string(appendHexBits(nil, math.Float64bits(v)))
	}
	var want []string
	testutil.RunPythonJSON(t, `
import sys, json, struct
json.dump([repr(struct.unpack('<d', bytes.fromhex(h)[::-1])[0]) for h in json.load(sys.stdin)], sys.stdout)
`, bits, &want)
	for i, v := range vals {
		if got := string(appendPythonFloat(nil, v)); got != want[i] {
			t.Errorf("repr(%v) (bits %s): got %q, want %q", v, bits[i], got, want[i])
		}
	}
}

// appendHexBits appends x as 16 big-endian hex digits.
func appendHexBits(b []byte, x uint64) []byte {
	const digits = "0123456789abcdef"
	for i := 60; i >= 0; i -= 4 {
		b = append(b, digits[(x>>uint(i))&0xF])
	}
	return b
}

// nastyStrings are strings that Python could not send intact: invalid
// UTF-8, XML-illegal characters, carriage returns.
var nastyStrings = []struct {
	in, want string
}{
	{"\x1b[31mred\x1b[0m", "\uFFFD[31mred\uFFFD[0m"},
	{"nul\x00byte", "nul\uFFFDbyte"},
	{"\x01\x02\x08\x0b\x0c\x1f\x7f", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\x7f"},
	{"tab\tlf\ncr\rcrlf\r\n", "tab\tlf\ncr\rcrlf\r\n"},
	{"bad \xff\xfe utf8", "bad \uFFFD\uFFFD utf8"},
	{"truncated \xe2\x9c", "truncated \uFFFD\uFFFD"},
	{"surrogate \xed\xa0\x80", "surrogate \uFFFD\uFFFD\uFFFD"},
	{"overlong \xc0\xaf", "overlong \uFFFD\uFFFD"},
	{"nonchars \uFFFE\uFFFF \uFFFD ok", "nonchars \uFFFD\uFFFD \uFFFD ok"},
	{"mixed <\xff&\r>", "mixed <\uFFFD&\r>"},
	{"\xc3", "\uFFFD"},
}

// TestEncodeSanitize checks that strings with bytes Python cannot send
// produce documents that Python's own parser reads, with the documented
// replacements, and that our decoder reads the same.
func TestEncodeSanitize(t *testing.T) {
	var docs []string
	var wants []string
	for _, c := range nastyStrings {
		b, err := AppendResponse(nil, Struct{{c.in, []any{c.in}}})
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if !utf8.Valid(b) {
			t.Errorf("%q: output is not UTF-8: %q", c.in, b)
		}
		v, err := DecodeResponse(bytes.NewReader(b), 0)
		if err != nil {
			t.Fatalf("%q: decoding our own output: %v\n%s", c.in, err, b)
		}
		want := Struct{{c.want, []any{c.want}}}
		if !equalValue(v, want) {
			t.Errorf("%q: decoded %s, want %s", c.in, show(v), show(want))
		}
		docs = append(docs, string(b))
		wants = append(wants, c.want)
	}
	// Random bytes too: whatever they are, Python must parse the document.
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		p := make([]byte, r.IntN(64))
		for i := range p {
			p[i] = byte(r.UintN(256))
		}
		b, err := AppendResponse(nil, string(p))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
		wants = append(wants, "")
	}
	var got []struct {
		OK  bool   `json:"ok"`
		Key string `json:"key"`
		Err string `json:"err"`
	}
	testutil.RunPythonJSON(t, `
import sys, json, xmlrpc.client as x
out = []
for d in json.load(sys.stdin):
    try:
        (v,), _ = x.loads(d.encode('utf-8'))
        out.append({'ok': True, 'key': list(v)[0] if isinstance(v, dict) else ''})
    except Exception as e:
        out.append({'ok': False, 'err': repr(e)})
json.dump(out, sys.stdout)
`, docs, &got)
	for i := range docs {
		if !got[i].OK {
			t.Errorf("python cannot parse %q: %s", docs[i], got[i].Err)
			continue
		}
		if i < len(nastyStrings) && got[i].Key != wants[i] {
			t.Errorf("python read %q, want %q", got[i].Key, wants[i])
		}
	}
}

// TestEncodeErrors checks every refusal of the encoders, and that nothing is
// written or appended on error.
func TestEncodeErrors(t *testing.T) {
	deep := any("x")
	for range MaxDepth + 1 {
		deep = []any{deep}
	}
	okDeep := any("x")
	for range MaxDepth {
		okDeep = []any{okDeep}
	}
	self := []any{nil}
	self[0] = self // a cycle ends at MaxDepth
	cases := []struct {
		name string
		v    any
		want string
		is   error
	}{
		{"int over", math.MaxInt32 + 1, "int 2147483648: int exceeds XML-RPC limits", ErrIntOverflow},
		{"int under", int64(math.MinInt32 - 1), "int -2147483649: int exceeds XML-RPC limits", ErrIntOverflow},
		{"uint64 huge", uint64(math.MaxUint64), "int exceeds XML-RPC limits", ErrIntOverflow},
		{"uint32 big", uint32(math.MaxUint32), "int exceeds XML-RPC limits", ErrIntOverflow},
		{"path", []any{1, Struct{{"ok", 1}, {"pid", int64(1 << 40)}}}, "at [1].pid: int", ErrIntOverflow},
		{"path nested", Struct{{"procs", []Struct{{{"pid", 1 << 40}}}}}, "at procs[0].pid: int", ErrIntOverflow},
		{"unsupported", struct{}{}, "unsupported type struct {}", nil},
		{"unsupported map", map[string]int{}, "unsupported type map[string]int", nil},
		{"deep", deep, "nesting deeper than 64", nil},
		{"cycle", self, "nesting deeper than 64", nil},
		{"year 0", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "year outside 1-9999", nil},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "year outside 1-9999", nil},
		{"nil fault pointer", (*Fault)(nil), "nil", nil},
		{"fault value code", []any{Fault{Code: 1 << 40}}, "at [0].faultCode: int", ErrIntOverflow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := []byte("prefix")
			got, err := AppendResponse(dst, c.v)
			if err == nil {
				t.Fatalf("no error; output:\n%s", got)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Errorf("error %T is not *EncodeError", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %v", err, c.is)
			}
			if string(got) != "prefix" {
				t.Errorf("dst changed to %q", got)
			}
			var buf bytes.Buffer
			if err := EncodeResponse(&buf, c.v); err == nil || buf.Len() != 0 {
				t.Errorf("EncodeResponse: err %v, wrote %d bytes", err, buf.Len())
			}
		})
	}
	if _, err := AppendResponse(nil, okDeep); err != nil {
		t.Errorf("depth %d refused: %v", MaxDepth, err)
	}
	if _, err := AppendFault(nil, nil); err == nil {
		t.Error("AppendFault(nil): no error")
	}
	if _, err := AppendFault(nil, &Fault{Code: math.MaxInt32 + 1}); !errors.Is(err, ErrIntOverflow) {
		t.Errorf("AppendFault big code: %v", err)
	}
	if _, err := AppendCall(nil, ""); err == nil {
		t.Error("AppendCall with empty method: no error")
	}
	if _, err := AppendCall(nil, "m", 1, struct{}{}); err == nil || !strings.Contains(err.Error(), "params[1]") {
		t.Errorf("AppendCall bad param: %v", err)
	}
	if err := EncodeResponse(failWriter{}, 1); err == nil || !strings.Contains(err.Error(), "writing document") {
		t.Errorf("EncodeResponse to a failing writer: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestEncodeCallI8 checks that calls carry 64-bit integers as <i8>, which
// Python's xmlrpc.client reads back.
func TestEncodeCallI8(t *testing.T) {
	b, err := AppendCall(nil, "m", int64(1)<<40, -(int64(1) << 40), uint64(math.MaxInt64), 5)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("<value><i8>1099511627776</i8></value>\n")) || !bytes.Contains(b, []byte("<value><int>5</int></value>\n")) {
		t.Errorf("unexpected call:\n%s", b)
	}
	if _, err := AppendCall(nil, "m", uint64(math.MaxUint64)); !errors.Is(err, ErrIntOverflow) {
		t.Errorf("uint64 max: %v", err)
	}
	var got []int64
	testutil.RunPythonJSON(t, `
import sys, json, xmlrpc.client as x
params, method = x.loads(json.load(sys.stdin).encode())
json.dump(list(params), sys.stdout)
`, string(b), &got)
	want := []int64{1 << 40, -(1 << 40), math.MaxInt64, 5}
	if len(got) != len(want) {
		t.Fatalf("python read %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("param %d: python read %d, want %d", i, got[i], want[i])
		}
	}
}

// TestEncodeCallSupervisorParser checks that Supervisor's own request parser
// reads what EncodeCall writes (so tools can talk to the real supervisord).
func TestEncodeCallSupervisorParser(t *testing.T) {
	b, err := AppendCall(nil, "supervisor.sendProcessStdin", "cat", "hello & <bye>\n", 3, true, 2.5,
		[]any{"a", Struct{{"k", "v"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method string `json:"method"`
		Params []any  `json:"params"`
	}
	testutil.RunPythonJSON(t, `
import sys, json
from supervisor.xmlrpc import supervisor_xmlrpc_handler
h = object.__new__(supervisor_xmlrpc_handler)
params, method = h.loads(json.load(sys.stdin))
json.dump({'method': method, 'params': list(params)}, sys.stdout)
`, string(b), &got)
	if got.Method != "supervisor.sendProcessStdin" {
		t.Errorf("method %q", got.Method)
	}
	want := `["cat","hello \u0026 \u003cbye\u003e\n",3,true,2.5,["a",{"k":"v"}]]`
	if gotJSON := mustJSON(t, got.Params); gotJSON != want {
		t.Errorf("supervisor read %s, want %s", gotJSON, want)
	}
}
