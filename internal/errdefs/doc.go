// Package errdefs is the one error vocabulary of the daemon.
//
// The core returns *Error values carrying a Reason, one per legacy Supervisor
// fault (BAD_NAME, ALREADY_STARTED, …). The surfaces project them through
// the one fault table, internal/faults: gRPC (status code plus
// google.rpc.ErrorInfo, in internal/server), REST (the gateway's HTTP status
// from the gRPC code) and XML-RPC (the legacy fault code and text, in compat
// and supervisorctl). The error text is the legacy fault string, `REASON` or
// `REASON: detail`, so every surface shows the same words.
package errdefs
