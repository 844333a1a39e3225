package supervisor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// namespecs lists the processes as Processes orders them.
func (h *harness) namespecs() []string {
	h.t.Helper()
	infos, err := h.s.Processes()
	if err != nil {
		h.t.Fatal(err)
	}
	out := make([]string, len(infos))
	for i, info := range infos {
		out[i] = info.Namespec()
	}
	return out
}

// TestProcessesFollowTheLayout: the sorted order Processes keeps between
// calls changes with the set of processes (a group added, removed), and a
// refilled ProcessList drops what it held.
func TestProcessesFollowTheLayout(t *testing.T) {
	// idle configures programs that are not started.
	idle := func(names ...string) string {
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "[program:%s]\ncommand=sleep 1000\nautostart=false\n", n)
		}
		return b.String()
	}
	h := start(t, idle("b", "d"))
	if got, want := h.namespecs(), []string{"b", "d"}; !slices.Equal(got, want) {
		t.Fatalf("at start: %v, want %v", got, want)
	}
	h.write(idle("b", "d", "a", "c"))
	if _, err := h.s.Reread(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"c", "a"} {
		if err := h.s.AddGroup(name); err != nil {
			t.Fatalf("AddGroup(%s): %v", name, err)
		}
	}
	if got, want := h.namespecs(), []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Fatalf("after adding a and c: %v, want %v", got, want)
	}
	var l ProcessList
	if err := h.s.ProcessesInto(&l); err != nil || len(l.Infos) != 4 {
		t.Fatalf("ProcessesInto: %d snapshots, %v", len(l.Infos), err)
	}
	if err := h.s.RemoveGroup("b"); err != nil {
		t.Fatal(err)
	}
	if got, want := h.namespecs(), []string{"a", "c", "d"}; !slices.Equal(got, want) {
		t.Fatalf("after removing b: %v, want %v", got, want)
	}
	if err := h.s.ProcessesInto(&l); err != nil || len(l.Infos) != 3 || l.Infos[1].Name != "c" {
		t.Fatalf("ProcessesInto again: %+v, %v", l.Infos, err)
	}
}

// TestEachProcessMatchesProcesses: EachProcessAt hands over the same
// snapshots as Processes, in the same order, one at a time (the log
// counters included), and refuses as Processes does once shut down.
func TestEachProcessMatchesProcesses(t *testing.T) {
	h := start(t, "[program:b]\ncommand=sleep 1000\n[program:a]\ncommand=sleep 1000\nautostart=false\n[program:w]\ncommand=sleep 1000\nnumprocs=2\nprocess_name=w%(process_num)d\nautostart=false\n")
	h.waitState("b", process.Running)
	want, err := h.s.Processes()
	if err != nil {
		t.Fatal(err)
	}
	var got []ProcessInfo
	if err := h.s.EachProcessAt(time.Now(), func(_ ProcessVersion, info func() *ProcessInfo) {
		c := *info()
		for _, st := range []**logs.Stats{&c.StdoutStats, &c.StderrStats} {
			if *st != nil {
				v := **st
				*st = &v
			}
		}
		got = append(got, c)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d snapshots, want %d", len(got), len(want))
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.Namespec() != w.Namespec() || g.State != w.State || g.Pid != w.Pid || g.StdoutLogfile != w.StdoutLogfile ||
			(g.StdoutStats == nil) != (w.StdoutStats == nil) || g.Start != w.Start {
			t.Errorf("snapshot %d: %+v, want %+v", k, g, w)
		}
	}
	h.s.Shutdown()
	if err := h.s.EachProcessAt(time.Now(), func(ProcessVersion, func() *ProcessInfo) { t.Error("called after the shutdown") }); err == nil {
		t.Error("no error after the shutdown")
	}
}

// TestTrimAfterStartupSettles: the memory trim runs once the start-up's
// state changes have been quiet, so that the code the programs reaching
// RUNNING ran is given back too, not only what the spawning left.
func TestTrimAfterStartupSettles(t *testing.T) {
	var mu sync.Mutex
	var states []process.State
	var h *harness
	ready := make(chan struct{})
	h = startWith(t, "[program:p]\ncommand=sleep 1000\nstartsecs=1\n", func(o *Options) {
		o.trimQuiet = 200 * time.Millisecond
		o.trim = func() {
			<-ready // h.s is set
			info, err := h.s.Process("p")
			if err != nil {
				return // shut down: the stop's state changes trim too
			}
			mu.Lock()
			states = append(states, info.State)
			mu.Unlock()
		}
	})
	close(ready)
	h.waitState("p", process.Running)
	testutil.Eventually(t, "a trim after p entered RUNNING", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Contains(states, process.Running)
	})
}

// TestProcessVersionFollowsChanges: a process's version stays the same
// while nothing changes (so a list can reuse what it made of it), changes
// with its state, and is unknown for a process with health probes (whose
// health follows the probes, not the version).
func TestProcessVersionFollowsChanges(t *testing.T) {
	h := start(t, "[program:a]\ncommand=sleep 1000\nautostart=false\nstartsecs=0\n[program:p]\ncommand=sleep 1000\nautostart=false\nreadiness_probe=exec:true\n")
	versions := func() map[string]ProcessVersion {
		t.Helper()
		vs := map[string]ProcessVersion{}
		if err := h.s.EachProcessAt(time.Now(), func(v ProcessVersion, info func() *ProcessInfo) { vs[info().Name] = v }); err != nil {
			t.Fatal(err)
		}
		return vs
	}
	// The logs are opened in the background: until then no version.
	testutil.Eventually(t, "a version", func() bool { return versions()["a"].Known() })
	v1, v2 := versions(), versions()
	if v1["a"] != v2["a"] {
		t.Fatalf("the version changed with nothing done: %+v, then %+v", v1["a"], v2["a"])
	}
	if v1["p"].Known() {
		t.Fatal("a process with a probe has a version")
	}
	if _, _, err := h.s.StartProcess(context.Background(), "a", true); err != nil {
		t.Fatal(err)
	}
	h.waitState("a", process.Running)
	v3 := versions()
	if v3["a"] == v2["a"] {
		t.Fatal("the same version after a start")
	}
	if v4 := versions(); v4["a"] != v3["a"] {
		t.Fatalf("the version of a running process changed with nothing done: %+v, then %+v", v3["a"], v4["a"])
	}
	h.s.Shutdown()
	if err := h.s.EachProcessAt(time.Now(), func(ProcessVersion, func() *ProcessInfo) { t.Error("called after the shutdown") }); err == nil {
		t.Error("no error after the shutdown")
	}
}
