package server

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// processStates maps core process states to the API enum.
var processStates = map[process.State]gsupervisorv1.ProcessState{
	process.Stopped:  gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED,
	process.Starting: gsupervisorv1.ProcessState_PROCESS_STATE_STARTING,
	process.Running:  gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING,
	process.Backoff:  gsupervisorv1.ProcessState_PROCESS_STATE_BACKOFF,
	process.Stopping: gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING,
	process.Exited:   gsupervisorv1.ProcessState_PROCESS_STATE_EXITED,
	process.Fatal:    gsupervisorv1.ProcessState_PROCESS_STATE_FATAL,
	process.Unknown:  gsupervisorv1.ProcessState_PROCESS_STATE_UNKNOWN,
}

// processStateByName maps state names ("RUNNING") to the API enum.
var processStateByName = byName(processStates)

// byName inverts an enum table by the names of its keys ("RUNNING").
func byName[K interface {
	comparable
	fmt.Stringer
}, V any](m map[K]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k.String()] = v
	}
	return out
}

var listenerStates = map[events.ListenerState]gsupervisorv1.ListenerState{
	events.ListenerReady:        gsupervisorv1.ListenerState_LISTENER_STATE_READY,
	events.ListenerBusy:         gsupervisorv1.ListenerState_LISTENER_STATE_BUSY,
	events.ListenerAcknowledged: gsupervisorv1.ListenerState_LISTENER_STATE_ACKNOWLEDGED,
	events.ListenerUnknown:      gsupervisorv1.ListenerState_LISTENER_STATE_UNKNOWN,
}

var daemonStates = map[supervisor.State]gsupervisorv1.SupervisorState{
	supervisor.StateFatal:      gsupervisorv1.SupervisorState_SUPERVISOR_STATE_FATAL,
	supervisor.StateRunning:    gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING,
	supervisor.StateRestarting: gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RESTARTING,
	supervisor.StateShutdown:   gsupervisorv1.SupervisorState_SUPERVISOR_STATE_SHUTDOWN,
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func toProcessInfo(i supervisor.ProcessInfo) *gsupervisorv1.ProcessInfo {
	var a infoAlloc
	return a.processInfo(i)
}

// toProcessInfos converts infos with a handful of allocations instead of
// several per process: the messages, their timestamps and log counters
// come from slices allocated at once, and the namespecs share one string
// (for ListProcesses of 1000 processes, about 6000 allocations fewer per
// call).
func toProcessInfos(infos []supervisor.ProcessInfo) []*gsupervisorv1.ProcessInfo {
	times, stats, specLen := 0, 0, 0
	for _, i := range infos {
		for _, t := range [...]time.Time{i.Start, i.Stop, i.Now, i.NextAttempt} {
			if !t.IsZero() {
				times++
			}
		}
		for _, st := range [...]*logs.Stats{i.StdoutStats, i.StderrStats} {
			if st != nil {
				stats++
			}
		}
		specLen += len(i.Group) + 1 + len(i.Name)
	}
	a := infoAlloc{
		infos: make([]gsupervisorv1.ProcessInfo, len(infos)),
		times: make([]timestamppb.Timestamp, 0, times),
		stats: make([]gsupervisorv1.LogStats, 0, stats),
		specs: make([]byte, 0, specLen),
		ends:  make([]int, 0, len(infos)),
	}
	out := make([]*gsupervisorv1.ProcessInfo, len(infos))
	for i, info := range infos {
		out[i] = a.processInfo(info)
	}
	a.setNamespecs(out)
	return out
}

// infoAlloc hands out ProcessInfo, Timestamp and LogStats messages from
// slices allocated at once, and allocates one by one once they are used
// up. With specs set, processInfo leaves Namespec empty and records it in
// specs for setNamespecs.
type infoAlloc struct {
	infos []gsupervisorv1.ProcessInfo
	times []timestamppb.Timestamp
	stats []gsupervisorv1.LogStats
	// specs holds the namespecs of the messages handed out, one after
	// the other; ends[i] is where the i-th ends.
	specs []byte
	ends  []int
}

// processInfo converts i into a message of a's.
func (a *infoAlloc) processInfo(i supervisor.ProcessInfo) *gsupervisorv1.ProcessInfo {
	var m *gsupervisorv1.ProcessInfo
	if len(a.infos) > 0 {
		m, a.infos = &a.infos[0], a.infos[1:]
	} else {
		m = new(gsupervisorv1.ProcessInfo)
	}
	m.Name = i.Name
	m.Group = i.Group
	if a.specs != nil {
		if i.Group != i.Name {
			a.specs = append(append(append(a.specs, i.Group...), ':'), i.Name...)
		}
		a.ends = append(a.ends, len(a.specs))
	} else {
		m.Namespec = i.Namespec()
	}
	m.StartTime = a.timestamp(i.Start)
	m.StopTime = a.timestamp(i.Stop)
	m.Now = a.timestamp(i.Now)
	m.State = processStates[i.State]
	m.SpawnError = i.SpawnErr
	m.ExitStatus = int32(i.ExitStatus)
	m.StdoutLogfile = i.StdoutLogfile
	m.StderrLogfile = i.StderrLogfile
	m.Pid = int32(i.Pid)
	m.Description = i.Description
	m.ListenerState = listenerStates[i.Listener]
	m.ExitExpected = i.ExitExpected
	m.Health = healths[i.Health]
	m.LastProbe = toProbeResult(i.LastProbe)
	m.Disabled = i.Disabled
	m.Waiting = i.Waiting
	m.NextAttemptTime = a.timestamp(i.NextAttempt)
	m.StdoutLogStats = a.logStats(i.StdoutStats)
	m.StderrLogStats = a.logStats(i.StderrStats)
	return m
}

// setNamespecs gives the messages handed out their namespecs, all
// substrings of one string. A process whose group has its name has the
// bare name, already in the message.
func (a *infoAlloc) setNamespecs(out []*gsupervisorv1.ProcessInfo) {
	all := string(a.specs)
	start := 0
	for i, m := range out {
		end := a.ends[i]
		if end == start {
			m.Namespec = m.Name
		} else {
			m.Namespec = all[start:end]
		}
		start = end
	}
}

// timestamp converts t (nil if zero) into a message of a's.
func (a *infoAlloc) timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() || len(a.times) == cap(a.times) {
		return timestamp(t)
	}
	a.times = a.times[:len(a.times)+1]
	ts := &a.times[len(a.times)-1]
	ts.Seconds, ts.Nanos = t.Unix(), int32(t.Nanosecond())
	return ts
}

