package logs

import (
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestSyslogUnreachable: lines that cannot reach syslog are counted and
// the failure is reported once per streak; once syslog is back they flow.
func TestSyslogUnreachable(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log.sock")
	SyslogTarget.Network, SyslogTarget.Addr = "unixgram", sock
	defer func() { SyslogTarget.Network, SyslogTarget.Addr = "", "" }()
	var out testutil.Buffer
	s := NewSyslog(slog.New(slog.NewTextHandler(&out, nil)))
	s.Write([]byte("one\ntwo\n"))
	if s.Dropped() != 2 {
		t.Fatalf("dropped %d, want 2", s.Dropped())
	}
	testutil.Eventually(t, "the failure to be reported", func() bool { return strings.Contains(out.String(), "cannot write to syslog") })
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	s.Line([]byte("three"))
	buf := make([]byte, 1024)
	conn.SetReadDeadline(time.Now().Add(testutil.Timeout))
	n, err := conn.Read(buf)
	if err != nil || !strings.Contains(string(buf[:n]), "three") {
		t.Fatalf("after recovery: %q %v", buf[:n], err)
	}
	if strings.Count(out.String(), "cannot write to syslog") != 1 {
		t.Fatalf("failure reported more than once:\n%s", out.String())
	}
}
