package compat

import (
	"context"
	"log/slog"
	"strings"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// service translates 4.2.5's XML-RPC methods onto the gRPC API.
type service struct {
	log    *slog.Logger
	daemon gsupervisorv1.SupervisorServiceClient
	procs  gsupervisorv1.ProcessServiceClient
	logs   gsupervisorv1.LogServiceClient
	config gsupervisorv1.ConfigServiceClient
	events gsupervisorv1.EventServiceClient
}

// newService returns a service whose calls go through conn and whose log
// lines go to log (the daemon's main log).
func newService(conn grpc.ClientConnInterface, log *slog.Logger) *service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &service{
		log:    log,
		daemon: gsupervisorv1.NewSupervisorServiceClient(conn),
		procs:  gsupervisorv1.NewProcessServiceClient(conn),
		logs:   gsupervisorv1.NewLogServiceClient(conn),
		config: gsupervisorv1.NewConfigServiceClient(conn),
		events: gsupervisorv1.NewEventServiceClient(conn),
	}
}

// groupForm reports whether a namespec names a whole group ("group:*" or
// "group:"), the forms for which 4.2.5's startProcess, stopProcess and
// signalProcess answer with the group variant.
func groupForm(name string) bool {
	_, proc, ok := strings.Cut(name, ":")
	return ok && (proc == "" || proc == "*")
}

// nameArg returns parameter i as a process or group name.
func nameArg(a args, i int) (string, error) { return a.str(i) }

func (s *service) getAPIVersion(ctx context.Context, _ args) (any, error) {
	r, err := s.daemon.GetVersion(ctx, &gsupervisorv1.GetVersionRequest{})
	if err != nil {
		return nil, err
	}
	return r.GetApiVersion(), nil
}

func (s *service) getSupervisorVersion(ctx context.Context, _ args) (any, error) {
	r, err := s.daemon.GetVersion(ctx, &gsupervisorv1.GetVersionRequest{})
	if err != nil {
		return nil, err
	}
	return r.GetSupervisorVersion(), nil
}

func (s *service) getIdentification(ctx context.Context, _ args) (any, error) {
	r, err := s.daemon.GetIdentification(ctx, &gsupervisorv1.GetIdentificationRequest{})
	if err != nil {
		return nil, err
	}
	return r.GetIdentifier(), nil
}

func (s *service) getState(ctx context.Context, _ args) (any, error) {
	r, err := s.daemon.GetState(ctx, &gsupervisorv1.GetStateRequest{})
	if err != nil {
		return nil, err
	}
	code, name := supervisorState(r.GetState())
	return xmlrpc.Struct{{Name: "statecode", Value: code}, {Name: "statename", Value: name}}, nil
}

func (s *service) getPID(ctx context.Context, _ args) (any, error) {
	r, err := s.daemon.GetPID(ctx, &gsupervisorv1.GetPIDRequest{})
	if err != nil {
		return nil, err
	}
	return r.GetPid(), nil
}

func (s *service) readLog(ctx context.Context, a args) (any, error) {
	offset, err := a.integer(0)
	if err != nil {
		return nil, err
	}
	length, err := a.integer(1)
	if err != nil {
		return nil, err
	}
	r, err := s.logs.ReadMainLog(ctx, &gsupervisorv1.ReadMainLogRequest{Offset: offset, Length: length})
	if err != nil {
		return nil, err
	}
	return string(r.GetData()), nil
}

