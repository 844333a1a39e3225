package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

const tailHelp = "tail [-f] <name> [stdout|stderr] (default stdout)\n" +
	"Ex:\n" +
	"tail -f <name>\t\tContinuous tail of named process stdout\n" +
	"\t\t\tCtrl-C to exit.\n" +
	"tail -100 <name>\tlast 100 *bytes* of process stdout\n" +
	"tail <name> stderr\tlast 1600 *bytes* of process stderr\n"

// defaultTailBytes is how much of a log tail and maintail show without
// -N, as in 4.2.5.
const defaultTailBytes int64 = 1600

func (c *controller) tailCommand() *cobra.Command {
	return c.command("tail", groupDefault, tailHelp, c.doTail)
}

// doTail prints the end of a process log (1600 bytes, or -N), or follows
// it with -f until Ctrl-C.
func (c *controller) doTail(ctx context.Context, args []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	if len(args) < 1 {
		c.output("Error: too few arguments")
		c.exit = exitGeneric
		c.help("tail")
		return nil
	}
	if len(args) > 3 {
		c.output("Error: too many arguments")
		c.exit = exitGeneric
		c.help("tail")
		return nil
	}
	modifier := ""
	if strings.HasPrefix(args[0], "-") {
		modifier, args = args[0], args[1:]
	}
	var name, channel string
	switch len(args) {
	case 0:
		c.output("Error: tail requires process name")
		c.exit = exitGeneric
		return nil
	case 1:
		name, channel = args[0], "stdout"
	default:
		name, channel = args[0], strings.ToLower(args[len(args)-1])
		if channel != "stdout" && channel != "stderr" {
			c.output("Error: bad channel " + pytext.Repr(channel))
			c.exit = exitGeneric
			return nil
		}
	}
	ch := gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT
	if channel == "stderr" {
		ch = gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR
	}
	n := defaultTailBytes
	if modifier != "" {
		what := modifier[1:]
		if what == "f" {
			return c.tailFollow(ctx, "/logtail/"+name+"/"+channel, func(ctx context.Context) (logStream, error) {
				return processLogStream(ctx, c.cl, name, ch)
			})
		}
		v, err := pytext.ParseInt(what, 10)
		if err != nil {
			c.output("Error: bad argument " + modifier)
			c.exit = exitGeneric
			return nil
		}
		n = v
	}
	resp, err := c.cl.logs.ReadProcessLog(ctx, &gsupervisorv1.ReadProcessLogRequest{Name: name, Channel: ch, Offset: -n, Length: 0})
	if err != nil {
		f, ok := asFault(err)
		if !ok {
			return err
		}
		c.exit = exitGeneric
		switch {
		case f.is(noFile):
			c.output(errorText(name, "no log file"))
		case f.is(failed):
			c.output(errorText(name, "unknown error reading log"))
		case f.is(badName):
			c.output(errorText(name, "no such process name"))
		default:
			return err
		}
		return nil
	}
	c.writeBytes(append(resp.GetData(), '\n'))
	return nil
}
