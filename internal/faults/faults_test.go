package faults

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestEveryReasonHasARow walks every ErrorReason of the API: each has a
// row at its own index, with the legacy code of Supervisor 4.2.5's Faults
// class, so a reason added to the proto without a decision here fails.
func TestEveryReasonHasARow(t *testing.T) {
	want := map[string]struct {
		fault  Code
		status codes.Code
	}{
		"ERROR_REASON_UNSPECIFIED":          {80, codes.OK},
		"ERROR_REASON_BAD_NAME":             {10, codes.NotFound},
		"ERROR_REASON_BAD_SIGNAL":           {11, codes.InvalidArgument},
		"ERROR_REASON_BAD_ARGUMENTS":        {3, codes.InvalidArgument},
		"ERROR_REASON_NO_FILE":              {20, codes.NotFound},
		"ERROR_REASON_NOT_EXECUTABLE":       {21, codes.FailedPrecondition},
		"ERROR_REASON_FAILED":               {30, codes.Internal},
		"ERROR_REASON_ABNORMAL_TERMINATION": {40, codes.Aborted},
		"ERROR_REASON_SPAWN_ERROR":          {50, codes.Internal},
		"ERROR_REASON_ALREADY_STARTED":      {60, codes.FailedPrecondition},
		"ERROR_REASON_NOT_RUNNING":          {70, codes.FailedPrecondition},
		"ERROR_REASON_ALREADY_ADDED":        {90, codes.AlreadyExists},
		"ERROR_REASON_STILL_RUNNING":        {91, codes.FailedPrecondition},
		"ERROR_REASON_CANT_REREAD":          {92, codes.InvalidArgument},
		"ERROR_REASON_SHUTDOWN_STATE":       {6, codes.Unavailable},
		"ERROR_REASON_REVISION_MISMATCH":    {30, codes.Aborted},
		"ERROR_REASON_DISABLED":             {50, codes.FailedPrecondition},
		"ERROR_REASON_DEPENDENCY_FAILED":    {50, codes.FailedPrecondition},
	}
	if len(table) != len(gsupervisorv1.ErrorReason_name) {
		t.Errorf("the table has %d rows, the proto %d reasons", len(table), len(gsupervisorv1.ErrorReason_name))
	}
	for num, name := range gsupervisorv1.ErrorReason_name {
		r := gsupervisorv1.ErrorReason(num)
		w, ok := want[name]
		if !ok {
			t.Errorf("%s is new: add its legacy code and gRPC code to the table and this test", name)
			continue
		}
		e := Of(r)
		if e.Reason != r || e.Fault != w.fault || e.Status != w.status {
			t.Errorf("Of(%s) = %+v, want fault %d status %v", name, e, w.fault, w.status)
		}
	}
	if e := Of(gsupervisorv1.ErrorReason(999)); e.Fault != Failed || e.Status != codes.Internal {
		t.Errorf("unknown reason -> %+v, want FAILED/Internal", e)
	}
	if got := Entries(); len(got) != len(table) || got[1].Reason != gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME {
		t.Errorf("Entries() = %v", got)
	}
}

// TestNamesAreSupervisors compares the legacy codes and names with the real
// supervisor.xmlrpc.Faults of 4.2.5.
func TestNamesAreSupervisors(t *testing.T) {
	out := testutil.RunPython(t, "from supervisor.xmlrpc import Faults\n"+
		"for k in dir(Faults):\n"+
		"    if not k.startswith('_'): print(k, getattr(Faults, k))")
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, num, _ := strings.Cut(line, " ")
		n, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("bad line %q", line)
		}
		if got := Code(n).Name(); got != name {
			t.Errorf("Code(%d).Name() = %q, 4.2.5 says %q", n, got, name)
		}
		seen++
	}
	if seen != 18 {
		t.Errorf("4.2.5 has %d faults, want the 18 of its Faults class", seen)
	}
	if got := Code(7).Name(); got != "7" {
		t.Errorf("undefined code name = %q", got)
	}
	if got := BadName.Text("web"); got != "BAD_NAME: web" {
		t.Errorf("Text = %q", got)
	}
	if got := IncorrectParameters.Text(""); got != "INCORRECT_PARAMETERS" {
		t.Errorf("Text = %q", got)
	}
}

// TestFromError decodes the errors a call can fail with.
func TestFromError(t *testing.T) {
	st, err := status.New(codes.NotFound, "BAD_NAME: web").WithDetails(gsupervisorv1.NewErrorInfo(gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME, "web"))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := FromError(fmt.Errorf("wrapped: %w", st.Err()))
	if !ok || f.Reason != gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME || f.Code != BadName || f.String != "BAD_NAME: web" {
		t.Errorf("FromError = %+v %v", f, ok)
	}
	st, err = status.New(codes.Aborted, "REVISION_MISMATCH: x").WithDetails(gsupervisorv1.NewErrorInfo(gsupervisorv1.ErrorReason_ERROR_REASON_REVISION_MISMATCH, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := FromError(st.Err()); !ok || f.Code != Failed || f.String != "REVISION_MISMATCH: x" {
		t.Errorf("FromError(REVISION_MISMATCH) = %+v %v", f, ok)
	}
	for _, err := range []error{nil, errors.New("boom"), status.Error(codes.Unavailable, "refused")} {
		if f, ok := FromError(err); ok {
			t.Errorf("FromError(%v) = %+v, true", err, f)
		}
	}
}

func TestLegacy(t *testing.T) {
	st, err := status.New(codes.NotFound, "BAD_NAME: nope").WithDetails(gsupervisorv1.NewErrorInfo(gsupervisorv1.ErrorReason_ERROR_REASON_BAD_NAME, "nope"))
	if err != nil {
		t.Fatal(err)
	}
	if f := Legacy(st.Err()); f.Code != BadName || f.String != "BAD_NAME: nope" {
		t.Errorf("Legacy(BAD_NAME status) = %+v", f)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("connection reset"), "FAILED: connection reset"},
		{status.Error(codes.Canceled, "context canceled"), "FAILED: context canceled"},
	} {
		if f := Legacy(c.err); f.Code != Failed || f.String != c.want || f.Reason != gsupervisorv1.ErrorReason_ERROR_REASON_FAILED {
			t.Errorf("Legacy(%v) = %+v, want FAILED %q", c.err, f, c.want)
		}
	}
}
