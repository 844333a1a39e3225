package main

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const pidHelp = "pid\t\t\tGet the PID of supervisord.\n" +
	"pid <name>\t\tGet the PID of a single child process by name.\n" +
	"pid all\t\t\tGet the PID of every child process, one per line.\n"

func (c *controller) pidCommand() *cobra.Command {
	return c.command("pid", groupDefault, pidHelp, c.doPid)
}

// doPid prints the daemon's pid, or the pids of the named processes (0
// when not running: exit 7), or of every process.
func (c *controller) doPid(ctx context.Context, args []string) error {
	asJSON, names, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	if _, err := c.client(); err != nil {
		return err
	}
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	switch {
	case len(names) == 0:
		resp, err := c.cl.sup.GetPID(ctx, &gsupervisorv1.GetPIDRequest{})
		if err != nil {
			return err
		}
		if asJSON {
			c.printJSON(jsonDaemonPID{PID: resp.GetPid()})
		} else {
			c.output(strconv.Itoa(int(resp.GetPid())))
		}
	case inList("all", names...):
		resp, err := c.cl.procs.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
		if err != nil {
			return err
		}
		out := jsonPIDs{Processes: []jsonPID{}, Errors: []jsonNameError{}}
		for _, info := range resp.GetProcesses() {
			if asJSON {
				out.Processes = append(out.Processes, jsonPID{Namespec: makeNamespec(info.GetGroup(), info.GetName(), true), PID: info.GetPid()})
			} else {
				c.output(strconv.Itoa(int(info.GetPid())))
			}
		}
		if asJSON {
			c.printJSON(out)
		}
	default:
		out := jsonPIDs{Processes: []jsonPID{}, Errors: []jsonNameError{}}
		for _, name := range names {
			resp, err := c.cl.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name})
			if err != nil {
				c.exit = exitGeneric
				if f, ok := asFault(err); ok && f.is(badName) {
					if asJSON {
						out.Errors = append(out.Errors, jsonNameError{Name: name, Error: "no such process"})
					} else {
						c.output("No such process " + name)
					}
					continue
				}
				return err
			}
			pid := resp.GetProcess().GetPid()
			if asJSON {
				p := resp.GetProcess()
				out.Processes = append(out.Processes, jsonPID{Namespec: makeNamespec(p.GetGroup(), p.GetName(), true), PID: pid})
			} else {
				c.output(strconv.Itoa(int(pid)))
			}
			if pid == 0 {
				c.exit = exitNotRunning
			}
		}
		if asJSON {
			c.printJSON(out)
		}
	}
	return nil
}
