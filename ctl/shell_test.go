package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chzyer/readline"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestPlainReader reads lines from a pipe: prompts are written without a
// newline, a last line without newline still counts, then io.EOF; Ctrl-C
// (a cancelled context, or the idle channel) abandons a blocked read.
func TestPlainReader(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	p := newPlainReader(r, &out, &out)
	idle := make(chan struct{}, 1)
	p.idle = idle
	ctx := context.Background()

	go w.Write([]byte("first\n"))
	if line, err := p.readLine(ctx, "p> "); line != "first" || err != nil {
		t.Errorf("readLine = %q, %v", line, err)
	}
	// Nothing to read: Ctrl-C (a cancelled context) ends the wait.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.readLine(cctx, ""); !errors.Is(err, errInterrupted) {
		t.Errorf("cancelled read: %v", err)
	}
	// A last line without a newline, then the end of input. The abandoned
	// read may have taken "second" (4.2.5 loses the line being typed on
	// Ctrl-C too).
	w.Write([]byte("second\nthird"))
	w.Close()
	var lines []string
	for {
		line, err := p.readLine(ctx, "p> ")
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if got := strings.Join(lines, ","); got != "second,third" && got != "third" {
		t.Errorf("lines after the interrupt = %q", got)
	}
	if !strings.HasPrefix(out.String(), "p> p> ") || strings.Contains(out.String(), "\n") {
		t.Errorf("prompts = %q", out.String())
	}

	// Ctrl-C while no command runs.
	r2, w2, _ := os.Pipe()
	defer r2.Close()
	defer w2.Close()
	p2 := newPlainReader(r2, io.Discard, io.Discard)
	p2.idle = idle
	idle <- struct{}{}
	if _, err := p2.readLine(ctx, ""); !errors.Is(err, errInterrupted) {
		t.Errorf("idle Ctrl-C: %v", err)
	}
}

// TestInterrupter checks that Ctrl-C cancels the running command with the
// errInterrupted cause, and otherwise is kept for an idle read.
func TestInterrupter(t *testing.T) {
	i := newInterrupter()
	ctx, cancel := i.begin(context.Background())
	i.fire()
	<-ctx.Done()
	if !isInterrupted(ctx, nil) {
		t.Errorf("cause = %v", context.Cause(ctx))
	}
	i.end(cancel)
	i.fire()
	select {
	case <-i.idle:
	default:
		t.Errorf("Ctrl-C between commands was lost")
	}
	// A stale idle Ctrl-C does not cancel the next command.
	i.fire()
	ctx, cancel = i.begin(context.Background())
	defer i.end(cancel)
	if ctx.Err() != nil {
		t.Errorf("a Ctrl-C before the command cancelled it")
	}
}

// TestConfirm checks the y/N questions: only interactive mode asks;
// anything starting with y or Y is yes; end of input is no.
func TestConfirm(t *testing.T) {
	for input, want := range map[string]bool{"y\n": true, "Yes please\n": true, "n\n": false, "\n": false, "": false, "  y\n": false} {
		r, w, _ := os.Pipe()
		go func() { w.Write([]byte(input)); w.Close() }()
		var out bytes.Buffer
		c := newController(&options{interactive: true}, newPlainReader(r, &out, &out), &out, &out)
		got, err := c.confirm(context.Background(), "Sure? ")
		r.Close()
		if got != want || err != nil || out.String() != "Sure? " {
			t.Errorf("confirm(%q) = %v, %v; prompt %q", input, got, err, out.String())
		}
	}
	c := newController(&options{}, nil, io.Discard, io.Discard)
	if ok, _ := c.confirm(context.Background(), "Sure? "); !ok {
		t.Errorf("non-interactive confirm asked")
	}
}

// startedListener reports each start of a readline read.
type startedListener chan struct{}

func (l startedListener) OnChange(line []rune, pos int, key rune) ([]rune, int, bool) {
	if line == nil && key == 0 {
		select {
		case l <- struct{}{}:
		default:
		}
	}
	return nil, 0, false
}

// TestRLReaderInterrupt checks that a Ctrl-C delivered as a signal (a
// cancelled context, or the idle channel) ends a readline read that is
// already waiting, and that the wake-up it injects never reaches a later
// read.
func TestRLReaderInterrupt(t *testing.T) {
	in, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	defer w.Close()
	started := make(startedListener, 1)
	r, err := newRLReader(&readline.Config{Stdout: io.Discard, Stderr: io.Discard, Listener: started}, in)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	idle := make(chan struct{}, 1)
	r.idle = idle

	// Cancelled before the read: no read at all.
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.readLine(cctx, ""); !errors.Is(err, errInterrupted) {
		t.Errorf("cancelled before: %v", err)
	}
	// interruptDuringRead starts a read with ctx, fires once readline
	// waits for input and returns what the read returned.
	interruptDuringRead := func(ctx context.Context, fire func()) error {
		got := make(chan error, 1)
		go func() {
			_, err := r.readLine(ctx, "")
			got <- err
		}()
		select {
		case <-started:
		case <-time.After(testutil.Timeout):
			t.Fatal("readline did not start reading")
		}
		fire()
		select {
		case err := <-got:
			return err
		case <-time.After(testutil.Timeout):
			t.Fatal("a Ctrl-C signal did not end the waiting read")
		}
		return nil
	}
	// Cancelled while readline waits for input.
	ctx, cancel := context.WithCancel(context.Background())
	if err := interruptDuringRead(ctx, cancel); !errors.Is(err, errInterrupted) {
		t.Errorf("cancelled during the read: %v", err)
	}
	// Ctrl-C while no command runs.
	if err := interruptDuringRead(context.Background(), func() { idle <- struct{}{} }); !errors.Is(err, errInterrupted) {
		t.Errorf("idle Ctrl-C during the read: %v", err)
	}
	// A wake-up that arrives after its read has ended is dropped.
	r.stdin.inject()
	go w.Write([]byte("hello\n"))
	if line, err := r.readLine(context.Background(), ""); line != "hello" || err != nil {
		t.Errorf("read after the interrupts = %q, %v", line, err)
	}
}