// logStats converts a log file's counters (nil if there is no file) into
// a message of a's.
func (a *infoAlloc) logStats(st *logs.Stats) *gsupervisorv1.LogStats {
	if st == nil || len(a.stats) == cap(a.stats) {
		return toLogStats(st)
	}
	a.stats = a.stats[:len(a.stats)+1]
	out := &a.stats[len(a.stats)-1]
	fillLogStats(out, st)
	return out
}

// toLogStats converts a log file's counters (nil if there is no file).
func toLogStats(st *logs.Stats) *gsupervisorv1.LogStats {
	if st == nil {
		return nil
	}
	out := new(gsupervisorv1.LogStats)
	fillLogStats(out, st)
	return out
}

// fillLogStats sets out's fields from st.
func fillLogStats(out *gsupervisorv1.LogStats, st *logs.Stats) {
	out.WrittenBytes = st.Written
	out.DroppedBytes = st.Dropped
	out.Rotations = st.Rotations
	out.RotationFailures = st.RotateErrors
	if st.LastDropError != nil {
		out.LastDropError = st.LastDropError.Error()
	}
}

func toResults(rs []supervisor.Result) []*gsupervisorv1.ProcessResult {
	out := make([]*gsupervisorv1.ProcessResult, len(rs))
	for i, r := range rs {
		out[i] = &gsupervisorv1.ProcessResult{
			Name:        r.Name,
			Group:       r.Group,
			Reason:      ProtoReason(errdefs.ReasonOf(r.Err)),
			Description: r.Description(),
		}
	}
	return out
}

var programKinds = map[config.Kind]gsupervisorv1.ProgramKind{
	config.KindProgram:       gsupervisorv1.ProgramKind_PROGRAM_KIND_PROGRAM,
	config.KindEventListener: gsupervisorv1.ProgramKind_PROGRAM_KIND_EVENT_LISTENER,
	config.KindFCGIProgram:   gsupervisorv1.ProgramKind_PROGRAM_KIND_FCGI_PROGRAM,
}

func toChannelConfig(lc config.LogConfig, logfile string) *gsupervisorv1.ChannelConfig {
	return &gsupervisorv1.ChannelConfig{
		Logfile:         logfile,
		LogfileMaxbytes: lc.MaxBytes,
		LogfileBackups:  int32(lc.Backups),
		CaptureMaxbytes: lc.CaptureMaxBytes,
		EventsEnabled:   lc.EventsEnabled,
		Syslog:          lc.Syslog,
	}
}

