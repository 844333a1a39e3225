// Package logs captures child output and keeps Supervisor-compatible log
// files.
//
// A File is one log file with Supervisor 4.2.5's rotation contract: after a
// write that brings the file to MaxBytes or more, backups shift (".1" is the
// newest) and a new empty file is opened; Backups=0 truncates in place and
// MaxBytes=0 never rotates. Read and Tail implement readProcessLog and
// tailProcessLog exactly, and a Follower streams a log live across rotation,
// truncation and clearing without ever slowing the writer.
//
// Capture drains one output pipe of a child into a File. When no
// transformation is needed it moves the bytes with splice(2) (zero copy);
// otherwise it reads into pooled buffers and applies capture mode
// (PROCESS_COMMUNICATION tokens), ANSI stripping and the callbacks for
// events, syslog and the main log. An idle Capture holds neither a buffer
// nor an OS thread. Drain runs the same capture in the background, driven
// by the daemon's poller, so that an idle child's pipe costs no goroutine
// either; the daemon captures every child's output that way.
//
// The package follows the house rule "logs lose nothing": every byte read
// from a pipe is written to the log (or its rotated backups), deliberately
// discarded (a NONE log, stripped escapes, captured messages), or counted as
// dropped in the statistics and reported through log/slog.
//
// NewMainHandler formats the daemon's own log like supervisord's main log.
package logs
