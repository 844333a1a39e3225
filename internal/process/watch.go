package process

import (
	"os"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/poller"
)

// watch arranges for the child's exit to be reported; exactly one watcher
// reaps each child. It is the child's pidfd on the daemon's poller, whose
// callback reaps the child: an idle child costs no goroutine and no
// thread. Without a pidfd (a kernel before 5.3 gives none) or when the
// poller cannot take it, a goroutine blocked in wait4 takes its place:
// the same report, at the cost of one OS thread per running child.
func (p *Process) watch(pid int, pidfd *os.File, outputDone <-chan struct{}, exited chan struct{}) {
	if pidfd != nil && watchPidfd(pid, pidfd, func(ws syscall.WaitStatus) {
		p.exitedWith(pid, ws, pidfd, outputDone, exited)
	}) {
		return
	}
	go func() {
		ws, _ := reap(pid, true)
		p.exitedWith(pid, ws, pidfd, outputDone, exited)
	}()
}

// watchPidfd registers the child's pidfd with the poller; its callback
// reaps the child and calls exited. It reports false, having done nothing,
// when the poller does not take the pidfd.
func watchPidfd(pid int, pidfd *os.File, exited func(syscall.WaitStatus)) bool {
	pl, err := poller.Default()
	if err != nil {
		return false
	}
	_, err = pl.Add(rawFd(pidfd), func(h *poller.Handle) {
		ws, ok := reap(pid, false)
		if !ok && h.Rearm() == nil {
			return // spurious: not exited yet
		}
		h.Remove()
		if !ok {
			ws, _ = reap(pid, true)
		}
		exited(ws)
	})
	return err == nil
}

// rawFd returns the descriptor of f without changing its blocking mode
// (os.File.Fd would make it blocking).
func rawFd(f *os.File) int {
	fd := -1
	if rc, err := f.SyscallConn(); err == nil {
		_ = rc.Control(func(d uintptr) { fd = int(d) })
	}
	return fd
}

// reap collects the child's exit status; without block, it reports false
// if the child has not exited yet.
func reap(pid int, block bool) (syscall.WaitStatus, bool) {
	var ws syscall.WaitStatus
	opts := syscall.WNOHANG
	if block {
		opts = 0
	}
	for {
		wpid, err := syscall.Wait4(pid, &ws, opts, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			// ECHILD: already reaped; nothing more will come.
			removeManaged(pid)
			return ws, true
		}
		if wpid == pid {
			removeManaged(pid)
		}
		return ws, wpid == pid
	}
}
