package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// server is how to reach and authenticate to the daemon.
type server struct {
	// url is the serverurl as given: unix:///path, http://host:port or
	// https://host:port.
	url string
	// username and password are sent as HTTP Basic credentials in the
	// "authorization" metadata of every call when both are set.
	username, password string
	hasUser, hasPass   bool
	// caFile, certFile and keyFile configure TLS for https:// URLs.
	caFile, certFile, keyFile string
}

// authorization returns the value of the "authorization" metadata, or ""
// when the credentials are incomplete (4.2.5 sends them only if both the
// username and the password are set).
func (s *server) authorization() string {
	if !s.hasUser || !s.hasPass {
		return ""
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(s.username+":"+s.password))
}

// client is one connection to the daemon with its service stubs. It
// remembers the last error of dialling the socket, so that a failed call
// can be reported the way 4.2.5 reports socket errors.
type client struct {
	srv  *server
	conn *grpc.ClientConn

	mu      sync.Mutex
	dialErr error

	sup    gsupervisorv1.SupervisorServiceClient
	procs  gsupervisorv1.ProcessServiceClient
	logs   gsupervisorv1.LogServiceClient
	config gsupervisorv1.ConfigServiceClient
	events gsupervisorv1.EventServiceClient
}

// pyValueError is an error that 4.2.5 raises as a Python ValueError.
type pyValueError struct{ msg string }

func (e *pyValueError) Error() string { return e.msg }

// dial prepares a connection to srv; nothing is sent until the first
// call. The error is about the URL or the TLS files, never about the
// daemon.
func dial(srv *server) (*client, error) {
	c := &client{srv: srv}
	network, address, authority, err := splitServerURL(srv.url)
	if err != nil {
		return nil, err
	}
	creds := insecure.NewCredentials()
	if strings.HasPrefix(srv.url, "https://") {
		host, _, _ := net.SplitHostPort(address)
		tc, err := tlsConfig(srv, host)
		if err != nil {
			return nil, err
		}
		creds = credentials.NewTLS(tc)
	}
	dialer := func(ctx context.Context, _ string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(ctx, network, address)
		c.mu.Lock()
		c.dialErr = err
		c.mu.Unlock()
		return conn, err
	}
	auth := func(ctx context.Context) context.Context {
		if a := srv.authorization(); a != "" {
			return metadata.AppendToOutgoingContext(ctx, "authorization", a)
		}
		return ctx
	}
	opts := []grpc.DialOption{
		grpc.WithContextDialer(dialer),
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(math.MaxInt32)),
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			return invoker(auth(ctx), method, req, reply, cc, opts...)
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			return streamer(auth(ctx), desc, cc, method, opts...)
		}),
	}
	if !strings.HasPrefix(srv.url, "https://") {
		// TLS presents the server name of its own configuration.
		opts = append(opts, grpc.WithAuthority(authority))
	}
	conn, err := grpc.NewClient("passthrough:///"+authority, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", srv.url, err)
	}
	c.conn = conn
	c.sup = gsupervisorv1.NewSupervisorServiceClient(conn)
	c.procs = gsupervisorv1.NewProcessServiceClient(conn)
	c.logs = gsupervisorv1.NewLogServiceClient(conn)
	c.config = gsupervisorv1.NewConfigServiceClient(conn)
	c.events = gsupervisorv1.NewEventServiceClient(conn)
	return c, nil
}

// close closes the connection.
func (c *client) close() {
	if c != nil && c.conn != nil {
		_ = c.conn.Close()
	}
}

// lastDialError returns the error of the last attempt to open the socket
// (nil if it succeeded or none was made).
func (c *client) lastDialError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dialErr
}

// splitServerURL returns the network and address to dial and the
// authority to present for a serverurl. Like 4.2.5, a unix URL is
// everything after "unix://" and an http URL without a port means port 80
// (443 for https).
func splitServerURL(u string) (network, address, authority string, err error) {
	switch {
	case strings.HasPrefix(u, "unix://"):
		return "unix", u[len("unix://"):], "localhost", nil
	case strings.HasPrefix(u, "http://"), strings.HasPrefix(u, "https://"):
		p, err := url.Parse(u)
		if err != nil {
			return "", "", "", &pyValueError{msg: fmt.Sprintf("invalid serverurl %s: %v", u, err)}
		}
		port := p.Port()
		if port == "" {
			port = "80"
			if p.Scheme == "https" {
				port = "443"
			}
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return "", "", "", &pyValueError{msg: "Port out of range 0-65535"}
		}
		host := p.Hostname()
		addr := net.JoinHostPort(host, port)
		return "tcp", addr, addr, nil
	}
	return "", "", "", &pyValueError{msg: "Unknown protocol for serverurl " + u}
}

// tlsConfig builds the client TLS configuration of an https:// server.
func tlsConfig(srv *server, host string) (*tls.Config, error) {
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if srv.caFile != "" {
		pem, err := os.ReadFile(srv.caFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read cafile %s: %w", srv.caFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("cafile %s holds no PEM certificate", srv.caFile)
		}
		tc.RootCAs = pool
	}
	if srv.certFile != "" || srv.keyFile != "" {
		if srv.certFile == "" || srv.keyFile == "" {
			return nil, errors.New("a client certificate needs both certfile and keyfile")
		}
		cert, err := tls.LoadX509KeyPair(srv.certFile, srv.keyFile)
		if err != nil {
			return nil, fmt.Errorf("cannot load client certificate %s and key %s: %w", srv.certFile, srv.keyFile, err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}
