package server

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// subscriberQueue is the queue length of one event subscription; a
// subscriber that falls further behind gets an EventGap.
const subscriberQueue = 4096

// eventService implements EventService.
type eventService struct {
	gsupervisorv1.UnimplementedEventServiceServer
	core *supervisor.Supervisor
	bus  *events.Bus
}

var _ gsupervisorv1.EventServiceServer = (*eventService)(nil)

func (s *eventService) SubscribeEvents(req *gsupervisorv1.SubscribeEventsRequest, stream gsupervisorv1.EventService_SubscribeEventsServer) error {
	f := events.Filter{Processes: req.GetProcesses(), Groups: req.GetGroups()}
	for _, t := range req.GetTypes() {
		et, ok := eventTypesFromProto[t]
		if !ok {
			return errdefs.New(errdefs.BadArguments, "unknown event type %s", t)
		}
		f.Types = append(f.Types, et)
	}
	var after *uint64
	if req.AfterSerial != nil {
		a := req.GetAfterSerial()
		after = &a
	}
	sub, replay, last := s.bus.Subscribe(f, after, subscriberQueue)
	defer sub.Close()
	for _, it := range replay {
		if err := stream.Send(toStreamItem(it)); err != nil {
			return err
		}
	}
	if err := stream.Send(&gsupervisorv1.SubscribeEventsResponse{Kind: &gsupervisorv1.SubscribeEventsResponse_Ready{
		Ready: &gsupervisorv1.EventStreamReady{LastSerial: last},
	}}); err != nil {
		return err
	}
	ctx := stream.Context()
	for {
		it, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				// The client's deadline or cancel: say so. An OK status
				// here reached a client whose own timer had not fired
				// yet as a bare end of stream (io.EOF).
				return status.FromContextError(ctx.Err()).Err()
			}
			return status.Error(codes.Unavailable, err.Error())
		}
		if err := stream.Send(toStreamItem(it)); err != nil {
			return err
		}
	}
}

func toStreamItem(it events.Item) *gsupervisorv1.SubscribeEventsResponse {
	if it.Gap != nil {
		cause := gsupervisorv1.EventGapCause_EVENT_GAP_CAUSE_SLOW_SUBSCRIBER
		if it.Gap.Cause == events.GapNotRetained {
			cause = gsupervisorv1.EventGapCause_EVENT_GAP_CAUSE_NOT_RETAINED
		}
		return &gsupervisorv1.SubscribeEventsResponse{Kind: &gsupervisorv1.SubscribeEventsResponse_Gap{
			Gap: &gsupervisorv1.EventGap{FirstSerial: it.Gap.First, LastSerial: it.Gap.Last, Cause: cause},
		}}
	}
	return &gsupervisorv1.SubscribeEventsResponse{Kind: &gsupervisorv1.SubscribeEventsResponse_Event{Event: toEvent(it.Event)}}
}

func (s *eventService) SendRemoteCommEvent(ctx context.Context, req *gsupervisorv1.SendRemoteCommEventRequest) (*gsupervisorv1.SendRemoteCommEventResponse, error) {
	if err := s.core.SendRemoteComm(req.GetType(), req.GetData()); err != nil {
		return nil, err
	}
	return &gsupervisorv1.SendRemoteCommEventResponse{}, nil
}
