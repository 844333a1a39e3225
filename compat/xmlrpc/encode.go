package xmlrpc

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

const xmlHeader = "<?xml version='1.0'?>\n"

// encoder appends values in xmlrpc.client's Marshaller layout.
type encoder struct {
	buf   []byte
	depth int
	// allowI8 writes integers outside the 32-bit range as <i8> instead of
	// failing (used for calls, which go to servers that accept <i8>).
	allowI8 bool
}

// AppendResponse appends to dst a methodResponse carrying v as its one
// parameter, in the layout of Python's xmlrpc.client.dumps((v,),
// methodresponse=True), and returns the extended slice. If v is a Fault or
// *Fault it appends a fault response instead (as Supervisor's xmlrpc_marshal
// does). On error dst is returned unchanged.
func AppendResponse(dst []byte, v any) ([]byte, error) {
	switch f := v.(type) {
	case *Fault:
		return AppendFault(dst, f)
	case Fault:
		return AppendFault(dst, &f)
	}
	return appendResponse(dst, v, false)
}

// appendResponse appends a methodResponse carrying v; allowI8 writes integers
// outside the 32-bit range as <i8> instead of failing.
func appendResponse(dst []byte, v any, allowI8 bool) ([]byte, error) {
	e := encoder{buf: dst, allowI8: allowI8}
	if cap(dst)-len(dst) < 64<<10 {
		// Grow once instead of doubling through a large response.
		if n, ok := sizeHint(v, 0); ok {
			e.buf = slices.Grow(e.buf, n+128)
		}
	}
	e.buf = append(e.buf, xmlHeader+"<methodResponse>\n<params>\n<param>\n"...)
	if err := e.value(v); err != nil {
		return dst, err
	}
	e.buf = append(e.buf, "</param>\n</params>\n</methodResponse>\n"...)
	return e.buf, nil
}

// AppendFault appends to dst a methodResponse carrying the fault f, in the
// layout of Python's xmlrpc.client.dumps(Fault(...)), and returns the extended
// slice. On error (a nil fault, a code outside the 32-bit range) dst is
// returned unchanged.
func AppendFault(dst []byte, f *Fault) ([]byte, error) {
	if f == nil {
		return dst, &EncodeError{Err: errors.New("nil fault")}
	}
	e := encoder{buf: dst}
	e.buf = append(e.buf, xmlHeader+"<methodResponse>\n<fault>\n"...)
	if err := e.fault(f); err != nil {
		return dst, err
	}
	e.buf = append(e.buf, "</fault>\n</methodResponse>\n"...)
	return e.buf, nil
}

// AppendCall appends to dst a methodCall of method with params, in the layout
// of Python's xmlrpc.client.dumps(params, method), and returns the extended
// slice. Unlike Python it escapes the method name and writes integers outside
// the 32-bit range as <i8>. On error dst is returned unchanged.
func AppendCall(dst []byte, method string, params ...any) ([]byte, error) {
	if method == "" {
		return dst, &EncodeError{Err: errors.New("empty method name")}
	}
	e := encoder{buf: dst, allowI8: true}
	e.buf = append(e.buf, xmlHeader+"<methodCall>\n<methodName>"...)
	e.text(method)
	e.buf = append(e.buf, "</methodName>\n<params>\n"...)
	for i, p := range params {
		e.buf = append(e.buf, "<param>\n"...)
		if err := e.value(p); err != nil {
			return dst, prependPath(err, "params["+strconv.Itoa(i)+"]")
		}
		e.buf = append(e.buf, "</param>\n"...)
	}
	e.buf = append(e.buf, "</params>\n</methodCall>\n"...)
	return e.buf, nil
}

// bufPool holds buffers for the io.Writer variants.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooled is the largest buffer kept in bufPool.
const maxPooled = 4 << 20

