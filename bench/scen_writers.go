package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// scenarioWriters runs Writers children writing WriterRate bytes/s each in
// WriterChunk writes for WriterDur, and reports whether any write blocked
// (took longer than BlockedAfter, timed in the child) and whether every
// byte reached the log files. One run per daemon.
func (h *harness) scenarioWriters(ctx context.Context) error {
	n := h.opts.Writers
	blockedKids := h.metric("writers", fmt.Sprintf("children (of %d) with a write() blocked > %v", n, h.opts.BlockedAfter), "children", "lower").
		withTarget("ours: none, or no more than the floor", anyOf(oursMaxAtMost(0), oursAtMostFloor()))
	blockedKids.Note = "floor: the same children, each pipe drained into its file by a goroutine of the harness (read/write loop, 128 KiB reads), no daemon"
	blockedWrites := h.metric("writers", fmt.Sprintf("writes blocked > %v (all children)", h.opts.BlockedAfter), "writes", "lower")
	blockedTime := h.metric("writers", "time spent in blocked writes (all children)", "s", "lower")
	fullWrites := h.metric("writers", "writes that found the pipe full (waited for the daemon to drain it)", "writes", "lower")
	fullBlocked := h.metric("writers", fmt.Sprintf("writes blocked > %v that found the pipe full", h.opts.BlockedAfter), "writes", "lower")
	fullKids := h.metric("writers", fmt.Sprintf("children (of %d) with a write() blocked > %v on a full pipe", n, h.opts.BlockedAfter), "children", "lower")
	maxWrite := h.metric("writers", "longest write() of any child", "ms", "lower")
	lost := h.metric("writers", "bytes written but missing from the log files", "bytes", "lower").
		withTarget("ours: 0", oursMaxAtMost(0))
	cpu := h.metric("writers", fmt.Sprintf("daemon CPU over the run (%d × %s/s for %v)", n, fmtBytes(h.opts.WriterRate), h.opts.WriterDur), "CPU-s", "lower")
	programs := fmt.Sprintf(`[program:w]
command=%s %s paced -rate %d -chunk %d -dur %v -block %v -out %%(here)s/res
process_name=w%%(process_num)03d
numprocs=%d
startsecs=0
autorestart=false
stdout_logfile=%%(here)s/logs/w%%(process_num)03d.log
stdout_logfile_maxbytes=0
redirect_stderr=true

`, h.self, childArg, h.opts.WriterRate, h.opts.WriterChunk, h.opts.WriterDur, h.opts.BlockedAfter, n)
	record := func(k kind, res []pacedResult, logs string) {
		var kids, writes, full, fullB, fullK int
		var bt, mx, written int64
		for _, r := range res {
			if r.Blocked > 0 {
				kids++
			}
			writes += r.Blocked
			full += r.Full
			fullB += r.FullBlocked
			if r.FullBlocked > 0 {
				fullK++
			}
			bt += r.BlockedNs
			mx = max(mx, r.MaxNs)
			written += r.Bytes
		}
		blockedKids.add(k, float64(kids))
		blockedWrites.add(k, float64(writes))
		blockedTime.add(k, float64(bt)/1e9)
		fullWrites.add(k, float64(full))
		fullBlocked.add(k, float64(fullB))
		fullKids.add(k, float64(fullK))
		maxWrite.add(k, float64(mx)/1e6)
		lost.add(k, float64(written-globSize(filepath.Join(logs, "w*.log"))))
	}
	for _, k := range order(0) {
		if k == real && h.opts.OursOnly {
			continue
		}
		dir := h.runDir("writers-" + string(k))
		if err := os.MkdirAll(filepath.Join(dir, "res"), 0o755); err != nil {
			return err
		}
		d, err := h.startDaemon(ctx, k, dir, programs)
		if err != nil {
			return err
		}
		cpu0, err := cpuTime(d.pid())
		if err != nil {
			d.kill(30 * time.Second)
			return err
		}
		stopProf := h.prof.start(d, "writers")
		res, err := h.waitResults(ctx, d, filepath.Join(dir, "res"), n)
		stopProf()
		if err == nil {
			_, err = d.waitAll(ctx, n, "EXITED", 60*time.Second)
		}
		if err != nil {
			d.kill(30 * time.Second)
			return err
		}
		cpu1, err := cpuTime(d.pid())
		if err != nil {
			d.kill(30 * time.Second)
			return err
		}
		if _, err := d.shutdown(60 * time.Second); err != nil {
			return err
		}
		record(k, res, filepath.Join(dir, "logs"))
		cpu.add(k, (cpu1 - cpu0).Seconds())
		os.RemoveAll(filepath.Join(dir, "logs"))
	}
	dir := h.runDir("writers-floor")
	res, err := h.writersFloor(ctx, dir)
	if err != nil {
		return fmt.Errorf("writers floor: %w", err)
	}
	record(floor, res, dir)
	os.RemoveAll(dir)
	return nil
}

