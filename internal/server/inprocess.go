package server

import (
	"context"
	"errors"
	"io"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file is the in-process transport: the one grpc.ClientConnInterface
// through which the surfaces mounted on an endpoint (the REST gateway,
// compat, web) call the service. A call runs the registered handler in
// this process through the server's own interceptors (Server.intercept,
// the very value grpc.NewServer got), with the caller's outgoing metadata
// as incoming metadata and the endpoint as its peer, without HTTP/2
// framing or serialization; messages are copied as the network would.

// methods records the services registered on the gRPC server, so that
// their methods can also be called in-process.
type methods struct {
	unary  map[string]unaryMethod
	stream map[string]streamMethod
}

// unaryMethod is one registered unary RPC.
type unaryMethod struct {
	impl    any
	handler grpc.MethodHandler
	info    *grpc.UnaryServerInfo
}

// streamMethod is one registered streaming RPC.
type streamMethod struct {
	impl    any
	handler grpc.StreamHandler
	info    *grpc.StreamServerInfo
}

// register registers a service on the gRPC server and records its
// methods.
func (m *methods) register(gs *grpc.Server, desc *grpc.ServiceDesc, impl any) {
	gs.RegisterService(desc, impl)
	for _, md := range desc.Methods {
		full := "/" + desc.ServiceName + "/" + md.MethodName
		m.unary[full] = unaryMethod{impl: impl, handler: md.Handler, info: &grpc.UnaryServerInfo{Server: impl, FullMethod: full}}
	}
	for _, sd := range desc.Streams {
		full := "/" + desc.ServiceName + "/" + sd.StreamName
		m.stream[full] = streamMethod{impl: impl, handler: sd.Handler, info: &grpc.StreamServerInfo{
			FullMethod: full, IsClientStream: sd.ClientStreams, IsServerStream: sd.ServerStreams,
		}}
	}
}

// inProcessAddr is the address of the in-process peer of an endpoint.
type inProcessAddr string

func (a inProcessAddr) Network() string { return "inprocess" }
func (a inProcessAddr) String() string  { return string(a) }

// localConn is the in-process client connection of one endpoint.
type localConn struct {
	srv      *Server
	endpoint *Endpoint
	// authenticated and anonymous are the peers of the calls made with
	// and without the endpoint's HTTP authentication mark on their
	// context (see authenticatedBy).
	authenticated, anonymous *peer.Peer
}

var _ grpc.ClientConnInterface = (*localConn)(nil)

// newLocalConn returns the in-process connection of e.
func newLocalConn(s *Server, e *Endpoint) *localConn {
	addr := inProcessAddr(e.cfg.Name)
	return &localConn{
		srv:           s,
		endpoint:      e,
		authenticated: &peer.Peer{Addr: addr, AuthInfo: inProcessInfo{endpoint: e, authenticated: true}},
		anonymous:     &peer.Peer{Addr: addr, AuthInfo: inProcessInfo{endpoint: e}},
	}
}

// serverContext turns the caller's context into the handler's: its
// outgoing metadata becomes incoming, and the peer is the endpoint,
// authenticated if the caller's HTTP request passed the endpoint's check.
func (c *localConn) serverContext(ctx context.Context) context.Context {
	md, _ := metadata.FromOutgoingContext(ctx)
	ctx = metadata.NewIncomingContext(ctx, md)
	p := c.anonymous
	if authenticatedBy(ctx) == c.endpoint {
		p = c.authenticated
	}
	return peer.NewContext(ctx, p)
}

// Invoke runs a unary method in-process, synchronously, in the caller's
// context (the caller's cancellation is the handler's).
func (c *localConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	m, ok := c.srv.methods.unary[method]
	if !ok {
		return status.Errorf(codes.Unimplemented, "unknown method %s", method)
	}
	in, err := asMessage(args, method, "request")
	if err != nil {
		return err
	}
	out, err := asMessage(reply, method, "response")
	if err != nil {
		return err
	}
	ts := &unaryTransport{method: method}
	ctx = grpc.NewContextWithServerTransportStream(c.serverContext(ctx), ts)
	dec := func(v any) error {
		dst, err := asMessage(v, method, "request")
		if err == nil {
			proto.Merge(dst, in)
		}
		return err
	}
	resp, err := m.handler(m.impl, ctx, dec, c.srv.intercept.unary)
	ts.deliver(opts)
	if err != nil {
		return toRPCError(err)
	}
	msg, err := asMessage(resp, method, "response")
	if err == nil {
		moveInto(out, msg)
	}
	return err
}

// asMessage returns v, the request or response (what) of a call of method,
// as a protobuf message, or the Internal error of a call whose messages
// are not protobuf.
func asMessage(v any, method, what string) (proto.Message, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, status.Errorf(codes.Internal, "%s: the %s is not a protobuf message", method, what)
	}
	return m, nil
}

