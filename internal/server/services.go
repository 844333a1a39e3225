package server

import (
	"context"

	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// Core returns the current core service. The daemon replaces the core on
// every restart in place, so handlers look it up per call.
type Core func() *supervisor.Supervisor

// supervisorService implements SupervisorService.
type supervisorService struct {
	supervisorv1.UnimplementedSupervisorServiceServer
	core Core
}

var _ supervisorv1.SupervisorServiceServer = (*supervisorService)(nil)

func (s *supervisorService) GetState(ctx context.Context, _ *supervisorv1.GetStateRequest) (*supervisorv1.GetStateResponse, error) {
	c := s.core()
	if err := c.CheckRunning(); err != nil {
		return nil, err
	}
	return &supervisorv1.GetStateResponse{State: daemonStates[c.State()]}, nil
}

func (s *supervisorService) GetVersion(ctx context.Context, _ *supervisorv1.GetVersionRequest) (*supervisorv1.GetVersionResponse, error) {
	if err := s.core().CheckRunning(); err != nil {
		return nil, err
	}
	return &supervisorv1.GetVersionResponse{
		ApiVersion:        supervisor.APIVersion,
		SupervisorVersion: supervisor.SupervisorVersion,
		DaemonVersion:     supervisor.Version,
	}, nil
}

func (s *supervisorService) GetIdentification(ctx context.Context, _ *supervisorv1.GetIdentificationRequest) (*supervisorv1.GetIdentificationResponse, error) {
	c := s.core()
	if err := c.CheckRunning(); err != nil {
		return nil, err
	}
	return &supervisorv1.GetIdentificationResponse{Identifier: c.Identification()}, nil
}

func (s *supervisorService) GetPID(ctx context.Context, _ *supervisorv1.GetPIDRequest) (*supervisorv1.GetPIDResponse, error) {
	c := s.core()
	if err := c.CheckRunning(); err != nil {
		return nil, err
	}
	return &supervisorv1.GetPIDResponse{Pid: int32(c.PID())}, nil
}

func (s *supervisorService) Shutdown(ctx context.Context, _ *supervisorv1.ShutdownRequest) (*supervisorv1.ShutdownResponse, error) {
	if err := s.core().Shutdown(); err != nil {
		return nil, err
	}
	return &supervisorv1.ShutdownResponse{}, nil
}

func (s *supervisorService) Restart(ctx context.Context, _ *supervisorv1.RestartRequest) (*supervisorv1.RestartResponse, error) {
	if err := s.core().Restart(); err != nil {
		return nil, err
	}
	return &supervisorv1.RestartResponse{}, nil
}

// processService implements ProcessService.
type processService struct {
	supervisorv1.UnimplementedProcessServiceServer
	core Core
}

var _ supervisorv1.ProcessServiceServer = (*processService)(nil)

func (s *processService) GetProcess(ctx context.Context, req *supervisorv1.GetProcessRequest) (*supervisorv1.GetProcessResponse, error) {
	info, err := s.core().Process(req.GetName())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.GetProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) ListProcesses(ctx context.Context, _ *supervisorv1.ListProcessesRequest) (*supervisorv1.ListProcessesResponse, error) {
	infos, err := s.core().Processes()
	if err != nil {
		return nil, err
	}
	out := make([]*supervisorv1.ProcessInfo, len(infos))
	for i, info := range infos {
		out[i] = toProcessInfo(info)
	}
	return &supervisorv1.ListProcessesResponse{Processes: out}, nil
}

func (s *processService) ListProcessConfigs(ctx context.Context, _ *supervisorv1.ListProcessConfigsRequest) (*supervisorv1.ListProcessConfigsResponse, error) {
	cis, err := s.core().ProcessConfigs()
	if err != nil {
		return nil, err
	}
	out := make([]*supervisorv1.ProcessConfig, len(cis))
	for i, ci := range cis {
		out[i] = toProcessConfig(ci)
	}
	return &supervisorv1.ListProcessConfigsResponse{Configs: out}, nil
}

func (s *processService) StartProcess(ctx context.Context, req *supervisorv1.StartProcessRequest) (*supervisorv1.StartProcessResponse, error) {
	info, err := s.core().StartProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StartProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) StartProcessGroup(ctx context.Context, req *supervisorv1.StartProcessGroupRequest) (*supervisorv1.StartProcessGroupResponse, error) {
	rs, err := s.core().StartGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StartProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) StartAllProcesses(ctx context.Context, req *supervisorv1.StartAllProcessesRequest) (*supervisorv1.StartAllProcessesResponse, error) {
	rs, err := s.core().StartAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StartAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) StopProcess(ctx context.Context, req *supervisorv1.StopProcessRequest) (*supervisorv1.StopProcessResponse, error) {
	info, err := s.core().StopProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StopProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) StopProcessGroup(ctx context.Context, req *supervisorv1.StopProcessGroupRequest) (*supervisorv1.StopProcessGroupResponse, error) {
	rs, err := s.core().StopGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StopProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) StopAllProcesses(ctx context.Context, req *supervisorv1.StopAllProcessesRequest) (*supervisorv1.StopAllProcessesResponse, error) {
	rs, err := s.core().StopAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.StopAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) RestartProcess(ctx context.Context, req *supervisorv1.RestartProcessRequest) (*supervisorv1.RestartProcessResponse, error) {
	info, err := s.core().RestartProcess(ctx, req.GetName(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.RestartProcessResponse{Process: toProcessInfo(info)}, nil
}

func (s *processService) RestartProcessGroup(ctx context.Context, req *supervisorv1.RestartProcessGroupRequest) (*supervisorv1.RestartProcessGroupResponse, error) {
	stopped, started, err := s.core().RestartGroup(ctx, req.GetGroup(), req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.RestartProcessGroupResponse{StopResults: toResults(stopped), StartResults: toResults(started)}, nil
}

func (s *processService) RestartAllProcesses(ctx context.Context, req *supervisorv1.RestartAllProcessesRequest) (*supervisorv1.RestartAllProcessesResponse, error) {
	stopped, started, err := s.core().RestartAll(ctx, req.GetWait())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.RestartAllProcessesResponse{StopResults: toResults(stopped), StartResults: toResults(started)}, nil
}

func (s *processService) SignalProcess(ctx context.Context, req *supervisorv1.SignalProcessRequest) (*supervisorv1.SignalProcessResponse, error) {
	if err := s.core().SignalProcess(req.GetName(), req.GetSignal()); err != nil {
		return nil, err
	}
	return &supervisorv1.SignalProcessResponse{}, nil
}

func (s *processService) SignalProcessGroup(ctx context.Context, req *supervisorv1.SignalProcessGroupRequest) (*supervisorv1.SignalProcessGroupResponse, error) {
	rs, err := s.core().SignalGroup(req.GetGroup(), req.GetSignal())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.SignalProcessGroupResponse{Results: toResults(rs)}, nil
}

func (s *processService) SignalAllProcesses(ctx context.Context, req *supervisorv1.SignalAllProcessesRequest) (*supervisorv1.SignalAllProcessesResponse, error) {
	rs, err := s.core().SignalAll(req.GetSignal())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.SignalAllProcessesResponse{Results: toResults(rs)}, nil
}

func (s *processService) WriteProcessStdin(ctx context.Context, req *supervisorv1.WriteProcessStdinRequest) (*supervisorv1.WriteProcessStdinResponse, error) {
	if err := s.core().WriteStdin(req.GetName(), req.GetData()); err != nil {
		return nil, err
	}
	return &supervisorv1.WriteProcessStdinResponse{}, nil
}
