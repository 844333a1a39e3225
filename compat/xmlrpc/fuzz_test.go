package xmlrpc

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLimit bounds the documents the fuzzers decode.
const fuzzLimit = 1 << 20

// addObserved seeds f with the captured documents whose names start with
// prefix.
func addObserved(f *testing.F, prefix string) {
	files, err := filepath.Glob(filepath.Join("testdata", "observed", prefix+"*.xml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files for %q: %v", prefix, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeCall checks that DecodeCall never panics, fails only with
// *DecodeError, and that whatever it accepts re-encodes (EncodeCall) and
// decodes again to the same method and parameters.
func FuzzDecodeCall(f *testing.F) {
	addObserved(f, "req_")
	for _, c := range pythonCases {
		b, err := AppendCall(nil, "supervisor.test", c.v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"<?xml version='1.0'?><methodCall><methodName>supervisor.getPID</methodName></methodCall>",
		call("<value>  untyped </value>"),
		call("<value><i8>-9223372036854775808</i8></value>"),
		call("<value><ex:nil/></value>"),
		call("<value><double>1e400</double></value>"),
		call("<value><string><![CDATA[a]]>&#13;&amp;</string></value>"),
		call("<value><struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct></value>"),
		"<?xml version='1.0' encoding='iso-8859-1'?><methodCall><methodName>\xe9</methodName></methodCall>",
		"<!DOCTYPE a [<!ENTITY b 'c'>]><methodCall><methodName>&b;</methodName></methodCall>",
		nested(MaxDepth, true),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkCall)
}

// docGen builds an XML-RPC value document from fuzzer bytes: mostly valid
// structure with varied text, whitespace, comments and references, and now and
// then a stray fragment, so that the fuzzer explores XML-RPC structure and
// values rather than XML syntax errors.
type docGen struct {
	data []byte
	b    strings.Builder
}

// next returns the next input byte, 0 once the input is used up.
func (g *docGen) next() int {
	if len(g.data) == 0 {
		return 0
	}
	c := g.data[0]
	g.data = g.data[1:]
	return int(c)
}

// pick writes one of choices.
func (g *docGen) pick(choices ...string) {
	g.b.WriteString(choices[g.next()%len(choices)])
}

// text writes character data of a few pieces.
func (g *docGen) text() {
	for n := g.next() % 8; n > 0; n-- {
		g.pick("a", "Z", "0", " ", "\n", "\r\n", "\t", "&amp;", "&lt;", "&gt;", "&quot;", "&#13;", "&#x9;",
			"<![CDATA[x<&]]>", "é", "😀", "<!--c-->", "]]&gt;", "\uFFFD", "\u00a0", "<?pi x?>", "")
	}
}

// space writes optional white space between elements.
func (g *docGen) space() {
	g.pick("", "", " ", "\n", "\r\n\t", "<!-- c -->")
}

// stray sometimes writes a fragment that breaks the structure.
func (g *docGen) stray() {
	if g.next()%64 == 63 {
		g.pick("<value>", "</value>", "<int>", "x", "<data>", "<member>", "<name/>", "&bad;", "<!DOCTYPE x>")
	}
}

// value writes one <value> element.
func (g *docGen) value(depth int) {
	g.stray()
	if depth > MaxDepth+1 {
		g.b.WriteString("<value/>")
		return
	}
	switch g.next() % 12 {
	case 0:
		g.b.WriteString("<value>")
		g.text()
		g.b.WriteString("</value>")
	case 1:
		g.b.WriteString("<value>")
		g.space()
		tag := []string{"int", "i4", "i8", "ex:i8"}[g.next()%4]
		g.b.WriteString("<" + tag + ">")
		g.pick("", " ", "+", "-")
		n := 0
		for k := g.next() % 21; k > 0; k-- {
			g.b.WriteByte(byte('0' + g.next()%10))
			n++
		}
		g.pick("", " ", "\n")
		g.b.WriteString("</" + tag + ">")
		g.space()
		g.b.WriteString("</value>")
	case 2:
		g.b.WriteString("<value><boolean>")
		g.pick("0", "1", " 1 ", "2", "")
		g.b.WriteString("</boolean></value>")
	case 3:
		g.b.WriteString("<value><string>")
		g.text()
		g.b.WriteString("</string></value>")
	case 4:
		var bits uint64
		for range 8 {
			bits = bits<<8 | uint64(g.next())
		}
		g.b.WriteString("<value><double>")
		g.pick("", " ")
		g.b.Write(appendPythonFloat(nil, math.Float64frombits(bits)))
		g.b.WriteString("</double></value>")
	case 5:
		g.b.WriteString("<value><dateTime.iso8601>")
		fmt.Fprintf(&g.b, "%04d%02d%02dT%02d:%02d:%02d", g.next()*40, g.next()%14, g.next()%33, g.next()%25, g.next()%61, g.next()%61)
		g.b.WriteString("</dateTime.iso8601></value>")
	case 6:
		raw := make([]byte, g.next()%80)
		for i := range raw {
			raw[i] = byte(g.next())
		}
		enc := base64.StdEncoding.EncodeToString(raw)
		g.b.WriteString("<value><base64>")
		for len(enc) > 0 {
			n := min(len(enc), 1+g.next()%40)
			g.b.WriteString(enc[:n])
			g.space()
			enc = enc[n:]
		}
		g.b.WriteString("</base64></value>")
	case 7:
		g.b.WriteString("<value>")
		g.pick("<nil/>", "<ex:nil/>", "<nil></nil>", "<nil> </nil>")
		g.b.WriteString("</value>")
	case 8:
		g.b.WriteString("<value><array>")
		g.space()
		g.b.WriteString("<data>")
		for n := g.next() % 4; n > 0; n-- {
			g.space()
			g.value(depth + 1)
		}
		g.space()
		g.b.WriteString("</data></array></value>")
	case 9:
		g.b.WriteString("<value><struct>")
		for n := g.next() % 4; n > 0; n-- {
			g.space()
			g.b.WriteString("<member>")
			g.space()
			g.b.WriteString("<name>")
			g.pick("a", "b", "", "a b", "&lt;k&gt;", "\u00e9")
			g.b.WriteString("</name>")
			g.space()
			g.value(depth + 1)
			g.space()
			g.b.WriteString("</member>")
		}
		g.b.WriteString("</struct></value>")
	case 10:
		g.b.WriteString("<value/>")
	case 11:
		g.b.WriteString("<value>")
		g.space()
		g.b.WriteString("<string/>")
		g.space()
		g.b.WriteString("</value>")
	}
	g.stray()
}

// FuzzDecodeCallGenerated runs the FuzzDecodeCall checks on calls built by
// docGen from the fuzzer's bytes.
func FuzzDecodeCallGenerated(f *testing.F) {
	f.Add([]byte{1, 0, 3, 2, 1, 4})
	f.Add([]byte{0, 2, 8, 0, 3, 0, 9, 0, 2, 0, 1, 0, 3, 0, 1, 5, 1, 0, 0})
	f.Add([]byte{0, 9, 0, 3, 0, 0, 4, 0, 6, 0, 0, 1, 0, 0, 2, 0, 0, 0, 5, 1, 2, 3, 4, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &docGen{data: data}
		g.b.WriteString("<?xml version='1.0'?>\n<methodCall>\n<methodName>m.x</methodName>\n<params>")
		for n := 1 + g.next()%3; n > 0; n-- {
			g.space()
			g.b.WriteString("<param>")
			g.space()
			g.value(1)
			g.space()
			g.b.WriteString("</param>")
		}
		g.b.WriteString("</params></methodCall>")
		checkCall(t, []byte(g.b.String()))
	})
}

// checkCall is the FuzzDecodeCall property for one document.
func checkCall(t *testing.T, data []byte) {
	{
		method, params, err := DecodeCall(bytes.NewReader(data), fuzzLimit)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not *DecodeError: %v", err, err)
			}
			if method != "" || params != nil {
				t.Fatalf("returned %q %v with error %v", method, params, err)
			}
			return
		}
		if method == "" {
			t.Fatal("accepted an empty method name")
		}
		b, err := AppendCall(nil, method, params...)
		if err != nil {
			t.Fatalf("re-encoding %q %s: %v", method, show(params), err)
		}
		method2, params2, err := DecodeCall(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("decoding the re-encoded call: %v\n%s", err, b)
		}
		if method2 != method {
			t.Fatalf("method %q became %q", method, method2)
		}
		if !equalValue(params, params2) && !(len(params) == 0 && len(params2) == 0) {
			t.Fatalf("params %s became %s", show(params), show(params2))
		}
	}
}

// FuzzDecodeResponse checks that DecodeResponse never panics, fails only with
// *DecodeError or *Fault, and that whatever it accepts re-encodes and decodes
// again to the same value or fault.
func FuzzDecodeResponse(f *testing.F) {
	addObserved(f, "")
	for _, c := range pythonCases {
		b, err := AppendResponse(nil, c.v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<methodResponse><params><param><value><i8>4294967296</i8></value></param></params></methodResponse>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeResponse(bytes.NewReader(data), fuzzLimit)
		var fault *Fault
		if errors.As(err, &fault) {
			if v != nil {
				t.Fatalf("value %v with a fault", v)
			}
			b, err := AppendFault(nil, fault)
			if err != nil {
				t.Fatalf("re-encoding fault %v: %v", fault, err)
			}
			_, err = DecodeResponse(bytes.NewReader(b), int64(len(b)))
			var fault2 *Fault
			if !errors.As(err, &fault2) || *fault2 != *fault {
				t.Fatalf("fault %v became %v", fault, err)
			}
			return
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not *DecodeError: %v", err, err)
			}
			return
		}
		b, err := appendResponse(nil, v, true)
		if err != nil {
			t.Fatalf("re-encoding %s: %v", show(v), err)
		}
		v2, err := DecodeResponse(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("decoding the re-encoded response: %v\n%s", err, b)
		}
		if !equalValue(v, v2) {
			t.Fatalf("value %s became %s", show(v), show(v2))
		}
	})
}

// FuzzEncodeText checks that any string, valid UTF-8 or not, encodes to a
// UTF-8 document that decodes without error, to the same string when it was
// valid XML text, and otherwise to the string with U+FFFD replacements.
func FuzzEncodeText(f *testing.F) {
	for _, c := range nastyStrings {
		f.Add(c.in)
	}
	f.Add("plain ascii")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := AppendResponse(nil, Struct{{s, s}})
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Fatalf("output is not UTF-8: %q", b)
		}
		v, err := DecodeResponse(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("decoding %q: %v\n%q", s, err, b)
		}
		got := v.(Struct)
		if len(got) != 1 || got[0].Name != got[0].Value {
			t.Fatalf("name and value differ: %s", show(got))
		}
		want := sanitized(s)
		if got[0].Value != want {
			t.Fatalf("%q decoded as %q, want %q", s, got[0].Value, want)
		}
	})
}

// sanitized is the reference model of the encoder's text policy: every
// invalid byte and every XML-illegal character becomes U+FFFD.
func sanitized(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		legal := r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if (r == utf8.RuneError && n == 1) || !legal {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
