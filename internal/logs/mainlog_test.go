package logs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

func TestMainHandlerFormat(t *testing.T) {
	var buf bytes.Buffer
	lg := slog.New(NewMainHandler(&buf, LevelTrace))
	lg.Info("spawned: 'x' with pid 123")
	lg.Log(context.Background(), LevelCritical, "Supervisor is running as root.")
	lg.Log(context.Background(), LevelTrace, "trace me")
	lg.Log(context.Background(), LevelBlather, "too chatty") // below trace: dropped
	lg.Debug("'printer' stdout output:\nline\n")
	lg.With("file", "/tmp/a b.log").WithGroup("g").Warn("problem", "err", errors.New("boom"), "n", 3, "empty", "")
	lg.Error("bad", slog.Group("proc", "name", "web", "pid", 7))
	lines := buf.String()
	re := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} `)
	want := []string{
		"INFO spawned: 'x' with pid 123\n",
		"CRIT Supervisor is running as root.\n",
		"TRAC trace me\n",
		"DEBG 'printer' stdout output:\nline\n\n",
		`WARN problem file="/tmp/a b.log" g.err=boom g.n=3 g.empty=""` + "\n",
		"ERRO bad proc.name=web proc.pid=7\n",
	}
	for _, w := range want {
		loc := re.FindStringIndex(lines)
		if loc == nil || !strings.HasPrefix(lines[loc[1]:], w) {
			t.Fatalf("want a line %q, have %q", w, lines)
		}
		lines = lines[loc[1]+len(w):]
	}
	if lines != "" {
		t.Fatalf("extra output %q", lines)
	}
}

func TestMainHandlerTimestamp(t *testing.T) {
	var buf bytes.Buffer
	h := NewMainHandler(&buf, nil)
	ts := time.Date(2026, 11, 21, 4, 52, 32, 139_999_000, time.Local)
	r := slog.NewRecord(ts, slog.LevelInfo, "hello", 0)
	if err := h.Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "2026-11-21 04:52:32,139 INFO hello\n" {
		t.Fatalf("%q", buf.String())
	}
	if h.Enabled(context.Background(), slog.LevelDebug) || !h.Enabled(context.Background(), slog.LevelInfo) {
		t.Fatal("default level is not info")
	}
}

func TestLevels(t *testing.T) {
	for _, c := range []struct {
		num  int
		word string
		name string
	}{{50, "critical", "CRIT"}, {40, "error", "ERRO"}, {30, "warn", "WARN"}, {20, "info", "INFO"},
		{10, "debug", "DEBG"}, {5, "trace", "TRAC"}, {3, "blather", "BLAT"}} {
		l, err := ParseLevel(strings.ToUpper(c.word))
		if err != nil || l != LevelFromSupervisor(c.num) || SupervisorLevel(l) != c.num || LevelName(l) != c.name {
			t.Errorf("%v: level %v err %v", c, l, err)
		}
	}
	if _, err := ParseLevel("warning"); err == nil || !strings.Contains(err.Error(), `"warning"`) {
		t.Fatal(err)
	}
	if LevelFromSupervisor(25) != slog.LevelInfo || LevelFromSupervisor(0) != LevelBlather {
		t.Fatal("in-between numbers")
	}
}

// TestMainHandlerFile: the main log through a rotating File.
func TestMainHandlerFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supervisord.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 200, Backups: 2})
	lg := slog.New(NewMainHandler(f, slog.LevelInfo))
	for i := 0; i < 20; i++ {
		lg.Info("a message that is long enough to rotate soon", "i", i)
	}
	for _, p := range []string{path, path + ".1", path + ".2"} {
		b, _ := os.ReadFile(p)
		for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if l != "" && !strings.Contains(l, " INFO a message") {
				t.Fatalf("%s: broken line %q", p, l)
			}
		}
	}
	if f.Stats().Rotations < 5 {
		t.Fatal("no rotation")
	}
}

// TestCreateAutoAndClean creates AUTO logs (new names, mode 0600, written
// through the descriptor that created them, rotated like any log) and
// cleans them as Supervisor does.
func TestCreateAutoAndClean(t *testing.T) {
	dir := t.TempDir()
	// A configuration the File refuses leaves no file behind.
	if _, err := CreateAuto(dir, "web", "stdout", "supervisor", FileConfig{MaxBytes: -1}); err == nil || !strings.Contains(err.Error(), "maxbytes -1") {
		t.Fatalf("negative maxbytes: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left %v", entries)
	}
	f, err := CreateAuto(dir, "web", "stdout", "supervisor", FileConfig{MaxBytes: 10, Backups: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := f.Path()
	if filepath.Dir(p) != dir || !regexp.MustCompile(`^web-stdout---supervisor-\S+\.log$`).MatchString(filepath.Base(p)) {
		t.Fatalf("name %q", p)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 0 {
		t.Fatalf("%v %v", fi, err)
	}
	if _, err := f.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "hello\n" {
		t.Fatalf("%s holds %q, %v", p, b, err)
	}
	if _, err := f.Write([]byte("world, past maxbytes\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p + ".1"); err != nil || !strings.HasPrefix(string(b), "hello\n") {
		t.Fatalf("rotated backup holds %q, %v", b, err)
	}
	f2, err := CreateAuto(dir, "web", "stdout", "supervisor", FileConfig{})
	if err != nil {
		t.Fatal(err)
	}
	p2 := f2.Path()
	for _, lf := range []*File{f, f2} {
		if err := lf.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if p2 == p {
		t.Fatal("same name twice")
	}
	keep := []string{"web-stdout---other-abc.log", "notes.txt", "web-stdout---supervisorX-a.log", "plain.log"}
	gone := []string{filepath.Base(p), filepath.Base(p) + ".1", filepath.Base(p2), "x-stderr---supervisor-k1.log.1", "y---supervisor-zz.log.10"}
	// The first three of gone were created above; make the others.
	for _, n := range append(keep, gone[3:]...) {
		os.WriteFile(filepath.Join(dir, n), nil, 0o600)
	}
	if err := CleanAuto(dir, "supervisor"); err != nil {
		t.Fatal(err)
	}
	for _, n := range keep {
		if !exists(filepath.Join(dir, n)) {
			t.Errorf("%s removed", n)
		}
	}
	for _, n := range gone {
		if exists(filepath.Join(dir, n)) {
			t.Errorf("%s kept", n)
		}
	}
	// Supervisor's own expression agrees on every name.
	script := `import re, sys
