package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func checkInvariant(t *testing.T, st CaptureStats) {
	t.Helper()
	sum := st.Logged + st.Dropped + st.Discarded + st.Captured + st.CaptureTruncated + st.Stripped
	if sum != st.Read {
		t.Fatalf("accounting: read %d != logged+dropped+discarded+captured+truncated+stripped %d (%+v)", st.Read, sum, st)
	}
}

// TestNothingLost: a child writes a known stream through many rotations; the
// backups (.N … .1) followed by the live file are exactly the stream.
func TestNothingLost(t *testing.T) {
	cases := []struct {
		name   string
		total  int64
		chunk  int
		opts   CaptureOptions
		splice bool
	}{
		{"splice", 256 << 20, 100_003, CaptureOptions{alwaysSplice: true}, true},
		{"adaptive", 64 << 20, 1 << 20, CaptureOptions{}, true},
		{"readwrite", 48 << 20, 65_537, CaptureOptions{OnLog: func([]byte) {}}, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed := uint64(100 + i)
			path := filepath.Join(t.TempDir(), "out.log")
			const maxBytes = 3<<20 + 12345
			backups := int(tc.total/maxBytes) + 5
			f, err := OpenFile(FileConfig{Path: path, MaxBytes: maxBytes, Backups: backups})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			c := startChild(t, fmt.Sprintf("stream:%d:%d:%d", tc.total, seed, tc.chunk))
			st, err := Capture(context.Background(), c.r, f, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			c.wait(t)
			checkInvariant(t, st)
			if st.Read != tc.total || st.Logged != tc.total {
				t.Fatalf("read %d logged %d, want %d", st.Read, st.Logged, tc.total)
			}
			// A capture with a callback never splices.
			if tc.splice != (st.Spliced > 0) || tc.opts.alwaysSplice && st.Spliced != tc.total {
				t.Fatalf("spliced %d of %d (splice expected: %v)", st.Spliced, tc.total, tc.splice)
			}
			sum, n, files := concatSum(t, path, backups)
			if n != tc.total {
				t.Fatalf("files hold %d bytes, want %d", n, tc.total)
			}
			if want := streamSum(tc.total, seed); sum != want {
				t.Fatalf("sha256 of backups+live %s, want %s", sum, want)
			}
			fs := f.Stats()
			if fs.Rotations != int64(files-1) || fs.Rotations < 10 {
				t.Fatalf("rotations %d, files %d", fs.Rotations, files)
			}
			if fs.Dropped != 0 || fs.Written != tc.total {
				t.Fatalf("stats %+v", fs)
			}
			// Every backup is maxBytes or at most one chunk more (a splice
			// is capped at the boundary, a read is not).
			for k := 1; k < files; k++ {
				st, err := os.Stat(fmt.Sprintf("%s.%d", path, k))
				if err != nil {
					t.Fatal(err)
				}
				if st.Size() < maxBytes || st.Size() >= maxBytes+readBufSize {
					t.Fatalf("%s.%d has %d bytes (maxbytes %d)", path, k, st.Size(), maxBytes)
				}
			}
		})
	}
}

