package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// listenerScript is the eventlistener of the latency measurement: a plain
// supervisor.childutils listener that appends "<pid> <unix-ns>" for every
// event it receives.
const listenerScript = `import sys, time
from supervisor import childutils

out = open(sys.argv[1], "a", buffering=1)
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    now = time.time_ns()
    ph, _ = childutils.eventdata(payload + "\n")
    out.write("%s %d\n" % (ph.get("pid", "0"), now))
    childutils.listener.ok(sys.stdout)
`

// flappers is the number of flapping programs of the latency measurement.
const flappers = 5

// listenerWait bounds the wait for the eventlistener's first event before
// the latency window opens, and how much longer than -events-dur the
// window may last until it holds one delivered exit. Both only bound a
// failure: Python starts slowly on a loaded machine.
const listenerWait = time.Minute

// scenarioEvents measures exit-to-delivery latency of PROCESS_STATE_EXITED
// (eventlistener on both daemons, gRPC on ours) and, on ours only, the
// event throughput to many gRPC subscribers.
func (h *harness) scenarioEvents(ctx context.Context) error {
	if err := h.eventsLatency(ctx); err != nil {
		return err
	}
	return h.eventsThroughput(ctx)
}

// eventsLatency runs flapping programs that record their exit time, with a
// childutils eventlistener (and, on ours, a gRPC subscriber) that record
// when they receive the EXITED event.
func (h *harness) eventsLatency(ctx context.Context) error {
	m := latencyMetrics{
		listenerP50: h.metric("events", "process exit → PROCESS_STATE_EXITED at an eventlistener (childutils), p50", "ms", "lower").
			withTarget("ours ≤ real", ratioAtMost(1)),
		listenerP99: h.metric("events", "process exit → PROCESS_STATE_EXITED at an eventlistener (childutils), p99", "ms", "lower").
			withTarget("ours ≤ real", ratioAtMost(1)),
		grpcP50: h.metric("events", "process exit → PROCESS_STATE_EXITED on a gRPC SubscribeEvents stream, p50 (ours only)", "ms", "lower"),
		grpcP99: h.metric("events", "process exit → PROCESS_STATE_EXITED on a gRPC SubscribeEvents stream, p99 (ours only)", "ms", "lower"),
	}
	for _, k := range order(0) {
		if err := h.latencyRun(ctx, k, m); err != nil {
			return err
		}
		m.listenerP50.Note = fmt.Sprintf("%d programs living 100-300 ms each, autorestart; exit time written by the child just before exit; samples: exits in a window of %v (longer until it holds a delivered exit) opened once the listener is up", flappers, h.opts.EventsDur)
	}
	return nil
}

// latencyMetrics are the metrics of the latency measurement.
type latencyMetrics struct {
	listenerP50, listenerP99, grpcP50, grpcP99 *Metric
}

