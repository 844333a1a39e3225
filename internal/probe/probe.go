package probe

import (
	"context"
	"fmt"
	"time"
)

// Result is the outcome of one check.
type Result struct {
	// Time is when the check started.
	Time time.Time
	// Duration is how long it took.
	Duration time.Duration
	// OK reports whether it passed.
	OK bool
	// Output says what happened: the command's output, the HTTP status,
	// the connection error (at most MaxOutput bytes).
	Output string
}

// MaxOutput bounds a Result's Output.
const MaxOutput = 1024

// Check runs one check, bounded by ctx (its deadline is the probe's
// timeout). It reports whether the check passed and what happened.
type Check func(ctx context.Context) (ok bool, output string)

// Timing is when a probe runs.
type Timing struct {
	// InitialDelay is the wait before the first check.
	InitialDelay time.Duration
	// Period is the time between the starts of two checks; a check that
	// takes longer delays the next one (checks never overlap).
	Period time.Duration
	// Timeout bounds each check.
	Timeout time.Duration
}

// Run checks after t.InitialDelay, then every t.Period, until ctx ends,
// and calls report with each result (from Run's goroutine; a report is
// never made after ctx ended). It returns when ctx ends. Run it in its own
// goroutine.
func Run(ctx context.Context, t Timing, check Check, report func(Result)) {
	timer := time.NewTimer(t.InitialDelay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		start := time.Now()
		r := Once(ctx, t.Timeout, check)
		if ctx.Err() != nil {
			return
		}
		report(r)
		timer.Reset(max(0, t.Period-time.Since(start)))
	}
}

// Once runs one check bounded by timeout and times it. A check that
// fails because the timeout passed says so.
func Once(ctx context.Context, timeout time.Duration, check Check) Result {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	ok, out := check(cctx)
	r := Result{Time: start, Duration: time.Since(start), OK: ok, Output: truncate(out)}
	if !ok && cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		r.Output = truncate(fmt.Sprintf("timed out after %v", timeout) + suffix(out))
	}
	return r
}

// suffix returns ": s" for a non-empty s.
func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// truncate bounds s to MaxOutput bytes.
func truncate(s string) string {
	if len(s) <= MaxOutput {
		return s
	}
	return s[:MaxOutput-3] + "..."
}
