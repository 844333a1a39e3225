package probe

import (
	"bytes"
	"regexp"
	"sync"
)

// Status is what a probe says after its thresholds.
type Status int

// The statuses.
const (
	// Pending: not enough results yet (or, for readiness, failures before
	// the first pass).
	Pending Status = iota
	// Passing: SuccessThreshold consecutive passes.
	Passing
	// Failing: FailureThreshold consecutive failures (for readiness, after
	// it passed once).
	Failing
)

// String names the status.
func (s Status) String() string {
	switch s {
	case Passing:
		return "passing"
	case Failing:
		return "failing"
	}
	return "pending"
}

// Tracker applies a probe's thresholds to its results.
type Tracker struct {
	// Success and Failure are the thresholds (at least 1).
	Success, Failure int
	// Readiness makes failures before the first pass keep the probe
	// Pending (a process that is not ready yet is not unhealthy); a
	// liveness probe fails whenever Failure results in a row fail.
	Readiness bool

	status     Status
	everPassed bool
	passes     int
	fails      int
}

// Status returns the current status.
func (t *Tracker) Status() Status { return t.status }

// Observe records one result and reports whether the status changed.
func (t *Tracker) Observe(ok bool) bool {
	before := t.status
	if ok {
		t.fails = 0
		t.passes++
		if t.passes >= max(1, t.Success) {
			t.status = Passing
			t.everPassed = true
		}
	} else {
		t.passes = 0
		t.fails++
		if t.fails >= max(1, t.Failure) && (t.everPassed || !t.Readiness) {
			t.status = Failing
		}
	}
	return t.status != before
}

// Pass marks the probe passed at once (a log probe matched).
func (t *Tracker) Pass() bool {
	before := t.status
	t.status, t.everPassed = Passing, true
	return before != Passing
}

// Health is a process's health.
type Health int

// The health values.
const (
	// HealthUnknown: the process has no probe, or no live child.
	HealthUnknown Health = iota
	// HealthStarting: its probes have not passed yet.
	HealthStarting
	// HealthHealthy: its probes pass.
	HealthHealthy
	// HealthUnhealthy: a probe fails.
	HealthUnhealthy
)

// Healths are the health values, in order.
var Healths = []Health{HealthUnknown, HealthStarting, HealthHealthy, HealthUnhealthy}

// String returns the health's name as the API spells it (UNKNOWN,
// STARTING, HEALTHY, UNHEALTHY).
func (h Health) String() string {
	switch h {
	case HealthStarting:
		return "STARTING"
	case HealthHealthy:
		return "HEALTHY"
	case HealthUnhealthy:
		return "UNHEALTHY"
	}
	return "UNKNOWN"
}

// Combine derives the health of a process with a live child from its
// probes (nil for a probe it does not have): unhealthy if one fails;
// otherwise starting until the readiness probe passed (the liveness probe
// when there is no readiness probe), healthy then. As in Kubernetes, a
// liveness probe that has not passed yet does not hold readiness back.
func Combine(readiness, liveness *Tracker) Health {
	if readiness == nil && liveness == nil {
		return HealthUnknown
	}
	for _, t := range []*Tracker{readiness, liveness} {
		if t != nil && t.Status() == Failing {
			return HealthUnhealthy
		}
	}
	gate := readiness
	if gate == nil {
		gate = liveness
	}
	if gate.Status() == Pending {
		return HealthStarting
	}
	return HealthHealthy
}

// maxLine bounds the part of an unfinished line a LineMatcher keeps.
const maxLine = 4096

// LineMatcher watches output for a line matching a regular expression.
// It is safe for concurrent use (stdout and stderr feed it at once, each
// with its own line buffer).
type LineMatcher struct {
	re *regexp.Regexp

	mu      sync.Mutex
	partial map[int][]byte
	line    string
	matched bool
}

// NewLineMatcher returns a matcher for re.
func NewLineMatcher(re *regexp.Regexp) *LineMatcher {
	return &LineMatcher{re: re, partial: map[int][]byte{}}
}

// Feed takes a chunk of one stream's output (stream tells stdout and
// stderr apart) and reports whether a line has matched, now or before.
// A line is matched once it is complete; a line longer than 4 KiB is
// matched on its last 4 KiB.
func (m *LineMatcher) Feed(stream int, data []byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.matched {
		return true
	}
	buf := append(m.partial[stream], data...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break
		}
		line := bytes.TrimRight(buf[:i], "\r")
		if m.re.Match(line) {
			m.matched, m.line = true, string(line)
			delete(m.partial, stream)
			return true
		}
		buf = buf[i+1:]
	}
	if len(buf) > maxLine {
		buf = buf[len(buf)-maxLine:]
	}
	m.partial[stream] = append([]byte(nil), buf...)
	return false
}

// Line returns the line that matched ("" before a match).
func (m *LineMatcher) Line() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.line
}
