package logs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultReportInterval is the least time between two lines a File writes
// about its own problems (see FileConfig.ReportInterval).
const DefaultReportInterval = 5 * time.Second

// reporter tells the daemon's log about a File's failed writes and
// rotations, rate-limited: at most one batch of lines per interval, each
// batch summing up what happened since the previous one, so that a disk
// that stays full (or a log that fails and recovers at every write)
// costs a line every few seconds, and the byte counts of the "dropped"
// lines add up to every byte dropped.
type reporter struct {
	f     *File
	every time.Duration

	mu    sync.Mutex
	last  time.Time   // when the last batch was logged
	timer *time.Timer // armed while a batch waits for its turn

	dropped   int64 // bytes dropped since the last batch
	dropErr   error
	failing   bool  // in a streak of failed writes
	streak    int64 // bytes dropped in the current or last streak
	recovered bool  // a streak ended since the last batch

	rotFailed    int64 // failed rotations since the last batch
	rotErr       error
	rotFailing   bool // the last rotation attempt failed
	rotRecovered bool // a rotation succeeded after failures since the last batch
}

// drop notes n bytes that could not be written.
func (r *reporter) drop(n int64, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failing {
		r.failing, r.streak = true, 0
	}
	r.dropped += n
	r.streak += n
	r.dropErr = err
	r.scheduleLocked()
}

// wrote notes a successful write after failed ones.
func (r *reporter) wrote() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failing {
		return
	}
	r.failing = false
	r.recovered = true
	r.scheduleLocked()
}

// rotateFailed notes a failed rotation.
func (r *reporter) rotateFailed(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rotFailed++
	r.rotErr = err
	r.rotFailing = true
	r.scheduleLocked()
}

// rotated notes a successful rotation.
func (r *reporter) rotated() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.rotFailing {
		return
	}
	r.rotFailing = false
	r.rotRecovered = true
	r.scheduleLocked()
}

// scheduleLocked logs the pending batch now if the last one is old
// enough, or arms the timer for when it is.
func (r *reporter) scheduleLocked() {
	if r.timer != nil {
		return
	}
	wait := r.every - time.Since(r.last)
	if wait <= 0 {
		r.flushLocked()
		return
	}
	r.timer = time.AfterFunc(wait, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.timer = nil
		r.flushLocked()
	})
}

// flushLocked logs what happened since the last batch. The lines are
// written from another goroutine: the logger may write to this very File
// (the main log), possibly from inside one of its failing writes.
func (r *reporter) flushLocked() {
	type line struct {
		level slog.Level
		msg   string
		args  []any
	}
	var lines []line
	path := r.f.cfg.Path
	if r.dropped > 0 {
		lines = append(lines, line{slog.LevelError, "log bytes dropped", []any{
			"file", path, "bytes", r.dropped, "total", r.f.dropped.Load(), "err", r.dropErr}})
		r.dropped = 0
	}
	if r.recovered {
		lines = append(lines, line{slog.LevelWarn, "log writes recovered", []any{"file", path, "dropped", r.streak}})
		r.recovered = false
	}
	if r.rotFailed > 0 {
		lines = append(lines, line{slog.LevelError, "log rotation failed; the file keeps growing", []any{
			"file", path, "attempts", r.rotFailed, "err", r.rotErr}})
		r.rotFailed = 0
	}
	if r.rotRecovered {
		lines = append(lines, line{slog.LevelWarn, "log rotation works again", []any{"file", path}})
		r.rotRecovered = false
	}
	if len(lines) == 0 {
		return
	}
	r.last = time.Now()
	logger := r.f.log()
	go func() {
		for _, l := range lines {
			logger.Log(context.Background(), l.level, l.msg, l.args...)
		}
	}()
}
