package compat

import (
	"errors"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// fault returns a fault with the code and its legacy text: the bare name
// ("INCORRECT_PARAMETERS"), or "NAME: detail" when detail is not empty.
func fault(code faults.Code, detail string) *xmlrpc.Fault {
	return &xmlrpc.Fault{Code: int(code), String: code.Text(detail)}
}

// incorrectParameters is the fault for a call whose arguments do not fit the
// method (Python's TypeError in 4.2.5's dispatcher).
func incorrectParameters() *xmlrpc.Fault {
	return fault(faults.IncorrectParameters, "")
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
	lf := faults.Legacy(err)
	return &xmlrpc.Fault{Code: int(lf.Code), String: lf.String}
}

// LegacyFault returns the legacy fault code and text of the error of a
// gRPC call (for example 70 and "NOT_RUNNING: web"), as an XML-RPC client
// of 4.2.5 would see them; the web interface words its messages with it.
func LegacyFault(err error) (code int, text string) {
	f := faultOf(err)
	return f.Code, f.String
}
