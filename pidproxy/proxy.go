package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/procfs"
)

// forwarded are the signals supervisord sends that pidproxy passes on.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// proxy runs one command and follows the process its pidfile names.
type proxy struct {
	pidfile string
	stderr  io.Writer
	started time.Time
	sigs    chan os.Signal

	cmd     int // the command's pid, 0 once reaped
	last    syscall.WaitStatus
	reaped  bool // last holds a status
	target  *target
	refused map[int]bool // pids already reported as not ours
	gone    chan int     // a watched non-descendant exited (its pid)
}

// target is the process the pidfile names.
type target struct {
	pid    int
	fd     int // pidfd: signals reach this process even if the pid is reused
	status *syscall.WaitStatus
}

func newProxy(pidfile string, stderr io.Writer) (*proxy, error) {
	// Become the reaper of everything the command forks, so the
	// daemonized process stays a descendant whose exit status we get.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return nil, fmt.Errorf("cannot become a child subreaper: %w", err)
	}
	p := &proxy{
		pidfile: pidfile,
		stderr:  stderr,
		started: coarseNow(),
		sigs:    make(chan os.Signal, 32),
		refused: make(map[int]bool),
		gone:    make(chan int, 1),
	}
	signal.Notify(p.sigs, append([]os.Signal{syscall.SIGCHLD}, forwarded...)...)
	return p, nil
}

func (p *proxy) close() {
	signal.Stop(p.sigs)
	p.drop()
}

// start runs the command with pidproxy's standard streams and environment.
func (p *proxy) start(path string, argv []string) error {
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{
		Env:   os.Environ(),
		Files: []uintptr{0, 1, 2},
	})
	if err != nil {
		return err
	}
	p.cmd = pid
	return nil
}

// wait forwards signals and reaps descendants until the process the
// pidfile names is gone (or, if none is ever named, until no descendant
// is left), and returns the status to exit with.
func (p *proxy) wait() syscall.WaitStatus {
	for {
		if st, done := p.finished(); done {
			return st
		}
		select {
		case sig := <-p.sigs:
			if sig == syscall.SIGCHLD {
				p.reap()
			} else {
				p.forward(sig.(syscall.Signal))
			}
		case pid := <-p.gone:
			if p.target != nil && p.target.pid == pid && p.target.status == nil {
				// Not our descendant: its status is unknown; report
				// the command's.
				st := p.last
				p.target.status = &st
			}
		}
	}
}

// finished decides whether pidproxy is done, and with which status.
func (p *proxy) finished() (syscall.WaitStatus, bool) {
	if p.target != nil && p.target.status == nil {
		return 0, false
	}
	// The watched process is gone, or none is known: the program may have
	// written (or rewritten) its pidfile in the meantime.
	var gone *syscall.WaitStatus
	if p.target != nil {
		gone = p.target.status
	}
	if p.follow() {
		return 0, false
	}
	if gone != nil {
		return *gone, true
	}
	if p.cmd != 0 || p.hasChildren() {
		return 0, false
	}
	return p.last, true
}

// hasChildren reports whether a descendant is still to be reaped.
func (p *proxy) hasChildren() bool {
	// WNOWAIT: look without reaping, so reap still gets the status.
	var info unix.Siginfo
	err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
	return !errors.Is(err, syscall.ECHILD)
}

// reap collects every exited descendant. A process the pidfile names is
// recognised even if it exits before pidproxy looked at the pidfile.
func (p *proxy) reap() {
	named, _ := p.readPidfile()
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || pid <= 0 {
			return
		}
		p.last, p.reaped = ws, true
		if pid == p.cmd {
			p.cmd = 0
		}
		switch {
		case p.target != nil && p.target.pid == pid:
			st := ws
			p.target.status = &st
		case p.target == nil && pid == named:
			st := ws
			p.target = &target{pid: pid, fd: -1, status: &st}
		}
	}
}

// forward passes sig to the process the pidfile names, or to the command
// while the pidfile names none.
func (p *proxy) forward(sig syscall.Signal) {
	p.follow()
	switch {
	case p.target != nil && p.target.status == nil:
		if err := unix.PidfdSendSignal(p.target.fd, sig, nil, 0); err != nil && !errors.Is(err, syscall.ESRCH) {
			fmt.Fprintf(p.stderr, "pidproxy: cannot send %s to pid %d: %v\n", config.SignalName(sig), p.target.pid, err)
		}
	case p.cmd != 0:
		syscall.Kill(p.cmd, sig)
	default:
		fmt.Fprintf(p.stderr, "pidproxy: %s: no process to send %s to\n", p.pidfile, config.SignalName(sig))
	}
}

// follow reads the pidfile and, if it names a live process pidproxy can
// vouch for other than the one it watches, watches that one instead. It
// reports whether a live process is watched.
func (p *proxy) follow() bool {
	pid, err := p.readPidfile()
	if err == nil && (p.target == nil || p.target.pid != pid || p.target.status != nil) {
		if t := p.vouch(pid); t != nil {
			p.drop()
			p.target = t
		}
	}
	return p.target != nil && p.target.status == nil
}

// readPidfile returns the pid the pidfile holds.
func (p *proxy) readPidfile() (int, error) {
	b, err := os.ReadFile(p.pidfile)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || pid <= 1 || pid == os.Getpid() {
		return 0, fmt.Errorf("%s holds no usable pid", p.pidfile)
	}
	return pid, nil
}

// vouch opens a pidfd on pid if pidproxy may signal it: a descendant, or
// a process named by a pidfile written since pidproxy started. Others are
// reported once and ignored.
func (p *proxy) vouch(pid int) *target {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return nil // gone (or reaped) already
	}
	st, err := procfs.ReadStat(pid)
	if err != nil || st.Zombie() {
		unix.Close(fd)
		return nil
	}
	if procfs.IsDescendant(pid, os.Getpid()) {
		return &target{pid: pid, fd: fd}
	}
	if fi, err := os.Stat(p.pidfile); err == nil && !fi.ModTime().Before(p.started) {
		// Poll a duplicate: drop may close fd while the watcher waits.
		dup, err := unix.Dup(fd)
		if err != nil {
			unix.Close(fd)
			return nil
		}
		go watchPidfd(dup, pid, p.gone)
		return &target{pid: pid, fd: fd}
	}
	unix.Close(fd)
	if !p.refused[pid] {
		p.refused[pid] = true
		fmt.Fprintf(p.stderr, "pidproxy: %s names pid %d, which pidproxy did not start and which was written before pidproxy started; ignoring it\n", p.pidfile, pid)
	}
	return nil
}

// drop forgets the watched process.
func (p *proxy) drop() {
	if p.target != nil {
		if p.target.fd >= 0 {
			unix.Close(p.target.fd)
		}
		p.target = nil
	}
}

// watchPidfd reports on gone when the process behind the pidfd fd exits,
// and closes fd.
func watchPidfd(fd, pid int, gone chan<- int) {
	defer unix.Close(fd)
	for {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, -1); errors.Is(err, syscall.EINTR) {
			continue
		}
		gone <- pid
		return
	}
}

// coarseNow is the time on the clock the kernel stamps files with, so a
// file written after this call never looks older than it.
func coarseNow() time.Time {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME_COARSE, &ts); err != nil {
		return time.Now().Add(-time.Second)
	}
	return time.Unix(ts.Unix())
}
