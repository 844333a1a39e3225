package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// respawnProgram is a program that exits at once with an unexpected code
// and is restarted at once (startsecs=0: never "too quickly"). Our
// crash-loop floor (restart_interval, which 4.2.5 ignores) is off: the
// engine's own speed is measured.
const respawnProgram = `[program:crash]
command=sh -c 'exit 1'
startsecs=0
autorestart=true
restart_interval=0
stdout_logfile=NONE
stderr_logfile=NONE

`

// scenarioRespawn measures the time between consecutive spawns of a
// crashing autorestart program, from the main log's "spawned:" lines.
func (h *harness) scenarioRespawn(ctx context.Context) error {
	median := h.metric("respawn", "time between consecutive spawns, median of a run (main log, 1 ms resolution)", "ms", "lower").
		withTarget("ours ≤ 5 ms", oursAtMost(5))
	avg := h.metric("respawn", "time between consecutive spawns, mean of a run ((last-first)/(spawns-1))", "ms", "lower").
		withTarget("ours < 10 ms", oursAtMost(10))
	count := h.metric("respawn", fmt.Sprintf("spawns in %v", h.opts.Respawn), "spawns", "higher")
	for rep := 0; rep < h.opts.Reps; rep++ {
		for _, k := range order(rep) {
			dir := h.runDir(fmt.Sprintf("respawn-%s-r%d", k, rep))
			d, err := h.startDaemon(ctx, k, dir, respawnProgram)
			if err != nil {
				return err
			}
			stopProf := h.prof.start(d, "respawn")
			err = sleepCtx(ctx, h.opts.Respawn)
			stopProf()
			if err != nil {
				d.kill(30 * time.Second)
				return err
			}
			if d.isExited() {
				return d.errExited()
			}
			if _, err := d.shutdown(60 * time.Second); err != nil {
				return err
			}
			ts, err := logTimes(filepath.Join(dir, "supervisord.log"), "spawned: 'crash' with pid")
			if err != nil {
				return err
			}
			count.add(k, float64(len(ts)))
			if len(ts) < 2 {
				h.note("respawn %s rep %d: only %d spawns in %v, no interval", k, rep, len(ts), h.opts.Respawn)
				continue
			}
			var gaps []float64
			for i := 1; i < len(ts); i++ {
				gaps = append(gaps, float64(ts[i].Sub(ts[i-1]))/float64(time.Millisecond))
			}
			median.add(k, percentile(sortedCopy(gaps), 50))
			avg.add(k, float64(ts[len(ts)-1].Sub(ts[0]))/float64(time.Millisecond)/float64(len(ts)-1))
		}
	}
	return nil
}
