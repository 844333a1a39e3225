package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

const helpHelp = "help\t\tPrint a list of available actions\n" +
	"help <action>\tPrint help for <action>\n"

// helpCommand is the help command, installed as cobra's help command.
func (c *controller) helpCommand() *cobra.Command {
	return c.command("help", groupDefault, helpHelp, c.doHelp)
}

// doHelp prints the topics (4.2.5's default commands, then gsupervisor's
// as a plugin's section) or one command's help text.
func (c *controller) doHelp(_ context.Context, _ []string) error {
	topic := c.rawArg
	if pytext.Strip(topic) == "help" {
		c.write(helpHelp)
		return nil
	}
	if topic == "" {
		c.write(c.topics())
		return nil
	}
	if cmd, ok := c.commands[topic]; ok && cmd.Long != "" && cmd.Name() != "help" {
		c.help(topic)
		return nil
	}
	c.output("*** No help on " + topic)
	return nil
}

// helpWidth is the width help lays its topics out in (cmd.Cmd's 80
// columns minus one).
const helpWidth = 79

// topics is the help listing: per group, an empty line, a header, a
// ruler, the command names in columns (cmd.Cmd's print_topics) and an
// empty line.
func (c *controller) topics() string {
	var b strings.Builder
	for _, group := range []string{groupDefault, groupGsupervisor} {
		names := c.listedCommands(group)
		if len(names) == 0 {
			continue
		}
		header := group + " commands (type help <topic>):"
		b.WriteString("\n" + header + "\n" + strings.Repeat("=", len(header)) + "\n")
		b.WriteString(columnize(names, helpWidth))
		b.WriteString("\n")
	}
	return b.String()
}
