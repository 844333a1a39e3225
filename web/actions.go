package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// errUnknownAction is a query action 4.2.5 does not know, or a process
// action without a process name: 4.2.5 fails the request with 500.
var errUnknownAction = errors.New("unknown action")

// ctimeLayout is Python's time.ctime(): "Fri Dec  4 21:57:03 2026".
const ctimeLayout = "Mon Jan _2 15:04:05 2006"

// serveAction performs a query action of the status page and redirects
// to the page with the result as its message, as 4.2.5 does (301 with the
// no-cache headers, so that neither a reload nor the browser's cache
// repeats the action). A refused cross-site action is 403; an unknown
// action or one that could not be carried out at all is 500.
func (u *ui) serveAction(w http.ResponseWriter, r *http.Request, f form) {
	if u.refuseCrossSite(w, r) {
		return
	}
	msg, err := u.act(r.Context(), f.get("processname"), f.get("action"))
	if err != nil {
		detail := err.Error()
		if errors.Is(err, errUnknownAction) {
			detail = fmt.Sprintf("unknown action %q (or no processname) in %s", f.get("action"), r.URL.RequestURI())
		}
		u.log.Debug("web interface: action failed", "uri", r.URL.RequestURI(), "error", err)
		surface.WriteHTMLErrorDetail(w, http.StatusInternalServerError, detail)
		return
	}
	h := w.Header()
	h.Set("Location", serverURL(r)+"/?message="+pyQuote(msg))
	h.Set("Pragma", "no-cache")
	h.Set("Cache-Control", "no-cache")
	h.Set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
	surface.WriteHTMLError(w, http.StatusMovedPermanently)
}

// act carries out one action and returns 4.2.5's message for it. Actions
// on processes wait as 4.2.5 does: start until the process leaves
// STARTING, stop until it is stopped.
func (u *ui) act(ctx context.Context, name, action string) (string, error) {
	now := func() string { return time.Now().Format(ctimeLayout) }
	switch action {
	case "refresh":
		return "Page refreshed at " + now(), nil
	case "stopall":
		if _, err := u.procs.StopAllProcesses(ctx, &gsupervisorv1.StopAllProcessesRequest{Wait: true}); err != nil {
			return "", err
		}
		return "All stopped at " + now(), nil
	case "restartall":
		// 4.2.5 runs stopAllProcesses and startAllProcesses in a multicall,
		// which swallows their faults.
		_, _ = u.procs.RestartAllProcesses(ctx, &gsupervisorv1.RestartAllProcessesRequest{Wait: true})
		return "All restarted at " + now(), nil
	}
	if name == "" {
		return "", errUnknownAction
	}
	switch action {
	case "start", "stop", "restart", "clearlog":
	default:
		return "", errUnknownAction
	}
	if _, err := u.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name}); err != nil {
		if faults.Legacy(err).Code == faults.BadName {
			return "No such process named " + name, nil
		}
		return "", err
	}
	return u.actOnProcess(ctx, name, action), nil
}

// actOnProcess carries out an action on an existing process and returns
// 4.2.5's message, a fault included.
func (u *ui) actOnProcess(ctx context.Context, name, action string) string {
	switch action {
	case "start":
		if _, err := u.procs.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: name, Wait: true}); err != nil {
			return "ERROR: Process " + name + ": " + startError(err)
		}
		return "Process " + name + " started"
	case "stop":
		if _, err := u.procs.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: name, Wait: true}); err != nil {
			return unexpectedFault(err)
		}
		return "Process " + name + " stopped"
	case "restart":
		// A multicall of stopProcess and startProcess in 4.2.5: their
		// faults are swallowed.
		_, _ = u.procs.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: name, Wait: true})
		_, _ = u.procs.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: name, Wait: true})
		return "Process " + name + " restarted"
	default: // clearlog
		if _, err := u.logs.ClearProcessLogs(ctx, &gsupervisorv1.ClearProcessLogsRequest{Name: name}); err != nil {
			return unexpectedFault(err)
		}
		return "Log for " + name + " cleared"
	}
}

// startError words the fault of a start as 4.2.5's page does.
func startError(err error) string {
	switch faults.Legacy(err).Code {
	case faults.NoFile:
		return "no such file"
	case faults.NotExecutable:
		return "file not executable"
	case faults.AlreadyStarted:
		return "already started"
	case faults.SpawnError:
		return "spawn error"
	case faults.AbnormalTermination:
		return "abnormal termination"
	}
	return unexpectedFault(err)
}

// unexpectedFault words any other fault: "unexpected rpc fault [70]
// NOT_RUNNING: web".
func unexpectedFault(err error) string {
	f := faults.Legacy(err)
	return fmt.Sprintf("unexpected rpc fault [%d] %s", f.Code, f.String)
}

// serverURL is the scheme and authority the client used, for the absolute
// Location of a redirect, as 4.2.5 builds it from the Host header (without
// the scheme's default port); without a Host header, the address the
// request arrived on.
func serverURL(r *http.Request) string {
	scheme, defaultPort := "http", "80"
	if r.TLS != nil {
		scheme, defaultPort = "https", "443"
	}
	host := strings.TrimSpace(r.Host)
	if host == "" {
		host = "localhost"
		if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok && a.Network() == "tcp" {
			host = a.String()
		}
	}
	hostname, port := splitPort(host)
	if port == "" || port == defaultPort {
		return scheme + "://" + hostname
	}
	return scheme + "://" + hostname + ":" + port
}

// splitPort splits "host:port" where port is all digits, like Python's
// urllib splitport (so "[::1]:9001" keeps its brackets, and "host:" has no
// port).
func splitPort(host string) (string, string) {
	i := strings.LastIndexByte(host, ':')
	if i < 0 {
		return host, ""
	}
	for _, c := range host[i+1:] {
		if c < '0' || c > '9' {
			return host, ""
		}
	}
	return host[:i], host[i+1:]
}

// pyQuote percent-encodes s as Python's urllib.parse.quote does with its
// default safe character "/": letters, digits, "_.-~" and "/" stay, every
// other byte of the UTF-8 text becomes %XX.
func pyQuote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("_.-~/", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
