package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Stat is the part of /proc/<pid>/stat the callers use.
type Stat struct {
	// PID is the process id.
	PID int
	// State is the state letter (R, S, D, Z, T, …).
	State byte
	// PPID is the parent's process id.
	PPID int
	// PGID is the process group id.
	PGID int
	// StartTime is when the process started, in clock ticks since boot.
	StartTime uint64
}

// Zombie reports whether the process has exited and waits to be reaped.
func (s Stat) Zombie() bool { return s.State == 'Z' || s.State == 'X' }

// ErrNoProcess is returned (wrapped) for a pid that names no process.
var ErrNoProcess = errors.New("no such process")

// ReadStat reads /proc/<pid>/stat.
func ReadStat(pid int) (Stat, error) {
	if pid <= 0 {
		return Stat{}, fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
		return Stat{}, fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	if err != nil {
		return Stat{}, fmt.Errorf("pid %d: %w", pid, err)
	}
	s, err := ParseStat(b)
	if err != nil {
		return Stat{}, fmt.Errorf("pid %d: %w", pid, err)
	}
	return s, nil
}

// ParseStat parses the contents of a /proc/<pid>/stat file. The command
// name (second field) may hold spaces and parentheses, so the fields are
// counted from the last ')'.
func ParseStat(b []byte) (Stat, error) {
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 1 || end < open {
		return Stat{}, fmt.Errorf("malformed stat line %q", b)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return Stat{}, fmt.Errorf("malformed pid in stat line %q", b)
	}
	// After ')': state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8)
	// flags(9) minflt(10) cminflt(11) majflt(12) cmajflt(13) utime(14)
	// stime(15) cutime(16) cstime(17) priority(18) nice(19)
	// num_threads(20) itrealvalue(21) starttime(22).
	f := bytes.Fields(b[end+1:])
	if len(f) < 20 || len(f[0]) != 1 {
		return Stat{}, fmt.Errorf("short stat line %q", b)
	}
	s := Stat{PID: pid, State: f[0][0]}
	if s.PPID, err = strconv.Atoi(string(f[1])); err != nil {
		return Stat{}, fmt.Errorf("malformed ppid in stat line %q", b)
	}
	if s.PGID, err = strconv.Atoi(string(f[2])); err != nil {
		return Stat{}, fmt.Errorf("malformed pgrp in stat line %q", b)
	}
	if s.StartTime, err = strconv.ParseUint(string(f[19]), 10, 64); err != nil {
		return Stat{}, fmt.Errorf("malformed starttime in stat line %q", b)
	}
	return s, nil
}

// IsDescendant reports whether pid is ancestor's descendant (a child, a
// grandchild, …), following parent links in /proc.
func IsDescendant(pid, ancestor int) bool {
	for range 256 {
		s, err := ReadStat(pid)
		if err != nil || s.PPID <= 0 {
			return false
		}
		if s.PPID == ancestor {
			return true
		}
		pid = s.PPID
	}
	return false
}
