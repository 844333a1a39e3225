package server

import (
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// Credentials are the username and password an endpoint requires. The
// password is plaintext or "{SHA}" followed by the lower-case hex SHA-1 of
// the password, as in Supervisor.
type Credentials struct {
	Username string
	Password string
}

// required reports whether the endpoint checks credentials at all.
func (c Credentials) required() bool { return c.Username != "" }

// check reports whether username and password match, in constant time.
func (c Credentials) check(username, password string) bool {
	userOK := subtle.ConstantTimeCompare([]byte(username), []byte(c.Username)) == 1
	want := c.Password
	got := password
	if strings.HasPrefix(want, "{SHA}") {
		sum := sha1.Sum([]byte(password))
		want = strings.ToLower(want[len("{SHA}"):])
		got = hex.EncodeToString(sum[:])
	}
	passOK := subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	return userOK && passOK
}

// checkHeader checks an HTTP Authorization header value ("Basic ...").
func (c Credentials) checkHeader(h string) bool {
	if !c.required() {
		return true
	}
	const prefix = "Basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		return false
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	return ok && c.check(user, pass)
}

// endpointInfo identifies the endpoint a gRPC connection arrived on. It is
// the credentials.AuthInfo of every connection, so interceptors can find
// the endpoint's credentials with peer.FromContext.
type endpointInfo struct {
	credentials.CommonAuthInfo
	endpoint *Endpoint
}

// AuthType names the auth info type.
func (endpointInfo) AuthType() string { return "gsupervisor-endpoint" }

// endpointConn is a connection tagged with its endpoint.
type endpointConn struct {
	net.Conn
	endpoint *Endpoint
}

// endpointCreds hands each connection's endpoint to gRPC as its AuthInfo.
// Transport security (TLS) is applied by the endpoint's listener before
// the protocol is sniffed, so the credentials add none.
type endpointCreds struct{}

func (endpointCreds) ClientHandshake(ctx context.Context, _ string, c net.Conn) (net.Conn, credentials.AuthInfo, error) {
	return c, endpointInfo{CommonAuthInfo: credentials.CommonAuthInfo{SecurityLevel: credentials.NoSecurity}}, nil
}

func (endpointCreds) ServerHandshake(c net.Conn) (net.Conn, credentials.AuthInfo, error) {
	var ep *Endpoint
	if pc, ok := c.(*prefixConn); ok {
		if ec, ok := pc.Conn.(*endpointConn); ok {
			ep = ec.endpoint
		}
	}
	if ec, ok := c.(*endpointConn); ok {
		ep = ec.endpoint
	}
	level := credentials.NoSecurity
	if ep != nil && ep.tls != nil {
		level = credentials.PrivacyAndIntegrity
	}
	return c, endpointInfo{CommonAuthInfo: credentials.CommonAuthInfo{SecurityLevel: level}, endpoint: ep}, nil
}

func (endpointCreds) Info() credentials.ProtocolInfo {
	return credentials.ProtocolInfo{SecurityProtocol: "gsupervisor-endpoint"}
}

func (endpointCreds) Clone() credentials.TransportCredentials { return endpointCreds{} }

func (endpointCreds) OverrideServerName(string) error { return nil }

// inProcessInfo is the credentials.AuthInfo of an in-process call: the
// endpoint whose surfaces made it, and whether the HTTP request it serves
// passed the endpoint's authentication. Only the in-process connection
// creates it; a connection from the network always gets an endpointInfo,
// so nothing from the network can claim to be authenticated in-process.
type inProcessInfo struct {
	credentials.CommonAuthInfo
	endpoint      *Endpoint
	authenticated bool
}

// AuthType names the auth info type.
func (inProcessInfo) AuthType() string { return "gsupervisor-inprocess" }

// authKey is the context key of the endpoint whose HTTP authentication a
// request passed.
type authKey struct{}

// withAuthenticated marks ctx as the context of a request that passed e's
// authentication.
func withAuthenticated(ctx context.Context, e *Endpoint) context.Context {
	return context.WithValue(ctx, authKey{}, e)
}

// authenticatedBy returns the endpoint whose authentication the request of
// ctx passed, or nil.
func authenticatedBy(ctx context.Context) *Endpoint {
	e, _ := ctx.Value(authKey{}).(*Endpoint)
	return e
}

// authorized checks one Authorization value (HTTP header or gRPC
// metadata) against the endpoint's credentials. Every check of a request
// goes through here, once per request (counted for the tests).
func (e *Endpoint) authorized(values ...string) bool {
	e.authChecks.Add(1)
	for _, v := range values {
		if e.creds.checkHeader(v) {
			return true
		}
	}
	return false
}

// authorize checks the credentials of a gRPC call against its endpoint. A
// call from the network carries them in its authorization metadata; an
// in-process call made for an HTTP request that passed the endpoint's
// authentication is not checked again.
func authorize(ctx context.Context) error {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return status.Error(codes.Unauthenticated, "no peer")
	}
	var e *Endpoint
	switch info := p.AuthInfo.(type) {
	case endpointInfo:
		e = info.endpoint
	case inProcessInfo:
		if info.authenticated {
			return nil
		}
		e = info.endpoint
	}
	if e == nil {
		// A gRPC call served by the HTTP server (HTTP/2 over TLS).
		e = endpointFromContext(ctx)
	}
	if e == nil {
		return status.Error(codes.Unauthenticated, "unknown endpoint")
	}
	if !e.creds.required() {
		return nil
	}
	md, _ := metadata.FromIncomingContext(ctx)
	if e.authorized(md.Get("authorization")...) {
		return nil
	}
	return status.Error(codes.Unauthenticated, "Unauthorized: this endpoint requires a username and password (HTTP Basic credentials in the authorization metadata)")
}

// requireAuth wraps the endpoint's HTTP handler with its Basic
// authentication: a failure is answered 401 with Supervisor's realm; a
// success marks the request's context, so the in-process gRPC calls made
// for it are not checked again.
func requireAuth(e *Endpoint, next http.Handler) http.Handler {
	if !e.creds.required() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !e.authorized(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Basic realm="default"`)
			w.Header().Set("Connection", "close")
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				writeRESTError(w, http.StatusUnauthorized, codes.Unauthenticated,
					"Unauthorized: this endpoint requires a username and password (HTTP Basic)")
				return
			}
			surface.WriteHTMLError(w, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(withAuthenticated(r.Context(), e)))
	})
}

// writeRESTError answers a REST request that the HTTP layer refuses with
// the gateway's JSON error shape (a google.rpc.Status).
func writeRESTError(w http.ResponseWriter, httpStatus int, code codes.Code, msg string) {
	body, _ := json.Marshal(struct {
		Code    codes.Code `json:"code"`
		Message string     `json:"message"`
		Details []any      `json:"details"`
	}{code, msg, []any{}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_, _ = w.Write(body)
}
