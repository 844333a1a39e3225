package main

import (
	"fmt"
	"strings"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// result is one outcome of a start, stop, signal or clear, from a group
// or "all" call or from a single call's fault: the fields 4.2.5's result
// dictionaries have.
type result struct {
	group, name string
	hasName     bool
	code        faults.Code
	description string
	// reason is the API reason, for gsupervisor's own (DISABLED,
	// DEPENDENCY_FAILED), which share a legacy code with others.
	reason gsupervisorv1.ErrorReason
}

// fromProcessResult converts an API result.
func fromProcessResult(r *gsupervisorv1.ProcessResult) result {
	return result{group: r.GetGroup(), name: r.GetName(), hasName: true,
		code: faults.Of(r.GetReason()).Fault, description: r.GetDescription(), reason: r.GetReason()}
}

// fromFault is the result 4.2.5 builds from a single call's fault.
func fromFault(spec string, f *fault) result {
	group, name, hasName := splitNamespec(spec)
	return result{group: group, name: name, hasName: hasName, code: f.code, description: f.text, reason: f.reason}
}

// detail returns the description after "REASON: name: " ("dependency db
// is FATAL" of "DEPENDENCY_FAILED: web: dependency db is FATAL").
func (r result) detail() string {
	d := r.description
	if _, rest, ok := strings.Cut(d, ": "); ok {
		d = rest
	}
	if rest, ok := strings.CutPrefix(d, r.namespec()+": "); ok {
		d = rest
	}
	return d
}

// namespec returns the result's name as 4.2.5 prints it.
func (r result) namespec() string { return makeNamespec(r.group, r.name, r.hasName) }

// unknownResult is the ValueError 4.2.5 raises for a code a command does
// not expect.
func unknownResult(r result) error {
	return &pyValueError{msg: fmt.Sprintf("Unknown result code %d for %s", r.code, r.namespec())}
}

// errorText formats "<name>: ERROR (<what>)".
func errorText(name, what string) string { return name + ": ERROR (" + what + ")" }
