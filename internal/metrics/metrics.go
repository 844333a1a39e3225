package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc/codes"

	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// Registry is the metrics of one server: the core's collector, the RPC
// metrics and the daemon process's.
type Registry struct {
	reg *prometheus.Registry
	rpc *RPC
}

// NewRegistry returns the registry of a server on core.
func NewRegistry(core *supervisor.Supervisor) *Registry {
	reg := prometheus.NewRegistry()
	rpc := newRPC()
	reg.MustRegister(
		newCoreCollector(core),
		rpc.requests, rpc.duration,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(),
	)
	return &Registry{reg: reg, rpc: rpc}
}

// RPC returns the RPC metrics, for the server's interceptor.
func (r *Registry) RPC() *RPC { return r.rpc }

// Handler serves the exposition (text format, or OpenMetrics when asked).
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
	})
}

// Gatherer returns the registry, for tests and benchmarks.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }

// RPC counts the API's calls and times them, per method and surface.
type RPC struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// rpcBuckets are the latency buckets of a call, in seconds: from 100 µs
// (a state read in-process) to 10 s (a start that waits for RUNNING).
var rpcBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

func newRPC() *RPC {
	return &RPC{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gsupervisor_rpc_requests_total",
			Help: "API calls handled, by surface (grpc, rest, xmlrpc, web, inprocess), method, kind (unary, stream) and gRPC status code.",
		}, []string{"surface", "method", "kind", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gsupervisor_rpc_duration_seconds",
			Help:    "Time to handle a unary API call, by surface and method.",
			Buckets: rpcBuckets,
		}, []string{"surface", "method"}),
	}
}

// Unary records one unary call.
func (r *RPC) Unary(surface, method string, code codes.Code, d time.Duration) {
	r.requests.WithLabelValues(surface, method, "unary", code.String()).Inc()
	r.duration.WithLabelValues(surface, method).Observe(d.Seconds())
}

// Stream records one stream, when it ends.
func (r *RPC) Stream(surface, method string, code codes.Code) {
	r.requests.WithLabelValues(surface, method, "stream", code.String()).Inc()
}

// coreCollector reads the core's state at each scrape.
type coreCollector struct {
	core *supervisor.Supervisor

	health, state, starts, restarts, startTime, uptime, exitCode, exitSignal *prometheus.Desc
	logBytes, logDropped, logRotations                                       *prometheus.Desc
	published, delivered, dropped, gaps, subscribers                         *prometheus.Desc
	consoleDropped, daemonState, info                                        *prometheus.Desc
}

// newCoreCollector returns the collector of core.
func newCoreCollector(core *supervisor.Supervisor) *coreCollector {
	proc := []string{"group", "process"}
	stream := []string{"group", "process", "stream"}
	d := prometheus.NewDesc
	return &coreCollector{
		core:           core,
		health:         d("gsupervisor_process_health", "1 for what the process's probes say (UNKNOWN without probes, STARTING, HEALTHY, UNHEALTHY), 0 for the others.", append(proc, "health"), nil),
		state:          d("gsupervisor_process_state", "1 for the state the process is in (Supervisor's states), 0 for the others.", append(proc, "state"), nil),
		starts:         d("gsupervisor_process_starts_total", "Children spawned for the process.", proc, nil),
		restarts:       d("gsupervisor_process_restarts_total", "Spawns made by autorestart or a back-off retry rather than a start request.", proc, nil),
		startTime:      d("gsupervisor_process_start_time_seconds", "When the process was last spawned, in seconds since the epoch (0 if never).", proc, nil),
		uptime:         d("gsupervisor_process_uptime_seconds", "How long the process has been up (0 unless STARTING, RUNNING or STOPPING).", proc, nil),
		exitCode:       d("gsupervisor_process_last_exit_code", "Exit status of the last child (-1 if a signal ended it; absent before the first exit).", proc, nil),
		exitSignal:     d("gsupervisor_process_last_exit_signal", "Signal that ended the last child (0 if it exited; absent before the first exit).", proc, nil),
		logBytes:       d("gsupervisor_process_log_bytes_total", "Bytes of the process's output written to its log file.", stream, nil),
		logDropped:     d("gsupervisor_process_log_dropped_bytes_total", "Bytes of the process's output that could not be written to its log file.", stream, nil),
		logRotations:   d("gsupervisor_process_log_rotations_total", "Rotations of the process's log file.", stream, nil),
		published:      d("gsupervisor_events_published_total", "Events published on the event bus.", nil, nil),
		delivered:      d("gsupervisor_events_delivered_total", "Events delivered to subscribers and event listener pools.", nil, nil),
		dropped:        d("gsupervisor_events_dropped_total", "Events a slow subscriber did not receive (each within a gap it was told of).", nil, nil),
		gaps:           d("gsupervisor_events_gaps_total", "Gaps subscribers were told of (slow subscriber, or events no longer retained).", nil, nil),
		subscribers:    d("gsupervisor_events_subscribers", "Open event subscriptions.", nil, nil),
		consoleDropped: d("gsupervisor_console_dropped_bytes_total", "Bytes of container output the daemon's stdout or stderr refused.", nil, nil),
		daemonState:    d("gsupervisor_daemon_state", "1 for the daemon's state (RUNNING, RESTARTING, SHUTDOWN), 0 for the others.", []string{"state"}, nil),
		info:           d("gsupervisor_build_info", "Always 1: the gsupervisor version and the Supervisor version it replaces.", []string{"version", "supervisor_version"}, nil),
	}
}

