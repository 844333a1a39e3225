package memtrim

import (
	"sync"
	"sync/atomic"
	"time"
)

// Quiet is how long the daemon waits after a burst of work (API calls,
// process state changes) before it gives back what the burst grew: long
// enough that a burst is over, short enough that an idle daemon is small
// by the time anyone looks. A trim costs a few milliseconds with 1000
// programs, once per burst.
const Quiet = 2 * time.Second

// shared is the daemon's one Trimmer.
var shared = sync.OnceValue(func() *Trimmer { return New(Quiet, Release) })

// Shared returns the process's one Trimmer, Release after Quiet, which the
// engine (process state changes) and the server (API calls) both touch: a
// burst of calls that restarts programs is trimmed once, not once by each.
func Shared() *Trimmer { return shared() }

// Trimmer runs a trim function once the calls that Touch it have paused
// for its quiet period.
type Trimmer struct {
	quiet time.Duration
	trim  func()
	base  time.Time
	// last is when Touch was last called, in nanoseconds since base
	// (monotonic).
	last atomic.Int64
	// armed is set while a timer is pending; it owns the next trim.
	armed atomic.Bool
}

// New returns a Trimmer that calls trim once no Touch has come for quiet
// after one did. quiet must be positive.
func New(quiet time.Duration, trim func()) *Trimmer {
	return &Trimmer{quiet: quiet, trim: trim, base: time.Now()}
}

// Touch records activity. It is cheap enough for every call: a clock read
// and an atomic store, plus a timer for the first call of a burst.
func (t *Trimmer) Touch() {
	t.last.Store(int64(time.Since(t.base)))
	if !t.armed.Load() && t.armed.CompareAndSwap(false, true) {
		time.AfterFunc(t.quiet, t.fire)
	}
}

// fire runs when a timer expires: it trims if the quiet period has passed
// since the last Touch, and otherwise waits for the rest of it.
func (t *Trimmer) fire() {
	for {
		last := t.last.Load()
		if idle := time.Duration(int64(time.Since(t.base)) - last); idle < t.quiet {
			time.AfterFunc(t.quiet-idle, t.fire)
			return
		}
		t.armed.Store(false)
		// A Touch between the check and the store saw armed still set
		// and left the trim to this timer: take it back and wait again.
		if t.last.Load() == last || !t.armed.CompareAndSwap(false, true) {
			break
		}
	}
	t.trim()
}
