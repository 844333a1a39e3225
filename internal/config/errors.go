package config

import (
	"fmt"
)

// Error is a configuration error. Its Error() text is exactly the message
// Supervisor 4.2.5 gives for the same problem, without the "Error: " prefix
// that supervisord prints in front of it (and without the "CANT_REREAD: "
// prefix of reloadConfig).
type Error struct {
	// Msg is Supervisor's message text.
	Msg string
	// Err is the underlying cause, if any (for example an *os.PathError).
	Err error
}

// Error returns Supervisor's message text.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error from a format.
func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// valueError is the equivalent of a Python ValueError raised by a datatype
// converter: its text is later decorated (section suffix) by the caller.
type valueError struct{ msg string }

func (e *valueError) Error() string { return e.msg }

func valueErrorf(format string, args ...any) error {
	return &valueError{msg: fmt.Sprintf(format, args...)}
}
