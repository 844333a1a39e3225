package xmlrpc

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// apacheExtensions is the namespace of the Apache XML-RPC extension types
// (<ex:nil/>, <ex:i8>).
const apacheExtensions = "http://ws.apache.org/xmlrpc/namespaces/extensions"

// DecodeCall parses a methodCall document read from r, of at most limit bytes
// (DefaultLimit if limit <= 0), and returns the method name (exactly as sent,
// never empty) and the parameters (empty if the call has none, with or without
// a <params> element). Errors caused by the document are *DecodeError; an
// error reading r is returned wrapped.
func DecodeCall(r io.Reader, limit int64) (method string, params []any, err error) {
	data, err := readDocument(r, limit)
	if err != nil {
		return "", nil, err
	}
	if method, ok := plainCall(data); ok {
		return method, nil, nil
	}
	return decodeCall(newParser(data))
}

// The layout of a call without parameters as xmlrpc.client (and
// AppendCall) writes it.
const (
	plainCallHead = xmlHeader + "<methodCall>\n<methodName>"
	plainCallTail = "</methodName>\n<params>\n</params>\n</methodCall>\n"
)

// plainCall returns the method name of data if data is a call without
// parameters in exactly the layout xmlrpc.client writes, with a name of
// ASCII letters, digits, '.' and '_' (as Supervisor's methods have): the
// full parser would return that name and no parameters, at 20 times the
// cost. getState, getAllProcessInfo and most polling calls are such calls.
func plainCall(data []byte) (string, bool) {
	name, ok := bytes.CutPrefix(data, []byte(plainCallHead))
	if !ok {
		return "", false
	}
	name, ok = bytes.CutSuffix(name, []byte(plainCallTail))
	if !ok || len(name) == 0 {
		return "", false
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_') {
			return "", false
		}
	}
	return string(name), true
}

// decodeCall parses a methodCall document with the full parser.
func decodeCall(p *parser) (method string, params []any, err error) {
	if err := p.root("methodCall"); err != nil {
		return "", nil, err
	}
	tok, err := p.nextElement("methodCall")
	if err != nil {
		return "", nil, err
	}
	start, ok := tok.(xml.StartElement)
	switch {
	case !ok:
		return "", nil, p.noMethodName("missing <methodName> in <methodCall>")
	case start.Name.Space == "" && start.Name.Local == "params":
		return "", nil, p.noMethodName("unexpected element <params> in <methodCall>, want <methodName>")
	}
	if err := p.checkName(start.Name, "methodName"); err != nil {
		return "", nil, err
	}
	method, err = p.text("methodName")
	if err != nil {
		return "", nil, err
	}
	if method == "" {
		return "", nil, p.noMethodName("empty <methodName>")
	}
	tok, err = p.nextElement("methodCall")
	if err != nil {
		return "", nil, err
	}
	if start, ok := tok.(xml.StartElement); ok {
		if err := p.checkName(start.Name, "params"); err != nil {
			return "", nil, err
		}
		params, err = p.params()
		if err != nil {
			return "", nil, err
		}
		if err := p.expectEnd("methodCall"); err != nil {
			return "", nil, err
		}
	}
	if err := p.end("methodCall"); err != nil {
		return "", nil, err
	}
	return method, params, nil
}

// DecodeResponse parses a methodResponse document read from r, of at most
// limit bytes (DefaultLimit if limit <= 0). It returns the one value of a
// successful response, or a nil value and a *Fault for a fault response.
// Errors caused by the document are *DecodeError; an error reading r is
// returned wrapped.
func DecodeResponse(r io.Reader, limit int64) (any, error) {
	data, err := readDocument(r, limit)
	if err != nil {
		return nil, err
	}
	p := newParser(data)
	if err := p.root("methodResponse"); err != nil {
		return nil, err
	}
	tok, err := p.nextElement("methodResponse")
	if err != nil {
		return nil, err
	}
	start, ok := tok.(xml.StartElement)
	if !ok {
		return nil, p.errorf("empty <methodResponse>")
	}
	var v any
	var fault *Fault
	switch {
	case start.Name.Space == "" && start.Name.Local == "params":
		params, err := p.params()
		if err != nil {
			return nil, err
		}
		if len(params) != 1 {
			return nil, p.errorf("<methodResponse> has %d params, want 1", len(params))
		}
		v = params[0]
	case start.Name.Space == "" && start.Name.Local == "fault":
		if fault, err = p.fault(); err != nil {
			return nil, err
		}
	default:
		return nil, p.errorf("unexpected element <%s> in <methodResponse>, want <params> or <fault>", fullName(start.Name))
	}
	if err := p.expectEnd("methodResponse"); err != nil {
		return nil, err
	}
	if err := p.end("methodResponse"); err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, fault
	}
	return v, nil
}

