package getopt

import (
	"fmt"
	"sort"
	"strings"
)

// Option is one parsed option.
type Option struct {
	// Name is the option as written canonically: "-c" or "--configuration".
	Name string
	// Value is its argument ("" for flags).
	Value string
}

// Error is a usage error with Python getopt's text.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Parse parses args (without the program name). short is getopt's short
// option string ("c:nh": a colon after a letter means it takes a value);
// long lists long option names, with a trailing "=" for those taking a
// value. It returns the options in order and the remaining arguments.
func Parse(args []string, short string, long []string) ([]Option, []string, error) {
	var opts []Option
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			return opts, args[1:], nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return opts, args, nil
		}
		args = args[1:]
		if strings.HasPrefix(a, "--") {
			o, rest, err := parseLong(a[2:], args, long)
			if err != nil {
				return nil, nil, err
			}
			opts = append(opts, o)
			args = rest
			continue
		}
		s := a[1:]
		for s != "" {
			c := s[:1]
			s = s[1:]
			i := strings.Index(short, c)
			if i < 0 || c == ":" {
				return nil, nil, &Error{Msg: fmt.Sprintf("option -%s not recognized", c)}
			}
			if i+1 < len(short) && short[i+1] == ':' {
				if s == "" {
					if len(args) == 0 {
						return nil, nil, &Error{Msg: fmt.Sprintf("option -%s requires argument", c)}
					}
					s, args = args[0], args[1:]
				}
				opts = append(opts, Option{Name: "-" + c, Value: s})
				s = ""
				continue
			}
			opts = append(opts, Option{Name: "-" + c})
		}
	}
	return opts, nil, nil
}

func parseLong(arg string, args []string, long []string) (Option, []string, error) {
	name, value, hasValue := strings.Cut(arg, "=")
	var matches []string
	for _, l := range long {
		ln := strings.TrimSuffix(l, "=")
		if ln == name {
			matches = []string{l}
			break
		}
		if strings.HasPrefix(ln, name) {
			matches = append(matches, l)
		}
	}
	switch len(matches) {
	case 0:
		return Option{}, nil, &Error{Msg: fmt.Sprintf("option --%s not recognized", name)}
	case 1:
	default:
		sort.Strings(matches)
		return Option{}, nil, &Error{Msg: fmt.Sprintf("option --%s not a unique prefix", name)}
	}
	full := matches[0]
	takes := strings.HasSuffix(full, "=")
	full = strings.TrimSuffix(full, "=")
	switch {
	case takes && !hasValue:
		if len(args) == 0 {
			return Option{}, nil, &Error{Msg: fmt.Sprintf("option --%s requires argument", full)}
		}
		value, args = args[0], args[1:]
	case !takes && hasValue:
		return Option{}, nil, &Error{Msg: fmt.Sprintf("option --%s must not have an argument", full)}
	}
	return Option{Name: "--" + full, Value: value}, args, nil
}