// TestChildExitsRightAfterWrite: output written just before exit is kept.
func TestChildExitsRightAfterWrite(t *testing.T) {
	for _, plain := range []bool{true, false} {
		t.Run(fmt.Sprint("plain=", plain), func(t *testing.T) {
			path, f, c := exitedWriter(t) // the child is gone before we read anything
			opts := CaptureOptions{}
			if !plain {
				opts.Debug = func([]byte) {}
			}
			st, err := Capture(context.Background(), c.r, f, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkExitedLog(t, path, st)
		})
	}
}

// TestCaptureCancelDrains: on cancel, what is in the pipe is still logged.
func TestCaptureCancelDrains(t *testing.T) {
	for _, plain := range []bool{true, false} {
		t.Run(fmt.Sprint("plain=", plain), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.log")
			f, err := OpenFile(FileConfig{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close() // the write end stays open: no EOF
			ctx, cancel := context.WithCancel(context.Background())
			opts := CaptureOptions{}
			if !plain {
				opts.StripANSI = true
			}
			type result struct {
				st  CaptureStats
				err error
			}
			done := make(chan result, 1)
			go func() {
				st, err := Capture(ctx, r, f, opts)
				done <- result{st, err}
			}()
			w.WriteString("first\n")
			testutil.Eventually(t, "first line", func() bool { b, _ := os.ReadFile(path); return len(b) == 6 })
			// Fill the pipe while Capture may be anywhere, then cancel.
			data := bytes.Repeat([]byte("0123456789abcdef"), 3000)
			w.Write(data)
			cancel()
			res := testutil.Receive(t, done, "Capture to return after cancel")
			if !errors.Is(res.err, context.Canceled) {
				t.Fatalf("err %v", res.err)
			}
			got, _ := os.ReadFile(path)
			if want := append([]byte("first\n"), data...); !bytes.Equal(got, want) {
				t.Fatalf("logged %d bytes, want %d", len(got), len(want))
			}
			checkInvariant(t, res.st)
		})
	}
}

// TestCaptureCancelIdle: an idle capture returns promptly on cancel.
func TestCaptureCancelIdle(t *testing.T) {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := Capture(ctx, r, nil, CaptureOptions{}); done <- err }()
	cancel()
	if err := testutil.Receive(t, done, "Capture to return after cancel"); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// TestCaptureNilDrains: a NONE log still drains the pipe (the child never
// blocks) and counts the bytes as discarded.
func TestCaptureNilDrains(t *testing.T) {
	c := startChild(t, "zeros:5000000:65536")
	st, err := Capture(context.Background(), c.r, nil, CaptureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c.wait(t)
	if st.Read != 5000000 || st.Discarded != 5000000 {
		t.Fatalf("%+v", st)
	}
}

// TestNonUTF8 keeps arbitrary bytes as bytes through capture, Read, Tail and
// Follow.
func TestNonUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	f, err := OpenFile(FileConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	r, w, _ := os.Pipe()
	go func() { w.Write(all); w.Close() }()
	if _, err := Capture(context.Background(), r, f, CaptureOptions{}); err != nil {
		t.Fatal(err)
	}
	r.Close()
	got, err := f.Read(0, 0)
	if err != nil || !bytes.Equal(got, all) {
		t.Fatalf("Read: %v %x", err, got)
	}
	got, _, _, err = f.Tail(0, 256)
	if err != nil || !bytes.Equal(got, all) {
		t.Fatalf("Tail: %v %x", err, got)
	}
	fl := f.Follow(1000)
	defer fl.Close()
	c, err := fl.Next(context.Background())
	if err != nil || !bytes.Equal(c.Data, all) {
		t.Fatalf("Follow: %v %x", err, c.Data)
	}
}

// TestDevStdoutPipe: a File on /dev/stdout writes to the daemon's own
// stdout (here a pipe: no "Illegal seek"), and reading it is NO_FILE.
func TestDevStdoutPipe(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GSV_LOGS_HELPER=stdout-target")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr // pipes
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if got, want := stdout.String(), "direct write\ncaptured line\nstill open\n"; got != want {
		t.Fatalf("stdout %q, want %q", got, want)
	}
	for _, what := range []string{"read", "tail", "follow"} {
		if !strings.Contains(stderr.String(), what+"=NO_FILE: /dev/stdout") {
			t.Fatalf("%s did not fail with NO_FILE: %s", what, stderr.String())
		}
	}
}

// TestWriteErrorsCounted: a file limited by RLIMIT_FSIZE (in a child) makes
// splice and write fail; every byte is logged or counted as dropped.
func TestWriteErrorsCounted(t *testing.T) {
	dir := t.TempDir()
	const limit, total = 1 << 20, 3 << 20
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), fmt.Sprintf("GSV_LOGS_HELPER=fsize:%d:%d:%s", limit, total, dir))
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Capture CaptureStats
		File    struct{ Written, Dropped int64 }
		Err     string
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if res.Err != "<nil>" {
		t.Fatalf("capture error %s", res.Err)
	}
	st := res.Capture
	if st.Read != total || st.Logged != limit || st.Dropped != total-limit {
		t.Fatalf("capture stats %+v", st)
	}
	if res.File.Written != limit || res.File.Dropped != total-limit {
		t.Fatalf("file stats %+v", res.File)
	}
	if fi, err := os.Stat(filepath.Join(dir, "full.log")); err != nil || fi.Size() != limit {
		t.Fatalf("file: %v %v", fi, err)
	}
}

// TestStreamDrop: a stream target that fails (/dev/full) counts drops.
func TestStreamDrop(t *testing.T) {
	f, err := OpenFile(FileConfig{Path: "/dev/full"})
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("hello")); err == nil {
		t.Fatal("write to /dev/full succeeded")
	}
	if st := f.Stats(); st.Dropped != 5 || st.LastDropError == nil {
		t.Fatalf("%+v", st)
	}
}

