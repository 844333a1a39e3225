package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// chainLayers is the number of layers of the deps scenario's chain.
const chainLayers = 10

// chainPrograms returns chainLayers programs of perLayer processes each
// (startsecs=0); with deps, every layer depends on the whole previous one
// (depends_on=<layer>, condition running).
func chainPrograms(perLayer int, deps bool) string {
	var b strings.Builder
	for l := 0; l < chainLayers; l++ {
		fmt.Fprintf(&b, "[program:layer%02d]\ncommand=sleep 100000\nprocess_name=%%(program_name)s_%%(process_num)02d\nnumprocs=%d\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n", l, perLayer)
		if deps && l > 0 {
			fmt.Fprintf(&b, "depends_on=layer%02d\n", l-1)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// scenarioDeps measures, on our daemon only, the start of IdlePrograms
// programs as a chain of chainLayers dependency layers (each layer
// starts once the previous one is RUNNING) against the same programs
// without dependencies: the time from the daemon's start until every
// process is RUNNING. With startsecs=0 the difference is the cost of
// ordering the start, not of waiting for startsecs.
func (h *harness) scenarioDeps(ctx context.Context) error {
	perLayer := max(1, h.opts.IdlePrograms/chainLayers)
	n := perLayer * chainLayers
	for rep := 0; rep < h.opts.Reps; rep++ {
		for _, deps := range []bool{false, true} {
			name := fmt.Sprintf("daemon start → %d processes RUNNING, no dependencies", n)
			dir := fmt.Sprintf("deps-none-r%d", rep)
			if deps {
				name = fmt.Sprintf("daemon start → %d processes RUNNING, %d dependency layers of %d", n, chainLayers, perLayer)
				dir = fmt.Sprintf("deps-chain-r%d", rep)
			}
			d, err := h.startDaemon(ctx, ours, h.runDir(dir), chainPrograms(perLayer, deps))
			if err != nil {
				return err
			}
			took, err := d.waitAll(ctx, n, "RUNNING", 120*time.Second)
			if err == nil {
				_, err = d.shutdown(120 * time.Second)
			}
			d.kill(60 * time.Second)
			if err != nil {
				return err
			}
			h.metric("deps", name, "s", "lower").add(ours, took.Seconds())
		}
	}
	return nil
}
