package server

import (
	"context"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/metrics"
)

// BenchmarkGetStateChain measures a GetState call through the server's
// chain on the in-process connection (what REST, compat and web pay per
// call), without and with the RPC metrics interceptor: the cost the
// metrics add to every call.
func BenchmarkGetStateChain(b *testing.B) {
	core := newCore(b)
	for _, c := range []struct {
		name string
		rpc  *metrics.RPC
	}{{"without-metrics", nil}, {"with-metrics", metrics.NewRegistry(core).RPC()}} {
		b.Run(c.name, func(b *testing.B) {
			srv := newWithChain(core, core.Bus(), discard, serverChain(discard, c.rpc, nil), nil, defaultLimits)
			defer srv.Close()
			e, err := srv.Listen(EndpointConfig{Name: "inet_http_server", Network: "tcp", Address: "127.0.0.1:0"})
			if err != nil {
				b.Fatal(err)
			}
			client := gsupervisorv1.NewSupervisorServiceClient(e.ClientConn())
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.GetState(ctx, &gsupervisorv1.GetStateRequest{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
