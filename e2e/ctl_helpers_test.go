//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// gcResult is what one supervisorctl run printed and returned.
type gcResult struct {
	stdout, stderr string
	code           int
}

// gcRun runs a supervisorctl binary (ours or the real one) with args
// and stdin, bounded by a minute, and returns its output and exit code.
func gcRun(t *testing.T, bin string, stdin string, args ...string) gcResult {
	t.Helper()
	r, err := gcRunErr(bin, stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// gcRunErr is gcRun for any goroutine: failures to run are returned.
func gcRunErr(bin string, stdin string, args ...string) (gcResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
	defer cancel()
	var cmd *exec.Cmd
	if bin == gcRealCtl {
		cmd = exec.CommandContext(ctx, testutil.Python, append([]string{gcRealCtl}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, bin, args...)
	}
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return gcResult{}, fmt.Errorf("%s %q did not finish within %v\n%s", bin, args, testutil.Timeout, out.String())
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return gcResult{}, fmt.Errorf("run %s %q: %w", bin, args, err)
	}
	return gcResult{stdout: out.String(), stderr: errs.String(), code: code}, nil
}

// gcRealCtl is Debian's supervisorctl 4.2.5.
const gcRealCtl = testutil.Supervisorctl

// gcOurCtl is the supervisorctl built for this test run.
func gcOurCtl() string { return filepath.Join(binDir, "supervisorctl") }

// gcCtl runs our supervisorctl against the daemon's config.
func (d *daemon) gcCtl(args ...string) gcResult {
	d.t.Helper()
	return gcRun(d.t, gcOurCtl(), "", append([]string{"-c", d.conf}, args...)...)
}

// gcCtlIn is gcCtl with standard input.
func (d *daemon) gcCtlIn(stdin string, args ...string) gcResult {
	d.t.Helper()
	return gcRun(d.t, gcOurCtl(), stdin, append([]string{"-c", d.conf}, args...)...)
}

var (
	gcReUptime   = regexp.MustCompile(`pid \d+, uptime \d+:\d\d:\d\d`)
	gcReDate     = regexp.MustCompile(`[A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M`)
	gcRePidLine  = regexp.MustCompile(`(?m)^[1-9]\d*$`)
	gcRePyOrigin = regexp.MustCompile(`: file: \S+ line: \d+`)
	gcReLogName  = regexp.MustCompile(`-(stdout|stderr)---[A-Za-z0-9_]+-[A-Za-z0-9_]+\.log`)
)

// gcNormalize replaces what differs from run to run or between
// implementations without meaning: the temp dir, pids, uptimes, stop
// dates, Python's source locations in uncaught-error lines, the program
// path in usage errors.
func gcNormalize(s, dir string) string {
	if dir != "" {
		s = strings.ReplaceAll(s, dir, "<DIR>")
	}
	s = gcReUptime.ReplaceAllString(s, "pid <PID>, uptime <UPTIME>")
	s = gcReDate.ReplaceAllString(s, "<DATE>")
	s = gcRePidLine.ReplaceAllString(s, "<PID>")
	s = gcRePyOrigin.ReplaceAllString(s, "")
	s = gcReLogName.ReplaceAllString(s, "-$1---<AUTO>.log")
	s = strings.ReplaceAll(s, gcRealCtl+" -h", "<CTL> -h")
	if binDir != "" {
		s = strings.ReplaceAll(s, gcOurCtl()+" -h", "<CTL> -h")
	}
	return s
}

// gcExpect checks one golden gcStep: normalized stdout and the exit code.
func gcExpect(t *testing.T, r gcResult, dir, args, want string, code int) {
	t.Helper()
	if got := gcNormalize(r.stdout, dir); got != want || r.code != code {
		t.Errorf("supervisorctl %s:\n got (exit %d):\n%s\nwant (exit %d):\n%s\nstderr: %s", args, r.code, got, code, want, r.stderr)
	}
}

// gcStep is one golden command: arguments (split on spaces), the expected
// normalized stdout and the exit code.
type gcStep struct {
	args string
	out  string
	code int
}

// gcSteps runs golden steps against a daemon.
func (d *daemon) gcSteps(steps []gcStep) {
	d.t.Helper()
	for _, s := range steps {
		r := d.gcCtl(strings.Fields(s.args)...)
		gcExpect(d.t, r, d.dir, s.args, s.out, s.code)
	}
}

// gcWaitStatus polls our status until it prints want for the given names
// (after normalization).
func (d *daemon) gcWaitStatus(want string, names ...string) {
	d.t.Helper()
	var last string
	testutil.Eventually(d.t, "status "+strings.Join(names, " ")+":\n"+want, func() bool {
		r := d.gcCtl(append([]string{"status"}, names...)...)
		last = gcNormalize(r.stdout, d.dir)
		return last == want
	})
}

// gcInterruptAfter sends SIGINT to a running command once its output contains
// marker, and returns its output and exit code.
func gcInterruptAfter(t *testing.T, cmd *exec.Cmd, out *testutil.Buffer, marker string) (string, int) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	testutil.Eventually(t, "output "+marker, func() bool { return strings.Contains(out.String(), marker) })
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-done:
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		return out.String(), code
	case <-time.After(testutil.Timeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("command did not end after SIGINT; output:\n%s", out.String())
	}
	return "", 0
}