// parser is a recursive-descent XML-RPC parser over encoding/xml tokens.
type parser struct {
	d     *xml.Decoder
	depth int
	// seen is set once the first token has been read (an XML declaration is
	// only allowed first).
	seen  bool
	text1 []byte // scratch buffer for character data
}

// newParser returns a strict parser of the document data.
func newParser(data []byte) *parser {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	return &parser{d: d}
}

// readDocument reads a document of at most limit bytes (DefaultLimit if
// limit <= 0) from r.
func readDocument(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: reading document: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, &DecodeError{Msg: fmt.Sprintf("document longer than %d bytes", limit), Err: ErrTooLarge}
	}
	return data, nil
}

// charsetReader converts the encodings other than UTF-8 that an XML
// declaration may name.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf8":
		return in, nil
	case "us-ascii", "ascii":
		return &asciiReader{r: in}, nil
	case "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// asciiReader passes US-ASCII through and fails on any other byte.
type asciiReader struct{ r io.Reader }

func (a *asciiReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	for i := range n {
		if p[i] >= 0x80 {
			return i, fmt.Errorf("byte 0x%02x is not US-ASCII", p[i])
		}
	}
	return n, err
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r       io.Reader
	pending []byte // converted bytes not yet returned
	raw     [512]byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) == 0 {
		n, err := l.r.Read(l.raw[:])
		if n == 0 {
			return 0, err
		}
		l.pending = l.pending[:0]
		for _, c := range l.raw[:n] {
			l.pending = utf8.AppendRune(l.pending, rune(c))
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}

func (p *parser) line() int {
	line, _ := p.d.InputPos()
	return line
}

// noMethodName is the error of a call without a method name (msg says
// how); it wraps ErrNoMethodName.
func (p *parser) noMethodName(msg string) error {
	return &DecodeError{Line: p.line(), Msg: msg, Err: ErrNoMethodName}
}

func (p *parser) errorf(format string, args ...any) error {
	return &DecodeError{Line: p.line(), Msg: fmt.Sprintf(format, args...)}
}

// token returns the next token that matters: start and end elements and
// character data. It skips comments and processing instructions (checking
// their UTF-8), and refuses DOCTYPE and other directives.
func (p *parser) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, err
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &DecodeError{Msg: "malformed XML", Err: err}
			}
			return nil, &DecodeError{Line: p.line(), Msg: "malformed XML", Err: err}
		}
		first := !p.seen
		p.seen = true
		switch t := tok.(type) {
		case xml.Comment:
			if !utf8.Valid(t) {
				return nil, p.errorf("invalid UTF-8 in comment")
			}
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml") && !first {
				return nil, p.errorf("XML declaration not at the start of the document")
			}
			if !utf8.Valid(t.Inst) || !utf8.ValidString(t.Target) {
				return nil, p.errorf("invalid UTF-8 in processing instruction")
			}
		case xml.Directive:
			return nil, p.errorf("DOCTYPE and other <!...> declarations are not allowed")
		default:
			return tok, nil
		}
	}
}

// tokenIn is token inside the element parent, where the document cannot end
// (encoding/xml reports that as a syntax error already; this is a guard).
func (p *parser) tokenIn(parent string) (xml.Token, error) {
	tok, err := p.token()
	if err == io.EOF {
		return nil, p.errorf("unexpected end of document in <%s>", parent)
	}
	return tok, err
}

// isSpace reports whether b is only XML white space.
func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// nextElement returns the next start or end element inside parent, skipping
// white space; other text is an error.
func (p *parser) nextElement(parent string) (xml.Token, error) {
	for {
		tok, err := p.tokenIn(parent)
		if err != nil {
			return nil, err
		}
		if cd, ok := tok.(xml.CharData); ok {
			if !isSpace(cd) {
				return nil, p.errorf("unexpected text %q in <%s>", shorten(cd), parent)
			}
			continue
		}
		return tok, nil
	}
}

