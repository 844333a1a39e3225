package server

import (
	"bytes"
	"net"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestFixedFlowWindow speaks raw HTTP/2 to the server on its unix socket:
// the server announces the fixed flowWindow for streams and for the
// connection, and answers a call without pinging the client (grpc-go's
// default, a window sized from a bandwidth-delay estimate, pings on the
// first DATA frame of a busy connection, before the answer).
func TestFixedFlowWindow(t *testing.T) {
	srv := newWithChain(nil, nil, discard, serverChain(discard, nil, nil), nil, defaultLimits)
	sock := filepath.Join(testutil.ShortTempDir(t), "s.sock")
	if _, err := srv.Listen(EndpointConfig{Name: "unix_http_server", Network: "unix", Address: sock, UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(srv.Close)

	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(testutil.Timeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte(http2.ClientPreface)); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(conn, conn)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	var headers bytes.Buffer
	enc := hpack.NewEncoder(&headers)
	for _, f := range [][2]string{
		{":method", "POST"}, {":scheme", "http"}, {":path", "/grpc.health.v1.Health/Check"},
		{":authority", "localhost"}, {"content-type", "application/grpc"}, {"te", "trailers"},
	} {
		if err := enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: headers.Bytes(), EndHeaders: true}); err != nil {
		t.Fatal(err)
	}
	// An empty HealthCheckRequest: not compressed, 0 bytes long.
	if err := fr.WriteData(1, true, make([]byte, 5)); err != nil {
		t.Fatal(err)
	}

	streamWindow, connWindow := uint32(0), uint32(65535) // HTTP/2's initial connection window
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatalf("reading the server's frames: %v", err)
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if f.IsAck() {
				continue
			}
			if v, ok := f.Value(http2.SettingInitialWindowSize); ok {
				streamWindow = v
			}
			if err := fr.WriteSettingsAck(); err != nil {
				t.Fatal(err)
			}
		case *http2.WindowUpdateFrame:
			if f.StreamID == 0 {
				connWindow += f.Increment
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				t.Fatal("the server pinged the client during a call (a window sized from a bandwidth-delay estimate)")
			}
		case *http2.HeadersFrame:
			if f.StreamID == 1 && f.StreamEnded() {
				if streamWindow != flowWindow || connWindow != flowWindow {
					t.Fatalf("windows: stream %d, connection %d; want %d for both", streamWindow, connWindow, flowWindow)
				}
				return // the call's trailers: answered without a ping
			}
		}
	}
}
