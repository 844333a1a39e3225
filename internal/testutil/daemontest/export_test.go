package daemontest

import "time"

// SetStrayWait sets how long the cleanup waits for the daemon's processes
// to be gone, so that the test of a stray does not wait testutil.Timeout.
func SetStrayWait(d time.Duration) { strayWait = d }
