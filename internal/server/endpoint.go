package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
)

// ErrAddressInUse is the error when another program already listens on an
// endpoint's socket or port; its text is Supervisor's.
var ErrAddressInUse = errors.New("Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.")

// maxUnixPath is the longest unix socket path the kernel accepts.
const maxUnixPath = 107

// EndpointConfig describes one listening endpoint.
type EndpointConfig struct {
	// Name is the configuration section, e.g. "unix_http_server".
	Name string
	// Network is "unix" or "tcp".
	Network string
	// Address is the socket path or host:port.
	Address string
	// Mode is the permission of a unix socket file.
	Mode os.FileMode
	// UID and GID own a unix socket file; -1 leaves them unchanged.
	UID, GID int
	// Credentials are required of every client if a username is set.
	Credentials Credentials
	// TLS, if set, serves TLS on a tcp endpoint.
	TLS *tls.Config
	// MetricsPublic serves /metrics without the credentials.
	MetricsPublic bool
}

// Endpoint is one listening socket serving gRPC and HTTP/1.1.
type Endpoint struct {
	cfg   EndpointConfig
	creds Credentials
	tls   *tls.Config
	log   *slog.Logger

	ln    net.Listener
	split *splitListener
	http  *http.Server
	local *localConn
	done  chan struct{}

	// authChecks counts the credential checks made for the endpoint's
	// requests (HTTP and gRPC), so tests can prove each is checked once.
	authChecks atomic.Int64
}

// Name returns the configuration section of the endpoint.
func (e *Endpoint) Name() string { return e.cfg.Name }

// Addr returns the address the endpoint listens on.
func (e *Endpoint) Addr() net.Addr { return e.ln.Addr() }

// ClientConn returns the endpoint's in-process gRPC connection, the one its
// surfaces use. Its calls run through the server's interceptors; one made
// for an HTTP request that passed the endpoint's authentication is not
// checked again, any other one must carry "authorization" metadata when the
// endpoint requires credentials.
func (e *Endpoint) ClientConn() grpc.ClientConnInterface { return e.local }

// listen opens the endpoint's socket.
func listen(cfg EndpointConfig) (net.Listener, error) {
	switch cfg.Network {
	case "unix":
		return listenUnix(cfg)
	case "tcp":
		ln, err := net.Listen("tcp", cfg.Address)
		if err != nil {
			if errors.Is(err, syscall.EADDRINUSE) {
				return nil, ErrAddressInUse
			}
			return nil, fmt.Errorf("listen on %s: %w", cfg.Address, err)
		}
		return ln, nil
	default:
		return nil, fmt.Errorf("unknown network %q", cfg.Network)
	}
}

// listenUnix creates the socket under a temporary name, sets its mode and
// owner, and renames it into place, so that clients never see a socket
// with the wrong permissions. A socket that answers is in use; one that
// does not is stale and removed.
func listenUnix(cfg EndpointConfig) (net.Listener, error) {
	path := cfg.Address
	if len(path) > maxUnixPath {
		return nil, fmt.Errorf("unix socket path %s is %d bytes long; the limit is %d", path, len(path), maxUnixPath)
	}
	if _, err := os.Lstat(path); err == nil {
		c, derr := net.DialTimeout("unix", path, time.Second)
		if derr == nil {
			c.Close()
			return nil, ErrAddressInUse
		}
		fmt.Fprintf(os.Stderr, "Unlinking stale socket %s\n", path)
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove stale socket: %w", err)
		}
	}
	tmp := fmt.Sprintf("%s.%d", path, os.Getpid())
	_ = os.Remove(tmp)
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	fail := func(err error) (net.Listener, error) {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	mode := cfg.Mode
	if mode == 0 {
		mode = 0o700
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return fail(fmt.Errorf("chmod socket %s: %w", path, err))
	}
	if cfg.UID != -1 || cfg.GID != -1 {
		if err := os.Chown(tmp, cfg.UID, cfg.GID); err != nil {
			return fail(fmt.Errorf("chown socket %s: %w", path, err))
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(fmt.Errorf("rename socket into place: %w", err))
	}
	return ln, nil
}

// newEndpoint listens and prepares the endpoint; serving starts with run.
func newEndpoint(cfg EndpointConfig, log *slog.Logger, maxConns int) (*Endpoint, error) {
	ln, err := listen(cfg)
	if err != nil {
		return nil, err
	}
	e := &Endpoint{
		cfg:   cfg,
		creds: cfg.Credentials,
		tls:   cfg.TLS,
		log:   log,
		ln:    ln,
		done:  make(chan struct{}),
	}
	e.split = newSplitListener(ln, 10*time.Second, e.wrapConn)
	e.split.h2ToHTTP = cfg.TLS != nil
	e.split.slots = make(chan struct{}, maxConns)
	e.split.full = func() {
		log.Warn(fmt.Sprintf("%s: %d connections are open, the most one endpoint accepts: refusing more", cfg.Name, maxConns))
	}
	return e, nil
}

// wrapConn applies TLS (if configured) and tags the connection with the
// endpoint.
func (e *Endpoint) wrapConn(c net.Conn) (net.Conn, error) {
	if e.tls != nil {
		tc := tls.Server(c, e.tls)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := tc.HandshakeContext(ctx); err != nil {
			e.log.Debug("TLS handshake failed", "endpoint", e.cfg.Name, "remote", c.RemoteAddr().String(), "error", err)
			return nil, err
		}
		c = tc
	}
	return &endpointConn{Conn: c, endpoint: e}, nil
}

// closeListener closes the socket and removes a unix socket file.
func (e *Endpoint) closeListener() {
	e.split.close()
	if e.cfg.Network == "unix" {
		_ = os.Remove(e.cfg.Address)
	}
}
