package server

import (
	"context"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/gsupervisor/gsupervisor/internal/metrics"
)

// The surfaces a call can come from, as the metrics label them.
const (
	surfaceGRPC      = "grpc"      // a gRPC client on the network
	surfaceREST      = "rest"      // the REST gateway (/v1/)
	surfaceXMLRPC    = "xmlrpc"    // the legacy XML-RPC surface (/RPC2, /logtail)
	surfaceWeb       = "web"       // the web interface's pages
	surfaceInProcess = "inprocess" // an in-process call made outside an HTTP request
)

// surfaceKey is the context key of the surface an HTTP request reached.
type surfaceKey struct{}

// withSurface marks ctx as the context of a request to surface.
func withSurface(ctx context.Context, surface string) context.Context {
	return context.WithValue(ctx, surfaceKey{}, surface)
}

// surfaceOfPath returns the surface that serves an HTTP path.
func surfaceOfPath(path string) string {
	switch {
	case strings.HasPrefix(path, "/v1/"):
		return surfaceREST
	case strings.HasPrefix(path, "/RPC2"), strings.HasPrefix(path, "/logtail"):
		return surfaceXMLRPC
	}
	return surfaceWeb
}

// surfaceOf returns the surface a call came from: the one its HTTP
// request reached, or gRPC for a call from the network.
func surfaceOf(ctx context.Context) string {
	if s, ok := ctx.Value(surfaceKey{}).(string); ok {
		return s
	}
	if p, ok := peer.FromContext(ctx); ok {
		if _, in := p.AuthInfo.(inProcessInfo); in {
			return surfaceInProcess
		}
	}
	return surfaceGRPC
}

// unaryMetrics counts and times every unary call (outermost in the chain,
// so it sees the status code the caller gets).
func unaryMetrics(rpc *metrics.RPC) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		rpc.Unary(surfaceOf(ctx), info.FullMethod, status.Code(err), time.Since(start))
		return resp, err
	}
}

// streamMetrics counts every stream when it ends.
func streamMetrics(rpc *metrics.RPC) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		err := handler(srv, ss)
		rpc.Stream(surfaceOf(ss.Context()), info.FullMethod, status.Code(err))
		return err
	}
}
