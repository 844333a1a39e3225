package main

import (
	"context"

	"github.com/spf13/cobra"
)

// exitCommand is quit or exit: leave the shell.
func (c *controller) exitCommand(name string) *cobra.Command {
	return c.command(name, groupDefault, name+"\tExit the supervisor shell.\n", c.doEOF)
}

// eofCommand is what end of input runs (hidden, without help, as in 4.2.5).
func (c *controller) eofCommand() *cobra.Command {
	cmd := c.command("EOF", "", "", c.doEOF)
	cmd.Hidden = true
	return cmd
}

// doEOF prints an empty line and ends the shell.
func (c *controller) doEOF(context.Context, []string) error {
	c.output("")
	c.stop = true
	return nil
}
