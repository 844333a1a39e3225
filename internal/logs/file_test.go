package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func openT(t *testing.T, cfg FileConfig) *File {
	t.Helper()
	f, err := OpenFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func write(t *testing.T, f *File, s string) {
	t.Helper()
	if n, err := f.Write([]byte(s)); err != nil || n != len(s) {
		t.Fatalf("write: %d %v", n, err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// TestRotationContract checks Supervisor's doRollover: rotate after the
// write that reaches maxbytes, never split a write, shift backups, drop the
// oldest, keep the mode.
func TestRotationContract(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	os.WriteFile(path, []byte("old-"), 0o600)
	f := openT(t, FileConfig{Path: path, MaxBytes: 10, Backups: 2})
	write(t, f, "12345") // 9 bytes (appended to existing content)
	if readFile(t, path) != "old-12345" || exists(path+".1") {
		t.Fatal("rotated too early")
	}
	write(t, f, "6") // 10 bytes -> rotate
	if readFile(t, path) != "" || readFile(t, path+".1") != "old-123456" {
		t.Fatalf("after first rotation: %q %q", readFile(t, path), readFile(t, path+".1"))
	}
	big := strings.Repeat("x", 17890)
	write(t, f, big) // one write is never split
	if readFile(t, path+".1") != big || readFile(t, path+".2") != "old-123456" {
		t.Fatal("big write split or backups not shifted")
	}
	write(t, f, "abcdefghij")
	if readFile(t, path+".1") != "abcdefghij" || readFile(t, path+".2") != big || exists(path+".3") {
		t.Fatal("oldest backup not dropped")
	}
	for _, p := range []string{path, path + ".1", path + ".2"} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %v, want 0600 kept across rotation", p, fi.Mode().Perm())
		}
	}
	if st := f.Stats(); st.Rotations != 3 || st.Written != 5+1+17890+10 {
		t.Fatalf("stats %+v", st)
	}
}

// TestBackupsZeroTruncates: with backups=0 the file is truncated in place
// and a follower gets a Reset.
func TestBackupsZeroTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 8, Backups: 0})
	fl := f.Follow(0)
	defer fl.Close()
	write(t, f, "1234")
	ctx := context.Background()
	c, err := fl.Next(ctx)
	if err != nil || string(c.Data) != "1234" {
		t.Fatalf("%+v %v", c, err)
	}
	write(t, f, "5678") // reaches 8: truncated in place
	if readFile(t, path) != "" || exists(path+".1") {
		t.Fatal("not truncated in place")
	}
	write(t, f, "ab")
	var got []string
	for len(got) < 3 {
		c, err := fl.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("data=%q gap=%d reset=%v", c.Data, c.Gap, c.Reset))
	}
	want := []string{`data="" gap=4 reset=none`, `data="" gap=0 reset=truncated`, `data="ab" gap=0 reset=none`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestMaxBytesZero never rotates.
func TestMaxBytesZero(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 0, Backups: 3})
	for i := 0; i < 100; i++ {
		write(t, f, strings.Repeat("z", 1000))
	}
	if fi, _ := os.Stat(path); fi.Size() != 100000 || exists(path+".1") || f.Stats().Rotations != 0 {
		t.Fatal("rotated with maxbytes=0")
	}
}

// TestRotationFailureKeepsBytes: when Path.1 cannot be replaced the file
// keeps growing, the error is counted, and rotation resumes later.
func TestRotationFailureKeepsBytes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	os.MkdirAll(filepath.Join(path+".1", "blocker"), 0o755) // rename onto a non-empty dir fails
	f := openT(t, FileConfig{Path: path, MaxBytes: 4, Backups: 1})
	write(t, f, "abcd")
	write(t, f, "efgh")
	if readFile(t, path) != "abcdefgh" {
		t.Fatalf("bytes lost: %q", readFile(t, path))
	}
	st := f.Stats()
	if st.RotateErrors != 1 || st.LastRotateError == nil || st.Rotations != 0 {
		t.Fatalf("stats %+v", st)
	}
	os.RemoveAll(path + ".1")
	f.mu.Lock()
	f.retryAt = time.Time{} // instead of waiting retryEvery
	f.mu.Unlock()
	write(t, f, "i")
	if readFile(t, path+".1") != "abcdefghi" || readFile(t, path) != "" {
		t.Fatal("rotation did not resume")
	}
}

