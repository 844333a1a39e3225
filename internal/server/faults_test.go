package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// httpStatus is the REST gateway's HTTP status of each gRPC code the fault
// table uses.
var httpStatus = map[codes.Code]int{
	codes.NotFound: 404, codes.InvalidArgument: 400, codes.FailedPrecondition: 400, codes.Internal: 500,
	codes.Aborted: 409, codes.AlreadyExists: 409, codes.Unavailable: 503,
}

// xmlrpcClient is Python's xmlrpc.client on the daemon's socket, through
// Supervisor's own transport: for each line read, it calls
// supervisor.getAPIVersion and prints the fault as JSON.
const xmlrpcClient = `
import json, sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
proxy = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + sys.argv[1]))
for _ in sys.stdin:
    try:
        proxy.supervisor.getAPIVersion()
        print(json.dumps({}), flush=True)
    except xmlrpc.client.Fault as f:
        print(json.dumps({"code": f.faultCode, "text": f.faultString}), flush=True)
`

// buildCtl builds supervisorctl into a temporary directory.
func buildCtl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "supervisorctl")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gsupervisor/gsupervisor/ctl").CombinedOutput()
	if err != nil {
		t.Fatalf("build supervisorctl: %v\n%s", err, out)
	}
	return bin
}

// TestFaultProjections walks every reason through all projections of the
// one fault table: a daemon whose GetVersion fails with the reason is
// asked over native gRPC (status code and ErrorInfo), REST (HTTP status
// and JSON body), XML-RPC from Python's xmlrpc.client (fault code and
// text) and by supervisorctl (the fault it reports). It also checks that
// the core's and the API's enumerations line up.
func TestFaultProjections(t *testing.T) {
	testutil.RequirePython(t)
	var reason atomic.Int32
	failVersion := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if info.FullMethod == gsupervisorv1.SupervisorService_GetVersion_FullMethodName {
			return nil, errdefs.New(errdefs.Reason(reason.Load()), "x")
		}
		return handler(ctx, req)
	}
	d := startChainDaemon(t, serverChain(discard, nil, nil).with(failVersion, nil), Credentials{})
	ctl := buildCtl(t)
	py := exec.Command(testutil.Python, "-c", xmlrpcClient, d.sock)
	pyIn, _ := py.StdinPipe()
	pyOut, _ := py.StdoutPipe()
	if err := py.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { pyIn.Close(); _ = py.Wait() }()
	pyLines := bufio.NewScanner(pyOut)

	if len(gsupervisorv1.ErrorReason_name) != len(errdefs.Reasons())+1 {
		t.Errorf("API has %d reasons, core %d", len(gsupervisorv1.ErrorReason_name)-1, len(errdefs.Reasons()))
	}
	sup := gsupervisorv1.NewSupervisorServiceClient(d.grpc)
	for _, r := range errdefs.Reasons() {
		reason.Store(int32(r))
		api := ProtoReason(r)
		if api.String() != "ERROR_REASON_"+r.String() {
			t.Errorf("core reason %s is API reason %s", r, api)
		}
		row := faults.Of(api)
		text := r.String() + ": x"

		// gRPC: status code, message, ErrorInfo.
		_, err := sup.GetVersion(t.Context(), &gsupervisorv1.GetVersionRequest{})
		st := status.Convert(err)
		got, detail, ok := gsupervisorv1.ReasonFromError(err)
		if st.Code() != row.Status || st.Message() != text || !ok || got != api || detail != "x" {
			t.Errorf("%s gRPC: %v %q, ErrorInfo %v %q %v", r, st.Code(), st.Message(), got, detail, ok)
		}

		// REST: HTTP status and JSON body.
		resp := d.do(t, "GET", "/v1/daemon/version", "", "")
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var js struct {
			Code    int
			Message string
			Details []struct {
				Type     string `json:"@type"`
				Reason   string
				Domain   string
				Metadata map[string]string
			}
		}
		if err := json.Unmarshal(body, &js); err != nil {
			t.Fatalf("%s REST body %q: %v", r, body, err)
		}
		if want, ok := httpStatus[row.Status]; !ok || resp.StatusCode != want || js.Code != int(row.Status) || js.Message != text ||
			len(js.Details) != 1 || js.Details[0].Type != "type.googleapis.com/google.rpc.ErrorInfo" ||
			js.Details[0].Reason != api.String() || js.Details[0].Domain != "gsupervisor.v1" || js.Details[0].Metadata["detail"] != "x" {
			t.Errorf("%s REST: %d %s", r, resp.StatusCode, body)
		}

		// XML-RPC, from Python.
		if _, err := io.WriteString(pyIn, "\n"); err != nil {
			t.Fatal(err)
		}
		if !pyLines.Scan() {
			t.Fatalf("python: %v", pyLines.Err())
		}
		var fault struct {
			Code int
			Text string
		}
		if err := json.Unmarshal(pyLines.Bytes(), &fault); err != nil || fault.Code != int(row.Fault) || fault.Text != text {
			t.Errorf("%s XML-RPC fault: %s (%v), want %d %q", r, pyLines.Text(), err, row.Fault, text)
		}

		// supervisorctl.
		out, _ := exec.Command(ctl, "-s", "unix://"+d.sock, "version").CombinedOutput()
		want := "error: <class 'xmlrpc.client.Fault'>, <Fault " + strconv.Itoa(int(row.Fault)) + ": " + pytext.Repr(text) + ">"
		if strings.TrimSpace(string(out)) != want {
			t.Errorf("%s supervisorctl: %q, want %q", r, out, want)
		}
	}
}
