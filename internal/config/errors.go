package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a configuration error. Its Error() text is exactly the message
// Supervisor 4.2.5 gives for the same problem, without the "Error: " prefix
// that supervisord prints in front of it (and without the "CANT_REREAD: "
// prefix of reloadConfig).
type Error struct {
	// Msg is Supervisor's message text.
	Msg string
	// Err is the underlying cause, if any (for example an *os.PathError).
	Err error
}

// Error returns Supervisor's message text.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error from a format.
func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// valueError is the equivalent of a Python ValueError raised by a datatype
// converter: its text is later decorated (section suffix) by the caller.
type valueError struct{ msg string }

func (e *valueError) Error() string { return e.msg }

func valueErrorf(format string, args ...any) error {
	return &valueError{msg: fmt.Sprintf(format, args...)}
}

// pyRepr renders s the way Python's repr() renders a str: single quotes
// unless the text holds a single quote and no double quote, with Python's
// escapes for the quote, backslash, control and non-printable characters.
// Bytes that are not valid UTF-8 are shown as Python shows surrogate-escaped
// bytes (\udcXX).
func pyRepr(s string) string { return pyReprMode(s, false) }

// PyRepr renders s as Python's repr() renders a str, for messages that
// must read exactly like Supervisor's (its texts use %r).
func PyRepr(s string) string { return pyRepr(s) }

// pyASCII renders s the way Python's ascii() does: like repr, with every
// non-ASCII character escaped.
func pyASCII(s string) string { return pyReprMode(s, true) }

func pyReprMode(s string, asciiOnly bool) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\udc%02x`, s[i])
			i++
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case !asciiOnly && unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// pyIsSpace reports whether Python's str.isspace() holds for r.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyStrip is Python's str.strip() without arguments.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyRStrip is Python's str.rstrip() without arguments.
func pyRStrip(s string) string { return strings.TrimRightFunc(s, pyIsSpace) }