// TestStatsWhileRotationFails reads Stats while rotations fail and
// writes drop: the errors are counted without a data race (run with
// -race), and each reader sees a consistent count and error.
func TestStatsWhileRotationFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	os.MkdirAll(filepath.Join(path+".1", "blocker"), 0o755) // rename onto a non-empty dir fails
	f := openT(t, FileConfig{Path: path, MaxBytes: 4, Backups: 1})
	const failures = 50
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < failures; i++ {
			f.mu.Lock()
			f.retryAt = time.Time{} // instead of waiting retryEvery
			f.mu.Unlock()
			write(t, f, "abcd")
		}
	}()
	for reading := true; reading; {
		select {
		case <-done:
			reading = false
		default:
		}
		st := f.Stats()
		if (st.RotateErrors == 0) != (st.LastRotateError == nil) {
			t.Fatalf("stats %+v", st)
		}
	}
	if st := f.Stats(); st.RotateErrors != failures || st.Written != 4*failures {
		t.Fatalf("stats %+v, want %d rotation errors", st, failures)
	}
}

// TestClearWithFollower: Clear removes the file (keeping backups), reopens
// it empty, and a follower gets a Reset and then the new bytes.
func TestClearWithFollower(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 6, Backups: 1})
	write(t, f, "backup") // rotates into .1
	write(t, f, "live")
	fl := f.Follow(100)
	defer fl.Close()
	ctx := context.Background()
	if c, err := fl.Next(ctx); err != nil || string(c.Data) != "live" {
		t.Fatalf("%+v %v", c, err)
	}
	if err := f.Clear(); err != nil {
		t.Fatal(err)
	}
	if readFile(t, path) != "" || readFile(t, path+".1") != "backup" {
		t.Fatal("clear did not empty the file or touched the backup")
	}
	write(t, f, "new")
	c, err := fl.Next(ctx)
	if err != nil || c.Reset != ResetCleared {
		t.Fatalf("%+v %v", c, err)
	}
	c, err = fl.Next(ctx)
	if err != nil || string(c.Data) != "new" || c.Offset != 0 {
		t.Fatalf("%+v %v", c, err)
	}
	if b, _ := f.Read(0, 0); string(b) != "new" {
		t.Fatalf("read after clear %q", b)
	}
}

// TestReopenAfterMove: SIGUSR2 semantics. The file was moved away; writes
// keep going to it until Reopen, then to a new file; a follower reads the
// moved file to its end and continues with the new one.
func TestReopenAfterMove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	f := openT(t, FileConfig{Path: path})
	fl := f.Follow(0)
	defer fl.Close()
	write(t, f, "one ")
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	write(t, f, "two ")
	if err := f.Reopen(); err != nil {
		t.Fatal(err)
	}
	write(t, f, "three")
	if readFile(t, path+".moved") != "one two " || readFile(t, path) != "three" {
		t.Fatalf("moved %q new %q", readFile(t, path+".moved"), readFile(t, path))
	}
	if err := f.Reopen(); err != nil { // same file: no-op
		t.Fatal(err)
	}
	write(t, f, "!")
	var got bytes.Buffer
	rotated := 0
	for got.Len() < len("one two |three!") {
		c, err := fl.Next(context.Background())
		if c.Reset == ResetRotated {
			// Moving to the reopened file is announced; nothing is lost.
			rotated++
			got.WriteString("|")
			continue
		}
		if err != nil || c.Gap != 0 || c.Reset != 0 {
			t.Fatalf("%+v %v", c, err)
		}
		got.Write(c.Data)
	}
	if got.String() != "one two |three!" || rotated != 1 {
		t.Fatalf("follower got %q", got.String())
	}
	if readFile(t, path) != "three!" {
		t.Fatal("no-op reopen changed the file")
	}
}

// TestExternalTruncation: another program truncates the file (logrotate
// copytruncate): writes continue at the new end (no hole) and followers get
// a Reset.
func TestExternalTruncation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path})
	fl := f.Follow(0)
	defer fl.Close()
	write(t, f, "0123456789")
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	write(t, f, "abc")
	if readFile(t, path) != "abc" {
		t.Fatalf("file %q (hole?)", readFile(t, path))
	}
	ctx := context.Background()
	var got []string
	for len(got) < 3 {
		c, err := fl.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%q/%d/%v", c.Data, c.Gap, c.Reset))
	}
	// The first ten bytes may or may not have been read before the
	// truncation was noticed; both orders end with the reset and "abc".
	s := strings.Join(got, " ")
	if s != `"0123456789"/0/none ""/0/truncated "abc"/0/none` && !strings.HasPrefix(s, `""/10/none ""/0/truncated`) {
		t.Fatalf("got %s", s)
	}
}

