// Package probe checks whether a supervised process is healthy: the
// readiness and liveness probes of gsupervisor's [program:x] options.
//
// A Check is one attempt (run a command, GET a URL, connect to a port);
// Run repeats a check on a schedule (initial delay, period, timeout) in
// its own goroutine and reports every Result; a Tracker turns results
// into a Status with success and failure thresholds; Combine derives a
// process's Health from its probes. A LineMatcher watches a process's
// output for a line matching a regular expression (the log readiness
// probe).
//
// Nothing here blocks its caller: a check that hangs holds only its own
// goroutine, and never starts again before the previous one ended, so a
// hung probe costs one goroutine and delays nothing else.
package probe
