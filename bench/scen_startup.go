package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// sleepPrograms returns n [program:pNNNN] sections running `sleep 100000`,
// with AUTO child logs or, when noLogs is set, none.
func sleepPrograms(n, startsecs int, noLogs bool) string {
	logs := ""
	if noLogs {
		logs = "stdout_logfile=NONE\nstderr_logfile=NONE\n"
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[program:p%04d]\ncommand=sleep 100000\nstartsecs=%d\n%s\n", i, startsecs, logs)
	}
	return b.String()
}

// scenarioStartup measures start-up to all RUNNING (startsecs=1 and 0),
// RSS, stop-all and shutdown with Programs programs, and the fork/exec
// floor.
func (h *harness) scenarioStartup(ctx context.Context) error {
	n := h.opts.Programs
	// Create the rows in report order.
	for _, ss := range []int{1, 0} {
		h.metric("startup", startupName(n, ss, h.opts.Poll), "s", "lower")
	}
	for rep := 0; rep < h.opts.Reps; rep++ {
		if err := h.forkFloor(ctx, n); err != nil {
			return fmt.Errorf("fork/exec floor: %w", err)
		}
		if h.opts.StartupLogs != "none" {
			if err := h.logFilesFloor(rep, 2*n); err != nil {
				return fmt.Errorf("log files floor: %w", err)
			}
		}
		for _, k := range order(rep) {
			if k == real && h.opts.OursOnly {
				continue
			}
			for _, ss := range []int{1, 0} {
				if err := h.startupRun(ctx, k, ss, rep); err != nil {
					return fmt.Errorf("%s, startsecs=%d: %w", k, ss, err)
				}
			}
		}
	}
	return nil
}

// startupRun starts a daemon with n sleep programs and measures it until
// it has exited again.
func (h *harness) startupRun(ctx context.Context, k kind, ss, rep int) error {
	n := h.opts.Programs
	dir := h.runDir(fmt.Sprintf("startup-%s-ss%d-r%d", k, ss, rep))
	d, err := h.startDaemon(ctx, k, dir, sleepPrograms(n, ss, h.opts.StartupLogs == "none"))
	if err != nil {
		return err
	}
	defer d.kill(60 * time.Second)
	stopProf := func() {}
	if ss == 0 {
		stopProf = h.prof.start(d, "startup")
	}
	took, err := d.waitAll(ctx, n, "RUNNING", 180*time.Second)
	stopProf()
	if err != nil {
		return err
	}
	// The daemon's own CPU since it was exec'd (its children's is not in
	// it): steadier than the wall time, and what takes the two cores from
	// the children's exec.
	if cpu, err := cpuTime(d.pid()); err == nil {
		h.metric("startup", fmt.Sprintf("daemon CPU (utime+stime) from start to all %d RUNNING, startsecs=%d", n, ss), "CPU-s", "lower").
			add(k, cpu.Seconds())
	} else {
		h.note("startup %s startsecs=%d rep %d: daemon CPU: %v", k, ss, rep, err)
	}
	m := h.metric("startup", startupName(n, ss, h.opts.Poll), "s", "lower")
	if ss == 0 {
		m.withTarget("ours ≤ real/10 and ≤ 1.5× floor", allOf(ratioAtMost(0.1), floorRatioAtMost(1.5)))
	} else {
		m.withTarget("ours ≤ real/10", ratioAtMost(0.1))
	}
	m.add(k, took.Seconds())
	if ss == 0 {
		m.Note = "child logs: " + h.opts.StartupLogs + "; floor: fork/exec of as many `sleep 100000` from Go directly, sequentially, each with stdout+stderr pipes and its own process group"
	}
	h.log.Info("startup", "daemon", k, "startsecs", ss, "rep", rep, "took", took.Round(time.Millisecond))
	last, c, err := lastLogTime(filepath.Join(dir, "supervisord.log"), "entered RUNNING state")
	if err == nil && c >= n {
		h.metric("startup", fmt.Sprintf("daemon start → last 'entered RUNNING' main log line, startsecs=%d", ss), "s", "lower").
			withTarget("ours ≤ real/10", ratioAtMost(0.1)).add(k, last.Sub(d.started).Seconds())
	} else {
		h.note("startup %s startsecs=%d rep %d: main log: %d 'entered RUNNING' lines (%v)", k, ss, rep, c, err)
	}
	mem, err := h.settledMem(ctx, d, "rss")
	if err != nil {
		return err
	}
	h.metric("rss", fmt.Sprintf("daemon VmRSS with %d programs RUNNING", n), "MiB", "lower").
		withTarget("ours ≤ real/2", ratioAtMost(0.5)).add(k, mib(mem.RSS))
	h.metric("rss", fmt.Sprintf("daemon VmHWM (peak RSS) after starting %d programs", n), "MiB", "lower").
		add(k, float64(mem.HWM)/(1<<20))
	h.metric("rss", fmt.Sprintf("daemon OS threads with %d programs RUNNING", n), "threads", "lower").
		add(k, float64(mem.Threads))
	if ss == 0 {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Second)
		t0 := time.Now()
		err := d.api.StopAll(cctx)
		stopTook := time.Since(t0)
		cancel()
		if err != nil {
			return fmt.Errorf("stop all: %w", err)
		}
		if _, err := d.waitAll(ctx, n, "STOPPED", 60*time.Second); err != nil {
			return fmt.Errorf("after stop all: %w", err)
		}
		h.metric("stop", fmt.Sprintf("stopAllProcesses(wait) of %d RUNNING", n), "s", "lower").
			withTarget("ours ≤ real", ratioAtMost(1)).add(k, stopTook.Seconds())
		down, err := d.shutdown(120 * time.Second)
		if err != nil {
			return err
		}
		h.metric("stop", "shutdown (SIGTERM → daemon exited) with 0 running, after stop-all", "s", "lower").
			withTarget("ours ≤ real", ratioAtMost(1)).add(k, down.Seconds())
		return nil
	}
	down, err := d.shutdown(120 * time.Second)
	if err != nil {
		return err
	}
	h.metric("stop", fmt.Sprintf("shutdown (SIGTERM → daemon exited) with %d RUNNING", n), "s", "lower").
		withTarget("ours ≤ real", ratioAtMost(1)).add(k, down.Seconds())
	return nil
}

