//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestStartWhileStoppingSurfaces: a start request for a process that is
// still STOPPING spawns nothing, as in 4.2.5: the main log says "process
// 'x' already running"; a request that waits ends in ABNORMAL_TERMINATION
// (gRPC Aborted, REST 409), one that does not succeeds with the process
// still STOPPING. XML-RPC is compared with 4.2.5 in TestMainLogDifferential.
func TestStartWhileStoppingSurfaces(t *testing.T) {
	d := startDaemon(t, "[program:stubborn]\ncommand=/bin/sh -c \"trap '' TERM; echo ready; while :; do sleep 0.1; done\"\nstopwaitsecs=60\n")
	d.waitState("stubborn", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	logs := gsupervisorv1.NewLogServiceClient(d.conn)
	testutil.Eventually(t, "the trap", func() bool {
		r, err := logs.ReadProcessLog(d.ctx(), &gsupervisorv1.ReadProcessLogRequest{Name: "stubborn", Offset: -100})
		return err == nil && strings.Contains(string(r.GetData()), "ready")
	})
	if _, err := d.processes().StopProcess(d.ctx(), &gsupervisorv1.StopProcessRequest{Name: "stubborn"}); err != nil {
		t.Fatal(err)
	}
	d.waitState("stubborn", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING)
	t.Cleanup(func() {
		d.processes().SignalProcess(d.ctx(), &gsupervisorv1.SignalProcessRequest{Name: "stubborn", Signal: "KILL"})
	})

	// gRPC.
	_, err := d.processes().StartProcess(d.ctx(), &gsupervisorv1.StartProcessRequest{Name: "stubborn", Wait: true})
	st := status.Convert(err)
	reason, detail, _ := gsupervisorv1.ReasonFromError(err)
	if st.Code() != codes.Aborted || reason != gsupervisorv1.ErrorReason_ERROR_REASON_ABNORMAL_TERMINATION || detail != "stubborn" ||
		st.Message() != "ABNORMAL_TERMINATION: stubborn" {
		t.Errorf("gRPC start with wait: %v (reason %v, detail %q)", err, reason, detail)
	}
	r, err := d.processes().StartProcess(d.ctx(), &gsupervisorv1.StartProcessRequest{Name: "stubborn"})
	if err != nil || r.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING {
		t.Errorf("gRPC start without wait: %v, %v", r, err)
	}

	// REST.
	out := d.curl("-w", "\n%{http_code}", "-X", "POST", "-d", `{"wait": true}`, "http://localhost/v1/processes/stubborn:start")
	if !strings.HasSuffix(out, "\n409") || !strings.Contains(out, `"reason":"ERROR_REASON_ABNORMAL_TERMINATION"`) {
		t.Errorf("REST start with wait: %s", out)
	}
	out = d.curl("-w", "\n%{http_code}", "-X", "POST", "-d", `{}`, "http://localhost/v1/processes/stubborn:start")
	if !strings.HasSuffix(out, "\n200") || !strings.Contains(out, `"PROCESS_STATE_STOPPING"`) {
		t.Errorf("REST start without wait: %s", out)
	}

	b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	if n := strings.Count(string(b), "WARN process 'stubborn' already running\n"); n != 4 {
		t.Errorf("main log has %d refusals, want 4:\n%s", n, b)
	}
	if info := d.waitState("stubborn", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING); info.GetPid() == 0 {
		t.Errorf("stubborn lost its pid: %v", info)
	}
}
