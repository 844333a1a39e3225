package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

const clearHelp = "clear <name>\t\tClear a process' log files.\n" +
	"clear <name> <name>\tClear multiple process' log files\n" +
	"clear all\t\tClear all process' log files\n"

func (c *controller) clearCommand() *cobra.Command {
	return c.command("clear", groupDefault, clearHelp, c.doClear)
}

// clearResult formats one clear outcome like 4.2.5's _clearresult.
func clearResult(r result) (string, error) {
	name := r.namespec()
	switch r.code {
	case faults.BadName:
		return errorText(name, "no such process"), nil
	case faults.Failed:
		return errorText(name, "failed"), nil
	case faults.Success:
		return name + ": cleared", nil
	}
	return "", unknownResult(r)
}

// doClear clears the logs of processes or all. Like 4.2.5, a group name
// is passed to the daemon as a process name ("g:*" shows as g:None).
func (c *controller) doClear(ctx context.Context, names []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(names) == 0 {
		c.output("Error: clear requires a process name")
		c.exit = exitGeneric
		c.help("clear")
		return nil
	}
	if inList("all", names...) {
		resp, err := c.cl.logs.ClearAllProcessLogs(ctx, &gsupervisorv1.ClearAllProcessLogsRequest{})
		if err != nil {
			return err
		}
		for _, pr := range resp.GetResults() {
			r := fromProcessResult(pr)
			line, err := clearResult(r)
			if err != nil {
				return err
			}
			c.output(line)
			c.setExitFromFault(r.code, noIgnoredFault)
		}
		return nil
	}
	for _, name := range names {
		group, proc, hasProc := splitNamespec(name)
		_, err := c.cl.logs.ClearProcessLogs(ctx, &gsupervisorv1.ClearProcessLogsRequest{Name: name})
		if err != nil {
			f, ok := asFault(err)
			if !ok {
				return err
			}
			r := fromFault(name, f)
			line, err := clearResult(r)
			if err != nil {
				return err
			}
			c.output(line)
			c.setExitFromFault(r.code, noIgnoredFault)
			continue
		}
		c.output(makeNamespec(group, proc, hasProc) + ": cleared")
	}
	return nil
}
