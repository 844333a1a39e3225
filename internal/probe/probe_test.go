package probe

import (
	"context"
	"errors"
	"fmt"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := Once(context.Background(), 5*time.Second, TCP(l.Addr().String()))
	if !r.OK || r.Output != "connected to "+l.Addr().String() {
		t.Errorf("open: %+v", r)
	}
	r = Once(context.Background(), 5*time.Second, TCP(fmt.Sprintf("127.0.0.1:%d", testutil.FreePorts(t, 1)[0])))
	if r.OK || !strings.Contains(r.Output, "connection refused") {
		t.Errorf("closed: %+v", r)
	}
}

// shRunner runs a command with /bin/sh -c (the daemon's runner is tested
// in package process).
func shRunner(ctx context.Context, command string, limit int) (syscall.WaitStatus, []byte, error) {
	out, err := exec.CommandContext(ctx, "/bin/sh", "-c", command).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Sys().(syscall.WaitStatus), out, nil
	}
	if err != nil {
		return 0, out, err
	}
	return 0, out, nil
}

func TestExec(t *testing.T) {
	for _, c := range []struct {
		cmd, out string
		ok       bool
	}{
		{"echo ready", "ready", true},
		{"echo not yet >&2; exit 3", "exit status 3: not yet", false},
		{"kill -9 $$", "terminated by signal 9", false},
	} {
		r := Once(context.Background(), 5*time.Second, Exec(c.cmd, shRunner))
		if r.OK != c.ok || r.Output != c.out {
			t.Errorf("%s: ok=%v %q, want ok=%v %q", c.cmd, r.OK, r.Output, c.ok, c.out)
		}
	}
	failing := func(context.Context, string, int) (syscall.WaitStatus, []byte, error) {
		return 0, nil, errors.New("can't find command 'nope'")
	}
	if r := Once(context.Background(), time.Second, Exec("nope", failing)); r.OK || r.Output != "can't find command 'nope'" {
		t.Errorf("runner error: %+v", r)
	}
}

func TestOutputIsBounded(t *testing.T) {
	big := strings.Repeat("x", 3*MaxOutput)
	r := Once(context.Background(), time.Second, func(context.Context) (bool, string) { return false, big })
	if len(r.Output) != MaxOutput || !strings.HasSuffix(r.Output, "...") {
		t.Errorf("output of %d bytes", len(r.Output))
	}
}

func TestTracker(t *testing.T) {
	// results: + pass, - fail; want: the status after each (p pending,
	// P passing, F failing).
	for _, c := range []struct {
		name          string
		tr            Tracker
		results, want string
	}{
		{"readiness waits for a pass", Tracker{Success: 1, Failure: 2, Readiness: true}, "---+--+", "pppPPFP"},
		{"readiness success threshold", Tracker{Success: 2, Failure: 1, Readiness: true}, "+-++-", "pppPF"},
		{"liveness fails before passing", Tracker{Success: 1, Failure: 3}, "--+---", "ppPPPF"},
		{"liveness recovers", Tracker{Success: 2, Failure: 1}, "-+-++", "FFFFP"},
	} {
		var got strings.Builder
		for _, r := range c.results {
			c.tr.Observe(r == '+')
			got.WriteByte(map[Status]byte{Pending: 'p', Passing: 'P', Failing: 'F'}[c.tr.Status()])
		}
		if got.String() != c.want {
			t.Errorf("%s: %q -> %q, want %q", c.name, c.results, got.String(), c.want)
		}
	}
	var tr Tracker
	if !tr.Pass() || tr.Status() != Passing || tr.Pass() {
		t.Errorf("Pass: %v", tr.Status())
	}
}

func TestCombine(t *testing.T) {
	st := func(s Status) *Tracker { return &Tracker{status: s} }
	for _, c := range []struct {
		r, l *Tracker
		want Health
	}{
		{nil, nil, HealthUnknown},
		{st(Pending), nil, HealthStarting},
		{st(Passing), nil, HealthHealthy},
		{nil, st(Pending), HealthStarting},
		{nil, st(Passing), HealthHealthy},
		{st(Passing), st(Failing), HealthUnhealthy},
		{st(Failing), st(Passing), HealthUnhealthy},
		{st(Pending), st(Passing), HealthStarting},
		{st(Passing), st(Pending), HealthHealthy},
		{st(Passing), st(Passing), HealthHealthy},
	} {
		if got := Combine(c.r, c.l); got != c.want {
			t.Errorf("Combine(%v, %v) = %v, want %v", c.r, c.l, got, c.want)
		}
	}
}

func TestLineMatcher(t *testing.T) {
	m := NewLineMatcher(regexp.MustCompile(`^ready on port \d+$`))
	if m.Feed(1, []byte("starting\nready on ")) || m.Feed(2, []byte("ready on port 8\r")) {
		t.Fatal("matched an unfinished line")
	}
	if m.Feed(2, []byte("x\n")) {
		t.Fatal("stderr's line was joined with stdout's")
	}
	if !m.Feed(1, []byte("port 80\r\nmore\n")) || m.Line() != "ready on port 80" {
		t.Fatalf("no match: %q", m.Line())
	}
	if !m.Feed(1, []byte("anything")) {
		t.Error("a matcher that matched forgot it")
	}
	long := NewLineMatcher(regexp.MustCompile(`tail$`))
	long.Feed(1, []byte(strings.Repeat("x", 3*maxLine)))
	if !long.Feed(1, []byte("tail\n")) {
		t.Error("a long line was not matched on its end")
	}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var inFlight, maxInFlight, calls atomic.Int32
	reports := make(chan Result, 100)
	check := func(ctx context.Context) (bool, string) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		if n > maxInFlight.Load() {
			maxInFlight.Store(n)
		}
		if calls.Add(1)%2 == 0 {
			<-ctx.Done() // every other check hangs until its timeout
			return false, ""
		}
		return true, "ok"
	}
	done := make(chan struct{})
	go func() {
		Run(ctx, Timing{Period: time.Millisecond, Timeout: 20 * time.Millisecond}, check, func(r Result) { reports <- r })
		close(done)
	}()
	var got []Result
	for len(got) < 6 {
		got = append(got, <-reports)
	}
	cancel()
	<-done
	if maxInFlight.Load() != 1 {
		t.Errorf("%d checks ran at once", maxInFlight.Load())
	}
	for i, r := range got {
		if r.OK != (i%2 == 0) {
			t.Errorf("report %d = %+v", i, r)
		}
		if !r.OK && !strings.HasPrefix(r.Output, "timed out after 20ms") {
			t.Errorf("report %d output %q", i, r.Output)
		}
	}
	// Cancelled before the initial delay: no check at all.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	Run(ctx2, Timing{InitialDelay: time.Hour, Period: time.Second, Timeout: time.Second}, func(context.Context) (bool, string) {
		t.Error("checked after cancel")
		return true, ""
	}, func(Result) { t.Error("reported after cancel") })
}