// TestSharedPath: two Files on one path (stdout and stderr into one file)
// never overwrite each other.
func TestSharedPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "both.log")
	a := openT(t, FileConfig{Path: path})
	b := openT(t, FileConfig{Path: path})
	var wg sync.WaitGroup
	for _, f := range []*File{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				f.Write([]byte("0123456789\n"))
			}
		}()
	}
	wg.Wait()
	if fi, _ := os.Stat(path); fi.Size() != 2*2000*11 {
		t.Fatalf("size %d, want %d", fi.Size(), 2*2000*11)
	}
	if strings.Count(readFile(t, path), "0123456789\n") != 4000 {
		t.Fatal("interleaved writes")
	}
}

func TestOpenFileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		cfg  FileConfig
		want string
	}{
		{FileConfig{}, "path is empty"},
		{FileConfig{Path: dir + "/x", MaxBytes: -1}, "maxbytes -1 is negative"},
		{FileConfig{Path: dir + "/x", Backups: -1}, "backups -1 is negative"},
		{FileConfig{Path: dir + "/missing/x.log"}, dir + "/missing/x.log"},
		{FileConfig{Path: dir}, "is a directory"},
	}
	for _, c := range cases {
		if _, err := OpenFile(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("OpenFile(%+v) = %v, want error containing %q", c.cfg, err, c.want)
		}
	}
}

func TestClosedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f, _ := OpenFile(FileConfig{Path: path})
	write(t, f, "abc")
	fl := f.Follow(10)
	f.Close()
	if _, err := f.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
	if f.Stats().Dropped != 1 {
		t.Fatal("write after close not counted as dropped")
	}
	if err := f.Clear(); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
	// Reading still works (by path), the follower drains then gets EOF.
	if b, err := f.Read(0, 0); err != nil || string(b) != "abc" {
		t.Fatal(b, err)
	}
	c, err := fl.Next(context.Background())
	if err != nil || string(c.Data) != "abc" {
		t.Fatal(c, err)
	}
	if _, err := fl.Next(context.Background()); err != io.EOF {
		t.Fatalf("want EOF, got %v", err)
	}
	fl.Close()
	if len(f.segs) != 0 {
		t.Fatalf("%d segments still open", len(f.segs))
	}
}

// TestReadSemantics is §5.7 readProcessLog, with the observed examples of a
// 400-byte log (reference/supervisor-4.2.5-observed.md §12.4).
func TestReadSemantics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "printer.log")
	var content strings.Builder
	for i := 84; content.Len() < 400; i++ {
		fmt.Fprintf(&content, "out line %d\n", i)
	}
	data := content.String()[:400]
	data = data[:len(data)-len("out line 115\n")] + "out line 115\n" // ends like the transcript
	os.WriteFile(path, []byte(data), 0o644)
	f := openT(t, FileConfig{Path: path})
	cases := []struct {
		off, n int64
		want   string
		err    errdefs.Reason
	}{
		{0, 30, "out line 84\nout line 85\nout li", 0},
		{10, 20, "4\nout line 85\nout li", 0},
		{-30, 0, data[len(data)-30:], 0},
		{-30, 5, "", errdefs.BadArguments},
		{0, -5, "", errdefs.BadArguments},
		{-1, -1, "", errdefs.BadArguments},
		{0, 0, data, 0},
		{100000, 10, "", 0},
		{100000, 0, "", 0},
		{-100000, 0, data, 0},
		{0, 12, "out line 84\n", 0},
		{390, 100, data[390:], 0},
		{int64(len(data)), 1, "", 0},
	}
	if !strings.HasSuffix(data[len(data)-30:], "out line 115\n") {
		t.Fatal("fixture")
	}
	for _, c := range cases {
		got, err := f.Read(c.off, c.n)
		if errdefs.ReasonOf(err) != c.err || string(got) != c.want {
			t.Errorf("Read(%d, %d) = %q, %v; want %q, %v", c.off, c.n, got, err, c.want, c.err)
		}
	}
	os.Remove(path)
	if _, err := f.Read(0, 10); errdefs.ReasonOf(err) != errdefs.NoFile || !strings.Contains(err.Error(), path) {
		t.Fatalf("missing file: %v", err)
	}
}

