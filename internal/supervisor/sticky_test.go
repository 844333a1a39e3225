package supervisor

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// restart runs a new Supervisor on the same file, as a reload or a daemon
// restart does, after the current one has shut down.
func (h *harness) restart() {
	h.t.Helper()
	h.shutdown()
	h.run()
}

// stickyFile reads the sticky settings file of the harness.
func (h *harness) stickyFile() stickyState {
	h.t.Helper()
	var st stickyState
	b, err := os.ReadFile(filepath.Join(h.dir, "supervisord.pid.programs"))
	if err != nil {
		h.t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		h.t.Fatal(err)
	}
	return st
}

const stickyPrograms = `
[program:web]
command=sleep 1000
startsecs=0

[program:db]
command=sleep 1000
startsecs=0

[program:api]
command=sleep 1000
startsecs=0
depends_on=web
`

// TestDisableSticks: a disabled program is stopped, refuses to start,
// stays stopped across start all, update and a restart of the daemon, and
// runs again once enabled.
func TestDisableSticks(t *testing.T) {
	h := start(t, stickyPrograms)
	h.waitState("web", process.Running)
	h.waitState("api", process.Running)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	programs, results, err := h.s.DisableProgram(ctx, "web", true)
	if err != nil || !slices.Equal(programs, []string{"web"}) || len(results) != 1 || results[0].Err != nil {
		t.Fatalf("DisableProgram = %v %+v %v", programs, results, err)
	}
	if i := h.info("web"); i.State != process.Stopped || !i.Disabled {
		t.Fatalf("web: %s disabled=%v", i.State, i.Disabled)
	}
	if st := h.stickyFile(); !slices.Equal(st.Disabled, []string{"web"}) || st.Version != 1 {
		t.Errorf("state file: %+v", st)
	}
	if _, _, err := h.s.StartProcess(ctx, "web", true); !errdefs.Has(err, errdefs.Disabled) || err.Error() != "DISABLED: web" {
		t.Errorf("start of a disabled program: %v", err)
	}
	// A dependent cannot pull it in.
	h.s.StopProcess(ctx, "api", true)
	if _, _, err := h.s.StartProcess(ctx, "api", true); !errdefs.Has(err, errdefs.DependencyFailed) {
		t.Errorf("start of a dependent: %v", err)
	}
	if rs, _ := h.s.StartAll(ctx, true); slices.ContainsFunc(rs, func(r Result) bool { return r.Name == "web" }) {
		t.Errorf("start all acted on web: %+v", rs)
	}
	if rs, _ := h.s.StartGroup(ctx, "web", true); len(rs) != 1 || !errdefs.Has(rs[0].Err, errdefs.Disabled) {
		t.Errorf("start web:*: %+v", rs)
	}
	// update re-creates the changed group: still not started.
	h.write(strings.Replace(stickyPrograms, "[program:web]\ncommand=sleep 1000", "[program:web]\ncommand=sleep 1001", 1))
	if _, _, err := h.s.Update(ctx, nil, "", 0); err != nil {
		t.Fatal(err)
	}
	if i := h.info("web"); i.State != process.Stopped || !i.Disabled || !i.Start.IsZero() {
		t.Errorf("web after update: %s", i.State)
	}
	// A reload (a new core on the same file) keeps it off.
	h.restart()
	h.waitState("db", process.Running)
	if i := h.info("web"); i.State != process.Stopped || !i.Disabled {
		t.Errorf("web after restart: %s disabled=%v", i.State, i.Disabled)
	}
	if i := h.info("api"); i.State != process.Stopped || i.Waiting != "not started: dependency web is disabled" {
		t.Errorf("api after restart: %s %q", i.State, i.Waiting)
	}
	programs, results, err = h.s.EnableProgram(ctx, "web", true)
	if err != nil || !slices.Equal(programs, []string{"web"}) || len(results) != 1 || results[0].Err != nil {
		t.Fatalf("EnableProgram = %v %+v %v", programs, results, err)
	}
	if i := h.info("web"); i.State != process.Running || i.Disabled {
		t.Errorf("web after enable: %s", i.State)
	}
	if st := h.stickyFile(); len(st.Disabled) != 0 {
		t.Errorf("state file after enable: %+v", st)
	}
}

func TestDisableNames(t *testing.T) {
	h := start(t, `
[group:g]
programs=a,b

[program:a]
command=sleep 1000
startsecs=0

[program:b]
command=sleep 1000
startsecs=0
`)
	ctx := context.Background()
	if _, _, err := h.s.DisableProgram(ctx, "nope", true); !errdefs.Has(err, errdefs.BadName) {
		t.Errorf("unknown: %v", err)
	}
	if _, _, err := h.s.DisableProgram(ctx, "g:a", true); !errdefs.Has(err, errdefs.BadArguments) {
		t.Errorf("a process: %v", err)
	}
	programs, _, err := h.s.DisableProgram(ctx, "g:*", true)
	if err != nil || !slices.Equal(programs, []string{"a", "b"}) {
		t.Errorf("group: %v %v", programs, err)
	}
	programs, results, err := h.s.EnableProgram(ctx, "a", true)
	if err != nil || !slices.Equal(programs, []string{"a"}) || len(results) != 1 {
		t.Errorf("enable a: %v %+v %v", programs, results, err)
	}
	if h.info("g:b").State != process.Stopped || h.info("g:a").State != process.Running {
		t.Errorf("a %s b %s", h.info("g:a").State, h.info("g:b").State)
	}
}

// TestStickyFileProblems: a damaged file is reported and ignored, and a
// file that cannot be written fails the call without changing anything.
func TestStickyFileProblems(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "supervisord.pid.programs"), []byte("{oops"), 0o644)
	h := startIn(t, dir, stickyPrograms)
	h.waitState("web", process.Running)
	if !strings.Contains(h.logs.String(), "could not read the disabled and scaled programs: the state file") {
		t.Errorf("main log:\n%s", h.logs)
	}
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	os.Remove(filepath.Join(dir, "supervisord.pid.programs"))
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	_, _, err := h.s.DisableProgram(context.Background(), "web", true)
	if !errdefs.Has(err, errdefs.Failed) || !strings.Contains(err.Error(), "write the state file") {
		t.Errorf("DisableProgram on a read-only directory: %v", err)
	}
	if i := h.info("web"); i.Disabled || i.State != process.Running {
		t.Errorf("web: %s disabled=%v", i.State, i.Disabled)
	}
}
