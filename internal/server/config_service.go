package server

import (
	"context"

	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// configService implements ConfigService.
type configService struct {
	supervisorv1.UnimplementedConfigServiceServer
	core Core
}

var _ supervisorv1.ConfigServiceServer = (*configService)(nil)

var changeKinds = map[supervisor.ChangeKind]supervisorv1.GroupChangeKind{
	supervisor.ChangeNone:    supervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_UNSPECIFIED,
	supervisor.ChangeAdded:   supervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_ADDED,
	supervisor.ChangeChanged: supervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_CHANGED,
	supervisor.ChangeRemoved: supervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_REMOVED,
}

func (s *configService) RereadConfig(ctx context.Context, _ *supervisorv1.RereadConfigRequest) (*supervisorv1.RereadConfigResponse, error) {
	plan, err := s.core().Reread()
	if err != nil {
		return nil, err
	}
	resp := &supervisorv1.RereadConfigResponse{
		Added:    plan.Added,
		Changed:  plan.Changed,
		Removed:  plan.Removed,
		Revision: plan.Revision,
	}
	for _, g := range plan.Groups {
		gc := &supervisorv1.GroupChange{Group: g.Group, Kind: changeKinds[g.Kind]}
		for _, o := range g.Options {
			gc.Options = append(gc.Options, &supervisorv1.OptionChange{Process: o.Process, Option: o.Option, OldValue: o.Old, NewValue: o.New})
		}
		resp.Plan = append(resp.Plan, gc)
	}
	return resp, nil
}

func (s *configService) UpdateConfig(ctx context.Context, req *supervisorv1.UpdateConfigRequest) (*supervisorv1.UpdateConfigResponse, error) {
	if err := req.GetStopTimeout().CheckValid(); req.StopTimeout != nil && err != nil {
		return nil, errdefs.New(errdefs.BadArguments, "stop_timeout: %v", err)
	}
	results, rev, err := s.core().Update(ctx, req.GetGroups(), req.GetRevision(), req.GetStopTimeout().AsDuration())
	if err != nil {
		return nil, err
	}
	resp := &supervisorv1.UpdateConfigResponse{Revision: rev}
	for _, r := range results {
		desc := "OK"
		if r.Err != nil {
			desc = r.Err.Error()
		}
		resp.Results = append(resp.Results, &supervisorv1.GroupUpdateResult{
			Group:       r.Group,
			Kind:        changeKinds[r.Kind],
			Reason:      ProtoReason(errdefs.ReasonOf(r.Err)),
			Description: desc,
			StopResults: toResults(r.Stopped),
		})
	}
	return resp, nil
}

func (s *configService) AddProcessGroup(ctx context.Context, req *supervisorv1.AddProcessGroupRequest) (*supervisorv1.AddProcessGroupResponse, error) {
	if err := s.core().AddGroup(req.GetGroup()); err != nil {
		return nil, err
	}
	return &supervisorv1.AddProcessGroupResponse{}, nil
}

func (s *configService) RemoveProcessGroup(ctx context.Context, req *supervisorv1.RemoveProcessGroupRequest) (*supervisorv1.RemoveProcessGroupResponse, error) {
	if err := s.core().RemoveGroup(req.GetGroup()); err != nil {
		return nil, err
	}
	return &supervisorv1.RemoveProcessGroupResponse{}, nil
}