// captureBytes runs Capture over the given writes (each its own write to
// the pipe, read separately) and returns the log and the messages.
func captureChunks(t *testing.T, opts CaptureOptions, chunks ...string) (string, []string, CaptureStats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.log")
	f, err := OpenFile(FileConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs []string
	opts.OnCommunication = func(m []byte) { msgs = append(msgs, string(m)) }
	c := &capturer{dst: f, opts: opts}
	for _, ch := range chunks {
		c.st.Read += int64(len(ch))
		buf := append(append([]byte(nil), c.pending...), ch...)
		c.pending = nil
		c.process(buf)
	}
	c.finish()
	got, _ := os.ReadFile(path)
	checkInvariant(t, c.st)
	return string(got), msgs, c.st
}

// TestCaptureModeSplits feeds a token-bearing stream split at every
// possible pair of points and checks the log and the messages.
func TestCaptureModeSplits(t *testing.T) {
	in := "before<!--XSUPERVISOR:BEGIN-->hello world<!--XSUPERVISOR:END-->after<!--XSUPERVISOR:BEGIN--><!--XSUPERVISOR:END-->end"
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j += 7 {
			log, msgs, st := captureChunks(t, CaptureOptions{CaptureMaxBytes: 100}, in[:i], in[i:j], in[j:])
			if log != "beforeafterend" || len(msgs) != 2 || msgs[0] != "hello world" || msgs[1] != "" {
				t.Fatalf("split %d,%d: log %q msgs %q", i, j, log, msgs)
			}
			if st.Messages != 2 {
				t.Fatalf("messages %d", st.Messages)
			}
		}
	}
}

func TestCaptureModeCases(t *testing.T) {
	cases := []struct {
		name   string
		max    int64
		chunks []string
		log    string
		msgs   []string
	}{
		{"disabled", 0, []string{"a<!--XSUPERVISOR:BEGIN-->b<!--XSUPERVISOR:END-->c"},
			"a<!--XSUPERVISOR:BEGIN-->b<!--XSUPERVISOR:END-->c", nil},
		{"bound keeps the last bytes", 4, []string{"x<!--XSUPERVISOR:BEGIN-->", "0123", "456789<!--XSUPERVISOR:END-->y"},
			"xy", []string{"6789"}},
		{"prefix held then released at EOF", 10, []string{"abc<!--XSUPER"}, "abc<!--XSUPER", nil},
		{"prefix that is not a token", 10, []string{"a<!--", "nope"}, "a<!--nope", nil},
		{"unterminated message is logged at EOF", 100, []string{"a<!--XSUPERVISOR:BEGIN-->partial"},
			"a<!--XSUPERVISOR:BEGIN-->partial", nil},
		{"two messages in one read", 100, []string{"<!--XSUPERVISOR:BEGIN-->1<!--XSUPERVISOR:END--><!--XSUPERVISOR:BEGIN-->2<!--XSUPERVISOR:END-->"},
			"", []string{"1", "2"}},
		{"end token outside capture is text", 100, []string{"a<!--XSUPERVISOR:END-->b"}, "a<!--XSUPERVISOR:END-->b", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log, msgs, st := captureChunks(t, CaptureOptions{CaptureMaxBytes: tc.max}, tc.chunks...)
			if log != tc.log || fmt.Sprint(msgs) != fmt.Sprint(tc.msgs) {
				t.Fatalf("log %q msgs %q, want %q %q", log, msgs, tc.log, tc.msgs)
			}
			if tc.name == "bound keeps the last bytes" && st.CaptureTruncated != 6 {
				t.Fatalf("truncated %d", st.CaptureTruncated)
			}
		})
	}
}

