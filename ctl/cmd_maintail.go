package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

const maintailHelp = "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n" +
	"maintail -100\tlast 100 *bytes* of supervisord main log file\n" +
	"maintail\tlast 1600 *bytes* of supervisor main log file\n\n"

func (c *controller) maintailCommand() *cobra.Command {
	return c.command("maintail", groupDefault, maintailHelp, c.doMaintail)
}

// doMaintail prints the end of the daemon's main log (1600 bytes, or -N),
// or follows it with -f until Ctrl-C.
func (c *controller) doMaintail(ctx context.Context, args []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	n := defaultTailBytes
	switch {
	case len(args) > 1:
		c.output("Error: too many arguments")
		c.exit = exitGeneric
		c.help("maintail")
		return nil
	case len(args) == 1:
		if !strings.HasPrefix(args[0], "-") {
			c.output("Error: bad argument " + args[0])
			c.exit = exitGeneric
			return nil
		}
		what := args[0][1:]
		if what == "f" {
			return c.tailFollow(ctx, "/mainlogtail", func(ctx context.Context) (logStream, error) {
				return mainLogStream(ctx, c.cl)
			})
		}
		v, err := pytext.ParseInt(what, 10)
		if err != nil {
			c.output("Error: bad argument " + args[0])
			c.exit = exitGeneric
			return nil
		}
		n = v
	}
	resp, err := c.cl.logs.ReadMainLog(ctx, &gsupervisorv1.ReadMainLogRequest{Offset: -n, Length: 0})
	if err != nil {
		f, ok := asFault(err)
		if !ok {
			return err
		}
		c.exit = exitGeneric
		switch {
		case f.is(noFile):
			c.output(errorText("supervisord", "no log file"))
		case f.is(failed):
			c.output(errorText("supervisord", "unknown error reading log"))
		default:
			return err
		}
		return nil
	}
	c.writeBytes(append(resp.GetData(), '\n'))
	return nil
}
