package main

import (
	"context"

	"github.com/spf13/cobra"
)

const versionHelp = "version\t\t\tShow the version of the remote supervisord process\n"

func (c *controller) versionCommand() *cobra.Command {
	return c.command("version", groupDefault, versionHelp, c.doVersion)
}

// doVersion prints the Supervisor version the daemon is compatible with
// (4.2.5).
func (c *controller) doVersion(ctx context.Context, args []string) error {
	asJSON, rest, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	if !c.noArgs("version", rest) {
		return nil
	}
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if asJSON {
		c.printJSON(jsonVersion{SupervisorVersion: c.version.GetSupervisorVersion(),
			APIVersion: c.version.GetApiVersion(), DaemonVersion: c.version.GetDaemonVersion()})
		return nil
	}
	c.output(c.version.GetSupervisorVersion())
	return nil
}
