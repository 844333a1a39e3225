package config

import (
	"os"
	"strings"
)

// pyGlob is Python 3.11's glob.glob(pattern) (not recursive, hidden files
// only matched by patterns that start with a dot), which Supervisor uses for
// [include] files. It differs from filepath.Glob in hidden files, in "[!...]"
// negation and in treating an unclosed "[" literally.
func pyGlob(pattern string) []string {
	return pyIglob(pattern, false)
}

func hasMagic(s string) bool { return strings.ContainsAny(s, "*?[") }

// pySplit is Python's os.path.split.
func pySplit(p string) (string, string) {
	i := strings.LastIndexByte(p, '/') + 1
	head, tail := p[:i], p[i:]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head, tail
}

// pyJoin is Python's os.path.join for two components.
func pyJoin(a, b string) string {
	switch {
	case strings.HasPrefix(b, "/"):
		return b
	case a == "" || strings.HasSuffix(a, "/"):
		return a + b
	default:
		return a + "/" + b
	}
}

func lexists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func pyIglob(pathname string, dironly bool) []string {
	dirname, basename := pySplit(pathname)
	if !hasMagic(pathname) {
		if basename != "" {
			if lexists(pathname) {
				return []string{pathname}
			}
		} else if isDir(dirname) {
			return []string{pathname}
		}
		return nil
	}
	if dirname == "" {
		return glob1("", basename, dironly)
	}
	var dirs []string
	if dirname != pathname && hasMagic(dirname) {
		dirs = pyIglob(dirname, true)
	} else {
		dirs = []string{dirname}
	}
	var out []string
	for _, d := range dirs {
		var names []string
		if hasMagic(basename) {
			names = glob1(d, basename, dironly)
		} else {
			names = glob0(d, basename)
		}
		for _, n := range names {
			out = append(out, pyJoin(d, n))
		}
	}
	return out
}

func glob1(dirname, pattern string, dironly bool) []string {
	dir := dirname
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	m := compileFnmatch(pattern)
	hiddenOK := strings.HasPrefix(pattern, ".")
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !hiddenOK && strings.HasPrefix(name, ".") {
			continue
		}
		if dironly && !isDir(pyJoin(dirname, name)) {
			continue
		}
		if m.match([]rune(name)) {
			out = append(out, name)
		}
	}
	return out
}

func glob0(dirname, basename string) []string {
	if basename != "" {
		if lexists(pyJoin(dirname, basename)) {
			return []string{basename}
		}
	} else if isDir(dirname) {
		return []string{basename}
	}
	return nil
}

// fnItem is one element of a compiled fnmatch pattern.
type fnItem struct {
	kind   int // fnLiteral, fnAny, fnStar, fnClass
	lit    rune
	negate bool
	ranges [][2]rune
}

const (
	fnLiteral = iota
	fnAny
	fnStar
	fnClass
)

type fnPattern []fnItem

// compileFnmatch compiles a pattern with the rules of Python's
// fnmatch.translate: '*', '?', '[...]' with '!' negation and ranges (a ']'
// right after the opening bracket or '!' is literal, an unclosed '[' is a
// literal '[', empty ranges match nothing).
func compileFnmatch(pat string) fnPattern {
	p := []rune(pat)
	var out fnPattern
	for i := 0; i < len(p); {
		c := p[i]
		i++
		switch c {
		case '*':
			if len(out) == 0 || out[len(out)-1].kind != fnStar {
				out = append(out, fnItem{kind: fnStar})
			}
		case '?':
			out = append(out, fnItem{kind: fnAny})
		case '[':
			j := i
			if j < len(p) && p[j] == '!' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				out = append(out, fnItem{kind: fnLiteral, lit: '['})
				continue
			}
			stuff := p[i:j]
			i = j + 1
			item := fnItem{kind: fnClass}
			if len(stuff) > 0 && stuff[0] == '!' {
				item.negate = true
				stuff = stuff[1:]
			}
			for k := 0; k < len(stuff); {
				if k+2 < len(stuff) && stuff[k+1] == '-' {
					item.ranges = append(item.ranges, [2]rune{stuff[k], stuff[k+2]})
					k += 3
					continue
				}
				item.ranges = append(item.ranges, [2]rune{stuff[k], stuff[k]})
				k++
			}
			out = append(out, item)
		default:
			out = append(out, fnItem{kind: fnLiteral, lit: c})
		}
	}
	return out
}

func (it fnItem) matchRune(r rune) bool {
	switch it.kind {
	case fnAny:
		return true
	case fnLiteral:
		return it.lit == r
	case fnClass:
		in := false
		for _, rg := range it.ranges {
			if rg[0] <= r && r <= rg[1] {
				in = true
				break
			}
		}
		return in != it.negate
	}
	return false
}

// match reports whether the whole name matches (iterative wildcard
// matching with backtracking to the last star: linear in practice).
func (p fnPattern) match(name []rune) bool {
	pi, ni := 0, 0
	starP, starN := -1, 0
	for ni < len(name) {
		switch {
		case pi < len(p) && p[pi].kind == fnStar:
			starP, starN = pi, ni
			pi++
		case pi < len(p) && p[pi].matchRune(name[ni]):
			pi++
			ni++
		case starP >= 0:
			pi = starP + 1
			starN++
			ni = starN
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].kind == fnStar {
		pi++
	}
	return pi == len(p)
}
