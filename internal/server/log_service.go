package server

import (
	"context"

	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/logs"
)

// logService implements LogService.
type logService struct {
	supervisorv1.UnimplementedLogServiceServer
	core Core
}

var _ supervisorv1.LogServiceServer = (*logService)(nil)

func (s *logService) ReadProcessLog(ctx context.Context, req *supervisorv1.ReadProcessLogRequest) (*supervisorv1.ReadProcessLogResponse, error) {
	f, err := s.core().ProcessLog(req.GetName(), toChannel(req.GetChannel()))
	if err != nil {
		return nil, err
	}
	data, err := f.Read(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.ReadProcessLogResponse{Data: data}, nil
}

func (s *logService) TailProcessLog(ctx context.Context, req *supervisorv1.TailProcessLogRequest) (*supervisorv1.TailProcessLogResponse, error) {
	f, err := s.core().ProcessLog(req.GetName(), toChannel(req.GetChannel()))
	if errdefs.Has(err, errdefs.NoFile) {
		// A channel without a log tails as empty, as in 4.2.5.
		return &supervisorv1.TailProcessLogResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	data, off, overflow, err := f.Tail(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.TailProcessLogResponse{Data: data, Offset: off, Overflow: overflow}, nil
}

func (s *logService) FollowProcessLog(req *supervisorv1.FollowProcessLogRequest, stream supervisorv1.LogService_FollowProcessLogServer) error {
	f, err := s.core().ProcessLog(req.GetName(), toChannel(req.GetChannel()))
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
		m := &supervisorv1.FollowProcessLogResponse{}
		switch {
		case chunk != nil:
			m.Kind = &supervisorv1.FollowProcessLogResponse_Chunk{Chunk: chunk}
		case gap != nil:
			m.Kind = &supervisorv1.FollowProcessLogResponse_Gap{Gap: gap}
		default:
			m.Kind = &supervisorv1.FollowProcessLogResponse_Restart{Restart: restart}
		}
		return stream.Send(m)
	})
}

func (s *logService) ClearProcessLogs(ctx context.Context, req *supervisorv1.ClearProcessLogsRequest) (*supervisorv1.ClearProcessLogsResponse, error) {
	if err := s.core().ClearProcessLogs(req.GetName()); err != nil {
		return nil, err
	}
	return &supervisorv1.ClearProcessLogsResponse{}, nil
}

func (s *logService) ClearAllProcessLogs(ctx context.Context, _ *supervisorv1.ClearAllProcessLogsRequest) (*supervisorv1.ClearAllProcessLogsResponse, error) {
	rs, err := s.core().ClearAllProcessLogs()
	if err != nil {
		return nil, err
	}
	return &supervisorv1.ClearAllProcessLogsResponse{Results: toResults(rs)}, nil
}

func (s *logService) ReadMainLog(ctx context.Context, req *supervisorv1.ReadMainLogRequest) (*supervisorv1.ReadMainLogResponse, error) {
	c := s.core()
	if err := c.CheckRunning(); err != nil {
		return nil, err
	}
	f, err := c.MainLog()
	if err != nil {
		return nil, err
	}
	data, err := f.Read(req.GetOffset(), req.GetLength())
	if err != nil {
		return nil, err
	}
	return &supervisorv1.ReadMainLogResponse{Data: data}, nil
}

func (s *logService) FollowMainLog(req *supervisorv1.FollowMainLogRequest, stream supervisorv1.LogService_FollowMainLogServer) error {
	c := s.core()
	if err := c.CheckRunning(); err != nil {
		return err
	}
	f, err := c.MainLog()
	if err != nil {
		return err
	}
	if err := stream.SendHeader(nil); err != nil {
		return err
	}
	return follow(stream.Context(), f, req.GetTailBytes(), func(c logs.Chunk) error {
		chunk, gap, restart := followParts(c)
		m := &supervisorv1.FollowMainLogResponse{}
		switch {
		case chunk != nil:
			m.Kind = &supervisorv1.FollowMainLogResponse_Chunk{Chunk: chunk}
		case gap != nil:
			m.Kind = &supervisorv1.FollowMainLogResponse_Gap{Gap: gap}
		default:
			m.Kind = &supervisorv1.FollowMainLogResponse_Restart{Restart: restart}
		}
		return stream.Send(m)
	})
}

func (s *logService) ClearMainLog(ctx context.Context, _ *supervisorv1.ClearMainLogRequest) (*supervisorv1.ClearMainLogResponse, error) {
	if err := s.core().ClearMainLog(); err != nil {
		return nil, err
	}
	return &supervisorv1.ClearMainLogResponse{}, nil
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
func followParts(c logs.Chunk) (*supervisorv1.LogChunk, *supervisorv1.LogGap, *supervisorv1.LogRestart) {
	switch {
	case c.Gap > 0:
		return nil, &supervisorv1.LogGap{MissedBytes: c.Gap}, nil
	case c.Reset != 0:
		cause := supervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED
		if c.Reset == logs.ResetRotated {
			cause = supervisorv1.LogRestartCause_LOG_RESTART_CAUSE_ROTATED
		}
		return nil, nil, &supervisorv1.LogRestart{Cause: cause}
	}
	// The API's offset is the one just after the data.
	return &supervisorv1.LogChunk{Data: c.Data, Offset: c.Offset + int64(len(c.Data))}, nil, nil
}