// writeWith encodes with appendFn into a pooled buffer and writes it to w in
// one Write call.
func writeWith(w io.Writer, appendFn func([]byte) ([]byte, error)) error {
	bp := bufPool.Get().(*[]byte)
	b, err := appendFn((*bp)[:0])
	if err == nil {
		_, err = w.Write(b)
		if err != nil {
			err = fmt.Errorf("xmlrpc: writing document: %w", err)
		}
	}
	if cap(b) <= maxPooled {
		*bp = b[:0]
		bufPool.Put(bp)
	}
	return err
}

// EncodeResponse writes a methodResponse carrying v to w (see AppendResponse).
// Nothing is written if v cannot be encoded.
func EncodeResponse(w io.Writer, v any) error {
	return writeWith(w, func(b []byte) ([]byte, error) { return AppendResponse(b, v) })
}

// EncodeFault writes a methodResponse carrying the fault f to w (see
// AppendFault). Nothing is written if f cannot be encoded.
func EncodeFault(w io.Writer, f *Fault) error {
	return writeWith(w, func(b []byte) ([]byte, error) { return AppendFault(b, f) })
}

// EncodeCall writes a methodCall of method with params to w (see AppendCall).
// Nothing is written if a parameter cannot be encoded.
func EncodeCall(w io.Writer, method string, params ...any) error {
	return writeWith(w, func(b []byte) ([]byte, error) { return AppendCall(b, method, params...) })
}

// prependPath adds a path element to an *EncodeError.
func prependPath(err error, elem string) error {
	var ee *EncodeError
	if errors.As(err, &ee) {
		if ee.Path == "" || ee.Path[0] == '[' {
			ee.Path = elem + ee.Path
		} else {
			ee.Path = elem + "." + ee.Path
		}
	}
	return err
}

func (e *encoder) fault(f *Fault) error {
	if f.Code > math.MaxInt32 || f.Code < math.MinInt32 {
		return &EncodeError{Path: "faultCode", Err: fmt.Errorf("int %d: %w", f.Code, ErrIntOverflow)}
	}
	e.buf = append(e.buf, "<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>"...)
	e.buf = strconv.AppendInt(e.buf, int64(f.Code), 10)
	e.buf = append(e.buf, "</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>"...)
	e.text(f.String)
	e.buf = append(e.buf, "</string></value>\n</member>\n</struct></value>\n"...)
	return nil
}

// value appends one <value> element.
func (e *encoder) value(v any) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "<value><nil/></value>"...)
	case string:
		e.str(x)
	case bool:
		if x {
			e.buf = append(e.buf, "<value><boolean>1</boolean></value>\n"...)
		} else {
			e.buf = append(e.buf, "<value><boolean>0</boolean></value>\n"...)
		}
	case int:
		return e.int(int64(x))
	case int64:
		return e.int(x)
	case int32:
		return e.int(int64(x))
	case int16:
		return e.int(int64(x))
	case int8:
		return e.int(int64(x))
	case uint:
		return e.uint(uint64(x))
	case uint64:
		return e.uint(x)
	case uint32:
		return e.int(int64(x))
	case uint16:
		return e.int(int64(x))
	case uint8:
		return e.int(int64(x))
	case float64:
		e.double(x)
	case float32:
		e.double(float64(x))
	case Struct:
		return e.structValue(x)
	case []any:
		return e.anyArray(x)
	case []byte:
		e.base64(x)
	case time.Time:
		return e.time(x)
	case []string:
		return e.array(len(x), func(i int) any { return x[i] })
	case []int:
		return e.array(len(x), func(i int) any { return x[i] })
	case []int64:
		return e.array(len(x), func(i int) any { return x[i] })
	case []Struct:
		return e.array(len(x), func(i int) any { return x[i] })
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		s := make(Struct, len(keys))
		for i, k := range keys {
			s[i] = Member{Name: k, Value: x[k]}
		}
		return e.structValue(s)
	case *Fault:
		if x == nil {
			return &EncodeError{Err: errors.New("nil *Fault")}
		}
		return e.faultValue(x)
	case Fault:
		return e.faultValue(&x)
	case Marshaler:
		return x.MarshalXMLRPC(&Writer{e: e})
	default:
		return &EncodeError{Err: fmt.Errorf("unsupported type %T", v)}
	}
	return nil
}

