package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const addHelp = "add <name> [...]\tActivates any updates in config for process/group\n"

func (c *controller) addCommand() *cobra.Command {
	return c.command("add", groupDefault, addHelp, c.doAdd)
}

// doAdd activates configured groups that are not in use yet. A group that
// is already active is reported but is not an error.
func (c *controller) doAdd(ctx context.Context, names []string) error {
	for _, name := range names {
		cl, err := c.client()
		if err != nil {
			return err
		}
		_, err = cl.config.AddProcessGroup(ctx, &gsupervisorv1.AddProcessGroupRequest{Group: name})
		if err == nil {
			c.output(name + ": added process group")
			continue
		}
		f, _ := asFault(err)
		switch {
		case f.is(shutdownSt):
			c.output("ERROR: shutting down")
			c.exit = exitGeneric
		case f.is(alreadyAdded):
			c.output("ERROR: process group already active")
		case f.is(badName):
			c.output("ERROR: no such process/group: " + name)
			c.exit = exitGeneric
		default:
			c.exit = exitGeneric
			return err
		}
	}
	return nil
}
