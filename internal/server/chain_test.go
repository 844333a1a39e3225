package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/gsupervisor/gsupervisor/compat"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// discard is the logger of the test servers.
var discard = slog.New(slog.DiscardHandler)

// chainDaemon is a server with a real core, compat mounted and one unix
// endpoint, built with an interceptor chain of the test's choice.
type chainDaemon struct {
	srv  *Server
	ep   *Endpoint
	sock string
	http *http.Client
	grpc *grpc.ClientConn
}

// startChainDaemon serves c on a unix socket that requires creds (none if
// empty).
func startChainDaemon(t *testing.T, c chain, creds Credentials) *chainDaemon {
	t.Helper()
	core := newCore(t)
	d := &chainDaemon{sock: filepath.Join(testutil.ShortTempDir(t), "s.sock")}
	d.srv = newWithChain(core, core.Bus(), discard, c, []surface.Mount{compat.Mount}, defaultLimits)
	var err error
	d.ep, err = d.srv.Listen(EndpointConfig{Name: "unix_http_server", Network: "unix", Address: d.sock, UID: -1, GID: -1, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	d.srv.Serve()
	t.Cleanup(d.srv.Close)
	d.http = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", d.sock)
	}}}
	t.Cleanup(d.http.CloseIdleConnections)
	d.grpc, err = grpc.NewClient("unix://"+d.sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.grpc.Close() })
	return d
}

