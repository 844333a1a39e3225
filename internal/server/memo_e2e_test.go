package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/surface"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

// TestListProcessesFollowsEveryChange: ListProcesses over gRPC copies
// each process whose version did not change from what an earlier list
// encoded (wire.go's memo). After each kind of change it answers what
// the engine holds, as the in-process answer (the snapshots, converted)
// does: a start and a stop, bytes logged, a disabled program, a failed
// dependency, a health that follows a probe and an event listener's
// state (processes with no version), a group removed. A change the memo missed leaves the network answer
// stale, and the test fails at its deadline.
func TestListProcessesFollowsEveryChange(t *testing.T) {
	d := daemontest.Start(t, `[program:echo]
command=cat
stdout_logfile=%(here)s/logs/echo.log
[program:idle]
command=sleep 1000
autostart=false
[program:probed]
command=sleep 1000
startsecs=0
readiness_probe=exec:test -f %(here)s/ready
readiness_period=100ms
[program:needy]
command=sleep 1000
autostart=false
depends_on=broken
[program:broken]
command=false
autostart=false
startsecs=1
startretries=0
[eventlistener:listener]
command=sh -c 'while :; do echo READY; read header || exit; dd bs=1 count=${header##*len:} of=/dev/null 2>/dev/null; printf "RESULT 2\nOK"; done'
events=PROCESS_STATE
[group:extra]
programs=extra1
[program:extra1]
command=sleep 1000
`, daemontest.Options{})
	ctx := context.Background()
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	local := gsupervisorv1.NewProcessServiceClient(d.Server.Endpoints()[0].ClientConn())
	// same waits until the network answer (twice in a row, the second
	// from the memo) matches the in-process one.
	same := func(what string) {
		t.Helper()
		var diff string
		ok := testutil.Poll(testutil.Timeout, func() bool {
			for range 2 {
				net, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
				if err != nil {
					t.Fatal(err)
				}
				want, err := local.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
				if err != nil {
					t.Fatal(err)
				}
				if diff = compareLists(net.GetProcesses(), want.GetProcesses()); diff != "" {
					return false
				}
			}
			return true
		})
		if !ok {
			t.Fatalf("%s: the network answer differs from the engine's: %s", what, diff)
		}
	}
	waitFor := func(what string, done func(p *gsupervisorv1.ProcessInfo) bool, name string) {
		t.Helper()
		ok := testutil.Poll(testutil.Timeout, func() bool {
			r, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.GetProcesses() {
				if p.GetNamespec() == name {
					return done(p)
				}
			}
			return false
		})
		if !ok {
			t.Fatalf("%s: not seen over the network", what)
		}
		same(what)
	}
	running := func(p *gsupervisorv1.ProcessInfo) bool {
		return p.GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING
	}
	waitFor("echo running", running, "echo")
	waitFor("extra1 running", running, "extra:extra1")
	waitFor("the listener ready", func(p *gsupervisorv1.ProcessInfo) bool {
		return p.GetListenerState() == gsupervisorv1.ListenerState_LISTENER_STATE_READY
	}, "listener")
	same("at rest")

	if _, err := c.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "idle", Wait: true}); err != nil {
		t.Fatal(err)
	}
	waitFor("a start", running, "idle")

	if _, err := c.WriteProcessStdin(ctx, &gsupervisorv1.WriteProcessStdinRequest{Name: "echo", Data: []byte("hello\n")}); err != nil {
		t.Fatal(err)
	}
	waitFor("bytes logged", func(p *gsupervisorv1.ProcessInfo) bool { return p.GetStdoutLogStats().GetWrittenBytes() == 6 }, "echo")

	if _, err := c.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: "idle", Wait: true}); err != nil {
		t.Fatal(err)
	}
	waitFor("a stop", func(p *gsupervisorv1.ProcessInfo) bool {
		return p.GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED && p.GetStopTime() != nil
	}, "idle")

	if _, err := c.DisableProgram(ctx, &gsupervisorv1.DisableProgramRequest{Name: "idle", Wait: true}); err != nil {
		t.Fatal(err)
	}
	waitFor("a disabled program", (*gsupervisorv1.ProcessInfo).GetDisabled, "idle")

	// needy depends on broken, which fails (FATAL): needy's start fails
	// on its dependency, with a note.
	if _, err := c.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "broken", Wait: true}); err == nil {
		t.Fatal("broken started")
	}
	waitFor("a failed start", func(p *gsupervisorv1.ProcessInfo) bool {
		return p.GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_FATAL
	}, "broken")
	if _, err := c.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: "needy", Wait: true}); err == nil {
		t.Fatal("needy started although broken failed")
	}
	waitFor("a failed dependency", func(p *gsupervisorv1.ProcessInfo) bool { return p.GetWaiting() != "" }, "needy")

	if err := os.WriteFile(filepath.Join(d.Dir, "ready"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("a probe passed", func(p *gsupervisorv1.ProcessInfo) bool {
		return p.GetHealth() == gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY
	}, "probed")

	cfg := gsupervisorv1.NewConfigServiceClient(d.Conn)
	if _, err := c.StopProcessGroup(ctx, &gsupervisorv1.StopProcessGroupRequest{Group: "extra", Wait: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.RemoveProcessGroup(ctx, &gsupervisorv1.RemoveProcessGroupRequest{Group: "extra"}); err != nil {
		t.Fatal(err)
	}
	same("a group removed")
}

// compareLists returns how the network list got differs from the
// in-process list want ("" if it does not). The times a list reads from
// the clock are checked apart: now is taken by each call, and a running
// process's description must be its uptime as of its own now.
func compareLists(got, want []*gsupervisorv1.ProcessInfo) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d processes, want %d", len(got), len(want))
	}
	for k := range got {
		g, w := proto.Clone(got[k]).(*gsupervisorv1.ProcessInfo), proto.Clone(want[k]).(*gsupervisorv1.ProcessInfo)
		if g.GetNow() == nil {
			return fmt.Sprintf("%s: no now", g.GetNamespec())
		}
		if g.GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
			up := g.GetNow().GetSeconds() - g.GetStartTime().GetSeconds()
			if d := fmt.Sprintf("pid %d, uptime %s", g.GetPid(), process.FormatUptime(max(up, 0))); g.GetDescription() != d {
				return fmt.Sprintf("%s: description %q, want %q", g.GetNamespec(), g.GetDescription(), d)
			}
			g.Description, w.Description = "", ""
		}
		g.Now, w.Now = (*timestamppb.Timestamp)(nil), (*timestamppb.Timestamp)(nil)
		if !proto.Equal(g, w) {
			return fmt.Sprintf("got %s\nwant %s", protojson.Format(g), protojson.Format(w))
		}
	}
	return ""
}

