package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"github.com/gsupervisor/gsupervisor/compat"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// opsDaemon is a server on a core running real programs, with a
// credentialed loopback TCP endpoint whose /metrics is public or not.
type opsDaemon struct {
	core *supervisor.Supervisor
	base string
	grpc *grpc.ClientConn
}

// startOpsDaemon runs programs (config text after [supervisord]) behind
// an endpoint requiring u/p.
func startOpsDaemon(t *testing.T, programs string, metricsPublic bool) *opsDaemon {
	t.Helper()
	dir := testutil.ShortTempDir(t)
	path := filepath.Join(dir, "supervisord.conf")
	os.WriteFile(path, []byte("[supervisord]\nchildlogdir=%(here)s\nlogfile=%(here)s/main.log\n"+programs), 0o644)
	cfg, err := config.Load(path, config.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	core, err := supervisor.New(cfg, supervisor.Options{Log: discard, ExecHelper: exe})
	if err != nil {
		t.Fatal(err)
	}
	go core.Run(context.Background())
	t.Cleanup(func() { core.RequestShutdown(); testutil.Receive(t, core.Done(), "the core to shut down") })
	srv := New(core, core.Bus(), discard, compat.Mount)
	e, err := srv.Listen(EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0",
		Credentials: Credentials{"u", "p"}, MetricsPublic: metricsPublic})
	if err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(srv.Close)
	conn, err := grpc.NewClient(e.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &opsDaemon{core: core, base: "http://" + e.Addr().String(), grpc: conn}
}

// get returns the status and body of GET path (with credentials if
// auth).
func (d *opsDaemon) get(t *testing.T, method, path string, auth bool) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, d.base+path, nil)
	if auth {
		req.SetBasicAuth("u", "p")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitStatus polls GET path (without credentials) until it answers code.
func (d *opsDaemon) waitStatus(t *testing.T, path string, code int) {
	t.Helper()
	testutil.Eventually(t, fmt.Sprintf("%s to answer %d", path, code), func() bool {
		got, _ := d.get(t, "GET", path, false)
		return got == code
	})
}

// waitReadiness polls the gRPC health status "readiness" (without
// credentials, as a Kubernetes grpc probe asks) until it is want.
func (d *opsDaemon) waitReadiness(t *testing.T, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	hc := healthpb.NewHealthClient(d.grpc)
	testutil.Eventually(t, fmt.Sprintf("health %q to be %v", healthReadiness, want), func() bool {
		r, err := hc.Check(testutil.Context(t), &healthpb.HealthCheckRequest{Service: healthReadiness})
		return err == nil && r.GetStatus() == want
	})
}

// TestProbeEndpoints checks /healthz and /readyz as Kubernetes reads
// them (status codes only), without credentials on an endpoint that
// requires them: readiness waits for the autostart programs, a finished
// one-shot task does not hold it, and it flips when a program stops and
// when it starts again; the gRPC health status "readiness" follows it.
func TestProbeEndpoints(t *testing.T) {
	d := startOpsDaemon(t, `
[program:web]
command=sleep 1000
startsecs=0

[program:oneshot]
command=sh -c 'exit 0'
startsecs=0
autorestart=false

[program:manual]
command=sleep 1000
autostart=false
`, false)
	if code, body := d.get(t, "GET", "/healthz", false); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	d.waitStatus(t, "/readyz", 200)
	d.waitReadiness(t, healthpb.HealthCheckResponse_SERVING)

	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", testutil.BasicAuth("u", "p"))
	procs := gsupervisorv1.NewProcessServiceClient(d.grpc)
	if _, err := procs.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: "web", Wait: true}); err != nil {
		t.Fatal(err)
	}
	d.waitStatus(t, "/readyz", 503)
	d.waitReadiness(t, healthpb.HealthCheckResponse_NOT_SERVING)
	if code, body := d.get(t, "GET", "/readyz", false); body != "not ready\n" {
		t.Errorf("/readyz without credentials says more than it may: %d %q", code, body)
	}
	if code, body := d.get(t, "GET", "/readyz?verbose", false); body != "not ready\n" {
		t.Errorf("/readyz?verbose without credentials: %d %q", code, body)
	}
	if code, body := d.get(t, "GET", "/readyz?verbose", true); code != 503 || body != "not ready: waiting for web (STOPPED)\n" {
		t.Errorf("/readyz?verbose with credentials: %d %q", code, body)
	}
	if _, err := procs.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "web", Wait: true}); err != nil {
		t.Fatal(err)
	}
	d.waitStatus(t, "/readyz", 200)
	d.waitReadiness(t, healthpb.HealthCheckResponse_SERVING)

	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"HEAD", "/healthz", 200}, {"HEAD", "/readyz", 200}, {"POST", "/healthz", 405},
		{"GET", "/healthzz", 404}, {"GET", "/readyz/x", 404},
	} {
		if code, _ := d.get(t, c.method, c.path, false); code != c.code {
			t.Errorf("%s %s = %d, want %d", c.method, c.path, code, c.code)
		}
	}
}

