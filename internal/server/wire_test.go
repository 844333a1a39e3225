package server

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// wireCases are snapshots that between them set every field of
// ProcessInfo and of the messages in it, with the values whose encoding
// has a catch: negative int32s, times before 1970, negative durations,
// empty nested messages.
func wireCases() []supervisor.ProcessInfo {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.UTC)
	running := supervisor.ProcessInfo{
		Info: process.Info{
			Name: "web", Group: "app", State: process.Running,
			Start: t0, Now: t0.Add(61 * time.Second), Pid: 1234,
			Description: "pid 1234, uptime 0:01:01",
		},
		StdoutLogfile: "/var/log/web.log",
		StderrLogfile: "/var/log/web.err",
		StdoutStats: &logs.Stats{
			Written: 1 << 40, Dropped: 7, Rotations: 300, RotateErrors: 2,
			LastDropError: errors.New("write /var/log/web.log: no space left on device"),
		},
		StderrStats: &logs.Stats{Written: 5},
		Listener:    events.ListenerBusy,
		Health:      probe.HealthHealthy,
		LastProbe: supervisor.ProbeResult{Probe: "readiness", Result: probe.Result{
			Time: t0.Add(time.Second), Duration: 1500 * time.Microsecond, OK: true, Output: "HTTP 200 OK",
		}},
	}
	failed := supervisor.ProcessInfo{
		Info: process.Info{
			Name: "db", Group: "db", State: process.Backoff,
			Start: time.Date(1969, 7, 20, 20, 17, 40, 500, time.UTC), Stop: t0, Now: t0,
			SpawnErr: "can't find command 'postgres'", ExitStatus: -1, ExitExpected: true,
			Description: "Exited too quickly (process log may have details)", NextAttempt: t0.Add(3 * time.Second),
		},
		StdoutStats: &logs.Stats{}, // a log file with nothing written yet
		Health:      probe.HealthUnhealthy,
		LastProbe:   supervisor.ProbeResult{Probe: "liveness", Result: probe.Result{Time: t0, Duration: -1500 * time.Millisecond, Output: "timeout"}},
		Disabled:    true,
		Waiting:     "waiting for cache (STARTING)",
	}
	bare := supervisor.ProcessInfo{Info: process.Info{Name: "x", Group: "g"}}
	return []supervisor.ProcessInfo{running, failed, bare, {}}
}

// TestWireMatchesConvert: the network form of ListProcesses' answer
// decodes to exactly what toProcessInfos makes of the same snapshots, and
// the cases set every field, so that a field added to ProcessInfo and
// converted there but not encoded here fails this test.
func TestWireMatchesConvert(t *testing.T) {
	infos := wireCases()
	want := &gsupervisorv1.ListProcessesResponse{Processes: toProcessInfos(infos)}
	var got gsupervisorv1.ListProcessesResponse
	if err := proto.Unmarshal(appendProcessList(nil, infos), &got); err != nil {
		t.Fatalf("the encoded answer does not decode: %v", err)
	}
	if !proto.Equal(want, &got) {
		t.Fatalf("encoded answer differs:\n got %s\nwant %s", protojson.Format(&got), protojson.Format(want))
	}
	if len(got.ProtoReflect().GetUnknown()) != 0 {
		t.Fatalf("unknown fields in the encoded answer: %x", got.ProtoReflect().GetUnknown())
	}
	set := map[protoreflect.FullName]bool{}
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			set[fd.FullName()] = true
			if fd.Message() != nil && !fd.IsList() {
				walk(v.Message())
			}
			return true
		})
	}
	for _, p := range want.Processes {
		walk(p.ProtoReflect())
	}
	var check func(md protoreflect.MessageDescriptor)
	check = func(md protoreflect.MessageDescriptor) {
		fields := md.Fields()
		for k := 0; k < fields.Len(); k++ {
			fd := fields.Get(k)
			if !set[fd.FullName()] {
				t.Errorf("no case sets %s: add one to wireCases", fd.FullName())
			}
			if fd.Message() != nil {
				check(fd.Message())
			}
		}
	}
	check((&gsupervisorv1.ProcessInfo{}).ProtoReflect().Descriptor())
}

// TestWireInvalidUTF8: a name or path that is not UTF-8 (file names can
// hold any bytes) is sent with U+FFFD in its place, and the answer still
// decodes; protobuf-go's own marshal would fail the whole call.
func TestWireInvalidUTF8(t *testing.T) {
	infos := []supervisor.ProcessInfo{{
		Info:          process.Info{Name: "a\xffb", Group: "g\xfe"},
		StdoutLogfile: "/tmp/log-\xc3.txt",
		StdoutStats:   &logs.Stats{LastDropError: errors.New("open /tmp/\xff: denied")},
	}}
	var got gsupervisorv1.ListProcessesResponse
	if err := proto.Unmarshal(appendProcessList(nil, infos), &got); err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	p := got.Processes[0]
	if p.Name != "a\uFFFDb" || p.Group != "g\uFFFD" || p.Namespec != "g\uFFFD:a\uFFFDb" ||
		p.StdoutLogfile != "/tmp/log-\uFFFD.txt" || p.StdoutLogStats.LastDropError != "open /tmp/\uFFFD: denied" {
		t.Fatalf("got %s", protojson.Format(p))
	}
	if _, err := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: toProcessInfos(infos)}); err == nil {
		t.Fatal("protobuf-go marshals invalid UTF-8 now: the replacement may no longer be needed")
	}
}