// root reads up to and including the root start element, which must be name.
func (p *parser) root(name string) error {
	for {
		tok, err := p.token()
		if err != nil {
			if err == io.EOF {
				return p.errorf("no <%s> element", name)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) {
				return p.errorf("unexpected text %q before <%s>", shorten(t), name)
			}
		case xml.StartElement:
			if t.Name.Space != "" || t.Name.Local != name {
				return p.errorf("root element is <%s>, want <%s>", fullName(t.Name), name)
			}
			return nil
		default:
			return p.errorf("unexpected %T before <%s>", tok, name)
		}
	}
}

// end checks that nothing but white space, comments and processing
// instructions follows the root element.
func (p *parser) end(name string) error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) {
				return p.errorf("unexpected text %q after </%s>", shorten(t), name)
			}
		case xml.StartElement:
			return p.errorf("unexpected element <%s> after </%s>", fullName(t.Name), name)
		default:
			return p.errorf("unexpected %T after </%s>", tok, name)
		}
	}
}

// checkName checks that an element is the named one, without namespace.
func (p *parser) checkName(n xml.Name, want string) error {
	if n.Space != "" || n.Local != want {
		return p.errorf("unexpected element <%s>, want <%s>", fullName(n), want)
	}
	return nil
}

// expectStart reads the next element inside parent, which must be the start
// of want.
func (p *parser) expectStart(want, parent string) error {
	tok, err := p.nextElement(parent)
	if err != nil {
		return err
	}
	start, ok := tok.(xml.StartElement)
	if !ok {
		return p.errorf("missing <%s> in <%s>", want, parent)
	}
	if start.Name.Space != "" || start.Name.Local != want {
		return p.errorf("unexpected element <%s> in <%s>, want <%s>", fullName(start.Name), parent, want)
	}
	return nil
}

// expectEnd reads the next element, which must be the end of parent.
func (p *parser) expectEnd(parent string) error {
	tok, err := p.nextElement(parent)
	if err != nil {
		return err
	}
	if start, ok := tok.(xml.StartElement); ok {
		return p.errorf("unexpected element <%s> in <%s>", fullName(start.Name), parent)
	}
	return nil // encoding/xml has checked that the end element matches
}

// text reads the character data of the element name up to its end; child
// elements are errors.
func (p *parser) text(name string) (string, error) {
	p.text1 = p.text1[:0]
	for {
		tok, err := p.tokenIn(name)
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			p.text1 = append(p.text1, t...)
		case xml.StartElement:
			return "", p.errorf("unexpected element <%s> in <%s>", fullName(t.Name), name)
		case xml.EndElement:
			return string(p.text1), nil
		}
	}
}

// params reads <param> elements up to </params>.
func (p *parser) params() ([]any, error) {
	var params []any
	for {
		tok, err := p.nextElement("params")
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			return params, nil
		}
		if err := p.checkName(start.Name, "param"); err != nil {
			return nil, err
		}
		if err := p.expectStart("value", "param"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		params = append(params, v)
		if err := p.expectEnd("param"); err != nil {
			return nil, err
		}
	}
}

// fault reads the content of <fault> up to and including </fault>.
func (p *parser) fault() (*Fault, error) {
	if err := p.expectStart("value", "fault"); err != nil {
		return nil, err
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd("fault"); err != nil {
		return nil, err
	}
	s, ok := v.(Struct)
	if !ok || len(s) != 2 {
		return nil, p.errorf("<fault> value is not a struct of faultCode and faultString")
	}
	code, ok1 := s.Get("faultCode")
	str, ok2 := s.Get("faultString")
	c, ok3 := code.(int64)
	fs, ok4 := str.(string)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, p.errorf("<fault> value is not a struct of faultCode (int) and faultString (string)")
	}
	if c > math.MaxInt32 || c < math.MinInt32 {
		return nil, p.errorf("faultCode %d outside the 32-bit range", c)
	}
	return &Fault{Code: int(c), String: fs}, nil
}

// value reads the content of a <value> element up to its end.
func (p *parser) value() (any, error) {
	p.text1 = p.text1[:0]
	for {
		tok, err := p.tokenIn("value")
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			p.text1 = append(p.text1, t...)
		case xml.EndElement:
			// Untyped value: a string, exactly as written.
			return string(p.text1), nil
		case xml.StartElement:
			if !isSpace(p.text1) {
				return nil, p.errorf("unexpected text %q in <value>", shorten(p.text1))
			}
			v, err := p.typed(t)
			if err != nil {
				return nil, err
			}
			if err := p.expectEnd("value"); err != nil {
				return nil, err
			}
			return v, nil
		}
	}
}

