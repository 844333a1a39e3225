// Package recovery lets a supervisord that crashed (kill -9, out of
// memory, a power-cut of the daemon alone) be restarted without running
// any program twice.
//
// While the daemon runs, a Recorder keeps a small state file beside the
// pidfile (<pidfile>.children, JSON): the daemon's own pid and start time,
// its configuration file, and every child it spawned that has not exited,
// each with its pid, its start time from /proc/<pid>/stat and how to stop
// it (stopsignal, stopwaitsecs, stopasgroup, killasgroup). A clean
// shutdown removes the file.
//
// When the daemon starts and finds the file, the previous daemon of the
// same configuration did not shut down: Recover stops every recorded
// child that still runs, as the old daemon would have (stop signal,
// bounded wait, SIGKILL), logging each, before any program is started.
// A process is only ever signalled when both its pid and its start time
// match the record, through a pidfd opened before the check, so a pid the
// kernel has since given to another process is never hit.
//
// Under systemd the unit's cgroup does this job (KillMode=mixed); the
// state file covers every other way of running the daemon.
package recovery
