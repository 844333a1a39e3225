package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// scenarioIdle measures the CPU both daemons use over the same idle window
// with IdlePrograms programs RUNNING. Both daemons idle at the same time:
// idling costs so little CPU that they do not disturb each other, and the
// window is the longest part of the default run.
func (h *harness) scenarioIdle(ctx context.Context) error {
	n := h.opts.IdlePrograms
	ds := map[kind]*daemon{}
	defer func() {
		for _, d := range ds {
			d.kill(60 * time.Second)
		}
	}()
	for _, k := range []kind{ours, real} {
		d, err := h.startDaemon(ctx, k, h.runDir("idle-"+string(k)), sleepPrograms(n, 1, false))
		if err != nil {
			return err
		}
		ds[k] = d
	}
	for _, k := range []kind{ours, real} {
		if _, err := ds[k].waitAll(ctx, n, "RUNNING", 120*time.Second); err != nil {
			return err
		}
	}
	if err := sleepCtx(ctx, h.opts.Settle); err != nil {
		return err
	}
	before := map[kind]time.Duration{}
	for k, d := range ds {
		c, err := cpuTime(d.pid())
		if err != nil {
			return err
		}
		before[k] = c
	}
	stopProf := h.prof.start(ds[ours], "idle")
	t0 := time.Now()
	if err := sleepCtx(ctx, h.opts.Idle); err != nil {
		return err
	}
	window := time.Since(t0)
	stopProf()
	name := fmt.Sprintf("daemon CPU (utime+stime) per idle minute, %d programs RUNNING, over %v", n, h.opts.Idle)
	m := h.metric("idle", name, "CPU-s/min", "lower").withTarget("ours ≤ real", ratioAtMost(1))
	m.Note = fmt.Sprintf("/proc/<pid>/stat ticks are %v: over %v one tick is %.3f CPU-s/min", clockTick, h.opts.Idle, clockTick.Seconds()*60/h.opts.Idle.Seconds())
	for k, d := range ds {
		c, err := cpuTime(d.pid())
		if err != nil {
			return err
		}
		m.add(k, (c-before[k]).Seconds()*60/window.Seconds())
		if mem, err := readMem(d.pid()); err == nil {
			h.metric("idle", fmt.Sprintf("daemon VmRSS with %d programs RUNNING (after the idle window)", n), "MiB", "lower").
				withTarget("ours ≤ real/2", ratioAtMost(0.5)).add(k, float64(mem.RSS)/(1<<20))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ds))
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.shutdown(120 * time.Second); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
