package pytext

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// hexDigits are the digits of Python's \x, \u and \U escapes.
const hexDigits = "0123456789abcdef"

// Repr is Python's repr() of a str: single quotes unless the text holds a
// single quote and no double quote, with Python's escapes for the quote,
// the backslash, control and non-printable characters. A byte that is not
// valid UTF-8 is shown as Python shows it after decoding with
// surrogateescape (\udcXX).
func Repr(s string) string { return repr(s, false) }

// ASCII is Python's ascii() of a str: Repr with every non-ASCII character
// escaped.
func ASCII(s string) string { return repr(s, true) }

// repr is Repr, or ASCII when asciiOnly.
func repr(s string, asciiOnly bool) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = appendEscape(b, 'u', 0xdc00|rune(s[i]), 4)
			i++
			continue
		}
		i += size
		switch {
		case r < utf8.RuneSelf:
			b = appendASCII(b, byte(r), quote)
		case !asciiOnly && unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xff:
			b = appendEscape(b, 'x', r, 2)
		case r <= 0xffff:
			b = appendEscape(b, 'u', r, 4)
		default:
			b = appendEscape(b, 'U', r, 8)
		}
	}
	return string(append(b, quote))
}

// appendASCII appends an ASCII character as repr shows it between quote
// characters, in a str and in bytes alike: the quote and the backslash
// escaped, \t \n \r, other control characters as \xNN.
func appendASCII(b []byte, c, quote byte) []byte {
	switch {
	case c == quote || c == '\\':
		return append(b, '\\', c)
	case c == '\t':
		return append(b, '\\', 't')
	case c == '\n':
		return append(b, '\\', 'n')
	case c == '\r':
		return append(b, '\\', 'r')
	case c < ' ' || c == 0x7f:
		return appendEscape(b, 'x', rune(c), 2)
	}
	return append(b, c)
}

// appendEscape appends \<kind> and r as width lower-case hex digits.
func appendEscape(b []byte, kind byte, r rune, width int) []byte {
	b = append(b, '\\', kind)
	for shift := 4 * (width - 1); shift >= 0; shift -= 4 {
		b = append(b, hexDigits[(r>>shift)&0xf])
	}
	return b
}

// BytesRepr is Python's repr() of a bytes value, e.g. b'a\xff\n'.
func BytesRepr(p []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(p, '\'') >= 0 && bytes.IndexByte(p, '"') < 0 {
		quote = '"'
	}
	b := make([]byte, 0, len(p)+3)
	b = append(b, 'b', quote)
	for _, c := range p {
		if c < utf8.RuneSelf {
			b = appendASCII(b, c, quote)
		} else {
			b = appendEscape(b, 'x', rune(c), 2)
		}
	}
	return string(append(b, quote))
}

// FloatRepr is Python's repr() of a float: the shortest text that reads
// back as f, in positional notation from 1e-4 up to 1e16 (with ".0" for an
// integral value) and in exponent notation otherwise.
func FloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	abs := math.Abs(f)
	if f == math.Trunc(f) && abs < 1e16 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	if abs >= 1e-4 && abs < 1e16 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}
