package server

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// ProtoReason converts a core reason to the API enum. The two enumerations
// have the same order, which a test checks.
func ProtoReason(r errdefs.Reason) gsupervisorv1.ErrorReason {
	return gsupervisorv1.ErrorReason(r)
}

// toStatus converts a core error to a gRPC status error with an ErrorInfo
// detail. Errors that already are gRPC statuses pass unchanged.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return status.Error(codes.Canceled, err.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return status.Error(codes.DeadlineExceeded, err.Error())
	}
	var e *errdefs.Error
	reason := errdefs.Failed
	detail := err.Error()
	msg := "FAILED: " + err.Error()
	if errors.As(err, &e) {
		reason, detail, msg = e.Reason, e.Detail, e.Error()
	}
	st := status.New(faults.Of(ProtoReason(reason)).Status, msg)
	withInfo, derr := st.WithDetails(gsupervisorv1.NewErrorInfo(ProtoReason(reason), detail))
	if derr != nil {
		return st.Err()
	}
	return withInfo.Err()
}

// unaryErrors maps the errors of unary handlers and turns panics into
// Internal errors, logging the stack.
func unaryErrors(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic in RPC handler", "method", info.FullMethod, "panic", r, "stack", string(debug.Stack()))
				resp, err = nil, status.Errorf(codes.Internal, "internal error in %s", info.FullMethod)
			}
		}()
		resp, err = handler(ctx, req)
		return resp, toStatus(err)
	}
}

// streamErrors is unaryErrors for streams.
func streamErrors(log *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic in RPC handler", "method", info.FullMethod, "panic", r, "stack", string(debug.Stack()))
				err = status.Errorf(codes.Internal, "internal error in %s", info.FullMethod)
			}
		}()
		return toStatus(handler(srv, ss))
	}
}

// unaryAuth checks the endpoint credentials of every unary call but the
// public ones (publicMethod).
func unaryAuth(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if publicMethod(info.FullMethod) {
		return handler(ctx, req)
	}
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// streamAuth checks the endpoint credentials of every stream but the
// public ones (publicMethod).
func streamAuth(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if publicMethod(info.FullMethod) {
		return handler(srv, ss)
	}
	if err := authorize(ss.Context()); err != nil {
		return err
	}
	return handler(srv, ss)
}