// typed reads a typed value element whose start is start, up to its end.
func (p *parser) typed(start xml.StartElement) (any, error) {
	name := start.Name.Local
	if start.Name.Space != "" {
		ext := start.Name.Space == "ex" || start.Name.Space == apacheExtensions
		if !ext || (name != "nil" && name != "i8") {
			return nil, p.errorf("unsupported value type <%s>", fullName(start.Name))
		}
	}
	switch name {
	case "array":
		return p.array()
	case "struct":
		return p.structValue()
	case "string":
		return p.text(name)
	}
	s, err := p.text(name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "int", "i4", "i8":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, &DecodeError{Line: p.line(), Msg: fmt.Sprintf("bad <%s> value %q", name, shorten([]byte(s))), Err: err}
		}
		return n, nil
	case "boolean":
		switch strings.TrimSpace(s) {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
		return nil, p.errorf("bad <boolean> value %q (want 0 or 1)", shorten([]byte(s)))
	case "double":
		return p.double(s)
	case "dateTime.iso8601":
		return p.dateTime(s)
	case "base64":
		return p.base64(s)
	case "nil":
		if !isSpace([]byte(s)) {
			return nil, p.errorf("<nil> is not empty")
		}
		return nil, nil
	}
	return nil, p.errorf("unsupported value type <%s>", name)
}

func (p *parser) double(s string) (any, error) {
	t := strings.TrimSpace(s)
	// strconv accepts hexadecimal floats and underscores, Python does not.
	if strings.ContainsAny(t, "xX_pP") {
		return nil, p.errorf("bad <double> value %q", shorten([]byte(s)))
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, &DecodeError{Line: p.line(), Msg: fmt.Sprintf("bad <double> value %q", shorten([]byte(s))), Err: err}
	}
	return f, nil // out of range: ±Inf or 0, as Python's float()
}

func (p *parser) dateTime(s string) (any, error) {
	t := strings.TrimSpace(s)
	bad := func() error {
		return p.errorf("bad <dateTime.iso8601> value %q (want YYYYMMDDTHH:MM:SS)", shorten([]byte(s)))
	}
	if len(t) != 17 || t[8] != 'T' || t[11] != ':' || t[14] != ':' {
		return nil, bad()
	}
	num := func(s string) int {
		n := 0
		for _, c := range []byte(s) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d := num(t[0:4]), num(t[4:6]), num(t[6:8])
	h, mi, sec := num(t[9:11]), num(t[12:14]), num(t[15:17])
	if y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return nil, bad()
	}
	tm := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if tm.Day() != d { // 31 April and the like
		return nil, bad()
	}
	return tm, nil
}

func (p *parser) base64(s string) (any, error) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			clean = append(clean, c)
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		return nil, &DecodeError{Line: p.line(), Msg: "bad <base64> value", Err: err}
	}
	return out[:n], nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errorf("arrays and structs nested deeper than %d", MaxDepth)
	}
	return nil
}

// array reads the content of <array> up to its end.
func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if err := p.expectStart("data", "array"); err != nil {
		return nil, err
	}
	items := []any{}
	for {
		tok, err := p.nextElement("data")
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			break
		}
		if err := p.checkName(start.Name, "value"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	if err := p.expectEnd("array"); err != nil {
		return nil, err
	}
	return items, nil
}

// structValue reads the content of <struct> up to its end. A repeated name
// keeps its first position and takes the last value.
func (p *parser) structValue() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	s := Struct{}
	var index map[string]int // built once the struct is large
	for {
		tok, err := p.nextElement("struct")
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			return s, nil
		}
		if err := p.checkName(start.Name, "member"); err != nil {
			return nil, err
		}
		if err := p.expectStart("name", "member"); err != nil {
			return nil, err
		}
		name, err := p.text("name")
		if err != nil {
			return nil, err
		}
		if err := p.expectStart("value", "member"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if err := p.expectEnd("member"); err != nil {
			return nil, err
		}
		at := -1
		if index != nil {
			if i, ok := index[name]; ok {
				at = i
			}
		} else {
			for i := range s {
				if s[i].Name == name {
					at = i
					break
				}
			}
		}
		if at >= 0 {
			s[at].Value = v
			continue
		}
		s = append(s, Member{Name: name, Value: v})
		if index == nil && len(s) > 16 {
			index = make(map[string]int, 2*len(s))
			for i := range s {
				index[s[i].Name] = i
			}
		} else if index != nil {
			index[name] = len(s) - 1
		}
	}
}

// fullName returns n as written, with its namespace if any.
func fullName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// shorten returns b, cut to 40 bytes for an error message.
func shorten(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}
