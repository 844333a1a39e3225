package server

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// This file is the one place of the gRPC health service: which names it
// reports on, when their status changes, and that it is answered without
// credentials. The name "readiness" reports the daemon's readiness
// (issue 18, as /readyz).

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

// healthReadiness is the health service name whose status is the daemon's
// readiness, as /readyz answers it (a Kubernetes grpc probe's "service").
const healthReadiness = "readiness"

// readinessQueue is the event queue of the readiness follower: it only
// needs to know that something changed, but an overflowing queue would
// count as a slow subscriber in the metrics.
const readinessQueue = 4096

// followReadiness keeps the "readiness" status equal to core.Readiness
// until done is closed: it is evaluated again after every change of a
// process, a group or the daemon's state (changes arriving during one
// evaluation make one more).
func (h *healthReporter) followReadiness(core *supervisor.Supervisor, bus *events.Bus, done <-chan struct{}) {
	set := func() {
		st := healthpb.HealthCheckResponse_NOT_SERVING
		if core.Readiness().Ready {
			st = healthpb.HealthCheckResponse_SERVING
		}
		h.srv.SetServingStatus(healthReadiness, st)
	}
	set()
	sub, _, _ := bus.Subscribe(events.Filter{Types: []events.Type{
		events.TypeProcessState, events.TypeProcessGroup, events.TypeSupervisorStateChange, events.TypeProcessHealth,
	}}, nil, readinessQueue)
	ctx, cancel := context.WithCancel(context.Background())
	kick := make(chan struct{}, 1)
	go func() {
		defer sub.Close()
		for {
			if _, err := sub.Next(ctx); err != nil {
				return
			}
			select {
			case kick <- struct{}{}:
			default:
			}
		}
	}()
	go func() {
		defer cancel()
		for {
			select {
			case <-done:
				return
			case <-kick:
				set()
			}
		}
	}()
}
