package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	if isChild(os.Args) {
		os.Exit(runChild(os.Args))
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	os.Exit(runBench(ctx, opts, log))
}

// runBench runs the harness, always cleans up and writes the report (a
// partial one after a failure or an interrupt), and returns the exit
// status.
func runBench(ctx context.Context, opts Options, log *slog.Logger) int {
	h, err := newHarness(opts, log)
	if err != nil {
		log.Error("setup", "err", err)
		return 1
	}
	runErr := h.run(ctx)
	h.cleanup()
	h.report.Duration = time.Since(h.report.Started).Seconds()
	if runErr != nil {
		h.report.Notes = append(h.report.Notes, fmt.Sprintf("the run did not complete: %v", runErr))
	}
	if err := h.report.write(opts.Out); err != nil {
		log.Error("report", "err", err)
		return 1
	}
	abs, _ := filepath.Abs(filepath.Join(opts.Out, "report.md"))
	log.Info("report written", "path", abs)
	if runErr != nil {
		log.Error("run", "err", runErr)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}