// do makes an HTTP request with the Authorization header auth (none if
// empty) and returns the response; the caller closes its body.
func (d *chainDaemon) do(t *testing.T, method, path, auth, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, "http://localhost"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// firstLine makes a streaming request, reads its first line and closes it.
func (d *chainDaemon) firstLine(t *testing.T, path, auth string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://localhost"+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	return resp.StatusCode, line
}

// xmlrpcCall is the body of an XML-RPC call without parameters.
func xmlrpcCall(method string) string {
	return "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + method + "</methodName>\n<params>\n</params>\n</methodCall>\n"
}

// multicall3 is a system.multicall of three calls.
const multicall3 = `<?xml version='1.0'?><methodCall><methodName>system.multicall</methodName><params><param><value><array><data>
<value><struct><member><name>methodName</name><value><string>supervisor.getState</string></value></member><member><name>params</name><value><array><data></data></array></value></member></struct></value>
<value><struct><member><name>methodName</name><value><string>supervisor.getPID</string></value></member><member><name>params</name><value><array><data></data></array></value></member></struct></value>
<value><struct><member><name>methodName</name><value><string>supervisor.getAPIVersion</string></value></member><member><name>params</name><value><array><data></data></array></value></member></struct></value>
</data></array></value></param></params></methodCall>`

// recorder is an interceptor pair that records every call it sees with
// the kind of its peer.
type recorder struct {
	mu   sync.Mutex
	seen map[string]bool
}

// note records one call.
func (r *recorder) note(ctx context.Context, kind, method string) {
	where := "unknown"
	if p, ok := peer.FromContext(ctx); ok {
		switch p.AuthInfo.(type) {
		case endpointInfo:
			where = "network"
		case inProcessInfo:
			where = "inprocess"
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[kind+" "+method+" "+where] = true
}

func (r *recorder) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	r.note(ctx, "unary", info.FullMethod)
	return handler(ctx, req)
}

func (r *recorder) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	r.note(ss.Context(), "stream", info.FullMethod)
	return handler(srv, ss)
}

// has reports whether the call was seen.
func (r *recorder) has(call string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[call]
}

// TestChainCoversEverySurface adds an interceptor to the server's chain and
// proves that every surface's calls pass through it: REST unary and
// streaming, XML-RPC and /mainlogtail (compat, in-process), and native
// gRPC unary and streaming from the network.
func TestChainCoversEverySurface(t *testing.T) {
	rec := &recorder{seen: map[string]bool{}}
	d := startChainDaemon(t, serverChain(discard, nil, nil).with(rec.unary, rec.stream), Credentials{})

	resp := d.do(t, "GET", "/v1/daemon/state", "", "")
	resp.Body.Close()
	if code, line := d.firstLine(t, "/v1/events", ""); code != 200 || !strings.Contains(line, "ready") {
		t.Errorf("REST event stream: %d %q", code, line)
	}
	resp = d.do(t, "POST", "/RPC2", "", xmlrpcCall("supervisor.getState"))
	resp.Body.Close()
	resp = d.do(t, "GET", "/mainlogtail", "", "")
	resp.Body.Close()

	sup := gsupervisorv1.NewSupervisorServiceClient(d.grpc)
	if _, err := sup.GetState(t.Context(), &gsupervisorv1.GetStateRequest{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	stream, err := gsupervisorv1.NewEventServiceClient(d.grpc).SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()

	for _, call := range []string{
		"unary /gsupervisor.v1.SupervisorService/GetState inprocess",    // REST and XML-RPC
		"stream /gsupervisor.v1.EventService/SubscribeEvents inprocess", // REST stream
		"stream /gsupervisor.v1.LogService/FollowMainLog inprocess",     // /mainlogtail
		"unary /gsupervisor.v1.SupervisorService/GetState network",
		"stream /gsupervisor.v1.EventService/SubscribeEvents network",
	} {
		if !rec.has(call) {
			t.Errorf("the added interceptor did not see %s; it saw %v", call, rec.seen)
		}
	}
}

// TestChainRecordsRESTAndXMLRPCSeparately proves the REST and the XML-RPC
// unary paths each reach the interceptor on their own.
func TestChainRecordsRESTAndXMLRPCSeparately(t *testing.T) {
	for _, c := range []struct{ name, method, path, body string }{
		{"REST", "GET", "/v1/daemon/pid", ""},
		{"XML-RPC", "POST", "/RPC2", xmlrpcCall("supervisor.getPID")},
	} {
		rec := &recorder{seen: map[string]bool{}}
		d := startChainDaemon(t, serverChain(discard, nil, nil).with(rec.unary, rec.stream), Credentials{})
		resp := d.do(t, c.method, c.path, "", c.body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !rec.has("unary /gsupervisor.v1.SupervisorService/GetPID inprocess") {
			t.Errorf("%s: %d, the interceptor saw %v", c.name, resp.StatusCode, rec.seen)
		}
	}
}

// TestAuthOncePerRequest counts the credential checks of an endpoint that
// requires them: one per HTTP request (REST unary and streaming, XML-RPC,
// a multicall of three methods, /logtail) and one per native gRPC call;
// and a refused request is refused on the first check.
func TestAuthOncePerRequest(t *testing.T) {
	d := startChainDaemon(t, serverChain(discard, nil, nil), Credentials{Username: "u", Password: "p"})
	good, bad := testutil.BasicAuth("u", "p"), testutil.BasicAuth("u", "x")
	once := func(what string, wantStatus int, call func() int) {
		t.Helper()
		before := d.ep.authChecks.Load()
		if got := call(); got != wantStatus {
			t.Errorf("%s: status %d, want %d", what, got, wantStatus)
		}
		if n := d.ep.authChecks.Load() - before; n != 1 {
			t.Errorf("%s: %d credential checks, want 1", what, n)
		}
	}
	request := func(method, path, auth, body string) func() int {
		return func() int {
			resp := d.do(t, method, path, auth, body)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	once("REST unary", 200, request("GET", "/v1/daemon/state", good, ""))
	once("REST unary, bad credentials", 401, request("GET", "/v1/daemon/state", bad, ""))
	once("REST stream", 200, func() int { code, _ := d.firstLine(t, "/v1/events", good); return code })
	once("XML-RPC", 200, request("POST", "/RPC2", good, xmlrpcCall("supervisor.getState")))
	once("XML-RPC multicall of three", 200, request("POST", "/RPC2", good, multicall3))
	once("XML-RPC, bad credentials", 401, request("POST", "/RPC2", bad, xmlrpcCall("supervisor.getState")))
	once("mainlogtail", 404, request("GET", "/mainlogtail", good, ""))

	ctx := metadata.AppendToOutgoingContext(t.Context(), "authorization", good)
	once("gRPC unary", 0, func() int {
		if _, err := gsupervisorv1.NewSupervisorServiceClient(d.grpc).GetState(ctx, &gsupervisorv1.GetStateRequest{}); err != nil {
			t.Error(err)
		}
		return 0
	})
	once("gRPC stream", 0, func() int {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := gsupervisorv1.NewEventServiceClient(d.grpc).SubscribeEvents(sctx, &gsupervisorv1.SubscribeEventsRequest{})
		if err == nil {
			_, err = stream.Recv()
		}
		if err != nil {
			t.Error(err)
		}
		return 0
	})
}

// TestChainTouchesTheTrimmer proves that a burst of calls from any surface
// (XML-RPC in-process, native gRPC from the network) ends in one memory
// trim once the API is quiet.
func TestChainTouchesTheTrimmer(t *testing.T) {
	trims := make(chan struct{}, 10)
	trim := memtrim.New(10*time.Millisecond, func() { trims <- struct{}{} })
	d := startChainDaemon(t, serverChain(discard, nil, trim), Credentials{})
	waitTrim := func(what string) {
		t.Helper()
		select {
		case <-trims:
		case <-time.After(testutil.Timeout):
			t.Fatalf("no trim after %s", what)
		}
	}
	resp := d.do(t, "POST", "/RPC2", "", xmlrpcCall("supervisor.getState"))
	resp.Body.Close()
	waitTrim("an XML-RPC call")
	sup := gsupervisorv1.NewSupervisorServiceClient(d.grpc)
	if _, err := sup.GetState(t.Context(), &gsupervisorv1.GetStateRequest{}); err != nil {
		t.Fatal(err)
	}
	waitTrim("a gRPC call")
}
