package logs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// unprefix rebuilds each program's bytes from prefixed console output and
// fails the test on a line that is not "NAME | TEXT" or "NAME + TEXT".
func unprefix(t *testing.T, out []byte) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	for len(out) > 0 {
		i := bytes.IndexByte(out, '\n')
		if i < 0 {
			t.Fatalf("console output does not end with a newline: %q", out)
		}
		line := out[:i]
		out = out[i+1:]
		name, text, ok := bytes.Cut(line, []byte(" | "))
		whole := true
		if n2, t2, ok2 := bytes.Cut(line, []byte(" + ")); ok2 && (!ok || len(n2) < len(name)) {
			name, text, ok, whole = n2, t2, true, false
		}
		if !ok || bytes.ContainsAny(name, " ") {
			t.Fatalf("mixed or unprefixed console line: %.80q", line)
		}
		got[string(name)] = append(got[string(name)], text...)
		if whole {
			got[string(name)] = append(got[string(name)], '\n')
		}
	}
	return got
}

// randomOutput returns n bytes of text lines of random lengths (some
// longer than the console's line limit) with arbitrary bytes inside, not
// ending with a newline.
func randomOutput(r *rand.Rand, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		l := r.IntN(200)
		if r.IntN(50) == 0 {
			l = maxConsoleLine + r.IntN(3*maxConsoleLine)
		}
		for j := 0; j < l && len(out) < n; j++ {
			c := byte(r.IntN(256))
			if c == '\n' {
				c = 'n'
			}
			out = append(out, c)
		}
		if len(out) < n-1 {
			out = append(out, '\n')
		}
	}
	return out
}

// TestConsolePrefixedLossless writes the output of several programs at
// once, in chunks of random sizes, and checks that every console line is
// whole and prefixed and that each program's bytes come back exactly.
func TestConsolePrefixedLossless(t *testing.T) {
	var out, errOut testutil.Buffer
	c := NewConsole(&out, &errOut, false)
	r := rand.New(rand.NewPCG(1, 2))
	want := map[string][]byte{}
	var wg sync.WaitGroup
	for i := range 4 {
		name := fmt.Sprintf("group:prog_%d", i)
		data := randomOutput(r, 600<<10)
		want[name] = data
		seed := uint64(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := c.Stream(name, false)
			rr := rand.New(rand.NewPCG(seed, 9))
			for p := data; len(p) > 0; {
				k := min(len(p), 1+rr.IntN(9000))
				s.Write(p[:k])
				p = p[k:]
			}
			s.Flush()
		}()
	}
	wg.Wait()
	got := unprefix(t, []byte(out.String()))
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: %d bytes back, want %d (equal prefix %d)", name, len(got[name]), len(data), commonPrefix(got[name], data))
		}
	}
	if errOut.Len() != 0 || c.Dropped() != 0 {
		t.Errorf("stderr got %d bytes, dropped %d", errOut.Len(), c.Dropped())
	}
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestConsoleJSON checks the JSON lines: one object per line, the
// process and the stream, partial pieces marked, and the exact bytes in
// base64 when the text is not UTF-8.
func TestConsoleJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	c := NewConsole(&out, &errOut, true)
	s := c.Stream("web:web_00", true)
	input := []byte("hello \"world\"\nbad \xff\xfe bytes\nno newline")
	s.Write(input[:9])
	s.Write(input[9:])
	s.Flush()
	if out.Len() != 0 {
		t.Errorf("stdout got %q", out.String())
	}
	var rebuilt []byte
	sc := bufio.NewScanner(&errOut)
	lines := 0
	for sc.Scan() {
		lines++
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not JSON: %q: %v", sc.Text(), err)
		}
		if rec["process"] != "web:web_00" || rec["stream"] != "stderr" || rec["level"] != "INFO" || rec["time"] == nil {
			t.Errorf("record %v", rec)
		}
		text := []byte(rec["msg"].(string))
		if b64, ok := rec["base64"].(string); ok {
			text, _ = base64.StdEncoding.DecodeString(b64)
		}
		rebuilt = append(rebuilt, text...)
		if rec["partial"] != true {
			rebuilt = append(rebuilt, '\n')
		}
	}
	if lines != 3 || !bytes.Equal(rebuilt, input) {
		t.Errorf("%d lines, rebuilt %q, want %q", lines, rebuilt, input)
	}
}

