package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const disableHelp = "disable <name>\t\t\tStop a program and keep it stopped (across update,\n" +
	"\t\t\t\treload and restarts) until enable\n" +
	"disable <gname>:*\t\tDisable every program of a group\n"

func (c *controller) disableCommand() *cobra.Command {
	return c.command("disable", groupGsupervisor, disableHelp, c.doDisable)
}

// jsonPrograms is the JSON output of disable and enable.
type jsonPrograms struct {
	Programs []string     `json:"programs"`
	Results  []jsonResult `json:"results"`
}

// doDisable disables programs, stopping their processes. Exit status: 2
// for usage errors and unknown names, 1 for other errors.
func (c *controller) doDisable(ctx context.Context, args []string) error {
	return c.switchPrograms(ctx, "disable", args, func(name string) ([]string, []*gsupervisorv1.ProcessResult, error) {
		resp, err := c.cl.procs.DisableProgram(ctx, &gsupervisorv1.DisableProgramRequest{Name: name, Wait: true})
		return resp.GetPrograms(), resp.GetStopResults(), err
	})
}

// switchPrograms runs disable or enable (call) on every name, printing
// the process outcomes and then "<program>: disabled" (or enabled).
func (c *controller) switchPrograms(ctx context.Context, verb string, args []string,
	call func(name string) ([]string, []*gsupervisorv1.ProcessResult, error)) error {
	asJSON, names, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	if len(names) == 0 {
		c.output("Error: " + verb + " requires a program name")
		c.exit = exitInvalidArgs
		c.help(verb)
		return nil
	}
	if ok, err := c.upcheck(ctx); err != nil || !ok {
		return err
	}
	out := jsonPrograms{Programs: []string{}, Results: []jsonResult{}}
	for _, name := range names {
		programs, results, err := call(name)
		if err != nil {
			if err := c.programFault(name, "no such program", err); err != nil {
				return err
			}
			continue
		}
		out.Programs = append(out.Programs, programs...)
		out.Results = append(out.Results, toJSONResults(results)...)
		if asJSON {
			continue
		}
		var err2 error
		if verb == "disable" {
			err2 = c.showSignalResults(results, "stopped", noIgnoredFault)
		} else {
			err2 = c.showStartResults(results)
		}
		if err2 != nil {
			return err2
		}
		for _, p := range programs {
			c.output(p + ": " + verb + "d")
		}
	}
	if asJSON {
		c.printJSON(out)
	}
	return nil
}
