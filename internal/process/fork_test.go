package process

import (
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// borrowingHost is a recorder whose children get a borrowed stdin (as an
// fcgi program gets its socket): a duplicate of /dev/null whose releases
// are counted.
type borrowingHost struct {
	*recorder
	lent, released atomic.Int32
}

func (h *borrowingHost) Stdin() (*os.File, func(), error) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return nil, nil, err
	}
	h.lent.Add(1)
	var once atomic.Bool
	return f, func() {
		if once.CompareAndSwap(false, true) {
			h.released.Add(1)
		}
	}, nil
}

// openFds lists the descriptors of this process.
func openFds(t *testing.T) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var fds []int
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			fds = append(fds, fd)
		}
	}
	return fds
}

// fdLimitFor returns the RLIMIT_NOFILE soft limit that leaves exactly n
// descriptors free (the kernel hands out the lowest free number).
func fdLimitFor(t *testing.T, n int) uint64 {
	open := openFds(t)
	free := 0
	for fd := 0; ; fd++ {
		if !slices.Contains(open, fd) {
			free++
			if free == n {
				return uint64(fd + 1)
			}
		}
	}
}

// TestSpawnFailuresLeakNothing spawns with fewer and fewer free
// descriptors, so that each step of the spawn (stdin, stdout and stderr
// pipes, the fork) fails in turn, and a child whose directory is missing:
// every failure is a spawn error or a child failure, and afterwards every
// descriptor is closed and the borrowed stdin given back once per loan.
func TestSpawnFailuresLeakNothing(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	spawn := func(mod func(*config.ProcessConfig), free int) (Info, *borrowingHost) {
		cfg := &config.ProcessConfig{
			Name: "p", Group: "p", Program: "p", Kind: config.KindProgram, Command: "true",
			Priority: 999, Autorestart: config.AutorestartNever, StartSecs: 60, StartRetries: 0, // every child dies before startsecs
			ExitCodes: []int{0}, StopSignal: syscall.SIGTERM, StopWaitSecs: 10,
		}
		if mod != nil {
			mod(cfg)
		}
		h := &borrowingHost{recorder: &recorder{}}
		p := New(cfg, &Env{Log: slog.New(slog.DiscardHandler), BaseEnv: os.Environ()}, h)
		if free > 0 {
			low := lim
			low.Cur = fdLimitFor(t, free)
			if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
				t.Fatal(err)
			}
		}
		_, err := p.Start()
		if free > 0 {
			if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
				t.Fatal(err)
			}
		}
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		return waitState(t, p, Fatal), h
	}
	noLeak := func(what string, before []int, h *borrowingHost) {
		t.Helper()
		testutil.Eventually(t, what+": every descriptor closed and the stdin given back", func() bool {
			return slices.Equal(openFds(t), before) && h.released.Load() == h.lent.Load()
		})
	}
	// Warm up what the first spawn creates once (the poller).
	spawn(nil, 0)

	sawResourceError := false
	for free := 1; free <= 8; free++ {
		before := openFds(t)
		info, h := spawn(nil, free)
		if strings.HasPrefix(info.SpawnErr, "too many open files to spawn 'p'") {
			sawResourceError = true
		} else if info.SpawnErr != "Exited too quickly (process log may have details)" {
			t.Fatalf("%d free descriptors: spawn error %q", free, info.SpawnErr)
		}
		noLeak(strconv.Itoa(free)+" free descriptors", before, h)
	}
	if !sawResourceError {
		t.Fatal("no spawn ran out of descriptors")
	}

	before := openFds(t)
	info, h := spawn(func(c *config.ProcessConfig) { c.Directory = "/nonexistent_dir" }, 0)
	if info.SpawnErr != "Exited too quickly (process log may have details)" {
		t.Fatalf("missing directory: spawn error %q", info.SpawnErr)
	}
	testutil.Eventually(t, "the child failure message", func() bool {
		return strings.Contains(h.out.String(), "supervisor: couldn't chdir to /nonexistent_dir: ENOENT\n")
	})
	noLeak("missing directory", before, h)
}