// TestTailSemantics is §5.7 tailProcessLog, checked against Supervisor's
// own tailFile arithmetic for a 100-byte file.
func TestTailSemantics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.log")
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteByte(byte('A' + i%26))
	}
	data := b.String()
	os.WriteFile(path, []byte(data), 0o644)
	f := openT(t, FileConfig{Path: path})
	cases := []struct {
		off, n   int64
		want     string
		overflow bool
	}{
		{0, 20, data[80:], true},
		{50, 80, data[20:], false},
		{100, 10, "", false},
		{0, 100, data, false},
		{0, 100000, data, false},
		{100000, 20, "", false},
		{99, 1, data[99:], false},
		{98, 1, data[99:], true},
		{0, 1, data[99:], true},
		{0, 0, "", true},
		{10, -5, "", true},
		{-50, 20, data[80:], true},
		{-5, 200, data, false},
		{90, 20, data[80:], false},
		// Saturating, not wrapping, at the int64 limits (4.2.5 has
		// unbounded integers).
		{math.MaxInt64, math.MaxInt64, "", false},
		{math.MaxInt64, 1, "", false},
		{math.MinInt64, -1, "", true},
		{math.MinInt64, math.MinInt64, "", true},
		{math.MaxInt64, math.MinInt64, "", true},
		{math.MaxInt64 - 50, math.MaxInt64, "", false},
	}
	for _, c := range cases {
		got, off, of, err := f.Tail(c.off, c.n)
		if err != nil || string(got) != c.want || off != 100 || of != c.overflow {
			t.Errorf("Tail(%d, %d) = %q, %d, %v, %v; want %q, 100, %v", c.off, c.n, got, off, of, err, c.want, c.overflow)
		}
	}
	// The same cases through Supervisor's own tailFile.
	t.Run("supervisor", func(t *testing.T) { supervisorTail(t, path, cases) })
	// A length past what Python can read (4.2.5 fails with OverflowError):
	// the whole file.
	if got, off, of, err := f.Tail(0, math.MaxInt64); err != nil || string(got) != data || off != 100 || of {
		t.Errorf("Tail(0, MaxInt64) = %q, %d, %v, %v; want the whole file", got, off, of, err)
	}
	os.Remove(path)
	if got, off, of, err := f.Tail(0, 10); err != nil || len(got) != 0 || off != 0 || of {
		t.Fatalf("missing file: %q %d %v %v", got, off, of, err)
	}
}

func supervisorTail(t *testing.T, path string, cases []struct {
	off, n   int64
	want     string
	overflow bool
}) {
	t.Helper()
	var args []string
	for _, c := range cases {
		args = append(args, fmt.Sprintf("%d,%d", c.off, c.n))
	}
	script := `import sys
from supervisor.options import tailFile
for a in sys.argv[2:]:
    o, n = map(int, a.split(','))
    d, off, of = tailFile(sys.argv[1], o, n)
    print('%s %d %s' % (d or '-', off, of))`
	out := testutil.RunPython(t, script, append([]string{path}, args...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, c := range cases {
		want := c.want
		if want == "" {
			want = "-"
		}
		if exp := fmt.Sprintf("%s 100 %v", want, map[bool]string{true: "True", false: "False"}[c.overflow]); lines[i] != exp {
			t.Errorf("Supervisor tailFile(%d, %d) = %s, our table says %s", c.off, c.n, lines[i], exp)
		}
	}
}

// TestFollowTail: a follower starts with the last bytes of the file.
func TestFollowTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	os.WriteFile(path, []byte("0123456789"), 0o644)
	f := openT(t, FileConfig{Path: path})
	for _, tc := range []struct {
		tail int64
		want string
	}{{4, "6789"}, {100, "0123456789"}, {0, "new"}, {-1, "new"}} {
		fl := f.Follow(tc.tail)
		if tc.tail <= 0 {
			write(t, f, "new")
		}
		c, err := fl.Next(context.Background())
		if err != nil || string(c.Data) != tc.want {
			t.Errorf("Follow(%d): %q %v, want %q", tc.tail, c.Data, err, tc.want)
		}
		fl.Close()
		if tc.tail <= 0 {
			f.Clear()
			write(t, f, "0123456789")
		}
	}
}

// TestFollowContextAndClose: Next returns on ctx end and on Close.
func TestFollowContextAndClose(t *testing.T) {
	f := openT(t, FileConfig{Path: filepath.Join(t.TempDir(), "a.log")})
	fl := f.Follow(0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := fl.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := fl.Next(context.Background()); done <- err }()
	fl.Close()
	if err := testutil.Receive(t, done, "Close to end Next"); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
}

// TestFollowRotation: followers see every byte in order across many
// rotations while a child writes as fast as it can.
func TestFollowRotation(t *testing.T) {
	const total = 24 << 20
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 1<<20 + 17, Backups: 40,
		FollowMaxLag: 1 << 40, FollowRate: 1 << 40})
	var wg sync.WaitGroup
	results := make([][]byte, 3)
	errs := make([]error, 3)
	for i := range results {
		fl := f.Follow(0)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer fl.Close()
			var got []byte
			for len(got) < total {
				c, err := fl.Next(context.Background())
				if err != nil {
					errs[i] = err
					return
				}
				if c.Reset == ResetRotated {
					continue // announced; offsets restart, nothing is lost
				}
				if c.Gap != 0 || c.Reset != 0 {
					errs[i] = fmt.Errorf("unexpected %+v at %d", c, len(got))
					return
				}
				got = append(got, c.Data...)
			}
			results[i] = got
		}()
	}
	c := startChild(t, fmt.Sprintf("stream:%d:5:65536", total))
	if _, err := Capture(context.Background(), c.r, f, CaptureOptions{}); err != nil {
		t.Fatal(err)
	}
	c.wait(t)
	wg.Wait()
	want := streamBytes(total, 5)
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("follower %d: %v", i, errs[i])
		}
		if !bytes.Equal(results[i], want) {
			t.Fatalf("follower %d: stream differs (%d bytes)", i, len(results[i]))
		}
	}
	if f.Stats().Rotations < 20 {
		t.Fatalf("only %d rotations", f.Stats().Rotations)
	}
	if bytes.Compare(concat(t, path, 40), want) != 0 {
		t.Fatal("files differ from stream")
	}
}

