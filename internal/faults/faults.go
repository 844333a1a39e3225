package faults

import (
	"errors"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// Code is a legacy XML-RPC fault code of Supervisor 4.2.5
// (supervisor.xmlrpc.Faults).
type Code int

// The legacy fault codes.
const (
	UnknownMethod        Code = 1
	IncorrectParameters  Code = 2
	BadArguments         Code = 3
	SignatureUnsupported Code = 4
	ShutdownState        Code = 6
	BadName              Code = 10
	BadSignal            Code = 11
	NoFile               Code = 20
	NotExecutable        Code = 21
	Failed               Code = 30
	AbnormalTermination  Code = 40
	SpawnError           Code = 50
	AlreadyStarted       Code = 60
	NotRunning           Code = 70
	Success              Code = 80
	AlreadyAdded         Code = 90
	StillRunning         Code = 91
	CantReread           Code = 92
)

// otherNames are the legacy names of the fault codes no reason stands for.
var otherNames = map[Code]string{
	UnknownMethod:        "UNKNOWN_METHOD",
	IncorrectParameters:  "INCORRECT_PARAMETERS",
	SignatureUnsupported: "SIGNATURE_UNSUPPORTED",
	Success:              "SUCCESS",
}

// Name returns the legacy fault name ("BAD_NAME"): for a code a reason
// stands for, the reason's name (its enum value without the ERROR_REASON_
// prefix, which the API keeps equal to 4.2.5's fault names); 4.2.5's name
// for the other codes; the number for a code 4.2.5 does not define.
func (c Code) Name() string {
	if n, ok := otherNames[c]; ok {
		return n
	}
	for _, e := range table {
		if e.Fault == c {
			return strings.TrimPrefix(e.Reason.String(), "ERROR_REASON_")
		}
	}
	return strconv.Itoa(int(c))
}

// Text returns the legacy fault string: the name alone, or "NAME: detail"
// when detail is not empty ("BAD_NAME: web:web_00").
func (c Code) Text(detail string) string {
	if detail == "" {
		return c.Name()
	}
	return c.Name() + ": " + detail
}

// Entry is one reason's row of the table.
type Entry struct {
	// Reason is the API's error reason.
	Reason gsupervisorv1.ErrorReason
	// Fault is the legacy fault code compat answers for the reason.
	Fault Code
	// Status is the gRPC code of a call that fails with the reason.
	Status codes.Code
}

// table has one row per reason, indexed by the reason's number. The
// unspecified reason is the success of one item of a group operation;
// REVISION_MISMATCH has no legacy counterpart and is a legacy FAILED;
// DISABLED and DEPENDENCY_FAILED (a start that cannot happen) are a legacy
// SPAWN_ERROR, the one start failure 4.2.5's supervisorctl reports as such.
// The gRPC codes follow the gateway's HTTP mapping: NotFound 404,
// AlreadyExists and Aborted 409, InvalidArgument and FailedPrecondition
// 400, Internal 500, Unavailable 503.
var table = [...]Entry{
	{gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED, Success, codes.OK},
	{gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME, BadName, codes.NotFound},
	{gsupervisorv1.ErrorReason_ERROR_REASON_BAD_SIGNAL, BadSignal, codes.InvalidArgument},
	{gsupervisorv1.ErrorReason_ERROR_REASON_BAD_ARGUMENTS, BadArguments, codes.InvalidArgument},
	{gsupervisorv1.ErrorReason_ERROR_REASON_NO_FILE, NoFile, codes.NotFound},
	{gsupervisorv1.ErrorReason_ERROR_REASON_NOT_EXECUTABLE, NotExecutable, codes.FailedPrecondition},
	{gsupervisorv1.ErrorReason_ERROR_REASON_FAILED, Failed, codes.Internal},
	{gsupervisorv1.ErrorReason_ERROR_REASON_ABNORMAL_TERMINATION, AbnormalTermination, codes.Aborted},
	{gsupervisorv1.ErrorReason_ERROR_REASON_SPAWN_ERROR, SpawnError, codes.Internal},
	{gsupervisorv1.ErrorReason_ERROR_REASON_ALREADY_STARTED, AlreadyStarted, codes.FailedPrecondition},
	{gsupervisorv1.ErrorReason_ERROR_REASON_NOT_RUNNING, NotRunning, codes.FailedPrecondition},
	{gsupervisorv1.ErrorReason_ERROR_REASON_ALREADY_ADDED, AlreadyAdded, codes.AlreadyExists},
	{gsupervisorv1.ErrorReason_ERROR_REASON_STILL_RUNNING, StillRunning, codes.FailedPrecondition},
	{gsupervisorv1.ErrorReason_ERROR_REASON_CANT_REREAD, CantReread, codes.InvalidArgument},
	{gsupervisorv1.ErrorReason_ERROR_REASON_SHUTDOWN_STATE, ShutdownState, codes.Unavailable},
	{gsupervisorv1.ErrorReason_ERROR_REASON_REVISION_MISMATCH, Failed, codes.Aborted},
	{gsupervisorv1.ErrorReason_ERROR_REASON_DISABLED, SpawnError, codes.FailedPrecondition},
	{gsupervisorv1.ErrorReason_ERROR_REASON_DEPENDENCY_FAILED, SpawnError, codes.FailedPrecondition},
}

// failed is the row of a reason the table does not know.
var failed = Entry{gsupervisorv1.ErrorReason_ERROR_REASON_FAILED, Failed, codes.Internal}

// Of returns the row of a reason; a reason this version does not know is
// a generic failure (FAILED, Internal).
func Of(r gsupervisorv1.ErrorReason) Entry {
	if r >= 0 && int(r) < len(table) {
		return table[r]
	}
	e := failed
	e.Reason = r
	return e
}

// Entries returns every row, in the order of the reasons.
func Entries() []Entry { return append([]Entry(nil), table[:]...) }

// Fault is the legacy fault of a failed call of the API.
type Fault struct {
	// Reason is the API's reason.
	Reason gsupervisorv1.ErrorReason
	// Code is the legacy fault code.
	Code Code
	// String is the fault string: the call's status message, which the
	// daemon writes as the legacy text ("BAD_NAME: web:web_00").
	String string
}

// FromError returns the legacy fault of a failed call: the reason of the
// google.rpc.ErrorInfo of domain gsupervisor.v1 it carries
// (gsupervisorv1.ReasonFromError), its fault code, and the status message.
// ok is false for an error without such a detail (a transport failure, a
// cancelled call, nil).
func FromError(err error) (f Fault, ok bool) {
	r, _, ok := gsupervisorv1.ReasonFromError(err)
	if !ok {
		return Fault{}, false
	}
	return Fault{Reason: r, Code: Of(r).Fault, String: statusMessage(err)}, true
}

// Legacy returns the legacy fault of any failed call, as 4.2.5's clients
// see it: FromError's fault, or FAILED with the error's message for an
// error that carries no reason (a transport failure, a cancelled call).
func Legacy(err error) Fault {
	if f, ok := FromError(err); ok {
		return f
	}
	return Fault{Reason: gsupervisorv1.ErrorReason_ERROR_REASON_FAILED, Code: Failed, String: Failed.Text(statusMessage(err))}
}

// statusMessage returns the message of the gRPC status in err's chain
// (status.Convert would prefix a wrapped status with the wrapping text).
func statusMessage(err error) string {
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) {
		return se.GRPCStatus().Message()
	}
	return status.Convert(err).Message()
}
