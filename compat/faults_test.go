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
