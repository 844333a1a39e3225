package recovery

import (
	"fmt"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/statefile"
)

// stateVersion is the format of the state file.
const stateVersion = 1

// Path returns the state file that goes with a pidfile ("" without a
// pidfile: no recording, no recovery).
func Path(pidfile string) string {
	return statefile.Beside(pidfile, "children")
}

// Proc names one process for the life of the machine.
type Proc struct {
	// PID is the process id.
	PID int `json:"pid"`
	// StartTime is its start time, in clock ticks since boot.
	StartTime uint64 `json:"start_time"`
}

// Stop says how to stop a child.
type Stop struct {
	// Signal is the stop signal.
	Signal syscall.Signal `json:"stop_signal"`
	// WaitSecs is how long to wait after Signal before SIGKILL.
	WaitSecs int `json:"stop_wait_secs"`
	// AsGroup sends Signal to the child's process group.
	AsGroup bool `json:"stop_as_group,omitempty"`
	// KillAsGroup sends SIGKILL to the child's process group.
	KillAsGroup bool `json:"kill_as_group,omitempty"`
}

// Child is a running child of the daemon.
type Child struct {
	// Name is the process's namespec (group:name, or name).
	Name string `json:"name"`
	Proc
	Stop
}

// State is the content of the state file.
type State struct {
	// Version is stateVersion.
	Version int `json:"version"`
	// Config is the absolute path of the daemon's configuration file.
	Config string `json:"config"`
	// Daemon is the daemon that wrote the file.
	Daemon Proc `json:"daemon"`
	// Children are its running children, by name.
	Children []Child `json:"children"`
}

// readState reads a state file; a missing file is (nil, nil).
func readState(path string) (*State, error) {
	var s State
	found, err := statefile.Read(path, &s)
	if err != nil || !found {
		return nil, err
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("the state file %s has version %d, not %d", path, s.Version, stateVersion)
	}
	return &s, nil
}

// writeState replaces the state file atomically. It does not sync: after
// a crash of the machine there are no children left to recover.
func writeState(path string, s *State) error {
	return statefile.Replace(path, s)
}
