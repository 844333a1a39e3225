package main

import (
	"context"
	"syscall"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const shutdownHelp = "shutdown \tShut the remote supervisord down.\n"

func (c *controller) shutdownCommand() *cobra.Command {
	return c.command("shutdown", groupDefault, shutdownHelp, c.doShutdown)
}

// doShutdown asks the daemon to shut down (after a y/N question in
// interactive mode). A daemon already shutting down is not an error.
func (c *controller) doShutdown(ctx context.Context, args []string) error {
	if !c.noArgs("shutdown", args) {
		return nil
	}
	yes, err := c.confirm(ctx, "Really shut the remote supervisord process down y/N? ")
	if err != nil || !yes {
		return err
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	_, err = cl.sup.Shutdown(ctx, &gsupervisorv1.ShutdownRequest{})
	if err == nil {
		c.output("Shut down")
		return nil
	}
	if f, ok := asFault(err); ok {
		if f.is(shutdownSt) {
			c.output("ERROR: already shutting down")
			return nil
		}
		c.exit = exitGeneric
		return err
	}
	if serr, ok := socketError(cl, err); ok {
		c.exit = exitGeneric
		if e, ok := errnoOf(serr); ok {
			switch e {
			case syscall.ECONNREFUSED:
				c.output("ERROR: " + c.srv.url + " refused connection (already shut down?)")
				return nil
			case syscall.ENOENT:
				c.output("ERROR: " + c.srv.url + " no such file (already shut down?)")
				return nil
			}
		}
	}
	return err
}
