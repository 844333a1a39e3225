package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/protobuf/encoding/protojson"

	gatewayv1 "github.com/gsupervisor/gsupervisor/gen/go/gateway/gsupervisor/v1"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/gen/openapi"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/metrics"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// Limits protect the daemon from clients.
const (
	// maxRequestBytes caps request bodies (REST, XML-RPC) and gRPC
	// messages received.
	maxRequestBytes = 4 << 20
	// maxStreamsPerConn caps concurrent gRPC streams per connection.
	maxStreamsPerConn = 128
	// flowWindow is the fixed HTTP/2 receive window of a gRPC stream and
	// of a connection. Fixed, because grpc-go's default (a window sized
	// from a bandwidth-delay estimate) pings the client once per round
	// trip on every busy connection, which pays on links with a delay.
	// Over the unix socket and loopback the daemon serves, the pings
	// cost about a fifth of a ListProcesses call's CPU, and the window
	// never needs to grow: requests are small (maxRequestBytes is
	// bigger, but a request that large is rare and read as it arrives).
	flowWindow = 1 << 20
)

// Server serves the API on its endpoints.
type Server struct {
	log    *slog.Logger
	core   *supervisor.Supervisor
	grpc   *grpc.Server
	health *healthReporter
	mounts []surface.Mount
	// metrics are served at /metrics and fed by the chain (nil in tests
	// that build their own chain).
	metrics *metrics.Registry

	// intercept is the server's interceptor chain, composed once: the
	// gRPC server runs it for network calls, the in-process connections
	// for the surfaces' calls.
	intercept interceptors
	// methods are the registered methods, for in-process calls.
	methods methods

	// closing is cancelled by Close, which ends the in-process streams;
	// streams counts their handlers.
	closing     context.Context
	stopClosing context.CancelFunc
	streams     sync.WaitGroup

	limits limits

	mu        sync.Mutex
	closed    bool
	endpoints []*Endpoint
	wg        sync.WaitGroup
}

// New returns a server for the core service; bus is the daemon's event
// bus. A restart in place builds a new core and a new server.
func New(core *supervisor.Supervisor, bus *events.Bus, log *slog.Logger, mounts ...surface.Mount) *Server {
	if log == nil {
		log = slog.Default()
	}
	reg := metrics.NewRegistry(core)
	trim := memtrim.Shared()
	s := newWithChain(core, bus, log, serverChain(log, reg.RPC(), trim), mounts, defaultLimits)
	s.metrics = reg
	return s
}

// newWithChain is New with an interceptor chain.
func newWithChain(core *supervisor.Supervisor, bus *events.Bus, log *slog.Logger, c chain, mounts []surface.Mount, lim limits) *Server {
	s := &Server{
		limits:    lim,
		log:       log,
		core:      core,
		mounts:    mounts,
		intercept: c.compose(),
		methods:   methods{unary: map[string]unaryMethod{}, stream: map[string]streamMethod{}},
	}
	s.closing, s.stopClosing = context.WithCancel(context.Background())
	s.grpc = grpc.NewServer(append(s.intercept.serverOptions(),
		grpc.Creds(endpointCreds{}),
		grpc.ForceServerCodecV2(newWireCodec()),
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.MaxConcurrentStreams(maxStreamsPerConn),
		grpc.StaticStreamWindowSize(flowWindow),
		grpc.StaticConnWindowSize(flowWindow),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionIdle: lim.idle}),
	)...)
	var names []string
	for _, svc := range []struct {
		desc *grpc.ServiceDesc
		impl any
	}{
		{&gsupervisorv1.SupervisorService_ServiceDesc, &supervisorService{core: core}},
		{&gsupervisorv1.ProcessService_ServiceDesc, &processService{core: core}},
		{&gsupervisorv1.LogService_ServiceDesc, &logService{core: core}},
		{&gsupervisorv1.EventService_ServiceDesc, &eventService{core: core, bus: bus}},
		{&gsupervisorv1.ConfigService_ServiceDesc, &configService{core: core}},
	} {
		s.methods.register(s.grpc, svc.desc, svc.impl)
		names = append(names, svc.desc.ServiceName)
	}
	s.health = newHealthReporter(names)
	s.health.register(&s.methods, s.grpc)
	s.health.follow(core, s.closing.Done())
	if core != nil && bus != nil {
		s.health.followReadiness(core, bus, s.closing.Done())
	}
	registerReflection(&s.methods, s.grpc)
	return s
}

// startStream admits one in-process stream, unless the server is closed.
func (s *Server) startStream() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.streams.Add(1)
	return true
}

// Listen opens an endpoint. Errors (address in use, bad path) come before
// anything is served, so the daemon can report them and exit.
func (s *Server) Listen(cfg EndpointConfig) (*Endpoint, error) {
	e, err := newEndpoint(cfg, s.log, s.limits.maxConns)
	if err != nil {
		return nil, err
	}
	e.local = newLocalConn(s, e)
	if err := s.setupHTTP(e); err != nil {
		e.closeListener()
		return nil, err
	}
	s.mu.Lock()
	s.endpoints = append(s.endpoints, e)
	s.mu.Unlock()
	return e, nil
}