// latencyRun measures the exit-to-delivery latencies on daemon k.
func (h *harness) latencyRun(ctx context.Context, k kind, m latencyMetrics) error {
	dir := h.runDir("events-lat-" + string(k))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "listener.py"), []byte(listenerScript), 0o644); err != nil {
		return err
	}
	programs := fmt.Sprintf(`[program:flap]
command=%s %s exiter -min 100ms -max 300ms -out %%(here)s/exits.log
process_name=flap%%(process_num)d
numprocs=%d
startsecs=0
autorestart=true
stdout_logfile=NONE
stderr_logfile=%%(here)s/logs/flap%%(process_num)d.err

[eventlistener:lat]
command=%s %%(here)s/listener.py %%(here)s/recv.log
events=PROCESS_STATE_EXITED
buffer_size=1000
stderr_logfile=%%(here)s/logs/listener.err

`, h.self, childArg, flappers, h.opts.Python)
	d, err := h.startDaemon(ctx, k, dir, programs)
	if err != nil {
		return err
	}
	if err := d.waitServing(ctx, 60*time.Second); err != nil {
		d.kill(30 * time.Second)
		return err
	}
	var sub *subscriber
	if k == ours {
		sub, err = subscribe(ctx, d.sock, []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE_EXITED}, true)
		if err != nil {
			d.kill(30 * time.Second)
			return err
		}
	}
	from, to, err := h.latencyWindow(ctx, dir)
	if sub != nil {
		sub.close()
	}
	if err != nil {
		d.kill(30 * time.Second)
		return err
	}
	if _, err := d.shutdown(60 * time.Second); err != nil {
		return err
	}
	exits, err := readPidTimes(filepath.Join(dir, "exits.log"))
	if err != nil {
		return err
	}
	recv, err := readPidTimes(filepath.Join(dir, "recv.log"))
	if err != nil {
		return err
	}
	lat, inWindow := latencies(exits, recv, from, to)
	h.log.Info("events latency", "daemon", k, "exits", inWindow, "delivered", len(lat))
	if len(lat) == 0 {
		h.note("events %s: none of %d exits in the window reached the eventlistener", k, inWindow)
	} else {
		if len(lat) < inWindow {
			h.note("events %s: %d of %d exits in the window reached the eventlistener", k, len(lat), inWindow)
		}
		m.listenerP50.add(k, percentile(lat, 50))
		m.listenerP99.add(k, percentile(lat, 99))
	}
	if sub != nil {
		glat, n := latencies(exits, sub.pidTimes(), from, to)
		if len(glat) < n {
			h.note("events ours: %d of %d exits in the window reached the gRPC subscriber", len(glat), n)
		}
		if len(glat) > 0 {
			m.grpcP50.add(k, percentile(glat, 50))
			m.grpcP99.add(k, percentile(glat, 99))
		}
	}
	return nil
}

// latencyWindow opens the latency window once the eventlistener of the
// run in dir has received its first event (it is up), and closes it after
// -events-dur, or later, once the window holds an exit that reached the
// listener. The window ends 500 ms before it closes, to leave time for
// the last deliveries.
func (h *harness) latencyWindow(ctx context.Context, dir string) (from, to time.Time, err error) {
	recvPath, exitsPath := filepath.Join(dir, "recv.log"), filepath.Join(dir, "exits.log")
	up, err := pollCtx(ctx, listenerWait, 50*time.Millisecond, func() bool {
		fi, err := os.Stat(recvPath)
		return err == nil && fi.Size() > 0
	})
	if err != nil {
		return from, to, err
	}
	if !up {
		return from, to, fmt.Errorf("the eventlistener received no event within %v", listenerWait)
	}
	from = time.Now()
	if err := sleepCtx(ctx, h.opts.EventsDur); err != nil {
		return from, to, err
	}
	_, err = pollCtx(ctx, listenerWait, 200*time.Millisecond, func() bool {
		to = time.Now().Add(-500 * time.Millisecond)
		exits, err1 := readPidTimes(exitsPath)
		recv, err2 := readPidTimes(recvPath)
		lat, _ := latencies(exits, recv, from, to)
		return err1 == nil && err2 == nil && len(lat) > 0
	})
	return from, to, err
}

// latencies returns the sorted delivery latencies in ms of the exits in
// [from, to] that were received, and how many exits were in the window.
func latencies(exits, recv map[int]int64, from, to time.Time) ([]float64, int) {
	var out []float64
	n := 0
	for pid, t := range exits {
		if t < from.UnixNano() || t > to.UnixNano() {
			continue
		}
		n++
		if r, ok := recv[pid]; ok {
			out = append(out, float64(r-t)/1e6)
		}
	}
	sort.Float64s(out)
	return out, n
}

// readPidTimes reads "<pid> <unix-ns>" lines (the first time of each pid).
func readPidTimes(path string) (map[int]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	out := map[int]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		pid, err1 := strconv.Atoi(a)
		t, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, dup := out[pid]; !dup {
			out[pid] = t
		}
	}
	return out, sc.Err()
}

// subscriber is one gRPC SubscribeEvents stream read by a goroutine.
type subscriber struct {
	conn   *grpc.ClientConn
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	recPids  bool
	pids     map[int]int64 // pid of EXITED events → receive time
	count    int64         // events received inside the window
	gapCount int64         // events reported missed inside the window
	first    uint64        // first serial inside the window
	last     uint64        // last serial inside the window
	counting bool
	err      error
}

