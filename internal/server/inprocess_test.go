package server

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// testService is a service whose handlers the tests of the in-process
// transport define per call; messages are Int64Values.
type testService struct {
	unary  func(ctx context.Context, in *wrapperspb.Int64Value) (*wrapperspb.Int64Value, error)
	stream func(ss grpc.ServerStream) error
}

// testDesc describes testService: one unary method, one server stream,
// one client stream.
var testDesc = grpc.ServiceDesc{
	ServiceName: "test.Test",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Unary",
		Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.Int64Value)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(ctx context.Context, req any) (any, error) {
				return srv.(*testService).unary(ctx, req.(*wrapperspb.Int64Value))
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/test.Test/Unary"}, h)
		},
	}},
	Streams: []grpc.StreamDesc{
		{StreamName: "Server", ServerStreams: true, Handler: func(srv any, ss grpc.ServerStream) error { return srv.(*testService).stream(ss) }},
		{StreamName: "Client", ClientStreams: true, Handler: func(srv any, ss grpc.ServerStream) error { return srv.(*testService).stream(ss) }},
	},
}

// newTestConn returns the in-process connection of an endpoint of a server
// (not serving the network) with testService registered.
func newTestConn(t *testing.T, svc *testService) (*Server, grpc.ClientConnInterface) {
	t.Helper()
	srv := newWithChain(nil, nil, discard, serverChain(discard, nil, nil), nil, defaultLimits)
	srv.methods.register(srv.grpc, &testDesc, svc)
	e, err := srv.Listen(EndpointConfig{Name: "unix_http_server", Network: "unix", Address: filepath.Join(testutil.ShortTempDir(t), "s.sock"), UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, e.ClientConn()
}

// serverStream opens the test's server stream with one request.
func serverStream(t *testing.T, ctx context.Context, conn grpc.ClientConnInterface, n int64) grpc.ClientStream {
	t.Helper()
	cs, err := conn.NewStream(ctx, &testDesc.Streams[0], "/test.Test/Server")
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(wrapperspb.Int64(n)); err != nil {
		t.Fatal(err)
	}
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestInProcessStreamCopiesAndBlocks: the handler reuses one message for
// every Send and counts the Sends that returned; the client sees every
// value (each Send is copied before it returns) and never more Sends
// completed than messages received (Send waits for the client).
func TestInProcessStreamCopiesAndBlocks(t *testing.T) {
	var sent atomic.Int64
	_, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		in := new(wrapperspb.Int64Value)
		if err := ss.RecvMsg(in); err != nil {
			return err
		}
		m := new(wrapperspb.Int64Value)
		for i := int64(1); i <= in.GetValue(); i++ {
			m.Value = i
			if err := ss.SendMsg(m); err != nil {
				return err
			}
			sent.Add(1)
		}
		return nil
	}})
	cs := serverStream(t, t.Context(), conn, 50)
	for i := int64(1); ; i++ {
		got := new(wrapperspb.Int64Value)
		err := cs.RecvMsg(got)
		if err == io.EOF {
			if i != 51 {
				t.Fatalf("stream ended after %d messages", i-1)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if got.GetValue() != i {
			t.Fatalf("message %d = %d", i, got.GetValue())
		}
		if s := sent.Load(); s > i {
			t.Fatalf("after %d messages received, %d Sends had returned", i, s)
		}
	}
}

// TestInProcessSendWaitsForTheClient: a Send nobody receives does not
// complete; it fails when the client's context ends, which also cancels
// the handler's context.
func TestInProcessSendWaitsForTheClient(t *testing.T) {
	sending := make(chan struct{})
	result := make(chan error, 1)
	handlerCtx := make(chan error, 1)
	_, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		if err := ss.RecvMsg(new(wrapperspb.Int64Value)); err != nil {
			return err
		}
		close(sending)
		err := ss.SendMsg(wrapperspb.Int64(1))
		result <- err
		<-ss.Context().Done()
		handlerCtx <- ss.Context().Err()
		return err
	}})
	ctx, cancel := context.WithCancel(t.Context())
	serverStream(t, ctx, conn, 1)
	testutil.Receive(t, sending, "the handler to send")
	cancel()
	if err := testutil.Receive(t, result, "the Send to end"); status.Code(err) != codes.Canceled {
		t.Errorf("Send without a receiver = %v, want Canceled", err)
	}
	if err := testutil.Receive(t, handlerCtx, "the handler's context to end"); !errors.Is(err, context.Canceled) {
		t.Errorf("handler context = %v", err)
	}
}

