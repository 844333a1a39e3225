package server

import (
	"context"
	"sync"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// supervisorService implements SupervisorService.
type supervisorService struct {
	gsupervisorv1.UnimplementedSupervisorServiceServer
	core *supervisor.Supervisor
}

var _ gsupervisorv1.SupervisorServiceServer = (*supervisorService)(nil)

func (s *supervisorService) GetState(ctx context.Context, _ *gsupervisorv1.GetStateRequest) (*gsupervisorv1.GetStateResponse, error) {
	if err := s.core.CheckRunning(); err != nil {
		return nil, err
	}
	resp := &gsupervisorv1.GetStateResponse{State: daemonStates[s.core.State()]}
	if f, err := s.core.MainLog(); err == nil {
		st := f.Stats()
		resp.MainLogStats = toLogStats(&st)
	}
	return resp, nil
}

func (s *supervisorService) GetVersion(ctx context.Context, _ *gsupervisorv1.GetVersionRequest) (*gsupervisorv1.GetVersionResponse, error) {
	if err := s.core.CheckRunning(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.GetVersionResponse{
		ApiVersion:        supervisor.APIVersion,
		SupervisorVersion: supervisor.SupervisorVersion,
		DaemonVersion:     supervisor.Version,
	}, nil
}

func (s *supervisorService) GetIdentification(ctx context.Context, _ *gsupervisorv1.GetIdentificationRequest) (*gsupervisorv1.GetIdentificationResponse, error) {
	if err := s.core.CheckRunning(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.GetIdentificationResponse{Identifier: s.core.Identification()}, nil
}

func (s *supervisorService) GetPID(ctx context.Context, _ *gsupervisorv1.GetPIDRequest) (*gsupervisorv1.GetPIDResponse, error) {
	if err := s.core.CheckRunning(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.GetPIDResponse{Pid: int32(s.core.PID())}, nil
}

func (s *supervisorService) Shutdown(ctx context.Context, _ *gsupervisorv1.ShutdownRequest) (*gsupervisorv1.ShutdownResponse, error) {
	if err := s.core.Shutdown(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.ShutdownResponse{}, nil
}

func (s *supervisorService) Restart(ctx context.Context, _ *gsupervisorv1.RestartRequest) (*gsupervisorv1.RestartResponse, error) {
	if err := s.core.Restart(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.RestartResponse{}, nil
}

// processService implements ProcessService.
type processService struct {
	gsupervisorv1.UnimplementedProcessServiceServer
	core *supervisor.Supervisor
}

var _ gsupervisorv1.ProcessServiceServer = (*processService)(nil)

func (s *processService) GetProcess(ctx context.Context, req *gsupervisorv1.GetProcessRequest) (*gsupervisorv1.GetProcessResponse, error) {
	info, err := s.core.Process(req.GetName())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.GetProcessResponse{Process: toProcessInfo(info)}, nil
}

// processLists recycles the engine's snapshots ListProcesses converts:
// the messages copy what they need, so a list's memory serves the next
// call instead of becoming garbage (half a megabyte for a thousand
// processes). The pool drops what it holds within two garbage collections.
var processLists = sync.Pool{New: func() any { return new(supervisor.ProcessList) }}

func (s *processService) ListProcesses(ctx context.Context, _ *gsupervisorv1.ListProcessesRequest) (*gsupervisorv1.ListProcessesResponse, error) {
	if overNetwork(ctx) || surface.WantsWireAnswers(ctx) {
		// The answer is going to be marshaled, or its in-process caller
		// reads the wire form: encode it straight from the snapshots, or
		// copy what the last list encoded of the processes that did not
		// change (wire.go). protobuf-go sends unknown fields as
		// they are, and a client reads them as the processes they are.
		// The buffer goes back to surface's wire buffers once used: over
		// the network wireCodec gives it back when the answer is written,
		// an in-process caller when it no longer reads it.
		b, err := encodeList(s.core, surface.GetWireBuffer(int(listSizeHint.Load())))
		if err != nil {
			surface.PutWireBuffer(b)
			return nil, err
		}
		listSizeHint.Store(int64(len(b) + len(b)/8))
		resp := &gsupervisorv1.ListProcessesResponse{}
		resp.ProtoReflect().SetUnknown(b)
		return resp, nil
	}
	l := processLists.Get().(*supervisor.ProcessList)
	defer processLists.Put(l)
	if err := s.core.ProcessesInto(l); err != nil {
		return nil, err
	}
	return &gsupervisorv1.ListProcessesResponse{Processes: toProcessInfos(l.Infos)}, nil
}

func (s *processService) ListProcessConfigs(ctx context.Context, _ *gsupervisorv1.ListProcessConfigsRequest) (*gsupervisorv1.ListProcessConfigsResponse, error) {
	cis, err := s.core.ProcessConfigs()
	if err != nil {
		return nil, err
	}
	out := make([]*gsupervisorv1.ProcessConfig, len(cis))
	for i, ci := range cis {
		out[i] = toProcessConfig(ci)
	}
	return &gsupervisorv1.ListProcessConfigsResponse{Configs: out}, nil
}

func (s *processService) StartProcess(ctx context.Context, req *gsupervisorv1.StartProcessRequest) (*gsupervisorv1.StartProcessResponse, error) {
	info, deps, err := s.core.StartProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StartProcessResponse{Process: toProcessInfo(info), StartedDependencies: deps}, nil
}

func (s *processService) StartProcessGroup(ctx context.Context, req *gsupervisorv1.StartProcessGroupRequest) (*gsupervisorv1.StartProcessGroupResponse, error) {
	rs, err := s.core.StartGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StartProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) StartAllProcesses(ctx context.Context, req *gsupervisorv1.StartAllProcessesRequest) (*gsupervisorv1.StartAllProcessesResponse, error) {
	rs, err := s.core.StartAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StartAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) StopProcess(ctx context.Context, req *gsupervisorv1.StopProcessRequest) (*gsupervisorv1.StopProcessResponse, error) {
	info, err := s.core.StopProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StopProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) StopProcessGroup(ctx context.Context, req *gsupervisorv1.StopProcessGroupRequest) (*gsupervisorv1.StopProcessGroupResponse, error) {
	rs, err := s.core.StopGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StopProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) StopAllProcesses(ctx context.Context, req *gsupervisorv1.StopAllProcessesRequest) (*gsupervisorv1.StopAllProcessesResponse, error) {
	rs, err := s.core.StopAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.StopAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) RestartProcess(ctx context.Context, req *gsupervisorv1.RestartProcessRequest) (*gsupervisorv1.RestartProcessResponse, error) {
	info, err := s.core.RestartProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.RestartProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) RestartProcessGroup(ctx context.Context, req *gsupervisorv1.RestartProcessGroupRequest) (*gsupervisorv1.RestartProcessGroupResponse, error) {
	stopped, started, err := s.core.RestartGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.RestartProcessGroupResponse{StopResults: toResults(stopped), StartResults: toResults(started)}, nil
}

func (s *processService) RestartAllProcesses(ctx context.Context, req *gsupervisorv1.RestartAllProcessesRequest) (*gsupervisorv1.RestartAllProcessesResponse, error) {
	stopped, started, err := s.core.RestartAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.RestartAllProcessesResponse{StopResults: toResults(stopped), StartResults: toResults(started)}, nil
}

func (s *processService) SignalProcess(ctx context.Context, req *gsupervisorv1.SignalProcessRequest) (*gsupervisorv1.SignalProcessResponse, error) {
	if err := s.core.SignalProcess(req.GetName(), req.GetSignal()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.SignalProcessResponse{}, nil
}

func (s *processService) SignalProcessGroup(ctx context.Context, req *gsupervisorv1.SignalProcessGroupRequest) (*gsupervisorv1.SignalProcessGroupResponse, error) {
	rs, err := s.core.SignalGroup(req.GetGroup(), req.GetSignal())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.SignalProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) SignalAllProcesses(ctx context.Context, req *gsupervisorv1.SignalAllProcessesRequest) (*gsupervisorv1.SignalAllProcessesResponse, error) {
	rs, err := s.core.SignalAll(req.GetSignal())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.SignalAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) WriteProcessStdin(ctx context.Context, req *gsupervisorv1.WriteProcessStdinRequest) (*gsupervisorv1.WriteProcessStdinResponse, error) {
	if err := s.core.WriteStdin(req.GetName(), req.GetData()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.WriteProcessStdinResponse{}, nil
}

func (s *processService) ScaleProgram(ctx context.Context, req *gsupervisorv1.ScaleProgramRequest) (*gsupervisorv1.ScaleProgramResponse, error) {
	res, err := s.core.ScaleProgram(ctx, req.GetName(), int(req.GetNumprocs()), req.GetStopTimeout().AsDuration())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.ScaleProgramResponse{
		Group:            res.Group,
		PreviousNumprocs: int32(res.From),
		Numprocs:         int32(res.To),
		FileNumprocs:     int32(res.FileNumprocs),
		StopResults:      toResults(res.Stopped),
		StartResults:     toResults(res.Started),
	}, nil
}

func (s *processService) DisableProgram(ctx context.Context, req *gsupervisorv1.DisableProgramRequest) (*gsupervisorv1.DisableProgramResponse, error) {
	programs, rs, err := s.core.DisableProgram(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.DisableProgramResponse{Programs: programs, StopResults: toResults(rs)}, nil
}

func (s *processService) EnableProgram(ctx context.Context, req *gsupervisorv1.EnableProgramRequest) (*gsupervisorv1.EnableProgramResponse, error) {
	programs, rs, err := s.core.EnableProgram(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.EnableProgramResponse{Programs: programs, StartResults: toResults(rs)}, nil
}
