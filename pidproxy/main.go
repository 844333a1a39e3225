package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

const usage = `pidproxy -- run a self-daemonizing program under supervisord.

Usage: %s <pidfile> <command> [args...]

Starts <command>, forwards TERM, HUP, INT, QUIT, USR1 and USR2 to the
process whose pid <pidfile> holds (read again for every signal), and exits
with that process's status when it is gone.

Example, in a supervisord configuration:

  [program:mysql]
  command=/usr/bin/pidproxy /var/run/mysqld.pid /usr/bin/mysqld_safe
`

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit status (or ends the
// process with the watched process's signal).
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) < 3 {
		fmt.Fprintf(stdout, usage, filepath.Base(args[0]))
		return 1
	}
	path, err := resolve(args[2])
	if err != nil {
		fmt.Fprintf(stderr, "pidproxy: %v\n", err)
		return 127
	}
	p, err := newProxy(args[1], stderr)
	if err != nil {
		fmt.Fprintf(stderr, "pidproxy: %v\n", err)
		return 1
	}
	defer p.close()
	if err := p.start(path, args[2:]); err != nil {
		fmt.Fprintf(stderr, "pidproxy: cannot run %s: %v\n", args[2], err)
		return 127
	}
	return exitWith(p.wait())
}

// resolve finds the command: a name with a slash as it is, a bare name in
// the working directory (4.2.5's rule) and then in PATH.
func resolve(name string) (string, error) {
	if filepath.Base(name) != name {
		return name, nil
	}
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
		return filepath.Abs(name)
	}
	path, err := exec.LookPath(name)
	if errors.Is(err, exec.ErrDot) {
		err = nil
	}
	if err != nil {
		return "", fmt.Errorf("cannot find command %s", name)
	}
	return path, nil
}

// exitWith turns a wait status into pidproxy's own end: the same exit
// code, or the same signal where the Go runtime dies of it quietly.
func exitWith(ws syscall.WaitStatus) int {
	if !ws.Signaled() {
		return ws.ExitStatus()
	}
	sig := ws.Signal()
	switch sig {
	case syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT, syscall.SIGKILL:
		// The runtime ends the program with the default action of a
		// signal nobody is notified of; give it a moment to arrive.
		signal.Reset(sig)
		syscall.Kill(os.Getpid(), sig)
		time.Sleep(time.Second)
	}
	return 128 + int(sig)
}
