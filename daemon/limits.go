package main

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/process"
)

// raiseLimits raises RLIMIT_NOFILE and RLIMIT_NPROC to minfds and
// minprocs, or explains why it cannot, with 4.2.5's messages. It returns
// the info messages to log ("Increased RLIMIT_NOFILE limit to 1024").
func raiseLimits(sd config.Supervisord) ([]string, error) {
	limits := []struct {
		res  int
		min  int
		name string
		msg  string
	}{
		{unix.RLIMIT_NOFILE, sd.Minfds, "RLIMIT_NOFILE", "The minimum number of file descriptors required to run this process is %d as per the \"minfds\" command-line argument or config file setting. The current environment will only allow you to open %d file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start."},
		{unix.RLIMIT_NPROC, sd.Minprocs, "RLIMIT_NPROC", "The minimum number of available processes required to run this program is %d as per the \"minprocs\" command-line argument or config file setting. The current environment will only allow you to open %d processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start."},
	}
	var infos []string
	for _, l := range limits {
		var rl unix.Rlimit
		if err := unix.Getrlimit(l.res, &rl); err != nil {
			continue
		}
		want := uint64(l.min)
		if rl.Cur == unix.RLIM_INFINITY || rl.Cur >= want {
			continue
		}
		hard := rl.Max
		if hard != unix.RLIM_INFINITY && hard < want {
			hard = want
		}
		if err := unix.Setrlimit(l.res, &unix.Rlimit{Cur: want, Max: hard}); err != nil {
			return nil, fmt.Errorf(l.msg, l.min, hard)
		}
		infos = append(infos, fmt.Sprintf("Increased %s limit to %d", l.name, l.min))
	}
	return infos, nil
}

// dropPrivileges switches to the configured user with the user's groups
// (the primary one and its supplementary groups, as 4.2.5 does); a
// non-root daemon can only "switch" to itself.
func dropPrivileges(u *config.User) error {
	if u == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		if u.UID == os.Geteuid() {
			return nil
		}
		return errNotRoot
	}
	if err := syscall.Setgroups(process.Groups(u)); err != nil {
		return fmt.Errorf("could not set groups for user %s: %w", u.Name, err)
	}
	if err := syscall.Setgid(u.GID); err != nil {
		return fmt.Errorf("could not set group id %d: %w", u.GID, err)
	}
	if err := syscall.Setuid(u.UID); err != nil {
		return fmt.Errorf("could not set user id %d: %w", u.UID, err)
	}
	return nil
}
