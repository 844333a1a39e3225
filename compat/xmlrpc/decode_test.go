package xmlrpc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// decodedForm returns the value the decoder yields for an encoder input.
func decodedForm(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case []byte:
		if x == nil {
			return []byte{}
		}
		return x
	case time.Time:
		return x.Truncate(time.Second).UTC()
	case []string:
		out := []any{}
		for _, e := range x {
			out = append(out, e)
		}
		return out
	case []int:
		out := []any{}
		for _, e := range x {
			out = append(out, int64(e))
		}
		return out
	case []int64:
		out := []any{}
		for _, e := range x {
			out = append(out, e)
		}
		return out
	case []Struct:
		out := []any{}
		for _, e := range x {
			out = append(out, decodedForm(e))
		}
		return out
	case []any:
		out := []any{}
		for _, e := range x {
			out = append(out, decodedForm(e))
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := Struct{}
		for _, k := range keys {
			out = append(out, Member{k, decodedForm(x[k])})
		}
		return out
	case Struct:
		out := Struct{}
		for _, m := range x {
			out = append(out, Member{m.Name, decodedForm(m.Value)})
		}
		return out
	case Fault:
		return Struct{{"faultCode", int64(x.Code)}, {"faultString", x.String}}
	case *Fault:
		return Struct{{"faultCode", int64(x.Code)}, {"faultString", x.String}}
	}
	return v
}

// TestDecodePythonRequests decodes every request layout that Python's
// xmlrpc.client produces: each value type, no params, several params, the
// ISO-8859-1 encoding a ServerProxy can be told to use, Binary and DateTime
// wrappers, and a MultiCall.
func TestDecodePythonRequests(t *testing.T) {
	type req struct {
		Py       string `json:"py"`
		Method   string `json:"method"`
		Encoding string `json:"encoding"`
	}
	type goWant struct {
		name   string
		method string
		params []any
	}
	var reqs []req
	var wants []goWant
	for _, c := range pythonCases {
		for _, enc := range []string{"utf-8", "iso-8859-1"} {
			reqs = append(reqs, req{Py: "[" + c.py + "]", Method: "supervisor.test", Encoding: enc})
			wants = append(wants, goWant{c.name + "/" + enc, "supervisor.test", []any{decodedForm(c.v)}})
		}
	}
	extra := []struct {
		py     string
		method string
		params []any
	}{
		{"[]", "supervisor.getVersion", nil},
		{"['printer', 0, 30]", "supervisor.tailProcessStdoutLog", []any{"printer", int64(0), int64(30)}},
		{"[x.Binary(b'\\x00\\xffbin')]", "supervisor.sendProcessStdin", []any{[]byte("\x00\xffbin")}},
		{"[x.DateTime('20261121T04:55:00')]", "m.d", []any{time.Date(2026, 11, 21, 4, 55, 0, 0, time.UTC)}},
		{"[[{'methodName': 'supervisor.getPID', 'params': []}, {'methodName': 'supervisor.getProcessInfo', 'params': ['nope']}]]",
			"system.multicall", []any{[]any{
				Struct{{"methodName", "supervisor.getPID"}, {"params", []any{}}},
				Struct{{"methodName", "supervisor.getProcessInfo"}, {"params", []any{"nope"}}},
			}}},
		{"['élan ✓']", "m.latin", []any{"élan ✓"}},
	}
	for _, e := range extra {
		for _, enc := range []string{"utf-8", "iso-8859-1"} {
			reqs = append(reqs, req{Py: e.py, Method: e.method, Encoding: enc})
			wants = append(wants, goWant{e.method + "/" + enc, e.method, e.params})
		}
	}
	var bodies []string // latin-1 bodies as JSON strings of bytes 0-255
	testutil.RunPythonJSON(t, `
import sys, json, datetime, xmlrpc.client as x
out = []
for r in json.load(sys.stdin):
    body = x.dumps(tuple(eval(r['py'])), r['method'], encoding=r['encoding'], allow_none=True)
    out.append(body.encode(r['encoding'], 'xmlcharrefreplace').decode('latin-1'))
json.dump(out, sys.stdout)
`, reqs, &bodies)
	for i, w := range wants {
		raw := latin1Bytes(bodies[i])
		if reqs[i].Encoding != "utf-8" && !bytes.Contains(raw, []byte("encoding='iso-8859-1'")) {
			t.Fatalf("%s: python wrote no encoding declaration:\n%s", w.name, raw)
		}
		method, params, err := DecodeCall(bytes.NewReader(raw), 0)
		if err != nil {
			t.Errorf("%s: %v\n%s", w.name, err, raw)
			continue
		}
		if method != w.method {
			t.Errorf("%s: method %q, want %q", w.name, method, w.method)
		}
		if !equalValue(params, w.params) && !(len(params) == 0 && len(w.params) == 0) {
			t.Errorf("%s: params %s, want %s", w.name, show(params), show(w.params))
		}
	}
}

