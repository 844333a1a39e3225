package server

import (
	"context"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// logService implements LogService.
type logService struct {
	gsupervisorv1.UnimplementedLogServiceServer
	core *supervisor.Supervisor
}

var _ gsupervisorv1.LogServiceServer = (*logService)(nil)

func (s *logService) ReadProcessLog(ctx context.Context, req *gsupervisorv1.ReadProcessLogRequest) (*gsupervisorv1.ReadProcessLogResponse, error) {
	f, err := s.core.ProcessLog(req.GetName(), toChannel(req.GetChannel()))
	if err != nil {
		return nil, err
	}
	data, err := f.Read(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.ReadProcessLogResponse{Data: data}, nil
}

func (s *logService) TailProcessLog(ctx context.Context, req *gsupervisorv1.TailProcessLogRequest) (*gsupervisorv1.TailProcessLogResponse, error) {
	f, err := s.core.ProcessLog(req.GetName(), toChannel(req.GetChannel()))
	if errdefs.Has(err, errdefs.NoFile) {
		// A channel without a log tails as empty, as in 4.2.5.
		return &gsupervisorv1.TailProcessLogResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	data, off, overflow, err := f.Tail(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.TailProcessLogResponse{Data: data, Offset: off, Overflow: overflow}, nil
}

func (s *logService) FollowProcessLog(req *gsupervisorv1.FollowProcessLogRequest, stream gsupervisorv1.LogService_FollowProcessLogServer) error {
	f, err := s.core.ProcessLog(req.GetName(), toChannel(req.GetChannel()))
	if err != nil {
		return err
	}
	// Accept the stream at once, so a client knows the log exists before
	// any new byte is written to it.
	if err := stream.SendHeader(nil); err != nil {
		return err
	}
	return follow(stream.Context(), f, req.GetTailBytes(), func(c logs.Chunk) error {
		chunk, gap, restart := followParts(c)
		m := &gsupervisorv1.FollowProcessLogResponse{}
		switch {
		case chunk != nil:
			m.Kind = &gsupervisorv1.FollowProcessLogResponse_Chunk{Chunk: chunk}
		case gap != nil:
			m.Kind = &gsupervisorv1.FollowProcessLogResponse_Gap{Gap: gap}
		default:
			m.Kind = &gsupervisorv1.FollowProcessLogResponse_Restart{Restart: restart}
		}
		return stream.Send(m)
	})
}

func (s *logService) ClearProcessLogs(ctx context.Context, req *gsupervisorv1.ClearProcessLogsRequest) (*gsupervisorv1.ClearProcessLogsResponse, error) {
	if err := s.core.ClearProcessLogs(req.GetName()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.ClearProcessLogsResponse{}, nil
}

func (s *logService) ClearAllProcessLogs(ctx context.Context, _ *gsupervisorv1.ClearAllProcessLogsRequest) (*gsupervisorv1.ClearAllProcessLogsResponse, error) {
	rs, err := s.core.ClearAllProcessLogs()
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.ClearAllProcessLogsResponse{Results: toResults(rs)}, nil
}

func (s *logService) ReadMainLog(ctx context.Context, req *gsupervisorv1.ReadMainLogRequest) (*gsupervisorv1.ReadMainLogResponse, error) {
	if err := s.core.CheckRunning(); err != nil {
		return nil, err
	}
	f, err := s.core.MainLog()
	if err != nil {
		return nil, err
	}
	data, err := f.Read(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &gsupervisorv1.ReadMainLogResponse{Data: data}, nil
}

func (s *logService) FollowMainLog(req *gsupervisorv1.FollowMainLogRequest, stream gsupervisorv1.LogService_FollowMainLogServer) error {
	if err := s.core.CheckRunning(); err != nil {
		return err
	}
	f, err := s.core.MainLog()
	if err != nil {
		return err
	}
	if err := stream.SendHeader(nil); err != nil {
		return err
	}
	return follow(stream.Context(), f, req.GetTailBytes(), func(c logs.Chunk) error {
		chunk, gap, restart := followParts(c)
		m := &gsupervisorv1.FollowMainLogResponse{}
		switch {
		case chunk != nil:
			m.Kind = &gsupervisorv1.FollowMainLogResponse_Chunk{Chunk: chunk}
		case gap != nil:
			m.Kind = &gsupervisorv1.FollowMainLogResponse_Gap{Gap: gap}
		default:
			m.Kind = &gsupervisorv1.FollowMainLogResponse_Restart{Restart: restart}
		}
		return stream.Send(m)
	})
}

func (s *logService) ClearMainLog(ctx context.Context, _ *gsupervisorv1.ClearMainLogRequest) (*gsupervisorv1.ClearMainLogResponse, error) {
	if err := s.core.ClearMainLog(); err != nil {
		return nil, err
	}
	return &gsupervisorv1.ClearMainLogResponse{}, nil
}

// follow streams a log file until the client goes away.
func follow(ctx context.Context, f *logs.File, tail int64, send func(logs.Chunk) error) error {
	fl := f.Follow(tail)
	defer fl.Close()
	for {
		c, err := fl.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := send(c); err != nil {
			return err
		}
	}
}

// followParts converts a follower chunk to exactly one of the stream
// message parts.
func followParts(c logs.Chunk) (*gsupervisorv1.LogChunk, *gsupervisorv1.LogGap, *gsupervisorv1.LogRestart) {
	switch {
	case c.Gap > 0:
		return nil, &gsupervisorv1.LogGap{MissedBytes: c.Gap}, nil
	case c.Reset != 0:
		cause := gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED
		if c.Reset == logs.ResetRotated {
			cause = gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_ROTATED
		}
		return nil, nil, &gsupervisorv1.LogRestart{Cause: cause}
	}
	// The API's offset is the one just after the data.
	return &gsupervisorv1.LogChunk{Data: c.Data, Offset: c.Offset + int64(len(c.Data))}, nil, nil
}
