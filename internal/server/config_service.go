package server

import (
	"context"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// configService implements ConfigService.
type configService struct {
	gsupervisorv1.UnimplementedConfigServiceServer
	core *supervisor.Supervisor
}

var _ gsupervisorv1.ConfigServiceServer = (*configService)(nil)

var changeKinds = map[supervisor.ChangeKind]gsupervisorv1.GroupChangeKind{
	supervisor.ChangeNone:    gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_UNSPECIFIED,
	supervisor.ChangeAdded:   gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_ADDED,
	supervisor.ChangeChanged: gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_CHANGED,
	supervisor.ChangeRemoved: gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_REMOVED,
}

func (s *configService) RereadConfig(ctx context.Context, _ *gsupervisorv1.RereadConfigRequest) (*gsupervisorv1.RereadConfigResponse, error) {
	plan, err := s.core.Reread()
	if err != nil {
		return nil, err
	}
	resp := &gsupervisorv1.RereadConfigResponse{
		Added:    plan.Added,
		Changed:  plan.Changed,
		Removed:  plan.Removed,
		Revision: plan.Revision,
	}
	for _, g := range plan.Groups {
		gc := &gsupervisorv1.GroupChange{Group: g.Group, Kind: changeKinds[g.Kind]}
		for _, o := range g.Options {
			gc.Options = append(gc.Options, &gsupervisorv1.OptionChange{Process: o.Process, Option: o.Option, OldValue: o.Old, NewValue: o.New})
		}
		resp.Plan = append(resp.Plan, gc)
	}
	return resp, nil
}

func (s *configService) UpdateConfig(ctx context.Context, req *gsupervisorv1.UpdateConfigRequest) (*gsupervisorv1.UpdateConfigResponse, error) {
	if err := req.GetStopTimeout().CheckValid(); req.StopTimeout != nil && err != nil {
		return nil, errdefs.New(errdefs.BadArguments, "stop_timeout: %v", err)
	}
	results, rev, err := s.core.Update(ctx, req.GetGroups(), req.GetRevision(), req.GetStopTimeout().AsDuration())
	if err != nil {
		return nil, err
	}
	resp := &gsupervisorv1.UpdateConfigResponse{Revision: rev}
	for _, r := range results {
		desc := "OK"
		if r.Err != nil {
			desc = r.Err.Error()
		}
		resp.Results = append(resp.Results, &gsupervisorv1.GroupUpdateResult{
			Group:       r.Group,
			Kind:        changeKinds[r.Kind],
			Reason:      ProtoReason(errdefs.ReasonOf(r.Err)),
			Description: desc,
			StopResults: toResults(r.Stopped),
		})
	}
	return resp, nil
}

func (s *configService) AddProcessGroup(ctx context.Context, req *gsupervisorv1.AddProcessGroupRequest) (*gsupervisorv1.AddProcessGroupResponse, error) {
	if err := s.core.AddGroup(req.GetGroup()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.AddProcessGroupResponse{}, nil
}

func (s *configService) RemoveProcessGroup(ctx context.Context, req *gsupervisorv1.RemoveProcessGroupRequest) (*gsupervisorv1.RemoveProcessGroupResponse, error) {
	if err := s.core.RemoveGroup(req.GetGroup()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.RemoveProcessGroupResponse{}, nil
}
