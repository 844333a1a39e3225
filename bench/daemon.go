package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// kind is which supervisord a daemon is.
type kind string

const (
	ours kind = "ours"
	real kind = "real"
)

// confHeader is the part of every config both daemons share: %(here)s is
// the run directory. minfds/minprocs are raised for 1000 programs (each
// keeps ~3 pipe ends and 2 log files open in the daemon).
const confHeader = `[unix_http_server]
file=%(here)s/s.sock

[supervisord]
logfile=%(here)s/supervisord.log
logfile_maxbytes=0
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s/logs
nodaemon=true
minfds=16384
minprocs=4096
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/s.sock

`

// daemon is one running supervisord of either kind.
type daemon struct {
	h       *harness
	kind    kind
	dir     string
	sock    string
	cmd     *exec.Cmd
	done    chan struct{}
	started time.Time // just before the process was started
	exited  time.Time // when Wait returned
	api     api
}

// startDaemon writes the config (confHeader + programs) into dir, starts
// the daemon of kind k on it in the foreground and returns at once; use
// waitServing or poll its API.
func (h *harness) startDaemon(ctx context.Context, k kind, dir, programs string, env ...string) (*daemon, error) {
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("create run dir: %w", err)
	}
	conf := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(conf, []byte(confHeader+programs), 0o644); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	out, err := os.Create(filepath.Join(dir, "daemon.out"))
	if err != nil {
		return nil, fmt.Errorf("create daemon output file: %w", err)
	}
	defer out.Close()
	var cmd *exec.Cmd
	if k == ours {
		cmd = exec.Command(h.oursBin, "-c", conf, "-n")
	} else {
		cmd = exec.Command(h.opts.Python, h.opts.Real, "-c", conf, "-n")
	}
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), env...)
	if k == ours {
		cmd.Env = append(cmd.Env, h.prof.env(dir)...)
		cmd.Env = append(cmd.Env, h.opts.OursEnv...)
	}
	// Its own process group, and SIGTERM (a clean stop of its children) if
	// the harness dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	d := &daemon{h: h, kind: k, dir: dir, sock: filepath.Join(dir, "s.sock"), cmd: cmd, done: make(chan struct{})}
	if k == real || h.oursAPI == "XML-RPC" {
		d.api = newXMLRPC(d.sock, string(k))
	} else {
		g, err := newGRPC(d.sock, string(k))
		if err != nil {
			return nil, err
		}
		d.api = g
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.started = time.Now()
	if err := h.track(cmd, d); err != nil {
		d.api.Close()
		return nil, fmt.Errorf("start %s supervisord: %w", k, err)
	}
	go func() {
		cmd.Wait()
		d.exited = time.Now()
		h.untrack(cmd)
		close(d.done)
	}()
	return d, nil
}

// pid returns the daemon's process id.
func (d *daemon) pid() int { return d.cmd.Process.Pid }

// isExited reports whether the daemon process has exited.
func (d *daemon) isExited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// errExited returns the error for a daemon that exited while it was
// expected to run, with the end of its output.
func (d *daemon) errExited() error {
	b, _ := os.ReadFile(filepath.Join(d.dir, "daemon.out"))
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	return fmt.Errorf("%s supervisord exited unexpectedly (%v); output:\n%s", d.kind, d.cmd.ProcessState, s)
}

// waitServing polls the API until the daemon answers.
func (d *daemon) waitServing(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := d.api.Ping(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if errors.Is(err, errNoXMLRPC) {
			return err
		}
		if d.isExited() {
			return d.errExited()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s supervisord did not answer within %v: %w", d.kind, timeout, err)
		}
		if err := sleepCtx(ctx, d.h.opts.Poll); err != nil {
			return err
		}
	}
}

// waitAll polls getAllProcessInfo until n processes are all in state and
// returns the time from the daemon's start until the poll that saw it.
func (d *daemon) waitAll(ctx context.Context, n int, state string, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	var last string
	for {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		c, total, err := d.api.Count(cctx, state)
		cancel()
		now := time.Now()
		if err == nil {
			if c == n && total == n {
				return now.Sub(d.started), nil
			}
			last = fmt.Sprintf("%d of %d processes %s", c, total, state)
		} else {
			if errors.Is(err, errNoXMLRPC) {
				return 0, err
			}
			last = err.Error()
		}
		if d.isExited() {
			return 0, d.errExited()
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if now.After(deadline) {
			return 0, fmt.Errorf("%s: not all %d processes %s within %v (last poll: %s)", d.kind, n, state, timeout, last)
		}
		if err := sleepCtx(ctx, d.h.opts.Poll); err != nil {
			return 0, err
		}
	}
}

// waitLogged waits until the main log has n lines containing substr.
func (d *daemon) waitLogged(ctx context.Context, substr string, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ts, err := logTimes(filepath.Join(d.dir, "supervisord.log"), substr)
		if err == nil && len(ts) >= n {
			return nil
		}
		if d.isExited() {
			return d.errExited()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %d of %d %q lines in the main log within %v (%v)", d.kind, len(ts), n, substr, timeout, err)
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// shutdown sends SIGTERM and waits for the daemon to exit; it returns the
// time from the signal to the exit. After timeout the daemon and its
// processes are killed and an error is returned. Processes the daemon left
// behind are killed, reaped and reported as an error.
func (d *daemon) shutdown(timeout time.Duration) (time.Duration, error) {
	defer d.api.Close()
	if d.isExited() {
		return 0, d.errExited()
	}
	kids := descendants(d.pid())
	t0 := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, fmt.Errorf("signal %s supervisord: %w", d.kind, err)
	}
	select {
	case <-d.done:
	case <-time.After(timeout):
		killTree(append(descendants(d.pid()), d.pid()))
		<-d.done
		d.h.sweep()
		return 0, fmt.Errorf("%s supervisord did not exit within %v of SIGTERM; killed it", d.kind, timeout)
	}
	took := d.exited.Sub(t0)
	var left []int
	for _, p := range kids {
		if alive(p) {
			left = append(left, p)
		}
	}
	if n := d.h.sweep(); n > 0 || len(left) > 0 {
		killTree(left)
		return took, fmt.Errorf("%s supervisord left %d processes behind after exiting (killed them)", d.kind, max(n, len(left)))
	}
	return took, nil
}

// kill stops the daemon however it can: SIGTERM with a grace period, then
// SIGKILL to it and to every process below it.
func (d *daemon) kill(grace time.Duration) {
	if d.isExited() {
		return
	}
	kids := descendants(d.pid())
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(grace):
		kids = append(kids, descendants(d.pid())...)
		killTree(append(kids, d.pid()))
		<-d.done
	}
	var left []int
	for _, p := range kids {
		if alive(p) {
			left = append(left, p)
		}
	}
	killTree(left)
	d.api.Close()
}

// sleepCtx sleeps for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pollCtx checks cond every interval until it holds (true), d passes or
// ctx ends (false, with ctx's error).
func pollCtx(ctx context.Context, d, interval time.Duration, cond func() bool) (bool, error) {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false, nil
		}
		if err := sleepCtx(ctx, interval); err != nil {
			return false, err
		}
	}
	return true, nil
}