// latin1Bytes turns a string of runes 0-255 back into bytes.
func latin1Bytes(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

// TestDecodeObserved decodes the requests that Python's xmlrpc.client sent to
// the real Supervisor, and the responses Supervisor sent back.
func TestDecodeObserved(t *testing.T) {
	calls := []struct {
		file   string
		method string
		params []any
	}{
		{"req_getProcessInfo_nope.xml", "supervisor.getProcessInfo", []any{"nope"}},
		{"req_getProcessInfo_sleeper.xml", "supervisor.getProcessInfo", []any{"sleeper"}},
		{"req_tailProcessStdoutLog.xml", "supervisor.tailProcessStdoutLog", []any{"printer", int64(0), int64(30)}},
		{"req_signalProcess.xml", "supervisor.signalProcess", []any{"sleeper", "HUP"}},
		{"req_multicall.xml", "system.multicall", []any{[]any{
			Struct{{"methodName", "supervisor.getPID"}, {"params", []any{}}},
			Struct{{"methodName", "supervisor.getProcessInfo"}, {"params", []any{"nope"}}},
		}}},
	}
	for _, c := range calls {
		f, err := os.Open(filepath.Join("testdata", "observed", c.file))
		if err != nil {
			t.Fatal(err)
		}
		method, params, err := DecodeCall(f, 0)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if method != c.method || !equalValue(params, c.params) {
			t.Errorf("%s: got %q %s, want %q %s", c.file, method, show(params), c.method, show(c.params))
		}
	}
	responses := []struct {
		file string
		want any
	}{
		{"getState.xml", Struct{{"statecode", int64(1)}, {"statename", "RUNNING"}}},
		{"signalProcess.xml", true},
		{"tailProcessStdoutLog.xml", []any{"145\nout line 146\nout line 147\n", int64(273), true}},
		{"multicall.xml", []any{int64(10152), Struct{{"faultCode", int64(10)}, {"faultString", "BAD_NAME: nope"}}}},
	}
	for _, c := range responses {
		f, err := os.Open(filepath.Join("testdata", "observed", c.file))
		if err != nil {
			t.Fatal(err)
		}
		v, err := DecodeResponse(f, 0)
		f.Close()
		if err != nil || !equalValue(v, c.want) {
			t.Errorf("%s: got %s, %v; want %s", c.file, show(v), err, show(c.want))
		}
	}
	f, err := os.Open(filepath.Join("testdata", "observed", "getProcessInfo_fault.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := DecodeResponse(f, 0)
	var fault *Fault
	if v != nil || !errors.As(err, &fault) || *fault != (Fault{10, "BAD_NAME: nope"}) {
		t.Errorf("fault response: got %v, %v", v, err)
	}
	if err.Error() != "fault 10: BAD_NAME: nope" {
		t.Errorf("fault text %q", err.Error())
	}
}

// call wraps one value XML fragment in a methodCall.
func call(valueXML string) string {
	return "<?xml version='1.0'?>\n<methodCall>\n<methodName>m.x</methodName>\n<params>\n<param>\n" +
		valueXML + "\n</param>\n</params>\n</methodCall>\n"
}

// TestDecodeCallAccepts covers hand-written layouts that must be accepted.
func TestDecodeCallAccepts(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		method string
		params []any
	}{
		{"no params element", "<?xml version='1.0'?><methodCall><methodName>supervisor.getPID</methodName></methodCall>",
			"supervisor.getPID", nil},
		{"no declaration", "<methodCall><methodName>a.b</methodName><params/></methodCall>", "a.b", nil},
		{"empty params", "<methodCall><methodName>a.b</methodName><params></params></methodCall>", "a.b", nil},
		{"method kept exactly", "<methodCall><methodName> a.b\t</methodName></methodCall>", " a.b\t", nil},
		{"untyped value", call("<value>  some text </value>"), "m.x", []any{"  some text "}},
		{"empty value", call("<value></value>"), "m.x", []any{""}},
		{"self-closed value", call("<value/>"), "m.x", []any{""}},
		{"empty string", call("<value><string/></value>"), "m.x", []any{""}},
		{"string whitespace kept", call("<value><string>\n a \n</string></value>"), "m.x", []any{"\n a \n"}},
		{"space around typed", call("<value>\n  <int>5</int>\n</value>"), "m.x", []any{int64(5)}},
		{"i4", call("<value><i4>-7</i4></value>"), "m.x", []any{int64(-7)}},
		{"i8", call("<value><i8>1099511627776</i8></value>"), "m.x", []any{int64(1) << 40}},
		{"int64 max", call("<value><int>9223372036854775807</int></value>"), "m.x", []any{int64(math.MaxInt64)}},
		{"int with space and plus", call("<value><int> +12 </int></value>"), "m.x", []any{int64(12)}},
		{"ex:i8 unbound prefix", call("<value><ex:i8>3</ex:i8></value>"), "m.x", []any{int64(3)}},
		{"nil", call("<value><nil/></value>"), "m.x", []any{nil}},
		{"nil open close", call("<value><nil></nil></value>"), "m.x", []any{nil}},
		{"ex:nil apache namespace", call(`<value xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"><ex:nil/></value>`),
			"m.x", []any{nil}},
		{"boolean", call("<value><boolean>1</boolean></value></param><param><value><boolean> 0 </boolean></value>"),
			"m.x", []any{true, false}},
		{"double forms", call("<value><double>-1.5e3</double></value></param><param><value><double>inf</double></value>" +
			"</param><param><value><double>1e400</double></value></param><param><value><double> 2 </double></value>"),
			"m.x", []any{-1500.0, math.Inf(1), math.Inf(1), 2.0}},
		{"double nan", call("<value><double>nan</double></value>"), "m.x", []any{math.NaN()}},
		{"datetime", call("<value><dateTime.iso8601>20261121T04:55:09</dateTime.iso8601></value>"),
			"m.x", []any{time.Date(2026, 11, 21, 4, 55, 9, 0, time.UTC)}},
		{"base64 with newlines", call("<value><base64>\naGVs\nbG8=\n</base64></value>"), "m.x", []any{[]byte("hello")}},
		{"base64 empty", call("<value><base64></base64></value>"), "m.x", []any{[]byte{}}},
		{"CDATA", call("<value><string><![CDATA[<a & b>]]></string></value>"), "m.x", []any{"<a & b>"}},
		{"CDATA untyped", call("<value>x<![CDATA[<y>]]>z</value>"), "m.x", []any{"x<y>z"}},
		{"entities", call("<value>&lt;&gt;&amp;&quot;&apos;</value>"), "m.x", []any{`<>&"'`}},
		{"char refs", call("<value>&#65;&#x42;&#13;&#x1F600;</value>"), "m.x", []any{"AB\r😀"}},
		{"CRLF normalised", call("<value>a\r\nb\rc</value>"), "m.x", []any{"a\nb\nc"}},
		{"comments and PIs", "<?xml version='1.0'?><!-- c --><?pi x?><methodCall><!-- c --><methodName>a.b<!--x--></methodName>" +
			"<params><!-- c --><param><value>a<!-- c -->b</value></param></params></methodCall><!-- end --><?pi y?>\n",
			"a.b", []any{"ab"}},
		{"BOM", "\xef\xbb\xbf<methodCall><methodName>a.b</methodName></methodCall>", "a.b", nil},
		{"attributes ignored", `<methodCall id="1"><methodName lang="en">a.b</methodName></methodCall>`, "a.b", nil},
		{"whitespace everywhere", " \n\t<methodCall>\r\n <methodName>a.b</methodName> \n <params> <param> <value> <array> <data> " +
			"<value> <int>1</int> </value> </data> </array> </value> </param> </params> \n</methodCall>\n\n",
			"a.b", []any{[]any{int64(1)}}},
		{"struct", call("<value><struct><member><name>a</name><value><int>1</int></value></member>" +
			"<member><name></name><value>x</value></member></struct></value>"),
			"m.x", []any{Struct{{"a", int64(1)}, {"", "x"}}}},
		{"struct duplicate names", call("<value><struct><member><name>a</name><value>1</value></member>" +
			"<member><name>b</name><value>2</value></member><member><name>a</name><value>3</value></member></struct></value>"),
			"m.x", []any{Struct{{"a", "3"}, {"b", "2"}}}},
		{"empty array and struct", call("<value><array><data/></array></value></param><param><value><struct/></value>"),
			"m.x", []any{[]any{}, Struct{}}},
		{"utf-8 declared", `<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>é</methodName></methodCall>`, "é", nil},
		{"utf8 label", `<?xml version="1.0" encoding="utf8"?><methodCall><methodName>é</methodName></methodCall>`, "é", nil},
		{"ascii declared", `<?xml version="1.0" encoding="us-ascii"?><methodCall><methodName>a&#233;</methodName></methodCall>`, "aé", nil},
		{"latin-1 declared", "<?xml version='1.0' encoding='ISO-8859-1'?><methodCall><methodName>\xe9</methodName></methodCall>", "é", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, params, err := DecodeCall(strings.NewReader(c.body), 0)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if method != c.method {
				t.Errorf("method %q, want %q", method, c.method)
			}
			if !equalValue(params, c.params) && !(len(params) == 0 && len(c.params) == 0) {
				t.Errorf("params %s, want %s", show(params), show(c.params))
			}
		})
	}
}

// nested returns a call whose parameter nests n arrays or structs.
func nested(n int, useStruct bool) string {
	var b strings.Builder
	for range n {
		if useStruct {
			b.WriteString("<value><struct><member><name>k</name>")
		} else {
			b.WriteString("<value><array><data>")
		}
	}
	b.WriteString("<value>x</value>")
	for range n {
		if useStruct {
			b.WriteString("</member></struct></value>")
		} else {
			b.WriteString("</data></array></value>")
		}
	}
	s := b.String()
	// The outermost <value> belongs to the param.
	return call(s)
}

// TestDecodeCallRejects covers inputs that must be refused with a
// *DecodeError naming the problem.
func TestDecodeCallRejects(t *testing.T) {
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
		`<methodCall><methodName>&lol3;</methodName></methodCall>`
	cases := []struct {
		name, body, want string
	}{
		{"empty body", "", "no <methodCall> element"},
		{"not xml", "this is not xml", "unexpected text \"this is not xml\" before <methodCall>"},
		{"only declaration", "<?xml version='1.0'?>", "no <methodCall> element"},
		{"wrong root", "<methodResponse/>", "root element is <methodResponse>, want <methodCall>"},
		{"namespaced root", `<methodCall xmlns="urn:x"><methodName>a</methodName></methodCall>`, "root element is <urn:x:methodCall>"},
		{"no methodName", "<?xml version='1.0'?><methodCall><params></params></methodCall>", "want <methodName>"},
		{"empty methodCall", "<methodCall></methodCall>", "missing <methodName> in <methodCall>"},
		{"empty methodName", "<methodCall><methodName></methodName></methodCall>", "empty <methodName>"},
		{"element in methodName", "<methodCall><methodName><b>x</b></methodName></methodCall>", "unexpected element <b> in <methodName>"},
		{"two methodNames", "<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>", "unexpected element <methodName>, want <params>"},
		{"params first", "<methodCall><params/><methodName>a</methodName></methodCall>", "want <methodName>"},
		{"two params", "<methodCall><methodName>a</methodName><params/><params/></methodCall>", "unexpected element <params> in <methodCall>"},
		{"text in methodCall", "<methodCall>x<methodName>a</methodName></methodCall>", "unexpected text \"x\" in <methodCall>"},
		{"text in params", "<methodCall><methodName>a</methodName><params>x</params></methodCall>", "unexpected text \"x\" in <params>"},
		{"value outside param", "<methodCall><methodName>a</methodName><params><value>1</value></params></methodCall>", "unexpected element <value>, want <param>"},
		{"empty param", "<methodCall><methodName>a</methodName><params><param></param></params></methodCall>", "missing <value> in <param>"},
		{"two values in param", call("<value>1</value><value>2</value>"), "unexpected element <value> in <param>"},
		{"mixed value", call("<value>text<int>1</int></value>"), "unexpected text \"text\" in <value>"},
		{"two typed in value", call("<value><int>1</int><int>2</int></value>"), "unexpected element <int> in <value>"},
		{"unknown type", call("<value><integer>1</integer></value>"), "unsupported value type <integer>"},
		{"bigdecimal", call("<value><bigdecimal>1.5</bigdecimal></value>"), "unsupported value type <bigdecimal>"},
		{"namespaced type", call(`<value><foo:int xmlns:foo="urn:x">1</foo:int></value>`), "unsupported value type <urn:x:int>"},
		{"ex string", call(`<value><ex:string>1</ex:string></value>`), "unsupported value type <ex:string>"},
		{"empty int", call("<value><int></int></value>"), "bad <int> value \"\""},
		{"int text", call("<value><int>12a</int></value>"), "bad <int> value \"12a\""},
		{"int underscore", call("<value><int>1_000</int></value>"), "bad <int> value"},
		{"int too big", call("<value><i8>9223372036854775808</i8></value>"), "bad <i8> value"},
		{"element in int", call("<value><int><b/></int></value>"), "unexpected element <b> in <int>"},
		{"boolean true", call("<value><boolean>true</boolean></value>"), "bad <boolean> value \"true\" (want 0 or 1)"},
		{"boolean empty", call("<value><boolean/></value>"), "bad <boolean> value"},
		{"double empty", call("<value><double></double></value>"), "bad <double> value"},
		{"double hex", call("<value><double>0x1p-2</double></value>"), "bad <double> value"},
		{"double text", call("<value><double>one</double></value>"), "bad <double> value"},
		{"datetime dashed", call("<value><dateTime.iso8601>2026-11-21T04:55:00</dateTime.iso8601></value>"), "bad <dateTime.iso8601> value"},
		{"datetime zone", call("<value><dateTime.iso8601>20261121T04:55:00Z</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"datetime month 13", call("<value><dateTime.iso8601>20261321T04:55:00</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"datetime 31 April", call("<value><dateTime.iso8601>20260431T04:55:00</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"datetime second 60", call("<value><dateTime.iso8601>20260401T04:55:60</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"datetime year 0", call("<value><dateTime.iso8601>00000101T00:00:00</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"datetime sign", call("<value><dateTime.iso8601>2026112-T04:55:00</dateTime.iso8601></value>"), "bad <dateTime.iso8601>"},
		{"base64 bad", call("<value><base64>a*b=</base64></value>"), "bad <base64> value"},
		{"base64 no padding", call("<value><base64>aGVsbG8</base64></value>"), "bad <base64> value"},
		{"nil with text", call("<value><nil>x</nil></value>"), "<nil> is not empty"},
		{"array without data", call("<value><array></array></value>"), "missing <data> in <array>"},
		{"array two data", call("<value><array><data/><data/></array></value>"), "unexpected element <data> in <array>"},
		{"array text", call("<value><array><data>x</data></array></value>"), "unexpected text \"x\" in <data>"},
		{"array non-value", call("<value><array><data><int>1</int></data></array></value>"), "unexpected element <int>, want <value>"},
		{"struct non-member", call("<value><struct><name>a</name></struct></value>"), "unexpected element <name>, want <member>"},
		{"member without name", call("<value><struct><member><value>1</value></member></struct></value>"), "want <name>"},
		{"member without value", call("<value><struct><member><name>a</name></member></struct></value>"), "missing <value> in <member>"},
		{"member value first", call("<value><struct><member><value>1</value><name>a</name></member></struct></value>"), "want <name>"},
		{"member extra", call("<value><struct><member><name>a</name><value>1</value><value>2</value></member></struct></value>"),
			"unexpected element <value> in <member>"},
		{"element in name", call("<value><struct><member><name><i/></name><value>1</value></member></struct></value>"),
			"unexpected element <i> in <name>"},
		{"DOCTYPE", "<!DOCTYPE methodCall><methodCall><methodName>a</methodName></methodCall>", "DOCTYPE and other <!...> declarations are not allowed"},
		{"entity bomb", bomb, "DOCTYPE and other <!...> declarations are not allowed"},
		{"external entity", `<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>&x;</methodName></methodCall>`,
			"DOCTYPE"},
		{"undeclared entity", "<methodCall><methodName>&nbsp;</methodName></methodCall>", "invalid character entity &nbsp;"},
		{"char ref NUL", "<methodCall><methodName>&#0;</methodName></methodCall>", "illegal character code U+0000"},
		{"char ref control", call("<value>&#27;</value>"), "illegal character code U+001B"},
		{"raw control char", call("<value>\x1b[31m</value>"), "illegal character code U+001B"},
		{"invalid UTF-8 text", call("<value>\xff\xfe</value>"), "invalid UTF-8"},
		{"invalid UTF-8 CDATA", call("<value><![CDATA[\xc3]]></value>"), "invalid UTF-8"},
		{"invalid UTF-8 name", "<methodCall\xff><methodName>a</methodName></methodCall>", "malformed XML"},
		{"invalid UTF-8 comment", "<methodCall><!-- \xff --><methodName>a</methodName></methodCall>", "invalid UTF-8 in comment"},
		{"invalid UTF-8 PI", "<?pi \xff?><methodCall><methodName>a</methodName></methodCall>", "invalid UTF-8 in processing instruction"},
		{"invalid ASCII", `<?xml version="1.0" encoding="us-ascii"?><methodCall><methodName>` + "\xe9</methodName></methodCall>", "not US-ASCII"},
		{"unknown encoding", `<?xml version="1.0" encoding="shift_jis"?><methodCall><methodName>a</methodName></methodCall>`, `unsupported encoding "shift_jis"`},
		{"XML 1.1", `<?xml version="1.1"?><methodCall><methodName>a</methodName></methodCall>`, "unsupported version"},
		{"late declaration", `<methodCall><?xml version="1.0"?><methodName>a</methodName></methodCall>`, "XML declaration not at the start"},
		{"unclosed", "<methodCall><methodName>a</methodName>", "unexpected EOF"},
		{"truncated value", call("<value><int>1")[:80], "malformed XML"},
		{"mismatched end", "<methodCall><methodName>a</methodCall>", "malformed XML"},
		{"trailing text", "<methodCall><methodName>a</methodName></methodCall>garbage", "unexpected text \"garbage\" after </methodCall>"},
		{"trailing element", "<methodCall><methodName>a</methodName></methodCall><methodCall/>", "unexpected element <methodCall> after </methodCall>"},
		{"trailing broken", "<methodCall><methodName>a</methodName></methodCall><", "malformed XML"},
		{"unescaped ampersand", "<methodCall><methodName>a & b</methodName></methodCall>", "malformed XML"},
		{"array too deep", nested(MaxDepth+1, false), "arrays and structs nested deeper than 64"},
		{"struct too deep", nested(MaxDepth+1, true), "arrays and structs nested deeper than 64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, params, err := DecodeCall(strings.NewReader(c.body), 0)
			if err == nil {
				t.Fatalf("accepted: %q %s", method, show(params))
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T (%v) is not *DecodeError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if method != "" || params != nil {
				t.Errorf("returned %q %v with an error", method, params)
			}
		})
	}
}

// TestDecodeDepthLimit checks that MaxDepth levels are accepted and the error
// line is reported.
func TestDecodeDepthLimit(t *testing.T) {
	for _, s := range []bool{false, true} {
		if _, _, err := DecodeCall(strings.NewReader(nested(MaxDepth, s)), 0); err != nil {
			t.Errorf("depth %d (struct %v): %v", MaxDepth, s, err)
		}
	}
	_, _, err := DecodeCall(strings.NewReader("<methodCall>\n<methodName>a</methodName>\n<params>\n<param>\n<value><int>x</int></value>\n</param>\n</params>\n</methodCall>"), 0)
	var de *DecodeError
	if !errors.As(err, &de) || de.Line != 5 || !strings.HasPrefix(err.Error(), "xmlrpc: line 5: ") {
		t.Errorf("error %v: want line 5", err)
	}
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		t.Errorf("error %v does not wrap the strconv error", err)
	}
}

// TestDecodeLimit checks the size limit: a document of exactly limit bytes
// is read, one byte more is refused with ErrTooLarge, and no more than
// limit+1 bytes are read from the reader.
func TestDecodeLimit(t *testing.T) {
	body := "<methodCall><methodName>supervisor.getPID</methodName></methodCall>"
	n := int64(len(body))
	if _, _, err := DecodeCall(strings.NewReader(body), n); err != nil {
		t.Errorf("limit = size: %v", err)
	}
	_, _, err := DecodeCall(strings.NewReader(body), n-1)
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), fmt.Sprintf("document longer than %d bytes", n-1)) {
		t.Errorf("limit = size-1: %v", err)
	}
	// An endless body: reading stops after limit+1 bytes.
	endless := &countingReader{r: io.MultiReader(strings.NewReader("<methodCall><methodName>"), infiniteA{})}
	_, _, err = DecodeCall(endless, 1000)
	if !errors.Is(err, ErrTooLarge) || endless.n > 1001+512 {
		t.Errorf("endless body: %v after %d bytes", err, endless.n)
	}
	// The response decoder has the same limit.
	if _, err := DecodeResponse(endless, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("DecodeResponse endless body: %v", err)
	}
	// Zero means DefaultLimit.
	big := call("<value>" + strings.Repeat("a", DefaultLimit) + "</value>")
	if _, _, err := DecodeCall(strings.NewReader(big), 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("body over DefaultLimit: %v", err)
	}
}

type infiniteA struct{}

func (infiniteA) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestDecodeReadError checks that a failing reader gives a wrapped I/O
// error, not a DecodeError.
func TestDecodeReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, _, err := DecodeCall(iotest.ErrReader(boom), 0)
	var de *DecodeError
	if !errors.Is(err, boom) || errors.As(err, &de) || !strings.Contains(err.Error(), "reading document") {
		t.Errorf("DecodeCall: %v", err)
	}
	if _, err := DecodeResponse(iotest.TimeoutReader(strings.NewReader("<methodResponse>")), 0); !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("DecodeResponse: %v", err)
	}
	// A reader that returns data one byte at a time is fine.
	m, _, err := DecodeCall(iotest.OneByteReader(strings.NewReader("<methodCall><methodName>a.b</methodName></methodCall>")), 0)
	if err != nil || m != "a.b" {
		t.Errorf("one byte reader: %q %v", m, err)
	}
	// Latin-1 through a one-byte reader.
	m, _, err = DecodeCall(iotest.OneByteReader(strings.NewReader("<?xml version='1.0' encoding='latin1'?><methodCall><methodName>\xe9\xe8</methodName></methodCall>")), 0)
	if err != nil || m != "éè" {
		t.Errorf("latin-1 one byte reader: %q %v", m, err)
	}
}

