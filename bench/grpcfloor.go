package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// childGRPCServer serves grpc-go's own health service and nothing else
// (no interceptor) on the unix socket -sock until SIGTERM: the gRPC
// stack's floor, the cost of a call that any Go gRPC server pays, which
// the api scenario measures beside our daemon's calls. Its one option is
// the cheapest transport setting grpc-go has, which our daemon uses too:
// a fixed flow-control window (grpc-go's default pings every busy
// connection once per round trip to size the window).
func childGRPCServer(args []string) error {
	fs := flag.NewFlagSet("grpcserver", flag.ContinueOnError)
	sock := fs.String("sock", "", "unix socket to serve on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sock == "" {
		return errors.New("missing -sock")
	}
	l, err := net.Listen("unix", *sock)
	if err != nil {
		return err
	}
	s := grpc.NewServer(grpc.StaticStreamWindowSize(floorWindow), grpc.StaticConnWindowSize(floorWindow))
	healthpb.RegisterHealthServer(s, health.NewServer())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		s.Stop()
	}()
	return s.Serve(l)
}

// floorWindow is the floor server's fixed flow-control window, our
// daemon's (internal/server's flowWindow).
const floorWindow = 1 << 20

// grpcFloor is a running childGRPCServer.
type grpcFloor struct {
	h      *harness
	cmd    *exec.Cmd
	sock   string
	exited chan error // the server's Wait
}

// startGRPCFloor starts a childGRPCServer in dir and waits until it
// answers a health check.
func (h *harness) startGRPCFloor(ctx context.Context, dir string) (*grpcFloor, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := &grpcFloor{h: h, sock: filepath.Join(dir, "floor.sock"), exited: make(chan error, 1)}
	if err := os.Remove(f.sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f.cmd = exec.Command(h.self, childArg, "grpcserver", "-sock", f.sock)
	f.cmd.Stderr = os.Stderr
	f.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := h.track(f.cmd, nil); err != nil {
		return nil, fmt.Errorf("start the gRPC floor server: %w", err)
	}
	go func() { f.exited <- f.cmd.Wait() }()
	conn, err := grpc.NewClient("unix://"+f.sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		f.stop()
		return nil, err
	}
	defer conn.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		_, err := healthpb.NewHealthClient(conn).Check(cctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil {
			return f, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			f.stop()
			return nil, fmt.Errorf("the gRPC floor server on %s does not answer: %w", f.sock, err)
		}
		select {
		case werr := <-f.exited:
			h.untrack(f.cmd)
			return nil, fmt.Errorf("the gRPC floor server exited before serving: %v", werr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// pid is the server's process id.
func (f *grpcFloor) pid() int { return f.cmd.Process.Pid }

// stop ends the server: SIGTERM, then SIGKILL if it has not exited
// within 10 s.
func (f *grpcFloor) stop() {
	_ = f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-f.exited
	}
	f.h.untrack(f.cmd)
}
