package process

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
)

// forkLocked starts the child. A *childFailure means the child would have
// failed after the fork; its message is already in the child's stderr
// log.
func (p *Process) forkLocked() error {
	filename, argv, err := ResolveCommand(p.cfg.Command, p.cfg.Environment)
	if err != nil {
		return err
	}
	if err := p.host.PrepareSpawn(); err != nil {
		return err
	}
	sf, err := p.openSpawnFiles()
	if err != nil {
		return err
	}
	// The one cleanup path: whatever the spawn opened and did not hand
	// over (to the child, the host or the process) is closed here.
	defer sf.close()
	path, args, attr, err := p.execSpec(filename, argv, sf)
	if err != nil {
		return p.childFailedLocked(sf, err.Error())
	}
	pid, pidfd, err := forkExec(path, args, attr, !p.noPidfd)
	if err != nil {
		if err := spawnResourceError(p.cfg.Name, err); err != nil {
			return err
		}
		if p.cfg.Directory != "" && errors.Is(err, syscall.ENOENT) {
			return p.childFailedLocked(sf, fmt.Sprintf("couldn't chdir to %s: %s", p.cfg.Directory, errnoName(err)))
		}
		return p.childFailedLocked(sf, fmt.Sprintf("couldn't exec %s: %s", argv[0], errnoName(err)))
	}
	p.startedLocked(pid, pidfd, sf)
	return nil
}

// startedLocked makes the forked child the process's: its stdin, its
// output (to the host) and its exit watcher.
func (p *Process) startedLocked(pid int, pidfd *os.File, sf *spawnFiles) {
	p.pid = pid
	p.pidfd = pidfd
	if sf.stdin != nil {
		p.stdin = newStdinPipe(sf.stdin)
	}
	p.release = sf.release
	sf.stdin, sf.release = nil, nil
	p.exited = make(chan struct{})
	p.attachLocked(pid, sf)
	p.watch(pid, p.pidfd, p.outputDone, p.exited)
}

// spawnFiles are the descriptors of one spawn. The child's ends are
// closed in the parent once the child has its own copies (or will never
// run); the parent's ends are handed over to the process (stdin) and the
// host (stdout, stderr), and close closes what was not.
type spawnFiles struct {
	// childStdin, childStdout and childStderr are the child's fds 0–2
	// (childStderr is childStdout with redirect_stderr).
	childStdin, childStdout, childStderr *os.File
	// stdin is the parent's end of the stdin pipe; nil for a borrowed
	// stdin.
	stdin *os.File
	// stdout and stderr are the parent's ends of the output pipes (stderr
	// is nil with redirect_stderr).
	stdout, stderr *os.File
	// release gives back a borrowed stdin (an fcgi socket); nil for a pipe.
	release func()
}

// openSpawnFiles opens the child's stdin (the host's file or a pipe) and
// its output pipes. The child's ends stay blocking; the parent's ends go
// on the runtime poller.
func (p *Process) openSpawnFiles() (*spawnFiles, error) {
	sf := &spawnFiles{}
	f, release, err := p.host.Stdin()
	if err != nil {
		return nil, errdefs.Wrap(errdefs.SpawnError, err, fmt.Sprintf("unknown error making dispatchers for '%s': %v", p.cfg.Name, err))
	}
	if f != nil {
		sf.childStdin, sf.release = f, release
	} else if sf.childStdin, sf.stdin, err = pipe(true); err != nil {
		sf.close()
		return nil, spawnPipeError(p.cfg.Name, err)
	}
	if sf.childStdout, sf.stdout, err = pipe(false); err != nil {
		sf.close()
		return nil, spawnPipeError(p.cfg.Name, err)
	}
	sf.childStderr = sf.childStdout
	if !p.cfg.RedirectStderr {
		if sf.childStderr, sf.stderr, err = pipe(false); err != nil {
			sf.close()
			return nil, spawnPipeError(p.cfg.Name, err)
		}
	}
	return sf, nil
}

// close closes the child's ends and the parent's ends not handed over,
// and gives back a borrowed stdin that was not.
func (sf *spawnFiles) close() {
	for _, f := range []*os.File{sf.childStdin, sf.childStdout, sf.stdin, sf.stdout, sf.stderr} {
		if f != nil {
			f.Close()
		}
	}
	if sf.childStderr != nil && sf.childStderr != sf.childStdout {
		sf.childStderr.Close()
	}
	if sf.release != nil {
		sf.release()
	}
	*sf = spawnFiles{}
}

// attachLocked hands the parent's output ends to the host.
func (p *Process) attachLocked(pid int, sf *spawnFiles) {
	stdout, stderr := sf.stdout, sf.stderr
	sf.stdout, sf.stderr = nil, nil
	p.outputDone = p.host.Attach(pid, stdout, stderr)
}