func (e *encoder) faultValue(f *Fault) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	return e.fault(f)
}

func (e *encoder) int(x int64) error {
	if x > math.MaxInt32 || x < math.MinInt32 {
		if !e.allowI8 {
			return &EncodeError{Err: fmt.Errorf("int %d: %w", x, ErrIntOverflow)}
		}
		e.buf = append(e.buf, "<value><i8>"...)
		e.buf = strconv.AppendInt(e.buf, x, 10)
		e.buf = append(e.buf, "</i8></value>\n"...)
		return nil
	}
	e.buf = append(e.buf, "<value><int>"...)
	e.buf = strconv.AppendInt(e.buf, x, 10)
	e.buf = append(e.buf, "</int></value>\n"...)
	return nil
}

func (e *encoder) uint(x uint64) error {
	if x > math.MaxInt64 {
		return &EncodeError{Err: fmt.Errorf("int %d: %w", x, ErrIntOverflow)}
	}
	return e.int(int64(x))
}

func (e *encoder) str(s string) {
	e.buf = append(e.buf, "<value><string>"...)
	e.text(s)
	e.buf = append(e.buf, "</string></value>\n"...)
}

func (e *encoder) double(f float64) {
	e.buf = append(e.buf, "<value><double>"...)
	e.buf = appendPythonFloat(e.buf, f)
	e.buf = append(e.buf, "</double></value>\n"...)
}

// appendPythonFloat appends repr(f) as Python 3 writes it: the shortest
// representation that reads back as f, in fixed notation with at least one
// digit after the point when the decimal exponent is in [-4, 16), else in
// exponent notation with a sign and at least two exponent digits.
func appendPythonFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	// The shortest digits, with a decimal exponent: d.ddde±XX.
	var tmp [32]byte
	es := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	i := strings.LastIndexByte(string(es), 'e')
	exp, _ := strconv.Atoi(string(es[i+1:]))
	// Python's decpt is exp+1; it uses exponent notation when decpt <= -4 or
	// decpt > 16.
	if exp < -4 || exp >= 16 {
		return append(b, es...) // Go's 'e' layout equals Python's here.
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if !strings.ContainsRune(string(b[start:]), '.') {
		b = append(b, ".0"...)
	}
	return b
}

func (e *encoder) base64(p []byte) {
	e.buf = append(e.buf, "<value><base64>\n"...)
	// base64.encodebytes: lines of 76 characters (57 input bytes), each ended
	// by a line feed.
	for len(p) > 0 {
		n := min(len(p), 57)
		e.buf = base64.StdEncoding.AppendEncode(e.buf, p[:n])
		e.buf = append(e.buf, '\n')
		p = p[n:]
	}
	e.buf = append(e.buf, "</base64></value>\n"...)
}

func (e *encoder) time(t time.Time) error {
	y := t.Year()
	if y < 1 || y > 9999 {
		return &EncodeError{Err: fmt.Errorf("time %v: year outside 1-9999", t)}
	}
	e.buf = append(e.buf, "<value><dateTime.iso8601>"...)
	e.buf = t.AppendFormat(e.buf, "20060102T15:04:05")
	e.buf = append(e.buf, "</dateTime.iso8601></value>\n"...)
	return nil
}

func (e *encoder) array(n int, at func(int) any) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	e.buf = append(e.buf, "<value><array><data>\n"...)
	for i := 0; i < n; i++ {
		if err := e.value(at(i)); err != nil {
			return prependPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	e.buf = append(e.buf, "</data></array></value>\n"...)
	return nil
}

// anyArray is array for []any, without the indirection.
func (e *encoder) anyArray(x []any) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	e.buf = append(e.buf, "<value><array><data>\n"...)
	for i := range x {
		if err := e.value(x[i]); err != nil {
			return prependPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	e.buf = append(e.buf, "</data></array></value>\n"...)
	return nil
}

func (e *encoder) structValue(s Struct) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	e.buf = append(e.buf, "<value><struct>\n"...)
	for i := range s {
		e.buf = append(e.buf, "<member>\n<name>"...)
		e.text(s[i].Name)
		e.buf = append(e.buf, "</name>\n"...)
		if err := e.value(s[i].Value); err != nil {
			return prependPath(err, s[i].Name)
		}
		e.buf = append(e.buf, "</member>\n"...)
	}
	e.buf = append(e.buf, "</struct></value>\n"...)
	return nil
}

// special marks the bytes that text cannot copy as they are: the three that
// Python escapes, carriage return, the other C0 controls except tab and line
// feed, and every non-ASCII byte (checked for UTF-8 validity and XML legality).
var special = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		if c != '\t' && c != '\n' {
			t[c] = 1
		}
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = 1
	}
	t['&'], t['<'], t['>'] = 1, 1, 1
	return t
}()

