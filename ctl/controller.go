package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// Command groups: 4.2.5's own commands, and gsupervisor's additions
// (shown by help the way 4.2.5 shows a ctlplugin's commands).
const (
	groupDefault     = "default"
	groupGsupervisor = "gsupervisor"
)

// controller is supervisorctl's Controller: it parses command lines,
// dispatches them through the cobra command tree and keeps the exit
// status.
type controller struct {
	opts *options
	srv  *server

	// out is where command output goes (the readline writer in a terminal
	// shell); errOut is stderr. Writes are serialized.
	outMu  sync.Mutex
	out    io.Writer
	errOut io.Writer

	// in reads confirmations, credentials and fg input.
	in lineReader

	// exit is the exit status of the last command line.
	exit int
	// stop ends the shell (quit, exit, EOF).
	stop bool
	// color shows the status state column in colour.
	color bool

	root     *cobra.Command
	commands map[string]*cobra.Command

	// cl is the connection of the running command, dialled on demand.
	cl *client
	// rawArg is the argument text of the running command (cmd.Cmd's arg).
	rawArg string
	// version is the answer to the running command's upcheck.
	version *gsupervisorv1.GetVersionResponse
	// completeInfo caches the process list for completion until the next
	// command.
	completeInfo []*gsupervisorv1.ProcessInfo

	// intr delivers Ctrl-C to the running command.
	intr *interrupter
}

// newController builds the controller and its command tree.
func newController(opts *options, in lineReader, out, errOut io.Writer) *controller {
	c := &controller{opts: opts, srv: &opts.srv, out: out, errOut: errOut, in: in, intr: newInterrupter()}
	c.root = c.newRoot()
	return c
}

// newRoot builds the cobra tree: one command per file (cmd_*.go), 4.2.5's
// help texts as the commands' help, cobra's own messages disabled.
func (c *controller) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:                "supervisorctl",
		SilenceErrors:      true,
		SilenceUsage:       true,
		DisableFlagParsing: true,
		CompletionOptions:  cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.AddGroup(&cobra.Group{ID: groupDefault, Title: groupDefault}, &cobra.Group{ID: groupGsupervisor, Title: groupGsupervisor})
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { c.write(cmd.Long) })
	root.SetOut(c.out)
	root.SetErr(c.errOut)
	c.commands = map[string]*cobra.Command{}
	for _, cmd := range []*cobra.Command{
		c.addCommand(), c.availCommand(), c.clearCommand(), c.exitCommand("exit"), c.fgCommand(),
		c.maintailCommand(), c.openCommand(), c.pidCommand(), c.exitCommand("quit"), c.reloadCommand(),
		c.removeCommand(), c.rereadCommand(), c.restartCommand(), c.shutdownCommand(), c.signalCommand(),
		c.startCommand(), c.statusCommand(), c.stopCommand(), c.tailCommand(), c.updateCommand(),
		c.versionCommand(), c.eofCommand(), c.waitCommand(), c.scaleCommand(), c.disableCommand(),
		c.enableCommand(),
	} {
		root.AddCommand(cmd)
		c.commands[cmd.Name()] = cmd
	}
	help := c.helpCommand()
	root.SetHelpCommand(help)
	c.commands[help.Name()] = help
	return root
}

// command returns a cobra command that hands its arguments, unparsed, to
// run. help is 4.2.5's help text (printed by "help <name>"); "" for none.
func (c *controller) command(name, group, help string, run func(ctx context.Context, args []string) error) *cobra.Command {
	return &cobra.Command{
		Use:                name,
		Long:               help,
		GroupID:            group,
		DisableFlagParsing: true,
		SilenceErrors:      true,
		SilenceUsage:       true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd.Context(), args)
		},
	}
}

// write writes text to the output.
func (c *controller) write(text string) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	_, _ = io.WriteString(c.out, text)
}

// writeBytes writes raw bytes (log data) to the output.
func (c *controller) writeBytes(b []byte) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	_, _ = c.out.Write(b)
}

// output writes one line, like Controller.output.
func (c *controller) output(line string) { c.write(line + "\n") }

// help prints a command's help text.
func (c *controller) help(name string) {
	if cmd, ok := c.commands[name]; ok {
		_ = cmd.Help()
	}
}

// client returns the connection of the running command.
func (c *controller) client() (*client, error) {
	if c.cl != nil {
		return c.cl, nil
	}
	cl, err := dial(c.srv)
	if err != nil {
		return nil, err
	}
	c.cl = cl
	return cl, nil
}

// closeClient ends the running command's connection: every command
// talks to the daemon on a fresh connection, like 4.2.5.
func (c *controller) closeClient() {
	c.cl.close()
	c.cl = nil
}

// onecmd runs one command line, like cmd.Cmd.onecmd: it parses the line,
// runs the command on a fresh connection, asks once for credentials in an
// interactive shell when the daemon requires them, and reports an error
// the command did not handle. The exit status is left in c.exit; c.stop
// says whether the shell ends (quit, exit, EOF).
func (c *controller) onecmd(ctx context.Context, line string) {
	name, arg, full, ok := parseLine(line)
	if full == "" {
		return // an empty line does nothing
	}
	cmd := c.commands[name]
	if !ok || name == "" || cmd == nil {
		c.output("*** Unknown syntax: " + full)
		c.exit = exitGeneric
		return
	}
	c.completeInfo = nil
	parent := ctx
	ctx, cancel := c.intr.begin(parent)
	defer c.intr.end(cancel)
	cl, err := c.execute(ctx, cmd, arg)
	if err != nil && isUnauthenticated(err) && !isInterrupted(ctx, err) {
		c.output("Server requires authentication")
		if c.opts.interactive {
			if c.askCredentials(ctx) {
				c.intr.end(cancel)
				c.onecmd(parent, full)
			}
			return
		}
		c.exit = exitGeneric
		cl, err = c.execute(ctx, cmd, arg)
	}
	c.finish(ctx, cl, err)
}

