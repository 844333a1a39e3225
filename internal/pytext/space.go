package pytext

import (
	"strings"
	"unicode"
)

// IsSpace reports whether Python's str.isspace() holds for r: Unicode white
// space plus the ASCII separators U+001C to U+001F.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// Strip is Python's str.strip() without arguments.
func Strip(s string) string { return strings.TrimFunc(s, IsSpace) }

// RStrip is Python's str.rstrip() without arguments.
func RStrip(s string) string { return strings.TrimRightFunc(s, IsSpace) }

// Split is Python's str.split() without arguments: the words between runs
// of white space, none of them empty.
func Split(s string) []string { return strings.FieldsFunc(s, IsSpace) }
