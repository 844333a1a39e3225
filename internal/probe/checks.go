package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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
		text := printable(bytes.TrimSpace(out))
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

// bodyPreview is how much of an HTTP response body a result shows.
const bodyPreview = 256

// HTTP checks by sending GET url: a 2xx or 3xx status passes (redirects
// are not followed). Each check opens its own connection.
func HTTP(url string) Check {
	client := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return func(ctx context.Context) (bool, string) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, err.Error()
		}
		req.Header.Set("User-Agent", "gsupervisor-probe")
		resp, err := client.Do(req)
		if err != nil {
			return false, unwrapURLError(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, bodyPreview))
		text := "HTTP " + resp.Status + suffix(printable(bytes.TrimSpace(body)))
		return resp.StatusCode >= 200 && resp.StatusCode < 400, text
	}
}

// unwrapURLError drops net/http's "Get \"url\": " prefix.
func unwrapURLError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return err.Error()
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

// printable returns b as text with invalid UTF-8 replaced.
func printable(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