// TestListProcessesWhileOneChatters: a process that logs all the time is
// encoded again by every list, and the memo keeps its earlier encodings
// until it copies the current ones into a buffer of their own; through
// the hundreds of lists that take, every answer holds every process as it
// is.
func TestListProcessesWhileOneChatters(t *testing.T) {
	const n = 100
	d := daemontest.Start(t, fmt.Sprintf(`[program:p]
command=sleep 1000
startsecs=0
numprocs=%d
process_name=%%(program_name)s_%%(process_num)03d
stdout_logfile=%%(here)s/logs/%%(process_num)03d.log
[program:z]
command=sh -c 'while :; do echo chatter; sleep 0.001; done'
startsecs=0
stdout_logfile=%%(here)s/logs/z.log
`, n), daemontest.Options{})
	ctx := context.Background()
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	pids := map[string]int32{}
	testutil.Eventually(t, "every process running", func() bool {
		r, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.GetProcesses() {
			if p.GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
				return false
			}
			pids[p.GetNamespec()] = p.GetPid()
		}
		return len(pids) == n+1
	})
	// Each list whose z differs encodes it again: 600 of them fill the
	// memo with earlier encodings (about 150 KB) more than once.
	var written int64
	changes := 0
	deadline := time.Now().Add(testutil.Timeout)
	for changes < 600 {
		if time.Now().After(deadline) {
			t.Fatalf("z changed in only %d lists within %v", changes, testutil.Timeout)
		}
		r, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		ps := r.GetProcesses()
		if err := checkNumbered(ps[:n], n); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.GetPid() != pids[p.GetNamespec()] || p.GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
				t.Fatalf("%s: %s, pid %d, want RUNNING, pid %d", p.GetNamespec(), p.GetState(), p.GetPid(), pids[p.GetNamespec()])
			}
		}
		z := ps[n]
		if w := z.GetStdoutLogStats().GetWrittenBytes(); w < written {
			t.Fatalf("z: %d bytes written, after %d", w, written)
		} else if w > written {
			changes++
			written = w
		}
	}
}

// TestListProcessesAfterShutdown: once the engine has shut down, a list
// over the network and one asking for the wire form in-process are
// refused as the engine refuses them (SHUTDOWN_STATE), call after call.
func TestListProcessesAfterShutdown(t *testing.T) {
	d := daemontest.Start(t, "[program:a]\ncommand=sleep 1000\n", daemontest.Options{})
	ctx := context.Background()
	c := gsupervisorv1.NewProcessServiceClient(d.Conn)
	local := gsupervisorv1.NewProcessServiceClient(d.Server.Endpoints()[0].ClientConn())
	if _, err := c.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{}); err != nil {
		t.Fatal(err)
	}
	d.Core.RequestShutdown()
	<-d.Done()
	for range 2 {
		for _, call := range []struct {
			what string
			ctx  context.Context
			c    gsupervisorv1.ProcessServiceClient
		}{{"over the network", ctx, c}, {"in-process, wire form", surface.WithWireAnswers(ctx), local}} {
			r, err := call.c.ListProcesses(call.ctx, &gsupervisorv1.ListProcessesRequest{})
			if err == nil || !strings.Contains(err.Error(), "SHUTDOWN_STATE") {
				t.Fatalf("%s after the shutdown: %v, %v", call.what, r, err)
			}
		}
	}
}
