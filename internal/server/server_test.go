package server

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// newCore returns a real core service with no programs, for the tests of
// this package that need the server's unexported parts (newWithChain, the
// method registry): the shared harness, daemontest, imports the server, so
// only package server_test can use it.
func newCore(t testing.TB) *supervisor.Supervisor {
	t.Helper()
	dir := t.TempDir()
	cfg := &config.Config{Supervisord: config.Supervisord{Identifier: "test", ChildLogDir: dir, EventsRetained: 100, Nocleanup: true}}
	s, err := supervisor.New(cfg, supervisor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	go s.Run(context.Background())
	t.Cleanup(func() { s.RequestShutdown(); testutil.Receive(t, s.Done(), "the core to shut down") })
	return s
}

func TestCredentials(t *testing.T) {
	sum := sha1.Sum([]byte("secret"))
	for _, c := range []struct {
		creds Credentials
		hdr   string
		ok    bool
	}{
		{Credentials{}, "", true},
		{Credentials{"u", "secret"}, "", false},
		{Credentials{"u", "secret"}, testutil.BasicAuth("u", "secret"), true},
		{Credentials{"u", "secret"}, "basic " + base64.StdEncoding.EncodeToString([]byte("u:secret")), true},
		{Credentials{"u", "secret"}, testutil.BasicAuth("u", "wrong"), false},
		{Credentials{"u", "secret"}, testutil.BasicAuth("v", "secret"), false},
		{Credentials{"u", "{SHA}" + hex.EncodeToString(sum[:])}, testutil.BasicAuth("u", "secret"), true},
		{Credentials{"u", "{SHA}" + strings.ToUpper(hex.EncodeToString(sum[:]))}, testutil.BasicAuth("u", "secret"), true},
		{Credentials{"u", "{SHA}" + hex.EncodeToString(sum[:])}, testutil.BasicAuth("u", "{SHA}"+hex.EncodeToString(sum[:])), false},
		{Credentials{"u", "secret"}, "Bearer secret", false},
		{Credentials{"u", "secret"}, "Basic !!!", false},
		{Credentials{"u", "secret"}, "Basic " + base64.StdEncoding.EncodeToString([]byte("nocolon")), false},
	} {
		if got := c.creds.checkHeader(c.hdr); got != c.ok {
			t.Errorf("%+v.checkHeader(%q) = %v, want %v", c.creds, c.hdr, got, c.ok)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		send string
		h2   bool
	}{
		{http2Preface + "more", true},
		{"GET / HTTP/1.0\r\n\r\n", false},
		{"POST /RPC2 HTTP/1.1\r\n", false},
		{"P", false}, // EOF after a partial match is HTTP/1
	} {
		a, b := net.Pipe()
		go func() { io.WriteString(a, c.send); a.Close() }()
		prefix, h2, err := sniff(b, testutil.Timeout)
		if err != nil || h2 != c.h2 || !strings.HasPrefix(c.send, string(prefix)) {
			t.Errorf("sniff(%q) = %q, %v, %v", c.send, prefix, h2, err)
		}
		b.Close()
	}
	// A silent client times out.
	a, b := net.Pipe()
	defer a.Close()
	if _, _, err := sniff(b, 50*time.Millisecond); err == nil {
		t.Error("sniff of a silent client did not time out")
	}
}
