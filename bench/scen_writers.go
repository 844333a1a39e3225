package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// scenarioWriters runs Writers children writing WriterRate bytes/s each in
// WriterChunk writes for WriterDur, and reports whether any write blocked
// (took longer than BlockedAfter, timed in the child) and whether every
// byte reached the log files. One run per daemon.
func (h *harness) scenarioWriters(ctx context.Context) error {
	n := h.opts.Writers
	blockedKids := h.metric("writers", fmt.Sprintf("children (of %d) with a write() blocked > %v", n, h.opts.BlockedAfter), "children", "lower").
		withTarget("ours: none", oursMaxAtMost(0))
	blockedWrites := h.metric("writers", fmt.Sprintf("writes blocked > %v (all children)", h.opts.BlockedAfter), "writes", "lower")
	blockedTime := h.metric("writers", "time spent in blocked writes (all children)", "s", "lower")
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
	for _, k := range order(0) {
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
		var kids, writes int
		var bt, mx, written int64
		for _, r := range res {
			if r.Blocked > 0 {
				kids++
			}
			writes += r.Blocked
			bt += r.BlockedNs
			mx = max(mx, r.MaxNs)
			written += r.Bytes
		}
		onDisk := globSize(filepath.Join(dir, "logs", "w*.log"))
		blockedKids.add(k, float64(kids))
		blockedWrites.add(k, float64(writes))
		blockedTime.add(k, float64(bt)/1e9)
		maxWrite.add(k, float64(mx)/1e6)
		lost.add(k, float64(written-onDisk))
		cpu.add(k, (cpu1 - cpu0).Seconds())
		os.RemoveAll(filepath.Join(dir, "logs"))
	}
	return nil
}

// waitResults waits until n result files are in dir (the children have
// finished) and reads them. The daemon is not polled meanwhile.
func (h *harness) waitResults(ctx context.Context, d *daemon, dir string, n int) ([]pacedResult, error) {
	deadline := time.Now().Add(h.opts.WriterDur*3 + 120*time.Second)
	for {
		ms, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(ms) >= n {
			var out []pacedResult
			for _, m := range ms {
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
