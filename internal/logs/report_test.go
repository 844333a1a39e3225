package logs

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// records is a slog handler that keeps every record.
type records struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec.Clone())
	return nil
}

// lines returns the records with message msg, as attribute maps.
func (r *records) lines(msg string) []map[string]slog.Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]slog.Value
	for _, rec := range r.recs {
		if rec.Message != msg {
			continue
		}
		m := map[string]slog.Value{}
		rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value; return true })
		out = append(out, m)
	}
	return out
}

// sum adds up attribute key of the records with message msg.
func (r *records) sum(msg, key string) int64 {
	var n int64
	for _, l := range r.lines(msg) {
		n += l[key].Int64()
	}
	return n
}

// TestDeletedLogDirectory removes the directory of a log while it is
// written: bytes that reach no file are dropped and counted, the drops
// are reported with byte counts that add up to the total, and the log is
// made again once the directory is back.
func TestDeletedLogDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	os.Mkdir(dir, 0o755)
	path := filepath.Join(dir, "app.log")
	rec := &records{}
	f, err := OpenFile(FileConfig{Path: path, Logger: slog.New(rec), ReportInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := []byte(strings.Repeat("x", 99) + "\n")
	if _, err := f.Write(chunk); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if n, err := f.Write(chunk); n != 0 || err == nil || !strings.Contains(err.Error(), "the log file was deleted and cannot be created again") {
			t.Fatalf("write %d to a deleted log: %d, %v", i, n, err)
		}
	}
	if st := f.Stats(); st.Dropped != 1000 || st.Written != 100 {
		t.Fatalf("stats %+v; want 1000 dropped, 100 written", st)
	}
	testutil.Eventually(t, "the drop reports to add up", func() bool { return rec.sum("log bytes dropped", "bytes") == 1000 })
	if l := rec.lines("log bytes dropped"); l[0]["file"].String() != path || l[len(l)-1]["total"].Int64() != 1000 {
		t.Fatalf("drop report %v", l)
	}

	// The directory comes back: the next write after the retry delay
	// makes the file again (writes before it are dropped and counted).
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "a write to succeed", func() bool {
		n, _ := f.Write(chunk)
		return n == len(chunk)
	})
	b, err := os.ReadFile(path)
	if err != nil || string(b) != string(chunk) {
		t.Fatalf("the recreated log holds %q (%v)", b, err)
	}
	dropped := f.Stats().Dropped
	testutil.Eventually(t, "the recovery report", func() bool { return len(rec.lines("log writes recovered")) == 1 })
	if got := rec.lines("log writes recovered")[0]["dropped"].Int64(); got != dropped {
		t.Fatalf("recovered after %d dropped bytes; stats say %d", got, dropped)
	}
	testutil.Eventually(t, "every drop reported", func() bool { return rec.sum("log bytes dropped", "bytes") == dropped })
}

// TestDropReportsAreRateLimited fails every write of a File whose report
// interval is long: one line reports the first drop and the rest waits
// for the next interval, however many writes fail.
func TestDropReportsAreRateLimited(t *testing.T) {
	rec := &records{}
	f, err := OpenFile(FileConfig{Path: "/dev/full", Logger: slog.New(rec), ReportInterval: time.Hour})
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	for i := 0; i < 1000; i++ {
		f.Write([]byte("lost\n"))
	}
	testutil.Eventually(t, "the first report", func() bool { return len(rec.lines("log bytes dropped")) == 1 })
	if l := rec.lines("log bytes dropped"); l[0]["bytes"].Int64() != 5 {
		t.Fatalf("first report %v", l)
	}
	// Give a wrongly unlimited reporter the chance to log more.
	for i := 0; i < 100; i++ {
		f.Write([]byte("lost\n"))
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(rec.lines("log bytes dropped")); n != 1 {
		t.Fatalf("%d drop reports within the interval; want 1", n)
	}
	if f.Stats().Dropped != 1100*5 {
		t.Fatalf("dropped %d", f.Stats().Dropped)
	}
}
