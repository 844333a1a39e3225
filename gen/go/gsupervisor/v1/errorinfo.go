package gsupervisorv1

// This file is written by hand (make generate removes only *.pb.go): the
// one encoder and decoder of the google.rpc.ErrorInfo detail that every
// failed call of the API carries, so no client strips or adds the
// ERROR_REASON_ prefix by hand.

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the domain of the google.rpc.ErrorInfo detail of every
// error of the gsupervisor API.
const ErrorDomain = "gsupervisor.v1"

// ErrorInfoDetailKey is the metadata key of the ErrorInfo detail that holds
// the text after "REASON: " in the status message (often a process name);
// it is empty when the message is the bare reason.
const ErrorInfoDetailKey = "detail"

// NewErrorInfo returns the google.rpc.ErrorInfo detail of an error with the
// reason and detail. Its reason is the full enum value name, e.g.
// "ERROR_REASON_BAD_NAME", the one spelling used everywhere.
func NewErrorInfo(reason ErrorReason, detail string) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{
		Reason:   reason.String(),
		Domain:   ErrorDomain,
		Metadata: map[string]string{ErrorInfoDetailKey: detail},
	}
}

// ReasonFromError returns the reason and detail of a failed call of the
// API: the first google.rpc.ErrorInfo of domain ErrorDomain in err's gRPC
// status. ok is false for nil and for an error that carries no such detail
// (a transport failure, a cancelled call, another service's error). A
// reason name this version does not know (a newer daemon) is reported as
// ERROR_REASON_FAILED.
func ReasonFromError(err error) (reason ErrorReason, detail string, ok bool) {
	if err == nil {
		return ErrorReason_ERROR_REASON_UNSPECIFIED, "", false
	}
	st, isStatus := status.FromError(err)
	if !isStatus {
		return ErrorReason_ERROR_REASON_UNSPECIFIED, "", false
	}
	for _, d := range st.Details() {
		info, isInfo := d.(*errdetails.ErrorInfo)
		if !isInfo || info.GetDomain() != ErrorDomain {
			continue
		}
		v, known := ErrorReason_value[info.GetReason()]
		if !known || v == int32(ErrorReason_ERROR_REASON_UNSPECIFIED) {
			v = int32(ErrorReason_ERROR_REASON_FAILED)
		}
		return ErrorReason(v), info.GetMetadata()[ErrorInfoDetailKey], true
	}
	return ErrorReason_ERROR_REASON_UNSPECIFIED, "", false
}
