package supervisor

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

const fourPrograms = `
[program:keep]
command=sleep 1000
startsecs=0

[program:change]
command=sleep 1000
startsecs=0

[program:remove]
command=sleep 1000
startsecs=0

[program:untouched]
command=sleep 1001
startsecs=0
`

// TestUpdateAppliesOnlyWhatChanged edits the config (a program added, one
// changed, one removed, one left alone) and checks the plan, the results,
// the events and that the untouched processes keep their pids.
func TestUpdateAppliesOnlyWhatChanged(t *testing.T) {
	h := start(t, fourPrograms)
	for _, n := range []string{"keep", "change", "remove", "untouched"} {
		h.waitState(n, process.Running)
	}
	keepPid, untouchedPid, changePid := h.info("keep").Pid, h.info("untouched").Pid, h.info("change").Pid
	seen := h.collect(events.TypeProcessGroup)

	h.write(strings.Replace(strings.Replace(fourPrograms, "[program:remove]\ncommand=sleep 1000\nstartsecs=0\n", "", 1),
		"[program:change]\ncommand=sleep 1000", "[program:change]\ncommand=sleep 2000", 1) + `
[program:added]
command=sleep 1000
startsecs=0
`)
	plan, err := h.s.Reread()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan.Added, []string{"added"}) || !reflect.DeepEqual(plan.Changed, []string{"change"}) || !reflect.DeepEqual(plan.Removed, []string{"remove"}) {
		t.Fatalf("plan = %+v", plan)
	}
	var changeOpts string
	for _, g := range plan.Groups {
		if g.Group == "change" {
			for _, o := range g.Options {
				changeOpts += o.Process + "." + o.Option + ": " + o.Old + " -> " + o.New + "\n"
			}
		}
	}
	if changeOpts != "change.command: sleep 1000 -> sleep 2000\n" {
		t.Fatalf("plan for change:\n%s", changeOpts)
	}
	// A reread applies nothing.
	if h.info("remove").State != process.Running {
		t.Fatal("reread touched a process")
	}

	results, rev, err := h.s.Update(context.Background(), nil, plan.Revision, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rev != plan.Revision {
		t.Fatalf("applied revision %s, planned %s", rev, plan.Revision)
	}
	var got []string
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("update of %s: %v", r.Group, r.Err)
		}
		got = append(got, r.Kind.String()+" "+r.Group)
	}
	if want := []string{"removed remove", "changed change", "added added"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("update results %v, want %v", got, want)
	}
	if _, err := h.s.Process("remove"); !errdefs.Has(err, errdefs.BadName) {
		t.Fatalf("removed group still there: %v", err)
	}
	if h.info("keep").Pid != keepPid || h.info("untouched").Pid != untouchedPid {
		t.Fatal("an unchanged process was restarted")
	}
	if i := h.waitState("change", process.Running); i.Pid == changePid {
		t.Fatal("the changed process kept its pid")
	}
	h.waitState("added", process.Running)
	testutil.Eventually(t, "group events", func() bool {
		ev := seen()
		return contains(ev, "PROCESS_GROUP_REMOVED remove") && contains(ev, "PROCESS_GROUP_REMOVED change") &&
			contains(ev, "PROCESS_GROUP_ADDED change") && contains(ev, "PROCESS_GROUP_ADDED added")
	})
	// Nothing left to do.
	plan, err = h.s.Reread()
	if err != nil || len(plan.Groups) != 0 {
		t.Fatalf("second reread: %+v, %v", plan, err)
	}
}

func TestRereadBrokenConfigChangesNothing(t *testing.T) {
	h := start(t, "[program:a]\ncommand=sleep 1000\nstartsecs=0\n")
	h.waitState("a", process.Running)
	pid := h.info("a").Pid
	h.write("[program:a]\ncommand=sleep 1000\nautostart=maybe\n")
	_, err := h.s.Reread()
	if !errdefs.Has(err, errdefs.CantReread) || !strings.Contains(err.Error(), "CANT_REREAD: not a valid boolean value: 'maybe' in section 'program:a'") {
		t.Fatalf("Reread = %v", err)
	}
	if _, _, err := h.s.Update(context.Background(), nil, "", 0); !errdefs.Has(err, errdefs.CantReread) {
		t.Fatalf("Update = %v", err)
	}
	if h.info("a").Pid != pid {
		t.Fatal("a broken config changed a process")
	}
	// add still uses the last good parse.
	if err := h.s.AddGroup("a"); !errdefs.Has(err, errdefs.AlreadyAdded) {
		t.Fatalf("AddGroup = %v", err)
	}
}

