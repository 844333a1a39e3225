package supervisor

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestCaptureLosesNothing runs a program that writes a known stream (seq)
// through the daemon's capture (poller-driven) into a rotating log: the
// backups and the live file, concatenated oldest first, are the stream.
// The stream (2 MB) rotates the log some twenty times, yet stays small
// enough to pass through the race detector on a loaded machine well
// within a wait (20 MB took 60-100 s there).
func TestCaptureLosesNothing(t *testing.T) {
	h := start(t, `
[program:seq]
command=seq 1 300000
stdout_logfile=%(here)s/seq.log
stdout_logfile_maxbytes=100KB
stdout_logfile_backups=40
startsecs=0
autorestart=false
`)
	h.waitState("seq", process.Exited)
	want, err := exec.Command("seq", "1", "300000").Output()
	if err != nil {
		t.Fatal(err)
	}
	// EXITED can come before the last bytes of the pipe are on disk, and a
	// read that overlaps a rotation sees a file twice or not at all: read
	// the logs again until they hold exactly the stream.
	var got bytes.Buffer
	same := testutil.Poll(testutil.Timeout, func() bool {
		got.Reset()
		for i := 40; i >= 1; i-- {
			if b, err := os.ReadFile(filepath.Join(h.dir, fmt.Sprintf("seq.log.%d", i))); err == nil {
				got.Write(b)
			}
		}
		b, _ := os.ReadFile(filepath.Join(h.dir, "seq.log"))
		got.Write(b)
		return bytes.Equal(got.Bytes(), want)
	})
	if !same {
		t.Fatalf("log (%d bytes) differs from the stream (%d bytes)", got.Len(), len(want))
	}
	if _, err := os.Stat(filepath.Join(h.dir, "seq.log.5")); err != nil {
		t.Fatal("the log did not rotate")
	}
}

// TestManyProgramsBothChannels: many short programs writing to
// both channels; each log gets exactly its channel's bytes.
func TestManyProgramsBothChannels(t *testing.T) {
	var conf string
	for i := range 20 {
		conf += fmt.Sprintf("[program:w%d]\ncommand=sh -c 'for i in $(seq 1 200); do echo out$i; echo err$i >&2; done'\nstartsecs=0\nautorestart=false\n", i)
	}
	h := start(t, conf)
	var wantOut, wantErr bytes.Buffer
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&wantOut, "out%d\n", i)
		fmt.Fprintf(&wantErr, "err%d\n", i)
	}
	for i := range 20 {
		name := fmt.Sprintf("w%d", i)
		h.waitState(name, process.Exited)
		o, _ := h.s.ProcessLog(name, events.Stdout)
		e, _ := h.s.ProcessLog(name, events.Stderr)
		testutil.Eventually(t, name+"'s logs", func() bool {
			ob, _ := o.Read(0, 0)
			eb, _ := e.Read(0, 0)
			return bytes.Equal(ob, wantOut.Bytes()) && bytes.Equal(eb, wantErr.Bytes())
		})
	}
}

// TestUnopenableLogIsASpawnError: as in 4.2.5, a log file that cannot be
// opened does not stop the daemon; the program fails to spawn with the
// error, and the others run.
func TestUnopenableLogIsASpawnError(t *testing.T) {
	dir := t.TempDir()
	isDir := filepath.Join(dir, "a-directory")
	if err := os.Mkdir(isDir, 0o755); err != nil {
		t.Fatal(err)
	}
	h := start(t, fmt.Sprintf(`
[program:bad]
command=sleep 1000
stdout_logfile=%s
startretries=0

[program:good]
command=sleep 1000
startsecs=0
`, isDir))
	h.waitState("good", process.Running)
	info := h.waitState("bad", process.Fatal)
	if info.Description != "unknown error making dispatchers for 'bad': EISDIR" {
		t.Fatalf("description %q", info.Description)
	}
}

