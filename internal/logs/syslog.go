package logs

import (
	"bytes"
	"fmt"
	"log/slog"
	"log/syslog"
	"sync"
	"sync/atomic"
)

// SyslogTarget is where Syslog sends: ("", "") is the local system log
// (/dev/log); tests point it at their own socket.
var SyslogTarget = struct{ Network, Addr string }{}

// Syslog sends lines to the system log at LOG_USER|LOG_INFO with the tag
// "supervisord", as 4.2.5 does for *_syslog=true and logfile=syslog. It
// connects on first use and again after a failure; a line it cannot send
// is counted (Dropped) and the first failure of a streak is logged.
type Syslog struct {
	log *slog.Logger

	mu      sync.Mutex
	w       *syslog.Writer
	failing bool
	dropped atomic.Int64
}

// NewSyslog returns a syslog sender; failures are reported on log (may be
// nil).
func NewSyslog(log *slog.Logger) *Syslog {
	return &Syslog{log: log}
}

// Line sends one line (without its newline).
func (s *Syslog) Line(line []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		w, err := syslog.Dial(SyslogTarget.Network, SyslogTarget.Addr, syslog.LOG_USER|syslog.LOG_INFO, "supervisord")
		if err != nil {
			s.fail(err)
			return
		}
		s.w = w
	}
	if err := s.w.Info(string(line)); err != nil {
		s.w.Close()
		s.w = nil
		s.fail(err)
		return
	}
	if s.failing && s.log != nil {
		s.log.Info("syslog reachable again", "dropped_lines", s.dropped.Load())
	}
	s.failing = false
}

func (s *Syslog) fail(err error) {
	s.dropped.Add(1)
	if !s.failing && s.log != nil {
		// Logged from another goroutine: the main log may itself be
		// writing to this syslog.
		go s.log.Warn(fmt.Sprintf("cannot write to syslog: %v", err))
	}
	s.failing = true
}

// Write sends each line of p (the main log's handler writes whole lines).
func (s *Syslog) Write(p []byte) (int, error) {
	for _, line := range bytes.Split(bytes.TrimRight(p, "\n"), []byte("\n")) {
		s.Line(line)
	}
	return len(p), nil
}

// Dropped returns the number of lines that could not be sent.
func (s *Syslog) Dropped() int64 { return s.dropped.Load() }
