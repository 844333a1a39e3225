package supervisor

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

const scaledWorkers = `
[program:worker]
command=sleep 10%(process_num)02d
process_name=worker_%(process_num)02d
numprocs=2
numprocs_start=1
startsecs=0

[program:single]
command=sleep 1000
startsecs=0
`

// names returns the namespecs of the group's processes and their states.
func (h *harness) names(group string) []string {
	h.t.Helper()
	infos, err := h.s.Processes()
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, i := range infos {
		if i.Group == group {
			out = append(out, i.Name+"="+i.State.String())
		}
	}
	return out
}

// TestScaleUpDownAndUpdate: scaling adds processes with the next
// process_num and removes the highest first; reread sees no change while
// the file's numprocs stays; a restart keeps the scale; an edit of the
// file's numprocs wins at the next update.
func TestScaleUpDownAndUpdate(t *testing.T) {
	h := start(t, scaledWorkers)
	h.waitState("worker:worker_02", process.Running)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := h.s.ScaleProgram(ctx, "worker", 4, 0)
	if err != nil || res.From != 2 || res.To != 4 || res.FileNumprocs != 2 || len(res.Started) != 2 {
		t.Fatalf("scale up: %+v %v", res, err)
	}
	h.waitState("worker:worker_04", process.Running)
	if got := h.names("worker"); !reflect.DeepEqual(got, []string{"worker_01=RUNNING", "worker_02=RUNNING", "worker_03=RUNNING", "worker_04=RUNNING"}) {
		t.Fatalf("after scale up: %v", got)
	}
	if !strings.Contains(h.info("worker:worker_04").StdoutLogfile, "worker_04-stdout") {
		t.Errorf("new process log %q", h.info("worker:worker_04").StdoutLogfile)
	}
	pid1 := h.info("worker:worker_01").Pid
	res, err = h.s.ScaleProgram(ctx, "worker:*", 3, 0)
	if err != nil || len(res.Stopped) != 1 || res.Stopped[0].Name != "worker_04" {
		t.Fatalf("scale down: %+v %v", res, err)
	}
	if got := h.names("worker"); !reflect.DeepEqual(got, []string{"worker_01=RUNNING", "worker_02=RUNNING", "worker_03=RUNNING"}) {
		t.Fatalf("after scale down: %v", got)
	}
	if _, err := h.s.Process("worker:worker_04"); !errdefs.Has(err, errdefs.BadName) {
		t.Errorf("removed process still known: %v", err)
	}
	if st := h.stickyFile(); st.Scale["worker"] != (scaleEntry{FileNumprocs: 2, Numprocs: 3}) {
		t.Errorf("state file: %+v", st)
	}
	// reread/update leave a scaled group alone.
	plan, err := h.s.Reread()
	if err != nil || len(plan.Changed) != 0 {
		t.Fatalf("reread after scale: %+v %v", plan, err)
	}
	if h.info("worker:worker_01").Pid != pid1 {
		t.Error("reread restarted a process")
	}
	// The scale outlives a restart.
	h.restart()
	h.waitState("worker:worker_03", process.Running)
	if got := len(h.names("worker")); got != 3 {
		t.Errorf("after restart: %v", h.names("worker"))
	}
	// The operator edits the file's numprocs: the file wins.
	h.write(strings.Replace(scaledWorkers, "numprocs=2", "numprocs=1", 1))
	plan, err = h.s.Reread()
	if err != nil || !slices.Equal(plan.Changed, []string{"worker"}) {
		t.Fatalf("reread after the edit: %+v %v", plan, err)
	}
	if _, _, err := h.s.Update(ctx, nil, "", 0); err != nil {
		t.Fatal(err)
	}
	h.waitState("worker:worker_01", process.Running)
	if got := h.names("worker"); !reflect.DeepEqual(got, []string{"worker_01=RUNNING"}) {
		t.Errorf("after update: %v", got)
	}
	if st := h.stickyFile(); len(st.Scale) != 0 {
		t.Errorf("stale scale kept: %+v", st)
	}
}

func TestScaleErrors(t *testing.T) {
	h := start(t, scaledWorkers+`
[group:g]
programs=member

[program:member]
command=sleep 1000
`)
	// The processes start once their logs are open; a scale down that
	// came first would find them not started yet.
	h.waitState("worker:worker_01", process.Running)
	h.waitState("worker:worker_02", process.Running)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		n    int
		want errdefs.Reason
		text string
	}{
		{"nope", 2, errdefs.BadName, "BAD_NAME: nope"},
		{"worker", -1, errdefs.BadArguments, "BAD_ARGUMENTS: numprocs -1 is out of range (0 to 10000)"},
		{"worker", MaxNumprocs + 1, errdefs.BadArguments, "out of range"},
		{"g", 2, errdefs.BadArguments, "g is a [group:x] of several programs"},
		{"single", 2, errdefs.Failed, "%(process_num) must be present within process_name when numprocs > 1"},
	} {
		if _, err := h.s.ScaleProgram(ctx, c.name, c.n, 0); !errdefs.Has(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("ScaleProgram(%s, %d) = %v, want %s containing %q", c.name, c.n, err, c.want, c.text)
		}
	}
	// A file edited and not applied yet must be updated first.
	h.write(strings.Replace(scaledWorkers, "command=sleep 10", "command=sleep 20", 1))
	if _, err := h.s.ScaleProgram(ctx, "worker", 3, 0); !errdefs.Has(err, errdefs.Failed) || !strings.Contains(err.Error(), "changed in the configuration file since it was applied; run update first") {
		t.Errorf("stale group: %v", err)
	}
	// Scaling to the file's numprocs forgets the runtime value; to 0 stops
	// every process.
	h.write(scaledWorkers)
	if _, err := h.s.ScaleProgram(ctx, "worker", 0, 0); err != nil {
		t.Fatal(err)
	}
	if got := h.names("worker"); len(got) != 0 {
		t.Errorf("scaled to 0: %v", got)
	}
	if _, err := h.s.ScaleProgram(ctx, "worker", 2, 0); err != nil {
		t.Fatal(err)
	}
	if st := h.stickyFile(); len(st.Scale) != 0 {
		t.Errorf("back to the file's numprocs, the state keeps %+v", st.Scale)
	}
}
