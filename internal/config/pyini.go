package config

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"gopkg.in/ini.v1"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// rawParser is the file model: an ini.v1 File filled by readFile, which
// applies Python configparser's line grammar as Supervisor configures it
// (RawConfigParser, inline_comment_prefixes=(';', '#'), strict=False). See
// doc.go for why the lines are not handed to ini.v1's own parser.
type rawParser struct {
	file *ini.File
	// values holds the same raw values by section and option, for get:
	// ini.v1 builds an error for every option a section lacks, and most of
	// a program's options are not set (a thousand programs asked for each
	// option cost a configuration load most of its time).
	values map[string]map[string]string
	// sectionFile maps a section to the name of the file that first
	// created it (Supervisor's section_to_file, which falls back to the main
	// file's name for the main file's sections: the same thing).
	sectionFile map[string]string
}

func newRawParser() *rawParser {
	return &rawParser{
		// ini.v1 treats "a.b" as a child section of "a" when looking keys
		// up; a newline never occurs in a section name read from a line, so
		// it disables that inheritance. Section and key names are stored as
		// given (keys are lower-cased by readFile, like optionxform).
		file:        ini.Empty(ini.LoadOptions{ChildSectionDelimiter: "\n"}),
		values:      map[string]map[string]string{},
		sectionFile: map[string]string{},
	}
}

// sections returns the section names in order of first appearance, without
// DEFAULT (configparser's sections()).
func (p *rawParser) sections() []string {
	var out []string
	for _, name := range p.file.SectionStrings() {
		if name != ini.DefaultSection {
			out = append(out, name)
		}
	}
	return out
}

func (p *rawParser) hasSection(name string) bool {
	return name != ini.DefaultSection && p.file.HasSection(name)
}

// get returns the raw value of option in section, falling back to
// [DEFAULT], as RawConfigParser.get does.
func (p *rawParser) get(section, option string) (string, bool) {
	if section != ini.DefaultSection {
		if v, ok := p.values[section][option]; ok {
			return v, true
		}
	}
	v, ok := p.values[ini.DefaultSection][option]
	return v, ok
}

// options returns the option names of section followed by the [DEFAULT]
// ones it does not override (configparser's options()).
func (p *rawParser) options(section string) []string {
	seen := map[string]bool{}
	var out []string
	if sec, err := p.file.GetSection(section); err == nil {
		for _, k := range sec.KeyStrings() {
			seen[k] = true
			out = append(out, k)
		}
	}
	if def, err := p.file.GetSection(ini.DefaultSection); err == nil {
		for _, k := range def.KeyStrings() {
			if !seen[k] {
				out = append(out, k)
			}
		}
	}
	return out
}

// set stores value as option's raw value in section (a later value of the
// same option replaces an earlier one, as with strict=False).
func (p *rawParser) set(section, option, value string) {
	// NewKey only fails on an empty name, which readFile never stores.
	_, _ = p.file.Section(section).NewKey(option, value)
	sec := p.values[section]
	if sec == nil {
		sec = map[string]string{}
		p.values[section] = sec
	}
	sec[option] = value
}

// expandHere is Supervisor's textual %(here)s pre-pass, run after each file
// read when the configuration has an [include] section: in every section
// (with [DEFAULT] values folded in), the literal text "%(here)s" is replaced
// by here.
func (p *rawParser) expandHere(here string) {
	const token = "%(here)s"
	for _, section := range p.sections() {
		for _, option := range p.options(section) {
			v, _ := p.get(section, option)
			if strings.Contains(v, token) {
				p.set(section, option, strings.ReplaceAll(v, token, here))
			}
		}
	}
}

// readFile parses the file at path into the model. name is the file name
// used in messages (the path as Supervisor opened it). It returns the text
// of a configparser error (missing section header, parsing errors) as an
// *Error, and open/read failures as *os.PathError.
func (p *rawParser) readFile(path, name string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !utf8.Valid(data) {
		return errorf("could not read config file %s: it is not valid UTF-8", name)
	}
	return p.readString(string(data), name)
}

// pendingKey is a value being collected while a file is read: configparser
// keeps the lines of each value in a list and joins them when the file ends.
type pendingKey struct {
	section, option string
	lines           []string
}

