package daemontest_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"github.com/gsupervisor/gsupervisor/internal/testutil/daemontest"
)

func TestMain(m *testing.M) { daemontest.Main(m) }

// TestStartServes: the daemon runs the programs (with the marker in their
// environment and the exec helper for umask=), answers gRPC and REST on
// its socket, and its Stop shuts it down and removes the socket.
func TestStartServes(t *testing.T) {
	d := daemontest.Start(t, `
[program:env]
command=/bin/sh -c 'env > %(here)s/env.txt; umask >> %(here)s/env.txt; exec sleep 1000'
umask=027
startsecs=0
`, daemontest.Options{Identifier: "harness"})
	testutil.Eventually(t, "env to be RUNNING", func() bool {
		i, err := d.Core.Process("env")
		return err == nil && i.State == process.Running
	})
	var env string
	testutil.Eventually(t, "the child's environment", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.Dir, "env.txt"))
		env = string(b)
		return strings.HasSuffix(env, "\n0027\n")
	})
	for _, want := range []string{testutil.MarkerEnv + "=" + d.Dir + "\n", "SUPERVISOR_SERVER_URL=unix://" + d.Sock + "\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("child environment lacks %q:\n%s", want, env)
		}
	}
	st, err := gsupervisorv1.NewSupervisorServiceClient(d.Conn).GetState(testutil.Context(t), &gsupervisorv1.GetStateRequest{})
	if err != nil || st.GetState() != gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING {
		t.Fatalf("GetState = %v, %v", st, err)
	}
	id, err := gsupervisorv1.NewSupervisorServiceClient(d.Conn).GetIdentification(testutil.Context(t), &gsupervisorv1.GetIdentificationRequest{})
	if err != nil || id.GetIdentifier() != "harness" {
		t.Fatalf("GetIdentification = %v, %v", id, err)
	}
	resp, err := d.HTTP.Get("http://localhost/v1/daemon/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "SUPERVISOR_STATE_RUNNING") {
		t.Fatalf("REST: %d %s", resp.StatusCode, body)
	}
	d.Stop()
	testutil.Receive(t, d.Done(), "the core to stop")
	if _, err := os.Stat(d.Sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left after Stop: %v", err)
	}
	d.Stop() // again: nothing happens
}

// TestBadConfigFails: a configuration the parser refuses fails the test
// with the parser's error.
func TestBadConfigFails(t *testing.T) {
	out, ok := runHelper(t, "badconfig")
	if ok || !strings.Contains(out, "not a valid boolean value: 'maybe' in section 'program:x'") {
		t.Fatalf("a bad config: passed=%v\n%s", ok, out)
	}
}

// TestStrayFailsTheTest: a grandchild that outlives the daemon (its
// program is stopped without stopasgroup, as in 4.2.5) fails the test and
// is killed.
func TestStrayFailsTheTest(t *testing.T) {
	out, ok := runHelper(t, "stray")
	var pid int
	for _, l := range strings.Split(out, "\n") {
		fmt.Sscanf(strings.TrimSpace(l), "grandchild %d", &pid)
	}
	if ok || pid == 0 || !strings.Contains(out, fmt.Sprintf("processes left behind (killed now): %d \"sleep 1000\"", pid)) {
		t.Fatalf("a daemon leaving a grandchild: passed=%v\n%s", ok, out)
	}
	if testutil.Alive(pid) {
		t.Fatalf("the grandchild %d is still alive", pid)
	}
}

// helperEnv selects what TestHelperProcess does in a child test binary.
const helperEnv = "GSV_DAEMONTEST_HELPER"

// TestHelperProcess is not a test: runHelper runs it in a child test
// binary to see how the harness ends a test that goes wrong.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "":
		return
	case "badconfig":
		daemontest.Start(t, "[program:x]\ncommand=true\nautostart=maybe\n", daemontest.Options{})
	case "stray":
		daemontest.SetStrayWait(100 * time.Millisecond)
		d := daemontest.Start(t, "[program:p]\ncommand=/bin/sh -c 'sleep 1000 & echo grandchild $!; wait'\nstartsecs=0\nstopsignal=KILL\n", daemontest.Options{})
		testutil.Eventually(t, "the grandchild's pid", func() bool {
			f, err := d.Core.ProcessLog("p", events.Stdout)
			if err != nil {
				return false
			}
			b, _ := f.Read(0, 0)
			if !strings.Contains(string(b), "grandchild ") {
				return false
			}
			fmt.Print(string(b))
			return true
		})
	}
}

// runHelper runs TestHelperProcess in mode in a child test binary and
// returns its output and whether it passed.
func runHelper(t *testing.T, mode string) (string, bool) {
	t.Helper()
	return testutil.RunTest(t, "TestHelperProcess", helperEnv+"="+mode)
}