// TestSyslogChannel: stdout_syslog=true sends each line, prefixed with the
// process name, to syslog (here a unixgram socket of the test's), besides
// the log file.
func TestSyslogChannel(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	logs.SyslogTarget.Network, logs.SyslogTarget.Addr = "unixgram", sock
	defer func() { logs.SyslogTarget.Network, logs.SyslogTarget.Addr = "", "" }()
	h := start(t, "[program:talker]\ncommand=sh -c 'echo hello; echo world; exec sleep 1000'\nstdout_syslog=true\nstartsecs=0\n")
	var got []string
	buf := make([]byte, 4096)
	for len(got) < 2 {
		conn.SetReadDeadline(time.Now().Add(testutil.Timeout))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("syslog got %q, then %v", got, err)
		}
		got = append(got, string(buf[:n]))
	}
	for i, want := range []string{"talker hello", "talker world"} {
		if !strings.Contains(got[i], "supervisord") || !strings.HasSuffix(strings.TrimRight(got[i], "\n"), want) {
			t.Errorf("syslog message %d = %q, want the tag and %q", i, got[i], want)
		}
	}
	f, _ := h.s.ProcessLog("talker", events.Stdout)
	if b, _ := f.Read(0, 0); string(b) != "hello\nworld\n" {
		t.Errorf("log file %q", b)
	}
}

// TestLogMovedWhileStoppedStartsAgainAtItsPath: as in 4.2.5, which opens a
// program's logs when it spawns, a log moved away while the program was
// stopped is a new file at its path on the next start.
func TestLogMovedWhileStoppedStartsAgainAtItsPath(t *testing.T) {
	h := start(t, "[program:once]\ncommand=sh -c 'echo run'\nstdout_logfile=%(here)s/once.log\nstartsecs=0\nautorestart=false\n")
	h.waitState("once", process.Exited)
	path := filepath.Join(h.dir, "once.log")
	testutil.Eventually(t, "the first output", func() bool {
		b, _ := os.ReadFile(path)
		return string(b) == "run\n"
	})
	if err := os.Rename(path, path+".old"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.s.StartProcess(context.Background(), "once", true); err != nil {
		t.Fatal(err)
	}
	h.waitState("once", process.Exited)
	testutil.Eventually(t, "the second output in a new file", func() bool {
		b, _ := os.ReadFile(path)
		return string(b) == "run\n"
	})
	if b, _ := os.ReadFile(path + ".old"); string(b) != "run\n" {
		t.Fatalf("the moved log got %q", b)
	}
}

// gatedWriter holds every Write until open is closed, then counts the
// bytes.
type gatedWriter struct {
	open chan struct{}
	mu   sync.Mutex
	n    int
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	<-w.open
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += len(p)
	return len(p), nil
}

func (w *gatedWriter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// TestShutdownWaitsForTheLastOutput: a program's last bytes (what its
// pipe still held when it exited, up to 64 KiB) reach the container
// output before the daemon's life ends, even when the output is slower
// than the exit is announced (outputDrainWait) — a container that stops
// once its programs have finished must not lose their last lines.
func TestShutdownWaitsForTheLastOutput(t *testing.T) {
	out := &gatedWriter{open: make(chan struct{})}
	h := startWith(t, `[program:last]
command=sh -c 'i=0; while [ $i -lt 1000 ]; do echo 0123456789012345678901234567890123456789012345678; i=$((i+1)); done'
startsecs=0
autorestart=false
stdout_logfile=NONE
`, func(o *Options) { o.Console = logs.NewConsole(out, io.Discard, false) })
	h.waitState("last", process.Exited)
	h.s.RequestShutdown()
	close(out.open)
	testutil.Receive(t, h.s.Done(), "the supervisor to shut down")
	// 1000 lines of 50 bytes, each written as "last | " + line.
	if got, want := out.count(), 1000*(50+len("last | ")); got != want {
		t.Fatalf("the container output got %d bytes before the end, want %d", got, want)
	}
}
