package pytext

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrSyntax is the error of ParseInt and ParseIntBytes for text that
// Python's int() rejects with "invalid literal for int()".
var ErrSyntax = errors.New("invalid literal for int()")

// ErrRange is the error of ParseInt and ParseIntBytes for a valid integer
// outside the int64 range (Python's integers are unbounded; ours are not).
var ErrRange = errors.New("integer out of the int64 range")

// ParseInt is Python's int(s, base) for a str and base 10 or 8: white space
// around the number, an optional sign, then digits, which may be any
// Unicode decimal digit, with single underscores between them; in base 8
// an optional 0o or 0O prefix, which an underscore may follow. The white
// space is not quite IsSpace's: in ASCII only space and \t to \r count
// (int() rejects U+001C to U+001F, which str.isspace() accepts).
func ParseInt(s string, base int) (int64, error) {
	if base != 10 && base != 8 {
		return 0, fmt.Errorf("pytext.ParseInt: base %d is not supported", base)
	}
	t := strings.TrimFunc(s, isIntSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	prefixed := false
	if base == 8 && len(t) >= 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O') {
		t = t[2:]
		prefixed = true
	}
	return parseDigits(t, base, neg, prefixed, false)
}

// ParseIntBytes is Python's int(b) for a bytes value: ASCII white space
// (space, \t, \n, \v, \f, \r) around the number, an optional sign, then
// ASCII digits with single underscores between them. Bytes are not decoded,
// so a non-ASCII digit is an error, as in Python.
func ParseIntBytes(b []byte) (int64, error) {
	i, j := 0, len(b)
	for i < j && isASCIISpace(b[i]) {
		i++
	}
	for j > i && isASCIISpace(b[j-1]) {
		j--
	}
	t := string(b[i:j])
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	return parseDigits(t, 10, neg, false, true)
}

// isIntSpace reports whether int() of a str skips r around the number:
// ASCII white space as for bytes, and any other character str.isspace()
// accepts.
func isIntSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIISpace(byte(r))
	}
	return IsSpace(r)
}

// isASCIISpace reports whether c is white space for Python's bytes
// (Py_ISSPACE).
func isASCIISpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// parseDigits converts the digits of a number whose sign and base prefix
// were already consumed. An underscore may stand between two digits, and
// after a base prefix.
func parseDigits(t string, base int, neg, prefixed, asciiOnly bool) (int64, error) {
	if t == "" {
		return 0, ErrSyntax
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var n uint64
	overflow := false
	prevUnderscore := !prefixed
	for i, c := range t {
		if c == '_' {
			if prevUnderscore || i == len(t)-1 {
				return 0, ErrSyntax
			}
			prevUnderscore = true
			continue
		}
		d := digitValue(c, asciiOnly)
		if d < 0 || d >= base {
			return 0, ErrSyntax
		}
		prevUnderscore = false
		if !overflow && n > (limit-uint64(d))/uint64(base) {
			overflow = true
		}
		if !overflow {
			n = n*uint64(base) + uint64(d)
		}
	}
	if overflow {
		return 0, ErrRange
	}
	if neg {
		return -int64(n), nil
	}
	return int64(n), nil
}

// digitValue returns the value of a decimal digit, or -1. Python's int() of
// a str accepts any Unicode decimal digit (category Nd); they come in
// complete runs of ten starting at zero, so the value is the offset in the
// run.
func digitValue(c rune, asciiOnly bool) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	if asciiOnly || !unicode.IsDigit(c) {
		return -1
	}
	start := c
	for unicode.IsDigit(start - 1) {
		start--
	}
	return int(c-start) % 10
}
