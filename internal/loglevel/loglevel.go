// Package loglevel names the slog levels of Supervisor's three log levels
// that slog lacks, so that every package logging to the daemon's main log
// (the core through internal/logs, the surfaces through the logger they are
// handed) uses the same values. DEBG, INFO, WARN and ERRO are slog's own
// Debug, Info, Warn and Error. It is a leaf: it imports only log/slog.
package loglevel

import "log/slog"

const (
	// Blather is Supervisor's BLAT (3), below trace.
	Blather = slog.Level(-12)
	// Trace is Supervisor's TRAC (5), below debug.
	Trace = slog.Level(-8)
	// Critical is Supervisor's CRIT (50), above error.
	Critical = slog.Level(12)
)
