package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

const startHelp = "start <name>\t\tStart a process\n" +
	"start <gname>:*\t\tStart all processes in a group\n" +
	"start <name> <name>\tStart multiple processes or groups\n" +
	"start all\t\tStart all processes\n"

func (c *controller) startCommand() *cobra.Command {
	return c.command("start", groupDefault, startHelp, c.doStart)
}

// startResult formats one start outcome like 4.2.5's _startresult, and
// gsupervisor's own: a disabled program, a dependency that failed.
func startResult(r result) (string, error) {
	name := r.namespec()
	switch r.reason {
	case disabledR:
		return errorText(name, "disabled"), nil
	case depFailed:
		return errorText(name, r.detail()), nil
	}
	switch r.code {
	case faults.BadName:
		return errorText(name, "no such process"), nil
	case faults.NoFile:
		return errorText(name, "no such file"), nil
	case faults.NotExecutable:
		return errorText(name, "file is not executable"), nil
	case faults.AlreadyStarted:
		return errorText(name, "already started"), nil
	case faults.SpawnError:
		return errorText(name, "spawn error"), nil
	case faults.AbnormalTermination:
		return errorText(name, "abnormal termination"), nil
	case faults.Success:
		return name + ": started", nil
	}
	return "", unknownResult(r)
}

// showStartResults prints group or "all" results.
func (c *controller) showStartResults(results []*gsupervisorv1.ProcessResult) error {
	for _, pr := range results {
		r := fromProcessResult(pr)
		line, err := startResult(r)
		if err != nil {
			return err
		}
		c.output(line)
		c.setExitFromFault(r.code, faults.AlreadyStarted)
	}
	return nil
}

// doStart starts processes, groups (g:*) or all, waiting for each to be
// RUNNING. Exit status: 7 for spawn errors and abnormal terminations, 2
// for an unknown group, 1 for other errors; "already started" is not an
// error.
func (c *controller) doStart(ctx context.Context, names []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(names) == 0 {
		c.output("Error: start requires a process name")
		c.exit = exitInvalidArgs
		c.help("start")
		return nil
	}
	if inList("all", names...) {
		resp, err := c.cl.procs.StartAllProcesses(ctx, &gsupervisorv1.StartAllProcessesRequest{Wait: true})
		if err != nil {
			return err
		}
		return c.showStartResults(resp.GetResults())
	}
	for _, name := range names {
		group, proc, hasProc := splitNamespec(name)
		if !hasProc {
			resp, err := c.cl.procs.StartProcessGroup(ctx, &gsupervisorv1.StartProcessGroupRequest{Group: group, Wait: true})
			if err != nil {
				if f, ok := asFault(err); ok && f.is(badName) {
					c.output(errorText(group, "no such group"))
					c.exit = exitInvalidArgs
					continue
				}
				c.exit = exitGeneric
				return err
			}
			if err := c.showStartResults(resp.GetResults()); err != nil {
				return err
			}
			continue
		}
		resp, err := c.cl.procs.StartProcess(ctx, &gsupervisorv1.StartProcessRequest{Name: name, Wait: true})
		if err != nil {
			f, ok := asFault(err)
			if !ok {
				return err
			}
			r := fromFault(name, f)
			line, err := startResult(r)
			if err != nil {
				return err
			}
			c.output(line)
			c.setExitFromFault(r.code, faults.AlreadyStarted)
			continue
		}
		spec := makeNamespec(group, proc, true)
		for _, dep := range resp.GetStartedDependencies() {
			c.output(dep + ": started (needed by " + spec + ")")
		}
		c.output(spec + ": started")
	}
	return nil
}
