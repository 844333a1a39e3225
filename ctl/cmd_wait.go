package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

const waitHelp = "wait <name> <state>\t\tWait until a process is in a state (RUNNING, STOPPED, ...)\n" +
	"wait <name> HEALTHY\t\tWait until its probes pass (or UNHEALTHY: until one fails)\n" +
	"wait <name> <state> --timeout 30s\tGive up after a duration (default 30s)\n" +
	"\t\t\t\tExit status: 0 reached, 1 timed out or failed, 2 usage\n"

// defaultWaitTimeout is how long wait waits without --timeout.
const defaultWaitTimeout = 30 * time.Second

func (c *controller) waitCommand() *cobra.Command {
	return c.command("wait", groupGsupervisor, waitHelp, c.doWait)
}

// parseWaitArgs parses `wait <name> <state> [--timeout D]`; D is a Go
// duration or a number of seconds.
func parseWaitArgs(args []string) (name string, want waitTarget, timeout time.Duration, errText string) {
	timeout = defaultWaitTimeout
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		var v string
		switch {
		case a == "--timeout" || a == "-t":
			if i+1 >= len(args) {
				return "", waitTarget{}, 0, "Error: " + a + " requires a duration"
			}
			i++
			v = args[i]
		case strings.HasPrefix(a, "--timeout="):
			v = a[len("--timeout="):]
		default:
			pos = append(pos, a)
			continue
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			secs, ferr := strconv.ParseFloat(v, 64)
			if ferr != nil {
				return "", waitTarget{}, 0, "Error: bad timeout " + pytext.Repr(v)
			}
			d = time.Duration(secs * float64(time.Second))
		}
		if d < 0 {
			return "", waitTarget{}, 0, "Error: bad timeout " + pytext.Repr(v)
		}
		timeout = d
	}
	if len(pos) != 2 {
		return "", waitTarget{}, 0, "Error: wait requires a process name and a state"
	}
	if h, ok := parseHealth(pos[1]); ok {
		return pos[0], waitTarget{health: h}, timeout, ""
	}
	st, ok := parseState(pos[1])
	if !ok {
		return "", waitTarget{}, 0, "Error: bad state " + pytext.Repr(pos[1])
	}
	return pos[0], waitTarget{state: st}, timeout, ""
}

// waitTarget is what wait waits for: a process state, or a health
// (HEALTHY, UNHEALTHY).
type waitTarget struct {
	state  gsupervisorv1.ProcessState
	health gsupervisorv1.ProcessHealth
}

// parseHealth parses the health names wait accepts: HEALTHY and
// UNHEALTHY (STARTING and UNKNOWN are states).
func parseHealth(s string) (gsupervisorv1.ProcessHealth, bool) {
	switch strings.ToUpper(strings.TrimPrefix(strings.ToUpper(s), "PROCESS_HEALTH_")) {
	case "HEALTHY":
		return gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY, true
	case "UNHEALTHY":
		return gsupervisorv1.ProcessHealth_PROCESS_HEALTH_UNHEALTHY, true
	}
	return 0, false
}

// String names the target ("RUNNING", "HEALTHY").
func (w waitTarget) String() string {
	if w.health != 0 {
		return healthName(w.health)
	}
	return stateName(w.state)
}

// reached reports whether the process is at the target.
func (w waitTarget) reached(info *gsupervisorv1.ProcessInfo) bool {
	if w.health != 0 {
		return info.GetHealth() == w.health
	}
	return info.GetState() == w.state
}

// now describes where the process stands ("state is STARTING").
func (w waitTarget) now(info *gsupervisorv1.ProcessInfo) string {
	if info == nil {
		if w.health != 0 {
			return "health is unknown"
		}
		return "state is unknown"
	}
	if w.health != 0 {
		return "health is " + healthName(info.GetHealth())
	}
	return "state is " + stateName(info.GetState())
}

// doWait blocks until a process reaches a state: it subscribes to the
// process's state events, then reads its current state, so no change can
// slip between the two and nothing is polled.
func (c *controller) doWait(ctx context.Context, args []string) error {
	name, want, timeout, errText := parseWaitArgs(args)
	if errText != "" {
		c.output(errText)
		c.exit = exitInvalidArgs
		c.help("wait")
		return nil
	}
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errWaitTimeout)
	defer cancel()
	stream, err := c.cl.events.SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{
		Types: []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE, gsupervisorv1.EventType_EVENT_TYPE_PROCESS_GROUP,
			gsupervisorv1.EventType_EVENT_TYPE_PROCESS_HEALTH},
		Processes: []string{name},
	})
	if err != nil {
		return c.waitFailed(ctx, name, want, nil, err)
	}
	// The ready marker ends the replay; from then on every change is sent.
	for {
		m, err := stream.Recv()
		if err != nil {
			return c.waitFailed(ctx, name, want, nil, err)
		}
		if m.GetReady() != nil {
			break
		}
	}
	current := func() (*gsupervisorv1.ProcessInfo, error) {
		resp, err := c.cl.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name})
		return resp.GetProcess(), err
	}
	info, err := current()
	for {
		if err != nil {
			return c.waitFailed(ctx, name, want, info, err)
		}
		if want.reached(info) {
			c.output(makeNamespec(info.GetGroup(), info.GetName(), true) + ": " + want.String())
			return nil
		}
		m, rerr := stream.Recv()
		if rerr != nil {
			return c.waitFailed(ctx, name, want, info, rerr)
		}
		switch {
		case m.GetEvent().GetProcessState() != nil, m.GetEvent().GetProcessHealth() != nil:
			// Read the state again rather than trusting the event alone, so
			// a group replaced by update is seen as it is now.
			info, err = current()
		case m.GetGap() != nil, m.GetEvent().GetProcessGroup() != nil:
			info, err = current()
		}
	}
}

// errWaitTimeout is the cause of the context when wait's time is up.
var errWaitTimeout = errors.New("timed out")

// waitFailed reports why wait ended without the state.
func (c *controller) waitFailed(ctx context.Context, name string, want waitTarget, info *gsupervisorv1.ProcessInfo, err error) error {
	if isInterrupted(ctx, err) {
		return err
	}
	c.exit = exitGeneric
	if errors.Is(context.Cause(ctx), errWaitTimeout) || status.Code(err) == codes.DeadlineExceeded {
		c.output(errorText(name, fmt.Sprintf("timed out waiting for %s; %s", want, want.now(info))))
		return nil
	}
	if f, ok := asFault(err); ok && f.is(badName) {
		c.output(errorText(name, "no such process"))
		return nil
	}
	return err
}
