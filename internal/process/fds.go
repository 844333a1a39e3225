package process

import (
	"math"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// maxScannedFd bounds the descriptors examined when /proc/self/fd cannot
// be listed.
const maxScannedFd = 1 << 16

// CloseInherited closes every descriptor above 2 that this program
// inherited from the one that started it, as 4.2.5 does at start-up, so
// that no child (and no code running as a less privileged user after the
// daemon drops its privileges) can use them. Descriptors in keep are kept
// but marked close-on-exec. Inherited descriptors are the ones without
// close-on-exec: everything Go opens has it.
func CloseInherited(keep ...int) {
	for _, fd := range inheritedFds() {
		if slices.Contains(keep, fd) {
			unix.CloseOnExec(fd)
			continue
		}
		unix.Close(fd)
	}
}

// sealInherited marks every descriptor above 2 close-on-exec; it runs
// before each spawn, so that a child gets exactly its fds 0–2 even in a
// program that did not call CloseInherited (a test, a library user) or
// that opened a descriptor without close-on-exec since. It is one
// close_range(2) call (Linux 5.11); where the kernel lacks it, the
// descriptors without the flag are found and marked one by one.
func sealInherited() {
	if unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	for _, fd := range inheritedFds() {
		unix.CloseOnExec(fd)
	}
}

// inheritedFds lists the open descriptors above 2 without close-on-exec.
func inheritedFds() []int {
	var fds []int
	check := func(fd int) {
		if fd <= 2 {
			return
		}
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, fd)
		}
	}
	// The directory's own descriptor is close-on-exec, so it is skipped.
	if entries, err := os.ReadDir("/proc/self/fd"); err == nil {
		for _, e := range entries {
			if fd, err := strconv.Atoi(e.Name()); err == nil {
				check(fd)
			}
		}
		return fds
	}
	limit := maxScannedFd
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &rl) == nil && rl.Cur < uint64(limit) {
		limit = int(rl.Cur)
	}
	for fd := 3; fd < limit; fd++ {
		check(fd)
	}
	return fds
}