// subscribe opens a stream on the daemon at sock and waits for its ready
// marker. With recPids it records the receive time of each event's pid.
func subscribe(ctx context.Context, sock string, types []gsupervisorv1.EventType, recPids bool) (*subscriber, error) {
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("grpc client: %w", err)
	}
	sctx, cancel := context.WithCancel(ctx)
	stream, err := gsupervisorv1.NewEventServiceClient(conn).SubscribeEvents(sctx, &gsupervisorv1.SubscribeEventsRequest{Types: types})
	if err != nil {
		cancel()
		conn.Close()
		return nil, fmt.Errorf("SubscribeEvents: %w", err)
	}
	s := &subscriber{conn: conn, cancel: cancel, done: make(chan struct{}), recPids: recPids, pids: map[int]int64{}}
	ready := make(chan struct{})
	go func() {
		defer close(s.done)
		isReady := false
		for {
			r, err := stream.Recv()
			now := time.Now().UnixNano()
			if err != nil {
				s.mu.Lock()
				if sctx.Err() == nil {
					s.err = err
				}
				s.mu.Unlock()
				if !isReady {
					close(ready)
				}
				return
			}
			switch r.GetKind().(type) {
			case *gsupervisorv1.SubscribeEventsResponse_Ready:
				if !isReady {
					isReady = true
					close(ready)
				}
			case *gsupervisorv1.SubscribeEventsResponse_Event:
				e := r.GetEvent()
				s.mu.Lock()
				if s.recPids {
					if pid := int(e.GetProcessState().GetPid()); pid != 0 {
						if _, dup := s.pids[pid]; !dup {
							s.pids[pid] = now
						}
					}
				}
				if s.counting {
					s.count++
					if s.first == 0 {
						s.first = e.GetSerial()
					}
					s.last = e.GetSerial()
				}
				s.mu.Unlock()
			case *gsupervisorv1.SubscribeEventsResponse_Gap:
				g := r.GetGap()
				s.mu.Lock()
				if s.counting {
					s.gapCount += int64(g.GetLastSerial() - g.GetFirstSerial() + 1)
				}
				s.mu.Unlock()
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		s.close()
		return nil, fmt.Errorf("SubscribeEvents: no ready marker within 30 s")
	}
	s.mu.Lock()
	err = s.err
	s.mu.Unlock()
	if err != nil {
		s.close()
		return nil, fmt.Errorf("SubscribeEvents: %w", err)
	}
	return s, nil
}

// setCounting opens or closes the counting window.
func (s *subscriber) setCounting(on bool) {
	s.mu.Lock()
	s.counting = on
	s.mu.Unlock()
}

// pidTimes returns a copy of the recorded pid receive times.
func (s *subscriber) pidTimes() map[int]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]int64, len(s.pids))
	for k, v := range s.pids {
		out[k] = v
	}
	return out
}

// close ends the stream and waits for its reader.
func (s *subscriber) close() {
	s.cancel()
	<-s.done
	s.conn.Close()
}

// eventsThroughput runs Flappers programs that exit at once and are
// restarted (autorestart, startsecs=0) with Subscribers gRPC streams
// subscribed to every event, on our daemon only.
func (h *harness) eventsThroughput(ctx context.Context) error {
	n, ns := h.opts.Flappers, h.opts.Subscribers
	programs := fmt.Sprintf(`[program:f]
command=/bin/true
process_name=f%%(process_num)03d
numprocs=%d
autostart=false
startsecs=0
autorestart=true
stdout_logfile=NONE
stderr_logfile=NONE

`, n)
	d, err := h.startDaemon(ctx, ours, h.runDir("events-tput"), programs)
	if err != nil {
		return err
	}
	defer d.kill(60 * time.Second)
	if err := d.waitServing(ctx, 60*time.Second); err != nil {
		return err
	}
	subs, err := subscribeAll(ctx, d.sock, ns)
	defer func() {
		for _, s := range subs {
			s.close()
		}
	}()
	if err != nil {
		return err
	}
	h.log.Info("events throughput: subscribed", "subscribers", ns, "after", time.Since(d.started).Round(time.Millisecond))
	w, err := h.flappingWindow(ctx, d, subs)
	if err != nil {
		return err
	}
	h.reportThroughput(subs, w, fmt.Sprintf("%d programs flapping (/bin/true, autorestart), %d gRPC subscribers of every event", n, ns))
	for _, s := range subs {
		s.close()
	}
	subs = nil
	took, err := d.shutdown(60 * time.Second)
	h.log.Info("events throughput: shut down", "took", took.Round(time.Millisecond), "err", err)
	return err
}

