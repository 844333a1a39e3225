package logs

import "fmt"

// Capturer is an incremental Capture for callers that wait for readiness
// themselves (an event loop): Pump moves what a non-blocking pipe holds
// now and returns, so a capture waiting for output holds no goroutine at
// all. It applies the same processing and accounting as Capture.
type Capturer struct {
	c    *capturer
	done bool
}

// NewCapturer returns a capture into dst (nil for a NONE log) for the
// pipe whose read end is fd; fd must be non-blocking.
func NewCapturer(fd int, dst *File, opts CaptureOptions) *Capturer {
	c := newCapturer(dst, opts)
	c.probe(fd)
	return &Capturer{c: c}
}

// Pump moves everything readable from fd now. It returns eof true once the
// pipe reached end of file (or failed, with the error); the capture is then
// finished and Pump must not be called again. Calls must not overlap.
func (p *Capturer) Pump(fd int) (eof bool, err error) {
	if p.done {
		return true, nil
	}
	for {
		switch p.c.step(fd) {
		case progress:
			continue
		case drained, wouldBlock:
			return false, nil
		case atEOF:
			p.finish()
			return true, nil
		default:
			p.finish()
			return true, fmt.Errorf("capture: %w", p.c.err)
		}
	}
}

// finish ends the capture: held-back bytes are written.
func (p *Capturer) finish() {
	p.done = true
	p.c.finish()
	p.c.release()
}

// Stats returns the capture's statistics so far.
func (p *Capturer) Stats() CaptureStats { return p.c.st }
