package server_test

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionv1 "google.golang.org/grpc/reflection/grpc_reflection_v1"
	reflectionv1alpha "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

// protectedServer runs a daemon whose unix endpoint requires credentials
// u/p and returns its core and a connection without credentials.
func protectedServer(t *testing.T) (*supervisor.Supervisor, *grpc.ClientConn) {
	t.Helper()
	d := daemontest.Start(t, "", daemontest.Options{UnixCredentials: server.Credentials{Username: "u", Password: "p"}})
	return d.Core, d.Conn
}

// withAuth returns a context carrying the test endpoint's credentials.
func withAuth(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", testutil.BasicAuth("u", "p"))
}

// TestHealthWithoutCredentials checks that the health service answers a
// caller without credentials, for "" and every API service by name, while
// every other method still requires them.
func TestHealthWithoutCredentials(t *testing.T) {
	_, conn := protectedServer(t)
	ctx := testutil.Context(t)
	hc := healthpb.NewHealthClient(conn)
	services := []string{"", "gsupervisor.v1.SupervisorService", "gsupervisor.v1.ProcessService",
		"gsupervisor.v1.LogService", "gsupervisor.v1.EventService", "gsupervisor.v1.ConfigService"}
	for _, name := range services {
		for _, c := range []context.Context{ctx, withAuth(ctx)} {
			r, err := hc.Check(c, &healthpb.HealthCheckRequest{Service: name})
			if err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
				t.Errorf("Check(%q) = %v, %v; want SERVING", name, r, err)
			}
		}
	}
	if _, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: "no.such.Service"}); status.Code(err) != codes.NotFound {
		t.Errorf("Check of an unknown service: %v, want NotFound", err)
	}
	list, err := hc.List(ctx, &healthpb.HealthListRequest{})
	if err != nil {
		t.Fatalf("List without credentials: %v", err)
	}
	for _, name := range services {
		if list.GetStatuses()[name].GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("List: %q is %v", name, list.GetStatuses()[name])
		}
	}
	// The exemption is the health service's alone.
	if _, err := gsupervisorv1.NewSupervisorServiceClient(conn).GetState(ctx, &gsupervisorv1.GetStateRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("GetState without credentials: %v, want Unauthenticated", err)
	}
}

// TestHealthNotServingWhileShuttingDown watches the daemon's health and
// checks it turns NOT_SERVING as soon as the shutdown begins, while the
// server still answers.
func TestHealthNotServingWhileShuttingDown(t *testing.T) {
	core, conn := protectedServer(t)
	ctx := testutil.Context(t)
	hc := healthpb.NewHealthClient(conn)
	w, err := hc.Watch(ctx, &healthpb.HealthCheckRequest{Service: "gsupervisor.v1.ProcessService"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := w.Recv(); err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("first watch status: %v, %v", r, err)
	}
	core.RequestShutdown()
	if r, err := w.Recv(); err != nil || r.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("watch status after the shutdown began: %v, %v", r, err)
	}
	for _, name := range []string{"", "gsupervisor.v1.LogService"} {
		r, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: name})
		if err != nil || r.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
			t.Errorf("Check(%q) while shutting down = %v, %v", name, r, err)
		}
	}
}

// TestReflection lists the services through reflection v1 and v1alpha
// with the endpoint's credentials, resolves a service's file, and checks
// that reflection without credentials is refused.
func TestReflection(t *testing.T) {
	_, conn := protectedServer(t)
	ctx := testutil.Context(t)
	want := []string{"grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
		"gsupervisor.v1.ConfigService", "gsupervisor.v1.EventService", "gsupervisor.v1.LogService",
		"gsupervisor.v1.ProcessService", "gsupervisor.v1.SupervisorService"}

	// v1
	s, err := reflectionv1.NewServerReflectionClient(conn).ServerReflectionInfo(withAuth(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(&reflectionv1.ServerReflectionRequest{MessageRequest: &reflectionv1.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Recv()
	if err != nil {
		t.Fatalf("v1 list: %v", err)
	}
	var got []string
	for _, svc := range r.GetListServicesResponse().GetService() {
		got = append(got, svc.GetName())
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("v1 services = %v, want %v", got, want)
	}
	if err := s.Send(&reflectionv1.ServerReflectionRequest{MessageRequest: &reflectionv1.ServerReflectionRequest_FileContainingSymbol{
		FileContainingSymbol: "gsupervisor.v1.ProcessService"}}); err != nil {
		t.Fatal(err)
	}
	if r, err = s.Recv(); err != nil || len(r.GetFileDescriptorResponse().GetFileDescriptorProto()) == 0 {
		t.Errorf("v1 file containing gsupervisor.v1.ProcessService: %v, %v", r, err)
	}
	s.CloseSend()

	// v1alpha
	a, err := reflectionv1alpha.NewServerReflectionClient(conn).ServerReflectionInfo(withAuth(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Send(&reflectionv1alpha.ServerReflectionRequest{MessageRequest: &reflectionv1alpha.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	ar, err := a.Recv()
	if err != nil || len(ar.GetListServicesResponse().GetService()) != len(want) {
		t.Errorf("v1alpha list: %v, %v", ar, err)
	}
	a.CloseSend()

	// Without credentials.
	s, err = reflectionv1.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err == nil {
		_ = s.Send(&reflectionv1.ServerReflectionRequest{MessageRequest: &reflectionv1.ServerReflectionRequest_ListServices{}})
		_, err = s.Recv()
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("reflection without credentials: %v, want Unauthenticated", err)
	}
}
