package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// Exit statuses (LSB init and status codes), as supervisorctl 4.2.5 uses
// them.
const (
	exitSuccess       = 0
	exitGeneric       = 1
	exitInvalidArgs   = 2
	exitUnimplemented = 3
	exitNoPrivileges  = 4
	exitNotInstalled  = 5
	exitNotRunning    = 7
	exitStatusStopped = 3 // status: a shown process is not running
	exitStatusUnknown = 4 // status: unknown name or no connection
	exitInterrupted   = 130
)

// apiVersion is the RPC API version this client speaks (Supervisor's 3.0).
const apiVersion = "3.0"

// Shorter names for the reasons the commands test.
const (
	badName      = gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME
	noFile       = gsupervisorv1.ErrorReason_ERROR_REASON_NO_FILE
	failed       = gsupervisorv1.ErrorReason_ERROR_REASON_FAILED
	notRunning   = gsupervisorv1.ErrorReason_ERROR_REASON_NOT_RUNNING
	alreadyAdded = gsupervisorv1.ErrorReason_ERROR_REASON_ALREADY_ADDED
	stillRunning = gsupervisorv1.ErrorReason_ERROR_REASON_STILL_RUNNING
	cantReread   = gsupervisorv1.ErrorReason_ERROR_REASON_CANT_REREAD
	shutdownSt   = gsupervisorv1.ErrorReason_ERROR_REASON_SHUTDOWN_STATE
	disabledR    = gsupervisorv1.ErrorReason_ERROR_REASON_DISABLED
	depFailed    = gsupervisorv1.ErrorReason_ERROR_REASON_DEPENDENCY_FAILED
	badArgs      = gsupervisorv1.ErrorReason_ERROR_REASON_BAD_ARGUMENTS
)

// fault is a failed call as supervisorctl 4.2.5 sees it: an XML-RPC fault
// with a code and a fault string.
type fault struct {
	// reason is the API reason; unspecified for UNKNOWN_METHOD.
	reason gsupervisorv1.ErrorReason
	// code is the legacy fault code.
	code faults.Code
	// text is the fault string, e.g. "BAD_NAME: foo".
	text string
}

// repr is Python's repr() of the xmlrpc.client.Fault.
func (f *fault) repr() string { return fmt.Sprintf("<Fault %d: %s>", f.code, pytext.Repr(f.text)) }

// is reports whether the fault has reason r.
func (f *fault) is(r gsupervisorv1.ErrorReason) bool {
	return f != nil && f.code != faults.UnknownMethod && f.reason == r
}

// asFault returns the fault of a failed call: a status carrying a
// google.rpc.ErrorInfo reason, or Unimplemented (UNKNOWN_METHOD).
func asFault(err error) (*fault, bool) {
	if lf, ok := faults.FromError(err); ok {
		return &fault{reason: lf.Reason, code: lf.Code, text: lf.String}, true
	}
	if err != nil && status.Code(err) == codes.Unimplemented {
		return &fault{code: faults.UnknownMethod, text: faults.UnknownMethod.Name()}, true
	}
	return nil, false
}

// isUnauthenticated reports whether the daemon refused the credentials
// (HTTP 401 for 4.2.5).
func isUnauthenticated(err error) bool { return status.Code(err) == codes.Unauthenticated }

// errInterrupted is the cause of a command's context when the user
// pressed Ctrl-C.
var errInterrupted = errors.New("interrupted")

// isInterrupted reports whether err comes from a Ctrl-C.
func isInterrupted(ctx context.Context, err error) bool {
	if errors.Is(err, errInterrupted) {
		return true
	}
	return ctx != nil && errors.Is(context.Cause(ctx), errInterrupted)
}

// socketError returns the errno of a call that failed because the socket
// could not be opened (the daemon is not there).
func socketError(cl *client, err error) (error, bool) {
	if cl == nil || status.Code(err) != codes.Unavailable {
		return nil, false
	}
	derr := cl.lastDialError()
	if derr == nil {
		return nil, false
	}
	return derr, true
}

// errnoOf returns the errno in a dial error.
func errnoOf(err error) (syscall.Errno, bool) {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e, true
	}
	return 0, false
}

// pyOSError renders a socket error as Python shows an OSError: the class
// name and "[Errno N] Message".
func pyOSError(err error) (class, text string) {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return "socket.gaierror", "[Errno -2] Name or service not known"
		}
		return "socket.gaierror", "[Errno -3] Temporary failure in name resolution"
	}
	e, ok := errnoOf(err)
	if !ok {
		return "OSError", err.Error()
	}
	switch e {
	case syscall.ECONNREFUSED:
		class = "ConnectionRefusedError"
	case syscall.ENOENT:
		class = "FileNotFoundError"
	case syscall.EACCES, syscall.EPERM:
		class = "PermissionError"
	case syscall.ECONNRESET:
		class = "ConnectionResetError"
	case syscall.ECONNABORTED:
		class = "ConnectionAbortedError"
	case syscall.EPIPE:
		class = "BrokenPipeError"
	case syscall.ETIMEDOUT:
		class = "TimeoutError"
	default:
		class = "OSError"
	}
	msg := e.Error()
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return class, fmt.Sprintf("[Errno %d] %s", int(e), msg)
}

// errorLine renders an error that 4.2.5 would not have caught, as its
// supervisorctl prints an uncaught exception (without the Python source
// file and line).
func errorLine(cl *client, err error) string {
	var ve *pyValueError
	switch {
	case errors.As(err, &ve):
		return "error: <class 'ValueError'>, " + ve.msg
	case isUnauthenticated(err):
		return "error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>"
	}
	if f, ok := asFault(err); ok {
		return "error: <class 'xmlrpc.client.Fault'>, " + f.repr()
	}
	if serr, ok := socketError(cl, err); ok {
		class, text := pyOSError(serr)
		return fmt.Sprintf("error: <class '%s'>, %s", class, text)
	}
	if st, ok := status.FromError(err); ok {
		return fmt.Sprintf("error: %s, %s", st.Code(), st.Message())
	}
	return "error: " + err.Error()
}