// readString parses text, following configparser.RawConfigParser._read.
func (p *rawParser) readString(text, name string) error {
	// Python reads text files with universal newlines.
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")

	var (
		cursect     string // "" = no section yet
		haveSect    bool
		optname     string
		indentLevel = 0
		pending     []*pendingKey
		byKey       = map[[2]string]*pendingKey{}
		current     *pendingKey
		parseErrs   []string
	)
	lines := splitLinesKeepEnds(text)
	for i, line := range lines {
		lineno := i + 1
		runes := []rune(line)
		commentStart := inlineCommentStart(runes)
		if stripped := pytext.Strip(line); strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";") {
			commentStart = 0
		}
		value := line
		if commentStart >= 0 {
			value = string(runes[:commentStart])
		}
		value = pytext.Strip(value)
		if value == "" {
			// Empty lines are part of a multi-line value (joined later),
			// but only when the line had no comment at all.
			if commentStart < 0 && haveSect && optname != "" && current != nil {
				current.lines = append(current.lines, "")
			}
			continue
		}
		curIndent := 0
		for _, r := range runes {
			if !pytext.IsSpace(r) {
				break
			}
			curIndent++
		}
		if haveSect && optname != "" && curIndent > indentLevel {
			current.lines = append(current.lines, value)
			continue
		}
		indentLevel = curIndent
		if header, ok := sectionHeader(value); ok {
			cursect = header
			haveSect = true
			if !p.file.HasSection(header) {
				if _, err := p.file.NewSection(header); err != nil {
					return fmt.Errorf("config: section %q: %w", header, err)
				}
				if header != ini.DefaultSection {
					p.sectionFile[header] = name
				}
			}
			optname = ""
			current = nil
			continue
		}
		if !haveSect {
			return errorf("File contains no section headers.\nfile: %s, line: %d\n%s",
				pytext.Repr(name), lineno, pytext.Repr(line))
		}
		delim := strings.IndexAny(value, "=:")
		if delim < 0 {
			parseErrs = append(parseErrs, fmt.Sprintf("\n\t[line %2d]: %s", lineno, pytext.Repr(line)))
			continue
		}
		opt := strings.ToLower(pytext.RStrip(value[:delim]))
		val := pytext.Strip(value[delim+1:])
		if opt == "" {
			parseErrs = append(parseErrs, fmt.Sprintf("\n\t[line %2d]: %s", lineno, pytext.Repr(line)))
		}
		optname = opt
		key := [2]string{cursect, opt}
		if pk, ok := byKey[key]; ok {
			pk.lines = []string{val}
			current = pk
		} else {
			current = &pendingKey{section: cursect, option: opt, lines: []string{val}}
			byKey[key] = current
			pending = append(pending, current)
		}
	}
	for _, pk := range pending {
		if pk.option == "" {
			continue // only ever stored alongside a parsing error
		}
		p.set(pk.section, pk.option, pytext.RStrip(strings.Join(pk.lines, "\n")))
	}
	if len(parseErrs) > 0 {
		return errorf("Source contains parsing errors: %s%s", pytext.Repr(name), strings.Join(parseErrs, ""))
	}
	return nil
}

// splitLinesKeepEnds splits text after each "\n", keeping the newline, as
// iterating over a Python text file does.
func splitLinesKeepEnds(text string) []string {
	var lines []string
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// inlineCommentStart returns the rune index where an inline comment starts,
// or -1. It reproduces configparser's search exactly: each prefix (';' and
// '#') is searched occurrence by occurrence, in rounds, and the first round in
// which some occurrence is at the start of the line or preceded by whitespace
// decides (the smallest such index of that round).
func inlineCommentStart(line []rune) int {
	type cursor struct {
		prefix rune
		index  int
	}
	cursors := []cursor{{';', -1}, {'#', -1}}
	best := -1
	for best < 0 && len(cursors) > 0 {
		var next []cursor
		for _, c := range cursors {
			idx := -1
			for j := c.index + 1; j < len(line); j++ {
				if line[j] == c.prefix {
					idx = j
					break
				}
			}
			if idx < 0 {
				continue
			}
			next = append(next, cursor{c.prefix, idx})
			if idx == 0 || pytext.IsSpace(line[idx-1]) {
				if best < 0 || idx < best {
					best = idx
				}
			}
		}
		cursors = next
	}
	return best
}

// sectionHeader matches configparser's SECTCRE (`\[(?P<header>.+)\]`, not
// anchored at the end): the header runs from the first '[' to the last ']'.
func sectionHeader(value string) (string, bool) {
	if !strings.HasPrefix(value, "[") {
		return "", false
	}
	end := strings.LastIndexByte(value, ']')
	if end < 2 {
		return "", false
	}
	return value[1:end], true
}
