package compat

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestWireFieldNumbers: the field numbers wireinfo.go reads are those of
// the generated descriptors.
func TestWireFieldNumbers(t *testing.T) {
	fields := (&gsupervisorv1.ProcessInfo{}).ProtoReflect().Descriptor().Fields()
	for name, num := range map[protoreflect.Name]int{
		"name": wireName, "group": wireGroup, "start_time": wireStartTime, "stop_time": wireStopTime,
		"now": wireNow, "state": wireState, "spawn_error": wireSpawnError, "exit_status": wireExitStatus,
		"stdout_logfile": wireStdoutLogfile, "stderr_logfile": wireStderrLogfile, "pid": wirePid,
		"description": wireDescription,
	} {
		if fd := fields.ByName(name); fd == nil || int(fd.Number()) != num {
			t.Errorf("ProcessInfo.%s: the descriptor says %v, wireinfo.go %d", name, fd, num)
		}
	}
	list := (&gsupervisorv1.ListProcessesResponse{}).ProtoReflect().Descriptor().Fields().ByName("processes")
	ts := (&timestamppb.Timestamp{}).ProtoReflect().Descriptor().Fields()
	if int(list.Number()) != wireProcesses || int(ts.ByName("seconds").Number()) != wireSeconds || int(ts.ByName("nanos").Number()) != wireNanos {
		t.Error("ListProcessesResponse.processes or Timestamp's fields moved")
	}
}

// TestWireInfoListMatchesMessages: getAllProcessInfo's XML read from the
// wire form of a list is byte for byte the XML of its messages, for
// processes that set every field read (and some that are skipped), and
// for times out of the 32-bit range or before 1970.
func TestWireInfoListMatchesMessages(t *testing.T) {
	ts := func(s int64, n int32) *timestamppb.Timestamp { return &timestamppb.Timestamp{Seconds: s, Nanos: n} }
	procs := []*gsupervisorv1.ProcessInfo{
		{Name: "idle", Group: "idle", Namespec: "idle", Description: "Not started"},
		{
			Name: "web", Group: "g", Namespec: "g:web", StartTime: ts(1_700_000_000, 5), StopTime: ts(1_600_000_000, 999_999_999),
			Now: ts(1_700_000_100, 1), State: gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, SpawnError: "a <b> & c",
			ExitStatus: -1, StdoutLogfile: "/var/log/web.log", StderrLogfile: "/var/log/web.err", Pid: math.MaxInt32,
			Description: "pid 2147483647, uptime 0:01:40", ListenerState: gsupervisorv1.ListenerState_LISTENER_STATE_READY,
			ExitExpected: true, Health: gsupervisorv1.ProcessHealth_PROCESS_HEALTH_UNKNOWN, Disabled: true, Waiting: "waiting",
			StdoutLogStats: &gsupervisorv1.LogStats{WrittenBytes: 10, LastDropError: "full"}, NextAttemptTime: ts(5, 0),
		},
		{
			Name: "old", Group: "old", StartTime: ts(-5, -500_000_000), StopTime: ts(math.MaxInt64/2, 0), Now: ts(math.MinInt64/2, 0),
			State: gsupervisorv1.ProcessState_PROCESS_STATE_FATAL, SpawnError: "bad \x01 \x7f", Description: "ünïcode",
		},
	}
	wire, err := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: procs})
	if err != nil {
		t.Fatal(err)
	}
	want, err := xmlrpc.AppendResponse(nil, processInfoList(procs))
	if err != nil {
		t.Fatal(err)
	}
	got, err := xmlrpc.AppendResponse(nil, wireInfoList(wire))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("from the wire form:\n%s\nfrom the messages:\n%s", got, want)
	}
}

// TestWireInfoListMalformed: a truncated or damaged wire form is an
// error, never a panic or a partial answer passed off as whole.
func TestWireInfoListMalformed(t *testing.T) {
	wire, err := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: []*gsupervisorv1.ProcessInfo{
		{Name: "web", Group: "web", StartTime: timestamppb.Now(), Pid: 7, Description: "pid 7, uptime 0:00:01"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for cut := 1; cut < len(wire); cut++ {
		if _, err := xmlrpc.AppendResponse(nil, wireInfoList(wire[:cut])); err == nil {
			t.Errorf("cut at %d of %d bytes: no error", cut, len(wire))
		}
	}
	for _, bad := range [][]byte{{0x0a, 0x05, 0x0a, 0xff}, {0x0a, 0x02, 0x22, 0x7f}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}} {
		if _, err := xmlrpc.AppendResponse(nil, wireInfoList(bad)); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

// FuzzWireInfoList: no input makes the wire reader panic.
func FuzzWireInfoList(f *testing.F) {
	wire, _ := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: []*gsupervisorv1.ProcessInfo{
		{Name: "web", Group: "web", StartTime: timestamppb.Now(), Pid: 7, StdoutLogfile: "/x"},
	}})
	f.Add(wire)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = xmlrpc.AppendResponse(nil, wireInfoList(b))
	})
}

// TestGetAllProcessInfoConcurrent: the lists' buffers go back to the
// server once encoded and serve the next call; concurrent calls each
// still describe every process under its own name and log file.
func TestGetAllProcessInfoConcurrent(t *testing.T) {
	const n = 100
	d := startDaemon(t, fmt.Sprintf("[program:p]\ncommand=sleep 1000\nautostart=false\nnumprocs=%d\n"+
		"process_name=%%(program_name)s_%%(process_num)03d\nstdout_logfile=%%(here)s/%%(process_num)03d.log\n", n), false)
	body, err := xmlrpc.AppendCall(nil, "supervisor.getAllProcessInfo")
	if err != nil {
		t.Fatal(err)
	}
	err = testutil.Parallel(8, func() error {
		for range 20 {
			v, err := postCall(d, body)
			if err != nil {
				return err
			}
			list, _ := v.([]any)
			if len(list) != n {
				return fmt.Errorf("%d processes, want %d", len(list), n)
			}
			for k, p := range list {
				s, _ := p.(xmlrpc.Struct)
				num := fmt.Sprintf("%03d", k)
				nv, _ := s.Get("name")
				lv, _ := s.Get("stdout_logfile")
				name, _ := nv.(string)
				logfile, _ := lv.(string)
				if name != "p_"+num || !strings.HasSuffix(logfile, "/"+num+".log") {
					return fmt.Errorf("process %d: %q, %q", k, name, logfile)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// postCall posts an encoded XML-RPC call and decodes the answer, from any
// goroutine (d.call fails the test, which only the test's may do).
func postCall(d *testDaemon, body []byte) (any, error) {
	resp, err := d.HTTP.Post("http://localhost/RPC2", "text/xml", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return xmlrpc.DecodeResponse(resp.Body, 0)
}
