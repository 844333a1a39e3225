package config

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// pyValue is a value of Supervisor's expansion dictionaries: a string (here,
// program_name, ENV_*, …) or an integer (process_num, numprocs).
type pyValue struct {
	isInt bool
	s     string
	i     int64
}

// strOf returns the dictionary value of a Python str.
func strOf(s string) pyValue { return pyValue{s: s} }

// intOf returns the dictionary value of a Python int.
func intOf(i int64) pyValue { return pyValue{isInt: true, i: i} }

// pyDict is an expansion dictionary (name -> value).
type pyDict map[string]pyValue

// sortedKeys returns the names of d, sorted.
func (d pyDict) sortedKeys() []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// repr renders d like Python's dict repr (keys sorted: the insertion order
// of Supervisor's dictionaries is not reproduced).
func (d pyDict) repr() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range d.sortedKeys() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pytext.Repr(k))
		b.WriteString(": ")
		v := d[k]
		if v.isInt {
			b.WriteString(strconv.FormatInt(v.i, 10))
		} else {
			b.WriteString(pytext.Repr(v.s))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// keyError is Python's KeyError from a %(name)s lookup.
type keyError struct{ key string }

func (e *keyError) Error() string { return pytext.Repr(e.key) }

// formatError is any other error of Python's %-operator (ValueError or
// TypeError); msg is Python's text.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }

// expand is Supervisor's expand(): s % expansions, with its two error texts.
// name is the option name shown in the message.
func expand(s string, d pyDict, name string) (string, error) {
	out, err := pyPercent(s, d)
	if err == nil {
		return out, nil
	}
	if ke, ok := err.(*keyError); ok {
		return "", valueErrorf("Format string %s for %s contains names (%s) which cannot be expanded. Available names: %s",
			pytext.Repr(s), pytext.Repr(name), ke.Error(), strings.Join(d.sortedKeys(), ", "))
	}
	return "", valueErrorf("Format string %s for %s is badly formatted: %s", pytext.Repr(s), pytext.Repr(name), err.Error())
}

// Conversion flags, as in CPython's unicodeobject.c.
const (
	fLJust = 1 << iota
	fSign
	fBlank
	fAlt
	fZero
)

// formatter is a port of CPython 3.11's PyUnicode_Format for a mapping
// argument whose values are str or int, keeping its exact error texts.
type formatter struct {
	r      []rune
	pos    int
	cnt    int
	dict   pyDict
	arg    pyValue // current argument (a dict value), unless argIsDict
	isDict bool    // the current argument is the dictionary itself
	argidx int     // -2: one argument available, -1: consumed
	out    strings.Builder
}

// read returns the rune at pos, or 0 past the end (CPython reads the
// terminating NUL there).
func (f *formatter) read(i int) rune {
	if i < len(f.r) {
		return f.r[i]
	}
	return 0
}

func (f *formatter) nextArg() (pyValue, bool, error) {
	if f.argidx < -1 {
		f.argidx++
		return f.arg, f.isDict, nil
	}
	return pyValue{}, false, &formatError{"not enough arguments for format string"}
}

// pyPercent computes format % d as Python 3.11 does.
func pyPercent(format string, d pyDict) (string, error) {
	f := &formatter{r: []rune(format), dict: d, isDict: true, argidx: -2}
	f.cnt = len(f.r)
	for {
		f.cnt--
		if f.cnt < 0 {
			break
		}
		c := f.r[f.pos]
		if c != '%' {
			f.out.WriteRune(c)
			f.pos++
			continue
		}
		f.pos++
		if err := f.formatArg(); err != nil {
			return "", err
		}
	}
	return f.out.String(), nil
}

type fmtArg struct {
	ch    rune
	flags int
	width int
	prec  int
}

func (f *formatter) formatArg() error {
	a := fmtArg{ch: f.read(f.pos), width: -1, prec: -1}
	if a.ch == '%' {
		f.pos++
		f.cnt--
		f.out.WriteByte('%')
		return nil
	}
	if err := f.parseArg(&a); err != nil {
		return err
	}
	return f.formatValue(&a)
}

// parseArg reads a conversion specifier after its '%' (CPython's
// unicode_format_arg_parse): an optional mapping key, flags, width,
// precision and length modifier, leaving a.ch on the conversion type.
func (f *formatter) parseArg(a *fmtArg) error {
	if f.read(f.pos) == '(' {
		if err := f.parseKey(); err != nil {
			return err
		}
	}
	f.parseFlags(a)
	if err := f.parseWidth(a); err != nil {
		return err
	}
	if err := f.parsePrecision(a); err != nil {
		return err
	}
	// Length modifiers are ignored.
	if f.cnt >= 0 && (a.ch == 'h' || a.ch == 'l' || a.ch == 'L') {
		f.advance(a)
	}
	if f.cnt < 0 {
		return &formatError{"incomplete format"}
	}
	// Python would try to allocate the padding and fail with MemoryError;
	// refuse absurd sizes instead of exhausting memory.
	if a.width > maxPadding || a.prec > maxPadding {
		return &formatError{"width or precision too big"}
	}
	return nil
}

// advance moves a.ch to the next character, if any is left.
func (f *formatter) advance(a *fmtArg) {
	f.cnt--
	if f.cnt >= 0 {
		a.ch = f.read(f.pos)
		f.pos++
	}
}

// parseKey reads a "(name)" mapping key (parentheses may nest) and makes
// the dictionary's value for it the current argument.
func (f *formatter) parseKey() error {
	f.pos++
	f.cnt--
	keystart := f.pos
	pcount := 1
	for pcount > 0 {
		f.cnt--
		if f.cnt < 0 {
			break
		}
		c := f.read(f.pos)
		if c == ')' {
			pcount--
		} else if c == '(' {
			pcount++
		}
		f.pos++
	}
	if f.cnt < 0 || pcount > 0 {
		return &formatError{"incomplete format key"}
	}
	key := string(f.r[keystart : f.pos-1])
	v, ok := f.dict[key]
	if !ok {
		return &keyError{key: key}
	}
	f.arg, f.isDict, f.argidx = v, false, -2
	return nil
}

// parseFlags reads the flags ("-+ #0"), leaving a.ch on the character
// after them.
func (f *formatter) parseFlags(a *fmtArg) {
	for {
		f.cnt--
		if f.cnt < 0 {
			return
		}
		a.ch = f.read(f.pos)
		f.pos++
		flag := convFlag(a.ch)
		if flag == 0 {
			return
		}
		a.flags |= flag
	}
}

// convFlag returns the flag ch stands for, or 0.
func convFlag(ch rune) int {
	switch ch {
	case '-':
		return fLJust
	case '+':
		return fSign
	case ' ':
		return fBlank
	case '#':
		return fAlt
	case '0':
		return fZero
	}
	return 0
}

// parseWidth reads a width: '*' (taken from the arguments; negative means
// left-justified) or digits.
func (f *formatter) parseWidth(a *fmtArg) error {
	switch {
	case a.ch == '*':
		w, err := f.starArg()
		if err != nil {
			return err
		}
		a.width = w
		if a.width < 0 {
			a.flags |= fLJust
			a.width = -a.width
		}
		f.advance(a)
	case a.ch >= '0' && a.ch <= '9':
		w, err := f.number(a, math.MaxInt64, "width too big")
		if err != nil {
			return err
		}
		a.width = w
	}
	return nil
}

// parsePrecision reads a precision: '.' then '*' (taken from the
// arguments; negative means 0) or digits (none means 0).
func (f *formatter) parsePrecision(a *fmtArg) error {
	if a.ch != '.' {
		return nil
	}
	a.prec = 0
	f.advance(a)
	switch {
	case a.ch == '*':
		p, err := f.starArg()
		if err != nil {
			return err
		}
		a.prec = max(p, 0)
		f.advance(a)
	case a.ch >= '0' && a.ch <= '9':
		p, err := f.number(a, math.MaxInt32, "precision too big")
		if err != nil {
			return err
		}
		a.prec = p
	}
	return nil
}

// starArg takes a '*' width or precision from the arguments.
func (f *formatter) starArg() (int, error) {
	v, isDict, err := f.nextArg()
	if err != nil {
		return 0, err
	}
	if isDict || !v.isInt {
		return 0, &formatError{"* wants int"}
	}
	return int(v.i), nil
}

// maxPadding bounds the width and precision of a conversion.
const maxPadding = 1 << 20

func typeName(v pyValue, isDict bool) string {
	switch {
	case isDict:
		return "dict"
	case v.isInt:
		return "int"
	default:
		return "str"
	}
}

// number reads the decimal number that starts with a.ch (a digit), as
// Python's formatter reads a width or precision, leaving a.ch on the
// character after it; a number above limit is the error msg.
func (f *formatter) number(a *fmtArg, limit int, msg string) (int, error) {
	n := int(a.ch - '0')
	for {
		f.cnt--
		if f.cnt < 0 {
			return n, nil
		}
		a.ch = f.read(f.pos)
		f.pos++
		if a.ch < '0' || a.ch > '9' {
			return n, nil
		}
		if n > (limit-int(a.ch-'0'))/10 {
			return 0, &formatError{msg}
		}
		n = n*10 + int(a.ch-'0')
	}
}

func (f *formatter) formatValue(a *fmtArg) error {
	v, isDict, err := f.nextArg()
	if err != nil {
		return err
	}
	switch a.ch {
	case 's', 'r', 'a':
		var s string
		switch {
		case isDict:
			s = f.dict.repr()
		case v.isInt:
			s = strconv.FormatInt(v.i, 10)
		case a.ch == 's':
			s = v.s
		case a.ch == 'r':
			s = pytext.Repr(v.s)
		default:
			s = pytext.ASCII(v.s)
		}
		if isDict && a.ch == 'a' {
			s = asciiOnly(s)
		}
		r := []rune(s)
		if a.prec >= 0 && len(r) > a.prec {
			r = r[:a.prec]
		}
		f.pad("", "", string(r), a, false)
		return nil
	case 'i', 'd', 'u', 'o', 'x', 'X':
		if isDict || !v.isInt {
			if a.ch == 'o' || a.ch == 'x' || a.ch == 'X' {
				return &formatError{"%" + string(a.ch) + " format: an integer is required, not " + typeName(v, isDict)}
			}
			return &formatError{"%" + string(a.ch) + " format: a real number is required, not " + typeName(v, isDict)}
		}
		sign, prefix, digits := formatInt(v.i, a)
		f.pad(sign, prefix, digits, a, true)
		return nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		if isDict || !v.isInt {
			return &formatError{"must be real number, not " + typeName(v, isDict)}
		}
		sign, body := formatFloat(float64(v.i), a)
		f.pad(sign, "", body, a, true)
		return nil
	case 'c':
		var c rune
		switch {
		case isDict:
			return &formatError{"%c requires int or char"}
		case v.isInt:
			if v.i < 0 || v.i > 0x10ffff {
				return &formatError{"%c arg not in range(0x110000)"}
			}
			c = rune(v.i)
		default:
			r := []rune(v.s)
			if len(r) != 1 {
				return &formatError{"%c requires int or char"}
			}
			c = r[0]
		}
		f.pad("", "", string(c), a, false)
		return nil
	}
	shown := byte('?')
	if a.ch >= 31 && a.ch <= 126 {
		shown = byte(a.ch)
	}
	return &formatError{"unsupported format character '" + string(shown) + "' (0x" +
		strconv.FormatInt(int64(a.ch), 16) + ") at index " + strconv.Itoa(f.pos-1)}
}

// asciiOnly escapes the non-ASCII characters of an already repr'd text.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x` + leftPad(strconv.FormatInt(int64(r), 16), 2))
		case r <= 0xffff:
			b.WriteString(`\u` + leftPad(strconv.FormatInt(int64(r), 16), 4))
		default:
			b.WriteString(`\U` + leftPad(strconv.FormatInt(int64(r), 16), 8))
		}
	}
	return b.String()
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// formatInt renders an integer conversion as sign, alternate-form prefix and
// digits (precision applied).
func formatInt(i int64, a *fmtArg) (sign, prefix, digits string) {
	neg := i < 0
	u := uint64(i)
	if neg {
		u = uint64(-i) // correct for MinInt64 as well (two's complement)
	}
	switch a.ch {
	case 'o':
		digits = strconv.FormatUint(u, 8)
		if a.flags&fAlt != 0 {
			prefix = "0o"
		}
	case 'x':
		digits = strconv.FormatUint(u, 16)
		if a.flags&fAlt != 0 {
			prefix = "0x"
		}
	case 'X':
		digits = strings.ToUpper(strconv.FormatUint(u, 16))
		if a.flags&fAlt != 0 {
			prefix = "0X"
		}
	default:
		digits = strconv.FormatUint(u, 10)
	}
	if a.prec > len(digits) {
		digits = strings.Repeat("0", a.prec-len(digits)) + digits
	}
	switch {
	case neg:
		sign = "-"
	case a.flags&fSign != 0:
		sign = "+"
	case a.flags&fBlank != 0:
		sign = " "
	}
	return sign, prefix, digits
}

