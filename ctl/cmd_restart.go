package main

import (
	"context"

	"github.com/spf13/cobra"
)

const restartHelp = "restart <name>\t\tRestart a process\n" +
	"restart <gname>:*\tRestart all processes in a group\n" +
	"restart <name> <name>\tRestart multiple processes or groups\n" +
	"restart all\t\tRestart all processes\n" +
	"Note: restart does not reread config files. For that, see reread and update.\n"

func (c *controller) restartCommand() *cobra.Command {
	return c.command("restart", groupDefault, restartHelp, c.doRestart)
}

// doRestart is stop then start with the same arguments, as in 4.2.5 (both
// outputs are shown; the exit status is what they leave).
func (c *controller) doRestart(ctx context.Context, names []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(names) == 0 {
		c.output("Error: restart requires a process name")
		c.exit = exitGeneric
		c.help("restart")
		return nil
	}
	if err := c.doStop(ctx, names); err != nil {
		return err
	}
	return c.doStart(ctx, names)
}
