package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// scenarioAPI measures the cost of API calls with APIPrograms programs
// RUNNING: the daemon's CPU per call (utime+stime of the daemon over the
// load, divided by the calls), the load generator's CPU per call (this
// process), throughput and latency, and the daemon's RSS idle, right after
// the load and once it has had RecoverWithin to give memory back.
//
// The XML-RPC load runs on both daemons: getAllProcessInfo (APICalls
// sequential calls, at most APIWindow), a getState storm of APIClients
// keep-alive clients over TCP ([inet_http_server] on 127.0.0.1) for
// APIStorm, and one sequential keep-alive getState client over the unix
// socket. On ours the same is then done over native gRPC on the unix
// socket (ListProcesses, GetState).
func (h *harness) scenarioAPI(ctx context.Context) error {
	for rep := 0; rep < h.opts.Reps; rep++ {
		for _, k := range order(rep) {
			if k == real && h.opts.OursOnly {
				continue
			}
			if err := h.apiRun(ctx, k, rep); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	}
	return nil
}

// apiRun is one daemon's run of the API scenario.
func (h *harness) apiRun(ctx context.Context, k kind, rep int) error {
	n := h.opts.APIPrograms
	port, err := freePort()
	if err != nil {
		return err
	}
	inet := fmt.Sprintf("[inet_http_server]\nport=127.0.0.1:%d\n\n", port)
	d, err := h.startDaemon(ctx, k, h.runDir(fmt.Sprintf("api-%s-r%d", k, rep)), inet+sleepPrograms(n, 0, false))
	if err != nil {
		return err
	}
	defer d.kill(60 * time.Second)
	// The main log, not getAllProcessInfo: the real daemon's answer with
	// 1000 processes takes seconds of CPU, tens of seconds on a loaded
	// machine.
	if err := d.waitLogged(ctx, "entered RUNNING state", n, 300*time.Second); err != nil {
		return err
	}
	// Idle for as long as the recovery readings below wait after a load,
	// so that "after ÷ idle" compares the same quiet time: an idle daemon
	// still touches code (timers, TICK events) whose pages come back
	// after a trim.
	if err := sleepCtx(ctx, max(0, h.opts.RecoverWithin-h.opts.Settle)); err != nil {
		return err
	}
	idle, err := h.settledMem(ctx, d, "api-idle")
	if err != nil {
		return err
	}
	h.metric("api", idleRSSName(n), "MiB", "lower").
		withTarget("ours ≤ 20 MiB", oursAtMost(20)).add(k, mib(idle.RSS))
	// VmRSS is the private memory plus the mapped file pages: the
	// binary's code and data that are resident, and the libraries'.
	h.metric("api", fmt.Sprintf("daemon RssAnon (heap, stacks), %d idle programs", n), "MiB", "lower").add(k, mib(idle.Anon))
	h.metric("api", fmt.Sprintf("daemon RssFile (binary and libraries), %d idle programs", n), "MiB", "lower").add(k, mib(idle.File))

	unix := func() *http.Client { return keepAliveClient("unix", d.sock) }
	tcp := func() *http.Client { return keepAliveClient("tcp", fmt.Sprintf("127.0.0.1:%d", port)) }
	getAll, _ := xmlrpc.AppendCall(nil, "supervisor.getAllProcessInfo")
	getState, _ := xmlrpc.AppendCall(nil, "supervisor.getState")

	stop := h.prof.start(d, "api-getAllProcessInfo")
	r, err := h.load(ctx, d.pid(), 1, h.opts.APICalls, h.opts.APIWindow, xmlrpcCaller(unix, getAll))
	stop()
	if err != nil {
		return fmt.Errorf("getAllProcessInfo: %w", err)
	}
	r.record(h, k, getAllName(n), 2000, 5)

	stop = h.prof.start(d, "api-getState-storm")
	r, err = h.load(ctx, d.pid(), h.opts.APIClients, 0, h.opts.APIStorm, xmlrpcCaller(tcp, getState))
	stop()
	if err != nil {
		return fmt.Errorf("getState storm: %w", err)
	}
	storm := getStateStormName(h.opts.APIClients)
	r.record(h, k, storm, 0, 0)
	h.metric("api", storm+": daemon CPU per call", "µs", "lower").withTarget("ours ≤ real/10", ratioAtMost(0.1))
	h.metric("api", storm+": calls/s", "calls/s", "higher").withTarget("ours ≥ 10× real", ratioAtLeast(10))

	r, err = h.load(ctx, d.pid(), 1, 0, h.opts.APIStorm/2, xmlrpcCaller(unix, getState))
	if err != nil {
		return fmt.Errorf("getState sequential: %w", err)
	}
	r.record(h, k, getStateSeqName, 0, 0)

	if err := h.recovery(ctx, d, k, idle.RSS, "after the XML-RPC load"); err != nil {
		return err
	}
	if k != ours {
		_, err := d.shutdown(300 * time.Second)
		return err
	}
	return h.apiGRPC(ctx, d, k, idle.RSS)
}

// getAllName is the name of the getAllProcessInfo load's rows, with n
// processes.
func getAllName(n int) string {
	return fmt.Sprintf("XML-RPC getAllProcessInfo, %d processes, one sequential client (unix socket)", n)
}

// getStateStormName is the name of the getState storm's rows, with
// clients keep-alive clients.
func getStateStormName(clients int) string {
	return fmt.Sprintf("XML-RPC getState, %d keep-alive clients (TCP)", clients)
}

// idleRSSName is the name of the idle RSS row, with n programs.
func idleRSSName(n int) string { return fmt.Sprintf("daemon VmRSS, %d idle programs RUNNING", n) }

// rssRatioName is the name of the row of the RSS within after a load
// (after names it) over the idle RSS.
func rssRatioName(within time.Duration, after string) string {
	return fmt.Sprintf("daemon VmRSS %v %s ÷ idle VmRSS", within, after)
}

// getStateSeqName is the name of the sequential getState load's rows.
const getStateSeqName = "XML-RPC getState, one sequential keep-alive client (unix socket)"

// apiGRPC is the native gRPC part of our daemon's API run.
func (h *harness) apiGRPC(ctx context.Context, d *daemon, k kind, idle int64) error {
	n := h.opts.APIPrograms
	stop := h.prof.start(d, "api-ListProcesses")
	r, err := h.load(ctx, d.pid(), 1, h.opts.APICalls, h.opts.APIWindow, grpcCaller(d.sock, func(ctx context.Context, c *grpc.ClientConn) error {
		resp, err := gsupervisorv1.NewProcessServiceClient(c).ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err == nil && len(resp.GetProcesses()) != n {
			err = fmt.Errorf("ListProcesses: %d processes, want %d", len(resp.GetProcesses()), n)
		}
		return err
	}))
	stop()
	if err != nil {
		return fmt.Errorf("ListProcesses: %w", err)
	}
	r.record(h, k, fmt.Sprintf("gRPC ListProcesses, %d processes, one sequential client (unix socket)", n), 1000, 0)

	// storm runs the clients' calls on the server pid serving sock for
	// the storm's duration, profiling our daemon as profile (not when "").
	storm := func(profile string, pid int, sock string, call func(context.Context, *grpc.ClientConn) error) (loadResult, error) {
		if profile != "" {
			defer h.prof.start(d, profile)()
		}
		return h.load(ctx, pid, h.opts.APIClients, 0, h.opts.APIStorm, grpcCaller(sock, call))
	}
	name := func(what string) string {
		return fmt.Sprintf("%s, %d clients (a connection each, unix socket)", what, h.opts.APIClients)
	}
	getState := func(ctx context.Context, c *grpc.ClientConn) error {
		_, err := gsupervisorv1.NewSupervisorServiceClient(c).GetState(ctx, &gsupervisorv1.GetStateRequest{})
		return err
	}
	check := func(ctx context.Context, c *grpc.ClientConn) error {
		_, err := healthpb.NewHealthClient(c).Check(ctx, &healthpb.HealthCheckRequest{})
		return err
	}
	r, err = storm("api-GetState-grpc", d.pid(), d.sock, getState)
	if err != nil {
		return fmt.Errorf("GetState: %w", err)
	}
	r.record(h, k, name("gRPC GetState"), 15, 0)
	// The same storm on the daemon's health service, whose handler does
	// nothing: what the daemon's gRPC stack (HTTP/2, framing, syscalls,
	// its interceptors) costs a call.
	r, err = storm("api-HealthCheck-grpc", d.pid(), d.sock, check)
	if err != nil {
		return fmt.Errorf("Health/Check: %w", err)
	}
	r.record(h, k, name("gRPC Health/Check"), 0, 0)
	// And on a bare grpc-go server (its own health service, no
	// interceptor, our daemon's fixed window): what any Go gRPC server's
	// call costs on this machine, the floor of both rows above.
	f, err := h.startGRPCFloor(ctx, h.runDir("api-grpc-floor"))
	if err != nil {
		return err
	}
	r, err = storm("", f.pid(), f.sock, check)
	f.stop()
	if err != nil {
		return fmt.Errorf("Health/Check on the bare gRPC server: %w", err)
	}
	for _, what := range []string{"gRPC GetState", "gRPC Health/Check"} {
		m := h.metric("api", name(what)+": daemon CPU per call", "µs", "lower")
		m.addNote("floor: a bare grpc-go server (its own health service, no interceptor, our fixed flow-control window) answering Health/Check, the same storm")
		m.add(floor, r.perCall(r.daemonCPU))
	}
	if err := h.recovery(ctx, d, k, idle, "after the gRPC load"); err != nil {
		return err
	}
	if _, err = d.shutdown(120 * time.Second); err != nil {
		return err
	}
	return h.apiMemFloor(ctx)
}

// ballastPerProgram is the memory floor's live heap per program: our
// daemon's idle heap holds about 8 MiB of live objects with 1000 programs
// (heap profiles of the harness's -profile runs).
const ballastPerProgram = 8 << 10

// apiMemFloor runs the api scenario's loads on a bare Go server (the
// memory floor, startMemFloor) holding as much live heap as our daemon
// does idle, with the same pauses, and records its RSS after each load
// against its idle RSS as the floor of our daemon's rows: what any Go
// server keeps after such a load, once it has given back what it can.
// The XML-RPC loads' rows (CPU per call, latency) get its figures as
// their floor too: the same client and transport, with no work for the
// answer.
func (h *harness) apiMemFloor(ctx context.Context) error {
	n := h.opts.APIPrograms
	f, err := h.startMemFloor(ctx, h.runDir("api-mem-floor"), n, n*ballastPerProgram>>20)
	if err != nil {
		return err
	}
	defer f.stop()
	if err := sleepCtx(ctx, h.opts.RecoverWithin); err != nil {
		return err
	}
	idle, err := readMem(f.pid())
	if err != nil {
		return err
	}
	const note = "floor: a bare Go server (net/http and grpc-go, answers encoded once, our daemon's trim after a burst) holding as much live heap as our idle daemon, the same loads"
	// The XML-RPC loads' cost and latency on it are the floor of ours:
	// the same client and transport with no work for the answer.
	const callNote = "floor: the same load on a bare Go server (net/http) that answers with bytes encoded once"
	m := h.metric("api", idleRSSName(n), "MiB", "lower")
	m.addNote(note)
	m.add(floor, mib(idle.RSS))
	ratio := func(after string) error {
		if err := sleepCtx(ctx, h.opts.RecoverWithin); err != nil {
			return err
		}
		later, err := readMem(f.pid())
		if err != nil {
			return err
		}
		m := h.metric("api", rssRatioName(h.opts.RecoverWithin, after), "×", "lower")
		m.addNote(note)
		m.add(floor, float64(later.RSS)/float64(idle.RSS))
		return nil
	}

	unix := func() *http.Client { return keepAliveClient("unix", f.httpSock) }
	tcp := func() *http.Client { return keepAliveClient("tcp", f.tcp) }
	getAll, _ := xmlrpc.AppendCall(nil, "supervisor.getAllProcessInfo")
	getState, _ := xmlrpc.AppendCall(nil, "supervisor.getState")
	loads := []struct {
		name           string
		workers, calls int
		window         time.Duration
		mk             caller
	}{
		{getAllName(n), 1, h.opts.APICalls, h.opts.APIWindow, xmlrpcCaller(unix, getAll)},
		{getStateStormName(h.opts.APIClients), h.opts.APIClients, 0, h.opts.APIStorm, xmlrpcCaller(tcp, getState)},
		{getStateSeqName, 1, 0, h.opts.APIStorm / 2, xmlrpcCaller(unix, getState)},
	}
	for _, l := range loads {
		r, err := h.load(ctx, f.pid(), l.workers, l.calls, l.window, l.mk)
		if err != nil {
			return fmt.Errorf("memory floor: %s: %w", l.name, err)
		}
		r.record(h, floor, l.name, 0, 0)
		for _, row := range []string{": daemon CPU per call", ": latency p50", ": latency p99"} {
			h.metric("api", l.name+row, "", "").addNote(callNote)
		}
	}
	if err := ratio("after the XML-RPC load"); err != nil {
		return err
	}
	check := grpcCaller(f.sock, func(ctx context.Context, c *grpc.ClientConn) error {
		_, err := healthpb.NewHealthClient(c).Check(ctx, &healthpb.HealthCheckRequest{})
		return err
	})
	// Our daemon's gRPC load: sequential calls, then two storms.
	if _, err := h.load(ctx, f.pid(), 1, h.opts.APICalls, h.opts.APIWindow, check); err != nil {
		return fmt.Errorf("memory floor: sequential Health/Check: %w", err)
	}
	for range 2 {
		if _, err := h.load(ctx, f.pid(), h.opts.APIClients, 0, h.opts.APIStorm, check); err != nil {
			return fmt.Errorf("memory floor: Health/Check storm: %w", err)
		}
	}
	return ratio("after the gRPC load")
}

// recovery records the daemon's RSS right after a load and RecoverWithin
// later, against its idle RSS.
func (h *harness) recovery(ctx context.Context, d *daemon, k kind, idle int64, after string) error {
	now, err := readMem(d.pid())
	if err != nil {
		return err
	}
	h.metric("api", "daemon VmRSS right "+after, "MiB", "lower").add(k, mib(now.RSS))
	if err := sleepCtx(ctx, h.opts.RecoverWithin); err != nil {
		return err
	}
	later, err := readMem(d.pid())
	if err != nil {
		return err
	}
	h.prof.memory(d, "api-"+after)
	h.metric("api", fmt.Sprintf("daemon VmRSS %v %s", h.opts.RecoverWithin, after), "MiB", "lower").add(k, mib(later.RSS))
	h.metric("api", fmt.Sprintf("daemon RssAnon %v %s", h.opts.RecoverWithin, after), "MiB", "lower").add(k, mib(later.Anon))
	h.metric("api", fmt.Sprintf("daemon RssFile %v %s", h.opts.RecoverWithin, after), "MiB", "lower").add(k, mib(later.File))
	h.metric("api", rssRatioName(h.opts.RecoverWithin, after), "×", "lower").
		withTarget("ours ≤ 1.05", oursAtMost(1.05)).add(k, float64(later.RSS)/float64(idle))
	return nil
}

// settledMem waits for Settle, then reads the daemon's memory and, when
// profiling, writes its heap profile as name.
func (h *harness) settledMem(ctx context.Context, d *daemon, name string) (memStatus, error) {
	if err := sleepCtx(ctx, h.opts.Settle); err != nil {
		return memStatus{}, err
	}
	mem, err := readMem(d.pid())
	if err != nil {
		return memStatus{}, err
	}
	h.prof.memory(d, name)
	return mem, nil
}

// mib converts bytes to MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }

// caller makes one worker's calls: setup returns the function that makes
// one call (and its clean-up); each worker calls setup once.
type caller func() (call func(ctx context.Context) error, done func(), err error)

// loadResult is what one load measured.
type loadResult struct {
	calls     int
	wall      time.Duration
	daemonCPU time.Duration
	selfCPU   time.Duration
	lat       []time.Duration // per call, when a single worker
	// first is the latency of the first call of a counted load: a new
	// connection to a daemon that has been idle (0 for a storm).
	first time.Duration
}

// warmupCalls is how many calls a counted load makes on each connection
// before it measures: the first (a new connection, a daemon back from
// idle) is recorded on its own, the rest are not recorded. A storm makes
// one per connection.
const warmupCalls = 5

// load runs workers that call as fast as they can until calls calls are
// made (0: no limit) or window has passed, and measures the daemon's CPU
// and this process's CPU over it. Each worker's first calls (warmupCalls,
// one for a storm) come before the measure.
func (h *harness) load(ctx context.Context, pid int, workers, calls int, window time.Duration, mk caller) (loadResult, error) {
	type worker struct {
		call func(context.Context) error
		done func()
	}
	ws := make([]worker, workers)
	var first time.Duration
	defer func() {
		for _, w := range ws {
			if w.done != nil {
				w.done()
			}
		}
	}()
	for i := range ws {
		call, done, err := mk()
		if err != nil {
			return loadResult{}, err
		}
		ws[i] = worker{call, done}
		warm := 1 // a storm: connect and check it works first
		if calls > 0 {
			warm = warmupCalls
		}
		for j := range warm {
			c0 := time.Now()
			if err := call(ctx); err != nil {
				return loadResult{}, err
			}
			if calls > 0 && i == 0 && j == 0 {
				first = time.Since(c0)
			}
		}
	}
	cpu0, err := cpuTime(pid)
	if err != nil {
		return loadResult{}, err
	}
	self0 := selfCPU()
	// Calls in flight at the end of the window complete (and count):
	// cutting one short would leave its CPU in the daemon's figure.
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	end := time.Now().Add(window)
	var made atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	lats := make([][]time.Duration, workers)
	t0 := time.Now()
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lctx.Err() == nil && time.Now().Before(end) && (calls == 0 || made.Add(1) <= int64(calls)) {
				c0 := time.Now()
				if err := w.call(lctx); err != nil {
					if lctx.Err() == nil {
						errs <- err
						cancel()
					}
					return
				}
				lats[i] = append(lats[i], time.Since(c0))
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	self := selfCPU() - self0
	cpu1, err := cpuTime(pid)
	if err != nil {
		return loadResult{}, err
	}
	close(errs)
	if err := <-errs; err != nil {
		return loadResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}
	r := loadResult{wall: wall, daemonCPU: cpu1 - cpu0, selfCPU: self, first: first}
	for _, l := range lats {
		r.calls += len(l)
		r.lat = append(r.lat, l...)
	}
	if r.calls == 0 {
		return loadResult{}, errors.New("no call completed within the window")
	}
	return r, nil
}

// perCall is d per call, in µs.
func (r loadResult) perCall(d time.Duration) float64 {
	return float64(d) / float64(time.Microsecond) / float64(r.calls)
}

// record adds the figures of a load to the report under name: daemon CPU
// per call (with a target of at most cpuTarget µs for ours when not 0),
// calls/s, the load generator's CPU per call, and latency percentiles
// (with a p99 target of at most p99Target ms when not 0).
func (r loadResult) record(h *harness, k kind, name string, cpuTarget, p99Target float64) {
	per := r.perCall
	m := h.metric("api", name+": daemon CPU per call", "µs", "lower")
	m.Note = fmt.Sprintf("/proc/<pid>/stat utime+stime over the load (%v ticks) ÷ calls", clockTick)
	if cpuTarget > 0 {
		m.withTarget(fmt.Sprintf("ours ≤ %s µs", fmtNum(cpuTarget)), oursAtMost(cpuTarget))
	}
	m.add(k, per(r.daemonCPU))
	h.metric("api", name+": calls/s", "calls/s", "higher").add(k, float64(r.calls)/r.wall.Seconds())
	h.metric("api", name+": calls made", "calls", "higher").add(k, float64(r.calls))
	h.metric("api", name+": load generator (harness) CPU per call", "µs", "lower").add(k, per(r.selfCPU))
	slices.Sort(r.lat)
	pct := func(q float64) float64 {
		return float64(r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))]) / float64(time.Millisecond)
	}
	h.metric("api", name+": latency p50", "ms", "lower").add(k, pct(0.5))
	p99 := h.metric("api", name+": latency p99", "ms", "lower")
	if p99Target > 0 {
		p99.withTarget(fmt.Sprintf("ours ≤ %s ms", fmtNum(p99Target)), oursAtMost(p99Target))
	}
	p99.add(k, pct(0.99))
	if r.first > 0 {
		m := h.metric("api", name+": latency of the first call", "ms", "lower")
		m.Note = fmt.Sprintf("a new connection to a daemon idle until then; then %d calls more before the measured ones", warmupCalls-1)
		m.add(k, float64(r.first)/float64(time.Millisecond))
	}
}

