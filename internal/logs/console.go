package logs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// maxConsoleLine is the longest piece of a line the console holds back
// waiting for its newline; a longer line is written in pieces.
const maxConsoleLine = 64 << 10

// Console writes the output of every program to the daemon's own standard
// output and error, one line at a time with the program's name, so that a
// container's log (docker logs, kubectl logs) shows who said what. Lines
// of different programs never mix: each destination is written by one
// Write per chunk of whole lines, under a lock that the main log shares
// (see Stdout).
//
// Prefixed, a line is "NAME | TEXT". A piece that does not end its line
// (a line longer than 64 KiB, or output that ends without a newline) is
// written as "NAME + TEXT": the next piece of NAME continues it, so a
// reader that joins those pieces gets every byte back. As JSON, a line is
// an object {"time", "level":"INFO", "msg": TEXT, "process": NAME,
// "stream": "stdout"|"stderr"}, with "partial": true for such a piece and,
// when TEXT is not valid UTF-8, "base64" holding its exact bytes.
//
// Writes block while the destination blocks (as a program writing to the
// terminal would): nothing is dropped while the destination accepts
// bytes; what a failing destination refuses is counted (Dropped).
type Console struct {
	json    bool
	out     *consoleDest
	err     *consoleDest
	dropped atomic.Int64
}

// consoleDest is one of the daemon's standard streams, shared by every
// writer of the console and the main log.
type consoleDest struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p under the destination's lock, in one call.
func (d *consoleDest) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.w.Write(p)
}

// IsStdStream reports whether a log path names the daemon's own standard
// output or error (see FileConfig.Path).
func IsStdStream(path string) bool {
	_, ok := stdStreams[path]
	return ok
}

// NewConsole returns a console on stdout and stderr, prefixed or as JSON
// lines.
func NewConsole(stdout, stderr io.Writer, asJSON bool) *Console {
	return &Console{json: asJSON, out: &consoleDest{w: stdout}, err: &consoleDest{w: stderr}}
}

// Stdout returns the console's standard output for other writers (the
// main log), so that their lines never mix with the programs' lines.
func (c *Console) Stdout() io.Writer { return c.out }

// Dropped returns the number of bytes the destinations refused.
func (c *Console) Dropped() int64 { return c.dropped.Load() }

// Stream returns the writer of one program's stdout or stderr (stderr
// true), which goes to the daemon's stdout or stderr. A Stream is not safe
// for concurrent use: one capture writes it.
func (c *Console) Stream(name string, stderr bool) *ConsoleStream {
	s := &ConsoleStream{c: c, name: name, dest: c.out, stream: "stdout"}
	if stderr {
		s.dest, s.stream = c.err, "stderr"
	}
	return s
}

// ConsoleStream is the console writer of one channel of one program.
type ConsoleStream struct {
	c      *Console
	name   string
	stream string
	dest   *consoleDest
	// partial holds the start of a line whose newline has not come yet.
	partial []byte
	out     []byte
}

// Write takes a chunk of the program's output: its complete lines are
// written at once, the rest is held until its newline (or Flush).
func (s *ConsoleStream) Write(p []byte) (int, error) {
	n := len(p)
	s.out = s.out[:0]
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.partial = append(s.partial, p...)
			for len(s.partial) >= maxConsoleLine {
				s.appendLine(s.partial[:maxConsoleLine], false)
				s.partial = s.partial[maxConsoleLine:]
			}
			break
		}
		if len(s.partial) > 0 {
			s.partial = append(s.partial, p[:i]...)
			s.appendLine(s.partial, true)
			s.partial = s.partial[:0]
		} else {
			s.appendLine(p[:i], true)
		}
		p = p[i+1:]
	}
	s.emit()
	if cap(s.partial) > keptLineBuf && len(s.partial) == 0 {
		s.partial = nil // do not keep a big buffer for an idle program
	}
	return n, nil
}

// Flush writes the held part of a line as a partial piece (at the end of
// the program's output).
func (s *ConsoleStream) Flush() {
	if len(s.partial) == 0 {
		return
	}
	s.out = s.out[:0]
	s.appendLine(s.partial, false)
	s.partial = nil
	s.emit()
}

// emit writes the formatted lines, counting what the destination refuses.
func (s *ConsoleStream) emit() {
	if len(s.out) == 0 {
		return
	}
	n, err := s.dest.Write(s.out)
	if err != nil || n < len(s.out) {
		s.c.dropped.Add(int64(len(s.out) - n))
	}
	if cap(s.out) > 4*maxConsoleLine {
		s.out = nil
	}
}

// appendLine formats one line (without its newline) into s.out; whole
// reports whether the program ended it.
func (s *ConsoleStream) appendLine(line []byte, whole bool) {
	if !s.c.json {
		s.out = append(s.out, s.name...)
		if whole {
			s.out = append(s.out, " | "...)
		} else {
			s.out = append(s.out, " + "...)
		}
		s.out = append(s.out, line...)
		s.out = append(s.out, '\n')
		return
	}
	rec := consoleRecord{
		Time:    time.Now().Format(time.RFC3339Nano),
		Level:   "INFO",
		Msg:     string(line),
		Process: s.name,
		Stream:  s.stream,
		Partial: !whole,
	}
	if !utf8.Valid(line) {
		rec.Base64 = base64.StdEncoding.EncodeToString(line)
	}
	b, _ := json.Marshal(rec) // plain strings and a bool: cannot fail
	s.out = append(append(s.out, b...), '\n')
}

// consoleRecord is a JSON console line; its first fields are those of
// log/slog's JSON handler, so the main log and the programs' lines parse
// alike.
type consoleRecord struct {
	Time    string `json:"time"`
	Level   string `json:"level"`
	Msg     string `json:"msg"`
	Process string `json:"process"`
	Stream  string `json:"stream"`
	Partial bool   `json:"partial,omitempty"`
	Base64  string `json:"base64,omitempty"`
}

// NewMainJSONHandler returns the main log's handler for logformat=json:
// log/slog's JSON handler, one object per line with "time", "level" (the
// 4-letter name of Supervisor's level: "INFO", "CRIT", "BLAT"…) and "msg".
func NewMainJSONHandler(w io.Writer, level slog.Leveler) slog.Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	return slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.LevelKey {
				if l, ok := a.Value.Any().(slog.Level); ok {
					return slog.String(slog.LevelKey, LevelName(l))
				}
			}
			return a
		},
	})
}
