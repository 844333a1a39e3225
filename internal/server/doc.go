// Package server exposes the daemon's core service on its endpoints.
//
// Each endpoint ([unix_http_server] socket, [inet_http_server] port) is one
// listener. A connection that starts with the HTTP/2 client preface is
// handed to the native grpc.Server; anything else is served as HTTP/1.1 by
// an http.ServeMux that routes /v1/ to the grpc-gateway REST handlers,
// /openapi.json to the embedded spec, and the routes of the mounted surfaces
// (compat's legacy XML-RPC paths) to their handlers.
//
// The gateway and the surfaces are gRPC clients of their endpoint through
// its in-process connection (inprocess.go): one grpc.ClientConnInterface for
// unary and streaming calls that runs the handlers in this process through
// the server's one interceptor chain (chain.go), the very interceptors the
// grpc.Server runs for the network. Error mapping and streaming are thus
// identical on every surface. Credentials are checked once per request: by
// the HTTP layer for REST and the surfaces (their in-process calls carry
// the proof and are not checked again), by the gRPC interceptor for calls
// from the network.
//
// The gRPC handlers are thin adapters: they validate, call the core
// (internal/supervisor), convert types and map errdefs errors to gRPC status
// codes carrying a google.rpc.ErrorInfo with the reason (the codes come
// from the one fault table, internal/faults). One answer skips the structs
// when it goes to the network: ListProcesses encodes the protobuf wire
// form straight from the engine's snapshots (wire.go), since for 1000
// processes the structs are most of the call's cost, and copies each
// process's unchanging fields from one contiguous buffer; the server's
// codec (codec.go) hands those bytes to the transport from a pool without
// copying them. In-process callers still get the structs, unless their
// context asks for the wire form (surface.WithWireAnswers), as the legacy
// getAllProcessInfo does.
package server
