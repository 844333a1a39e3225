package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Runner runs a command line to completion (or until ctx ends, when it
// kills it) and returns its wait status and combined output, at most
// limit bytes of it. The supervisor runs it as a child of the daemon with
// the program's environment, directory and user.
type Runner func(ctx context.Context, command string, limit int) (syscall.WaitStatus, []byte, error)

// Exec checks by running command: exit status 0 passes.
func Exec(command string, run Runner) Check {
	return func(ctx context.Context) (bool, string) {
		ws, out, err := run(ctx, command, MaxOutput)
		text := Printable(bytes.TrimSpace(out))
		switch {
		case err != nil:
			return false, err.Error() + suffix(text)
		case ws.Exited() && ws.ExitStatus() == 0:
			return true, text
		case ws.Exited():
			return false, "exit status " + strconv.Itoa(ws.ExitStatus()) + suffix(text)
		case ws.Signaled():
			return false, "terminated by signal " + strconv.Itoa(int(ws.Signal())) + suffix(text)
		}
		return false, fmt.Sprintf("unknown termination 0x%x", uint32(ws)) + suffix(text)
	}
}

// TCP checks by connecting to addr (host:port).
func TCP(addr string) Check {
	return func(ctx context.Context) (bool, string) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			var oe *net.OpError
			if errors.As(err, &oe) && oe.Err != nil {
				return false, oe.Err.Error()
			}
			return false, err.Error()
		}
		c.Close()
		return true, "connected to " + addr
	}
}

// Printable returns b as text with invalid UTF-8 replaced.
func Printable(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
