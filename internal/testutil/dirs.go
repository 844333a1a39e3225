package testutil

import (
	"os"
	"testing"
)

// ShortTempDir returns a new temp dir with a short path, removed when the
// test ends: a unix socket path is limited to 107 bytes, and t.TempDir's
// names (with the test's name in them) can exceed it.
func ShortTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gsv")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
