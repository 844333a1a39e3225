package recovery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/procfs"
)

// ErrDaemonRunning is returned by Recover when the daemon that wrote the
// state file still runs.
var ErrDaemonRunning = errors.New("another supervisord runs on this pidfile")

// killWait bounds the wait for a process after SIGKILL.
const killWait = 10 * time.Second

// Recover stops the children a previous daemon of the configuration file
// config left running when it died, as recorded in the state file path,
// and removes the file. It returns once every such child is gone (each
// bounded by its stopwaitsecs, then SIGKILL), or ctx ends. A state file
// of another configuration is left to its daemon's recovery (and
// reported); one whose daemon still runs is an error.
func Recover(ctx context.Context, path, config string, log *slog.Logger) error {
	s, err := readState(path)
	if err != nil {
		log.Warn(fmt.Sprintf("%v; not looking for processes left running", err))
		os.Remove(path)
		return nil
	}
	if s == nil {
		return nil
	}
	if alive(s.Daemon) && s.Daemon.PID != os.Getpid() {
		return fmt.Errorf("%w: pid %d (see %s)", ErrDaemonRunning, s.Daemon.PID, path)
	}
	if s.Config != config {
		log.Warn(fmt.Sprintf("the state file %s was written by a supervisord on %s, not %s; leaving its processes alone", path, s.Config, config))
		return nil
	}
	if len(s.Children) > 0 {
		log.Warn(fmt.Sprintf("supervisord (pid %d) did not shut down cleanly; stopping the processes it left running", s.Daemon.PID))
	}
	var wg sync.WaitGroup
	for _, c := range s.Children {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stopLeftover(ctx, c, log)
		}()
	}
	wg.Wait()
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove the state file: %w", err)
	}
	return ctx.Err()
}

// alive reports whether p still runs (same pid, same start time).
func alive(p Proc) bool {
	st, err := procfs.ReadStat(p.PID)
	return err == nil && st.StartTime == p.StartTime && !st.Zombie()
}

// stopLeftover stops one recorded child, if it is still the same process.
func stopLeftover(ctx context.Context, c Child, log *slog.Logger) {
	fd, err := unix.PidfdOpen(c.PID, 0)
	if err != nil {
		log.Info(fmt.Sprintf("leftover '%s' (pid %d) is no longer running", c.Name, c.PID))
		return
	}
	defer unix.Close(fd)
	// The pidfd was opened first: if the start time matches now, the fd
	// refers to the recorded process whatever happens to the pid later.
	st, err := procfs.ReadStat(c.PID)
	if err != nil || st.Zombie() {
		log.Info(fmt.Sprintf("leftover '%s' (pid %d) is no longer running", c.Name, c.PID))
		return
	}
	if st.StartTime != c.StartTime {
		log.Info(fmt.Sprintf("leftover '%s' (pid %d) is no longer running; pid %d is another process now, left alone", c.Name, c.PID, c.PID))
		return
	}
	group := st.PGID == c.PID
	sig := c.Signal
	if sig == 0 {
		sig = syscall.SIGTERM
	}
	log.Warn(fmt.Sprintf("stopping leftover '%s' (pid %d) with %s", c.Name, c.PID, config.SignalName(sig)))
	send(fd, c.PID, sig, c.AsGroup && group)
	if exited(ctx, fd, time.Duration(c.WaitSecs)*time.Second) {
		log.Info(fmt.Sprintf("stopped leftover '%s' (pid %d)", c.Name, c.PID))
		return
	}
	if ctx.Err() != nil {
		return
	}
	log.Warn(fmt.Sprintf("killing leftover '%s' (pid %d) with SIGKILL", c.Name, c.PID))
	send(fd, c.PID, syscall.SIGKILL, c.KillAsGroup && group)
	if exited(ctx, fd, killWait) {
		log.Info(fmt.Sprintf("stopped leftover '%s' (pid %d)", c.Name, c.PID))
		return
	}
	log.Error(fmt.Sprintf("leftover '%s' (pid %d) survived SIGKILL", c.Name, c.PID))
}

// send signals the process behind fd, or its whole process group (whose
// id is pid; the group exists while its verified leader runs).
func send(fd, pid int, sig syscall.Signal, group bool) {
	if group {
		syscall.Kill(-pid, sig)
		return
	}
	unix.PidfdSendSignal(fd, sig, nil, 0)
}

// exited waits up to d for the process behind fd to exit.
func exited(ctx context.Context, fd int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left < 0 {
			left = 0
		}
		// Wake up at least every 100 ms to notice ctx.
		ms := min(left.Milliseconds(), 100)
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, int(ms))
		if n > 0 {
			return true
		}
		if err != nil && !errors.Is(err, syscall.EINTR) {
			return false
		}
		if ctx.Err() != nil || left == 0 {
			return false
		}
	}
}
