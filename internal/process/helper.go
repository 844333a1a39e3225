package process

import (
	"context"
	"os"
	"sync"
	"syscall"
	"time"
)

// helperDrainWait bounds how long RunCommand reads a helper's output after
// it exited (a grandchild may hold the pipe open).
const helperDrainWait = 100 * time.Millisecond

// RunCommand runs a command line to completion as a helper of the process
// (a probe): with the process's environment, working directory and user,
// in a new process group, stdin /dev/null, stdout and stderr into one pipe
// of which at most limit bytes are kept. It is a managed child (the
// orphan reaper leaves it alone) watched through its pidfd, so waiting for
// it holds no thread. When ctx ends first, the helper's process group is
// killed and reaped. The error is a spawn failure (the command cannot be
// found or run); an exit status is in the wait status.
func (p *Process) RunCommand(ctx context.Context, command string, limit int) (syscall.WaitStatus, []byte, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	filename, argv, err := ResolveCommand(command, p.cfg.Environment)
	if err != nil {
		return 0, nil, err
	}
	cred, err := credential(p.cfg.User)
	if err != nil {
		return 0, nil, err
	}
	devnull, err := devNull()
	if err != nil {
		return 0, nil, err
	}
	child, parent, err := pipe(false)
	if err != nil {
		return 0, nil, err
	}
	defer parent.Close()
	attr := &syscall.ProcAttr{
		Dir:   p.cfg.Directory,
		Env:   p.helperEnv(),
		Files: []uintptr{devnull, child.Fd(), child.Fd()},
		Sys:   &syscall.SysProcAttr{Setpgid: true, Credential: cred},
	}
	pid, pidfd, err := forkExec(filename, argv, attr, true)
	child.Close()
	if err != nil {
		return 0, nil, err
	}
	exited := waitHelper(pid, pidfd)
	output := make(chan []byte, 1)
	go func() { output <- readAtMost(parent, limit) }()
	var ws syscall.WaitStatus
	select {
	case ws = <-exited:
	case <-ctx.Done():
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		ws = <-exited
	}
	// The helper is gone; its output is complete unless a descendant still
	// holds the pipe.
	_ = parent.SetReadDeadline(time.Now().Add(helperDrainWait))
	return ws, <-output, nil
}

// helperEnv returns the environment of the process's helpers (its
// child's), built once: it depends only on the configuration.
func (p *Process) helperEnv() []string {
	p.helperEnvOnce.Do(func() {
		p.helperEnvList = BuildEnv(p.env.BaseEnv, p.env.ServerURL, p.cfg.Name, p.cfg.Group, p.env.ExtraEnv, p.cfg.Environment)
	})
	return p.helperEnvList
}

// devNullFile is /dev/null, opened once for every helper's stdin.
var devNullFile = sync.OnceValues(func() (*os.File, error) { return os.Open(os.DevNull) })

// devNull returns the descriptor of /dev/null.
func devNull() (uintptr, error) {
	f, err := devNullFile()
	if err != nil {
		return 0, err
	}
	return f.Fd(), nil
}

// waitHelper reports the helper's wait status once it exited: through
// its pidfd on the poller, or a goroutine blocked in wait4 without one.
func waitHelper(pid int, pidfd *os.File) <-chan syscall.WaitStatus {
	exited := make(chan syscall.WaitStatus, 1)
	if pidfd != nil && watchPidfd(pid, pidfd, func(ws syscall.WaitStatus) {
		pidfd.Close()
		exited <- ws
	}) {
		return exited
	}
	go func() {
		ws, _ := reap(pid, true)
		if pidfd != nil {
			pidfd.Close()
		}
		exited <- ws
	}()
	return exited
}

// readAtMost reads r to EOF (or a read error, such as its deadline) and
// keeps the first limit bytes.
func readAtMost(r *os.File, limit int) []byte {
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if keep := min(n, limit-len(out)); keep > 0 {
			out = append(out, buf[:keep]...)
		}
		if err != nil {
			return out
		}
	}
}