// setupHTTP builds the endpoint's HTTP/1.1 mux: the REST gateway (JSON,
// and text for logs: resttext.go), the OpenAPI documents and the mounted
// surfaces, behind the endpoint's authentication.
func (s *Server) setupHTTP(e *Endpoint) error {
	json := &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: true},
	}
	gw := runtime.NewServeMux(append(textMarshalers(json), runtime.WithMarshalerOption(runtime.MIMEWildcard, json), runtime.WithErrorHandler(restErrorHandler))...)
	ctx := context.Background()
	local := e.local
	for _, err := range []error{
		gatewayv1.RegisterSupervisorServiceHandlerClient(ctx, gw, gsupervisorv1.NewSupervisorServiceClient(local)),
		gatewayv1.RegisterProcessServiceHandlerClient(ctx, gw, gsupervisorv1.NewProcessServiceClient(local)),
		gatewayv1.RegisterLogServiceHandlerClient(ctx, gw, gsupervisorv1.NewLogServiceClient(local)),
		gatewayv1.RegisterEventServiceHandlerClient(ctx, gw, gsupervisorv1.NewEventServiceClient(local)),
		gatewayv1.RegisterConfigServiceHandlerClient(ctx, gw, gsupervisorv1.NewConfigServiceClient(local)),
	} {
		if err != nil {
			return fmt.Errorf("register REST gateway: %w", err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", limitBody(negotiate(gw), maxRequestBytes))
	mux.Handle("GET /openapi.json", document(openapi.Spec))
	mux.Handle("GET /swagger.json", document(openapi.Swagger))
	routes := s.ownRoutes(e)
	for _, m := range s.mounts {
		routes = append(routes, m(local, s.log)...)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rt := matchRoute(routes, r.URL.Path)
		if rt == nil {
			surface.WriteHTMLError(w, http.StatusNotFound)
			return
		}
		rt.Handler.ServeHTTP(w, r)
	})
	authed := requireAuth(e, mux)
	e.http = &http.Server{
		Handler: routeByContentType(e, s.grpc, refuseCrossSite(s.log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(withSurface(r.Context(), surfaceOfPath(r.URL.Path)))
			if rt := matchRoute(routes, r.URL.Path); rt != nil && rt.Public {
				rt.Handler.ServeHTTP(w, r)
				return
			}
			authed.ServeHTTP(w, r)
		}))),
		ConnContext:       connTLSContext,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       s.limits.idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	if e.tls != nil {
		// HTTP/2 over TLS arrives here, decrypted by the listener
		// (h2route.go).
		e.http.Protocols = new(http.Protocols)
		e.http.Protocols.SetHTTP1(true)
		e.http.Protocols.SetUnencryptedHTTP2(true)
		e.http.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: maxStreamsPerConn}
	}
	return nil
}

// matchRoute returns the route with the longest prefix of path, or nil.
func matchRoute(routes []surface.Route, path string) *surface.Route {
	var best *surface.Route
	for i, rt := range routes {
		if strings.HasPrefix(path, rt.Prefix) && (best == nil || len(rt.Prefix) > len(best.Prefix)) {
			best = &routes[i]
		}
	}
	return best
}

// refuseCrossSite answers 403 to every request that would change state
// (any method but GET, HEAD, OPTIONS and TRACE: REST calls, XML-RPC,
// forms) when a browser marks it as sent by another site; the routes
// that change state on GET (the web interface's legacy actions) check
// surface.CrossSite themselves.
func refuseCrossSite(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if surface.SafeMethod(r.Method) || !surface.CrossSite(r) {
			next.ServeHTTP(w, r)
			return
		}
		log.Warn(fmt.Sprintf("refused a cross-site %s %s (Origin %q, Sec-Fetch-Site %q)",
			r.Method, r.URL.Path, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site")))
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			writeRESTError(w, http.StatusForbidden, codes.PermissionDenied, surface.CrossSiteRefusal)
			return
		}
		surface.WriteHTMLErrorDetail(w, http.StatusForbidden, surface.CrossSiteRefusal)
	})
}

// document serves a JSON document.
func document(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// Serve serves every endpoint opened so far until Close.
func (s *Server) Serve() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.endpoints {
		e := e
		s.wg.Add(3)
		go func() { defer s.wg.Done(); _ = s.grpc.Serve(e.split.grpc) }()
		go func() {
			defer s.wg.Done()
			if err := e.http.Serve(e.split.http); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, errListenerClosed) {
				s.log.Debug("HTTP server stopped", "endpoint", e.cfg.Name, "error", err)
			}
		}()
		go func() {
			defer s.wg.Done()
			if err := e.split.run(); err != nil {
				s.log.Error("endpoint stopped accepting", "endpoint", e.cfg.Name, "error", err)
			}
		}()
	}
}

// Endpoints returns the open endpoints.
func (s *Server) Endpoints() []*Endpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Endpoint(nil), s.endpoints...)
}

// Close stops every endpoint and removes the unix socket files. Open
// streams, from the network and in-process, are cancelled; Close returns
// when their handlers have returned.
func (s *Server) Close() {
	s.mu.Lock()
	eps := s.endpoints
	s.endpoints = nil
	s.closed = true
	s.mu.Unlock()
	s.stopClosing()
	for _, e := range eps {
		e.closeListener()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = e.http.Shutdown(ctx)
		cancel()
		_ = e.http.Close()
	}
	s.grpc.Stop()
	s.wg.Wait()
	s.streams.Wait()
}

// limits bound the connections of each endpoint (issue 13: idle clients
// must not pile up).
type limits struct {
	// maxConns is how many connections one endpoint keeps open; one more
	// is closed as soon as it is accepted.
	maxConns int
	// idle is how long a connection with no call or request in progress
	// is kept (gRPC: no open stream; HTTP/1: between requests). Streams
	// in progress, however quiet, are never cut.
	idle time.Duration
}

// defaultLimits are the daemon's limits.
var defaultLimits = limits{maxConns: 512, idle: 2 * time.Minute}