// plainPrefix returns the length of the longest prefix of s without a special
// byte. It tests eight bytes per branch (measured about twice as fast as a
// byte loop, and faster than bit tricks on 64-bit words).
func plainPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if special[s[i]]|special[s[i+1]]|special[s[i+2]]|special[s[i+3]]|
			special[s[i+4]]|special[s[i+5]]|special[s[i+6]]|special[s[i+7]] != 0 {
			break
		}
	}
	for ; i < len(s) && special[s[i]] == 0; i++ {
	}
	return i
}

// text appends s as XML character data: & < > escaped as Python does, \r as a
// character reference, invalid UTF-8 and characters illegal in XML 1.0
// replaced by U+FFFD.
func (e *encoder) text(s string) {
	i := plainPrefix(s)
	if i == len(s) {
		e.buf = append(e.buf, s...)
		return
	}
	e.buf = append(e.buf, s[:i]...)
	e.textSlow(s[i:])
}

func (e *encoder) textSlow(s string) {
	last := 0 // s[last:i] is pending plain text
	for i := 0; i < len(s); {
		c := s[i]
		if special[c] == 0 {
			i += plainPrefix(s[i:])
			continue
		}
		var rep string
		size := 1
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '\r':
			rep = "&#13;"
		case c < 0x20:
			rep = "\uFFFD"
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if (r != utf8.RuneError || n != 1) && r != 0xFFFE && r != 0xFFFF {
				i += n
				continue // valid and legal: copied with the plain text
			}
			rep = "\uFFFD"
		}
		e.buf = append(e.buf, s[last:i]...)
		e.buf = append(e.buf, rep...)
		i += size
		last = i
	}
	e.buf = append(e.buf, s[last:]...)
}

// sizeHint estimates the encoded size of v (exact for plain ASCII text). It
// reports false for values nested deeper than MaxDepth, which the encoder
// refuses anyway.
func sizeHint(v any, depth int) (int, bool) {
	const value = len("<value></value>\n")
	switch x := v.(type) {
	case Sizer:
		return x.XMLRPCSize(), true
	case string:
		return value + len("<string></string>") + len(x), true
	case int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8:
		return value + len("<int></int>") + 11, true
	case bool:
		return value + len("<boolean>1</boolean>"), true
	case []byte:
		return value + len("<base64>\n</base64>") + base64.StdEncoding.EncodedLen(len(x)) + len(x)/57 + 1, true
	case []any:
		if depth >= MaxDepth {
			return 0, false
		}
		n := value + len("<array><data>\n</data></array>")
		for _, e := range x {
			m, ok := sizeHint(e, depth+1)
			if !ok {
				return 0, false
			}
			n += m
		}
		return n, true
	case Struct:
		if depth >= MaxDepth {
			return 0, false
		}
		n := value + len("<struct>\n</struct>")
		for i := range x {
			m, ok := sizeHint(x[i].Value, depth+1)
			if !ok {
				return 0, false
			}
			n += len("<member>\n<name></name>\n</member>\n") + len(x[i].Name) + m
		}
		return n, true
	case []Struct:
		n := value + len("<array><data>\n</data></array>")
		for i := range x {
			m, ok := sizeHint(x[i], depth+1)
			if !ok {
				return 0, false
			}
			n += m
		}
		return n, true
	}
	return 64, true // other scalars, and containers the encoder grows for
}
