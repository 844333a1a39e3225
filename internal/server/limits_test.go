package server

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestConnectionLimits serves the test service on a unix socket with a
// cap of 4 connections and an idle timeout of 300 ms: gRPC connections
// without a call in progress are closed after the timeout while a quiet
// client stream on another connection outlives it; connections beyond
// the cap are closed as soon as they are accepted, and a slot freed is
// usable again.
func TestConnectionLimits(t *testing.T) {
	const idle = 300 * time.Millisecond
	srv := newWithChain(nil, nil, discard, serverChain(discard, nil, nil), nil, limits{maxConns: 4, idle: idle})
	got := make(chan int64, 4)
	srv.methods.register(srv.grpc, &testDesc, &testService{
		unary: func(_ context.Context, in *wrapperspb.Int64Value) (*wrapperspb.Int64Value, error) { return in, nil },
		stream: func(ss grpc.ServerStream) error {
			for {
				in := new(wrapperspb.Int64Value)
				if err := ss.RecvMsg(in); err != nil {
					if errors.Is(err, io.EOF) {
						return ss.SendMsg(wrapperspb.Int64(-1))
					}
					return err
				}
				got <- in.GetValue()
			}
		},
	})
	sock := filepath.Join(testutil.ShortTempDir(t), "s.sock")
	if _, err := srv.Listen(EndpointConfig{Name: "unix_http_server", Network: "unix", Address: sock, UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(srv.Close)
	dial := func() *grpc.ClientConn {
		c, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	unary := func(c *grpc.ClientConn) error {
		return c.Invoke(testutil.Context(t), "/test.Test/Unary", wrapperspb.Int64(1), new(wrapperspb.Int64Value))
	}

	// A client stream that stays quiet past the idle timeout.
	streamConn := dial()
	cs, err := streamConn.NewStream(testutil.Context(t), &testDesc.Streams[1], "/test.Test/Client")
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(wrapperspb.Int64(1)); err != nil {
		t.Fatal(err)
	}
	testutil.Receive(t, got, "the stream's first message")

	// Two clients that make a call, then idle: the server closes them.
	idlers := []*grpc.ClientConn{dial(), dial()}
	for _, c := range idlers {
		if err := unary(c); err != nil {
			t.Fatal(err)
		}
	}
	testutil.Eventually(t, "the idle connections to be closed", func() bool {
		for _, c := range idlers {
			if c.GetState() == connectivity.Ready {
				return false
			}
		}
		return true
	})
	// The stream, quiet all along, still works.
	if err := cs.SendMsg(wrapperspb.Int64(2)); err != nil {
		t.Fatalf("the stream after the idle timeout: %v", err)
	}
	if v := testutil.Receive(t, got, "the stream's second message"); v != 2 {
		t.Fatalf("the stream's second message is %d", v)
	}

	// The cap: the stream holds one slot, three silent connections take
	// the others, and a fourth is closed at once.
	var raw []net.Conn
	for range 3 {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		raw = append(raw, c)
	}
	extra, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	extra.SetReadDeadline(time.Now().Add(testutil.Timeout))
	if _, err := extra.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("a connection beyond the cap: read %v, want EOF", err)
	}
	// A freed slot admits a client again.
	for _, c := range raw {
		c.Close()
	}
	testutil.Eventually(t, "a call after the slots are freed", func() bool { return unary(dial()) == nil })
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if err := cs.RecvMsg(new(wrapperspb.Int64Value)); err != nil {
		t.Fatalf("the stream's end: %v", err)
	}
}
