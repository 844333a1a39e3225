package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

const stopHelp = "stop <name>\t\tStop a process\n" +
	"stop <gname>:*\t\tStop all processes in a group\n" +
	"stop <name> <name>\tStop multiple processes or groups\n" +
	"stop all\t\tStop all processes\n"

func (c *controller) stopCommand() *cobra.Command {
	return c.command("stop", groupDefault, stopHelp, c.doStop)
}

// signalResult formats one signal or stop outcome like 4.2.5's
// _signalresult; a FAILED result shows its raw fault string.
func signalResult(r result, success string) (string, error) {
	name := r.namespec()
	switch r.code {
	case faults.BadName:
		return errorText(name, "no such process"), nil
	case faults.BadSignal:
		return errorText(name, "bad signal name"), nil
	case faults.NotRunning:
		return errorText(name, "not running"), nil
	case faults.Success:
		return name + ": " + success, nil
	case faults.Failed:
		return r.description, nil
	}
	return "", unknownResult(r)
}

// showSignalResults prints group or "all" results of stop or signal.
func (c *controller) showSignalResults(results []*gsupervisorv1.ProcessResult, success string, ignored faults.Code) error {
	for _, pr := range results {
		r := fromProcessResult(pr)
		line, err := signalResult(r, success)
		if err != nil {
			return err
		}
		c.output(line)
		c.setExitFromFault(r.code, ignored)
	}
	return nil
}

// doStop stops processes, groups (g:*) or all, waiting for each to stop.
// "not running" is not an error; other errors exit 1.
func (c *controller) doStop(ctx context.Context, names []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(names) == 0 {
		c.output("Error: stop requires a process name")
		c.exit = exitGeneric
		c.help("stop")
		return nil
	}
	if inList("all", names...) {
		resp, err := c.cl.procs.StopAllProcesses(ctx, &gsupervisorv1.StopAllProcessesRequest{Wait: true})
		if err != nil {
			return err
		}
		return c.showSignalResults(resp.GetResults(), "stopped", faults.NotRunning)
	}
	for _, name := range names {
		group, proc, hasProc := splitNamespec(name)
		if !hasProc {
			resp, err := c.cl.procs.StopProcessGroup(ctx, &gsupervisorv1.StopProcessGroupRequest{Group: group, Wait: true})
			if err != nil {
				c.exit = exitGeneric
				if f, ok := asFault(err); ok && f.is(badName) {
					c.output(errorText(group, "no such group"))
					continue
				}
				return err
			}
			if err := c.showSignalResults(resp.GetResults(), "stopped", faults.NotRunning); err != nil {
				return err
			}
			continue
		}
		_, err := c.cl.procs.StopProcess(ctx, &gsupervisorv1.StopProcessRequest{Name: name, Wait: true})
		if err != nil {
			f, ok := asFault(err)
			if !ok {
				return err
			}
			r := fromFault(name, f)
			line, err := signalResult(r, "stopped")
			if err != nil {
				return err
			}
			c.output(line)
			c.setExitFromFault(r.code, faults.NotRunning)
			continue
		}
		c.output(makeNamespec(group, proc, true) + ": stopped")
	}
	return nil
}
