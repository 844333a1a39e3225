package server

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
	reflectionv1 "google.golang.org/grpc/reflection/grpc_reflection_v1"
	reflectionv1alpha "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

// registerReflection registers gRPC server reflection, v1 and the v1alpha
// that older tools (grpcurl, grpcui, Postman, Evans) still ask for, so a
// client can list the services and read their descriptors without the
// .proto files. Reflection goes through the interceptor chain like every
// other method: an endpoint with credentials requires them.
func registerReflection(m *methods, gs *grpc.Server) {
	opts := reflection.ServerOptions{Services: gs}
	m.register(gs, &reflectionv1.ServerReflection_ServiceDesc, reflection.NewServerV1(opts))
	m.register(gs, &reflectionv1alpha.ServerReflection_ServiceDesc, reflection.NewServer(opts))
}
