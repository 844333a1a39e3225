package server

import (
	"context"
	"log/slog"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/metrics"
)

// chain is the server's interceptor chain, defined once. The server
// composes it into one unary and one stream interceptor, which it hands to
// grpc.NewServer for calls from the network AND runs itself for in-process
// calls (the REST gateway, compat, any mounted surface), so an interceptor
// added here can never be skipped by a surface. The first interceptor is
// the outermost.
type chain struct {
	unary  []grpc.UnaryServerInterceptor
	stream []grpc.StreamServerInterceptor
}

// serverChain is the daemon's chain: the memory trimmer's touch
// outermost (when trim is not nil), then the RPC metrics (when rpc is not
// nil), then error mapping (status with ErrorInfo, panics turned into
// Internal), then authentication.
func serverChain(log *slog.Logger, rpc *metrics.RPC, trim *memtrim.Trimmer) chain {
	c := chain{
		unary:  []grpc.UnaryServerInterceptor{unaryErrors(log), unaryAuth},
		stream: []grpc.StreamServerInterceptor{streamErrors(log), streamAuth},
	}
	if rpc != nil {
		c.unary = append([]grpc.UnaryServerInterceptor{unaryMetrics(rpc)}, c.unary...)
		c.stream = append([]grpc.StreamServerInterceptor{streamMetrics(rpc)}, c.stream...)
	}
	if trim != nil {
		c.unary = append([]grpc.UnaryServerInterceptor{unaryTouch(trim)}, c.unary...)
		c.stream = append([]grpc.StreamServerInterceptor{streamTouch(trim)}, c.stream...)
	}
	return c
}

// unaryTouch tells the trimmer about every call, once it has returned
// (its garbage is made by then).
func unaryTouch(trim *memtrim.Trimmer) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		defer trim.Touch()
		return handler(ctx, req)
	}
}

// streamTouch tells the trimmer about every stream, at its start and end.
func streamTouch(trim *memtrim.Trimmer) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		trim.Touch()
		defer trim.Touch()
		return handler(srv, ss)
	}
}

// with returns the chain with one more unary and stream interceptor
// innermost (nil for none).
func (c chain) with(u grpc.UnaryServerInterceptor, s grpc.StreamServerInterceptor) chain {
	out := chain{unary: append([]grpc.UnaryServerInterceptor(nil), c.unary...), stream: append([]grpc.StreamServerInterceptor(nil), c.stream...)}
	if u != nil {
		out.unary = append(out.unary, u)
	}
	if s != nil {
		out.stream = append(out.stream, s)
	}
	return out
}

// interceptors is a chain composed into the one interceptor of each kind.
type interceptors struct {
	unary  grpc.UnaryServerInterceptor
	stream grpc.StreamServerInterceptor
}

// compose composes the chain.
func (c chain) compose() interceptors {
	return interceptors{unary: composeUnary(c.unary), stream: composeStream(c.stream)}
}

// serverOptions are the options that install the interceptors on a
// grpc.Server.
func (i interceptors) serverOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.UnaryInterceptor(i.unary), grpc.StreamInterceptor(i.stream)}
}

// composeUnary returns one interceptor that runs ints in order around the
// handler.
func composeUnary(ints []grpc.UnaryServerInterceptor) grpc.UnaryServerInterceptor {
	switch len(ints) {
	case 0:
		return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
			return handler(ctx, req)
		}
	case 1:
		return ints[0]
	}
	first, rest := ints[0], composeUnary(ints[1:])
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		return first(ctx, req, info, func(ctx context.Context, req any) (any, error) {
			return rest(ctx, req, info, handler)
		})
	}
}

// composeStream returns one interceptor that runs ints in order around
// the handler.
func composeStream(ints []grpc.StreamServerInterceptor) grpc.StreamServerInterceptor {
	switch len(ints) {
	case 0:
		return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
			return handler(srv, ss)
		}
	case 1:
		return ints[0]
	}
	first, rest := ints[0], composeStream(ints[1:])
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return first(srv, ss, info, func(srv any, ss grpc.ServerStream) error {
			return rest(srv, ss, info, handler)
		})
	}
}
