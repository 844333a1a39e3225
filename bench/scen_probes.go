package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// probePrograms returns n [program:pNNNN] sections running `sleep
// 100000`, each with probe (an option line such as
// "liveness_probe=exec:/bin/true"), or none when probe is "".
func probePrograms(n int, probe string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[program:p%04d]\ncommand=sleep 100000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n%s\n\n", i, probe)
	}
	return b.String()
}

// scenarioProbes measures, on our daemon only (4.2.5 has no probes), what
// probes cost: the daemon's CPU per minute with IdlePrograms programs
// that each have a 1-second exec probe (/bin/true) against the same
// programs without probes; and the latency of getAllProcessInfo while
// every one of those probes times out each second, against none.
func (h *harness) scenarioProbes(ctx context.Context) error {
	n := h.opts.IdlePrograms
	const probe = "liveness_probe=exec:/bin/true\nliveness_period=1\nliveness_timeout=1"
	const hung = "liveness_probe=exec:sleep 30\nliveness_period=1\nliveness_timeout=1\nliveness_action=report"
	for rep := 0; rep < h.opts.Reps; rep++ {
		base, err := h.probeCPU(ctx, fmt.Sprintf("probes-base-r%d", rep), probePrograms(n, ""))
		if err != nil {
			return err
		}
		with, err := h.probeCPU(ctx, fmt.Sprintf("probes-exec-r%d", rep), probePrograms(n, probe))
		if err != nil {
			return err
		}
		h.metric("probes", fmt.Sprintf("daemon CPU per minute, %d programs RUNNING, no probes", n), "CPU-s/min", "lower").add(ours, base)
		h.metric("probes", fmt.Sprintf("daemon CPU per minute, %d programs RUNNING, a 1 s exec probe (/bin/true) each", n), "CPU-s/min", "lower").add(ours, with)
		h.metric("probes", "daemon CPU per exec probe run (the difference over 60 runs per program per minute)", "ms", "lower").
			add(ours, (with-base)*1000/float64(60*n))
		for _, c := range []struct{ tag, programs string }{{"no probes", probePrograms(n, "")}, {fmt.Sprintf("%d probes timing out every second", n), probePrograms(n, hung)}} {
			dir := "probes-lat-base-r"
			if c.programs != probePrograms(n, "") {
				dir = "probes-lat-hung-r"
			}
			p50, p99, err := h.probeLatency(ctx, dir+fmt.Sprint(rep), n, c.programs)
			if err != nil {
				return err
			}
			h.metric("probes", "getAllProcessInfo latency p50, "+c.tag, "ms", "lower").add(ours, p50)
			h.metric("probes", "getAllProcessInfo latency p99, "+c.tag, "ms", "lower").add(ours, p99)
		}
	}
	return nil
}

// probeCPU runs our daemon on programs until they are all RUNNING, lets it
// settle, and returns its CPU per minute over the idle window.
func (h *harness) probeCPU(ctx context.Context, name, programs string) (float64, error) {
	n := h.opts.IdlePrograms
	d, err := h.startDaemon(ctx, ours, h.runDir(name), programs)
	if err != nil {
		return 0, err
	}
	defer d.kill(60 * time.Second)
	if _, err := d.waitAll(ctx, n, "RUNNING", 120*time.Second); err != nil {
		return 0, err
	}
	if err := sleepCtx(ctx, h.opts.Settle); err != nil {
		return 0, err
	}
	before, err := cpuTime(d.pid())
	if err != nil {
		return 0, err
	}
	stopProf := h.prof.start(d, name)
	t0 := time.Now()
	if err := sleepCtx(ctx, h.opts.Idle); err != nil {
		return 0, err
	}
	stopProf()
	after, err := cpuTime(d.pid())
	if err != nil {
		return 0, err
	}
	window := time.Since(t0)
	if _, err := d.shutdown(120 * time.Second); err != nil {
		return 0, err
	}
	return (after - before).Seconds() * 60 / window.Seconds(), nil
}

// probeLatency runs our daemon on programs and times getAllProcessInfo
// calls, one after another, for the events window; it returns the p50 and
// p99 in milliseconds.
func (h *harness) probeLatency(ctx context.Context, name string, n int, programs string) (p50, p99 float64, err error) {
	d, err := h.startDaemon(ctx, ours, h.runDir(name), programs)
	if err != nil {
		return 0, 0, err
	}
	defer d.kill(60 * time.Second)
	if _, err := d.waitAll(ctx, n, "RUNNING", 120*time.Second); err != nil {
		return 0, 0, err
	}
	// Let the probes reach their steady state (every one timing out).
	if err := sleepCtx(ctx, h.opts.Settle+time.Second); err != nil {
		return 0, 0, err
	}
	var lat []float64
	end := time.Now().Add(h.opts.EventsDur)
	for time.Now().Before(end) {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		t0 := time.Now()
		_, err := d.api.All(cctx)
		cancel()
		if err != nil {
			return 0, 0, err
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
	}
	if _, err := d.shutdown(120 * time.Second); err != nil {
		return 0, 0, err
	}
	s := sortedCopy(lat)
	return percentile(s, 50), percentile(s, 99), nil
}