// copyInto replaces dst's content with a copy of src's.
func copyInto(dst, src proto.Message) {
	proto.Reset(dst)
	proto.Merge(dst, src)
}

// moveInto replaces dst's content with src's without copying it: dst's
// fields take src's values, lists and messages included (src, a unary
// handler's response, is not used again once its handler has returned, as
// over a network connection where it is marshalled and dropped). A deep
// copy of a ListProcesses response of 1000 processes cost as much as
// building it. Both are of the same type, as a generated handler's
// response and its client's reply are.
func moveInto(dst, src proto.Message) {
	d, s := dst.ProtoReflect(), src.ProtoReflect()
	proto.Reset(dst)
	s.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		d.Set(fd, v)
		return true
	})
	if u := s.GetUnknown(); len(u) > 0 {
		d.SetUnknown(u)
	}
}

// NewStream starts a streaming method in-process: its handler runs in a
// goroutine of its own until it returns, the caller's context ends or
// the server closes.
func (c *localConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	m, ok := c.srv.methods.stream[method]
	if !ok {
		return nil, status.Errorf(codes.Unimplemented, "unknown method %s", method)
	}
	if err := ctx.Err(); err != nil {
		return nil, status.FromContextError(err).Err()
	}
	sctx, cancel := context.WithCancel(c.serverContext(ctx))
	s := &localStream{
		client:     ctx,
		method:     method,
		cancel:     cancel,
		reqs:       make(chan proto.Message, 1),
		resps:      make(chan proto.Message),
		taken:      make(chan struct{}, 1),
		headerSent: make(chan struct{}),
		done:       make(chan struct{}),
	}
	s.server = grpc.NewContextWithServerTransportStream(sctx, s)
	if !c.srv.startStream() {
		cancel()
		return nil, status.Error(codes.Unavailable, "the server is closed")
	}
	stopOnClose := context.AfterFunc(c.srv.closing, cancel)
	go func() {
		defer c.srv.streams.Done()
		defer stopOnClose()
		s.finish(c.srv.intercept.stream(m.impl, (*serverSide)(s), m.info, m.handler))
	}()
	return s, nil
}

// toRPCError returns err as a gRPC status error, as a network client
// would receive it.
func toRPCError(err error) error {
	if _, ok := status.FromError(err); ok {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return status.FromContextError(err).Err()
	}
	return status.Error(codes.Unknown, err.Error())
}

// unaryTransport is the grpc.ServerTransportStream of an in-process unary
// call: it keeps the headers and trailers the handler sets, for the
// caller's grpc.Header and grpc.Trailer call options.
type unaryTransport struct {
	method          string
	header, trailer metadata.MD
}

func (t *unaryTransport) Method() string { return t.method }

func (t *unaryTransport) SetHeader(md metadata.MD) error {
	t.header = metadata.Join(t.header, md)
	return nil
}

func (t *unaryTransport) SendHeader(md metadata.MD) error { return t.SetHeader(md) }

func (t *unaryTransport) SetTrailer(md metadata.MD) error {
	t.trailer = metadata.Join(t.trailer, md)
	return nil
}

// deliver hands the headers and trailers to the call options that ask for
// them.
func (t *unaryTransport) deliver(opts []grpc.CallOption) {
	for _, o := range opts {
		switch o := o.(type) {
		case grpc.HeaderCallOption:
			*o.HeaderAddr = t.header
		case grpc.TrailerCallOption:
			*o.TrailerAddr = t.trailer
		}
	}
}

// localStream is one in-process streaming call. Its methods are the
// client's side (grpc.ClientStream); serverSide is the handler's. Messages
// travel over channels and are copied: a request when the client sends it,
// a response while the handler's Send waits, so Send blocks until the
// client has received the message (or the call ends), like a network
// stream under backpressure, and a handler may reuse a message after Send.
type localStream struct {
	client context.Context // the caller's context
	server context.Context // the handler's context, cancelled when the call ends
	method string
	cancel context.CancelFunc

	reqs       chan proto.Message // client -> server; closed by CloseSend
	sendClosed bool               // CloseSend was called (client side only)
	resps      chan proto.Message // server -> client, unbuffered
	taken      chan struct{}      // the client copied the response just received

	mu         sync.Mutex
	header     metadata.MD
	trailer    metadata.MD
	sentHeader bool
	headerSent chan struct{} // closed when the headers are sent
	done       chan struct{} // closed when the handler returned
	err        error         // the call's status error (nil: OK), set before done closes
}

var _ grpc.ClientStream = (*localStream)(nil)

// finish ends the call with the handler's error.
func (s *localStream) finish(err error) {
	if err != nil {
		err = toRPCError(err)
	}
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	s.cancel()
	close(s.done)
}