// writersFloor runs the writers scenario's children without a daemon: this
// process starts them with their stdout on pipes and drains each pipe into
// its own file with a goroutine (a read/write loop, 128 KiB reads), the
// plainest capture Go offers. It returns their results.
func (h *harness) writersFloor(ctx context.Context, dir string) ([]pacedResult, error) {
	resDir := filepath.Join(dir, "res")
	if err := os.MkdirAll(resDir, 0o755); err != nil {
		return nil, err
	}
	var cmds []*exec.Cmd
	defer func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
			h.untrack(c)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, h.opts.Writers)
	for i := range h.opts.Writers {
		name := fmt.Sprintf("w%03d", i)
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			return nil, err
		}
		r, w, err := os.Pipe()
		if err != nil {
			f.Close()
			return nil, err
		}
		c := exec.Command(h.self, childArg, "paced", "-rate", fmt.Sprint(h.opts.WriterRate), "-chunk", fmt.Sprint(h.opts.WriterChunk),
			"-dur", h.opts.WriterDur.String(), "-block", h.opts.BlockedAfter.String(), "-out", resDir)
		c.Env = append(os.Environ(), "SUPERVISOR_PROCESS_NAME="+name)
		c.Stdout, c.Stderr = w, w
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		err = h.track(c, nil)
		w.Close()
		if err != nil {
			r.Close()
			f.Close()
			return nil, err
		}
		cmds = append(cmds, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			_, err := copyRW(f, r)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			errs[i] = err
		}()
	}
	var werr error
	for _, c := range cmds {
		if err := c.Wait(); err != nil && werr == nil {
			werr = fmt.Errorf("writer: %w", err)
		}
		h.untrack(c)
	}
	cmds = nil
	wg.Wait()
	if err := errors.Join(append(errs, werr)...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ms, err := filepath.Glob(filepath.Join(resDir, "*.json"))
	if err != nil {
		return nil, err
	}
	return readPaced(ms)
}

// readPaced reads the paced writers' result files.
func readPaced(files []string) ([]pacedResult, error) {
	var out []pacedResult
	for _, m := range files {
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		var r pacedResult
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("result %s: %w", m, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// waitResults waits until n result files are in dir (the children have
// finished) and reads them. The daemon is not polled meanwhile.
func (h *harness) waitResults(ctx context.Context, d *daemon, dir string, n int) ([]pacedResult, error) {
	deadline := time.Now().Add(h.opts.WriterDur*3 + 120*time.Second)
	for {
		ms, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(ms) >= n {
			return readPaced(ms)
		}
		if d.isExited() {
			return nil, d.errExited()
		}
		if time.Now().After(deadline) {
			var names []string
			for _, m := range ms {
				names = append(names, filepath.Base(m))
			}
			return nil, fmt.Errorf("%s: %d of %d writers reported by %v (%s)", d.kind, len(ms), n, time.Since(d.started), strings.Join(names, " "))
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
}
