// Package process supervises one program instance: it spawns the child in
// its own process group, watches it, and moves it through Supervisor
// 4.2.5's process state machine (STOPPED, STARTING, RUNNING, BACKOFF,
// STOPPING, EXITED, FATAL, UNKNOWN).
//
// The state machine itself (Machine) is a pure value with a Step method:
// given a trigger (start request, exit, timer, …) it returns the new
// machine, the state changes to announce and the actions to perform. It is
// unit-tested without processes. Process is the small interpreter that
// performs those actions with real children, timers and pipes.
//
// The engine is event-driven: each child's exit is observed through its
// pidfd on the daemon's poller (package poller: no thread blocked in wait,
// no polling loop), and startsecs, back-off and stopwaitsecs are timers. A
// crashed autorestart program is respawned as soon as its exit is seen.
// On a kernel that gives no pidfd, a goroutine blocked in wait4 watches
// the child instead (see watch); both report exits alike.
//
// What a process needs from the daemon (its logs opened, its output
// consumed, its state changes announced) it asks of its Host, which the
// supervisor implements once per process.
package process
