package xmlrpc

import "fmt"

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
