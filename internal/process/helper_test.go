package process

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestRunCommand(t *testing.T) {
	dir := t.TempDir()
	p, _ := newProc(t, "sleep 1000", func(c *config.ProcessConfig) {
		c.Directory = dir
		c.Environment = map[string]string{"PROBE_VAR": "v1"}
	})
	ctx := context.Background()
	ws, out, err := p.RunCommand(ctx, `/bin/sh -c 'echo "$PROBE_VAR $SUPERVISOR_PROCESS_NAME $(pwd)"; echo err >&2'`, 1024)
	if err != nil || !ws.Exited() || ws.ExitStatus() != 0 {
		t.Fatalf("ws %v err %v", ws, err)
	}
	if got := string(out); got != "v1 p "+dir+"\nerr\n" {
		t.Errorf("output %q", got)
	}
	ws, out, err = p.RunCommand(ctx, "/bin/sh -c 'head -c 100000 /dev/zero; exit 3'", 10)
	if err != nil || ws.ExitStatus() != 3 || len(out) != 10 {
		t.Errorf("limited: ws %v out %d err %v", ws, len(out), err)
	}
	if _, _, err := p.RunCommand(ctx, "no-such-probe-command", 10); !errdefs.Has(err, errdefs.NoFile) {
		t.Errorf("missing command: %v", err)
	}
}

// TestRunCommandTimeoutKillsGroup: a helper that outlives its deadline is
// killed with its whole process group and reaped.
func TestRunCommandTimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	p, _ := newProc(t, "sleep 1000", nil)
	// The deadline comes once the grandchild is there: the context ends
	// as a probe's timeout ends it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		testutil.Poll(testutil.Timeout, func() bool {
			b, err := os.ReadFile(pidFile)
			return err == nil && strings.HasSuffix(string(b), "\n")
		})
		cancel()
	}()
	ws, _, err := p.RunCommand(ctx, "/bin/sh -c 'sleep 1000 & echo $! > "+pidFile+".tmp; mv "+pidFile+".tmp "+pidFile+"; wait'", 1024)
	if err != nil || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("ws %v err %v", ws, err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	gpid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	testutil.Eventually(t, "the grandchild to die", func() bool { return !testutil.Alive(gpid) })
}

func TestBackoffDelay(t *testing.T) {
	for _, c := range []struct {
		policy       config.BackoffPolicy
		maxSecs, try int
		want         time.Duration
	}{
		{config.BackoffLinear, 60, 1, time.Second},
		{config.BackoffLinear, 60, 3, 3 * time.Second},
		{config.BackoffExponential, 60, 1, time.Second},
		{config.BackoffExponential, 60, 2, 2 * time.Second},
		{config.BackoffExponential, 60, 4, 8 * time.Second},
		{config.BackoffExponential, 60, 7, 60 * time.Second},
		{config.BackoffExponential, 5, 100, 5 * time.Second},
	} {
		if got := BackoffDelay(c.policy, c.maxSecs, c.try); got != c.want {
			t.Errorf("BackoffDelay(%v, %d, %d) = %v, want %v", c.policy, c.maxSecs, c.try, got, c.want)
		}
	}
}

// TestExponentialBackoffNextAttempt: a program that keeps failing is
// retried after its policy's delay, and its info says when.
func TestExponentialBackoffNextAttempt(t *testing.T) {
	p, _ := newProc(t, "/bin/sh -c 'exit 1'", func(c *config.ProcessConfig) {
		c.StartSecs = 10
		c.StartRetries = 2
		c.Backoff = config.BackoffExponential
		c.BackoffMaxSecs = 4
	})
	// The timer is armed for the policy's delay (the machine's counter is
	// set by hand: nothing here waits for real retries).
	for tries, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 9: 4 * time.Second} {
		p.mu.Lock()
		p.m.Backoff = tries
		before := time.Now()
		p.actLocked(ActRetryTimer, TriggerSpawnFailed)
		after := time.Now()
		at := p.retryAt
		p.cancelTimerLocked()
		p.m.Backoff = 0
		p.mu.Unlock()
		if at.Before(before.Add(want)) || at.After(after.Add(want)) {
			t.Errorf("try %d: retry at +%v, want +%v", tries, at.Sub(before), want)
		}
	}
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Backoff)
	if info.NextAttempt.IsZero() {
		// The snapshot of the change itself is taken before the timer is
		// armed; a fresh one has it.
		info = p.Info()
	}
	if info.State == Backoff && !info.NextAttempt.After(info.Stop) {
		t.Errorf("BACKOFF: next attempt %v, stopped %v", info.NextAttempt, info.Stop)
	}
	info = waitState(t, p, Fatal)
	if !info.NextAttempt.IsZero() {
		t.Errorf("FATAL with a next attempt %v", info.NextAttempt)
	}
}
