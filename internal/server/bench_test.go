package server_test

import (
	"context"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

// thousandPrograms configures 1000 processes that are not started.
const thousandPrograms = "[program:p]\ncommand=/bin/sleep 100000\nautostart=false\nnumprocs=1000\nprocess_name=%(program_name)s_%(process_num)04d\n"

// BenchmarkListProcesses1000 measures native gRPC ListProcesses with 1000
// configured processes over the unix socket, end to end (client marshal
// and unmarshal included).
func BenchmarkListProcesses1000(b *testing.B) {
	d := daemontest.Start(b, thousandPrograms, daemontest.Options{})
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	ctx := context.Background()
	b.ReportAllocs()
	testutil.ReportCPU(b)
	for b.Loop() {
		resp, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.GetProcesses()) != 1000 {
			b.Fatalf("%d processes", len(resp.GetProcesses()))
		}
	}
}

// BenchmarkGetState measures native gRPC GetState over the unix socket
// with concurrent clients on one connection.
func BenchmarkGetState(b *testing.B) {
	d := daemontest.Start(b, "", daemontest.Options{})
	c := gsupervisorv1.NewSupervisorServiceClient(d.Conn)
	ctx := context.Background()
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	testutil.ReportCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetState(ctx, &gsupervisorv1.GetStateRequest{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
