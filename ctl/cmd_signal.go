package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const signalHelp = "signal <signal name> <name>\t\tSignal a process\n" +
	"signal <signal name> <gname>:*\t\tSignal all processes in a group\n" +
	"signal <signal name> <name> <name>\tSignal multiple processes or groups\n" +
	"signal <signal name> all\t\tSignal all processes\n"

func (c *controller) signalCommand() *cobra.Command {
	return c.command("signal", groupDefault, signalHelp, c.doSignal)
}

// doSignal sends a signal (name or number) to processes, groups or all.
// Exit status: 7 when a process is not running, 1 for other errors.
func (c *controller) doSignal(ctx context.Context, args []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(args) < 2 {
		c.output("Error: signal requires a signal name and a process name")
		c.help("signal")
		c.exit = exitGeneric
		return nil
	}
	sig, names := args[0], args[1:]
	if inList("all", names...) {
		resp, err := c.cl.procs.SignalAllProcesses(ctx, &gsupervisorv1.SignalAllProcessesRequest{Signal: sig})
		if err != nil {
			return err
		}
		return c.showSignalResults(resp.GetResults(), "signalled", noIgnoredFault)
	}
	for _, name := range names {
		group, proc, hasProc := splitNamespec(name)
		if !hasProc {
			resp, err := c.cl.procs.SignalProcessGroup(ctx, &gsupervisorv1.SignalProcessGroupRequest{Group: group, Signal: sig})
			if err != nil {
				if f, ok := asFault(err); ok && f.is(badName) {
					c.output(errorText(group, "no such group"))
					c.exit = exitGeneric
					continue
				}
				return err
			}
			if err := c.showSignalResults(resp.GetResults(), "signalled", noIgnoredFault); err != nil {
				return err
			}
			continue
		}
		_, err := c.cl.procs.SignalProcess(ctx, &gsupervisorv1.SignalProcessRequest{Name: name, Signal: sig})
		if err != nil {
			f, ok := asFault(err)
			if !ok {
				return err
			}
			r := fromFault(name, f)
			line, err := signalResult(r, "signalled")
			if err != nil {
				return err
			}
			c.output(line)
			c.setExitFromFault(r.code, noIgnoredFault)
			continue
		}
		c.output(makeNamespec(group, proc, true) + ": signalled")
	}
	return nil
}