// TestReadinessSubsetAndShutdown checks readiness_programs (only the
// selected processes are waited for) and that a daemon shutting down is
// not ready.
func TestReadinessSubsetAndShutdown(t *testing.T) {
	d := startOpsDaemon(t, `readiness_programs=web

[program:web]
command=sleep 1000
startsecs=0

[program:broken]
command=sh -c 'exit 1'
startsecs=0
autorestart=false
`, false)
	d.waitStatus(t, "/readyz", 200)
	d.core.RequestShutdown()
	d.waitStatus(t, "/readyz", 503)
}

// TestMetricsEndpoint checks /metrics: public or behind the credentials
// as configured, the core's figures, and the RPC metrics by surface, for
// calls through gRPC, REST and XML-RPC; the exposition passes promtool.
func TestMetricsEndpoint(t *testing.T) {
	d := startOpsDaemon(t, `
[program:web]
command=sh -c 'echo hello; exec sleep 1000'
startsecs=0
`, false)
	if code, _ := d.get(t, "GET", "/metrics", false); code != http.StatusUnauthorized {
		t.Errorf("/metrics without credentials = %d, want 401", code)
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", testutil.BasicAuth("u", "p"))
	if _, err := gsupervisorv1.NewSupervisorServiceClient(d.grpc).GetState(ctx, &gsupervisorv1.GetStateRequest{}); err != nil {
		t.Fatal(err)
	}
	d.get(t, "GET", "/v1/daemon/state", true)
	req, _ := http.NewRequest("POST", d.base+"/RPC2", strings.NewReader(`<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName></methodCall>`))
	req.SetBasicAuth("u", "p")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	var text string
	testutil.Eventually(t, "the log bytes to reach the metrics", func() bool {
		_, text = d.get(t, "GET", "/metrics", true)
		return strings.Contains(text, `gsupervisor_process_log_bytes_total{group="web",process="web",stream="stdout"} 6`)
	})
	for _, want := range []string{
		`gsupervisor_process_state{group="web",process="web",state="RUNNING"} 1`,
		`gsupervisor_process_state{group="web",process="web",state="STOPPED"} 0`,
		`gsupervisor_process_starts_total{group="web",process="web"} 1`,
		`gsupervisor_process_restarts_total{group="web",process="web"} 0`,
		`gsupervisor_process_log_dropped_bytes_total{group="web",process="web",stream="stdout"} 0`,
		`gsupervisor_daemon_state{state="RUNNING"} 1`,
		`gsupervisor_rpc_requests_total{code="OK",kind="unary",method="/gsupervisor.v1.SupervisorService/GetState",surface="grpc"} 1`,
		`gsupervisor_rpc_requests_total{code="OK",kind="unary",method="/gsupervisor.v1.SupervisorService/GetState",surface="rest"} 1`,
		`gsupervisor_rpc_requests_total{code="OK",kind="unary",method="/gsupervisor.v1.SupervisorService/GetState",surface="xmlrpc"} 1`,
		`gsupervisor_rpc_duration_seconds_bucket{method="/gsupervisor.v1.SupervisorService/GetState",surface="grpc",le="10"} 1`,
		"gsupervisor_events_published_total ",
		"gsupervisor_events_delivered_total ",
		"process_cpu_seconds_total ",
		"go_goroutines ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(text, "gsupervisor_process_uptime_seconds{group=\"web\",process=\"web\"}") {
		t.Error("no uptime")
	}
	testutil.CheckMetrics(t, text)

	open := startOpsDaemon(t, "", true)
	if code, _ := open.get(t, "GET", "/metrics", false); code != 200 {
		t.Errorf("/metrics with MetricsPublic = %d, want 200", code)
	}
	if code, _ := open.get(t, "GET", "/v1/daemon/state", false); code != http.StatusUnauthorized {
		t.Errorf("MetricsPublic opened the API: %d", code)
	}
}