// TestCaptureModePipe runs capture mode end to end through a real pipe,
// with events and the debug callback.
func TestCaptureModePipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	f, err := OpenFile(FileConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, _ := os.Pipe()
	defer r.Close()
	var mu sync.Mutex
	var msgs, events []string
	var debug bytes.Buffer
	opts := CaptureOptions{
		CaptureMaxBytes: 1 << 20,
		OnCommunication: func(m []byte) { mu.Lock(); msgs = append(msgs, string(m)); mu.Unlock() },
		OnLog:           func(d []byte) { mu.Lock(); events = append(events, string(d)); mu.Unlock() },
		Debug:           func(d []byte) { debug.Write(d) },
	}
	done := make(chan CaptureStats, 1)
	go func() { st, _ := Capture(context.Background(), r, f, opts); done <- st }()
	steps := []string{"line1\n<!--XSUPER", "VISOR:BEGIN-->{\"k\":", "1}<!--XSUPERVISOR:E", "ND-->line2\n"}
	for _, s := range steps {
		w.WriteString(s)
		// Wait until the capture has read this write so that the next one
		// arrives in a separate read.
		testutil.Eventually(t, "capture progress", func() bool { return pipeLen(t, r) == 0 })
	}
	w.Close()
	st := testutil.Receive(t, done, "Capture to reach end of file")
	checkInvariant(t, st)
	got, _ := os.ReadFile(path)
	if string(got) != "line1\nline2\n" {
		t.Fatalf("log %q", got)
	}
	if len(msgs) != 1 || msgs[0] != `{"k":1}` {
		t.Fatalf("msgs %q", msgs)
	}
	if strings.Join(events, "") != "line1\n{\"k\":1}line2\n" || debug.String() != strings.Join(events, "") {
		t.Fatalf("events %q debug %q", events, debug.String())
	}
}

// pipeLen returns the number of bytes waiting in the pipe.
func pipeLen(t *testing.T, r *os.File) int {
	rc, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	rc.Control(func(fd uintptr) { n, err = unix.IoctlGetInt(int(fd), unix.TIOCINQ) })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStripANSI compares the stripper with Supervisor's stripEscapes (run in
// the real Python), then checks sequences split across reads.
func TestStripANSI(t *testing.T) {
	inputs := []string{
		"plain text",
		"\x1b[31mred\x1b[0m normal",
		"\x1b[1;32;40mbold\x1b[K\x1b[2J\x1b[H",
		"esc alone \x1b x",
		"\x1b[", "trailing \x1b",
		"\x1b[?25l hidden cursor \x1b[?25h",
		"\x1b]0;title\x07 osc is not stripped",
		"a\x1b[12;34Hb\x1b[sc\x1b[ud",
		"\xff\xfe\x1b[1mbin\x00ary\x1b[m",
	}
	want := pythonStrip(t, inputs)
	for i, in := range inputs {
		var s ansiStripper
		held, out := s.strip([]byte(in))
		got := string(held) + string(out) + string(s.flush())
		if got != want[i] {
			t.Errorf("strip(%q) = %q, Supervisor gives %q", in, got, want[i])
		}
		// Split at every point: the result must be the same.
		for k := 0; k <= len(in); k++ {
			var s ansiStripper
			var b strings.Builder
			for _, part := range []string{in[:k], in[k:]} {
				held, out := s.strip([]byte(part))
				b.Write(held)
				b.Write(out)
			}
			b.Write(s.flush())
			if b.String() != want[i] {
				t.Errorf("strip(%q) split at %d = %q, want %q", in, k, b.String(), want[i])
			}
		}
	}
	// Through Capture, with the accounting.
	log, _, st := captureChunks(t, CaptureOptions{StripANSI: true}, "\x1b[3", "1mred\x1b", "[0m!\x1b")
	if log != "red!\x1b" || st.Stripped != 9 {
		t.Fatalf("log %q stripped %d", log, st.Stripped)
	}
}

// pythonStrip runs Supervisor's own stripEscapes on inputs.
func pythonStrip(t *testing.T, inputs []string) []string {
	t.Helper()
	var enc []string
	for _, in := range inputs {
		enc = append(enc, fmt.Sprintf("%x", in))
	}
	script := `import sys
from supervisor.dispatchers import stripEscapes
for h in sys.argv[1:]:
    print(stripEscapes(bytes.fromhex(h)).hex())`
	out := testutil.RunPython(t, script, enc...)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	res := make([]string, len(lines))
	for i, l := range lines {
		var b []byte
		fmt.Sscanf(l, "%x", &b)
		res[i] = string(b)
	}
	return res
}

// TestSyslogLines: complete lines go to the Syslog callback; a partial line
// is flushed at EOF.
func TestSyslogLines(t *testing.T) {
	var lines []string
	opts := CaptureOptions{Syslog: func(l []byte) { lines = append(lines, string(l)) }}
	log, _, _ := captureChunks(t, opts, "one\ntw", "o\n\nthr", "ee")
	if log != "one\ntwo\n\nthree" || fmt.Sprint(lines) != fmt.Sprint([]string{"one", "two", "", "three"}) {
		t.Fatalf("log %q lines %q", log, lines)
	}
}

// TestIdleCapturesHoldNoThreads: many idle captures park in the runtime's
// poller: no OS thread and no buffer each.
func TestIdleCapturesHoldNoThreads(t *testing.T) {
	const n = 300
	dir := t.TempDir()
	before := testutil.Threads(t)
	var wg sync.WaitGroup
	writers := make([]*os.File, n)
	files := make([]*File, n)
	for i := range writers {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		writers[i] = w
		f, err := OpenFile(FileConfig{Path: filepath.Join(dir, fmt.Sprintf("%d.log", i))})
		if err != nil {
			t.Fatal(err)
		}
		files[i] = f
		opts := CaptureOptions{}
		if i%2 == 1 {
			opts.StripANSI = true // the read/write path idles the same way
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			defer f.Close()
			Capture(context.Background(), r, f, opts)
		}()
		w.WriteString("x\n")
	}
	testutil.Eventually(t, "first lines", func() bool {
		for _, f := range files {
			if f.Stats().Written != 2 {
				return false
			}
		}
		return true
	})
	if after := testutil.Threads(t); after-before > 20 {
		t.Fatalf("%d idle captures use %d more threads", n, after-before)
	}
	for _, w := range writers {
		w.Close()
	}
	wg.Wait()
}

// TestCaptureBlockingSource: a descriptor that is not pollable (a blocking
// pipe made outside os.Pipe) is still captured completely, on both paths.
func TestCaptureBlockingSource(t *testing.T) {
	for _, plain := range []bool{true, false} {
		t.Run(fmt.Sprint("plain=", plain), func(t *testing.T) {
			var p [2]int
			if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
				t.Fatal(err)
			}
			r, w := os.NewFile(uintptr(p[0]), "r"), os.NewFile(uintptr(p[1]), "w")
			defer r.Close()
			path := filepath.Join(t.TempDir(), "x.log")
			f := openT(t, FileConfig{Path: path})
			opts := CaptureOptions{}
			if !plain {
				opts.OnLog = func([]byte) {}
			}
			done := make(chan error, 1)
			go func() { _, err := Capture(context.Background(), r, f, opts); done <- err }()
			want := streamBytes(300000, 3)
			half := len(want) / 2
			w.Write(want[:half])
			testutil.Eventually(t, "first half", func() bool { return f.Stats().Written == int64(half) })
			w.Write(want[half:])
			w.Close()
			if err := testutil.Receive(t, done, "Capture to reach end of file"); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
				t.Fatalf("got %d bytes, want %d", len(got), len(want))
			}
		})
	}
}

