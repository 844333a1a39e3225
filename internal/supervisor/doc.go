// Package supervisor is the daemon's one core service: the process groups
// and their processes, priorities, group and "all" operations with
// Supervisor 4.2.5's results, logs, events, reread/update of the
// configuration, and the ordered shutdown and restart.
//
// It is plain Go: it knows nothing of protobuf, HTTP or XML-RPC. Every
// error it returns is an *errdefs.Error whose reason the surfaces project
// onto gRPC codes, REST statuses and legacy faults.
package supervisor
