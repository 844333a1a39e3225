package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// procInfo is the part of a process's information the scenarios use.
type procInfo struct {
	Name  string
	Group string
	State string // the legacy state name: RUNNING, EXITED, ...
	Pid   int
}

// api is how the harness drives a daemon: the same calls over XML-RPC for
// both daemons, or over gRPC for ours when it does not serve XML-RPC.
type api interface {
	// Kind names the protocol ("XML-RPC" or "gRPC").
	Kind() string
	// Ping checks the daemon answers (getState).
	Ping(ctx context.Context) error
	// All returns every process (getAllProcessInfo).
	All(ctx context.Context) ([]procInfo, error)
	// Count returns how many processes are in state, of how many
	// (getAllProcessInfo, read with as little of the harness's CPU as
	// possible: it polls while the daemon is being measured).
	Count(ctx context.Context, state string) (inState, total int, err error)
	// Start starts one process (startProcess).
	Start(ctx context.Context, name string, wait bool) error
	// StopAll stops every process and waits (stopAllProcesses(wait=True)).
	StopAll(ctx context.Context) error
	// Close releases the connection.
	Close()
}

// errNoXMLRPC is returned by newXMLRPC's probe when /RPC2 is not served.
var errNoXMLRPC = errors.New("/RPC2 not served")

// xmlrpcAPI is an XML-RPC client over the daemon's unix socket.
type xmlrpcAPI struct {
	who    string // which daemon, for errors
	client *http.Client
}

// newXMLRPC returns an XML-RPC client for the unix socket at sock of the
// daemon named who.
func newXMLRPC(sock, who string) *xmlrpcAPI {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
		// A connection per call: a kept-alive connection that the
		// server closed while idle fails the next POST with EOF (and a
		// POST is not retried), which would fail a run for nothing.
		DisableKeepAlives: true,
	}
	return &xmlrpcAPI{who: who, client: &http.Client{Transport: tr}}
}

func (x *xmlrpcAPI) Kind() string { return "XML-RPC" }

func (x *xmlrpcAPI) Close() { x.client.CloseIdleConnections() }

// call performs one method call and returns its decoded value; errors
// name the daemon and the method.
func (x *xmlrpcAPI) call(ctx context.Context, method string, params ...any) (any, error) {
	v, err := x.do(ctx, method, params...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", x.who, err)
	}
	return v, nil
}

// do performs one method call.
func (x *xmlrpcAPI) do(ctx context.Context, method string, params ...any) (any, error) {
	b, err := x.raw(ctx, method, params...)
	if err != nil {
		return nil, err
	}
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(b), maxAnswer)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return v, nil
}

// raw performs one method call and returns the response's body.
func (x *xmlrpcAPI) raw(ctx context.Context, method string, params ...any) ([]byte, error) {
	body, err := xmlrpc.AppendCall(nil, method, params...)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/RPC2", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := x.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			return nil, fmt.Errorf("%s: HTTP %s: %w", method, resp.Status, errNoXMLRPC)
		}
		return nil, fmt.Errorf("%s: HTTP %s", method, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	if len(b) > maxAnswer {
		return nil, fmt.Errorf("%s: the answer exceeds %d bytes", method, maxAnswer)
	}
	return b, nil
}

// maxAnswer is the largest answer the harness reads.
const maxAnswer = 64 << 20

// statenameKey starts the statename member of a process's struct.
var statenameKey = []byte("<name>statename</name>")

// Count scans getAllProcessInfo's response for the statename members
// instead of decoding it: a full decode of 1000 structs costs the harness
// more CPU than the daemon spends answering, on the cores the daemon under
// test shares. A response that is not a plain array of structs (a fault)
// is decoded, for its error.
func (x *xmlrpcAPI) Count(ctx context.Context, state string) (int, int, error) {
	const method = "supervisor.getAllProcessInfo"
	b, err := x.raw(ctx, method)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", x.who, err)
	}
	if !bytes.Contains(b[:min(len(b), 512)], []byte("<array>")) {
		if _, err := xmlrpc.DecodeResponse(bytes.NewReader(b), maxAnswer); err != nil {
			return 0, 0, fmt.Errorf("%s: %s: %w", x.who, method, err)
		}
		return 0, 0, fmt.Errorf("%s: %s: not an array: %.200q", x.who, method, b)
	}
	in, total := countStates(b, state)
	return in, total, nil
}

