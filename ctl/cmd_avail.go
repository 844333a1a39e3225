package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const availHelp = "avail\t\t\tDisplay all configured processes\n"

func (c *controller) availCommand() *cobra.Command {
	return c.command("avail", groupDefault, availHelp, c.doAvail)
}

// doAvail lists every configured process: in use or available, auto or
// manual start, group and process priorities.
func (c *controller) doAvail(ctx context.Context, args []string) error {
	asJSON, rest, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	if !c.noArgs("avail", rest) {
		return nil
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	resp, err := cl.procs.ListProcessConfigs(ctx, &gsupervisorv1.ListProcessConfigsRequest{})
	if err != nil {
		c.exit = exitGeneric
		if f, ok := asFault(err); ok && f.is(shutdownSt) {
			c.output("ERROR: supervisor shutting down")
			return nil
		}
		return err
	}
	if asJSON {
		out := jsonAvail{Processes: []jsonConfig{}}
		for _, cfg := range resp.GetConfigs() {
			out.Processes = append(out.Processes, jsonConfig{
				Name: cfg.GetName(), Group: cfg.GetGroup(), Namespec: makeNamespec(cfg.GetGroup(), cfg.GetName(), true),
				InUse: cfg.GetInUse(), Autostart: cfg.GetAutostart(),
				GroupPriority: cfg.GetGroupPriority(), ProcessPriority: cfg.GetProcessPriority(),
			})
		}
		c.printJSON(out)
		return nil
	}
	for _, cfg := range resp.GetConfigs() {
		c.output(availLine(cfg))
	}
	return nil
}
