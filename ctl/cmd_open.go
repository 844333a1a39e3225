package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

const openHelp = "open <url>\tConnect to a remote supervisord process.\n" +
	"\t\t(for UNIX domain socket, use unix:///socket/path)\n"

func (c *controller) openCommand() *cobra.Command {
	return c.command("open", groupDefault, openHelp, c.doOpen)
}

// doOpen switches to another daemon (unix://, http:// or https://) and
// shows its status; the exit status is left as it was.
func (c *controller) doOpen(ctx context.Context, _ []string) error {
	url := pytext.Strip(c.rawArg)
	switch scheme, _ := urlScheme(url); scheme {
	case "unix", "http", "https":
	default:
		c.output("ERROR: url must be http:// or unix://")
		c.exit = exitGeneric
		return nil
	}
	c.srv.url = url
	c.closeClient()
	old := c.exit
	if err := c.doStatus(ctx, nil); err != nil {
		return err
	}
	c.exit = old
	return nil
}