// TestSpliceSwitching drives the read/write <-> splice choice through a real
// pipe: full reads switch to splice, a run of small splices switches back.
func TestSpliceSwitching(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := unix.FcntlInt(w.Fd(), unix.F_SETPIPE_SZ, 1<<20); err != nil {
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), "x.log")
	f := openT(t, FileConfig{Path: path})
	c := &capturer{dst: f, canSplice: true, isPipe: true}
	rc, _ := r.SyscallConn()
	step := func() (res stepResult) {
		rc.Control(func(fd uintptr) { res = c.step(int(fd)) })
		return res
	}
	var want []byte
	put := func(n int) {
		b := streamBytes(n, uint64(len(want)))
		want = append(want, b...)
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < readsToSplice; i++ {
		if c.splice {
			t.Fatalf("splicing after %d reads", i)
		}
		put(readBufSize)
		if res := step(); res != progress {
			t.Fatalf("read step %v", res)
		}
	}
	if !c.splice {
		t.Fatal("full reads did not switch to splice")
	}
	for i := 0; i < smallSplices; i++ {
		put(1000)
		step()
	}
	if c.splice || c.readUntil != c.st.Read+readPhase {
		t.Fatalf("small splices did not switch back (splice %v)", c.splice)
	}
	if step() != wouldBlock {
		t.Fatal("empty pipe not idle")
	}
	if c.st.Spliced != smallSplices*1000 || c.st.Read != int64(len(want)) {
		t.Fatalf("stats %+v", c.st)
	}
	if got := readFile(t, path); got != string(want) {
		t.Fatal("file differs from what was written")
	}
}
