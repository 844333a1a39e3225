package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// Container mode (issue 18). `container=auto` (the default) turns it on
// when the daemon is PID 1, which it only is as a container's init (or in
// a fresh PID namespace); true and false force it. In container mode the
// daemon:
//
//   - stays in the foreground (as with nodaemon=true): a daemon that forks
//     away as PID 1 would end the container at once;
//   - reaps the orphans re-parented to it (as PID 1, or as a
//     child-subreaper when it is not PID 1), as 4.2.5 does as PID 1;
//   - exits once every program has finished (exit_when_finished defaults
//     to on), with a status that says what happened;
//   - copies every program's output to its own stdout and stderr, each
//     line prefixed with the program's name (container_output defaults to
//     prefixed, or json with logformat=json).
//
// SIGTERM and SIGINT always begin the ordered shutdown; shutdown_timeout
// bounds it to fit an orchestrator's grace period.

// containerMode reports whether container mode is on for cfg.
func containerMode(cfg *config.Config) bool {
	return cfg.Supervisord.Container.Resolve(os.Getpid() == initPid)
}

// consoleFormat resolves container_output for cfg.
func consoleFormat(cfg *config.Config) config.OutputFormat {
	sd := cfg.Supervisord
	if sd.ContainerOutput != config.OutputAuto {
		return sd.ContainerOutput
	}
	if !containerMode(cfg) {
		return config.OutputNone
	}
	if sd.LogFormat == config.LogJSON {
		return config.OutputJSON
	}
	return config.OutputPrefixed
}

// newConsole returns the console of cfg, or nil for none.
func newConsole(cfg *config.Config) *logs.Console {
	switch consoleFormat(cfg) {
	case config.OutputPrefixed:
		return logs.NewConsole(os.Stdout, os.Stderr, false)
	case config.OutputJSON:
		return logs.NewConsole(os.Stdout, os.Stderr, true)
	}
	return nil
}

// startReaper reaps orphans for the daemon's whole life when it is PID 1,
// or in container mode as a child-subreaper (so that a program's
// descendants whose parent exits come back to the daemon, not to the
// container's real init). It reports what it did, for the main log.
func startReaper(cfg *config.Config, log func() *slog.Logger) string {
	switch {
	case os.Getpid() == initPid:
		go process.ReapOrphans(context.Background(), log)
		return "container mode: supervisord is PID 1 and reaps orphaned processes"
	case containerMode(cfg):
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return fmt.Sprintf("container mode: could not become a child subreaper: %v", err)
		}
		go process.ReapOrphans(context.Background(), log)
		return "container mode: supervisord is a child subreaper and reaps orphaned processes"
	}
	return ""
}
