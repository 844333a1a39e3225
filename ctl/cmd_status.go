package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const statusHelp = "status <name>\t\tGet status for a single process\n" +
	"status <gname>:*\tGet status for all processes in a group\n" +
	"status <name> <name>\tGet status for multiple named processes\n" +
	"status\t\t\tGet all process status info\n"

func (c *controller) statusCommand() *cobra.Command {
	return c.command("status", groupDefault, statusHelp, c.doStatus)
}

// doStatus prints the status of all, some or the named processes and
// groups. Exit status: 3 if a shown process is not running (STOPPED,
// EXITED, FATAL, UNKNOWN), else 4 if a name is unknown or the daemon
// cannot be reached.
func (c *controller) doStatus(ctx context.Context, args []string) error {
	asJSON, names, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	ok, err := c.upcheck(ctx)
	if err != nil {
		return err
	}
	if !ok {
		c.exit = exitStatusUnknown
		return nil
	}
	resp, err := c.cl.procs.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		return err
	}
	all := resp.GetProcesses()
	var matching []*gsupervisorv1.ProcessInfo
	var unknown []jsonNameError
	if len(names) == 0 || inList("all", names...) {
		matching = all
	} else {
		for _, name := range names {
			group, proc, hasProc := splitNamespec(name)
			found := false
			for _, info := range all {
				if info.GetGroup() == group && (!hasProc || info.GetName() == proc) {
					found = true
					matching = append(matching, info)
				}
			}
			if found {
				continue
			}
			if hasProc {
				unknown = append(unknown, jsonNameError{Name: name, Error: "no such process"})
			} else {
				unknown = append(unknown, jsonNameError{Name: group, Error: "no such group"})
			}
			if !asJSON {
				e := unknown[len(unknown)-1]
				c.output(e.Name + ": ERROR (" + e.Error + ")")
			}
			c.exit = exitStatusUnknown
		}
	}
	if asJSON {
		out := jsonStatus{Processes: []jsonProcess{}, Errors: []jsonNameError{}}
		for _, info := range matching {
			out.Processes = append(out.Processes, toJSONProcess(info))
		}
		out.Errors = append(out.Errors, unknown...)
		c.printJSON(out)
	} else {
		c.write(statusLines(matching, c.color))
	}
	for _, info := range matching {
		if stoppedState(info.GetState()) {
			c.exit = exitStatusStopped
		}
	}
	return nil
}
