package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// daemonChildEnv marks the re-executed daemon process; its value is the
// number of the descriptor on which the child reports its start-up.
const daemonChildEnv = "GSUPERVISOR_DAEMON_CHILD"

// reportFd is the descriptor of the startup-report pipe in the daemon
// child: the first after stdin, stdout and stderr.
const reportFd = 3

// isDaemonChild reports whether this process is the daemonized child.
func isDaemonChild() bool { return os.Getenv(daemonChildEnv) != "" }

// daemonize runs the daemon in the background: Go cannot fork a running
// runtime, so the program starts itself again in a new session with its
// standard descriptors on /dev/null, and waits until the child reports
// that it is serving (exit 0) or why it could not start (printed like any
// start-up error, exit 2), so that errors such as a socket in use reach
// the terminal as they do with 4.2.5. kept, if not nil, is a configuration
// read from a pipe (keepConfig), handed to the child as descriptor 4.
func daemonize(args []string, fail func(error) int, kept *os.File) int {
	exe, err := os.Executable()
	if err != nil {
		return fail(fmt.Errorf("cannot daemonize: %w", err))
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fail(fmt.Errorf("cannot daemonize: %w", err))
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return fail(fmt.Errorf("cannot daemonize: %w", err))
	}
	env := append(os.Environ(), daemonChildEnv+"="+strconv.Itoa(reportFd))
	files := []*os.File{null, null, null, w}
	if kept != nil {
		env = append(env, fmt.Sprintf("%s=%d", configFDEnv, configFD))
		files = append(files, kept)
	}
	p, err := os.StartProcess(exe, args, &os.ProcAttr{
		Env:   env,
		Files: files,
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	null.Close()
	w.Close()
	if err != nil {
		r.Close()
		return fail(fmt.Errorf("cannot daemonize: %w", err))
	}
	_ = p.Release()
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	switch {
	case strings.HasPrefix(line, "ok"):
		return 0
	case strings.HasPrefix(line, "error: "):
		return fail(errors.New(strings.TrimSuffix(strings.TrimPrefix(line, "error: "), "\n")))
	}
	if err == nil {
		err = errors.New("no report")
	}
	return fail(fmt.Errorf("the daemon exited during start-up (%v)", err))
}

// reportStartup tells the waiting parent (if any) that the daemon is up,
// or why it failed. Only the first report counts.
func reportStartup(err error) {
	fd := os.Getenv(daemonChildEnv)
	if fd == "" {
		return
	}
	os.Unsetenv(daemonChildEnv)
	f := os.NewFile(reportFd, "startup-report")
	if f == nil {
		return
	}
	defer f.Close()
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", "\\n")
		fmt.Fprintf(f, "error: %s\n", msg)
		return
	}
	fmt.Fprintln(f, "ok")
}