// TestCaptureToConsole captures a real pipe into a rotating file and the
// console at once: both get every byte, also for a NONE log (no file).
func TestCaptureToConsole(t *testing.T) {
	data := randomOutput(rand.New(rand.NewPCG(3, 4)), 3<<20)
	for _, withFile := range []bool{true, false} {
		var out testutil.Buffer
		c := NewConsole(&out, &out, false)
		var f *File
		dir := t.TempDir()
		path := filepath.Join(dir, "x.log")
		if withFile {
			var err error
			if f, err = OpenFile(FileConfig{Path: path, MaxBytes: 1 << 20, Backups: 5}); err != nil {
				t.Fatal(err)
			}
		}
		r, w, _ := os.Pipe()
		go func() { w.Write(data); w.Close() }()
		st, err := Capture(context.Background(), r, f, CaptureOptions{Console: c.Stream("prog", false)})
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := unprefix(t, []byte(out.String()))["prog"]; !bytes.Equal(got, data) {
			t.Errorf("file=%v: the console got %d bytes, want %d", withFile, len(got), len(data))
		}
		if !withFile {
			if st.Discarded != int64(len(data)) {
				t.Errorf("NONE log: %+v", st)
			}
			continue
		}
		f.Close()
		var all []byte
		for i := 5; i >= 1; i-- {
			b, _ := os.ReadFile(fmt.Sprintf("%s.%d", path, i))
			all = append(all, b...)
		}
		b, _ := os.ReadFile(path)
		all = append(all, b...)
		if !bytes.Equal(all, data) || st.Spliced != 0 {
			t.Errorf("the file and its backups hold %d bytes (want %d), spliced %d", len(all), len(data), st.Spliced)
		}
	}
}

// TestConsoleSharedWithMainLog checks that the main log written through
// Stdout and the programs' lines never mix within a line.
func TestConsoleSharedWithMainLog(t *testing.T) {
	var out testutil.Buffer
	c := NewConsole(&out, &out, false)
	log := NewMainHandler(c.Stdout(), nil)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s := c.Stream("prog", false)
		for range 2000 {
			s.Write([]byte(strings.Repeat("x", 100) + "\n"))
		}
	}()
	go func() {
		defer wg.Done()
		l := slog.New(log)
		for range 2000 {
			l.Info("main log line")
		}
	}()
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if line != "prog | "+strings.Repeat("x", 100) && !strings.HasSuffix(line, " INFO main log line") {
			t.Fatalf("mixed line %q", line)
		}
	}
}

// TestConsoleCountsDrops checks that a destination that refuses bytes
// (/dev/full) is counted, not retried forever.
func TestConsoleCountsDrops(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	c := NewConsole(full, full, false)
	s := c.Stream("p", false)
	s.Write([]byte("abc\n"))
	if c.Dropped() != int64(len("p | abc\n")) {
		t.Errorf("Dropped = %d", c.Dropped())
	}
}

// TestMainJSONHandler checks logformat=json: slog's JSON lines with
// Supervisor's level names and the level threshold.
func TestMainJSONHandler(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewMainJSONHandler(&buf, slog.LevelInfo))
	l.Debug("hidden")
	l.Info("spawned: 'x' with pid 1", "pid", 1)
	l.Log(context.Background(), LevelCritical, "crit")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines %q", lines)
	}
	for i, want := range []string{"INFO", "CRIT"} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil || rec["level"] != want || rec["time"] == nil {
			t.Errorf("line %q: %v %v", lines[i], rec, err)
		}
	}
	if !strings.Contains(lines[0], `"msg":"spawned: 'x' with pid 1","pid":1`) {
		t.Errorf("line %q", lines[0])
	}
}
