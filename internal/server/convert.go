package server

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// processStates maps core process states to the API enum.
var processStates = map[process.State]supervisorv1.ProcessState{
	process.Stopped:  supervisorv1.ProcessState_PROCESS_STATE_STOPPED,
	process.Starting: supervisorv1.ProcessState_PROCESS_STATE_STARTING,
	process.Running:  supervisorv1.ProcessState_PROCESS_STATE_RUNNING,
	process.Backoff:  supervisorv1.ProcessState_PROCESS_STATE_BACKOFF,
	process.Stopping: supervisorv1.ProcessState_PROCESS_STATE_STOPPING,
	process.Exited:   supervisorv1.ProcessState_PROCESS_STATE_EXITED,
	process.Fatal:    supervisorv1.ProcessState_PROCESS_STATE_FATAL,
	process.Unknown:  supervisorv1.ProcessState_PROCESS_STATE_UNKNOWN,
}

// processStateByName maps state names ("RUNNING") to the API enum.
var processStateByName = func() map[string]supervisorv1.ProcessState {
	m := make(map[string]supervisorv1.ProcessState, len(processStates))
	for s, v := range processStates {
		m[s.String()] = v
	}
	return m
}()

var listenerStates = map[events.ListenerState]supervisorv1.ListenerState{
	events.ListenerReady:        supervisorv1.ListenerState_LISTENER_STATE_READY,
	events.ListenerBusy:         supervisorv1.ListenerState_LISTENER_STATE_BUSY,
	events.ListenerAcknowledged: supervisorv1.ListenerState_LISTENER_STATE_ACKNOWLEDGED,
	events.ListenerUnknown:      supervisorv1.ListenerState_LISTENER_STATE_UNKNOWN,
}