// TestDecodeResponse covers the response decoder's acceptance and refusals.
func TestDecodeResponse(t *testing.T) {
	ok := []struct {
		name, body string
		want       any
	}{
		{"untyped", "<methodResponse><params><param><value>x</value></param></params></methodResponse>", "x"},
		{"nil", "<methodResponse><params><param><value><nil/></value></param></params></methodResponse>", nil},
		{"struct", "<methodResponse><params><param><value><struct><member><name>a</name><value><i4>1</i4></value></member></struct></value></param></params></methodResponse>",
			Struct{{"a", int64(1)}}},
	}
	for _, c := range ok {
		v, err := DecodeResponse(strings.NewReader(c.body), 0)
		if err != nil || !equalValue(v, c.want) {
			t.Errorf("%s: %s, %v; want %s", c.name, show(v), err, show(c.want))
		}
	}
	fault := func(members string) string {
		return "<methodResponse><fault><value><struct>" + members + "</struct></value></fault></methodResponse>"
	}
	member := func(name, value string) string {
		return "<member><name>" + name + "</name><value>" + value + "</value></member>"
	}
	v, err := DecodeResponse(strings.NewReader(fault(member("faultString", "<string>x</string>")+member("faultCode", "<int>-3</int>"))), 0)
	var f *Fault
	if v != nil || !errors.As(err, &f) || *f != (Fault{-3, "x"}) {
		t.Errorf("reordered fault: %v %v", v, err)
	}
	bad := []struct {
		name, body, want string
	}{
		{"wrong root", "<methodCall/>", "root element is <methodCall>, want <methodResponse>"},
		{"empty", "<methodResponse></methodResponse>", "empty <methodResponse>"},
		{"other child", "<methodResponse><value/></methodResponse>", "unexpected element <value> in <methodResponse>, want <params> or <fault>"},
		{"no params", "<methodResponse><params></params></methodResponse>", "has 0 params, want 1"},
		{"two params", "<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>", "has 2 params, want 1"},
		{"params and fault", "<methodResponse><params><param><value>1</value></param></params><fault/></methodResponse>", "unexpected element <fault> in <methodResponse>"},
		{"fault not struct", "<methodResponse><fault><value>x</value></fault></methodResponse>", "not a struct of faultCode and faultString"},
		{"fault empty", "<methodResponse><fault></fault></methodResponse>", "missing <value> in <fault>"},
		{"fault missing string", fault(member("faultCode", "<int>1</int>")), "not a struct of faultCode and faultString"},
		{"fault extra member", fault(member("faultCode", "<int>1</int>") + member("faultString", "x") + member("x", "y")), "not a struct"},
		{"fault code string", fault(member("faultCode", "1") + member("faultString", "x")), "faultCode (int) and faultString (string)"},
		{"fault code big", fault(member("faultCode", "<i8>4294967296</i8>") + member("faultString", "x")), "faultCode 4294967296 outside the 32-bit range"},
		{"fault two values", "<methodResponse><fault><value>1</value><value>2</value></fault></methodResponse>", "unexpected element <value> in <fault>"},
		{"trailing", "<methodResponse><params><param><value>1</value></param></params></methodResponse>x", "unexpected text \"x\" after </methodResponse>"},
	}
	for _, c := range bad {
		v, err := DecodeResponse(strings.NewReader(c.body), 0)
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, %v; want error containing %q", c.name, v, err, c.want)
		}
	}
}

