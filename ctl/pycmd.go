package main

import (
	"strings"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// This file holds the pieces of Python's standard library whose exact
// behaviour supervisorctl 4.2.5 users see and that only supervisorctl
// needs: cmd.Cmd's line parsing and column layout, urlparse's URL check.
// Python's text functions (repr, strip, split, int) are internal/pytext.

// isIdentChar reports whether c belongs to cmd.Cmd's identchars (ASCII
// letters, digits and underscore).
func isIdentChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// parseLine is cmd.Cmd.parseline: it strips the line, turns a leading "?"
// into "help ", and splits the command word (identifier characters) from
// the rest. ok is false when the line names no command at all ("!..." or
// nothing before a non-identifier character).
func parseLine(line string) (name, arg, full string, ok bool) {
	full = pytext.Strip(line)
	if full == "" {
		return "", "", "", false
	}
	switch full[0] {
	case '?':
		full = "help " + full[1:]
	case '!':
		return "", "", full, false
	}
	i := 0
	for i < len(full) && isIdentChar(full[i]) {
		i++
	}
	return full[:i], pytext.Strip(full[i:]), full, true
}

// columnize lays out words in as few rows as fit displayWidth, column by
// column, separated by two spaces, exactly like cmd.Cmd.columnize (which
// keeps the padding of the last column of a row).
func columnize(words []string, displayWidth int) string {
	if len(words) == 0 {
		return "<empty>\n"
	}
	if len(words) == 1 {
		return words[0] + "\n"
	}
	size := len(words)
	nrows, ncols := size, 1
	colWidths := []int{0}
	for rows := 1; rows < size; rows++ {
		cols := (size + rows - 1) / rows
		widths := []int{}
		total := -2
		for col := 0; col < cols; col++ {
			w := 0
			for row := 0; row < rows; row++ {
				i := row + rows*col
				if i >= size {
					break
				}
				w = max(w, utf8.RuneCountInString(words[i]))
			}
			widths = append(widths, w)
			total += w + 2
			if total > displayWidth {
				break
			}
		}
		if total <= displayWidth {
			nrows, ncols, colWidths = rows, cols, widths
			break
		}
	}
	var b strings.Builder
	for row := 0; row < nrows; row++ {
		var texts []string
		for col := 0; col < ncols; col++ {
			i := row + nrows*col
			x := ""
			if i < size {
				x = words[i]
			}
			texts = append(texts, x)
		}
		for len(texts) > 0 && texts[len(texts)-1] == "" {
			texts = texts[:len(texts)-1]
		}
		for col := range texts {
			texts[col] = ljust(texts[col], colWidths[col])
		}
		b.WriteString(strings.Join(texts, "  "))
		b.WriteByte('\n')
	}
	return b.String()
}

// ljust pads s with spaces to width characters (Python's str.ljust and
// "%-Ns").
func ljust(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// urlScheme splits a URL the way Python's urlparse finds its scheme: the
// text before the first ":" if it starts with an ASCII letter and holds
// only letters, digits, "+", "-" and "."; the scheme is lower-cased. rest
// is what follows the colon (the whole URL if there is no scheme).
func urlScheme(u string) (scheme, rest string) {
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return "", u
	}
	c := u[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return "", u
	}
	for j := 0; j < i; j++ {
		c := u[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return "", u
		}
	}
	return strings.ToLower(u[:i]), u[i+1:]
}

// isURL is supervisor.datatypes.url's check: a scheme and a network
// location or a path.
func isURL(u string) bool {
	scheme, rest := urlScheme(u)
	if scheme == "" {
		return false
	}
	if cut := strings.IndexAny(rest, "?#"); cut >= 0 {
		rest = rest[:cut]
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		netloc := rest
		path := ""
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			netloc, path = rest[:i], rest[i:]
		}
		return netloc != "" || path != ""
	}
	return rest != ""
}