// TestInProcessHeadersAndStatus: headers sent explicitly reach Header,
// trailers reach Trailer after the end, and a handler error reaches the
// client as the status the server's chain maps it to (a core error: its
// gRPC code), with Header returning nil, nil as on the network.
func TestInProcessHeadersAndStatus(t *testing.T) {
	fail := atomic.Bool{}
	_, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		if err := ss.RecvMsg(new(wrapperspb.Int64Value)); err != nil {
			return err
		}
		if fail.Load() {
			return errdefs.New(errdefs.BadName, "nope")
		}
		if err := ss.SetHeader(metadata.Pairs("a", "1")); err != nil {
			return err
		}
		if err := ss.SendHeader(metadata.Pairs("b", "2")); err != nil {
			return err
		}
		if err := ss.SetHeader(metadata.Pairs("c", "3")); err == nil {
			return errors.New("SetHeader after SendHeader succeeded")
		}
		ss.SetTrailer(metadata.Pairs("t", "9"))
		return ss.SendMsg(wrapperspb.Int64(7))
	}})
	cs := serverStream(t, t.Context(), conn, 0)
	md, err := cs.Header()
	if err != nil || md.Get("a")[0] != "1" || md.Get("b")[0] != "2" {
		t.Fatalf("Header = %v, %v", md, err)
	}
	if cs.Trailer() != nil {
		t.Errorf("Trailer before the end = %v", cs.Trailer())
	}
	got := new(wrapperspb.Int64Value)
	if err := cs.RecvMsg(got); err != nil || got.GetValue() != 7 {
		t.Fatalf("RecvMsg = %v, %v", got, err)
	}
	if err := cs.RecvMsg(got); err != io.EOF {
		t.Fatalf("end of stream = %v", err)
	}
	if tr := cs.Trailer(); len(tr.Get("t")) != 1 || tr.Get("t")[0] != "9" {
		t.Errorf("Trailer = %v", tr)
	}

	fail.Store(true)
	cs = serverStream(t, t.Context(), conn, 0)
	if md, err := cs.Header(); md != nil || err != nil {
		t.Errorf("Header of a failed call = %v, %v; want nil, nil", md, err)
	}
	err = cs.RecvMsg(got)
	if status.Code(err) != codes.NotFound || status.Convert(err).Message() != "BAD_NAME: nope" {
		t.Errorf("failed call = %v", err)
	}
}

// TestInProcessClientStream: requests are copied as they are sent, and
// CloseSend ends them for the handler.
func TestInProcessClientStream(t *testing.T) {
	_, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		var sum int64
		for {
			in := new(wrapperspb.Int64Value)
			err := ss.RecvMsg(in)
			if err == io.EOF {
				return ss.SendMsg(wrapperspb.Int64(sum))
			}
			if err != nil {
				return err
			}
			sum += in.GetValue()
		}
	}})
	cs, err := conn.NewStream(t.Context(), &testDesc.Streams[1], "/test.Test/Client")
	if err != nil {
		t.Fatal(err)
	}
	m := new(wrapperspb.Int64Value)
	for i := int64(1); i <= 10; i++ {
		m.Value = i // reused: SendMsg must have copied the previous value
		if err := cs.SendMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(m); err == nil {
		t.Error("SendMsg after CloseSend succeeded")
	}
	got := new(wrapperspb.Int64Value)
	if err := cs.RecvMsg(got); err != nil || got.GetValue() != 55 {
		t.Fatalf("sum = %v, %v", got, err)
	}
}