// TestRoundTrip encodes every value type as a call and as a response and
// decodes it back.
func TestRoundTrip(t *testing.T) {
	for _, c := range pythonCases {
		want := decodedForm(c.v)
		b, err := AppendCall(nil, "a.b", c.v, c.v)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, params, err := DecodeCall(bytes.NewReader(b), 0)
		if err != nil || len(params) != 2 || !equalValue(params[0], want) || !equalValue(params[1], want) {
			t.Errorf("%s: call round trip gave %s, %v; want %s", c.name, show(params), err, show(want))
		}
		b, err = AppendResponse(nil, c.v)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		v, err := DecodeResponse(bytes.NewReader(b), 0)
		if err != nil || !equalValue(v, want) {
			t.Errorf("%s: response round trip gave %s, %v; want %s", c.name, show(v), err, show(want))
		}
	}
	// Strings with carriage returns survive (Python's own output would not).
	s := "progress 10%\rprogress 20%\r\n"
	b, _ := AppendResponse(nil, s)
	if v, err := DecodeResponse(bytes.NewReader(b), 0); err != nil || v != s {
		t.Errorf("carriage returns: %q %v", v, err)
	}
	// Big integers in calls travel as <i8>.
	b, _ = AppendCall(nil, "a.b", int64(math.MinInt64))
	if _, params, err := DecodeCall(bytes.NewReader(b), 0); err != nil || !equalValue(params, []any{int64(math.MinInt64)}) {
		t.Errorf("i8 round trip: %v %v", params, err)
	}
}

