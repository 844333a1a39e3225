package process

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestStdinDoesNotBlock writes megabytes to a process that never reads
// its stdin: each call returns at once; the first is buffered, those that
// do not fit the bounded buffer fail with FAILED, and the process's exit
// releases the buffer.
func TestStdinDoesNotBlock(t *testing.T) {
	p, _ := newProc(t, "/bin/sleep 100000", nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Running)
	big := bytes.Repeat([]byte("x"), 3<<20)
	done := make(chan error, 10)
	go func() {
		for i := 0; i < 10; i++ {
			done <- p.WriteStdin(big)
		}
	}()
	for i := 0; i < 10; i++ {
		select {
		case err := <-done:
			switch {
			case i == 0 && err != nil:
				t.Fatalf("the first write: %v", err)
			case i > 0 && (!errdefs.Has(err, errdefs.Failed) || !strings.Contains(err.Error(), "does not read fast enough")):
				t.Fatalf("write %d to a full buffer: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("write %d to a process that does not read blocked", i)
		}
	}
	if err := p.WriteStdin([]byte("small\n")); !errdefs.Has(err, errdefs.Failed) {
		t.Fatalf("a small write to a full buffer: %v", err)
	}
	p.Kill()
	testutil.Eventually(t, "the exit", func() bool { return p.State() != Running })
	if err := p.WriteStdin([]byte("x")); !errdefs.Has(err, errdefs.NotRunning) {
		t.Fatalf("stdin after the exit: %v", err)
	}
}

// TestStdinKeepsOrder sends more than a pipe holds, in many writes, to a
// process that reads slowly at first: every byte arrives, in order.
func TestStdinKeepsOrder(t *testing.T) {
	p, rec := newProc(t, `sh -c 'sleep 1; exec cat'`, nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	waitState(t, p, Running)
	var want bytes.Buffer
	for i := 0; i < 200; i++ {
		line := []byte(strings.Repeat(string(rune('a'+i%26)), 2047) + "\n")
		if err := p.WriteStdin(line); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		want.Write(line)
	}
	testutil.Eventually(t, "every byte", func() bool { return len(rec.out.String()) >= want.Len() })
	if rec.out.String() != want.String() {
		t.Fatal("the bytes arrived out of order or changed")
	}
	p.Kill()
}
