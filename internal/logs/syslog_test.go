package logs

import (
	"bytes"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSyslogUnreachable: lines that cannot reach syslog are counted and
// the failure is reported once per streak; once syslog is back they flow.
func TestSyslogUnreachable(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log.sock")
	SyslogTarget.Network, SyslogTarget.Addr = "unixgram", sock
	defer func() { SyslogTarget.Network, SyslogTarget.Addr = "", "" }()
	var out lockedBuf
	s := NewSyslog(slog.New(slog.NewTextHandler(&out, nil)))
	s.Write([]byte("one\ntwo\n"))
	if s.Dropped() != 2 {
		t.Fatalf("dropped %d, want 2", s.Dropped())
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "cannot write to syslog") {
		if time.Now().After(deadline) {
			t.Fatal("the failure was not reported")
		}
		time.Sleep(5 * time.Millisecond)
	}
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	s.Line([]byte("three"))
	buf := make([]byte, 1024)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	if err != nil || !strings.Contains(string(buf[:n]), "three") {
		t.Fatalf("after recovery: %q %v", buf[:n], err)
	}
	if strings.Count(out.String(), "cannot write to syslog") != 1 {
		t.Fatalf("failure reported more than once:\n%s", out.String())
	}
}