func TestUpdateRevisionMismatch(t *testing.T) {
	h := start(t, "[program:a]\ncommand=sleep 1000\nstartsecs=0\n")
	h.write("[program:a]\ncommand=sleep 1000\nstartsecs=0\n[program:b]\ncommand=sleep 1000\n")
	plan, err := h.s.Reread()
	if err != nil {
		t.Fatal(err)
	}
	// Someone else edits the file after the plan was made.
	h.write("[program:a]\ncommand=sleep 1000\nstartsecs=0\n[program:c]\ncommand=sleep 1000\n")
	if _, _, err := h.s.Update(context.Background(), nil, plan.Revision, 0); !errdefs.Has(err, errdefs.RevisionMismatch) {
		t.Fatalf("stale plan applied: %v", err)
	}
	if _, err := h.s.Process("c"); !errdefs.Has(err, errdefs.BadName) {
		t.Fatal("a rejected update changed something")
	}
	plan, _ = h.s.Reread()
	if _, _, err := h.s.Update(context.Background(), nil, plan.Revision, 0); err != nil {
		t.Fatalf("fresh plan: %v", err)
	}
	h.info("c")
}

func TestUpdateNamedGroupsOnly(t *testing.T) {
	h := start(t, "[program:a]\ncommand=sleep 1000\nstartsecs=0\n")
	h.write("[program:a]\ncommand=sleep 1001\nstartsecs=0\n[program:b]\ncommand=sleep 1000\nstartsecs=0\n")
	pid := h.waitState("a", process.Running).Pid
	results, _, err := h.s.Update(context.Background(), []string{"b", "nope"}, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || !errdefs.Has(results[0].Err, errdefs.BadName) || results[0].Group != "nope" ||
		results[1].Group != "b" || results[1].Kind != ChangeAdded || results[1].Err != nil {
		t.Fatalf("results = %+v", results)
	}
	if h.info("a").Pid != pid {
		t.Fatal("update b restarted a")
	}
}

func TestUpdateReportsAGroupThatWillNotStop(t *testing.T) {
	h := start(t, `
[program:stubborn]
command=sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=3600
`)
	h.waitState("stubborn", process.Running)
	testutil.Eventually(t, "the trap to be set", func() bool {
		f, err := h.s.ProcessLog("stubborn", events.Stdout)
		if err != nil {
			return false
		}
		b, _ := f.Read(0, 0)
		return strings.Contains(string(b), "ready")
	})
	h.write("")
	results, _, err := h.s.Update(context.Background(), nil, "", 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Kind != ChangeRemoved || !errdefs.Has(results[0].Err, errdefs.StillRunning) {
		t.Fatalf("results = %+v", results)
	}
	if i := h.info("stubborn"); i.State != process.Stopping {
		t.Fatalf("stubborn is %s", i.State)
	}
	// It is killed after stopwaitsecs; do not wait for that here.
	h.s.lookupProcess(t, "stubborn").Kill()
}

func (s *Supervisor) lookupProcess(t *testing.T, name string) *process.Process {
	_, m, err := s.lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return m.Process
}

func TestAddRemoveGroup(t *testing.T) {
	h := start(t, "[program:a]\ncommand=sleep 1000\nstartsecs=0\n[program:m]\ncommand=sleep 1000\nautostart=false\n")
	h.waitState("a", process.Running)
	if err := h.s.RemoveGroup("a"); !errdefs.Has(err, errdefs.StillRunning) || err.Error() != "STILL_RUNNING: a" {
		t.Fatalf("RemoveGroup(running) = %v", err)
	}
	if err := h.s.RemoveGroup("nope"); err == nil || err.Error() != "BAD_NAME: nope" {
		t.Fatalf("RemoveGroup(nope) = %v", err)
	}
	if err := h.s.AddGroup("nope"); err == nil || err.Error() != "BAD_NAME: nope" {
		t.Fatalf("AddGroup(nope) = %v", err)
	}
	if err := h.s.AddGroup("m"); err == nil || err.Error() != "ALREADY_ADDED: m" {
		t.Fatalf("AddGroup(m) = %v", err)
	}
	if err := h.s.RemoveGroup("m"); err != nil {
		t.Fatalf("RemoveGroup(m) = %v", err)
	}
	if _, err := h.s.Process("m"); !errdefs.Has(err, errdefs.BadName) {
		t.Fatal("m still there")
	}
	if err := h.s.AddGroup("m"); err != nil {
		t.Fatalf("AddGroup(m) again = %v", err)
	}
	if i := h.info("m"); i.State != process.Stopped {
		t.Fatalf("autostart=false group started: %s", i.State)
	}
	// ProcessConfigs lists configured groups, in use or not.
	cis, err := h.s.ProcessConfigs()
	if err != nil || len(cis) != 2 || cis[0].Process.Name != "a" || !cis[0].InUse {
		t.Fatalf("ProcessConfigs = %+v, %v", cis, err)
	}
}
