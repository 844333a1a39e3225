// Package testutil holds what the tests of every package share: waiting
// for a condition with a deadline instead of sleeping, the reference
// Python (Debian's python3, which has Supervisor 4.2.5) and the rule for
// tests that need it, a goroutine-safe buffer, short temp dirs for unix
// sockets, and checks on the processes a test leaves behind.
//
// The rules it encodes: a test never sleeps to synchronise and never
// asserts on timing it does not control; a deadline only bounds a failure,
// so it is generous (Timeout) and a passing test never waits for it. Where
// the reference Supervisor is missing, a differential test skips on a
// developer's machine but fails when the CI environment variable is set, so
// that CI cannot pass by silently skipping them.
//
// It is a leaf: it imports nothing of the module, so that the tests of
// every package, the core's included, can use it. The in-process daemon
// harness, which needs the core, is its subpackage daemontest.
package testutil
