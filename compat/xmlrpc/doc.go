// Package xmlrpc is the XML-RPC wire codec of the compat layer: it decodes the
// methodCall documents that Python's xmlrpc.client (supervisorctl, Ansible,
// cesi, superlance, scripts) sends to /RPC2, and encodes methodResponse and
// fault documents byte for byte as Supervisor 4.2.5 does, that is, in the
// layout of Python's xmlrpc.client.dumps(..., methodresponse=True). It is built
// on encoding/xml and has no knowledge of HTTP or of Supervisor's methods.
//
// # Values
//
// Decoded values have these Go types (the encoder accepts them too):
//
//	<int>, <i4>, <i8>           int64
//	<boolean>                   bool ("1" or "0", surrounding space allowed)
//	<string>, untyped <value>   string (text kept exactly, whitespace included)
//	<double>                    float64
//	<dateTime.iso8601>          time.Time ("%Y%m%dT%H:%M:%S", years 1-9999; decoded
//	                            in UTC, encoded as the wall clock of its location)
//	<base64>                    []byte (whitespace inside is ignored)
//	<nil/>                      nil (also the Apache extension <ex:nil/>)
//	<array>                     []any
//	<struct>                    Struct (members in document order)
//
// <base64> decodes to []byte, not to text as Supervisor's own parser does:
// callers that expect a string convert it (string(b)), which is what
// Supervisor's as_string does for valid UTF-8. A struct with a repeated member
// name keeps the first position and the last value, as a Python dict would.
//
// The encoder additionally accepts every Go integer type, float32,
// []string, []int, []int64, []Struct, map[string]any (members sorted by name),
// and Fault or *Fault as a value (the {faultCode, faultString} struct that
// system.multicall returns for a failed call).
//
// # Decoding: strict and safe
//
// DecodeCall and DecodeResponse are strict where Supervisor's parser is
// loose, so that a malformed request is refused (HTTP 400) rather than
// misread: the document must have exactly one root of the right name, with
// children in the order the XML-RPC specification gives; text is allowed only
// where a value is; unknown value types (including <boolean>true</boolean>,
// which Supervisor silently reads as false) are errors. They are safe on
// hostile input: at most a given number of bytes is read, DOCTYPE (and so any
// entity declaration) is refused, only the five predefined entities and
// character references are expanded, array/struct nesting is bounded by
// MaxDepth, invalid UTF-8 and characters that XML 1.0 forbids are errors (a
// character reference to a surrogate reads as U+FFFD, as encoding/xml has it),
// and no input makes them panic. Documents in UTF-8 (the default), US-ASCII and
// ISO-8859-1 are understood; a leading UTF-8 byte order mark is ignored. Every
// error caused by the input is a *DecodeError.
//
// # Encoding: Python's bytes
//
// EncodeResponse, EncodeFault and EncodeCall produce exactly what
// xmlrpc.client.dumps produces for the same values, with these deliberate
// differences, each of which only affects values Python itself cannot send
// intact:
//
//   - A carriage return in a string is written as "&#13;". Python writes it raw,
//     and every XML parser then reads it back as a line feed; the reference is
//     kept so that log data survives the round trip.
//   - Text that is not valid UTF-8 (children's log output can be any bytes) has
//     each invalid byte replaced by U+FFFD, and characters that XML 1.0 forbids
//     (control characters other than tab, line feed and carriage return, and
//     U+FFFE, U+FFFF) are replaced by U+FFFD too. Python would emit a document
//     its own parser rejects (for example for ANSI colour escapes).
//   - nil is written as "<value><nil/></value>", which is Python's output with
//     allow_none=True (without a line feed after it, as Python does).
//   - EncodeCall escapes the method name, and writes integers outside the
//     32-bit range as <i8> (Python refuses them). EncodeResponse and
//     EncodeFault refuse such integers with ErrIntOverflow, as Python's
//     "int exceeds XML-RPC limits" does.
package xmlrpc
