package server

import (
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// This file is the one place of the gRPC health service: which names it
// reports on, when their status changes, and that it is answered without
// credentials. Readiness (issue 18) extends healthReporter.

// healthServiceName is the service of the standard gRPC health checks.
const healthServiceName = "grpc.health.v1.Health"

// publicMethod reports whether a method is answered without the
// endpoint's credentials: the health checks only, which reveal nothing but
// whether the daemon serves (a Kubernetes gRPC probe cannot send headers).
// The interceptor chain's authentication makes this one decision.
func publicMethod(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/"+healthServiceName+"/")
}

// healthReporter serves grpc.health.v1.Health with a status for the
// daemon ("") and for every API service, by name.
type healthReporter struct {
	srv   *health.Server
	names []string
}

// newHealthReporter returns a reporter on the given service names (""
// included), all SERVING.
func newHealthReporter(names []string) *healthReporter {
	h := &healthReporter{srv: health.NewServer(), names: append([]string{""}, names...)}
	for _, n := range h.names {
		h.srv.SetServingStatus(n, healthpb.HealthCheckResponse_SERVING)
	}
	return h
}

// register registers the health service on the server.
func (h *healthReporter) register(m *methods, gs *grpc.Server) {
	m.register(gs, &healthpb.Health_ServiceDesc, h.srv)
}

// follow turns every status NOT_SERVING when the core's shutdown or
// restart begins, or when done is closed, whichever comes first. A nil
// core never stops.
func (h *healthReporter) follow(core *supervisor.Supervisor, done <-chan struct{}) {
	var stopping <-chan struct{}
	if core != nil {
		stopping = core.Stopping()
	}
	go func() {
		select {
		case <-stopping:
		case <-done:
		}
		h.stop()
	}()
}

// stop sets every status to NOT_SERVING for good (later updates are
// ignored), which also tells the watchers.
func (h *healthReporter) stop() { h.srv.Shutdown() }
