package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// newCore returns a real core service with no programs.
func newCore(t *testing.T) *supervisor.Supervisor {
	t.Helper()
	dir := t.TempDir()
	cfg := &config.Config{Supervisord: config.Supervisord{Identifier: "test", ChildLogDir: dir, EventsRetained: 100, Nocleanup: true}}
	s, err := supervisor.New(cfg, supervisor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	go s.Run(context.Background())
	t.Cleanup(func() { s.RequestShutdown(); <-s.Done() })
	return s
}

func newServer(t *testing.T, cfgs ...EndpointConfig) (*Server, []*Endpoint) {
	t.Helper()
	core := newCore(t)
	srv := New(core, core.Bus(), nil)
	var eps []*Endpoint
	for _, c := range cfgs {
		e, err := srv.Listen(c)
		if err != nil {
			srv.Close()
			t.Fatal(err)
		}
		eps = append(eps, e)
	}
	srv.Serve()
	t.Cleanup(srv.Close)
	return srv, eps
}

func shortDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "gsvs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
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
		{Credentials{"u", "secret"}, basic("u", "secret"), true},
		{Credentials{"u", "secret"}, "basic " + base64.StdEncoding.EncodeToString([]byte("u:secret")), true},
		{Credentials{"u", "secret"}, basic("u", "wrong"), false},
		{Credentials{"u", "secret"}, basic("v", "secret"), false},
		{Credentials{"u", "{SHA}" + hex.EncodeToString(sum[:])}, basic("u", "secret"), true},
		{Credentials{"u", "{SHA}" + strings.ToUpper(hex.EncodeToString(sum[:]))}, basic("u", "secret"), true},
		{Credentials{"u", "{SHA}" + hex.EncodeToString(sum[:])}, basic("u", "{SHA}"+hex.EncodeToString(sum[:])), false},
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
		prefix, h2, err := sniff(b, time.Second)
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

func TestUnixSocketInUseAndStale(t *testing.T) {
	dir := shortDir(t)
	sock := filepath.Join(dir, "s.sock")
	_, _ = newServer(t, EndpointConfig{Name: "unix_http_server", Network: "unix", Address: sock, Mode: 0o700, UID: -1, GID: -1})
	fi, err := os.Stat(sock)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket mode: %v %v", fi, err)
	}
	// A second server on the same path refuses with 4.2.5's message.
	srv2 := New(nil, nil, nil)
	if _, err := srv2.Listen(EndpointConfig{Name: "x", Network: "unix", Address: sock, UID: -1, GID: -1}); !errors.Is(err, ErrAddressInUse) {
		t.Fatalf("second listen = %v", err)
	}
	// A stale socket file (nobody listening) is replaced.
	stale := filepath.Join(dir, "stale.sock")
	ln, _ := net.Listen("unix", stale)
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	e, err := srv2.Listen(EndpointConfig{Name: "y", Network: "unix", Address: stale, UID: -1, GID: -1})
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
	if _, err := srv2.Listen(EndpointConfig{Name: "z", Network: "unix", Address: long, UID: -1, GID: -1}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("long path: %v", err)
	}
}

func TestTCPInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv := New(nil, nil, nil)
	if _, err := srv.Listen(EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: ln.Addr().String()}); !errors.Is(err, ErrAddressInUse) {
		t.Fatalf("listen on a used port = %v", err)
	}
}

// TestAuthMatrix checks gRPC and REST with no, wrong, plaintext and {SHA}
// credentials on a unix and a TCP endpoint with different credentials.
func TestAuthMatrix(t *testing.T) {
	dir := shortDir(t)
	sum := sha1.Sum([]byte("tcppass"))
	_, eps := newServer(t,
		EndpointConfig{Name: "unix_http_server", Network: "unix", Address: filepath.Join(dir, "s.sock"), UID: -1, GID: -1,
			Credentials: Credentials{"unixuser", "unixpass"}},
		EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0",
			Credentials: Credentials{"tcpuser", "{SHA}" + hex.EncodeToString(sum[:])}},
	)
	type target struct {
		name       string
		grpcTarget string
		httpClient *http.Client
		base       string
		user, pass string
	}
	unixPath := filepath.Join(dir, "s.sock")
	targets := []target{
		{"unix", "unix://" + unixPath, &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", unixPath)
		}}}, "http://localhost", "unixuser", "unixpass"},
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
			{"wrong", basic(tg.user, "nope"), false},
			{"other endpoint's", basic("unixuser", "unixpass"), tg.name == "unix"},
			{"right", basic(tg.user, tg.pass), true},
		} {
			ctx := context.Background()
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

// selfSigned returns a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA, written to dir.
func writeCerts(t *testing.T, dir string) (caFile, certFile, keyFile, clientCert, clientKey string, otherCert tls.Certificate) {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey { k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader); return k }
	caKey := newKey()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, server bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) ([]byte, *ecdsa.PrivateKey) {
		k := newKey()
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		if server {
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		} else {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}
		der, _ := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, parentKey)
		return der, k
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		f, _ := os.Create(p)
		defer f.Close()
		fmt.Fprintf(f, "-----BEGIN %s-----\n%s\n-----END %s-----\n", typ, base64.StdEncoding.EncodeToString(der), typ)
		return p
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte { b, _ := x509.MarshalECPrivateKey(k); return b }
	caFile = write("ca.pem", "CERTIFICATE", caDER)
	sDER, sKey := issue(2, "server", true, ca, caKey)
	certFile, keyFile = write("server.pem", "CERTIFICATE", sDER), write("server.key", "EC PRIVATE KEY", keyDER(sKey))
	cDER, cKey := issue(3, "client", false, ca, caKey)
	clientCert, clientKey = write("client.pem", "CERTIFICATE", cDER), write("client.key", "EC PRIVATE KEY", keyDER(cKey))
	// A client certificate from another CA.
	otherKey := newKey()
	otherTmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "intruder"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	oDER, _ := x509.CreateCertificate(rand.Reader, otherTmpl, otherTmpl, &otherKey.PublicKey, otherKey)
	otherCert = tls.Certificate{Certificate: [][]byte{oDER}, PrivateKey: otherKey}
	return
}

func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	caFile, certFile, keyFile, clientCert, clientKey, other := writeCerts(t, dir)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(caFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	serverTLS := &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert,
		NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}
	_, eps := newServer(t, EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0", TLS: serverTLS})
	addr := eps[0].Addr().String()
	good, _ := tls.LoadX509KeyPair(clientCert, clientKey)

	call := func(certs []tls.Certificate) error {
		creds := credentials.NewTLS(&tls.Config{RootCAs: pool, Certificates: certs})
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
		if err != nil {
			return err
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = gsupervisorv1.NewSupervisorServiceClient(conn).GetState(ctx, &gsupervisorv1.GetStateRequest{})
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
