package server

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// TestToProcessInfosMatchesOneByOne checks that the list conversion, which
// shares its allocations, gives each process exactly the message the
// single conversion gives: namespecs of grouped and ungrouped processes,
// log counters present or not, zero and set times.
func TestToProcessInfosMatchesOneByOne(t *testing.T) {
	now := time.Unix(1_700_000_000, 123)
	infos := []supervisor.ProcessInfo{
		{Info: process.Info{Name: "solo", Group: "solo", State: process.Running, Pid: 7, Start: now, Now: now}},
		{
			Info:          process.Info{Name: "w_01", Group: "workers", State: process.Exited, Start: now, Stop: now, Now: now},
			StdoutLogfile: "/tmp/out", StdoutStats: &logs.Stats{Written: 10, Dropped: 2, LastDropError: errors.New("disk full")},
		},
		{Info: process.Info{Name: "g", Group: "g"}, StderrLogfile: "/tmp/err", StderrStats: &logs.Stats{Rotations: 3, RotateErrors: 1}},
		{Info: process.Info{Name: "w_02", Group: "workers", State: process.Backoff, NextAttempt: now, Now: now}},
		{Info: process.Info{Name: "", Group: "empty"}},
	}
	list := toProcessInfos(infos)
	if len(list) != len(infos) {
		t.Fatalf("%d messages for %d processes", len(list), len(infos))
	}
	for i, info := range infos {
		if want := toProcessInfo(info); !proto.Equal(list[i], want) {
			t.Errorf("process %d:\n got %v\nwant %v", i, list[i], want)
		}
	}
	if got := list[1].GetNamespec(); got != "workers:w_01" {
		t.Errorf("namespec %q", got)
	}
	if got := list[0].GetNamespec(); got != "solo" {
		t.Errorf("namespec %q", got)
	}
}
