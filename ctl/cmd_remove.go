package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const removeHelp = "remove <name> [...]\tRemoves process/group from active config\n"

func (c *controller) removeCommand() *cobra.Command {
	return c.command("remove", groupDefault, removeHelp, c.doRemove)
}

// doRemove removes active groups whose processes are all stopped.
func (c *controller) doRemove(ctx context.Context, names []string) error {
	for _, name := range names {
		cl, err := c.client()
		if err != nil {
			return err
		}
		_, err = cl.config.RemoveProcessGroup(ctx, &gsupervisorv1.RemoveProcessGroupRequest{Group: name})
		if err == nil {
			c.output(name + ": removed process group")
			continue
		}
		c.exit = exitGeneric
		f, _ := asFault(err)
		switch {
		case f.is(stillRunning):
			c.output("ERROR: process/group still running: " + name)
		case f.is(badName):
			c.output("ERROR: no such process/group: " + name)
		default:
			return err
		}
	}
	return nil
}
