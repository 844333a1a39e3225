package server

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestPublicRouteAndCrossSiteRefusal checks the two things the server
// does for browsers: a public route is served without credentials while
// the others still need them, and a state-changing request that a browser
// marks as cross-site is refused with 403 before it reaches any surface or
// the REST gateway, while the same request without browser headers (curl,
// scripts) or from the daemon's own pages goes through.
func TestPublicRouteAndCrossSiteRefusal(t *testing.T) {
	var hits atomic.Int64
	var logBuf testutil.Buffer
	base := startCountingServer(t, &hits, &logBuf)
	do := func(method, path string, auth bool, hdr map[string]string) (int, string) {
		t.Helper()
		return browserRequest(t, base, method, path, auth, hdr)
	}

	// Public and private routes.
	if code, body := do("GET", "/open", false, nil); code != 200 || body != "served /open" {
		t.Errorf("public route without credentials: %d %q", code, body)
	}
	if code, _ := do("GET", "/closed", false, nil); code != http.StatusUnauthorized {
		t.Errorf("private route without credentials: %d, want 401", code)
	}
	if code, _ := do("GET", "/closed", true, nil); code != 200 {
		t.Errorf("private route with credentials: %d", code)
	}
	if code, _ := do("GET", "/v1/daemon/state", false, nil); code != http.StatusUnauthorized {
		t.Errorf("REST without credentials: %d, want 401", code)
	}

	const remoteComm = "/v1/events:sendRemoteComm"
	for _, c := range []struct {
		name   string
		method string
		path   string
		hdr    map[string]string
		want   int
	}{
		{"curl (no browser headers)", "POST", remoteComm, nil, 200},
		{"own page", "POST", remoteComm, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": base}, 200},
		{"address bar", "POST", remoteComm, map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"old browser, own origin", "POST", remoteComm, map[string]string{"Origin": base}, 200},
		{"cross-site", "POST", remoteComm, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site, other port", "POST", remoteComm, map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"old browser, other origin", "POST", remoteComm, map[string]string{"Origin": "http://evil.example"}, 403},
		{"opaque origin", "POST", remoteComm, map[string]string{"Origin": "null"}, 403},
		{"cross-site DELETE", "DELETE", "/v1/groups/nope", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-site POST to a surface", "POST", "/closed", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-site POST to a public route", "POST", "/open", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-site GET (reads nothing it may not)", "GET", "/closed", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	} {
		before := hits.Load()
		code, body := do(c.method, c.path, true, c.hdr)
		if code != c.want {
			t.Errorf("%s: %s %s answered %d %s, want %d", c.name, c.method, c.path, code, body, c.want)
			continue
		}
		if c.want != 403 {
			continue
		}
		if hits.Load() != before {
			t.Errorf("%s: the refused request reached the surface", c.name)
		}
		if strings.HasPrefix(c.path, "/v1/") {
			if !strings.Contains(body, `"code":7`) || !strings.Contains(body, "cross-site request refused") {
				t.Errorf("%s: REST 403 body %s", c.name, body)
			}
		} else if !strings.Contains(body, "Error code 403") || !strings.Contains(body, "cross-site request refused") {
			t.Errorf("%s: HTML 403 body %s", c.name, body)
		}
	}
	if !strings.Contains(logBuf.String(), "refused a cross-site POST /v1/events:sendRemoteComm") {
		t.Errorf("the refusal is not in the daemon's log:\n%s", logBuf.String())
	}
}

// startCountingServer serves a server with credentials u/p on a loopback
// port, with a public route /open and a private one /closed that count
// their hits, logging to log; it returns the base URL.
func startCountingServer(t *testing.T, hits *atomic.Int64, log *testutil.Buffer) string {
	t.Helper()
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, "served "+r.URL.Path)
	})
	mount := func(grpc.ClientConnInterface, *slog.Logger) []surface.Route {
		return []surface.Route{
			{Prefix: "/open", Handler: count, Public: true},
			{Prefix: "/closed", Handler: count},
		}
	}
	core := newCore(t)
	srv := New(core, core.Bus(), slog.New(slog.NewTextHandler(log, nil)), mount)
	e, err := srv.Listen(EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0", Credentials: Credentials{"u", "p"}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(srv.Close)
	return "http://" + e.Addr().String()
}

// browserRequest sends a request as a browser would (headers hdr), with
// the credentials u/p if auth, and returns the status and body.
func browserRequest(t *testing.T, base, method, path string, auth bool, hdr map[string]string) (int, string) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"type":"t","data":"d"}`)
	}
	req, _ := http.NewRequest(method, base+path, body)
	if auth {
		req.Header.Set("Authorization", testutil.BasicAuth("u", "p"))
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
