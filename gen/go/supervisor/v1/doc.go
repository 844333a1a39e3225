// Package supervisorv1 is the generated Go code of the gsupervisor v1 API
// (proto package supervisor.v1): messages, gRPC client and server stubs
// and grpc-gateway REST handlers. Everything except this file is generated
// by `make generate` from proto/supervisor/v1; do not edit it.
package supervisorv1
