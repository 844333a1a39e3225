package process

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/config"
)

// managed holds the pids this package spawned and has not reaped yet; the
// orphan reaper leaves them to their watchers.
var (
	managedMu sync.RWMutex // read-held across a fork until the pid is recorded
	managed   = make(map[int]struct{})
)

// addManagedLocked records a spawned pid; the caller holds managedMu for
// reading (concurrent spawns record concurrently, hence the inner lock).
func addManagedLocked(pid int) {
	managedAdd.Lock()
	managed[pid] = struct{}{}
	managedAdd.Unlock()
}

// managedAdd serialises additions made under the read lock.
var managedAdd sync.Mutex

func removeManaged(pid int) {
	managedMu.Lock()
	delete(managed, pid)
	managedMu.Unlock()
}

// ReapOrphans reaps, whenever SIGCHLD arrives, the children of this
// process that it did not spawn: programs' descendants re-parented to the
// daemon when it runs as PID 1 (in a container) or as a subreaper. It
// logs "reaped unknown pid N (exit status S)" as 4.2.5 does, and never
// touches a supervised process (its own watcher reaps it, by pid). It
// returns when ctx ends. log returns the logger to use (the daemon's main
// log changes on a restart).
func ReapOrphans(ctx context.Context, log func() *slog.Logger) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGCHLD)
	defer signal.Stop(sig)
	for {
		reapOrphansOnce(log)
		select {
		case <-ctx.Done():
			return
		case <-sig:
		}
	}
}

// reapOrphansOnce reaps every exited child that is not supervised.
func reapOrphansOnce(log func() *slog.Logger) {
	managedMu.Lock()
	defer managedMu.Unlock()
	for _, pid := range children() {
		if _, ok := managed[pid]; ok {
			continue
		}
		var ws syscall.WaitStatus
		wpid, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err != nil || wpid != pid {
			continue
		}
		desc, _ := ExitDescription(ws, config.SignalName)
		log().Info(fmt.Sprintf("reaped unknown pid %d (%s)", pid, desc))
	}
}

// children lists the child pids of this process (all its threads), from
// /proc (CONFIG_PROC_CHILDREN).
func children() []int {
	paths, _ := filepath.Glob("/proc/self/task/*/children")
	var pids []int
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
