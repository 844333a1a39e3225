package process

import (
	"fmt"
	"strconv"
	"syscall"
	"time"
)

// Info is a snapshot of a process, with Supervisor's getProcessInfo
// fields.
type Info struct {
	// Name is the process name.
	Name string
	// Group is the group name.
	Group string
	// State is the current state.
	State State
	// Start is when the process was last spawned (zero if never).
	Start time.Time
	// Stop is when the process last exited (zero if never).
	Stop time.Time
	// Now is when the snapshot was taken.
	Now time.Time
	// SpawnErr is the last spawn error ("" if none).
	SpawnErr string
	// ExitStatus is the last exit code, -1 for a signal, 0 if none.
	ExitStatus int
	// ExitExpected reports whether the last exit was expected.
	ExitExpected bool
	// Pid is the process id, 0 when not running.
	Pid int
	// Description is Supervisor's status description.
	Description string
	// NextAttempt is when a process in BACKOFF is started again (zero
	// otherwise).
	NextAttempt time.Time
	// LastExit is how the last child ended (zero Time before the first).
	LastExit Exit
	// SpawnFailed reports that the last spawn attempt produced no child
	// (fork, exec set-up or log files failed).
	SpawnFailed bool
	// Spawns counts the children spawned since the process was created.
	Spawns int
	// Restarts counts the spawns made by autorestart or a back-off retry
	// rather than a start request.
	Restarts int
}

// Namespec returns "group:name", or "name" when they are equal.
func Namespec(group, name string) string {
	if group == name {
		return name
	}
	return group + ":" + name
}

// Describe returns Supervisor's description of a process in a state:
// "pid 123, uptime 0:08:07" when RUNNING, the spawn error in BACKOFF and
// FATAL, "Not started" or the stop time (local "%b %d %I:%M %p") when
// STOPPED or EXITED, and "" otherwise.
func Describe(name string, state State, pid int, start, stop, now time.Time, spawnErr string) string {
	switch state {
	case Running:
		var buf [64]byte
		return string(AppendRunning(buf[:0], pid, start.Unix(), now.Unix()))
	case Backoff, Fatal:
		if spawnErr == "" {
			return fmt.Sprintf("unknown error (try \"tail %s\")", name)
		}
		return spawnErr
	case Stopped, Exited:
		if start.IsZero() {
			return "Not started"
		}
		t := stop
		if t.IsZero() {
			t = time.Unix(0, 0)
		}
		return t.Local().Format("Jan 02 03:04 PM")
	}
	return ""
}

// AppendRunning appends Describe's description of a RUNNING process
// (pid, started at start and described at now, both in Unix seconds), so
// that a list of a thousand processes can describe each of them without
// a string apiece.
func AppendRunning(b []byte, pid int, start, now int64) []byte {
	// Like 4.2.5: the difference of the whole-second start and now.
	up := max(now-start, 0)
	b = append(b, "pid "...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, ", uptime "...)
	return appendUptime(b, up)
}

// FormatUptime formats seconds like Python's timedelta: "0:00:29",
// "1 day, 0:00:00", "2 days, 3:04:05".
func FormatUptime(secs int64) string {
	var buf [32]byte
	return string(appendUptime(buf[:0], secs))
}

// appendUptime appends FormatUptime(secs) to b.
func appendUptime(b []byte, secs int64) []byte {
	days := secs / 86400
	rest := secs % 86400
	switch days {
	case 0:
	case 1:
		b = append(b, "1 day, "...)
	default:
		b = strconv.AppendInt(b, days, 10)
		b = append(b, " days, "...)
	}
	b = strconv.AppendInt(b, rest/3600, 10)
	b = append(b, ':')
	b = appendTwoDigits(b, rest%3600/60)
	b = append(b, ':')
	return appendTwoDigits(b, rest%60)
}

// appendTwoDigits appends n (0 ≤ n < 100) as two digits.
func appendTwoDigits(b []byte, n int64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// ExitDescription decodes a wait status the way Supervisor does: "exit
// status N" or "terminated by SIGNAME" (plus " (core dumped)"). It also
// returns the exit code (-1 for a signal).
func ExitDescription(ws syscall.WaitStatus, signame func(syscall.Signal) string) (string, int) {
	switch {
	case ws.Exited():
		return "exit status " + strconv.Itoa(ws.ExitStatus()), ws.ExitStatus()
	case ws.Signaled():
		d := "terminated by " + signame(ws.Signal())
		if ws.CoreDump() {
			d += " (core dumped)"
		}
		return d, -1
	}
	return fmt.Sprintf("unknown termination cause 0x%04x", uint32(ws)), -1
}