// Describe sends every metric's description.
func (c *coreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.health, c.state, c.starts, c.restarts, c.startTime, c.uptime, c.exitCode, c.exitSignal,
		c.logBytes, c.logDropped, c.logRotations, c.published, c.delivered, c.dropped, c.gaps, c.subscribers,
		c.consoleDropped, c.daemonState, c.info} {
		ch <- d
	}
}

// daemonStates are the daemon states reported.
var daemonStates = []supervisor.State{supervisor.StateRunning, supervisor.StateRestarting, supervisor.StateShutdown}

// Collect reads the core's state and sends the metrics.
func (c *coreCollector) Collect(ch chan<- prometheus.Metric) {
	gauge, counter := prometheus.GaugeValue, prometheus.CounterValue
	m := prometheus.MustNewConstMetric
	now := time.Now()
	for _, p := range c.core.ProcessStats() {
		g, n := p.Group, p.Name
		for _, st := range process.States {
			ch <- m(c.state, gauge, b2f(p.State == st), g, n, st.String())
		}
		for _, h := range probe.Healths {
			ch <- m(c.health, gauge, b2f(p.Health == h), g, n, h.String())
		}
		ch <- m(c.starts, counter, float64(p.Spawns), g, n)
		ch <- m(c.restarts, counter, float64(p.Restarts), g, n)
		start, up := 0.0, 0.0
		if !p.Start.IsZero() {
			start = float64(p.Start.UnixNano()) / 1e9
		}
		if p.Pid != 0 && !p.Start.IsZero() {
			up = now.Sub(p.Start).Seconds()
		}
		ch <- m(c.startTime, gauge, start, g, n)
		ch <- m(c.uptime, gauge, up, g, n)
		if !p.LastExit.Time.IsZero() {
			ch <- m(c.exitCode, gauge, float64(p.LastExit.Code), g, n)
			ch <- m(c.exitSignal, gauge, float64(p.LastExit.Signal), g, n)
		}
		if p.HasStdout {
			ch <- m(c.logBytes, counter, float64(p.Stdout.Written), g, n, "stdout")
			ch <- m(c.logDropped, counter, float64(p.Stdout.Dropped), g, n, "stdout")
			ch <- m(c.logRotations, counter, float64(p.Stdout.Rotations), g, n, "stdout")
		}
		if p.HasStderr {
			ch <- m(c.logBytes, counter, float64(p.Stderr.Written), g, n, "stderr")
			ch <- m(c.logDropped, counter, float64(p.Stderr.Dropped), g, n, "stderr")
			ch <- m(c.logRotations, counter, float64(p.Stderr.Rotations), g, n, "stderr")
		}
	}
	bus := c.core.Bus().Stats()
	ch <- m(c.published, counter, float64(bus.Published))
	ch <- m(c.delivered, counter, float64(bus.Delivered))
	ch <- m(c.dropped, counter, float64(bus.Dropped))
	ch <- m(c.gaps, counter, float64(bus.Gaps))
	ch <- m(c.subscribers, gauge, float64(bus.Subscribers))
	ch <- m(c.consoleDropped, counter, float64(c.core.ConsoleDropped()))
	st := c.core.State()
	for _, s := range daemonStates {
		ch <- m(c.daemonState, gauge, b2f(st == s), s.String())
	}
	ch <- m(c.info, gauge, 1, supervisor.Version, supervisor.SupervisorVersion)
}

// b2f is 1 for true, 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
