package logs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/loglevel"
)

// slog levels for Supervisor's seven log levels (internal/loglevel). DEBG,
// INFO, WARN and ERRO are slog's own Debug, Info, Warn and Error.
const (
	// LevelBlather is Supervisor's BLAT (3), below trace.
	LevelBlather = loglevel.Blather
	// LevelTrace is Supervisor's TRAC (5), below debug.
	LevelTrace = loglevel.Trace
	// LevelCritical is Supervisor's CRIT (50), above error.
	LevelCritical = loglevel.Critical
)

// supervisorLevels maps Supervisor's level numbers, names and config words.
var supervisorLevels = []struct {
	num   int
	name  string // 4-letter name in the main log
	word  string // loglevel= value
	level slog.Level
}{
	{50, "CRIT", "critical", LevelCritical},
	{40, "ERRO", "error", slog.LevelError},
	{30, "WARN", "warn", slog.LevelWarn},
	{20, "INFO", "info", slog.LevelInfo},
	{10, "DEBG", "debug", slog.LevelDebug},
	{5, "TRAC", "trace", LevelTrace},
	{3, "BLAT", "blather", LevelBlather},
}

// LevelFromSupervisor returns the slog level of a Supervisor level number
// (50 critical … 3 blather). A number between two levels maps to the lower
// one, like Supervisor's "level >= handler.level" comparisons.
func LevelFromSupervisor(num int) slog.Level {
	for _, l := range supervisorLevels {
		if num >= l.num {
			return l.level
		}
	}
	return LevelBlather
}

// SupervisorLevel returns the Supervisor level number of an slog level.
func SupervisorLevel(l slog.Level) int {
	for _, s := range supervisorLevels {
		if l >= s.level {
			return s.num
		}
	}
	return 3
}

// ParseLevel parses a Supervisor loglevel value (critical, error, warn,
// info, debug, trace, blather; any case).
func ParseLevel(word string) (slog.Level, error) {
	w := strings.ToLower(word)
	for _, l := range supervisorLevels {
		if l.word == w {
			return l.level, nil
		}
	}
	return 0, fmt.Errorf("invalid loglevel %q (expected critical, error, warn, info, debug, trace or blather)", word)
}

// LevelName returns the 4-letter main-log name of an slog level (CRIT,
// ERRO, WARN, INFO, DEBG, TRAC, BLAT).
func LevelName(l slog.Level) string {
	for _, s := range supervisorLevels {
		if l >= s.level {
			return s.name
		}
	}
	return "BLAT"
}

// mainOut is the writer shared by a handler and the handlers derived from it.
type mainOut struct {
	mu sync.Mutex
	w  io.Writer
}

type mainHandler struct {
	out    *mainOut
	level  slog.Leveler
	attrs  []byte // preformatted WithAttrs attributes
	prefix string // group prefix for keys ("g." …)
}

// NewMainHandler returns a slog.Handler that writes supervisord's main-log
// line format to w, one Write per record:
//
//	2026-11-21 04:52:32,139 INFO spawned: 'x' with pid 123
//
// (local time with milliseconds, the 4-letter level name, the message as
// is, then any attributes as " key=value"). Records below level are
// dropped; a nil level means info.
func NewMainHandler(w io.Writer, level slog.Leveler) slog.Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	return &mainHandler{out: &mainOut{w: w}, level: level}
}

// Enabled reports whether records of level l are written.
func (h *mainHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Handle formats r as one main-log line and writes it.
func (h *mainHandler) Handle(_ context.Context, r slog.Record) error {
	bp := lineBufs.Get().(*[]byte)
	b := (*bp)[:0]
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	b = t.Local().AppendFormat(b, "2006-01-02 15:04:05,000")
	b = append(b, ' ')
	b = append(b, LevelName(r.Level)...)
	b = append(b, ' ')
	b = append(b, r.Message...)
	b = append(b, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		b = appendAttr(b, h.prefix, a)
		return true
	})
	b = append(b, '\n')
	h.out.mu.Lock()
	_, err := h.out.w.Write(b)
	h.out.mu.Unlock()
	if cap(b) <= 64<<10 {
		*bp = b
		lineBufs.Put(bp)
	}
	return err
}

// WithAttrs returns a handler that appends as to every line.
func (h *mainHandler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	n := *h
	n.attrs = append([]byte(nil), h.attrs...)
	for _, a := range as {
		n.attrs = appendAttr(n.attrs, h.prefix, a)
	}
	return &n
}

// WithGroup returns a handler that prefixes later keys with name and a dot.
func (h *mainHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := *h
	n.prefix = h.prefix + name + "."
	return &n
}

// appendAttr appends " key=value" (groups flattened as g.key).
func appendAttr(b []byte, prefix string, a slog.Attr) []byte {
	v := a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return b
	}
	if v.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range v.Group() {
			b = appendAttr(b, p, g)
		}
		return b
	}
	b = append(b, ' ')
	b = append(b, prefix...)
	b = append(b, a.Key...)
	b = append(b, '=')
	var s string
	switch v.Kind() {
	case slog.KindString:
		s = v.String()
	case slog.KindTime:
		s = v.Time().Format(time.RFC3339Nano)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			s = err.Error()
		} else {
			s = v.String()
		}
	default:
		s = v.String()
	}
	if needsQuote(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range s {
		if r == ' ' || r == '=' || r == '"' || r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return true
		}
	}
	return false
}
