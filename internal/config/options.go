package config

// options reads the options of one section with one expansion dictionary,
// as a row of Supervisor's get() calls does. The first error sticks:
// later reads return zero values, so a section reads as straight-line
// code checked once (err), and the error reported is the first one
// Supervisor raises. Reading has no side effects, so reads after an error
// are harmless.
type options struct {
	l       *loader
	section string
	exp     pyDict
	err     error
}

// options returns a reader of section's options with the expansions exp
// (on top of the ENV_ names). exp is kept, not copied: a change to it is
// seen by later reads, as Supervisor's mutated dictionaries are.
func (l *loader) options(section string, exp pyDict) *options {
	return &options{l: l, section: section, exp: exp}
}

// fail records err unless an error is already recorded.
func (o *options) fail(err error) {
	if o.err == nil {
		o.err = err
	}
}

// lookup returns the expanded value of an option and whether it is set.
func (o *options) lookup(opt string) (string, bool) {
	if o.err != nil {
		return "", false
	}
	v, ok, err := o.l.get(o.section, opt, o.exp)
	if err != nil {
		o.fail(err)
		return "", false
	}
	return v, ok
}

// text returns the expanded value of an option, or the expanded default.
func (o *options) text(opt, def string) string {
	if o.err != nil {
		return ""
	}
	v, err := o.l.getDefault(o.section, opt, def, o.exp)
	o.fail(err)
	return v
}

// integer returns an option as an integer, or def if it is not set.
func (o *options) integer(opt string, def int) int {
	if o.err != nil {
		return 0
	}
	v, err := o.l.getInt(o.section, opt, def, o.exp)
	o.fail(err)
	return v
}

// boolean returns an option, or the default text def, as a boolean.
func (o *options) boolean(opt, def string) bool {
	return parsed(o, opt, def, boolean)
}

// parsed returns an option, or the default text def, converted by parse.
func parsed[T any](o *options, opt, def string, parse func(string) (T, error)) T {
	var zero T
	s := o.text(opt, def)
	if o.err != nil {
		return zero
	}
	v, err := parse(s)
	if err != nil {
		o.fail(err)
		return zero
	}
	return v
}

// parsedIfSet returns an option converted by parse, and whether it is set
// (false after an error).
func parsedIfSet[T any](o *options, opt string, parse func(string) (T, error)) (T, bool) {
	var zero T
	s, ok := o.lookup(opt)
	if !ok {
		return zero, false
	}
	v, err := parse(s)
	if err != nil {
		o.fail(err)
		return zero, false
	}
	return v, true
}
