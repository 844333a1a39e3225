//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The fault-injection run: 50 programs and a storm of clients.
const (
	faultLoggers   = 20   // chatty loggers that rotate fast
	faultCrashers  = 15   // programs that exit at once, restarted
	faultReaders   = 15   // cat: stdin readers
	faultLines     = 1500 // lines each logger writes
	faultStorm     = 15 * time.Second
	faultFdSlack   = 24 // descriptors the daemon may hold beyond its start
	faultThreadGap = 8  // threads likewise
)

// faultPrograms are the 50 programs; extra adds a group that the storm's
// reread/update cycles add and remove.
func faultPrograms(extra bool) string {
	s := fmt.Sprintf(`
[program:logger]
numprocs=%d
process_name=%%(program_name)s_%%(process_num)02d
command=/bin/sh -c 'i=0; while [ $i -lt %d ]; do echo "L%%(process_num)02d-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); [ $((i %%%% 100)) -eq 0 ] && sleep 0.2; done; exec sleep 100000'
startsecs=0
stdout_logfile=%%(here)s/logs/%%(process_num)02d.log
stdout_logfile_maxbytes=16KB
stdout_logfile_backups=8

[program:crash]
numprocs=%d
process_name=%%(program_name)s_%%(process_num)02d
command=/bin/sh -c 'exit 3'
startsecs=0
autorestart=true

[program:reader]
numprocs=%d
process_name=%%(program_name)s_%%(process_num)02d
command=/bin/cat
startsecs=0
autorestart=true
`, faultLoggers, faultLines, faultCrashers, faultReaders)
	if extra {
		s += "\n[program:extra]\ncommand=/bin/sleep 100000\nstartsecs=0\n"
	}
	return s
}

// faultLoggerOutput is what logger n writes.
func faultLoggerOutput(n int) []byte {
	var b bytes.Buffer
	for i := range faultLines {
		fmt.Fprintf(&b, "L%02d-%d-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", n, i)
	}
	return b.Bytes()
}

