package compat

import (
	"bytes"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// cachedList encodes a wire list with a given cache.
type cachedList struct {
	l wireInfoList
	c *infoCache
}

func (v cachedList) MarshalXMLRPC(w *xmlrpc.Writer) error { return v.l.marshal(w, v.c) }

// encodeBoth returns the XML of procs through c and the XML of the
// messages themselves (the reference).
func encodeBoth(t *testing.T, c *infoCache, procs []*gsupervisorv1.ProcessInfo) (got, want []byte) {
	t.Helper()
	wire, err := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: procs})
	if err != nil {
		t.Fatal(err)
	}
	if want, err = xmlrpc.AppendResponse(nil, processInfoList(procs)); err != nil {
		t.Fatal(err)
	}
	if got, err = xmlrpc.AppendResponse(nil, cachedList{wireInfoList(wire), c}); err != nil {
		t.Fatal(err)
	}
	return got, want
}

// TestInfoCacheFollowsChanges: answer after answer through one cache,
// while now and descriptions tick and processes change state, are
// renamed, go and come, each answer is byte for byte the XML of its
// messages; the cached members are reused only while what they show is
// unchanged.
func TestInfoCacheFollowsChanges(t *testing.T) {
	ts := func(s int64) *timestamppb.Timestamp { return &timestamppb.Timestamp{Seconds: s} }
	procs := []*gsupervisorv1.ProcessInfo{
		{Name: "a", Group: "g", Now: ts(100), State: gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED, Description: "Not started", StdoutLogfile: "/l/a"},
		{Name: "b", Group: "g", StartTime: ts(90), Now: ts(100), State: gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING, Pid: 7, Description: "pid 7, uptime 0:00:10"},
		{Name: "c", Group: "c", StartTime: ts(50), StopTime: ts(60), Now: ts(100), State: gsupervisorv1.ProcessState_PROCESS_STATE_FATAL, SpawnError: "no <such> file"},
	}
	c := new(infoCache)
	step := func(what string) {
		t.Helper()
		if got, want := encodeBoth(t, c, procs); !bytes.Equal(got, want) {
			t.Fatalf("%s:\n%s\nwant\n%s", what, got, want)
		}
	}
	step("first answer")
	// Time passes: now and the running one's description change; its
	// log statistics (not shown) change too.
	for i := range procs {
		procs[i].Now = ts(101)
	}
	procs[1].Description = "pid 7, uptime 0:00:11"
	procs[1].StdoutLogStats = &gsupervisorv1.LogStats{WrittenBytes: 4096}
	step("a second later")
	// State changes, each in a member the cache keeps.
	procs[1].State, procs[1].Pid, procs[1].StopTime, procs[1].ExitStatus = gsupervisorv1.ProcessState_PROCESS_STATE_EXITED, 0, ts(101), 3
	procs[0].StdoutLogfile, procs[0].StderrLogfile = "/l/a2", "/l/a.err"
	procs[2].Name, procs[2].Group, procs[2].SpawnError = "d", "d", ""
	step("after changes")
	// A process goes, another comes; the list shrinks, then grows.
	procs = procs[:2]
	step("shorter list")
	if len(c.entries) != 2 {
		t.Fatalf("%d entries kept for 2 processes", len(c.entries))
	}
	procs = append(procs, &gsupervisorv1.ProcessInfo{Name: "e", Group: "e", Now: ts(102), Description: "Not started"})
	step("longer list")
}

// TestInfoCacheReusesMembers: the cached members are what is written
// while the key holds (a marker put in the cache shows up), and a change
// in a shown field writes them afresh (the marker is gone).
func TestInfoCacheReusesMembers(t *testing.T) {
	procs := []*gsupervisorv1.ProcessInfo{{Name: "a", Group: "a", Now: &timestamppb.Timestamp{Seconds: 1}, Pid: 5}}
	c := new(infoCache)
	encodeBoth(t, c, procs)
	const marker = "<!--cached-->"
	e := &c.entries[0]
	e.xml = append([]byte(marker), e.xml...)
	e.split += len(marker)
	procs[0].Now = &timestamppb.Timestamp{Seconds: 2}
	procs[0].Description = "later"
	if got, _ := encodeBoth(t, c, procs); !strings.Contains(string(got), marker) {
		t.Fatalf("the cached members were not reused when only now and description changed:\n%s", got)
	}
	procs[0].Pid = 6
	got, want := encodeBoth(t, c, procs)
	if strings.Contains(string(got), marker) || !bytes.Equal(got, want) {
		t.Fatalf("a new pid did not refresh the cached members:\n%s", got)
	}
}

// TestInfoCacheMalformedForgets: a list that turns out malformed is an
// error and leaves nothing cached to be reused for the next one.
func TestInfoCacheMalformedForgets(t *testing.T) {
	procs := []*gsupervisorv1.ProcessInfo{{Name: "a", Group: "a"}, {Name: "b", Group: "b"}}
	c := new(infoCache)
	encodeBoth(t, c, procs)
	wire, _ := proto.Marshal(&gsupervisorv1.ListProcessesResponse{Processes: procs})
	if _, err := xmlrpc.AppendResponse(nil, cachedList{wireInfoList(wire[:len(wire)-1]), c}); err == nil {
		t.Fatal("a truncated list: no error")
	}
	if len(c.entries) != 0 {
		t.Fatalf("%d entries kept after a malformed list", len(c.entries))
	}
}
