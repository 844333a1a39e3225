package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const reloadHelp = "reload \t\tRestart the remote supervisord.\n"

func (c *controller) reloadCommand() *cobra.Command {
	return c.command("reload", groupDefault, reloadHelp, c.doReload)
}

// doReload asks the daemon to restart in place (after a y/N question in
// interactive mode).
func (c *controller) doReload(ctx context.Context, args []string) error {
	if !c.noArgs("reload", args) {
		return nil
	}
	yes, err := c.confirm(ctx, "Really restart the remote supervisord process y/N? ")
	if err != nil || !yes {
		return err
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	if _, err := cl.sup.Restart(ctx, &gsupervisorv1.RestartRequest{}); err != nil {
		if f, ok := asFault(err); ok {
			c.exit = exitGeneric
			if f.is(shutdownSt) {
				c.output("ERROR: already shutting down")
				return nil
			}
		}
		return err
	}
	c.output("Restarted supervisord")
	return nil
}
