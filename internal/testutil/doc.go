// Package testutil holds what the tests of every package share:
//
//   - waiting for a condition with a deadline instead of sleeping
//     (Eventually, Poll, Receive, Context, all bounded by Timeout);
//   - the reference Supervisor 4.2.5 (Python, Supervisord, Supervisorctl)
//     and the rule for tests that need it (Require, RequirePython,
//     RequireSupervisor, RunPython, RunPythonJSON), and promtool's check
//     of a Prometheus exposition (CheckMetrics);
//   - processes: the ones a test leaves behind (Mark, Marked,
//     CheckNoStrays), starting a daemon that dies with the test
//     (StartDaemon, DaemonAttr), zombies, threads, and running a test of this binary
//     again in a child (RunTest);
//   - small fixtures: a goroutine-safe Buffer, short temp dirs for unix
//     sockets, free loopback ports, Basic credentials and a test PKI.
//
// The rules it encodes: a test never sleeps to synchronise and never
// asserts on timing it does not control; a deadline only bounds a failure,
// so it is generous (Timeout) and a passing test never waits for it. Where
// the reference Supervisor is missing, a test that compares with it skips
// on a developer's machine but fails when the CI environment variable is
// set, so that CI cannot pass by silently skipping it.
//
// It is a leaf: it imports nothing of the module, so that the tests of
// every package, the core's included, can use it. The in-process daemon
// harness, which needs the core, is its subpackage daemontest.
package testutil
