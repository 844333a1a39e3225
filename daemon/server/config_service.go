package server

import (
	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
)

// configService implements ConfigService.
type configService struct {
	supervisorv1.UnimplementedConfigServiceServer
	core Core
}

var _ supervisorv1.ConfigServiceServer = (*configService)(nil)
