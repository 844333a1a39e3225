package process

import (
	"syscall"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/config"
)

func TestFormatUptime(t *testing.T) {
	for secs, want := range map[int64]string{
		0: "0:00:00", 29: "0:00:29", 487: "0:08:07", 86399: "23:59:59",
		86400: "1 day, 0:00:00", 2*86400 + 3*3600 + 4*60 + 5: "2 days, 3:04:05",
		36001: "10:00:01", 86400 + 59: "1 day, 0:00:59", 400*86400 + 23*3600 + 59*60 + 59: "400 days, 23:59:59",
	} {
		if got := FormatUptime(secs); got != want {
			t.Errorf("FormatUptime(%d) = %q, want %q", secs, got, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	start := time.Date(2026, 11, 21, 4, 44, 25, 0, time.Local)
	stop := time.Date(2026, 11, 21, 16, 52, 0, 0, time.Local)
	now := start.Add(8*time.Minute + 7*time.Second + 900*time.Millisecond)
	cases := []struct {
		state State
		start time.Time
		err   string
		want  string
	}{
		{Running, start, "", "pid 123, uptime 0:08:07"},
		{Running, now.Add(time.Hour), "", "pid 123, uptime 0:00:00"},
		{Backoff, start, "Exited too quickly (process log may have details)", "Exited too quickly (process log may have details)"},
		{Fatal, start, "", `unknown error (try "tail web")`},
		{Stopped, time.Time{}, "", "Not started"},
		{Exited, start, "", "Nov 21 04:52 PM"},
		{Starting, start, "", ""},
		{Stopping, start, "", ""},
		{Unknown, start, "", ""},
	}
	for _, c := range cases {
		if got := Describe("web", c.state, 123, c.start, stop, now, c.err); got != c.want {
			t.Errorf("Describe(%s) = %q, want %q", c.state, got, c.want)
		}
	}
}

func TestExitDescription(t *testing.T) {
	cases := []struct {
		ws   syscall.WaitStatus
		want string
		code int
	}{
		{syscall.WaitStatus(3 << 8), "exit status 3", 3},
		{syscall.WaitStatus(0), "exit status 0", 0},
		{syscall.WaitStatus(uint32(syscall.SIGTERM)), "terminated by SIGTERM", -1},
		{syscall.WaitStatus(uint32(syscall.SIGSEGV) | 0x80), "terminated by SIGSEGV (core dumped)", -1},
	}
	for _, c := range cases {
		got, code := ExitDescription(c.ws, config.SignalName)
		if got != c.want || code != c.code {
			t.Errorf("ExitDescription(%#x) = %q, %d; want %q, %d", uint32(c.ws), got, code, c.want, c.code)
		}
	}
}