// TestFaultInjection runs 50 programs (crashers, chatty rotating loggers,
// stdin readers) under a storm of clients for 15 s: follow streams and
// HTTP followers that stop reading, event subscribers that disconnect,
// stdin writes, reread/update cycles and kill -9 of random children. Then
// it checks that the daemon did not panic, that its descriptors and
// threads came back within a small bound of where they started, that
// every byte the loggers wrote is in their logs (or counted as dropped),
// and, at the end, that no process is left. The figures are logged.
func TestFaultInjection(t *testing.T) {
	d := startDaemon(t, faultPrograms(false))
	pid := d.cmd.Process.Pid
	for n := range faultReaders {
		d.waitState(fmt.Sprintf("reader:reader_%02d", n), gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	}
	fdsBefore, _ := d.daemonFds()
	daemonThreads := func() int {
		var n int
		fmt.Sscan(procStatusField(t, pid, "Threads"), &n)
		return n
	}
	thrBefore, rssBefore := daemonThreads(), rssKB(t, pid)

	ctx, cancel := context.WithTimeout(context.Background(), faultStorm)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	count := func(k string) { mu.Lock(); counts[k]++; mu.Unlock() }
	run := func(name string, f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				f()
				count(name)
			}
		}()
	}
	logs := gsupervisorv1.NewLogServiceClient(d.conn)
	events := gsupervisorv1.NewEventServiceClient(d.conn)
	procs := d.processes()
	cfg := gsupervisorv1.NewConfigServiceClient(d.conn)

	// Followers that never read: gRPC, REST and /logtail.
	for n := range 10 {
		if _, err := logs.FollowProcessLog(ctx, &gsupervisorv1.FollowProcessLogRequest{Name: fmt.Sprintf("logger:logger_%02d", n), TailBytes: 1 << 20}); err != nil {
			t.Fatal(err)
		}
	}
	for n := 10; n < 13; n++ {
		d.stallHTTP(fmt.Sprintf("/v1/processes/logger:logger_%02d/log:follow?tail_bytes=1048576", n))
		d.stallHTTP(fmt.Sprintf("/logtail/logger:logger_%02d", n+3))
	}
	run("event subscriptions", func() {
		sctx, scancel := context.WithCancel(ctx)
		defer scancel()
		s, err := events.SubscribeEvents(sctx, &gsupervisorv1.SubscribeEventsRequest{AfterSerial: proto.Uint64(0)})
		if err == nil {
			s.Recv()
		}
	})
	for range 2 {
		run("stdin writes", func() {
			procs.WriteProcessStdin(ctx, &gsupervisorv1.WriteProcessStdinRequest{
				Name: fmt.Sprintf("reader:reader_%02d", rand.IntN(faultReaders)), Data: []byte(strings.Repeat("z", 1000) + "\n")})
		})
	}
	extra := false
	run("reread/update cycles", func() {
		extra = !extra
		os.WriteFile(d.conf, []byte(configBody(faultPrograms(extra))), 0o644)
		if _, err := cfg.RereadConfig(ctx, &gsupervisorv1.RereadConfigRequest{}); err == nil {
			cfg.UpdateConfig(ctx, &gsupervisorv1.UpdateConfigRequest{})
		}
	})
	run("kill -9", func() {
		r, err := procs.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err != nil {
			return
		}
		var victims []int32
		for _, p := range r.GetProcesses() {
			if (p.GetGroup() == "crash" || p.GetGroup() == "reader") && p.GetPid() > 0 {
				victims = append(victims, p.GetPid())
			}
		}
		if len(victims) > 0 {
			syscall.Kill(int(victims[rand.IntN(len(victims))]), syscall.SIGKILL)
		}
		// Pace: a kill every few milliseconds is storm enough.
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	})
	fdsPeak, deletedPeak := 0, 0
	for ctx.Err() == nil {
		open, deleted := d.daemonFds()
		fdsPeak, deletedPeak = max(fdsPeak, open), max(deletedPeak, deleted)
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	wg.Wait()
	cancel()
	for _, c := range []string{"panic:", "fatal error:", "DATA RACE"} {
		if strings.Contains(d.out.String(), c) {
			t.Fatalf("the daemon's output has %q:\n%s", c, d.out)
		}
	}
	// Back to the start: the storm's clients are gone, the extra group
	// too.
	os.WriteFile(d.conf, []byte(configBody(faultPrograms(false))), 0o644)
	if _, err := cfg.RereadConfig(d.ctx(), &gsupervisorv1.RereadConfigRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.UpdateConfig(d.ctx(), &gsupervisorv1.UpdateConfigRequest{}); err != nil {
		t.Fatal(err)
	}
	var fdsAfter, deletedAfter, thrAfter int
	testutil.Eventually(t, "descriptors and threads back near their start", func() bool {
		fdsAfter, deletedAfter = d.daemonFds()
		thrAfter = daemonThreads()
		return fdsAfter <= fdsBefore+faultFdSlack && deletedAfter == 0 && thrAfter <= thrBefore+faultThreadGap
	})
	rssAfter := rssKB(t, pid)

	// Every logger's bytes, in order, in its log and backups.
	var checked, dropped int64
	for n := range faultLoggers {
		name := fmt.Sprintf("logger:logger_%02d", n)
		want := faultLoggerOutput(n)
		testutil.Eventually(t, name+" to write everything", func() bool {
			st := d.logStats(name)
			return st.GetWrittenBytes()+st.GetDroppedBytes() >= int64(len(want))
		})
		st := d.logStats(name)
		dropped += st.GetDroppedBytes()
		path := filepath.Join(d.dir, "logs", fmt.Sprintf("%02d.log", n))
		var got []byte
		for i := 8; i >= 1; i-- {
			b, _ := os.ReadFile(fmt.Sprintf("%s.%d", path, i))
			got = append(got, b...)
		}
		b, _ := os.ReadFile(path)
		got = append(got, b...)
		if st.GetDroppedBytes() == 0 && !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes in the log and backups, want the %d written", name, len(got), len(want))
		}
		if st.GetDroppedBytes() > 0 && int64(len(got))+st.GetDroppedBytes() != int64(len(want)) {
			t.Errorf("%s: %d bytes logged + %d dropped != %d written", name, len(got), st.GetDroppedBytes(), len(want))
		}
		checked += int64(len(got))
	}
	mu.Lock()
	t.Logf("storm of %v: %v", faultStorm, counts)
	mu.Unlock()
	t.Logf("daemon fds %d before, peak %d (%d on deleted files), %d after (%d deleted); threads %d before, %d after; RSS %d kB before, %d kB after; %d logger bytes checked, %d dropped",
		fdsBefore, fdsPeak, deletedPeak, fdsAfter, deletedAfter, thrBefore, thrAfter, rssBefore, rssAfter, checked, dropped)

	// Shutdown leaves nothing behind: no orphan, no zombie.
	d.stop()
	testutil.CheckNoStrays(t, d.dir)
	if zs := testutil.Zombies(); len(zs) > 0 {
		t.Errorf("zombies after the shutdown: %v", zs)
	}
}