// TestInProcessUnaryHeaders: a unary handler's grpc.SetHeader and
// grpc.SetTrailer reach the grpc.Header and grpc.Trailer call options,
// and an unknown method is Unimplemented.
func TestInProcessUnaryHeaders(t *testing.T) {
	_, conn := newTestConn(t, &testService{unary: func(ctx context.Context, in *wrapperspb.Int64Value) (*wrapperspb.Int64Value, error) {
		if err := grpc.SetHeader(ctx, metadata.Pairs("h", "1")); err != nil {
			return nil, err
		}
		if err := grpc.SetTrailer(ctx, metadata.Pairs("t", "2")); err != nil {
			return nil, err
		}
		if m, _ := grpc.Method(ctx); m != "/test.Test/Unary" {
			return nil, errors.New("no method in the context")
		}
		return wrapperspb.Int64(in.GetValue() * 2), nil
	}})
	var header, trailer metadata.MD
	out := new(wrapperspb.Int64Value)
	err := conn.Invoke(t.Context(), "/test.Test/Unary", wrapperspb.Int64(21), out, grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil || out.GetValue() != 42 || header.Get("h")[0] != "1" || trailer.Get("t")[0] != "2" {
		t.Fatalf("Invoke = %v, %v, header %v, trailer %v", out, err, header, trailer)
	}
	if err := conn.Invoke(t.Context(), "/test.Test/Nope", out, out); status.Code(err) != codes.Unimplemented {
		t.Errorf("unknown method = %v", err)
	}
	if _, err := conn.NewStream(t.Context(), &testDesc.Streams[0], "/test.Test/Nope"); status.Code(err) != codes.Unimplemented {
		t.Errorf("unknown stream = %v", err)
	}
}

// TestInProcessCloseEndsStreams: closing the server cancels the handlers
// of in-process streams and waits for them; a stream opened after Close
// is refused.
func TestInProcessCloseEndsStreams(t *testing.T) {
	started := make(chan struct{})
	var ended atomic.Bool
	srv, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		close(started)
		<-ss.Context().Done()
		ended.Store(true)
		return ss.Context().Err()
	}})
	cs := serverStream(t, context.Background(), conn, 0)
	testutil.Receive(t, started, "the handler to start")
	srv.Close()
	if !ended.Load() {
		t.Fatal("Close returned before the stream's handler")
	}
	if err := cs.RecvMsg(new(wrapperspb.Int64Value)); status.Code(err) != codes.Canceled {
		t.Errorf("stream after Close = %v", err)
	}
	if _, err := conn.NewStream(context.Background(), &testDesc.Streams[0], "/test.Test/Server"); status.Code(err) != codes.Unavailable {
		t.Errorf("stream opened after Close = %v", err)
	}
}

// TestInProcessDeadline checks that a handler sees the client's deadline.
// The handler ends only when the client does: had it returned at once, the
// client's send could find the stream over (io.EOF) when the handler ran
// first.
func TestInProcessDeadline(t *testing.T) {
	deadline := make(chan time.Time, 1)
	_, conn := newTestConn(t, &testService{stream: func(ss grpc.ServerStream) error {
		d, _ := ss.Context().Deadline()
		deadline <- d
		<-ss.Context().Done()
		return nil
	}})
	want := time.Now().Add(time.Hour)
	ctx, cancel := context.WithDeadline(t.Context(), want)
	defer cancel()
	serverStream(t, ctx, conn, 0)
	if got := testutil.Receive(t, deadline, "the handler's deadline"); !got.Equal(want) {
		t.Errorf("handler deadline = %v, want %v", got, want)
	}
}
