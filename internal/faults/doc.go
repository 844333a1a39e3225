// Package faults is the one fault table of the daemon (rule 2 of the
// architecture: one error type, one fault table, three projections).
//
// Every error the core returns carries a reason (internal/errdefs), which
// the API names gsupervisor.v1.ErrorReason. This package maps each reason to
// its projections:
//
//   - gRPC: the status code the server answers with (the REST gateway
//     derives the HTTP status from it), next to the google.rpc.ErrorInfo
//     that gsupervisorv1.NewErrorInfo builds;
//   - XML-RPC: the legacy fault code of Supervisor 4.2.5 and its name, which
//     compat answers and supervisorctl reports.
//
// FromError is the decoder both compat and supervisorctl use to turn a
// failed call into its legacy fault. The package is a leaf: it imports the
// generated API and grpc's codes and status, nothing of the daemon.
package faults