// countStates counts the statename members of an XML-RPC response (in
// either daemon's spacing) and those whose value is state.
func countStates(b []byte, state string) (inState, total int) {
	for {
		i := bytes.Index(b, statenameKey)
		if i < 0 {
			return inState, total
		}
		b = b[i+len(statenameKey):]
		total++
		b = bytes.TrimLeft(b, " \t\r\n")
		b = bytes.TrimPrefix(b, []byte("<value>"))
		b = bytes.TrimLeft(b, " \t\r\n")
		b = bytes.TrimPrefix(b, []byte("<string>"))
		if rest, ok := bytes.CutPrefix(b, []byte(state)); ok && len(rest) > 0 && rest[0] == '<' {
			inState++
		}
	}
}

func (x *xmlrpcAPI) Ping(ctx context.Context) error {
	_, err := x.call(ctx, "supervisor.getState")
	return err
}

func (x *xmlrpcAPI) All(ctx context.Context) ([]procInfo, error) {
	v, err := x.call(ctx, "supervisor.getAllProcessInfo")
	if err != nil {
		return nil, err
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("getAllProcessInfo: got %T, want an array", v)
	}
	out := make([]procInfo, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(xmlrpc.Struct)
		if !ok {
			return nil, fmt.Errorf("getAllProcessInfo: element is %T, want a struct", e)
		}
		var p procInfo
		if v, ok := s.Get("name"); ok {
			p.Name, _ = v.(string)
		}
		if v, ok := s.Get("group"); ok {
			p.Group, _ = v.(string)
		}
		if v, ok := s.Get("statename"); ok {
			p.State, _ = v.(string)
		}
		if v, ok := s.Get("pid"); ok {
			n, _ := v.(int64)
			p.Pid = int(n)
		}
		out = append(out, p)
	}
	return out, nil
}

func (x *xmlrpcAPI) Start(ctx context.Context, name string, wait bool) error {
	_, err := x.call(ctx, "supervisor.startProcess", name, wait)
	return err
}

func (x *xmlrpcAPI) StopAll(ctx context.Context) error {
	_, err := x.call(ctx, "supervisor.stopAllProcesses", true)
	return err
}

// grpcAPI drives our daemon through its gRPC services.
type grpcAPI struct {
	who  string // which daemon, for errors
	conn *grpc.ClientConn
	sup  gsupervisorv1.SupervisorServiceClient
	proc gsupervisorv1.ProcessServiceClient
}

// newGRPC returns a gRPC client for the unix socket at sock of the daemon
// named who.
func newGRPC(sock, who string) (*grpcAPI, error) {
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("grpc client for %s: %w", sock, err)
	}
	return &grpcAPI{who: who, conn: conn, sup: gsupervisorv1.NewSupervisorServiceClient(conn), proc: gsupervisorv1.NewProcessServiceClient(conn)}, nil
}

func (g *grpcAPI) Kind() string { return "gRPC" }

func (g *grpcAPI) Close() { g.conn.Close() }

func (g *grpcAPI) Ping(ctx context.Context) error {
	if _, err := g.sup.GetState(ctx, &gsupervisorv1.GetStateRequest{}); err != nil {
		return fmt.Errorf("%s: GetState: %w", g.who, err)
	}
	return nil
}

func (g *grpcAPI) All(ctx context.Context) ([]procInfo, error) {
	r, err := g.proc.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		return nil, fmt.Errorf("%s: ListProcesses: %w", g.who, err)
	}
	out := make([]procInfo, 0, len(r.GetProcesses()))
	for _, p := range r.GetProcesses() {
		out = append(out, procInfo{
			Name:  p.GetName(),
			Group: p.GetGroup(),
			State: strings.TrimPrefix(p.GetState().String(), "PROCESS_STATE_"),
			Pid:   int(p.GetPid()),
		})
	}
	return out, nil
}

func (g *grpcAPI) Count(ctx context.Context, state string) (int, int, error) {
	ps, err := g.All(ctx)
	if err != nil {
		return 0, 0, err
	}
	c := 0
	for _, p := range ps {
		if p.State == state {
			c++
		}
	}
	return c, len(ps), nil
}

func (g *grpcAPI) Start(ctx context.Context, name string, wait bool) error {
	if _, err := g.proc.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: name, Wait: wait}); err != nil {
		return fmt.Errorf("%s: StartProcess %s: %w", g.who, name, err)
	}
	return nil
}

func (g *grpcAPI) StopAll(ctx context.Context) error {
	if _, err := g.proc.StopAllProcesses(ctx, &gsupervisorv1.StopAllProcessesRequest{Wait: true}); err != nil {
		return fmt.Errorf("%s: StopAllProcesses: %w", g.who, err)
	}
	return nil
}
