package compat

import (
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// TestFaultCodeEveryReason walks every ErrorReason of the API: each has a
// legacy code, and the code is the one in Supervisor 4.2.5's Faults class
// (reference §5.4), so a reason added to the proto without a decision here
// fails this test.
func TestFaultCodeEveryReason(t *testing.T) {
	want := map[string]int{
		"ERROR_REASON_UNSPECIFIED":          80,
		"ERROR_REASON_BAD_NAME":             10,
		"ERROR_REASON_BAD_SIGNAL":           11,
		"ERROR_REASON_BAD_ARGUMENTS":        3,
		"ERROR_REASON_NO_FILE":              20,
		"ERROR_REASON_NOT_EXECUTABLE":       21,
		"ERROR_REASON_FAILED":               30,
		"ERROR_REASON_ABNORMAL_TERMINATION": 40,
		"ERROR_REASON_SPAWN_ERROR":          50,
		"ERROR_REASON_ALREADY_STARTED":      60,
		"ERROR_REASON_NOT_RUNNING":          70,
		"ERROR_REASON_ALREADY_ADDED":        90,
		"ERROR_REASON_STILL_RUNNING":        91,
		"ERROR_REASON_CANT_REREAD":          92,
		"ERROR_REASON_SHUTDOWN_STATE":       6,
		"ERROR_REASON_REVISION_MISMATCH":    30,
	}
	for num, name := range gsupervisorv1.ErrorReason_name {
		r := gsupervisorv1.ErrorReason(num)
		code, ok := reasonCodes[r]
		if !ok {
			t.Errorf("%s has no legacy fault code in reasonCodes", name)
			continue
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("%s is new: add its expected legacy code to this test", name)
			continue
		}
		if code != w || FaultCode(r) != w {
			t.Errorf("%s -> %d, want %d", name, code, w)
		}
	}
	if len(reasonCodes) != len(gsupervisorv1.ErrorReason_name) {
		t.Errorf("reasonCodes has %d entries, the proto %d reasons", len(reasonCodes), len(gsupervisorv1.ErrorReason_name))
	}
	if got := FaultCode(gsupervisorv1.ErrorReason(999)); got != FaultFailed {
		t.Errorf("unknown reason -> %d, want FAILED", got)
	}
}

// statusWithReason builds the error a daemon RPC fails with.
func statusWithReason(t *testing.T, code codes.Code, reason, msg string) error {
	t.Helper()
	st, err := status.New(code, msg).WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: gsupervisorv1.ErrorDomain, Metadata: map[string]string{"detail": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

func TestFaultOf(t *testing.T) {
	foreign, err := status.New(codes.NotFound, "BAD_NAME: x").WithDetails(&errdetails.ErrorInfo{Reason: "ERROR_REASON_BAD_NAME", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		code int
		text string
	}{
		{"every reason's name", statusWithReason(t, codes.NotFound, "ERROR_REASON_BAD_NAME", "BAD_NAME: web:web_00"), 10, "BAD_NAME: web:web_00"},
		{"bare name", statusWithReason(t, codes.NotFound, "ERROR_REASON_NO_FILE", "NO_FILE"), 20, "NO_FILE"},
		{"shutdown", statusWithReason(t, codes.Unavailable, "ERROR_REASON_SHUTDOWN_STATE", "SHUTDOWN_STATE"), 6, "SHUTDOWN_STATE"},
		{"revision mismatch", statusWithReason(t, codes.Aborted, "ERROR_REASON_REVISION_MISMATCH", "REVISION_MISMATCH: stale"), 30, "REVISION_MISMATCH: stale"},
		{"unknown reason", statusWithReason(t, codes.Internal, "SOMETHING_NEW", "SOMETHING_NEW: x"), 30, "SOMETHING_NEW: x"},
		{"no ErrorInfo", status.Error(codes.Unavailable, "connection refused"), 30, "FAILED: connection refused"},
		{"ErrorInfo of another domain", foreign.Err(), 30, "FAILED: BAD_NAME: x"},
		{"not a status", errors.New("boom"), 30, "FAILED: boom"},
		{"a fault passes", &xmlrpc.Fault{Code: 2, String: "INCORRECT_PARAMETERS"}, 2, "INCORRECT_PARAMETERS"},
	} {
		f := faultOf(c.err)
		if f.Code != c.code || f.String != c.text {
			t.Errorf("%s: faultOf = %d %q, want %d %q", c.name, f.Code, f.String, c.code, c.text)
		}
	}
}
