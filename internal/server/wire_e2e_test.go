package server_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

// TestListProcessesNetworkMatchesInProcess: ListProcesses over gRPC (the
// answer encoded straight from the snapshots) and over REST (the gateway
// calls in-process and gets the converted structs) describe the same
// processes: running, in a group, never started, with and without logs.
func TestListProcessesNetworkMatchesInProcess(t *testing.T) {
	d := daemontest.Start(t, `[program:web]
command=sleep 1000
stdout_logfile=%(here)s/logs/web.log
[program:idle]
command=sleep 1000
autostart=false
stdout_logfile=NONE
[program:w]
command=sleep 1000
process_name=w%(process_num)d
numprocs=2
`, daemontest.Options{})
	testutil.Eventually(t, "web and the w group RUNNING", func() bool {
		for _, n := range []string{"web", "w:w0", "w:w1"} {
			if i, err := d.Core.Process(n); err != nil || i.State != process.Running {
				return false
			}
		}
		return true
	})
	ctx := context.Background()
	got, err := gsupervisorv1.NewProcessServiceClient(d.Conn).ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := d.HTTP.Get("http://localhost/v1/processes")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("REST: %d %s %v", resp.StatusCode, body, err)
	}
	var want gsupervisorv1.ListProcessesResponse
	if err := protojson.Unmarshal(body, &want); err != nil {
		t.Fatalf("REST answer %s: %v", body, err)
	}
	if len(got.Processes) != 4 || len(got.ProtoReflect().GetUnknown()) != 0 {
		t.Fatalf("gRPC answer: %d processes, %d unknown bytes", len(got.Processes), len(got.ProtoReflect().GetUnknown()))
	}
	// The two calls are moments apart: the clock and the uptime in the
	// description move on.
	for _, r := range []*gsupervisorv1.ListProcessesResponse{got, &want} {
		for _, p := range r.Processes {
			p.Now, p.Description = nil, ""
		}
	}
	if !proto.Equal(got, &want) {
		t.Fatalf("gRPC and REST differ:\n gRPC %s\n REST %s", protojson.Format(got), protojson.Format(&want))
	}
}

// TestListProcessesConcurrentAnswersIntact: the encoded answers' buffers
// return to a pool once written, so concurrent calls reuse them; every
// answer still arrives whole, with each process under its own name and
// log file.
func TestListProcessesConcurrentAnswersIntact(t *testing.T) {
	const n = 200
	d := daemontest.Start(t, fmt.Sprintf(`[program:p]
command=sleep 1000
autostart=false
numprocs=%d
process_name=%%(program_name)s_%%(process_num)03d
stdout_logfile=%%(here)s/logs/%%(process_num)03d.log
`, n), daemontest.Options{})
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	ctx := context.Background()
	err := testutil.Parallel(8, func() error {
		for range 25 {
			r, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
			if err != nil {
				return err
			}
			if err := checkNumbered(r.GetProcesses(), n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkNumbered checks a list of the processes p_000 … p_<n-1>, each
// logging to logs/<number>.log.
func checkNumbered(ps []*gsupervisorv1.ProcessInfo, n int) error {
	if len(ps) != n {
		return fmt.Errorf("%d processes, want %d", len(ps), n)
	}
	for k, p := range ps {
		num := fmt.Sprintf("%03d", k)
		if p.GetName() != "p_"+num || p.GetNamespec() != "p:p_"+num || !strings.HasSuffix(p.GetStdoutLogfile(), "/logs/"+num+".log") {
			return fmt.Errorf("process %d: %s, %s, %s", k, p.GetName(), p.GetNamespec(), p.GetStdoutLogfile())
		}
	}
	return nil
}

// TestInProcessWireAnswers: on the in-process connection, ListProcesses
// answers with messages, and in wire form (the processes as unknown
// fields, which decode to the same messages) when the caller's context is
// marked with surface.WithWireAnswers, as the legacy getAllProcessInfo's
// is.
func TestInProcessWireAnswers(t *testing.T) {
	d := daemontest.Start(t, "[program:a]\ncommand=sleep 1000\nautostart=false\n[program:b]\ncommand=sleep 1000\nautostart=false\n", daemontest.Options{})
	c := gsupervisorv1.NewProcessServiceClient(d.Server.Endpoints()[0].ClientConn())
	ctx := context.Background()
	msgs, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs.GetProcesses()) != 2 || len(msgs.ProtoReflect().GetUnknown()) != 0 {
		t.Fatalf("without the mark: %d processes, %d unknown bytes", len(msgs.GetProcesses()), len(msgs.ProtoReflect().GetUnknown()))
	}
	wire, err := c.ListProcesses(surface.WithWireAnswers(ctx), &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	raw := wire.ProtoReflect().GetUnknown()
	if len(wire.GetProcesses()) != 0 || len(raw) == 0 {
		t.Fatalf("with the mark: %d processes, %d unknown bytes", len(wire.GetProcesses()), len(raw))
	}
	var decoded gsupervisorv1.ListProcessesResponse
	if err := proto.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*gsupervisorv1.ListProcessesResponse{msgs, &decoded} {
		for _, p := range r.Processes {
			p.Now = nil
		}
	}
	if !proto.Equal(msgs, &decoded) {
		t.Fatalf("the wire form differs:\n wire %s\n messages %s", protojson.Format(&decoded), protojson.Format(msgs))
	}
}
