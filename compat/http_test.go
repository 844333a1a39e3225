package compat

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/metadata"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// medusaError is the body of 4.2.5's HTML error page.
func medusaError(code int, reason string) string {
	return fmt.Sprintf("<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code %d.\r\n<p>Message: %s.\r\n</body>\r\n", code, reason)
}

const getStateCall = "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getState</methodName>\n<params>\n</params>\n</methodCall>\n"

const getStateResponse = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n"

// post builds a raw HTTP/1.x POST.
func post(version, path, body string, headers ...string) string {
	h := ""
	for _, x := range headers {
		h += x + "\r\n"
	}
	return fmt.Sprintf("POST %s HTTP/%s\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n%s\r\n%s", path, version, len(body), h, body)
}

func TestRPCWire(t *testing.T) {
	d := startDaemon(t, "", false)
	for _, c := range []struct {
		name, req string
		status    string
		body      string
	}{
		{"getState", post("1.0", "/RPC2", getStateCall), "HTTP/1.0 200 OK", getStateResponse},
		{"prefix match", post("1.0", "/RPC2xyz", getStateCall), "HTTP/1.0 200 OK", getStateResponse},
		{"no params element", post("1.0", "/RPC2", "<?xml version='1.0'?><methodCall><methodName>supervisor.getState</methodName></methodCall>"), "HTTP/1.0 200 OK", getStateResponse},
		{"fault", post("1.0", "/RPC2", "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getProcessInfo</methodName>\n<params>\n<param>\n<value><string>nope</string></value>\n</param>\n</params>\n</methodCall>\n"), "HTTP/1.0 200 OK",
			"<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nope</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"},
		{"GET", "GET /RPC2 HTTP/1.0\r\nHost: localhost\r\n\r\n", "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"PUT", "PUT /RPC2 HTTP/1.0\r\nContent-Length: 0\r\n\r\n", "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"no Content-Length", "POST /RPC2 HTTP/1.0\r\nHost: localhost\r\n\r\n", "HTTP/1.0 411 Length Required", medusaError(411, "Length Required")},
		{"not XML", post("1.0", "/RPC2", "this is not xml"), "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"empty body", post("1.0", "/RPC2", ""), "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"no methodName", post("1.0", "/RPC2", "<?xml version='1.0'?><methodCall><params></params></methodCall>"), "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"empty methodName", post("1.0", "/RPC2", "<methodCall><methodName></methodName></methodCall>"), "HTTP/1.0 400 Bad Request", medusaError(400, "Bad Request")},
		{"too large", "POST /RPC2 HTTP/1.0\r\nContent-Length: 5000000\r\n\r\n", "HTTP/1.0 413 Request Entity Too Large", medusaError(413, "Request Entity Too Large")},
		{"multicall of a non-struct", post("1.0", "/RPC2", "<methodCall><methodName>system.multicall</methodName><params><param><value><array><data><value>x</value></data></array></value></param></params></methodCall>"), "HTTP/1.0 500 Internal Server Error", medusaError(500, "Internal Server Error")},
	} {
		out := d.raw(c.req, "")
		head, body, _ := strings.Cut(out, "\r\n\r\n")
		if !strings.HasPrefix(head, c.status+"\r\n") {
			t.Errorf("%s: status %q, want %q", c.name, strings.SplitN(head, "\r\n", 2)[0], c.status)
			continue
		}
		if body != c.body {
			t.Errorf("%s: body\n%q\nwant\n%q", c.name, body, c.body)
		}
		wantType := "text/html"
		if strings.Contains(c.status, " 200 ") {
			wantType = "text/xml"
		}
		if !strings.Contains(head, "\r\nContent-Type: "+wantType+"\r\n") || !strings.Contains(head, fmt.Sprintf("\r\nContent-Length: %d\r\n", len(body))) {
			t.Errorf("%s: headers\n%s", c.name, head)
		}
	}
}

// TestKeepAlive: HTTP/1.1 keeps the connection open by default, HTTP/1.0
// with Connection: keep-alive too, HTTP/1.0 otherwise closes it.
func TestKeepAlive(t *testing.T) {
	d := startDaemon(t, "", false)
	for _, c := range []struct {
		name  string
		req   string
		close bool
	}{
		{"HTTP/1.1", post("1.1", "/RPC2", getStateCall), false},
		{"HTTP/1.1 close", post("1.1", "/RPC2", getStateCall, "Connection: close"), true},
		{"HTTP/1.0 keep-alive", post("1.0", "/RPC2", getStateCall, "Connection: keep-alive"), false},
		{"HTTP/1.0", post("1.0", "/RPC2", getStateCall), true},
	} {
		conn, err := net.Dial("unix", d.Sock)
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(conn)
		n := 2
		if c.close {
			n = 1
		}
		for i := range n {
			if _, err := io.WriteString(conn, c.req); err != nil {
				t.Fatalf("%s: request %d: %v", c.name, i, err)
			}
			conn.SetReadDeadline(time.Now().Add(testutil.Timeout))
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("%s: response %d: %v", c.name, i, err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || string(body) != getStateResponse {
				t.Fatalf("%s: response %d: %d %q", c.name, i, resp.StatusCode, body)
			}
			if strings.Contains(c.name, "1.0 keep-alive") && !strings.EqualFold(resp.Header.Get("Connection"), "keep-alive") {
				t.Errorf("%s: Connection header %q", c.name, resp.Header.Get("Connection"))
			}
		}
		if c.close {
			conn.SetReadDeadline(time.Now().Add(testutil.Timeout))
			if n, err := br.Read(make([]byte, 1)); err != io.EOF {
				t.Errorf("%s: connection still open after the response (%d, %v)", c.name, n, err)
			}
		}
		conn.Close()
	}
}

// TestAuth: on an endpoint with credentials, the HTTP side answers 401
// without them; with them, the call reaches the gRPC side, which checks the
// forwarded Authorization again.
func TestAuth(t *testing.T) {
	d := startDaemon(t, "[program:sleeper]\ncommand=/bin/sleep 100000\nstartsecs=0\n", true)
	d.waitState("sleeper", "RUNNING")
	good := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:pass"))
	bad := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:wrong"))
	do := func(method, path, auth, body string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, "http://"+d.inet+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp, string(b)
	}
	for _, auth := range []string{"", bad} {
		resp, body := do("POST", "/RPC2", auth, getStateCall)
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Basic realm="default"` || body != medusaError(401, "Unauthorized") {
			t.Errorf("auth %q: %d %v %q", auth, resp.StatusCode, resp.Header, body)
		}
	}
	resp, body := do("POST", "/RPC2", good, getStateCall)
	if resp.StatusCode != 200 || body != getStateResponse {
		t.Errorf("with credentials: %d %q", resp.StatusCode, body)
	}
	// A method whose result the gRPC side produces after its own check.
	resp, body = do("POST", "/RPC2", good, "<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value>sleeper</value></param></params></methodCall>")
	if resp.StatusCode != 200 || !strings.Contains(body, "<name>statename</name>\n<value><string>RUNNING</string>") {
		t.Errorf("getProcessInfo with credentials: %d %q", resp.StatusCode, body)
	}
	resp, _ = do("GET", "/logtail/sleeper", "", "")
	if resp.StatusCode != 401 {
		t.Errorf("logtail without credentials: %d", resp.StatusCode)
	}
	// With credentials the follow stream is accepted (headers arrive even
	// though the log is empty).
	req, _ := http.NewRequest("GET", "http://"+d.inet+"/logtail/sleeper", nil)
	req.Header.Set("Authorization", good)
	ctx, cancel := t.Context(), func() {}
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("logtail with credentials: %d", resp.StatusCode)
	}
}

// TestInProcessCallsNeedAuthenticatedRequests: compat's calls are
// authenticated by the endpoint's check of the HTTP request they serve
// (TestAuth). A call on the in-process connection outside such a request is
// refused on an endpoint that requires credentials, even if the request
// has an Authorization header nobody checked; with credentials in its
// metadata, like any gRPC client's, it is accepted.
func TestInProcessCallsNeedAuthenticatedRequests(t *testing.T) {
	d := startDaemon(t, "", true)
	s := newService(d.Server.Endpoints()[1].ClientConn(), slog.New(slog.DiscardHandler))
	good := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:pass"))
	req, _ := http.NewRequest("POST", "/RPC2", nil)
	req.Header.Set("Authorization", good)
	if _, err := s.dispatch(req.Context(), "supervisor.getState", nil); err == nil || !strings.Contains(faultOf(err).String, "Unauthorized") {
		t.Fatalf("getState outside an authenticated request = %v, want the gRPC side's refusal", err)
	}
	v, err := s.dispatch(metadata.AppendToOutgoingContext(t.Context(), "authorization", good), "supervisor.getState", nil)
	if err != nil {
		t.Fatalf("getState with credentials in the metadata: %v", err)
	}
	if code, _ := v.(xmlrpc.Struct).Get("statecode"); code != 1 {
		t.Errorf("getState = %s", pyRepr(v))
	}
}

// logtail opens a follow request over HTTP/1.1 and returns the response
// (the caller closes its body).
func (d *testDaemon) logtail(path string) *http.Response {
	d.t.Helper()
	resp, err := d.HTTP.Get("http://localhost" + path)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// readUntil reads r until what it has read contains want.
func readUntil(t *testing.T, r io.Reader, want string) string {
	t.Helper()
	var got bytes.Buffer
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			got.Write(buf[:n])
			if strings.Contains(got.String(), want) {
				done <- nil
				return
			}
			if err != nil {
				done <- err
				return
			}
		}
	}()
	if err := testutil.Receive(t, done, fmt.Sprintf("%q in the stream", want)); err != nil {
		t.Fatalf("read %q, then %v; want %q", got.String(), err, want)
	}
	return got.String()
}

func TestLogtail(t *testing.T) {
	d := startDaemon(t, `
[program:printer]
command=/bin/sh -c 'i=0; while true; do echo "out line $i"; echo "err line $i" >&2; i=$((i+1)); sleep 0.05; done'
startsecs=0

[program:quiet]
command=/bin/sleep 100000
startsecs=0

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
startsecs=0

[group:grp]
programs=ga

[program:ga]
command=/bin/sleep 100000
startsecs=0
`, false)
	d.waitState("printer", "RUNNING")
	// Let the log grow past 1024 bytes.
	testutil.Eventually(t, "printer's log to exceed 1024 bytes", func() bool {
		return len(d.ok("supervisor.readProcessStdoutLog", "printer", int64(0), int64(0)).(string)) > 1200
	})

	resp := d.logtail("/logtail/printer")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain;charset=utf-8" || resp.Header.Get("X-Accel-Buffering") != "no" || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("logtail response: %d %v %v", resp.StatusCode, resp.Header, resp.TransferEncoding)
	}
	first := make([]byte, 1024)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(string(first), "out line 0\n") {
		t.Errorf("logtail started at the beginning of the log, not its last 1024 bytes")
	}
	// New output keeps coming.
	last := strings.Split(strings.TrimSuffix(string(first), "\n"), "\n")
	var n int
	fmt.Sscanf(last[len(last)-1], "out line %d", &n)
	readUntil(t, resp.Body, fmt.Sprintf("out line %d\n", n+3))

	resp = d.logtail("/logtail/printer/stderr")
	readUntil(t, resp.Body, "err line")

	// An empty log: the headers arrive at once, with no data.
	resp = d.logtail("/logtail/grp%3Aga/stdout")
	if resp.StatusCode != 200 {
		t.Errorf("logtail of grp:ga: %d", resp.StatusCode)
	}
	resp = d.logtail("/logtail/quiet")
	if resp.StatusCode != 200 {
		t.Errorf("logtail of quiet: %d", resp.StatusCode)
	}

	for _, p := range []string{"/logtail/nope", "/logtail/printer/bogus", "/logtail/grp:*", "/logtail/grp", "/logtail/nolog", "/logtail/nolog/stdout", "/logtail/"} {
		resp := d.logtail(p)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || string(body) != medusaError(404, "Not Found") || resp.Header.Get("X-Accel-Buffering") != "" {
			t.Errorf("GET %s: %d %q", p, resp.StatusCode, body)
		}
	}
	if resp := d.logtail("/logtail/nolog/stderr"); resp.StatusCode != 200 {
		t.Errorf("GET /logtail/nolog/stderr: %d", resp.StatusCode)
	}
	for _, p := range []string{"/logtail/printer", "/mainlogtail"} {
		resp, err := d.HTTP.Post("http://localhost"+p, "text/xml", strings.NewReader(getStateCall))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("POST %s: %d", p, resp.StatusCode)
		}
	}

	resp = d.logtail("/mainlogtail")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain;charset=utf-8" || resp.Header.Get("X-Accel-Buffering") != "" {
		t.Fatalf("mainlogtail: %d %v", resp.StatusCode, resp.Header)
	}
	d.ok("supervisor.stopProcess", "quiet")
	readUntil(t, resp.Body, "stopped: quiet")

	// Clearing a followed log is announced as 4.2.5's tail producer does.
	resp = d.logtail("/logtail/printer")
	readUntil(t, resp.Body, "out line")
	d.ok("supervisor.clearProcessLogs", "printer")
	readUntil(t, resp.Body, surface.TruncatedNotice)
}

// TestLogtailHTTP10: an HTTP/1.0 client gets the stream without chunking,
// ended by closing the connection.
func TestLogtailHTTP10(t *testing.T) {
	d := startDaemon(t, "[program:echo]\ncommand=/bin/sh -c 'echo hello; exec sleep 100000'\nstartsecs=0\n", false)
	d.waitState("echo", "RUNNING")
	testutil.Eventually(t, "echo's output", func() bool {
		return d.ok("supervisor.readProcessStdoutLog", "echo", int64(0), int64(0)) == "hello\n"
	})
	out := d.raw("GET /logtail/echo HTTP/1.0\r\nHost: localhost\r\n\r\n", "hello\n")
	if !strings.HasPrefix(out, "HTTP/1.0 200 OK\r\n") || strings.Contains(out, "chunked") || !strings.HasSuffix(out, "\r\n\r\nhello\n") {
		t.Errorf("HTTP/1.0 logtail: %q", out)
	}
	// supervisorctl's request: an empty Host and an extra blank line.
	out = d.raw("GET /logtail/echo/stdout HTTP/1.1\r\nHost: \r\nAccept-Encoding: chunked\r\nAccept: */*\r\nUser-agent: Supervisor HTTP Client\r\n\r\n\r\n", "hello\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || !strings.Contains(out, "\r\n\r\n6\r\nhello\n\r\n") {
		t.Errorf("supervisorctl-style logtail: %q", out)
	}
}

// TestFailuresReachTheMainLog: an XML-RPC request the daemon cannot parse
// is logged to the daemon's main log with 4.2.5's words (and the
// decoder's reason); so is a call without a method name.
func TestFailuresReachTheMainLog(t *testing.T) {
	d := startDaemon(t, "", false)
	for _, body := range []string{"garbage<", "<methodCall><methodName></methodName></methodCall>"} {
		resp, err := d.HTTP.Post("http://localhost/RPC2", "text/xml", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("%q: HTTP %d, want 400", body, resp.StatusCode)
		}
	}
	logFile := filepath.Join(d.Dir, "supervisord.log")
	for _, want := range []string{
		" ERRO XML-RPC request data 'garbage<' is invalid: unmarshallable error=",
		" ERRO XML-RPC request data '<methodCall><methodName></methodName></methodCall>' is invalid: no method name error=",
	} {
		testutil.Eventually(t, "the main log to say "+want, func() bool {
			b, err := os.ReadFile(logFile)
			return err == nil && strings.Contains(string(b), want)
		})
	}
}

// TestRequestRepr: the main log shows at most maxLoggedRequest bytes of a
// request.
func TestRequestRepr(t *testing.T) {
	if got := requestRepr([]byte("it's")); got != `"it's"` {
		t.Errorf("requestRepr = %s", got)
	}
	long := strings.Repeat("x", maxLoggedRequest+10)
	if got, want := requestRepr([]byte(long)), "'"+long[:maxLoggedRequest]+"'... (1034 bytes)"; got != want {
		t.Errorf("requestRepr(long) = %s", got)
	}
}

// TestTraceLines: at loglevel trace, every XML-RPC call is logged as 4.2.5
// logs it: called, then returned successfully or with its fault.
func TestTraceLines(t *testing.T) {
	d := startDaemon(t, "", false)
	var out bytes.Buffer
	// The handler runs in this goroutine, which reads out afterwards.
	log := slog.New(logs.NewMainHandler(&out, logs.LevelTrace))
	var rpc http.Handler
	for _, r := range Mount(d.Server.Endpoints()[0].ClientConn(), log) {
		if r.Prefix == "/RPC2" {
			rpc = r.Handler
		}
	}
	for _, call := range []string{
		"<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value>nope</value></param></params></methodCall>",
		"<methodCall><methodName>supervisor.getAPIVersion</methodName></methodCall>",
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/RPC2", strings.NewReader(call))
		req.Header.Set("Content-Length", strconv.Itoa(len(call)))
		rpc.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("HTTP %d", rec.Code)
		}
	}
	for _, want := range []string{
		" TRAC XML-RPC method called: supervisor.getProcessInfo()\n",
		" TRAC XML-RPC method supervisor.getProcessInfo() returned fault: [10] BAD_NAME: nope\n",
		" TRAC XML-RPC method called: supervisor.getAPIVersion()\n",
		" TRAC XML-RPC method supervisor.getAPIVersion() returned successfully\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the log has no %q:\n%s", want, out.String())
		}
	}
}