func toProcessConfig(ci supervisor.ConfigInfo) *gsupervisorv1.ProcessConfig {
	pc := ci.Process
	out := &gsupervisorv1.ProcessConfig{
		Name:            pc.Name,
		Group:           pc.Group,
		InUse:           ci.InUse,
		GroupPriority:   int32(ci.GroupPriority),
		ProcessPriority: int32(pc.Priority),
		Autostart:       pc.Autostart,
		Command:         pc.Command,
		KillAsGroup:     pc.KillAsGroup,
		StopAsGroup:     pc.StopAsGroup,
		RedirectStderr:  pc.RedirectStderr,
		StartRetries:    int32(pc.StartRetries),
		StartSecs:       int32(pc.StartSecs),
		StopSignal:      int32(pc.StopSignal),
		StopWaitSecs:    int32(pc.StopWaitSecs),
		Stdout:          toChannelConfig(pc.Stdout, ci.StdoutLogfile),
		Stderr:          toChannelConfig(pc.Stderr, ci.StderrLogfile),
		Kind:            programKinds[pc.Kind],
	}
	for _, c := range pc.ExitCodes {
		out.ExitCodes = append(out.ExitCodes, int32(c))
	}
	if pc.Directory != "" {
		d := pc.Directory
		out.Directory = &d
	}
	if pc.User != nil {
		uid := int64(pc.User.UID)
		out.Uid = &uid
	}
	if pc.ServerURL != "" {
		u := pc.ServerURL
		out.ServerUrl = &u
	}
	addProgramExtras(out, ci)
	return out
}

func toChannel(c gsupervisorv1.LogChannel) events.Channel {
	if c == gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR {
		return events.Stderr
	}
	return events.Stdout
}

var eventTypes = func() map[events.Type]gsupervisorv1.EventType {
	m := make(map[events.Type]gsupervisorv1.EventType)
	for _, t := range events.AllTypes() {
		v, ok := gsupervisorv1.EventType_value["EVENT_TYPE_"+t.String()]
		if ok {
			m[t] = gsupervisorv1.EventType(v)
		}
	}
	return m
}()

var eventTypesFromProto = func() map[gsupervisorv1.EventType]events.Type {
	m := make(map[gsupervisorv1.EventType]events.Type, len(eventTypes))
	for k, v := range eventTypes {
		m[v] = k
	}
	return m
}()

func toEvent(e *events.Event) *gsupervisorv1.Event {
	out := &gsupervisorv1.Event{
		Serial: e.Serial,
		Time:   timestamp(e.Time),
		Type:   eventTypes[e.Type],
		Name:   e.Type.String(),
	}
	switch {
	case e.State != nil:
		out.Payload = &gsupervisorv1.Event_ProcessState{ProcessState: &gsupervisorv1.ProcessStateEvent{
			ProcessName: e.State.Process,
			GroupName:   e.State.Group,
			FromState:   processStateByName[e.State.From],
			State:       processStateByName[e.State.To],
			Expected:    e.State.Expected,
			Pid:         int32(e.State.Pid),
			Tries:       int32(e.State.Tries),
		}}
	case e.Output != nil:
		ch := gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT
		if e.Output.Channel == events.Stderr {
			ch = gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR
		}
		if e.Type.Is(events.TypeProcessLog) {
			out.Payload = &gsupervisorv1.Event_ProcessLog{ProcessLog: &gsupervisorv1.ProcessLogEvent{
				ProcessName: e.Output.Process, GroupName: e.Output.Group, Pid: int32(e.Output.Pid), Channel: ch, Data: e.Output.Data,
			}}
		} else {
			out.Payload = &gsupervisorv1.Event_ProcessCommunication{ProcessCommunication: &gsupervisorv1.ProcessCommunicationEvent{
				ProcessName: e.Output.Process, GroupName: e.Output.Group, Pid: int32(e.Output.Pid), Channel: ch, Data: e.Output.Data,
			}}
		}
	case e.Remote != nil:
		out.Payload = &gsupervisorv1.Event_RemoteCommunication{RemoteCommunication: &gsupervisorv1.RemoteCommunicationEvent{
			Type: e.Remote.Type, Data: e.Remote.Data,
		}}
	case e.Type.Is(events.TypeSupervisorStateChange):
		out.Payload = &gsupervisorv1.Event_SupervisorStateChange{SupervisorStateChange: &gsupervisorv1.SupervisorStateChangeEvent{}}
	case e.Type.Is(events.TypeProcessGroup):
		out.Payload = &gsupervisorv1.Event_ProcessGroup{ProcessGroup: &gsupervisorv1.ProcessGroupEvent{GroupName: e.Group}}
	case e.Type.Is(events.TypeTick):
		out.Payload = &gsupervisorv1.Event_Tick{Tick: &gsupervisorv1.TickEvent{When: e.When}}
	case e.Health != nil:
		out.Payload = &gsupervisorv1.Event_ProcessHealth{ProcessHealth: toHealthEvent(e.Health)}
	}
	return out
}
