package server

import (
	"context"
	"fmt"
	"log/slog"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// unaryMethod is one registered unary RPC.
type unaryMethod struct {
	impl    any
	handler grpc.MethodHandler
	info    *grpc.UnaryServerInfo
}

// registry records the services registered on the gRPC server so that
// their unary methods can also be called in-process.
type registry struct {
	server *grpc.Server
	unary  map[string]unaryMethod
}

// register registers a service on the gRPC server and records its unary
// methods.
func (r *registry) register(desc *grpc.ServiceDesc, impl any) {
	r.server.RegisterService(desc, impl)
	for _, m := range desc.Methods {
		full := "/" + desc.ServiceName + "/" + m.MethodName
		r.unary[full] = unaryMethod{impl: impl, handler: m.Handler, info: &grpc.UnaryServerInfo{Server: impl, FullMethod: full}}
	}
}

// localConn is the in-process client connection of an endpoint, for the
// surfaces mounted on it (the REST gateway, compat). A unary call runs the
// registered handler directly, through the same interceptors as a call
// from the network (error mapping, then authentication against the
// endpoint with the caller's forwarded authorization metadata), so it
// behaves identically without HTTP/2 framing and copies. Streams go
// through the endpoint's real in-memory gRPC connection.
type localConn struct {
	reg      *registry
	endpoint *Endpoint
	log      *slog.Logger
	streams  *grpc.ClientConn
}

var _ grpc.ClientConnInterface = (*localConn)(nil)

// Invoke calls a unary method in-process.
func (c *localConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	m, ok := c.reg.unary[method]
	if !ok {
		return status.Errorf(codes.Unimplemented, "unknown method %s", method)
	}
	in, ok := args.(proto.Message)
	out, ok2 := reply.(proto.Message)
	if !ok || !ok2 {
		return status.Errorf(codes.Internal, "%s: arguments are not protobuf messages", method)
	}
	md, _ := metadata.FromOutgoingContext(ctx)
	ctx = metadata.NewIncomingContext(ctx, md)
	ctx = peer.NewContext(ctx, &peer.Peer{
		Addr:     pipeAddr(c.endpoint.cfg.Name),
		AuthInfo: endpointInfo{endpoint: c.endpoint},
	})
	dec := func(v any) error {
		dst, ok := v.(proto.Message)
		if !ok {
			return fmt.Errorf("request is not a protobuf message")
		}
		proto.Merge(dst, in)
		return nil
	}
	resp, err := m.handler(m.impl, ctx, dec, c.intercept)
	if err != nil {
		return err
	}
	proto.Reset(out)
	proto.Merge(out, resp.(proto.Message))
	return nil
}

// intercept is the server's unary interceptor chain: errors, then auth.
func (c *localConn) intercept(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	return unaryErrors(c.log)(ctx, req, info, func(ctx context.Context, req any) (any, error) {
		return unaryAuth(ctx, req, info, handler)
	})
}

// NewStream opens a stream on the endpoint's in-memory connection.
func (c *localConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return c.streams.NewStream(ctx, desc, method, opts...)
}
