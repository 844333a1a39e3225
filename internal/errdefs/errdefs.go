package errdefs

import (
	"errors"
	"fmt"
)

// Reason classifies an error. The names are Supervisor 4.2.5's fault names.
type Reason int

// The reasons. Their order matches gsupervisor.v1.ErrorReason.
const (
	// Unspecified means no error (a successful item of a result list).
	Unspecified Reason = iota
	// BadName: unknown process, group or name.
	BadName
	// BadSignal: invalid signal.
	BadSignal
	// BadArguments: invalid arguments (log offsets).
	BadArguments
	// NoFile: a file is missing or a channel has no log.
	NoFile
	// NotExecutable: the command cannot be executed.
	NotExecutable
	// Failed: generic failure.
	Failed
	// AbnormalTermination: the process left STARTING other than by RUNNING.
	AbnormalTermination
	// SpawnError: the process could not be spawned or died too quickly.
	SpawnError
	// AlreadyStarted: the process is already started.
	AlreadyStarted
	// NotRunning: the process is not running.
	NotRunning
	// AlreadyAdded: the group is already active.
	AlreadyAdded
	// StillRunning: the group still has running processes.
	StillRunning
	// CantReread: the configuration cannot be read again.
	CantReread
	// ShutdownState: the daemon is shutting down or restarting.
	ShutdownState
	// RevisionMismatch: the configuration changed since the plan.
	RevisionMismatch
	// Disabled: the program is disabled (DisableProgram).
	Disabled
	// DependencyFailed: a dependency cannot reach its condition.
	DependencyFailed
)

var names = [...]string{
	Unspecified:         "UNSPECIFIED",
	BadName:             "BAD_NAME",
	BadSignal:           "BAD_SIGNAL",
	BadArguments:        "BAD_ARGUMENTS",
	NoFile:              "NO_FILE",
	NotExecutable:       "NOT_EXECUTABLE",
	Failed:              "FAILED",
	AbnormalTermination: "ABNORMAL_TERMINATION",
	SpawnError:          "SPAWN_ERROR",
	AlreadyStarted:      "ALREADY_STARTED",
	NotRunning:          "NOT_RUNNING",
	AlreadyAdded:        "ALREADY_ADDED",
	StillRunning:        "STILL_RUNNING",
	CantReread:          "CANT_REREAD",
	ShutdownState:       "SHUTDOWN_STATE",
	RevisionMismatch:    "REVISION_MISMATCH",
	Disabled:            "DISABLED",
	DependencyFailed:    "DEPENDENCY_FAILED",
}

// Reasons lists every reason except Unspecified, in order.
func Reasons() []Reason {
	rs := make([]Reason, 0, len(names)-1)
	for r := BadName; int(r) < len(names); r++ {
		rs = append(rs, r)
	}
	return rs
}

// String returns the legacy fault name, e.g. "BAD_NAME".
func (r Reason) String() string {
	if r >= 0 && int(r) < len(names) {
		return names[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// ParseReason returns the reason named name (e.g. "BAD_NAME").
func ParseReason(name string) (Reason, bool) {
	for i, n := range names {
		if n == name {
			return Reason(i), true
		}
	}
	return Unspecified, false
}

// Error is an error with a reason and an optional detail.
type Error struct {
	// Reason classifies the error.
	Reason Reason
	// Detail is the text after "REASON: ", often a name; may be empty.
	Detail string
	// Err is the underlying cause, if any (not part of the text).
	Err error
}

// New returns an error with the reason and a detail formatted like
// fmt.Sprintf.
func New(r Reason, format string, args ...any) *Error {
	d := format
	if len(args) > 0 {
		d = fmt.Sprintf(format, args...)
	}
	return &Error{Reason: r, Detail: d}
}

// Wrap returns an error with the reason and detail that wraps cause.
func Wrap(r Reason, cause error, detail string) *Error {
	return &Error{Reason: r, Detail: detail, Err: cause}
}

// Error returns the legacy fault string: "REASON" or "REASON: detail".
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Reason.String()
	}
	return e.Reason.String() + ": " + e.Detail
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same reason, so that
// errors.Is(err, errdefs.New(errdefs.BadName, "")) matches any BAD_NAME.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Reason == e.Reason
}

// ReasonOf returns the reason of err: the reason of the first *Error in its
// chain, Unspecified for nil, and Failed for any other error.
func ReasonOf(err error) Reason {
	if err == nil {
		return Unspecified
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return Failed
}

// Has reports whether err carries the reason r.
func Has(err error, r Reason) bool {
	return err != nil && ReasonOf(err) == r
}