// formatFloat renders a float conversion (C printf semantics, as Python's
// float formatting) as sign and body.
func formatFloat(x float64, a *fmtArg) (sign, body string) {
	prec := a.prec
	if prec < 0 {
		prec = 6
	}
	alt := a.flags&fAlt != 0
	neg := math.Signbit(x)
	if neg {
		x = -x
	}
	switch a.ch {
	case 'e', 'E':
		body = strconv.FormatFloat(x, 'e', prec, 64)
		if alt && prec == 0 {
			body = strings.Replace(body, "e", ".e", 1)
		}
	case 'f', 'F':
		body = strconv.FormatFloat(x, 'f', prec, 64)
		if alt && prec == 0 {
			body += "."
		}
	default: // g, G
		p := prec
		if p == 0 {
			p = 1
		}
		e := strconv.FormatFloat(x, 'e', p-1, 64)
		exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
		if exp >= -4 && exp < p {
			body = strconv.FormatFloat(x, 'f', p-1-exp, 64)
		} else {
			body = e
		}
		if !alt {
			body = trimFloatZeros(body)
		} else if !strings.Contains(body, ".") {
			if i := strings.IndexByte(body, 'e'); i >= 0 {
				body = body[:i] + "." + body[i:]
			} else {
				body += "."
			}
		}
	}
	if a.ch == 'E' || a.ch == 'G' || a.ch == 'F' {
		body = strings.ToUpper(body)
	}
	switch {
	case neg:
		sign = "-"
	case a.flags&fSign != 0:
		sign = "+"
	case a.flags&fBlank != 0:
		sign = " "
	}
	return sign, body
}

// trimFloatZeros removes trailing fraction zeros (and a bare point) from a
// %g body, keeping any exponent.
func trimFloatZeros(s string) string {
	mant, exp := s, ""
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(mant, "0")
		mant = strings.TrimSuffix(mant, ".")
	}
	return mant + exp
}

// pad writes sign+prefix+body padded to the width, as CPython's
// unicode_format_arg_output does: zero padding (numbers only) goes between
// the sign/prefix and the digits, left justification pads with spaces.
func (f *formatter) pad(sign, prefix, body string, a *fmtArg, numeric bool) {
	n := len([]rune(sign)) + len(prefix) + len([]rune(body))
	fill := a.width - n
	switch {
	case fill <= 0:
		f.out.WriteString(sign + prefix + body)
	case a.flags&fLJust != 0:
		f.out.WriteString(sign + prefix + body + strings.Repeat(" ", fill))
	case numeric && a.flags&fZero != 0:
		f.out.WriteString(sign + prefix + strings.Repeat("0", fill) + body)
	default:
		f.out.WriteString(strings.Repeat(" ", fill) + sign + prefix + body)
	}
}
