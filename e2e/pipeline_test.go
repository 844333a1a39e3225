//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// TestPipeline proves the foundation: one unix socket serves native gRPC
// and REST/JSON (by connection preface), unimplemented RPCs say so, and a
// name with a colon routes through the REST custom verbs.
func TestPipeline(t *testing.T) {
	d := startDaemon(t, `
[group:grp]
programs=sleeper

[program:sleeper]
command=sleep 1000
startsecs=0
`)
	st, err := gsupervisorv1.NewSupervisorServiceClient(d.conn).GetState(d.ctx(), &gsupervisorv1.GetStateRequest{})
	if err != nil || st.GetState() != gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING {
		t.Fatalf("gRPC GetState = %v, %v", st, err)
	}
	var rest struct{ State string }
	if err := json.Unmarshal([]byte(d.curl("http://localhost/v1/daemon/state")), &rest); err != nil || rest.State != "SUPERVISOR_STATE_RUNNING" {
		t.Fatalf("REST GetState = %+v, %v", rest, err)
	}

	d.waitState("grp:sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	out := d.curl("-X", "POST", "-d", `{"wait":true}`, "http://localhost/v1/processes/grp:sleeper:stop")
	if !strings.Contains(out, `"state":"PROCESS_STATE_STOPPED"`) {
		t.Fatalf("REST stop of grp:sleeper: %s", out)
	}
	out = d.curl("http://localhost/v1/processes/grp:sleeper")
	if !strings.Contains(out, `"namespec":"grp:sleeper"`) {
		t.Fatalf("REST get of grp:sleeper: %s", out)
	}
	// An unknown name is a JSON error with the legacy reason, HTTP 404.
	out = d.curl("-w", "\n%{http_code}", "http://localhost/v1/processes/nope")
	if !strings.Contains(out, "BAD_NAME: nope") || !strings.HasSuffix(out, "\n404") {
		t.Fatalf("REST unknown name: %s", out)
	}
	_, err = d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "nope"})
	if status.Code(err) != codes.NotFound || !strings.Contains(err.Error(), "BAD_NAME: nope") {
		t.Fatalf("gRPC unknown name: %v", err)
	}
	// The OpenAPI spec is served and lists the REST paths.
	if spec := d.curl("http://localhost/openapi.json"); !strings.Contains(spec, `"/v1/daemon/state"`) {
		t.Fatalf("openapi.json does not describe /v1/daemon/state")
	}
}