// execute runs a command through cobra on a fresh connection, which it
// returns (closed) for error reporting.
func (c *controller) execute(ctx context.Context, cmd *cobra.Command, arg string) (*client, error) {
	c.rawArg = arg
	c.version = nil
	c.root.SetArgs(append([]string{cmd.Name()}, pytext.Split(arg)...))
	// cobra hands the root's context only to commands that have none yet.
	cmd.SetContext(ctx)
	_, err := c.root.ExecuteContextC(ctx)
	cl := c.cl
	c.closeClient()
	return cl, err
}

// finish reports an error a command did not handle itself.
func (c *controller) finish(ctx context.Context, cl *client, err error) {
	if err == nil {
		return
	}
	if isInterrupted(ctx, err) {
		c.intr.interrupted = true
		return
	}
	c.output(errorLine(cl, err))
	c.exit = exitGeneric
}

// askCredentials asks for a username and password after a 401, as the
// interactive 4.2.5 shell does.
func (c *controller) askCredentials(ctx context.Context) bool {
	user, err := c.in.readLine(ctx, "Username:")
	if err != nil {
		return false
	}
	pass, err := c.in.readPassword(ctx, "Password:")
	if err != nil {
		return false
	}
	c.output("")
	c.srv.username, c.srv.hasUser = user, true
	c.srv.password, c.srv.hasPass = pass, true
	return true
}

// confirm asks a y/N question in interactive mode; anything starting with
// y or Y is yes.
func (c *controller) confirm(ctx context.Context, question string) (bool, error) {
	if !c.opts.interactive {
		return true, nil
	}
	answer, err := c.in.readLine(ctx, question)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	return strings.HasPrefix(strings.ToLower(answer), "y"), nil
}

// noIgnoredFault is the ignored code of setExitFromFault when no fault is
// ignored (4.2.5's None): no legacy fault has code 0.
const noIgnoredFault faults.Code = 0

// setExitFromFault is set_exitstatus_from_xmlrpc_fault: success and the
// ignored code leave the status alone; spawn errors, abnormal
// terminations and not-running set 7; anything else 1.
func (c *controller) setExitFromFault(code, ignored faults.Code) {
	switch code {
	case faults.Success, ignored:
	case faults.AbnormalTermination, faults.SpawnError, faults.NotRunning:
		c.exit = exitNotRunning
	default:
		c.exit = exitGeneric
	}
}

// upcheck checks the connection and the API version before a command, as
// 4.2.5 does with getVersion. It prints the connection problems 4.2.5
// reports itself and returns false for them; other errors are returned.
func (c *controller) upcheck(ctx context.Context) (bool, error) {
	cl, err := c.client()
	if err != nil {
		c.exit = exitGeneric
		return false, err
	}
	v, err := cl.sup.GetVersion(ctx, &gsupervisorv1.GetVersionRequest{})
	if err != nil {
		if isInterrupted(ctx, err) {
			return false, err
		}
		if f, ok := asFault(err); ok {
			if f.code == faults.UnknownMethod {
				c.output("Sorry, supervisord responded but did not recognize the supervisor namespace commands " +
					"that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] " +
					"section is enabled in the configuration file (see sample.conf).")
				c.exit = exitUnimplemented
				return false, nil
			}
			c.exit = exitGeneric
			return false, err
		}
		if serr, ok := socketError(cl, err); ok {
			if e, ok := errnoOf(serr); ok {
				switch e {
				case syscall.ECONNREFUSED:
					c.output(c.srv.url + " refused connection")
					c.exit = exitNoPrivileges
					return false, nil
				case syscall.ENOENT:
					c.output(c.srv.url + " no such file")
					c.exit = exitNotRunning
					return false, nil
				}
			}
			c.exit = exitGeneric
		}
		return false, err
	}
	if v.GetApiVersion() != apiVersion {
		c.output(fmt.Sprintf("Sorry, this version of supervisorctl expects to talk to a server with API version %s, "+
			"but the remote version is %s.", apiVersion, v.GetApiVersion()))
		c.exit = exitNotInstalled
		return false, nil
	}
	c.version = v
	return true, nil
}

// listedCommands returns the names help lists for a group: the commands
// with a help text, sorted (help itself is not listed, as in 4.2.5).
func (c *controller) listedCommands(group string) []string {
	var names []string
	for _, cmd := range c.root.Commands() {
		if cmd.GroupID == group && cmd.Long != "" && !cmd.Hidden && cmd.Name() != "help" {
			names = append(names, cmd.Name())
		}
	}
	sort.Strings(names)
	return names
}

// vocabulary is the list of command names the shell completes.
func (c *controller) vocabulary() []string {
	seen := map[string]bool{}
	var names []string
	for _, g := range []string{groupDefault, groupGsupervisor} {
		for _, n := range append([]string{"help"}, c.listedCommands(g)...) {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

// run is the program: options, then one command or the shell.
func run(argv []string, stdin *os.File, stdout, stderr io.Writer) int {
	opts, code, done := realize(argv, stdout, stderr)
	if done {
		return code
	}
	in := newPlainReader(stdin, stdout, stderr)
	c := newController(opts, in, stdout, stderr)
	c.color = colorWanted(stdout)
	stopSignals := c.intr.watch()
	defer stopSignals()
	ctx := context.Background()
	if len(opts.args) > 0 {
		c.onecmd(ctx, strings.Join(opts.args, " "))
		if c.intr.interrupted {
			return exitInterrupted
		}
		return c.exit
	}
	c.shell(ctx, stdin)
	return 0
}
