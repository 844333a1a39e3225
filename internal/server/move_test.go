package server

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// TestMoveInto checks a unary response handed over in-process arrives
// whole (scalars, lists, nested messages, unknown fields) and replaces
// what the reply held.
func TestMoveInto(t *testing.T) {
	src := &gsupervisorv1.ListProcessesResponse{Processes: []*gsupervisorv1.ProcessInfo{
		{Name: "a", Group: "g", Pid: 7, StartTime: timestamppb.New(timestamppb.Now().AsTime()), Description: "pid 7, uptime 0:00:01"},
		{Name: "b", State: gsupervisorv1.ProcessState_PROCESS_STATE_FATAL, SpawnError: "no such file"},
	}}
	src.ProtoReflect().SetUnknown([]byte{0xf8, 0x3f, 0x01}) // field 1023, varint 1
	want := proto.Clone(src)
	dst := &gsupervisorv1.ListProcessesResponse{Processes: []*gsupervisorv1.ProcessInfo{{Name: "stale"}, {Name: "stale2"}, {Name: "stale3"}}}
	moveInto(dst, src)
	if !proto.Equal(dst, want) {
		t.Fatalf("moved %v, want %v", dst, want)
	}
	// An empty response empties the reply.
	moveInto(dst, &gsupervisorv1.ListProcessesResponse{})
	if len(dst.GetProcesses()) != 0 || len(dst.ProtoReflect().GetUnknown()) != 0 {
		t.Fatalf("after an empty response the reply holds %v", dst)
	}
}