var daemonStates = map[supervisor.State]supervisorv1.SupervisorState{
	supervisor.StateFatal:      supervisorv1.SupervisorState_SUPERVISOR_STATE_FATAL,
	supervisor.StateRunning:    supervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING,
	supervisor.StateRestarting: supervisorv1.SupervisorState_SUPERVISOR_STATE_RESTARTING,
	supervisor.StateShutdown:   supervisorv1.SupervisorState_SUPERVISOR_STATE_SHUTDOWN,
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func toProcessInfo(i supervisor.ProcessInfo) *supervisorv1.ProcessInfo {
	return &supervisorv1.ProcessInfo{
		Name:          i.Name,
		Group:         i.Group,
		Namespec:      i.Namespec(),
		StartTime:     timestamp(i.Start),
		StopTime:      timestamp(i.Stop),
		Now:           timestamp(i.Now),
		State:         processStates[i.State],
		SpawnError:    i.SpawnErr,
		ExitStatus:    int32(i.ExitStatus),
		StdoutLogfile: i.StdoutLogfile,
		StderrLogfile: i.StderrLogfile,
		Pid:           int32(i.Pid),
		Description:   i.Description,
		ListenerState: listenerStates[i.Listener],
		ExitExpected:  i.ExitExpected,
	}
}

func toResults(rs []supervisor.Result) []*supervisorv1.ProcessResult {
	out := make([]*supervisorv1.ProcessResult, len(rs))
	for i, r := range rs {
		out[i] = &supervisorv1.ProcessResult{
			Name:        r.Name,
			Group:       r.Group,
			Reason:      ProtoReason(errdefs.ReasonOf(r.Err)),
			Description: r.Description(),
		}
	}
	return out
}

var programKinds = map[config.Kind]supervisorv1.ProgramKind{
	config.KindProgram:       supervisorv1.ProgramKind_PROGRAM_KIND_PROGRAM,
	config.KindEventListener: supervisorv1.ProgramKind_PROGRAM_KIND_EVENT_LISTENER,
	config.KindFCGIProgram:   supervisorv1.ProgramKind_PROGRAM_KIND_FCGI_PROGRAM,
}

func toChannelConfig(lc config.LogConfig, logfile string) *supervisorv1.ChannelConfig {
	return &supervisorv1.ChannelConfig{
		Logfile:         logfile,
		LogfileMaxbytes: lc.MaxBytes,
		LogfileBackups:  int32(lc.Backups),
		CaptureMaxbytes: lc.CaptureMaxBytes,
		EventsEnabled:   lc.EventsEnabled,
		Syslog:          lc.Syslog,
	}
}

func toProcessConfig(ci supervisor.ConfigInfo) *supervisorv1.ProcessConfig {
	pc := ci.Process
	out := &supervisorv1.ProcessConfig{
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
	return out
}

func toChannel(c supervisorv1.LogChannel) events.Channel {
	if c == supervisorv1.LogChannel_LOG_CHANNEL_STDERR {
		return events.Stderr
	}
	return events.Stdout
}

var eventTypes = func() map[events.Type]supervisorv1.EventType {
	m := make(map[events.Type]supervisorv1.EventType)
	for _, t := range events.AllTypes() {
		v, ok := supervisorv1.EventType_value["EVENT_TYPE_"+t.String()]
		if ok {
			m[t] = supervisorv1.EventType(v)
		}
	}
	return m
}()

var eventTypesFromProto = func() map[supervisorv1.EventType]events.Type {
	m := make(map[supervisorv1.EventType]events.Type, len(eventTypes))
	for k, v := range eventTypes {
		m[v] = k
	}
	return m
}()

func toEvent(e *events.Event) *supervisorv1.Event {
	out := &supervisorv1.Event{
		Serial: e.Serial,
		Time:   timestamp(e.Time),
		Type:   eventTypes[e.Type],
		Name:   e.Type.String(),
	}
	switch {
	case e.State != nil:
		out.Payload = &supervisorv1.Event_ProcessState{ProcessState: &supervisorv1.ProcessStateEvent{
			ProcessName: e.State.Process,
			GroupName:   e.State.Group,
			FromState:   processStateByName[e.State.From],
			State:       processStateByName[e.State.To],
			Expected:    e.State.Expected,
			Pid:         int32(e.State.Pid),
			Tries:       int32(e.State.Tries),
		}}
	case e.Output != nil:
		ch := supervisorv1.LogChannel_LOG_CHANNEL_STDOUT
		if e.Output.Channel == events.Stderr {
			ch = supervisorv1.LogChannel_LOG_CHANNEL_STDERR
		}
		if e.Type.Is(events.TypeProcessLog) {
			out.Payload = &supervisorv1.Event_ProcessLog{ProcessLog: &supervisorv1.ProcessLogEvent{
				ProcessName: e.Output.Process, GroupName: e.Output.Group, Pid: int32(e.Output.Pid), Channel: ch, Data: e.Output.Data,
			}}
		} else {
			out.Payload = &supervisorv1.Event_ProcessCommunication{ProcessCommunication: &supervisorv1.ProcessCommunicationEvent{
				ProcessName: e.Output.Process, GroupName: e.Output.Group, Pid: int32(e.Output.Pid), Channel: ch, Data: e.Output.Data,
			}}
		}
	case e.Remote != nil:
		out.Payload = &supervisorv1.Event_RemoteCommunication{RemoteCommunication: &supervisorv1.RemoteCommunicationEvent{
			Type: e.Remote.Type, Data: e.Remote.Data,
		}}
	case e.Type.Is(events.TypeSupervisorStateChange):
		out.Payload = &supervisorv1.Event_SupervisorStateChange{SupervisorStateChange: &supervisorv1.SupervisorStateChangeEvent{}}
	case e.Type.Is(events.TypeProcessGroup):
		out.Payload = &supervisorv1.Event_ProcessGroup{ProcessGroup: &supervisorv1.ProcessGroupEvent{GroupName: e.Group}}
	case e.Type.Is(events.TypeTick):
		out.Payload = &supervisorv1.Event_Tick{Tick: &supervisorv1.TickEvent{When: e.When}}
	}
	return out
}