// TestFollowGap: a follower that falls behind skips ahead; data plus gaps
// account for every byte, and what it does see is in order.
func TestFollowGap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 1 << 20, Backups: 3, FollowMaxLag: 256 << 10})
	fl := f.Follow(0)
	defer fl.Close()
	stream := streamBytes(8<<20, 9)
	for off := 0; off < len(stream); off += 100000 {
		f.Write(stream[off:min(off+100000, len(stream))])
	}
	f.Close()
	var seen, gaps int64
	var gapCount int
	for {
		c, err := fl.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Gap > 0 {
			gaps += c.Gap
			gapCount++
			continue
		}
		if !bytes.Equal(c.Data, stream[seen+gaps:seen+gaps+int64(len(c.Data))]) {
			t.Fatalf("data at stream offset %d out of order", seen+gaps)
		}
		seen += int64(len(c.Data))
	}
	if seen+gaps != int64(len(stream)) || gapCount == 0 {
		t.Fatalf("seen %d + gaps %d (%d) != %d", seen, gaps, gapCount, len(stream))
	}
}

// TestFollowNoFile: following a stream target fails with NO_FILE.
func TestFollowNoFile(t *testing.T) {
	f := openT(t, FileConfig{Path: "/dev/stderr"})
	if _, err := f.Follow(0).Next(context.Background()); errdefs.ReasonOf(err) != errdefs.NoFile {
		t.Fatal(err)
	}
	null := openT(t, FileConfig{Path: os.DevNull})
	if b, err := null.Read(0, 0); err != nil || len(b) != 0 {
		t.Fatal(b, err)
	}
	write(t, null, "discarded")
}

// TestFollowExternalTruncationIdle: a follower behind a file truncated by
// another program, with no write after it, waits quietly (no busy loop) and
// resumes with a Reset at the next write.
func TestFollowExternalTruncationIdle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, FollowInterval: time.Nanosecond})
	write(t, f, "0123456789")
	fl := f.Follow(0)
	defer fl.Close()
	f.mu.Lock()
	fl.pos = 2 // as if it had read two bytes before the truncation
	f.mu.Unlock()
	os.Truncate(path, 0)
	// Next runs on this goroutine, locked to its thread: the thread's CPU
	// time is Next's alone. Waiting parks the thread; a busy loop would
	// spend a good part of the window even on a loaded machine.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const window = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	c0 := threadCPU(t)
	if _, err := fl.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on a silently truncated file: %v", err)
	}
	if used := threadCPU(t) - c0; used > window/10 {
		t.Fatalf("waiting %v used %v of CPU (busy loop?)", window, used)
	}
	write(t, f, "ab")
	var got []string
	for len(got) < 3 {
		c, err := fl.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%q/%d/%v", c.Data, c.Gap, c.Reset))
	}
	if s := strings.Join(got, " "); s != `""/8/none ""/0/truncated "ab"/0/none` {
		t.Fatalf("got %s", s)
	}
}

// threadCPU returns the CPU time the calling thread has used.
func threadCPU(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
