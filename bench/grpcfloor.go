package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
)

// childGRPCServer serves grpc-go's own health service and nothing else
// (no interceptor) on the unix socket -sock until SIGTERM: the gRPC
// stack's floor, the cost of a call that any Go gRPC server pays, which
// the api scenario measures beside our daemon's calls. Its one option is
// the cheapest transport setting grpc-go has, which our daemon uses too:
// a fixed flow-control window (grpc-go's default pings every busy
// connection once per round trip to size the window).
//
// With -http it is also the memory floor of the api scenario: a bare Go
// server that answers XML-RPC getState and getAllProcessInfo(-programs)
// over HTTP/1.1 (on the unix socket -http and the TCP address -tcp) with
// answers encoded once at start, holds -ballast MiB of small live
// objects (a daemon's idle heap), and gives memory back after each burst
// as our daemon does (memtrim.Release once calls have paused for
// memtrim.Quiet). What it keeps after a load is what the Go runtime and
// its HTTP and gRPC stacks keep.
func childGRPCServer(args []string) error {
	fs := flag.NewFlagSet("grpcserver", flag.ContinueOnError)
	sock := fs.String("sock", "", "unix socket to serve gRPC on")
	httpSock := fs.String("http", "", "unix socket to serve XML-RPC on (the memory floor)")
	tcp := fs.String("tcp", "", "TCP address to serve XML-RPC on too (with -http)")
	programs := fs.Int("programs", 1000, "processes in the getAllProcessInfo answer (with -http)")
	ballastMiB := fs.Int("ballast", 0, "MiB of small live objects to hold (with -http)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sock == "" {
		return errors.New("missing -sock")
	}
	if *httpSock == "" && (*tcp != "" || *ballastMiB != 0) {
		return errors.New("-tcp and -ballast need -http")
	}
	if *programs < 0 || *ballastMiB < 0 {
		return errors.New("-programs and -ballast cannot be negative")
	}
	l, err := net.Listen("unix", *sock)
	if err != nil {
		return err
	}
	var opts []grpc.ServerOption
	var trim *memtrim.Trimmer
	if *httpSock != "" {
		trim = memtrim.New(memtrim.Quiet, memtrim.Release)
		opts = append(opts, grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			trim.Touch()
			return next(ctx, req)
		}))
	}
	s := grpc.NewServer(append(opts, grpc.StaticStreamWindowSize(floorWindow), grpc.StaticConnWindowSize(floorWindow))...)
	healthpb.RegisterHealthServer(s, health.NewServer())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var hs *http.Server
	var ballast []*ballastNode
	if *httpSock != "" {
		ballast = makeBallast(*ballastMiB << 20)
		h, err := newXMLRPCFloor(*programs, trim)
		if err != nil {
			return err
		}
		hs = &http.Server{Handler: h}
		for _, ln := range [][2]string{{"unix", *httpSock}, {"tcp", *tcp}} {
			if ln[1] == "" {
				continue
			}
			hl, err := net.Listen(ln[0], ln[1])
			if err != nil {
				return err
			}
			go hs.Serve(hl)
		}
	}
	go func() {
		<-ctx.Done()
		s.Stop()
		if hs != nil {
			hs.Close()
		}
	}()
	err = s.Serve(l)
	runtime.KeepAlive(ballast)
	return err
}

// ballastNode is one small object of the memory floor's ballast: a
// pointer and a string, as a daemon's records hold.
type ballastNode struct {
	next *ballastNode
	name string
	n    [4]int64
}

// makeBallast allocates about size bytes of ballastNodes, each with its
// own name.
func makeBallast(size int) []*ballastNode {
	const each = 96 // a node (56 bytes, in the 64-byte class) and its name (32)
	out := make([]*ballastNode, 0, size/each)
	var prev *ballastNode
	for range size / each {
		prev = &ballastNode{next: prev, name: fmt.Sprintf("program_%024d", len(out))}
		out = append(out, prev)
	}
	return out
}

// xmlrpcFloor answers XML-RPC calls with answers encoded at start.
type xmlrpcFloor struct {
	trim             *memtrim.Trimmer
	getState, getAll []byte
}

// newXMLRPCFloor encodes the answers: getState's, and getAllProcessInfo's
// for programs processes, in 4.2.5's form.
func newXMLRPCFloor(programs int, trim *memtrim.Trimmer) (*xmlrpcFloor, error) {
	f := &xmlrpcFloor{trim: trim}
	var err error
	if f.getState, err = xmlrpc.AppendResponse(nil, map[string]any{"statecode": 1, "statename": "RUNNING"}); err != nil {
		return nil, err
	}
	now := int(time.Now().Unix())
	infos := make([]any, programs)
	for i := range infos {
		name := fmt.Sprintf("p_%04d", i)
		infos[i] = map[string]any{
			"name": name, "group": name, "start": now - 3600, "stop": 0, "now": now,
			"state": 20, "statename": "RUNNING", "spawnerr": "", "exitstatus": 0,
			"logfile":        "/var/log/supervisor/" + name + "-stdout---supervisor-abcdefgh.log",
			"stdout_logfile": "/var/log/supervisor/" + name + "-stdout---supervisor-abcdefgh.log",
			"stderr_logfile": "/var/log/supervisor/" + name + "-stderr---supervisor-abcdefgh.log",
			"pid":            100000 + i, "description": fmt.Sprintf("pid %d, uptime 1:00:00", 100000+i),
		}
	}
	if f.getAll, err = xmlrpc.AppendResponse(nil, infos); err != nil {
		return nil, err
	}
	return f, nil
}

// ServeHTTP reads a call and writes the answer its method names.
func (f *xmlrpcFloor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.trim.Touch()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	answer := f.getState
	if bytes.Contains(body, []byte("getAllProcessInfo")) {
		answer = f.getAll
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.Write(answer)
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
	// httpSock and tcp are where a memory floor serves XML-RPC.
	httpSock, tcp string
}

// startGRPCFloor starts a childGRPCServer in dir and waits until it
// answers a health check.
func (h *harness) startGRPCFloor(ctx context.Context, dir string) (*grpcFloor, error) {
	return h.startFloor(ctx, &grpcFloor{sock: filepath.Join(dir, "floor.sock")}, dir)
}

// startMemFloor starts a childGRPCServer in dir as the memory floor of
// a daemon of programs processes whose idle heap holds ballastMiB, and
// waits until it answers a health check.
func (h *harness) startMemFloor(ctx context.Context, dir string, programs, ballastMiB int) (*grpcFloor, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	f := &grpcFloor{sock: filepath.Join(dir, "floor.sock"), httpSock: filepath.Join(dir, "floor-http.sock"), tcp: fmt.Sprintf("127.0.0.1:%d", port)}
	if err := os.Remove(f.httpSock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return h.startFloor(ctx, f, dir, "-http", f.httpSock, "-tcp", f.tcp, "-programs", fmt.Sprint(programs), "-ballast", fmt.Sprint(ballastMiB))
}

// startFloor starts f's server in dir with the extra arguments and waits
// until it answers a health check.
func (h *harness) startFloor(ctx context.Context, f *grpcFloor, dir string, extra ...string) (*grpcFloor, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f.h, f.exited = h, make(chan error, 1)
	if err := os.Remove(f.sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f.cmd = exec.Command(h.self, append([]string{childArg, "grpcserver", "-sock", f.sock}, extra...)...)
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
