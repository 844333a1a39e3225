package xmlrpc

import (
	"fmt"
	"math"
	"strconv"
)

// Marshaler is a value that writes its own XML-RPC encoding: one complete
// value, through the Writer's typed methods. Hot paths use it instead of
// building a Struct, whose members box every field into an interface.
type Marshaler interface {
	MarshalXMLRPC(w *Writer) error
}

// Sizer may be implemented by a Marshaler to say roughly how many bytes it
// writes, so a large response is allocated once.
type Sizer interface {
	XMLRPCSize() int
}

// Writer appends values in the same layout (and with the same text
// policy) as EncodeResponse.
type Writer struct {
	e *encoder
}

// String appends a string value.
func (w *Writer) String(s string) { w.e.str(s) }

// Int appends an int value; outside the 32-bit range it fails as
// EncodeResponse does.
func (w *Writer) Int(x int64) error { return w.e.int(x) }

// Bool appends a boolean value.
func (w *Writer) Bool(b bool) {
	if b {
		w.e.buf = append(w.e.buf, "<value><boolean>1</boolean></value>\n"...)
	} else {
		w.e.buf = append(w.e.buf, "<value><boolean>0</boolean></value>\n"...)
	}
}

// Value appends any value EncodeResponse accepts.
func (w *Writer) Value(v any) error { return w.e.value(v) }

// BeginStruct opens a struct value; Member names each member before its
// value, and EndStruct closes it.
func (w *Writer) BeginStruct() error {
	w.e.depth++
	if w.e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	w.e.buf = append(w.e.buf, "<value><struct>\n"...)
	return nil
}

// Member opens a member: the next value written is its value, and the
// member closes at the next Member or EndStruct.
func (w *Writer) Member(name string) {
	w.e.buf = append(w.e.buf, "<member>\n<name>"...)
	w.e.text(name)
	w.e.buf = append(w.e.buf, "</name>\n"...)
}

// Key is a member name framed once for StringMember and IntMember, so
// that a list of a thousand structs does not escape and frame the same
// names a thousand times.
type Key struct {
	// str and int are the member's opening up to its value's text.
	str, int string
	name     string
}

// NewKey prepares a member name.
func NewKey(name string) Key {
	e := &encoder{}
	e.buf = append(e.buf, "<member>\n<name>"...)
	e.text(name)
	e.buf = append(e.buf, "</name>\n"...)
	open := string(e.buf)
	return Key{str: open + "<value><string>", int: open + "<value><int>", name: name}
}

// StringMember appends a member with a string value: the same bytes as
// Member, String and EndMember.
func (w *Writer) StringMember(k Key, s string) {
	w.e.buf = append(w.e.buf, k.str...)
	w.e.text(s)
	w.e.buf = append(w.e.buf, "</string></value>\n</member>\n"...)
}

// IntMember appends a member with an int value: the same bytes (and the
// failure outside the 32-bit range, naming the member as a Struct's does)
// as Member, Int and EndMember.
func (w *Writer) IntMember(k Key, x int64) error {
	if x > math.MaxInt32 || x < math.MinInt32 {
		w.Member(k.name)
		if err := w.Int(x); err != nil {
			return prependPath(err, k.name)
		}
		w.EndMember()
		return nil
	}
	w.e.buf = append(w.e.buf, k.int...)
	w.e.buf = strconv.AppendInt(w.e.buf, x, 10)
	w.e.buf = append(w.e.buf, "</int></value>\n</member>\n"...)
	return nil
}

// EndMember closes the member opened by Member.
func (w *Writer) EndMember() { w.e.buf = append(w.e.buf, "</member>\n"...) }

// EndStruct closes the struct opened by BeginStruct.
func (w *Writer) EndStruct() {
	w.e.depth--
	w.e.buf = append(w.e.buf, "</struct></value>\n"...)
}

// BeginArray opens an array value; EndArray closes it.
func (w *Writer) BeginArray() error {
	w.e.depth++
	if w.e.depth > MaxDepth {
		return &EncodeError{Err: fmt.Errorf("nesting deeper than %d", MaxDepth)}
	}
	w.e.buf = append(w.e.buf, "<value><array><data>\n"...)
	return nil
}

// EndArray closes the array opened by BeginArray.
func (w *Writer) EndArray() {
	w.e.depth--
	w.e.buf = append(w.e.buf, "</data></array></value>\n"...)
}

// Len returns the number of bytes written so far (of the whole answer),
// a mark for Since.
func (w *Writer) Len() int { return len(w.e.buf) }

// Since returns the bytes written after the mark Len returned. They are
// the Writer's own: valid until the next write, to be copied if kept.
func (w *Writer) Since(mark int) []byte { return w.e.buf[mark:] }

// Raw appends b unchanged: bytes an earlier Writer wrote (see Since),
// whole members or values of a struct or array that is open here. It lets
// a caller reuse the encoding of what did not change since.
func (w *Writer) Raw(b []byte) { w.e.buf = append(w.e.buf, b...) }