// forkFloor measures fork/exec of n `sleep 100000` from Go directly, each
// with stdout and stderr pipes and its own process group (what a supervisor
// has to do at least), then kills them.
func (h *harness) forkFloor(ctx context.Context, n int) error {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		return err
	}
	var cmds []*exec.Cmd
	var files []*os.File
	defer func() {
		for _, c := range cmds {
			syscall.Kill(c.Process.Pid, syscall.SIGKILL)
		}
		for _, c := range cmds {
			c.Wait()
			h.untrack(c)
		}
		for _, f := range files {
			f.Close()
		}
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		outR, outW, err := os.Pipe()
		if err != nil {
			return err
		}
		errR, errW, err := os.Pipe()
		if err != nil {
			outR.Close()
			outW.Close()
			return err
		}
		files = append(files, outR, errR)
		c := exec.Command(sleep, "100000")
		c.Stdout, c.Stderr = outW, errW
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		err = h.track(c, nil)
		outW.Close()
		errW.Close()
		if err != nil {
			return err
		}
		cmds = append(cmds, c)
	}
	took := time.Since(t0)
	h.metric("startup", startupName(n, 0, h.opts.Poll), "s", "lower").add(floor, took.Seconds())
	return nil
}

// logFilesFloor measures creating n new files in a new directory, one
// after the other, each with O_EXCL and a random name, then closing them:
// what a daemon with AUTO child logs does (both daemons, at start-up) on
// top of the fork/exec floor, which does not include it.
func (h *harness) logFilesFloor(rep, n int) error {
	dir := h.runDir(fmt.Sprintf("floor-files-r%d", rep))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		f, err := os.CreateTemp(dir, fmt.Sprintf("p%04d-stdout---floor-*.log", i))
		if err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	h.metric("startup", fmt.Sprintf("floor: create %d log files, one after the other (the AUTO child logs of the start-up above; not in its floor)", n), "s", "lower").
		add(floor, time.Since(t0).Seconds())
	return nil
}

// startupName is the name of the polled start-up metric.
func startupName(n, startsecs int, poll time.Duration) string {
	return fmt.Sprintf("daemon start → all %d RUNNING, startsecs=%d (getAllProcessInfo polled every %v)", n, startsecs, poll)
}
