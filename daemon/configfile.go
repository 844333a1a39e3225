package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// configFDEnv tells a daemonized child which descriptor holds the
// configuration its parent read from a pipe.
const configFDEnv = "GSUPERVISOR_CONFIG_FD"

// configFD is that descriptor in the child (after stdin, stdout, stderr
// and the start-up report pipe).
const configFD = reportFd + 1

// keptConfig holds a configuration read from a pipe for the life of the
// process.
var keptConfig *os.File

// inheritedConfig returns the path of the configuration a daemonizing
// parent handed over (see keepConfig), if it did.
func inheritedConfig() (string, bool) {
	if os.Getenv(configFDEnv) == "" || !isDaemonChild() {
		return "", false
	}
	os.Unsetenv(configFDEnv)
	keptConfig = os.NewFile(configFD, "supervisord.conf")
	return "/dev/fd/" + strconv.Itoa(configFD), true
}

// keepConfig makes a configuration that can be read only once (a pipe, as
// with `supervisord -c <(echo_supervisord_conf)`) readable again: its
// bytes go to a memory file, and the returned path names that file. Any
// other path is returned as it is, with a nil file.
func keepConfig(path string) (string, *os.File, error) {
	if keptConfig != nil {
		return path, nil, nil // inherited from the parent
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().IsRegular() {
		return path, nil, nil
	}
	src, err := os.Open(path)
	if err != nil {
		return path, nil, nil // reported by the caller's own checks
	}
	defer src.Close()
	fd, err := unix.MemfdCreate("supervisord.conf", unix.MFD_CLOEXEC)
	if err != nil {
		return "", nil, fmt.Errorf("could not keep the configuration read from %s: %w", path, err)
	}
	mem := os.NewFile(uintptr(fd), path)
	if _, err := io.Copy(mem, src); err != nil {
		mem.Close()
		return "", nil, fmt.Errorf("could not read the configuration %s: %w", path, err)
	}
	keptConfig = mem
	return "/dev/fd/" + strconv.Itoa(fd), mem, nil
}
