//go:build e2e

package e2e

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// grpcurlRun runs the pinned grpcurl with args and returns its combined
// output and exit code.
func grpcurlRun(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(grpcurl(t), args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("grpcurl %s: %v", strings.Join(args, " "), err)
		}
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// grpcurlDataField matches the bytes fields of grpcurl's JSON output.
var grpcurlDataField = regexp.MustCompile(`"data": "([A-Za-z0-9+/=]*)"`)

// grpcurlData returns the bytes of every "data" field of grpcurl's
// output, decoded and concatenated.
func grpcurlData(out string) string {
	var b strings.Builder
	for _, m := range grpcurlDataField.FindAllStringSubmatch(out, -1) {
		d, _ := base64.StdEncoding.DecodeString(m[1])
		b.Write(d)
	}
	return b.String()
}

// healthProtoset writes the health service's descriptor as a protoset,
// what a client without reflection (a probe) knows of the service.
func healthProtoset(t *testing.T) string {
	t.Helper()
	set := &descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{
		protodesc.ToFileDescriptorProto(healthpb.File_grpc_health_v1_health_proto)}}
	b, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "health.protoset")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGrpcurl drives the daemon with the pinned grpcurl through server
// reflection, on the open unix socket and on a TCP port with credentials:
// list and describe, unary calls, both server streams (ended by
// -max-time, a cancellation mid-stream), a typed error with its
// ErrorInfo, health with and without credentials.
func TestGrpcurl(t *testing.T) {
	d := startClientsDaemon(t, clientsPrograms)
	d.waitState("ticker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	auth := "authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(clUser+":"+clPass))
	for _, ep := range []struct {
		name string
		conn []string
	}{
		{"unix", []string{"-plaintext", "-unix", d.sock}},
		{"tcp", []string{"-plaintext", "-H", auth, d.addr}},
	} {
		t.Run(ep.name, func(t *testing.T) {
			target := ep.conn[len(ep.conn)-1]
			opts := ep.conn[:len(ep.conn)-1]
			call := func(extra ...string) (string, int) {
				args := append(append(append([]string{}, opts...), extra[:len(extra)-1]...), target, extra[len(extra)-1])
				return grpcurlRun(t, args...)
			}
			// list and describe, through reflection.
			out, code := grpcurlRun(t, append(append([]string{}, opts...), target, "list")...)
			for _, svc := range []string{"gsupervisor.v1.ProcessService", "gsupervisor.v1.LogService", "gsupervisor.v1.EventService",
				"gsupervisor.v1.ConfigService", "gsupervisor.v1.SupervisorService", "grpc.health.v1.Health"} {
				if code != 0 || !strings.Contains(out, svc+"\n") {
					t.Fatalf("list: exit %d, no %s:\n%s", code, svc, out)
				}
			}
			out, code = grpcurlRun(t, append(append([]string{}, opts...), target, "describe", "gsupervisor.v1.ProcessService.RestartProcess")...)
			if code != 0 || !strings.Contains(out, "rpc RestartProcess ( .gsupervisor.v1.RestartProcessRequest ) returns ( .gsupervisor.v1.RestartProcessResponse )") {
				t.Errorf("describe: exit %d:\n%s", code, out)
			}
			// Unary calls.
			if out, code = call("gsupervisor.v1.ProcessService/ListProcesses"); code != 0 || !strings.Contains(out, `"name": "ticker"`) {
				t.Errorf("ListProcesses: exit %d:\n%s", code, out)
			}
			if out, code = call("-d", `{"name": "ticker", "wait": true}`, "gsupervisor.v1.ProcessService/RestartProcess"); code != 0 || !strings.Contains(out, `"state": "PROCESS_STATE_RUNNING"`) {
				t.Errorf("RestartProcess: exit %d:\n%s", code, out)
			}
			line := "grpcurl " + ep.name + "\n"
			if out, code = call("-d", `{"name": "cat", "data": "`+base64.StdEncoding.EncodeToString([]byte(line))+`"}`, "gsupervisor.v1.ProcessService/WriteProcessStdin"); code != 0 {
				t.Errorf("WriteProcessStdin: exit %d:\n%s", code, out)
			}
			// A typed error.
			out, code = call("-d", `{"name": "nope"}`, "gsupervisor.v1.ProcessService/GetProcess")
			if code == 0 || !strings.Contains(out, "Code: NotFound") || !strings.Contains(out, `"reason": "ERROR_REASON_BAD_NAME"`) ||
				!strings.Contains(out, `"domain": "gsupervisor.v1"`) {
				t.Errorf("GetProcess nope: exit %d:\n%s", code, out)
			}
			// Server streams, ended mid-stream by -max-time (the client's
			// deadline, which the daemon sees too: grpcurl reports either
			// side's end).
			ended := func(out string, code int) bool { return code == 0 || strings.Contains(out, "Code: DeadlineExceeded") }
			out, code = call("-max-time", "3", "-d", `{"name": "cat", "tail_bytes": 65536}`, "gsupervisor.v1.LogService/FollowProcessLog")
			if !strings.Contains(grpcurlData(out), line) || !ended(out, code) {
				t.Errorf("FollowProcessLog: exit %d:\n%s", code, out)
			}
			out, code = call("-max-time", "3", "-d", `{"after_serial": 0, "processes": ["ticker"]}`, "gsupervisor.v1.EventService/SubscribeEvents")
			if !strings.Contains(out, `"state": "PROCESS_STATE_STOPPED"`) || !strings.Contains(out, `"ready": {`) || !ended(out, code) {
				t.Errorf("SubscribeEvents: exit %d:\n%s", code, out)
			}
			// Health.
			if out, code = call("-d", `{"service": "gsupervisor.v1.LogService"}`, "grpc.health.v1.Health/Check"); code != 0 || !strings.Contains(out, `"status": "SERVING"`) {
				t.Errorf("health: exit %d:\n%s", code, out)
			}
		})
	}

	// The TCP port without credentials: reflection is refused, health
	// (known from its descriptor, as a probe knows it) answers.
	out, code := grpcurlRun(t, "-plaintext", d.addr, "list")
	if code == 0 || !strings.Contains(out, "Unauthenticated") {
		t.Errorf("list without credentials: exit %d:\n%s", code, out)
	}
	out, code = grpcurlRun(t, "-plaintext", "-H", "authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("x:y")), d.addr, "list")
	if code == 0 || !strings.Contains(out, "Unauthenticated") {
		t.Errorf("list with wrong credentials: exit %d:\n%s", code, out)
	}
	out, code = grpcurlRun(t, "-plaintext", "-protoset", healthProtoset(t), d.addr, "grpc.health.v1.Health/Check")
	if code != 0 || !strings.Contains(out, `"status": "SERVING"`) {
		t.Errorf("health without credentials: exit %d:\n%s", code, out)
	}
}
