package compat

import (
	"errors"

	"google.golang.org/grpc/status"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// Legacy fault codes of Supervisor 4.2.5 (supervisor.xmlrpc.Faults).
const (
	FaultUnknownMethod        = 1
	FaultIncorrectParameters  = 2
	FaultBadArguments         = 3
	FaultSignatureUnsupported = 4
	FaultShutdownState        = 6
	FaultBadName              = 10
	FaultBadSignal            = 11
	FaultNoFile               = 20
	FaultNotExecutable        = 21
	FaultFailed               = 30
	FaultAbnormalTermination  = 40
	FaultSpawnError           = 50
	FaultAlreadyStarted       = 60
	FaultNotRunning           = 70
	FaultSuccess              = 80
	FaultAlreadyAdded         = 90
	FaultStillRunning         = 91
	FaultCantReread           = 92
)

// reasonCodes maps every API error reason to its legacy fault code. The
// unspecified reason is the success of one item of a group operation.
// REVISION_MISMATCH has no legacy counterpart and is reported as FAILED.
var reasonCodes = map[gsupervisorv1.ErrorReason]int{
	gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED:          FaultSuccess,
	gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME:             FaultBadName,
	gsupervisorv1.ErrorReason_ERROR_REASON_BAD_SIGNAL:           FaultBadSignal,
	gsupervisorv1.ErrorReason_ERROR_REASON_BAD_ARGUMENTS:        FaultBadArguments,
	gsupervisorv1.ErrorReason_ERROR_REASON_NO_FILE:              FaultNoFile,
	gsupervisorv1.ErrorReason_ERROR_REASON_NOT_EXECUTABLE:       FaultNotExecutable,
	gsupervisorv1.ErrorReason_ERROR_REASON_FAILED:               FaultFailed,
	gsupervisorv1.ErrorReason_ERROR_REASON_ABNORMAL_TERMINATION: FaultAbnormalTermination,
	gsupervisorv1.ErrorReason_ERROR_REASON_SPAWN_ERROR:          FaultSpawnError,
	gsupervisorv1.ErrorReason_ERROR_REASON_ALREADY_STARTED:      FaultAlreadyStarted,
	gsupervisorv1.ErrorReason_ERROR_REASON_NOT_RUNNING:          FaultNotRunning,
	gsupervisorv1.ErrorReason_ERROR_REASON_ALREADY_ADDED:        FaultAlreadyAdded,
	gsupervisorv1.ErrorReason_ERROR_REASON_STILL_RUNNING:        FaultStillRunning,
	gsupervisorv1.ErrorReason_ERROR_REASON_CANT_REREAD:          FaultCantReread,
	gsupervisorv1.ErrorReason_ERROR_REASON_SHUTDOWN_STATE:       FaultShutdownState,
	gsupervisorv1.ErrorReason_ERROR_REASON_REVISION_MISMATCH:    FaultFailed,
}

// FaultCode returns the legacy fault code of an API error reason (FAILED
// for a reason this package does not know).
func FaultCode(r gsupervisorv1.ErrorReason) int {
	if c, ok := reasonCodes[r]; ok {
		return c
	}
	return FaultFailed
}

// fault returns a fault with the code and the bare legacy name as its text
// ("INCORRECT_PARAMETERS"), or "NAME: detail" when detail is not empty.
func fault(code int, name, detail string) *xmlrpc.Fault {
	if detail != "" {
		name += ": " + detail
	}
	return &xmlrpc.Fault{Code: code, String: name}
}

// incorrectParameters is the fault for a call whose arguments do not fit the
// method (Python's TypeError in 4.2.5's dispatcher).
func incorrectParameters() *xmlrpc.Fault {
	return fault(FaultIncorrectParameters, "INCORRECT_PARAMETERS", "")
}

// faultOf converts the error of a gRPC call to the legacy fault: the code
// from the reason of its ErrorInfo, the text from its message (which the
// daemon already writes as the legacy fault string, "BAD_NAME: foo"). An
// error without a reason (a transport failure, a cancelled call) is FAILED
// with the error's message.
func faultOf(err error) *xmlrpc.Fault {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return f
	}
	st, ok := status.FromError(err)
	if !ok {
		return fault(FaultFailed, "FAILED", err.Error())
	}
	if r, _, ok := gsupervisorv1.ReasonFromError(err); ok {
		return &xmlrpc.Fault{Code: FaultCode(r), String: st.Message()}
	}
	return fault(FaultFailed, "FAILED", st.Message())
}