// keepAliveClient returns an HTTP client that keeps one connection to addr
// on network alive.
func keepAliveClient(network, addr string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 1,
	}}
}

// xmlrpcCaller returns a caller that POSTs body to /RPC2 with its own
// keep-alive client and checks the answer is a 200 methodResponse without
// a fault (without decoding it: the load generator's CPU is kept low).
func xmlrpcCaller(client func() *http.Client, body []byte) caller {
	return func() (func(context.Context) error, func(), error) {
		c := client()
		var buf bytes.Buffer
		call := func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/RPC2", bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "text/xml")
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			buf.Reset()
			if _, err := io.Copy(&buf, resp.Body); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("HTTP %s", resp.Status)
			}
			if !bytes.Contains(buf.Bytes(), []byte("<methodResponse>")) || bytes.Contains(buf.Bytes(), []byte("<fault>")) {
				return fmt.Errorf("not a successful methodResponse: %.200q", buf.Bytes())
			}
			return nil
		}
		return call, c.CloseIdleConnections, nil
	}
}

// grpcCaller returns a caller whose workers each have their own gRPC
// connection to the unix socket sock.
func grpcCaller(sock string, do func(context.Context, *grpc.ClientConn) error) caller {
	return func() (func(context.Context) error, func(), error) {
		conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, nil, fmt.Errorf("grpc client for %s: %w", sock, err)
		}
		return func(ctx context.Context) error { return do(ctx, conn) }, func() { conn.Close() }, nil
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// selfCPU returns this process's CPU time (user+system, all threads).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