// Header returns the headers the handler sent. Like a network stream's,
// it waits for them (sent explicitly, with the first message or never)
// and returns nil, nil if the call ended without them; the call's error
// comes from RecvMsg.
func (s *localStream) Header() (metadata.MD, error) {
	select {
	case <-s.headerSent:
	case <-s.done:
	case <-s.client.Done():
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.sentHeader {
		return nil, nil
	}
	return s.header.Copy(), nil
}

// Trailer returns the trailers, once the call has ended.
func (s *localStream) Trailer() metadata.MD {
	select {
	case <-s.done:
	default:
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.trailer.Copy()
}

// CloseSend tells the handler that no more requests come.
func (s *localStream) CloseSend() error {
	if !s.sendClosed {
		s.sendClosed = true
		close(s.reqs)
	}
	return nil
}

// Context returns the caller's context.
func (s *localStream) Context() context.Context { return s.client }

// SendMsg sends a copy of a request to the handler; io.EOF if the call has
// ended (its status comes from RecvMsg).
func (s *localStream) SendMsg(m any) error {
	if s.sendClosed {
		return status.Error(codes.Internal, "SendMsg called after CloseSend")
	}
	msg, err := asMessage(m, s.method, "request")
	if err != nil {
		return err
	}
	select {
	case s.reqs <- proto.Clone(msg):
		return nil
	case <-s.done:
		return io.EOF
	case <-s.client.Done():
		return status.FromContextError(s.client.Err()).Err()
	}
}

// RecvMsg receives the next response into m: io.EOF when the call ended
// with OK, its status error otherwise.
func (s *localStream) RecvMsg(m any) error {
	dst, err := asMessage(m, s.method, "response")
	if err != nil {
		return err
	}
	select {
	case msg := <-s.resps:
		copyInto(dst, msg)
		s.taken <- struct{}{}
		return nil
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.err == nil {
			return io.EOF
		}
		return s.err
	case <-s.client.Done():
		return status.FromContextError(s.client.Err()).Err()
	}
}

// serverSide is the handler's side of a localStream: grpc.ServerStream,
// and grpc.ServerTransportStream for grpc.SetHeader and friends.
type serverSide localStream

var (
	_ grpc.ServerStream          = (*serverSide)(nil)
	_ grpc.ServerTransportStream = (*localStream)(nil)
)

// Method returns the full method name (grpc.ServerTransportStream).
func (s *localStream) Method() string { return s.method }

// SetHeader adds to the headers (grpc.ServerTransportStream).
func (s *localStream) SetHeader(md metadata.MD) error { return (*serverSide)(s).SetHeader(md) }

// SendHeader sends the headers (grpc.ServerTransportStream).
func (s *localStream) SendHeader(md metadata.MD) error { return (*serverSide)(s).SendHeader(md) }

// SetTrailer adds to the trailers (grpc.ServerTransportStream).
func (s *localStream) SetTrailer(md metadata.MD) error {
	(*serverSide)(s).SetTrailer(md)
	return nil
}

// errHeaderSent is the error of setting headers once they are sent.
var errHeaderSent = status.Error(codes.Internal, "transport: the stream is done or WriteHeader was already called")

// SetHeader adds to the headers until they are sent.
func (s *serverSide) SetHeader(md metadata.MD) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sentHeader {
		return errHeaderSent
	}
	s.header = metadata.Join(s.header, md)
	return nil
}

// SendHeader adds md to the headers and sends them.
func (s *serverSide) SendHeader(md metadata.MD) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sentHeader {
		return errHeaderSent
	}
	s.header = metadata.Join(s.header, md)
	s.sendHeaderLocked()
	return nil
}

// sendHeaderLocked marks the headers sent.
func (s *serverSide) sendHeaderLocked() {
	if s.header == nil {
		s.header = metadata.MD{}
	}
	s.sentHeader = true
	close(s.headerSent)
}

// SetTrailer adds to the trailers.
func (s *serverSide) SetTrailer(md metadata.MD) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trailer = metadata.Join(s.trailer, md)
}

// Context returns the handler's context.
func (s *serverSide) Context() context.Context { return s.server }

// SendMsg hands m to the client and waits until the client has copied it,
// or the call ends. The headers go first, if not yet sent.
func (s *serverSide) SendMsg(m any) error {
	msg, err := asMessage(m, s.method, "response")
	if err != nil {
		return err
	}
	s.mu.Lock()
	if !s.sentHeader {
		s.sendHeaderLocked()
	}
	s.mu.Unlock()
	select {
	case s.resps <- msg:
		<-s.taken
		return nil
	case <-s.server.Done():
		return status.FromContextError(s.server.Err()).Err()
	}
}

// RecvMsg receives the client's next request into m; io.EOF after
// CloseSend.
func (s *serverSide) RecvMsg(m any) error {
	dst, err := asMessage(m, s.method, "request")
	if err != nil {
		return err
	}
	select {
	case msg, ok := <-s.reqs:
		if !ok {
			return io.EOF
		}
		copyInto(dst, msg)
		return nil
	case <-s.server.Done():
		return status.FromContextError(s.server.Err()).Err()
	}
}
