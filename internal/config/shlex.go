package config

import (
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// SplitCommand splits a command line the way Supervisor 4.2.5 does before
// spawning (Python's shlex.split: POSIX mode, no comments). Its errors are
// Supervisor's: "can't parse command '<cmd>': No closing quotation" (or
// "No escaped character") and "command is empty".
func SplitCommand(cmd string) ([]string, error) {
	args, err := shlexSplit(cmd)
	if err != nil {
		return nil, errorf("can't parse command %s: %s", pytext.Repr(cmd), err.Error())
	}
	if len(args) == 0 {
		return nil, errorf("command is empty")
	}
	return args, nil
}

// shlexSplit is Python's shlex.split(s) (posix=True, whitespace_split=True,
// commenters="").
func shlexSplit(s string) ([]string, error) {
	const (
		stWhite = iota
		stWord
		stQuote
		stEscape
	)
	r := []rune(s)
	var (
		out    []string
		tok    strings.Builder
		quoted bool
		state  = stWhite
		quote  rune // the open quote in stQuote, or the state to return to
		escFor rune // for stEscape: the quote the escape happened in, or 0 (word)
	)
	emit := func() {
		out = append(out, tok.String())
		tok.Reset()
		quoted = false
	}
	isWhite := func(c rune) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for i := 0; ; i++ {
		if i >= len(r) {
			switch state {
			case stQuote:
				return nil, &valueError{"No closing quotation"}
			case stEscape:
				return nil, &valueError{"No escaped character"}
			}
			if tok.Len() > 0 || quoted {
				emit()
			}
			return out, nil
		}
		c := r[i]
		switch state {
		case stWhite, stWord:
			switch {
			case isWhite(c):
				if tok.Len() > 0 || quoted {
					emit()
				}
				state = stWhite
			case c == '\\':
				escFor = 0
				state = stEscape
			case c == '\'' || c == '"':
				quote = c
				state = stQuote
			default:
				tok.WriteRune(c)
				state = stWord
			}
		case stQuote:
			quoted = true
			switch {
			case c == quote:
				state = stWord
			case c == '\\' && quote == '"':
				escFor = quote
				state = stEscape
			default:
				tok.WriteRune(c)
			}
		case stEscape:
			// Inside double quotes only the quote and the backslash can be
			// escaped; otherwise the backslash is kept.
			if escFor != 0 && c != '\\' && c != escFor {
				tok.WriteRune('\\')
			}
			tok.WriteRune(c)
			if escFor != 0 {
				quote = escFor
				state = stQuote
			} else {
				state = stWord
			}
		}
	}
}

// envWordChars are the word characters of the non-POSIX shlex Supervisor
// uses for environment= (the defaults plus "/.+-():").
func envWordChar(c rune) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || strings.ContainsRune("/.+-():", c)
}

// shlexEnvTokens tokenizes s like Python's shlex.shlex(s) in non-POSIX mode
// with the word characters above: quotes stay part of the token, '#' starts a
// comment up to the end of the line (inside a word too, where the word then
// continues on the next line), and any other character is a token of its own.
func shlexEnvTokens(s string) ([]string, error) {
	r := []rune(s)
	var (
		out      []string
		pushback []string
		i        int
	)
	isWhite := func(c rune) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	skipLine := func() {
		for i < len(r) {
			c := r[i]
			i++
			if c == '\n' {
				return
			}
		}
	}
	readToken := func() (string, error) {
		var tok strings.Builder
		state := ' '
		for {
			if i >= len(r) {
				if state == '\'' || state == '"' {
					return "", &valueError{"No closing quotation"}
				}
				return tok.String(), nil
			}
			c := r[i]
			i++
			switch state {
			case ' ':
				switch {
				case isWhite(c):
					continue
				case c == '#':
					skipLine()
				case envWordChar(c):
					tok.WriteRune(c)
					state = 'a'
				case c == '\'' || c == '"':
					tok.WriteRune(c)
					state = c
				default:
					return string(c), nil
				}
			case '\'', '"':
				tok.WriteRune(c)
				if c == state {
					return tok.String(), nil
				}
			case 'a':
				switch {
				case isWhite(c):
					return tok.String(), nil
				case c == '#':
					skipLine()
				case envWordChar(c) || c == '\'' || c == '"':
					tok.WriteRune(c)
				default:
					pushback = append(pushback, string(c))
					return tok.String(), nil
				}
			}
		}
	}
	for {
		var tok string
		if n := len(pushback); n > 0 {
			tok = pushback[0]
			pushback = pushback[1:]
		} else {
			t, err := readToken()
			if err != nil {
				return nil, err
			}
			tok = t
		}
		if tok == "" {
			return out, nil
		}
		out = append(out, tok)
	}
}

// dictOfKeyValuePairs parses an environment= value as Supervisor does:
// tokens are taken in groups KEY '=' VALUE <separator>, the separator is not
// checked, and quote characters are stripped from both ends of the value.
func dictOfKeyValuePairs(arg string) (map[string]string, error) {
	tokens, err := shlexEnvTokens(arg)
	if err != nil {
		return nil, err
	}
	d := map[string]string{}
	for i := 0; i < len(tokens); i += 4 {
		if i+3 > len(tokens) || tokens[i+1] != "=" {
			return nil, valueErrorf("Unexpected end of key/value pairs in value '%s'", arg)
		}
		d[tokens[i]] = strings.Trim(tokens[i+2], `'"`)
	}
	return d, nil
}