fnre = re.compile(r'.+?---%s-\S+\.log\.{0,1}\d{0,4}' % 'supervisor')
for n in sys.argv[1:]:
    print(1 if fnre.match(n) else 0)`
	all := append(append([]string{}, keep...), gone...)
	t.Run("supervisor", func(t *testing.T) {
		for i, v := range strings.Fields(testutil.RunPython(t, script, all...)) {
			if (v == "1") != (i >= len(keep)) {
				t.Errorf("Supervisor disagrees on %q", all[i])
			}
		}
	})
	if _, err := CreateAuto(filepath.Join(dir, "missing"), "web", "stdout", "s", FileConfig{}); err == nil || !strings.Contains(err.Error(), "web stdout") {
		t.Fatal(err)
	}
	if err := CleanAuto(filepath.Join(dir, "missing"), "s"); err == nil {
		t.Fatal("no error for a missing dir")
	}
}

// TestMainLogOwnDrop: the main log File reports its own failed writes
// through a logger that writes to itself; this must neither deadlock nor
// loop.
func TestMainLogOwnDrop(t *testing.T) {
	f, err := OpenFile(FileConfig{Path: "/dev/full"})
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	lg := slog.New(NewMainHandler(f, slog.LevelInfo))
	f.SetLogger(lg)
	done := make(chan struct{})
	go func() {
		lg.Info("first line")
		lg.Info("second line")
		close(done)
	}()
	testutil.Receive(t, done, "logging into a failing main log to return (a deadlock?)")
	// The asynchronous report of the drop is itself dropped (and counted).
	testutil.Eventually(t, "the drop report", func() bool { return f.Stats().Dropped > int64(2*len("2026-11-21 04:52:32,139 INFO first line\n")) })
	if f.Stats().LastDropError == nil {
		t.Fatal("no drop error")
	}
}
