package server_test

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
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
	// A first call waits for the daemon to open the 1000 processes' log
	// files (in the background after start-up), outside the measure.
	if _, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{}); err != nil {
		b.Fatal(err)
	}
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

// BenchmarkStartAll100 measures starting 100 programs (startsecs=0, AUTO
// logs) through StartAllProcesses(wait) until every one is RUNNING; the
// programs are stopped again outside the timed part (cpu-µs/op counts
// both).
func BenchmarkStartAll100(b *testing.B) {
	d := daemontest.Start(b, "[program:p]\ncommand=/bin/sleep 100000\nautostart=false\nstartsecs=0\nnumprocs=100\nprocess_name=%(program_name)s_%(process_num)03d\n", daemontest.Options{})
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	ctx := context.Background()
	b.ReportAllocs()
	testutil.ReportCPU(b)
	for b.Loop() {
		resp, err := c.StartAllProcesses(ctx, &gsupervisorv1.StartAllProcessesRequest{Wait: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range resp.GetResults() {
			if r.GetReason() != gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED {
				b.Fatalf("%s: %s", r.GetName(), r.GetDescription())
			}
		}
		b.StopTimer()
		if _, err := c.StopAllProcesses(ctx, &gsupervisorv1.StopAllProcessesRequest{Wait: true}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkListProcesses1000Floor measures two parts of a ListProcesses
// of 1000 processes that no server can skip: reading the engine's
// snapshots of the processes, and protobuf-encoding the answer (the
// library's marshal of the response the call returned). Their sum is the
// floor under the server's CPU per call, before any transport.
func BenchmarkListProcesses1000Floor(b *testing.B) {
	d := daemontest.Start(b, thousandPrograms, daemontest.Options{})
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	resp, err := c.ListProcesses(context.Background(), &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("snapshot", func(b *testing.B) {
		var l supervisor.ProcessList
		b.ReportAllocs()
		for b.Loop() {
			if err := d.Core.ProcessesInto(&l); err != nil || len(l.Infos) != 1000 {
				b.Fatalf("%d processes, %v", len(l.Infos), err)
			}
		}
	})
	// In the daemon, the client's work between two calls evicts the
	// processes' state from the CPU caches: this measures the snapshot
	// after a walk through 64 MiB of other memory.
	b.Run("snapshot-cold", func(b *testing.B) {
		var l supervisor.ProcessList
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			testutil.EvictCaches()
			b.StartTimer()
			if err := d.Core.ProcessesInto(&l); err != nil || len(l.Infos) != 1000 {
				b.Fatalf("%d processes, %v", len(l.Infos), err)
			}
		}
	})
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := proto.Marshal(resp); err != nil {
				b.Fatal(err)
			}
		}
	})
}
