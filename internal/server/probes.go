package server

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// This file is what orchestrators ask the daemon over HTTP (issue 18):
// /healthz, /readyz and /metrics on every endpoint. Kubernetes reads
// status codes only: 200 yes, 503 no. The verdicts are the core's
// (supervisor.Alive, supervisor.Readiness), which the gRPC health service
// can report as well.

// ownRoutes returns the server's own HTTP routes on endpoint e: /healthz
// and /readyz, public (they reveal only a status code), and /metrics,
// public when the endpoint's configuration says so.
func (s *Server) ownRoutes(e *Endpoint) []surface.Route {
	if s.core == nil {
		return nil
	}
	routes := []surface.Route{
		{Prefix: "/healthz", Handler: probeHandler("/healthz", s.liveness), Public: true},
		{Prefix: "/readyz", Handler: probeHandler("/readyz", s.readiness(e)), Public: true},
	}
	if s.metrics != nil {
		routes = append(routes, surface.Route{Prefix: "/metrics", Handler: exactPath("/metrics", s.metrics.Handler()), Public: e.cfg.MetricsPublic})
	}
	return routes
}

// exactPath serves only path itself (a route matches its prefix).
func exactPath(path string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			surface.WriteHTMLError(w, http.StatusNotFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// probeHandler answers GET and HEAD of path with check's verdict: 200 and
// "ok", or 503 and the reason.
func probeHandler(path string, check func(r *http.Request) (bool, string)) http.Handler {
	return exactPath(path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ok, text := check(r)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, text+"\n")
		}
	}))
}

// liveness checks that the daemon's state answers within
// supervisor.AliveTimeout.
func (s *Server) liveness(r *http.Request) (bool, string) {
	ctx, cancel := context.WithTimeout(r.Context(), supervisor.AliveTimeout)
	defer cancel()
	if err := s.core.Alive(ctx); err != nil {
		return false, "not alive"
	}
	return true, "ok"
}

// readiness returns the readiness check of endpoint e. It says which
// processes are not ready only with ?verbose, and only to a caller with
// the endpoint's credentials (or on an endpoint without any).
func (s *Server) readiness(e *Endpoint) func(r *http.Request) (bool, string) {
	return func(r *http.Request) (bool, string) {
		rd := s.core.Readiness()
		if rd.Ready {
			return true, "ok"
		}
		if _, verbose := r.URL.Query()["verbose"]; verbose && (!e.creds.required() || e.authorized(r.Header.Get("Authorization"))) {
			return false, "not ready: waiting for " + strings.Join(rd.Waiting, ", ")
		}
		return false, "not ready"
	}
}