func (s *service) clearLog(ctx context.Context, _ args) (any, error) {
	if _, err := s.logs.ClearMainLog(ctx, &gsupervisorv1.ClearMainLogRequest{}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) shutdown(ctx context.Context, _ args) (any, error) {
	if _, err := s.daemon.Shutdown(ctx, &gsupervisorv1.ShutdownRequest{}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) restart(ctx context.Context, _ args) (any, error) {
	if _, err := s.daemon.Restart(ctx, &gsupervisorv1.RestartRequest{}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) reloadConfig(ctx context.Context, _ args) (any, error) {
	r, err := s.config.RereadConfig(ctx, &gsupervisorv1.RereadConfigRequest{})
	if err != nil {
		return nil, err
	}
	return []any{[]any{stringList(r.GetAdded()), stringList(r.GetChanged()), stringList(r.GetRemoved())}}, nil
}

func (s *service) addProcessGroup(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	if _, err := s.config.AddProcessGroup(ctx, &gsupervisorv1.AddProcessGroupRequest{Group: name}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) removeProcessGroup(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	if _, err := s.config.RemoveProcessGroup(ctx, &gsupervisorv1.RemoveProcessGroupRequest{Group: name}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) getAllConfigInfo(ctx context.Context, _ args) (any, error) {
	r, err := s.procs.ListProcessConfigs(ctx, &gsupervisorv1.ListProcessConfigsRequest{})
	if err != nil {
		return nil, err
	}
	out := make([]any, len(r.GetConfigs()))
	for i, c := range r.GetConfigs() {
		out[i] = configInfo(c)
	}
	return out, nil
}

func (s *service) getProcessInfo(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	r, err := s.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name})
	if err != nil {
		return nil, err
	}
	return processInfo{r.GetProcess()}, nil
}

func (s *service) getAllProcessInfo(ctx context.Context, _ args) (any, error) {
	// The answer comes in wire form (a thousand processes are then read
	// straight into the XML, wireinfo.go), or as messages from a server
	// that does not offer it.
	r, err := s.procs.ListProcesses(surface.WithWireAnswers(ctx), &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		return nil, err
	}
	if wire := r.ProtoReflect().GetUnknown(); len(r.GetProcesses()) == 0 && len(wire) > 0 {
		return wireInfoList(wire), nil
	}
	return processInfoList(r.GetProcesses()), nil
}

func (s *service) startProcess(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	wait := a.flag(1, true)
	if groupForm(name) {
		return s.startGroup(ctx, name, wait)
	}
	if _, err := s.procs.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: name, Wait: wait}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) startProcessGroup(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	return s.startGroup(ctx, name, a.flag(1, true))
}

func (s *service) startGroup(ctx context.Context, group string, wait bool) (any, error) {
	r, err := s.procs.StartProcessGroup(ctx, &gsupervisorv1.StartProcessGroupRequest{Group: group, Wait: wait})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) startAllProcesses(ctx context.Context, a args) (any, error) {
	r, err := s.procs.StartAllProcesses(ctx, &gsupervisorv1.StartAllProcessesRequest{Wait: a.flag(0, true)})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) stopProcess(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	wait := a.flag(1, true)
	if groupForm(name) {
		return s.stopGroup(ctx, name, wait)
	}
	if _, err := s.procs.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: name, Wait: wait}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) stopProcessGroup(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	return s.stopGroup(ctx, name, a.flag(1, true))
}

func (s *service) stopGroup(ctx context.Context, group string, wait bool) (any, error) {
	r, err := s.procs.StopProcessGroup(ctx, &gsupervisorv1.StopProcessGroupRequest{Group: group, Wait: wait})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) stopAllProcesses(ctx context.Context, a args) (any, error) {
	r, err := s.procs.StopAllProcesses(ctx, &gsupervisorv1.StopAllProcessesRequest{Wait: a.flag(0, true)})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) signalProcess(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	sig, err := a.signal(1)
	if err != nil {
		return nil, err
	}
	if groupForm(name) {
		return s.signalGroup(ctx, name, sig)
	}
	if _, err := s.procs.SignalProcess(ctx, &gsupervisorv1.SignalProcessRequest{Name: name, Signal: sig}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) signalProcessGroup(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	sig, err := a.signal(1)
	if err != nil {
		return nil, err
	}
	return s.signalGroup(ctx, name, sig)
}

func (s *service) signalGroup(ctx context.Context, group, sig string) (any, error) {
	r, err := s.procs.SignalProcessGroup(ctx, &gsupervisorv1.SignalProcessGroupRequest{Group: group, Signal: sig})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) signalAllProcesses(ctx context.Context, a args) (any, error) {
	sig, err := a.signal(0)
	if err != nil {
		return nil, err
	}
	r, err := s.procs.SignalAllProcesses(ctx, &gsupervisorv1.SignalAllProcessesRequest{Signal: sig})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}

func (s *service) sendProcessStdin(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	var data []byte
	switch v := a[1].(type) {
	case string:
		data = []byte(v)
	case []byte:
		data = v
	default:
		// 4.2.5 names the offending value: "INCORRECT_PARAMETERS: 5".
		return nil, fault(faults.IncorrectParameters, pyStr(v))
	}
	if _, err := s.procs.WriteProcessStdin(ctx, &gsupervisorv1.WriteProcessStdinRequest{Name: name, Data: data}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) sendRemoteCommEvent(ctx context.Context, a args) (any, error) {
	req := &gsupervisorv1.SendRemoteCommEventRequest{Type: pyStr(a[0]), Data: pyStr(a[1])}
	if _, err := s.events.SendRemoteCommEvent(ctx, req); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) readProcessStdoutLog(ctx context.Context, a args) (any, error) {
	return s.readProcessLog(ctx, a, gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT)
}

func (s *service) readProcessStderrLog(ctx context.Context, a args) (any, error) {
	return s.readProcessLog(ctx, a, gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR)
}

func (s *service) readProcessLog(ctx context.Context, a args, ch gsupervisorv1.LogChannel) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	offset, err := a.integer(1)
	if err != nil {
		return nil, err
	}
	length, err := a.integer(2)
	if err != nil {
		return nil, err
	}
	r, err := s.logs.ReadProcessLog(ctx, &gsupervisorv1.ReadProcessLogRequest{Name: name, Channel: ch, Offset: offset, Length: length})
	if err != nil {
		return nil, err
	}
	return string(r.GetData()), nil
}

func (s *service) tailProcessStdoutLog(ctx context.Context, a args) (any, error) {
	return s.tailProcessLog(ctx, a, gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT)
}

func (s *service) tailProcessStderrLog(ctx context.Context, a args) (any, error) {
	return s.tailProcessLog(ctx, a, gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR)
}

func (s *service) tailProcessLog(ctx context.Context, a args, ch gsupervisorv1.LogChannel) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	offset, err := a.integer(1)
	if err != nil {
		return nil, err
	}
	length, err := a.integer(2)
	if err != nil {
		return nil, err
	}
	r, err := s.logs.TailProcessLog(ctx, &gsupervisorv1.TailProcessLogRequest{Name: name, Channel: ch, Offset: offset, Length: length})
	if err != nil {
		return nil, err
	}
	return []any{string(r.GetData()), r.GetOffset(), r.GetOverflow()}, nil
}

func (s *service) clearProcessLogs(ctx context.Context, a args) (any, error) {
	name, err := nameArg(a, 0)
	if err != nil {
		return nil, err
	}
	if _, err := s.logs.ClearProcessLogs(ctx, &gsupervisorv1.ClearProcessLogsRequest{Name: name}); err != nil {
		return nil, err
	}
	return true, nil
}

func (s *service) clearAllProcessLogs(ctx context.Context, _ args) (any, error) {
	r, err := s.logs.ClearAllProcessLogs(ctx, &gsupervisorv1.ClearAllProcessLogsRequest{})
	if err != nil {
		return nil, err
	}
	return results(r.GetResults()), nil
}
