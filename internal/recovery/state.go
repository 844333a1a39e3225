package recovery

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// stateVersion is the format of the state file.
const stateVersion = 1

// Path returns the state file that goes with a pidfile ("" without a
// pidfile: no recording, no recovery).
func Path(pidfile string) string {
	if pidfile == "" {
		return ""
	}
	return pidfile + ".children"
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
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the state file %s: %w", path, err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("the state file %s is damaged: %w", path, err)
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("the state file %s has version %d, not %d", path, s.Version, stateVersion)
	}
	return &s, nil
}

// writeState replaces the state file atomically.
func writeState(path string, s *State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	return nil
}