// TestStructGet covers Struct.Get.
func TestStructGet(t *testing.T) {
	s := Struct{{"a", 1}, {"b", nil}, {"a", 2}}
	if v, ok := s.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %v, %v", v, ok)
	}
	if v, ok := s.Get("b"); !ok || v != nil {
		t.Errorf("Get(b) = %v, %v", v, ok)
	}
	if _, ok := s.Get("c"); ok {
		t.Error("Get(c) found")
	}
	if _, ok := Struct(nil).Get("a"); ok {
		t.Error("nil Struct found a member")
	}
}

// largeStructCall is a call whose one struct has n members over 100
// names, each repeated: the decoder keeps the first position of a name and
// the last value.
func largeStructCall(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<member><name>k%d</name><value><int>%d</int></value></member>", i%100, i)
	}
	return call("<value><struct>" + b.String() + "</struct></value>")
}

// TestDecodeLargeStruct checks that a struct with many repeated names keeps
// the first positions and the last values. That it decodes in linear time
// is BenchmarkDecodeLargeStruct's to show.
func TestDecodeLargeStruct(t *testing.T) {
	const n = 20000
	_, params, err := DecodeCall(strings.NewReader(largeStructCall(n)), 0)
	if err != nil {
		t.Fatal(err)
	}
	s := params[0].(Struct)
	if len(s) != 100 || s[0].Name != "k0" || s[0].Value != int64(n-100) || s[99].Value != int64(n-1) {
		t.Errorf("got %d members, first %v, last %v", len(s), s[0], s[99])
	}
}

// TestDecodeCallNoMethodName: a call without a method name wraps
// ErrNoMethodName; an unparsable one does not.
func TestDecodeCallNoMethodName(t *testing.T) {
	for doc, want := range map[string]bool{
		"<methodCall></methodCall>":                                   true,
		"<methodCall><methodName></methodName></methodCall>":          true,
		"<methodCall><params></params></methodCall>":                  true,
		"<methodCall><bogus/></methodCall>":                           false,
		"garbage<":                                                    false,
		"<methodCall><methodName>a</methodName><params></methodCall>": false,
	} {
		_, _, err := DecodeCall(strings.NewReader(doc), 1<<20)
		if err == nil || errors.Is(err, ErrNoMethodName) != want {
			t.Errorf("DecodeCall(%q) = %v, want ErrNoMethodName: %v", doc, err, want)
		}
	}
}
