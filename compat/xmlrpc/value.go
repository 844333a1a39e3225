package xmlrpc

import (
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of arrays and structs that the decoders
// accept and the encoders write. A top-level array counts as depth 1.
const MaxDepth = 64

// DefaultLimit is the document size DecodeCall and DecodeResponse use when
// they are given a limit of zero or less.
const DefaultLimit = 4 << 20

// Member is one named value of a Struct.
type Member struct {
	// Name is the member name (<name>).
	Name string
	// Value is the member value, of one of the types listed in the package
	// documentation.
	Value any
}

// Struct is an XML-RPC struct that keeps its members in order: the encoder
// writes them in slice order, as Python writes a dict in insertion order.
type Struct []Member

// Get returns the value of the first member called name, and whether there is
// one.
func (s Struct) Get(name string) (any, bool) {
	for i := range s {
		if s[i].Name == name {
			return s[i].Value, true
		}
	}
	return nil, false
}

// Fault is an XML-RPC fault: the error answer of a method call.
type Fault struct {
	// Code is the faultCode (Supervisor's codes are listed in its Faults class).
	Code int
	// String is the faultString, for Supervisor "NAME" or "NAME: detail".
	String string
}

// Error returns the fault as text, for example "fault 10: BAD_NAME: foo".
func (f *Fault) Error() string {
	return fmt.Sprintf("fault %d: %s", f.Code, f.String)
}

// DecodeError reports a document that is not an acceptable XML-RPC message:
// malformed XML, a structure that is not XML-RPC, a value that cannot be
// parsed, or one over the size or depth limits.
type DecodeError struct {
	// Line is the line of the document the error was found on (0 if unknown).
	Line int
	// Msg says what is wrong.
	Msg string
	// Err is the underlying error, if any (an *xml.SyntaxError, a strconv
	// error, ErrTooLarge, ...).
	Err error
}

// Error returns the message, prefixed with "xmlrpc: " and the line.
func (e *DecodeError) Error() string {
	s := "xmlrpc: "
	if e.Line > 0 {
		s += fmt.Sprintf("line %d: ", e.Line)
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the DecodeError returned for a document longer than
// the limit.
var ErrTooLarge = errors.New("document too large")

// ErrNoMethodName is wrapped by the DecodeCall error of a well-formed start
// of a methodCall without a method name (4.2.5 logs these apart from
// unparsable ones).
var ErrNoMethodName = errors.New("no method name")

// ErrIntOverflow is wrapped by the error returned when an integer to encode in
// a response does not fit in 32 bits (Python: "int exceeds XML-RPC limits").
var ErrIntOverflow = errors.New("int exceeds XML-RPC limits")

// EncodeError reports a value that cannot be encoded.
type EncodeError struct {
	// Path locates the value, for example "[3].pid" (empty for the top level).
	Path string
	// Err says what is wrong with it.
	Err error
}

// Error returns the message, with the path of the value.
func (e *EncodeError) Error() string {
	if e.Path == "" {
		return "xmlrpc: cannot encode value: " + e.Err.Error()
	}
	return "xmlrpc: cannot encode value at " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *EncodeError) Unwrap() error { return e.Err }
