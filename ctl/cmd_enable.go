package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const enableHelp = "enable <name>\t\t\tEnable a disabled program and start it if autostart\n" +
	"enable <gname>:*\t\tEnable every program of a group\n"

func (c *controller) enableCommand() *cobra.Command {
	return c.command("enable", groupGsupervisor, enableHelp, c.doEnable)
}

// doEnable enables programs, starting their autostart processes. Exit
// status: 2 for usage errors and unknown names, 1 for other errors.
func (c *controller) doEnable(ctx context.Context, args []string) error {
	return c.switchPrograms(ctx, "enable", args, func(name string) ([]string, []*gsupervisorv1.ProcessResult, error) {
		resp, err := c.cl.procs.EnableProgram(ctx, &gsupervisorv1.EnableProgramRequest{Name: name, Wait: true})
		return resp.GetPrograms(), resp.GetStartResults(), err
	})
}
