package logs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestCapturePty: a child on a terminal (the master side of a pty) is
// captured to the end: the master reports EIO, not EOF, when the child is
// gone; splice does not apply to a tty, so the read path is used.
func TestCapturePty(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer master.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GSV_LOGS_HELPER=text:hello from a tty")
	cmd.Stdout, cmd.Stderr = slave, slave
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	path := filepath.Join(t.TempDir(), "tty.log")
	f := openT(t, FileConfig{Path: path})
	st, err := Capture(context.Background(), master, f, CaptureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); !strings.Contains(got, "hello from a tty") || st.Spliced != 0 {
		t.Fatalf("log %q, stats %+v", got, st)
	}
}