// subscribeAll opens n streams of every event on the daemon at sock; it
// returns those it opened, also on error.
func subscribeAll(ctx context.Context, sock string, n int) ([]*subscriber, error) {
	var subs []*subscriber
	for i := 0; i < n; i++ {
		s, err := subscribe(ctx, sock, nil, false)
		if err != nil {
			return subs, fmt.Errorf("subscriber %d: %w", i, err)
		}
		subs = append(subs, s)
	}
	return subs, nil
}

// window is a measurement window: its length and the daemon's CPU time
// spent in it.
type window struct {
	seconds float64
	cpu     time.Duration
}

// flappingWindow starts every program, lets the flapping ramp up for a
// second, then counts what the subscribers receive for EventsDur.
func (h *harness) flappingWindow(ctx context.Context, d *daemon, subs []*subscriber) (window, error) {
	conn, err := grpc.NewClient("unix://"+d.sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return window{}, fmt.Errorf("grpc client: %w", err)
	}
	defer conn.Close()
	if _, err := gsupervisorv1.NewProcessServiceClient(conn).StartAllProcesses(ctx, &gsupervisorv1.StartAllProcessesRequest{}); err != nil {
		return window{}, fmt.Errorf("StartAllProcesses: %w", err)
	}
	if err := sleepCtx(ctx, time.Second); err != nil {
		return window{}, err
	}
	cpu0, err := cpuTime(d.pid())
	if err != nil {
		return window{}, err
	}
	stopProf := h.prof.start(d, "events-throughput")
	t0 := time.Now()
	for _, s := range subs {
		s.setCounting(true)
	}
	err = sleepCtx(ctx, h.opts.EventsDur)
	for _, s := range subs {
		s.setCounting(false)
	}
	w := window{seconds: time.Since(t0).Seconds()}
	stopProf()
	if err != nil {
		return window{}, err
	}
	cpu1, err := cpuTime(d.pid())
	if err != nil {
		return window{}, err
	}
	w.cpu = cpu1 - cpu0
	return w, nil
}

// reportThroughput adds the metrics of a throughput window: events
// published and delivered per second, gaps, serials skipped without a gap
// marker, and the daemon's CPU. tag describes the run.
func (h *harness) reportThroughput(subs []*subscriber, w window, tag string) {
	var per []float64
	var total, gaps, holes int64
	var published uint64
	for _, s := range subs {
		s.mu.Lock()
		per = append(per, float64(s.count)/w.seconds)
		total += s.count
		gaps += s.gapCount
		if s.last >= s.first && s.count > 0 {
			span := s.last - s.first + 1
			published = max(published, span)
			holes += max(0, int64(span)-s.count-s.gapCount)
		}
		serr := s.err
		s.mu.Unlock()
		if serr != nil {
			h.note("events throughput: a subscriber's stream failed: %v", serr)
		}
	}
	h.metric("events", "events published/s (serials), "+tag, "events/s", "higher").add(ours, float64(published)/w.seconds)
	sort.Float64s(per)
	h.metric("events", "events delivered/s per subscriber (median of subscribers), "+tag, "events/s", "higher").add(ours, percentile(per, 50))
	h.metric("events", "events delivered/s to all subscribers, "+tag, "events/s", "higher").add(ours, float64(total)/w.seconds)
	h.metric("events", "events reported missed (gaps, all subscribers), "+tag, "events", "lower").add(ours, float64(gaps))
	h.metric("events", "serials skipped without a gap marker (all subscribers), "+tag, "events", "lower").
		withTarget("0 (overflow is visible, never silent)", oursMaxAtMost(0)).add(ours, float64(holes))
	h.metric("events", "daemon CPU during the window, "+tag, "CPU-s/s", "lower").add(ours, w.cpu.Seconds()/w.seconds)
}
