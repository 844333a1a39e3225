package testutil

import (
	"context"
	"testing"
	"time"
)

// Timeout bounds every wait of the tests. It is long because it only
// bounds a failure: on a loaded 2-core machine a child can take seconds to
// be scheduled, and a passing test never waits for the deadline.
const Timeout = 60 * time.Second

// pollMin and pollMax bound the interval between two checks of a
// condition: the first checks come fast so that quick conditions cost
// little, later ones back off so that slow ones do not burn the CPU the
// rest of the machine needs.
const (
	pollMin = time.Millisecond
	pollMax = 25 * time.Millisecond
)

// Eventually checks cond until it returns true and fails the test, naming
// what it waited for, if that has not happened within Timeout. Call it
// from the test's goroutine; other goroutines use Poll.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	EventuallyWithin(t, Timeout, what, cond)
}

// EventuallyWithin is Eventually with a deadline of d, for a wait whose
// bound is part of what the test checks (say, a protocol timeout of the
// daemon's own that must fire).
func EventuallyWithin(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Poll(d, cond) {
		t.Fatalf("timed out after %v waiting for %s", d, what)
	}
}

// Poll checks cond until it returns true or d has passed, and reports
// whether it did. It does not touch the test, so goroutines other than the
// test's can use it.
func Poll(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	interval := pollMin
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
		interval = min(2*interval, pollMax)
	}
	return true
}

// Receive returns the next value from ch (the zero value if ch is closed),
// failing the test, naming what it waited for, if none comes within
// Timeout.
func Receive[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(Timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("timed out after %v waiting for %s", Timeout, what)
		var zero T
		return zero
	}
}

// Context returns a context that ends after Timeout or when the test
// ends, for calls that must not hang the test.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	t.Cleanup(cancel)
	return ctx
}

// Parallel runs f in n goroutines at once and returns the first error
// any of them returned (nil if none), once all have returned. Unlike
// t.Fatal, f may report from any goroutine.
func Parallel(n int, f func() error) error {
	errs := make(chan error, n)
	for range n {
		go func() { errs <- f() }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
