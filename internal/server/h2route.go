package server

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strings"
)

// Over TLS every client that speaks HTTP/2 negotiates it with ALPN: gRPC
// clients, but also curl and browsers, which then send REST, XML-RPC and
// page requests as HTTP/2. So a TLS connection that speaks HTTP/2 goes to
// the endpoint's HTTP server (which serves HTTP/2 on the already
// decrypted connection), and each request is routed by its content type:
// gRPC (application/grpc, application/grpc+proto, …) to the gRPC server's
// HTTP handler, everything else to the HTTP mux. Cleartext connections
// keep the split by the connection's first bytes: there only gRPC clients
// send the HTTP/2 preface.

// endpointKey is the context key of the endpoint a request arrived on, for
// the gRPC calls served through the HTTP server (authorize).
type endpointKey struct{}

// tlsStateKey is the context key of a connection's TLS state.
type tlsStateKey struct{}

// endpointFromContext returns the endpoint stored by routeByContentType.
func endpointFromContext(ctx context.Context) *Endpoint {
	e, _ := ctx.Value(endpointKey{}).(*Endpoint)
	return e
}

// isGRPC reports whether r is a gRPC call: HTTP/2 with a gRPC content
// type (not gRPC-Web, which is not served).
func isGRPC(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return r.ProtoMajor == 2 && (ct == "application/grpc" || strings.HasPrefix(ct, "application/grpc+") || strings.HasPrefix(ct, "application/grpc;"))
}

// routeByContentType serves the gRPC calls that arrive on the HTTP server
// with grpcHandler (tagged with their endpoint e), and every other
// request with next, with r.TLS set from the connection.
func routeByContentType(e *Endpoint, grpcHandler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st, ok := r.Context().Value(tlsStateKey{}).(tls.ConnectionState); ok && r.TLS == nil {
			r.TLS = &st
		}
		if isGRPC(r) {
			grpcHandler.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), endpointKey{}, e)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// connTLSContext is the HTTP server's ConnContext: it stores the TLS state
// of a connection the endpoint's listener decrypted (the HTTP server sees
// the wrapped connection, not the *tls.Conn, and would leave r.TLS nil).
func connTLSContext(ctx context.Context, c net.Conn) context.Context {
	for {
		switch cc := c.(type) {
		case *tls.Conn:
			return context.WithValue(ctx, tlsStateKey{}, cc.ConnectionState())
		case *prefixConn:
			c = cc.Conn
		case *endpointConn:
			c = cc.Conn
		default:
			return ctx
		}
	}
}
