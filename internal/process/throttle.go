package process

import "time"

// restartBudget is the crash-loop floor (not in 4.2.5, which restarts an
// EXITED program at its next one-second poll): a token bucket of automatic
// restarts. It holds up to burst tokens and earns one every interval; an
// automatic restart spends one, and when none is left the restart waits
// for the next. A crashed program is restarted at once (milliseconds), a
// program that keeps exiting right after it starts settles at one restart
// per interval, and one that stays up earns its burst back. interval 0
// disables it.
type restartBudget struct {
	burst    float64
	interval time.Duration
	tokens   float64
	last     time.Time     // when tokens was last brought up to date
	wait     time.Duration // the delay of the pending throttled restart
	logged   bool          // the start of the current throttling was logged
}

// newRestartBudget returns a full budget.
func newRestartBudget(burst int, interval time.Duration) restartBudget {
	return restartBudget{burst: float64(burst), interval: interval, tokens: float64(burst)}
}

// refill earns the tokens of the time since the last update.
func (b *restartBudget) refill(now time.Time) {
	if !b.last.IsZero() && b.interval > 0 {
		b.tokens = min(b.tokens+float64(now.Sub(b.last))/float64(b.interval), b.burst)
	}
	b.last = now
}

// delay returns how long an automatic restart must wait now (0: at once)
// and remembers it for the restart timer. A restart at once ends a
// throttling episode.
func (b *restartBudget) delay(now time.Time) time.Duration {
	b.wait = 0
	if b.interval <= 0 {
		return 0
	}
	b.refill(now)
	if b.tokens >= 1 {
		b.logged = false
		return 0
	}
	b.wait = time.Duration((1 - b.tokens) * float64(b.interval))
	return b.wait
}

// spend takes the token of an automatic restart.
func (b *restartBudget) spend(now time.Time) {
	if b.interval <= 0 {
		return
	}
	b.refill(now)
	b.tokens = max(b.tokens-1, 0)
}

// startThrottling reports whether a throttled restart starts a new
// throttling episode (to be logged once).
func (b *restartBudget) startThrottling() bool {
	if b.logged {
		return false
	}
	b.logged = true
	return true
}
