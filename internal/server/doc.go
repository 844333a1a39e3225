// Package server exposes the daemon's core service on its endpoints.
//
// Each endpoint ([unix_http_server] socket, [inet_http_server] port) is one
// listener. A connection that starts with the HTTP/2 client preface is
// handed to the native grpc.Server; anything else is served as HTTP/1.1 by
// an http.ServeMux that routes /v1/ to the grpc-gateway REST handlers,
// /openapi.json to the embedded spec, and the legacy XML-RPC paths to the
// compat layer. The gateway and compat are gRPC clients of the same
// endpoint (through an in-memory socket pair), so authentication, error
// mapping and streaming are identical on every surface.
//
// The gRPC handlers are thin adapters: they validate, call the core
// (internal/supervisor), convert types and map errdefs errors to gRPC status
// codes carrying a google.rpc.ErrorInfo with the reason.
package server
