package main

import (
	"context"
	"sort"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const rereadHelp = "reread \t\t\tReload the daemon's configuration files without add/remove\n"

func (c *controller) rereadCommand() *cobra.Command {
	return c.command("reread", groupDefault, rereadHelp, c.doReread)
}

// doReread reads the configuration again and prints what changed, per
// group: available, changed or disappeared.
func (c *controller) doReread(ctx context.Context, args []string) error {
	asJSON, rest, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	if !c.noArgs("reread", rest) {
		return nil
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	resp, err := cl.config.RereadConfig(ctx, &gsupervisorv1.RereadConfigRequest{})
	if err != nil {
		c.exit = exitGeneric
		if f, ok := asFault(err); ok {
			switch {
			case f.is(shutdownSt):
				c.output("ERROR: supervisor shutting down")
				return nil
			case f.is(cantReread):
				c.output("ERROR: " + f.text)
				return nil
			}
		}
		return err
	}
	if asJSON {
		sorted := func(l []string) []string {
			out := append([]string{}, l...)
			sort.Strings(out)
			return out
		}
		c.printJSON(jsonReread{Added: sorted(resp.GetAdded()), Changed: sorted(resp.GetChanged()),
			Removed: sorted(resp.GetRemoved()), Revision: resp.GetRevision()})
		return nil
	}
	changes := map[string]string{}
	for _, g := range resp.GetAdded() {
		changes[g] = "available"
	}
	for _, g := range resp.GetChanged() {
		changes[g] = "changed"
	}
	for _, g := range resp.GetRemoved() {
		changes[g] = "disappeared"
	}
	if len(changes) == 0 {
		c.output("No config updates to processes")
		return nil
	}
	names := make([]string, 0, len(changes))
	for n := range changes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c.output(n + ": " + changes[n])
	}
	return nil
}
