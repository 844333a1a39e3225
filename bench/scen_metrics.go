package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// scenarioMetrics measures /metrics on our daemon (4.2.5 has none) with
// Programs programs RUNNING: the latency of a scrape (p50, p99) and the
// daemon's CPU per scrape; then whether a scrape every second slows the
// engine: the respawn interval of a crashing program and the GetState
// throughput, in a window without scraping and one with, alternating
// which comes first.
func (h *harness) scenarioMetrics(ctx context.Context) error {
	n := h.opts.Programs
	p50 := h.metric("metrics", fmt.Sprintf("GET /metrics with %d processes, p50 (ours only)", n), "ms", "lower")
	p99 := h.metric("metrics", fmt.Sprintf("GET /metrics with %d processes, p99 (ours only)", n), "ms", "lower")
	cpu := h.metric("metrics", fmt.Sprintf("daemon CPU per scrape with %d processes (ours only)", n), "ms", "lower")
	size := h.metric("metrics", fmt.Sprintf("exposition size with %d processes (ours only)", n), "KiB", "lower")
	respawn := map[bool]*Metric{
		false: h.metric("metrics", "respawn interval, median, no scrape (ours only)", "ms", "lower"),
		true:  h.metric("metrics", "respawn interval, median, /metrics scraped every 1 s (ours only)", "ms", "lower"),
	}
	state := map[bool]*Metric{
		false: h.metric("metrics", "GetState calls/s, no scrape (ours only)", "calls/s", "higher"),
		true:  h.metric("metrics", "GetState calls/s, /metrics scraped every 1 s (ours only)", "calls/s", "higher"),
	}
	for rep := 0; rep < h.opts.Reps; rep++ {
		dir := h.runDir(fmt.Sprintf("metrics-r%d", rep))
		d, err := h.startDaemon(ctx, ours, dir, sleepPrograms(n, 0, false)+respawnProgram)
		if err != nil {
			return err
		}
		err = h.metricsRun(ctx, d, rep, n, func(lat []float64, cpuPer time.Duration, bytes int) {
			s := sortedCopy(lat)
			p50.add(ours, percentile(s, 50))
			p99.add(ours, percentile(s, 99))
			cpu.add(ours, float64(cpuPer)/float64(time.Millisecond))
			size.add(ours, float64(bytes)/1024)
		}, func(scraping bool, respawnMs, calls float64) {
			respawn[scraping].add(ours, respawnMs)
			state[scraping].add(ours, calls)
		})
		if err != nil {
			d.kill(30 * time.Second)
			return err
		}
		if _, err := d.shutdown(120 * time.Second); err != nil {
			return err
		}
	}
	return nil
}

// scrapes is the number of scrapes timed per run.
const scrapes = 100

// metricsRun runs one repetition on d: the timed scrapes, then the two
// engine windows.
func (h *harness) metricsRun(ctx context.Context, d *daemon, rep, n int,
	scraped func(lat []float64, cpuPer time.Duration, bytes int), window func(scraping bool, respawnMs, calls float64)) error {
	// The crash program never stays RUNNING: wait for the sleeps.
	if err := waitRunning(ctx, d, n, 5*time.Minute); err != nil {
		return err
	}
	if err := sleepCtx(ctx, h.opts.Settle); err != nil {
		return err
	}
	client := unixHTTP(d.sock)
	defer client.CloseIdleConnections()
	lat := make([]float64, 0, scrapes)
	cpu0, err := cpuTime(d.pid())
	if err != nil {
		return err
	}
	bytes := 0
	for range scrapes {
		t0 := time.Now()
		b, err := scrape(ctx, client)
		if err != nil {
			return err
		}
		lat = append(lat, float64(time.Since(t0))/float64(time.Millisecond))
		bytes = b
	}
	cpu1, err := cpuTime(d.pid())
	if err != nil {
		return err
	}
	scraped(lat, (cpu1-cpu0)/scrapes, bytes)
	for _, scraping := range []bool{rep%2 == 1, rep%2 == 0} {
		respawnMs, calls, err := h.engineWindow(ctx, d, client, scraping)
		if err != nil {
			return err
		}
		window(scraping, respawnMs, calls)
	}
	return nil
}

// engineWindow runs GetState calls back to back for the respawn window
// (with a scrape every second if scraping) and returns the median respawn
// interval of the crashing program in the window and the calls per second.
func (h *harness) engineWindow(ctx context.Context, d *daemon, client *http.Client, scraping bool) (float64, float64, error) {
	wctx, cancel := context.WithTimeout(ctx, h.opts.Respawn)
	defer cancel()
	var wg sync.WaitGroup
	if scraping {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				_, _ = scrape(wctx, client)
				select {
				case <-wctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	var calls atomic.Int64
	start := time.Now()
	for wctx.Err() == nil {
		if err := d.api.Ping(wctx); err == nil {
			calls.Add(1)
		}
	}
	end := time.Now()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	ts, err := logTimes(filepath.Join(d.dir, "supervisord.log"), "spawned: 'crash' with pid")
	if err != nil {
		return 0, 0, err
	}
	var gaps []float64
	for i := 1; i < len(ts); i++ {
		if ts[i-1].Before(start) || ts[i].After(end) {
			continue
		}
		gaps = append(gaps, float64(ts[i].Sub(ts[i-1]))/float64(time.Millisecond))
	}
	if len(gaps) == 0 {
		return 0, 0, fmt.Errorf("no respawn in the %v window", h.opts.Respawn)
	}
	return percentile(sortedCopy(gaps), 50), float64(calls.Load()) / end.Sub(start).Seconds(), nil
}

// waitRunning waits until at least n processes are RUNNING.
func waitRunning(ctx context.Context, d *daemon, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ps, err := d.api.All(ctx)
		c := 0
		for _, p := range ps {
			if p.State == "RUNNING" {
				c++
			}
		}
		if err == nil && c >= n {
			return nil
		}
		if d.isExited() {
			return d.errExited()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d processes RUNNING after %v", c, n, timeout)
		}
		if err := sleepCtx(ctx, d.h.opts.Poll); err != nil {
			return err
		}
	}
}

// unixHTTP returns an HTTP client for the daemon's unix socket.
func unixHTTP(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
}

// scrape reads /metrics once and returns its size.
func scrape(ctx context.Context, client *http.Client) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://localhost/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /metrics: %w", err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return int(n), err
}
