package compat

import (
	"math"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// processStateCodes are 4.2.5's numeric process states
// (supervisor.states.ProcessStates).
var processStateCodes = map[gsupervisorv1.ProcessState]int{
	gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED:  0,
	gsupervisorv1.ProcessState_PROCESS_STATE_STARTING: 10,
	gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING:  20,
	gsupervisorv1.ProcessState_PROCESS_STATE_BACKOFF:  30,
	gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING: 40,
	gsupervisorv1.ProcessState_PROCESS_STATE_EXITED:   100,
	gsupervisorv1.ProcessState_PROCESS_STATE_FATAL:    200,
	gsupervisorv1.ProcessState_PROCESS_STATE_UNKNOWN:  1000,
}

// processStateNames are the legacy names of processStateCodes' states.
var processStateNames = func() map[gsupervisorv1.ProcessState]string {
	m := make(map[gsupervisorv1.ProcessState]string, len(processStateCodes))
	for s := range processStateCodes {
		m[s] = strings.TrimPrefix(s.String(), "PROCESS_STATE_")
	}
	return m
}()

// processState returns the legacy code and name of a process state; a state
// this package does not know is UNKNOWN (1000).
func processState(s gsupervisorv1.ProcessState) (int, string) {
	code, ok := processStateCodes[s]
	if !ok {
		return 1000, "UNKNOWN"
	}
	return code, processStateNames[s]
}

// supervisorStateCodes are 4.2.5's numeric daemon states
// (supervisor.states.SupervisorStates).
var supervisorStateCodes = map[gsupervisorv1.SupervisorState]int{
	gsupervisorv1.SupervisorState_SUPERVISOR_STATE_FATAL:      2,
	gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING:    1,
	gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RESTARTING: 0,
	gsupervisorv1.SupervisorState_SUPERVISOR_STATE_SHUTDOWN:   -1,
}

// supervisorState returns the legacy code and name of a daemon state.
func supervisorState(s gsupervisorv1.SupervisorState) (int, string) {
	code, ok := supervisorStateCodes[s]
	if !ok {
		return 2, "FATAL"
	}
	return code, strings.TrimPrefix(s.String(), "SUPERVISOR_STATE_")
}

// epoch returns a timestamp as whole seconds since the epoch, capped to the
// 32-bit range as 4.2.5's capped_int does; an unset timestamp is 0.
func epoch(ts *timestamppb.Timestamp) int64 {
	if ts == nil {
		return 0
	}
	return epochOf(ts.GetSeconds(), ts.GetNanos())
}

// epochOf is epoch of a timestamp's seconds and nanos.
func epochOf(s int64, nanos int32) int64 {
	if nanos < 0 && s < 0 {
		s++ // truncate toward zero, as Python's int(float) does
	}
	return min(max(s, math.MinInt32), math.MaxInt32)
}

// legacyInfo is what getProcessInfo's struct shows of a process, read
// from a ProcessInfo message (messageInfo) or from its wire form
// (wireinfo.go).
type legacyInfo struct {
	name, group      string
	start, stop, now int64 // epoch seconds, capped
	state            gsupervisorv1.ProcessState
	spawnErr         string
	exitStatus       int32
	stdout, stderr   string
	pid              int32
	description      string
}

// messageInfo reads p.
func messageInfo(p *gsupervisorv1.ProcessInfo) legacyInfo {
	return legacyInfo{
		name: p.GetName(), group: p.GetGroup(),
		start: epoch(p.GetStartTime()), stop: epoch(p.GetStopTime()), now: epoch(p.GetNow()),
		state: p.GetState(), spawnErr: p.GetSpawnError(), exitStatus: p.GetExitStatus(),
		stdout: p.GetStdoutLogfile(), stderr: p.GetStderrLogfile(),
		pid: p.GetPid(), description: p.GetDescription(),
	}
}

// processInfo is getProcessInfo's struct for p: 4.2.5's 14 keys in
// 4.2.5's order. It encodes itself (xmlrpc.Marshaler) so that a list of a
// thousand processes boxes no field.
type processInfo struct{ p *gsupervisorv1.ProcessInfo }

// The keys of processInfo, framed once.
var (
	keyName          = xmlrpc.NewKey("name")
	keyGroup         = xmlrpc.NewKey("group")
	keyStart         = xmlrpc.NewKey("start")
	keyStop          = xmlrpc.NewKey("stop")
	keyNow           = xmlrpc.NewKey("now")
	keyState         = xmlrpc.NewKey("state")
	keyStatename     = xmlrpc.NewKey("statename")
	keySpawnerr      = xmlrpc.NewKey("spawnerr")
	keyExitstatus    = xmlrpc.NewKey("exitstatus")
	keyLogfile       = xmlrpc.NewKey("logfile")
	keyStdoutLogfile = xmlrpc.NewKey("stdout_logfile")
	keyStderrLogfile = xmlrpc.NewKey("stderr_logfile")
	keyPid           = xmlrpc.NewKey("pid")
	keyDescription   = xmlrpc.NewKey("description")
)

// MarshalXMLRPC writes the struct.
func (v processInfo) MarshalXMLRPC(w *xmlrpc.Writer) error {
	i := messageInfo(v.p)
	return i.marshal(w)
}

// marshal writes i as getProcessInfo's struct.
func (i *legacyInfo) marshal(w *xmlrpc.Writer) error {
	if err := w.BeginStruct(); err != nil {
		return err
	}
	i.marshalHead(w)
	i.marshalNow(w)
	i.marshalMiddle(w)
	i.marshalTail(w)
	return nil
}

// The struct's members are written in four parts, so that infoCache can
// keep the two that change only with the process's state.
// epoch caps the times to the 32-bit range, the state codes are small,
// and the exit status and pid are int32: the int members always fit.

// marshalHead writes the members before now: name, group, start, stop.
func (i *legacyInfo) marshalHead(w *xmlrpc.Writer) {
	w.StringMember(keyName, i.name)
	w.StringMember(keyGroup, i.group)
	_ = w.IntMember(keyStart, i.start)
	_ = w.IntMember(keyStop, i.stop)
}

// marshalNow writes the now member.
func (i *legacyInfo) marshalNow(w *xmlrpc.Writer) { _ = w.IntMember(keyNow, i.now) }

// marshalMiddle writes the members from state to pid.
func (i *legacyInfo) marshalMiddle(w *xmlrpc.Writer) {
	code, name := processState(i.state)
	_ = w.IntMember(keyState, int64(code))
	w.StringMember(keyStatename, name)
	w.StringMember(keySpawnerr, i.spawnErr)
	_ = w.IntMember(keyExitstatus, int64(i.exitStatus))
	w.StringMember(keyLogfile, i.stdout)
	w.StringMember(keyStdoutLogfile, i.stdout)
	w.StringMember(keyStderrLogfile, i.stderr)
	_ = w.IntMember(keyPid, int64(i.pid))
}

// marshalTail writes the description member and closes the struct.
func (i *legacyInfo) marshalTail(w *xmlrpc.Writer) {
	w.StringMember(keyDescription, i.description)
	w.EndStruct()
}

// processInfoList is getAllProcessInfo's array.
type processInfoList []*gsupervisorv1.ProcessInfo

// XMLRPCSize estimates the encoded size: the fixed markup of one struct
// (about 1100 bytes) plus its strings.
func (l processInfoList) XMLRPCSize() int {
	n := 64
	for _, p := range l {
		n += 1100 + len(p.GetName()) + len(p.GetGroup()) + len(p.GetSpawnError()) + 2*len(p.GetStdoutLogfile()) +
			len(p.GetStderrLogfile()) + len(p.GetDescription())
	}
	return n
}

// MarshalXMLRPC writes the array.
func (l processInfoList) MarshalXMLRPC(w *xmlrpc.Writer) error {
	if err := w.BeginArray(); err != nil {
		return err
	}
	for _, p := range l {
		if err := (processInfo{p}).MarshalXMLRPC(w); err != nil {
			return err
		}
	}
	w.EndArray()
	return nil
}

// results converts the per-process outcomes of a group or "all" operation
// to 4.2.5's result structs: {name, group, status, description}, status 80
// and description "OK" on success.
func results(rs []*gsupervisorv1.ProcessResult) []any {
	out := make([]any, len(rs))
	for i, r := range rs {
		out[i] = xmlrpc.Struct{
			{Name: "name", Value: r.GetName()},
			{Name: "group", Value: r.GetGroup()},
			{Name: "status", Value: int(faults.Of(r.GetReason()).Fault)},
			{Name: "description", Value: r.GetDescription()},
		}
	}
	return out
}

// logfileValue is a configured log file as 4.2.5's getAllConfigInfo shows
// it: the path, "auto" for a file not resolved yet, "none" for no log.
func logfileValue(path string) string {
	switch path {
	case "":
		return "none"
	case "AUTO":
		return "auto"
	}
	return path
}

// optionalString is an optional value as getAllConfigInfo shows it: the
// value, or "none" when unset.
func optionalString(v *string) any {
	if v == nil {
		return "none"
	}
	return *v
}

// configInfo converts a process configuration to getAllConfigInfo's struct,
// with 4.2.5's keys in 4.2.5's order.
func configInfo(c *gsupervisorv1.ProcessConfig) xmlrpc.Struct {
	var uid any = "none"
	if c.Uid != nil {
		uid = c.GetUid()
	}
	exit := make([]any, len(c.GetExitCodes()))
	for i, e := range c.GetExitCodes() {
		exit[i] = e
	}
	out, errc := c.GetStdout(), c.GetStderr()
	return xmlrpc.Struct{
		{Name: "autostart", Value: c.GetAutostart()},
		{Name: "directory", Value: optionalString(c.Directory)},
		{Name: "uid", Value: uid},
		{Name: "command", Value: c.GetCommand()},
		{Name: "exitcodes", Value: exit},
		{Name: "group", Value: c.GetGroup()},
		{Name: "group_prio", Value: c.GetGroupPriority()},
		{Name: "inuse", Value: c.GetInUse()},
		{Name: "killasgroup", Value: c.GetKillAsGroup()},
		{Name: "name", Value: c.GetName()},
		{Name: "process_prio", Value: c.GetProcessPriority()},
		{Name: "redirect_stderr", Value: c.GetRedirectStderr()},
		{Name: "startretries", Value: c.GetStartRetries()},
		{Name: "startsecs", Value: c.GetStartSecs()},
		{Name: "stdout_capture_maxbytes", Value: out.GetCaptureMaxbytes()},
		{Name: "stdout_events_enabled", Value: out.GetEventsEnabled()},
		{Name: "stdout_logfile", Value: logfileValue(out.GetLogfile())},
		{Name: "stdout_logfile_backups", Value: out.GetLogfileBackups()},
		{Name: "stdout_logfile_maxbytes", Value: out.GetLogfileMaxbytes()},
		{Name: "stdout_syslog", Value: out.GetSyslog()},
		{Name: "stopsignal", Value: c.GetStopSignal()},
		{Name: "stopwaitsecs", Value: c.GetStopWaitSecs()},
		{Name: "stderr_capture_maxbytes", Value: errc.GetCaptureMaxbytes()},
		{Name: "stderr_events_enabled", Value: errc.GetEventsEnabled()},
		{Name: "stderr_logfile", Value: logfileValue(errc.GetLogfile())},
		{Name: "stderr_logfile_backups", Value: errc.GetLogfileBackups()},
		{Name: "stderr_logfile_maxbytes", Value: errc.GetLogfileMaxbytes()},
		{Name: "stderr_syslog", Value: errc.GetSyslog()},
		{Name: "serverurl", Value: optionalString(c.ServerUrl)},
	}
}

// stringList converts names to an XML-RPC array.
func stringList(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}
