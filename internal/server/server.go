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
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/protobuf/encoding/protojson"

	gatewayv1 "github.com/gsupervisor/gsupervisor/gen/go/gateway/gsupervisor/v1"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/gen/openapi"
	"github.com/gsupervisor/gsupervisor/internal/events"
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
)

// Server serves the API on its endpoints.
type Server struct {
	log    *slog.Logger
	grpc   *grpc.Server
	reg    *registry
	health *health.Server
	mounts []surface.Mount

	mu        sync.Mutex
	endpoints []*Endpoint
	wg        sync.WaitGroup
}

// New returns a server for the core service; bus is the daemon's event
// bus. A restart in place builds a new core and a new server.
func New(core *supervisor.Supervisor, bus *events.Bus, log *slog.Logger, mounts ...surface.Mount) *Server {
	if log == nil {
		log = slog.Default()
	}
	gs := grpc.NewServer(
		grpc.Creds(endpointCreds{}),
		grpc.ChainUnaryInterceptor(unaryErrors(log), unaryAuth),
		grpc.ChainStreamInterceptor(streamErrors(log), streamAuth),
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.MaxConcurrentStreams(maxStreamsPerConn),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
	)
	reg := &registry{server: gs, unary: make(map[string]unaryMethod)}
	reg.register(&gsupervisorv1.SupervisorService_ServiceDesc, &supervisorService{core: core})
	reg.register(&gsupervisorv1.ProcessService_ServiceDesc, &processService{core: core})
	reg.register(&gsupervisorv1.LogService_ServiceDesc, &logService{core: core})
	reg.register(&gsupervisorv1.EventService_ServiceDesc, &eventService{core: core, bus: bus})
	reg.register(&gsupervisorv1.ConfigService_ServiceDesc, &configService{core: core})
	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)
	return &Server{log: log, grpc: gs, reg: reg, health: hs, mounts: mounts}
}

// Listen opens an endpoint. Errors (address in use, bad path) come before
// anything is served, so the daemon can report them and exit.
func (s *Server) Listen(cfg EndpointConfig) (*Endpoint, error) {
	e, err := newEndpoint(cfg, s.log)
	if err != nil {
		return nil, err
	}
	if err := s.setupHTTP(e); err != nil {
		e.closeListener()
		return nil, err
	}
	s.mu.Lock()
	s.endpoints = append(s.endpoints, e)
	s.mu.Unlock()
	return e, nil
}

// setupHTTP builds the endpoint's HTTP/1.1 mux: the REST gateway, the
// OpenAPI spec and the mounted surfaces, behind the endpoint's
// authentication.
func (s *Server) setupHTTP(e *Endpoint) error {
	gw := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: true},
		}),
	)
	ctx := context.Background()
	local := &localConn{reg: s.reg, endpoint: e, log: s.log, streams: e.conn}
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
	mux.Handle("/v1/", http.MaxBytesHandler(gw, maxRequestBytes))
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openapi.Spec)
	})
	var routes []surface.Route
	for _, m := range s.mounts {
		routes = append(routes, m(local, s.log)...)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		best := -1
		for i, rt := range routes {
			if strings.HasPrefix(r.URL.Path, rt.Prefix) && (best < 0 || len(rt.Prefix) > len(routes[best].Prefix)) {
				best = i
			}
		}
		if best < 0 {
			surface.WriteHTMLError(w, http.StatusNotFound)
			return
		}
		routes[best].Handler.ServeHTTP(w, r)
	})
	e.http = &http.Server{
		Handler:           requireAuth(e.creds, mux),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	return nil
}

// Serve serves every endpoint opened so far until Close.
func (s *Server) Serve() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.endpoints {
		e := e
		s.wg.Add(4)
		go func() { defer s.wg.Done(); _ = s.grpc.Serve(e.split.grpc) }()
		go func() { defer s.wg.Done(); _ = s.grpc.Serve(e.pipe) }()
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
// streams are cancelled.
func (s *Server) Close() {
	s.mu.Lock()
	eps := s.endpoints
	s.endpoints = nil
	s.mu.Unlock()
	for _, e := range eps {
		e.closeListener()
		e.pipe.Close()
		_ = e.conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = e.http.Shutdown(ctx)
		cancel()
		_ = e.http.Close()
	}
	s.grpc.Stop()
	s.wg.Wait()
}
