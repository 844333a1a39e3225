package web

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestPyQuoteMatchesPython checks pyQuote against Python's own
// urllib.parse.quote (the real interpreter with Debian's packages).
func TestPyQuoteMatchesPython(t *testing.T) {
	inputs := []string{
		"Process web:web_00 stopped",
		"unexpected rpc fault [70] NOT_RUNNING: x",
		"Page refreshed at Fri Dec  4 21:57:03 2026",
		"a/b~c_d.e-f", "100% & more?=#", "ümlaut ☃ 𝄞", "tab\tnew\nline", "",
		"!*'();:@&=+$,/?#[]",
	}
	var want []string
	testutil.RunPythonJSON(t, "import json,sys,urllib.parse\njson.dump([urllib.parse.quote(s) for s in json.load(sys.stdin)], sys.stdout)", inputs, &want)
	for i, s := range inputs {
		if got := pyQuote(s); got != want[i] {
			t.Errorf("pyQuote(%q) = %q, Python says %q", s, got, want[i])
		}
	}
}

// TestCtimeLayoutMatchesPython checks the time in the messages against
// Python's time.ctime() for the same instant, days below 10 included.
func TestCtimeLayoutMatchesPython(t *testing.T) {
	for _, ts := range []int64{1796415423, 1795118400, 0} { // 2026-12-04, 2026-11-19, the epoch
		out := testutil.RunPython(t, "import sys,time; print(time.ctime(int(sys.argv[1])))", strconv.FormatInt(ts, 10))
		if got, want := time.Unix(ts, 0).Format(ctimeLayout), strings.TrimSpace(out); got != want {
			t.Errorf("ctime(%d): %q, Python says %q", ts, got, want)
		}
	}
}

// TestServerURL checks the scheme and authority of the redirects, as
// 4.2.5 derives them from the Host header.
func TestServerURL(t *testing.T) {
	for _, c := range []struct {
		host string
		tls  bool
		want string
	}{
		{"127.0.0.1:9001", false, "http://127.0.0.1:9001"},
		{"example.com", false, "http://example.com"},
		{"example.com:80", false, "http://example.com"},
		{"example.com:443", true, "https://example.com"},
		{"example.com:443", false, "http://example.com:443"},
		{"[::1]:9001", false, "http://[::1]:9001"},
		{"[::1]", false, "http://[::1]"},
		{"host:", false, "http://host"},
		{" spaced:9001 ", false, "http://spaced:9001"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = c.host
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := serverURL(r); got != c.want {
			t.Errorf("Host %q (TLS %v): %q, want %q", c.host, c.tls, got, c.want)
		}
	}
	// No Host header (HTTP/1.0): the address the request arrived on.
	r := httptest.NewRequest("GET", "/", nil)
	r.Host = ""
	r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9001}))
	if got := serverURL(r); got != "http://127.0.0.1:9001" {
		t.Errorf("no Host, TCP: %q", got)
	}
	r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.UnixAddr{Name: "/run/s.sock", Net: "unix"}))
	if got := serverURL(r); got != "http://localhost" {
		t.Errorf("no Host, unix socket: %q", got)
	}
}

// TestTailLimit checks how many bytes the tail page reads for its limit
// argument: 4.2.5's max(1024, limit), 1024 for what is not a number, and
// our bound.
func TestTailLimit(t *testing.T) {
	for in, want := range map[string]int{
		"": 1024, "10": 1024, "1024": 1024, "5000": 5000, "-5000": 1024, "+5000": 1024, "5e3": 1024, "abc": 1024,
		"0005000": 5000, "4194304": 4194304, "4194305": 4194304, "99999999999999999999999": 4194304,
	} {
		if got := tailLimit(in); got != want {
			t.Errorf("tailLimit(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestReadForm checks how the pages read their arguments: the query, a
// urlencoded body that overrides it whatever its Content-Type, blank
// values ignored as Python's parse_qs does, and 4.2.5's statuses for
// other methods, a POST without Content-Length and an oversized body.
func TestReadForm(t *testing.T) {
	r := httptest.NewRequest("POST", "/index.html?processname=fromquery&action=stop&message=", strings.NewReader("processname=frombody&action=&x=1"))
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	f, code := readForm(r)
	if code != 0 {
		t.Fatalf("POST: status %d", code)
	}
	for key, want := range map[string]string{"processname": "frombody", "action": "stop", "message": "", "x": "1", "nope": ""} {
		if got := f.get(key); got != want {
			t.Errorf("get(%q) = %q, want %q", key, got, want)
		}
	}
	f, _ = readForm(httptest.NewRequest("GET", "/?processname=&processname=second", nil))
	if got := f.get("processname"); got != "second" {
		t.Errorf("blank first value: got %q", got)
	}
	for _, c := range []struct {
		method string
		body   string
		length bool
		want   int
	}{
		{"GET", "", false, 0},
		{"HEAD", "", false, 0},
		{"PUT", "", true, http.StatusBadRequest},
		{"DELETE", "", false, http.StatusBadRequest},
		{"POST", "", false, http.StatusLengthRequired},
		{"POST", strings.Repeat("a", maxFormBytes+1), true, http.StatusRequestEntityTooLarge},
		{"POST", "a=b", true, 0},
	} {
		r := httptest.NewRequest(c.method, "/", strings.NewReader(c.body))
		if c.length {
			r.Header.Set("Content-Length", strconv.FormatInt(int64(len(c.body)), 10))
		} else {
			r.Header.Del("Content-Length")
		}
		if _, code := readForm(r); code != c.want {
			t.Errorf("%s with %d bytes (Content-Length %v): %d, want %d", c.method, len(c.body), c.length, code, c.want)
		}
	}
}
