// Package procfs reads what the daemon and pidproxy need to know about a
// process from Linux's /proc: its parent, process group, state and start
// time. The start time, counted in clock ticks since boot, never changes
// for a process and differs between two processes that reuse the same pid
// one after the other, so a (pid, start time) pair names one process for
// the life of the machine.
package procfs
