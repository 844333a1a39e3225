package dotenv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// Var is one assignment of a file.
type Var struct {
	// Name is the variable name.
	Name string
	// Value is its value, quotes and escapes resolved.
	Value string
	// Line is the line of the file the assignment starts on (from 1).
	Line int
}

// Error is a syntax error of an environment file.
type Error struct {
	// File is the file name as given to Parse.
	File string
	// Line is the line of the error (from 1).
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error returns "FILE, line N: MSG".
func (e *Error) Error() string { return fmt.Sprintf("%s, line %d: %s", e.File, e.Line, e.Msg) }

// maxFileBytes bounds an environment file, so that a wrong path (a log, a
// device) fails clearly instead of filling memory.
const maxFileBytes = 4 << 20

// ReadFile reads and parses the environment file at path.
func ReadFile(path string) ([]Var, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes; is it an environment file?", path, maxFileBytes)
	}
	return Parse(data, path)
}

// Parse parses the content of an environment file; name is the file name
// used in errors. It returns the assignments in file order.
func Parse(data []byte, name string) ([]Var, error) {
	p := &parser{name: name, lines: splitLines(data)}
	var vars []Var
	for p.i < len(p.lines) {
		v, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if ok {
			vars = append(vars, v)
		}
	}
	return vars, nil
}

// Map returns the variables as a map, later assignments winning.
func Map(vars []Var) map[string]string {
	m := make(map[string]string, len(vars))
	for _, v := range vars {
		m[v.Name] = v.Value
	}
	return m
}

// splitLines splits data into lines without their \n (and a \r before it).
func splitLines(data []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxFileBytes+1)
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return lines
}

// parser walks the lines of one file.
type parser struct {
	name  string
	lines []string
	i     int // the next line
}

// errAt returns the error of line (from 0).
func (p *parser) errAt(line int, format string, args ...any) error {
	return &Error{File: p.name, Line: line + 1, Msg: fmt.Sprintf(format, args...)}
}

// next parses the assignment starting at the next line; ok is false for a
// blank or comment line.
func (p *parser) next() (Var, bool, error) {
	start := p.i
	line := strings.TrimLeft(p.lines[p.i], " \t")
	p.i++
	if line == "" || line[0] == '#' {
		return Var{}, false, nil
	}
	if rest, ok := strings.CutPrefix(line, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		line = strings.TrimLeft(rest, " \t")
	}
	key, value, ok := strings.Cut(line, "=")
	if !ok {
		return Var{}, false, p.errAt(start, "expected NAME=VALUE, found %q", truncate(line))
	}
	key = strings.TrimRight(key, " \t")
	if !validName(key) {
		return Var{}, false, p.errAt(start, "%q is not a valid variable name (a letter or _, then letters, digits or _)", truncate(key))
	}
	value = strings.TrimLeft(value, " \t")
	var err error
	switch {
	case strings.HasPrefix(value, "'"):
		value, err = p.quoted(start, value[1:], '\'')
	case strings.HasPrefix(value, `"`):
		value, err = p.quoted(start, value[1:], '"')
	default:
		value = unquoted(value)
	}
	if err != nil {
		return Var{}, false, err
	}
	if strings.IndexByte(value, 0) >= 0 {
		return Var{}, false, p.errAt(start, "the value of %s contains a NUL byte", key)
	}
	return Var{Name: key, Value: value, Line: start + 1}, true, nil
}

// unquoted returns an unquoted value without its comment and blanks.
func unquoted(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] == '#' && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t') {
			v = v[:i]
			break
		}
	}
	return strings.TrimRight(v, " \t")
}

// quoted reads a value in quotes q that starts with rest (after the
// opening quote) on line start, continuing on the following lines until
// the closing quote.
func (p *parser) quoted(start int, rest string, q byte) (string, error) {
	var b strings.Builder
	line := start
	for {
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			switch {
			case c == q:
				return b.String(), p.trailing(line, rest[i+1:])
			case c == '\\' && q == '"' && i+1 < len(rest):
				i++
				switch e := rest[i]; e {
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				case 't':
					b.WriteByte('\t')
				case '"', '\\', '$':
					b.WriteByte(e)
				default:
					b.WriteByte('\\')
					b.WriteByte(e)
				}
			default:
				b.WriteByte(c)
			}
		}
		if p.i >= len(p.lines) {
			return "", p.errAt(start, "the quote %c opened here is never closed", q)
		}
		b.WriteByte('\n')
		rest = p.lines[p.i]
		line = p.i
		p.i++
	}
}

// trailing checks what follows a closing quote on line: blanks and a
// comment only.
func (p *parser) trailing(line int, rest string) error {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == '#' {
		return nil
	}
	return p.errAt(line, "unexpected %q after the closing quote", truncate(rest))
}

// validName reports whether s is a POSIX environment variable name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// truncate shortens text quoted in an error.
func truncate(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
