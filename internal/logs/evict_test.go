package logs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// logFds counts this process's descriptors open on path or its backups,
// and those of them whose file was deleted.
func logFds(t *testing.T, path string) (open, deleted int) {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err != nil || !strings.HasPrefix(target, path) {
			continue
		}
		open++
		if strings.HasSuffix(target, " (deleted)") {
			deleted++
		}
	}
	return open, deleted
}

// TestStalledFollowersPinNothing: followers that stop calling Next (their
// clients stopped reading) while the log rotates many times are evicted
// by the rotation itself: descriptors and deleted-but-open files stay
// within backups plus a constant, however many followers stall, and each
// follower then gets a Gap that, with the data it saw, accounts for every
// byte.
func TestStalledFollowersPinNothing(t *testing.T) {
	const backups = 2
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 10 << 10, Backups: backups})
	var fls []*Follower
	for i := 0; i < 20; i++ {
		fl := f.Follow(0)
		defer fl.Close()
		fls = append(fls, fl)
	}
	stream := streamBytes(2<<20, 11)
	for off := 0; off < len(stream); off += 4096 {
		f.Write(stream[off:min(off+4096, len(stream))])
	}
	if f.Stats().Rotations < 100 {
		t.Fatalf("only %d rotations", f.Stats().Rotations)
	}
	open, deleted := logFds(t, path)
	if open > backups+2 || deleted > 1 {
		t.Fatalf("%d stalled followers keep %d descriptors (%d deleted files) open; want at most %d (1)", len(fls), open, deleted, backups+2)
	}
	f.Close()
	for i, fl := range fls {
		var seen, gaps int64
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
				continue
			}
			if !bytes.Equal(c.Data, stream[seen+gaps:seen+gaps+int64(len(c.Data))]) {
				t.Fatalf("follower %d: data at stream offset %d out of order", i, seen+gaps)
			}
			seen += int64(len(c.Data))
		}
		if seen+gaps != int64(len(stream)) || gaps == 0 {
			t.Fatalf("follower %d: seen %d + gaps %d != %d", i, seen, gaps, len(stream))
		}
	}
	if open, _ := logFds(t, path); open != 0 {
		t.Fatalf("%d descriptors left open after the file and its followers closed", open)
	}
}

// TestEvictedWhileReading: followers read while a writer rotates fast;
// evictions that land in the middle of a read must not surface as errors
// (the released file may be closed under the read), only as Gaps.
func TestEvictedWhileReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	f := openT(t, FileConfig{Path: path, MaxBytes: 4 << 10, Backups: 0})
	ctx := context.Background()
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		fl := f.Follow(0)
		defer fl.Close()
		go func() {
			for {
				_, err := fl.Next(ctx)
				if err != nil {
					if err == io.EOF {
						err = nil
					}
					errs <- err
					return
				}
			}
		}()
	}
	line := []byte(strings.Repeat("y", 1000) + "\n")
	for i := 0; i < 20000; i++ {
		f.Write(line)
	}
	f.Close()
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatal(fmt.Errorf("follower: %w", err))
		}
	}
}
