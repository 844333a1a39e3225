package gsupervisorv1_test

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// withInfo returns a status error carrying info.
func withInfo(t *testing.T, info protoadapt.MessageV1) error {
	t.Helper()
	st, err := status.New(codes.NotFound, "x").WithDetails(info)
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

// TestErrorInfoRoundTrip encodes every reason and decodes it back, through
// a wrapped error too: the reason is spelled as the enum value.
func TestErrorInfoRoundTrip(t *testing.T) {
	for v, name := range gsupervisorv1.ErrorReason_name {
		r := gsupervisorv1.ErrorReason(v)
		if r == gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED {
			continue
		}
		info := gsupervisorv1.NewErrorInfo(r, "web:web_00")
		if info.GetReason() != name || info.GetDomain() != "gsupervisor.v1" || info.GetMetadata()["detail"] != "web:web_00" {
			t.Errorf("NewErrorInfo(%s) = %v", name, info)
		}
		err := fmt.Errorf("call: %w", withInfo(t, info))
		got, detail, ok := gsupervisorv1.ReasonFromError(err)
		if !ok || got != r || detail != "web:web_00" {
			t.Errorf("ReasonFromError(%s) = %v %q %v", name, got, detail, ok)
		}
	}
}

// TestReasonFromErrorRefuses checks the errors that carry no reason of the
// API, and the mapping of a reason this version does not know.
func TestReasonFromErrorRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"plain error", errors.New("boom")},
		{"status without details", status.Error(codes.Unavailable, "connection refused")},
		{"another domain", withInfo(t, &errdetails.ErrorInfo{Reason: "ERROR_REASON_BAD_NAME", Domain: "example.com"})},
		{"another detail type", withInfo(t, &errdetails.LocalizedMessage{Locale: "en", Message: "x"})},
	} {
		if r, d, ok := gsupervisorv1.ReasonFromError(c.err); ok {
			t.Errorf("%s: ReasonFromError = %v %q true", c.name, r, d)
		}
	}
	for _, reason := range []string{"SOMETHING_NEW", "BAD_NAME", "ERROR_REASON_UNSPECIFIED"} {
		r, _, ok := gsupervisorv1.ReasonFromError(withInfo(t, &errdetails.ErrorInfo{Reason: reason, Domain: gsupervisorv1.ErrorDomain}))
		if !ok || r != gsupervisorv1.ErrorReason_ERROR_REASON_FAILED {
			t.Errorf("reason %q: ReasonFromError = %v %v, want FAILED", reason, r, ok)
		}
	}
}
