package server_test

import (
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/gen/openapi"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

// The tests of this file run the server on a real daemon (daemontest), so
// they live in package server_test: the harness imports the server.

func TestUnixSocketInUseAndStale(t *testing.T) {
	d := daemontest.Start(t, "", daemontest.Options{UnixMode: 0o700})
	dir, sock := d.Dir, d.Sock
	fi, err := os.Stat(sock)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket mode: %v %v", fi, err)
	}
	// A second server on the same path refuses with 4.2.5's message.
	srv2 := server.New(nil, nil, nil)
	if _, err := srv2.Listen(server.EndpointConfig{Name: "x", Network: "unix", Address: sock, UID: -1, GID: -1}); !errors.Is(err, server.ErrAddressInUse) {
		t.Fatalf("second listen = %v", err)
	}
	// A stale socket file (nobody listening) is replaced.
	stale := filepath.Join(dir, "stale.sock")
	ln, _ := net.Listen("unix", stale)
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	e, err := srv2.Listen(server.EndpointConfig{Name: "y", Network: "unix", Address: stale, UID: -1, GID: -1})
	if err != nil {
		t.Fatalf("listen over a stale socket: %v", err)
	}
	srv2.Serve()
	srv2.Close()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("socket file left after Close: %v", err)
	}
	_ = e
	// Too long a path is a clear error.
	long := filepath.Join(dir, strings.Repeat("x", 120))
	if _, err := srv2.Listen(server.EndpointConfig{Name: "z", Network: "unix", Address: long, UID: -1, GID: -1}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("long path: %v", err)
	}
}

func TestTCPInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv := server.New(nil, nil, nil)
	if _, err := srv.Listen(server.EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: ln.Addr().String()}); !errors.Is(err, server.ErrAddressInUse) {
		t.Fatalf("listen on a used port = %v", err)
	}
}

// TestAuthMatrix checks gRPC and REST with no, wrong, plaintext and {SHA}
// credentials on a unix and a TCP endpoint with different credentials.
func TestAuthMatrix(t *testing.T) {
	sum := sha1.Sum([]byte("tcppass"))
	d := daemontest.Start(t, "", daemontest.Options{
		UnixCredentials: server.Credentials{Username: "unixuser", Password: "unixpass"},
		Endpoints: []server.EndpointConfig{{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0",
			Credentials: server.Credentials{Username: "tcpuser", Password: "{SHA}" + hex.EncodeToString(sum[:])}}},
	})
	eps := d.Endpoints
	type target struct {
		name       string
		grpcTarget string
		httpClient *http.Client
		base       string
		user, pass string
	}
	targets := []target{
		{"unix", "unix://" + d.Sock, d.HTTP, "http://localhost", "unixuser", "unixpass"},
		{"tcp", eps[1].Addr().String(), http.DefaultClient, "http://" + eps[1].Addr().String(), "tcpuser", "tcppass"},
	}
	for _, tg := range targets {
		conn, err := grpc.NewClient(tg.grpcTarget, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		client := gsupervisorv1.NewSupervisorServiceClient(conn)
		for _, c := range []struct {
			name string
			auth string
			ok   bool
		}{
			{"none", "", false},
			{"wrong", testutil.BasicAuth(tg.user, "nope"), false},
			{"other endpoint's", testutil.BasicAuth("unixuser", "unixpass"), tg.name == "unix"},
			{"right", testutil.BasicAuth(tg.user, tg.pass), true},
		} {
			ctx := testutil.Context(t)
			if c.auth != "" {
				ctx = metadata.AppendToOutgoingContext(ctx, "authorization", c.auth)
			}
			_, err := client.GetState(ctx, &gsupervisorv1.GetStateRequest{})
			if c.ok != (err == nil) || (!c.ok && status.Code(err) != codes.Unauthenticated) {
				t.Errorf("%s gRPC with %s credentials: %v", tg.name, c.name, err)
			}
			req, _ := http.NewRequest("GET", tg.base+"/v1/daemon/state", nil)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := tg.httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := http.StatusOK
			if !c.ok {
				want = http.StatusUnauthorized
			}
			if resp.StatusCode != want {
				t.Errorf("%s REST with %s credentials: %d %s", tg.name, c.name, resp.StatusCode, body)
			}
			if !c.ok && (resp.Header.Get("WWW-Authenticate") != `Basic realm="default"` || !strings.Contains(string(body), `"code":16`)) {
				t.Errorf("%s REST 401 headers/body: %v %s", tg.name, resp.Header, body)
			}
		}
	}
}

func TestMutualTLS(t *testing.T) {
	certs := testutil.WriteCerts(t, t.TempDir())
	cert, err := tls.LoadX509KeyPair(certs.ServerCert, certs.ServerKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(certs.CA)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	serverTLS := &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert,
		NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}
	d := daemontest.Start(t, "", daemontest.Options{
		Endpoints: []server.EndpointConfig{{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0", TLS: serverTLS}},
	})
	addr := d.Endpoints[1].Addr().String()
	good, _ := tls.LoadX509KeyPair(certs.ClientCert, certs.ClientKey)
	other, _ := tls.LoadX509KeyPair(certs.IntruderCert, certs.IntruderKey)

	call := func(certs []tls.Certificate) error {
		creds := credentials.NewTLS(&tls.Config{RootCAs: pool, Certificates: certs})
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
		if err != nil {
			return err
		}
		defer conn.Close()
		_, err = gsupervisorv1.NewSupervisorServiceClient(conn).GetState(testutil.Context(t), &gsupervisorv1.GetStateRequest{})
		return err
	}
	if err := call([]tls.Certificate{good}); err != nil {
		t.Fatalf("gRPC over mTLS with a good client certificate: %v", err)
	}
	if err := call([]tls.Certificate{other}); err == nil {
		t.Fatal("a client certificate from another CA was accepted")
	}
	if err := call(nil); err == nil {
		t.Fatal("a client without a certificate was accepted")
	}
	// REST over the same TLS port.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{good}}}}
	resp, err := hc.Get("https://" + addr + "/v1/daemon/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "SUPERVISOR_STATE_RUNNING") {
		t.Fatalf("REST over mTLS: %d %s", resp.StatusCode, body)
	}
}

// TestOpenAPIServed checks that every endpoint serves the embedded
// documents, OpenAPI 3 at /openapi.json and Swagger 2.0 at /swagger.json,
// behind the endpoint's credentials.
func TestOpenAPIServed(t *testing.T) {
	d := daemontest.Start(t, "", daemontest.Options{UnixCredentials: server.Credentials{Username: "user", Password: "pass"}})
	client := d.HTTP
	for _, c := range []struct {
		path   string
		doc    []byte
		auth   string
		status int
	}{
		{"/openapi.json", openapi.Spec, "", http.StatusUnauthorized},
		{"/openapi.json", openapi.Spec, testutil.BasicAuth("user", "nope"), http.StatusUnauthorized},
		{"/openapi.json", openapi.Spec, testutil.BasicAuth("user", "pass"), http.StatusOK},
		{"/swagger.json", openapi.Swagger, "", http.StatusUnauthorized},
		{"/swagger.json", openapi.Swagger, testutil.BasicAuth("user", "pass"), http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", "http://localhost"+c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("GET %s with %q: %d, want %d", c.path, c.auth, resp.StatusCode, c.status)
			continue
		}
		if c.status == http.StatusOK && (string(body) != string(c.doc) || resp.Header.Get("Content-Type") != "application/json") {
			t.Errorf("GET %s: %s, %d bytes, not the embedded document", c.path, resp.Header.Get("Content-Type"), len(body))
		}
	}
}