// childFailedLocked reports a failure that 4.2.5's child reports after the
// fork. As there, a child is spawned and fails: the exec helper writes
// the message to its stderr and exits 127, so the log says "spawned" with
// a real pid, then "exited". Without a helper (or if even it cannot run),
// the message goes through the child's stderr pipe to its log, the output
// is attached with no pid, and the caller records the exit.
func (p *Process) childFailedLocked(sf *spawnFiles, msg string) error {
	if helper := p.env.ExecHelper; helper != "" {
		attr := &syscall.ProcAttr{
			Files: []uintptr{sf.childStdin.Fd(), sf.childStdout.Fd(), sf.childStderr.Fd()},
			Sys:   &syscall.SysProcAttr{Setpgid: true},
		}
		if pid, pidfd, err := forkExec(helper, []string{helper, execFailArg, msg}, attr, !p.noPidfd); err == nil {
			p.startedLocked(pid, pidfd, sf)
			return nil
		}
	}
	fmt.Fprintf(sf.childStderr, "supervisor: %s\nsupervisor: child process was not spawned\n", msg)
	p.attachLocked(0, sf)
	return &childFailure{msg: msg}
}

// execSpec returns what to exec for the child: the path and argv (through
// the exec helper when umask= is set) and the attributes: its directory,
// environment, fds 0–2, process group and user. Its errors are the
// *childFailure 4.2.5's child reports.
func (p *Process) execSpec(filename string, argv []string, sf *spawnFiles) (string, []string, *syscall.ProcAttr, error) {
	cred, err := credential(p.cfg.User)
	if err != nil {
		return "", nil, nil, err
	}
	if p.cfg.Directory != "" {
		if fi, err := os.Stat(p.cfg.Directory); err != nil || !fi.IsDir() {
			if err == nil {
				err = syscall.ENOTDIR
			}
			return "", nil, nil, &childFailure{msg: fmt.Sprintf("couldn't chdir to %s: %s", p.cfg.Directory, errnoName(err))}
		}
	}
	serverURL := p.env.ServerURL
	if p.cfg.ServerURL != "" && p.cfg.ServerURL != "AUTO" {
		serverURL = p.cfg.ServerURL
	}
	env := BuildEnv(p.env.BaseEnv, serverURL, p.cfg.Name, p.cfg.Group, p.env.ExtraEnv, p.cfg.Environment)
	path, args := filename, argv
	if p.cfg.Umask != nil {
		if p.env.ExecHelper == "" {
			return "", nil, nil, &childFailure{msg: "couldn't set umask: no exec helper"}
		}
		path = p.env.ExecHelper
		args = append([]string{p.env.ExecHelper, ExecHelperArg, strconv.FormatInt(int64(*p.cfg.Umask), 8), filename}, argv...)
	}
	attr := &syscall.ProcAttr{
		Dir:   p.cfg.Directory,
		Env:   env,
		Files: []uintptr{sf.childStdin.Fd(), sf.childStdout.Fd(), sf.childStderr.Fd()},
		Sys: &syscall.SysProcAttr{
			Setpgid:    true,
			Credential: cred,
		},
	}
	return path, args, attr, nil
}

// forkExec starts the child and records it as managed before the orphan
// reaper can see it. The child gets attr.Files as fds 0–2 and nothing
// else: every other descriptor is close-on-exec (see sealInherited). pidfd is the child's pidfd, non-blocking, if asked
// for; nil if the kernel gives none.
func forkExec(path string, args []string, attr *syscall.ProcAttr, wantPidfd bool) (pid int, pidfd *os.File, err error) {
	sealInherited()
	fd := -1
	if wantPidfd {
		attr.Sys.PidFD = &fd
	}
	// The orphan reaper must not take this child for an orphan between the
	// fork and the moment it is recorded.
	managedMu.RLock()
	pid, err = syscall.ForkExec(path, args, attr)
	if err == nil {
		addManagedLocked(pid)
	}
	managedMu.RUnlock()
	if err != nil {
		return 0, nil, err
	}
	if fd >= 0 {
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(fd)
			return pid, nil, nil
		}
		pidfd = os.NewFile(uintptr(fd), "pidfd")
	}
	return pid, pidfd, nil
}

// spawnResourceError is the spawn error for a lack of descriptors or
// processes, or nil for another error.
func spawnResourceError(name string, err error) error {
	switch {
	case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
		return errdefs.New(errdefs.SpawnError, "too many open files to spawn '%s'", name)
	case errors.Is(err, syscall.EAGAIN):
		return errdefs.New(errdefs.SpawnError, "Too many processes in process table to spawn '%s'", name)
	}
	return nil
}

// spawnPipeError is the spawn error for a pipe that could not be made.
func spawnPipeError(name string, err error) error {
	if err := spawnResourceError(name, err); err != nil {
		return err
	}
	return errdefs.New(errdefs.SpawnError, "unknown error making dispatchers for '%s': %s", name, errnoName(err))
}

// pipe returns a pipe whose parent end (the write end for stdin, else the
// read end) is non-blocking and on the runtime poller, and whose child end
// is blocking. It returns the child's end first.
func pipe(parentWrites bool) (child, parent *os.File, err error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	// The parent's end is made non-blocking before it is wrapped, so
	// os.NewFile puts it on the runtime poller: a goroutine waiting on it
	// holds no OS thread. The child's end stays blocking (the flag is
	// shared with the child through the open file description).
	parentFd := fds[0]
	if parentWrites {
		parentFd = fds[1]
	}
	if err := unix.SetNonblock(parentFd, true); err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return nil, nil, err
	}
	r, w := os.NewFile(uintptr(fds[0]), "pipe-r"), os.NewFile(uintptr(fds[1]), "pipe-w")
	if parentWrites {
		return r, w, nil
	}
	return w, r, nil
}
