package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/getopt"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// usageText is supervisorctl's -h text; %s is the program name.
const usageText = `supervisorctl -- control applications run by supervisord from the cmd line.

Usage: %s [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server
-r/--history-file -- keep a readline history (if readline is available)

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.

gsupervisor options:
--cafile FILE -- CA certificates that verify an https:// server
--certfile FILE, --keyfile FILE -- client certificate and key for https://
-o/--output FORMAT -- text (default) or json output of status, avail, pid,
     reread and version

`

// shortOptions and longOptions are supervisorctl 4.2.5's getopt
// specification plus gsupervisor's TLS and output options.
const shortOptions = "h?c:is:u:p:r:o:"

var longOptions = []string{"help", "configuration=", "interactive", "serverurl=", "username=",
	"password=", "history_file=", "cafile=", "certfile=", "keyfile=", "output="}

// options is the realized command line and [supervisorctl] section.
type options struct {
	// progname is argv[0], used in usage messages.
	progname string
	// configFile is the configuration file read ("" if none).
	configFile string
	// interactive is set by -i, or when no action is given.
	interactive bool
	// srv is where the daemon is and how to authenticate.
	srv server
	// prompt is the shell prompt without "> ".
	prompt string
	// historyFile is the readline history file ("" for none).
	historyFile string
	// json selects JSON output for the read commands.
	json bool
	// args is the action and its arguments.
	args []string
}

// usageError is a command-line problem: "Error: <msg>" and exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// errHelp asks for the usage text.
var errHelp = errors.New("help requested")

// parseOptions realizes the options like ClientOptions.realize: getopt,
// then each option in order (-h prints the usage at once; a repeated
// option conflicts), then the configuration file given by -c or found on
// the search path, whose [supervisorctl] values fill what the command
// line did not set.
func parseOptions(argv []string, cwd string) (*options, error) {
	o := &options{progname: argv[0], prompt: "supervisor"}
	given, rest, err := commandLine(argv[1:])
	if err != nil {
		return nil, err
	}
	o.args = rest
	o.configFile = given["configuration"]
	_, o.interactive = given["interactive"]
	o.json = given["output"] == "json"
	ctl := config.Supervisorctl{ServerURL: "http://localhost:9001", Prompt: "supervisor"}
	if o.configFile == "" {
		if found, err := config.Find(o.progname, cwd); err == nil {
			o.configFile = found
		}
	}
	if o.configFile != "" {
		c, err := config.LoadCtl(o.configFile)
		if err != nil {
			return nil, &usageError{msg: err.Error()}
		}
		ctl = *c
	}
	o.srv = server{
		url: ctl.ServerURL, username: ctl.Username, password: ctl.Password,
		hasUser: ctl.Username != "", hasPass: ctl.Password != "",
		caFile: ctl.CAFile, certFile: ctl.CertFile, keyFile: ctl.KeyFile,
	}
	o.prompt = ctl.Prompt
	o.historyFile = ctl.HistoryFile
	o.overrideSection(given)
	if len(o.args) == 0 {
		o.interactive = true
	}
	return o, nil
}

// commandLine parses the command-line options and returns the value of
// each one given, by long name ("" for a flag), and the arguments after
// them: -h is errHelp at once, a bad server URL or output format and a
// repeated option are usage errors.
func commandLine(args []string) (given map[string]string, rest []string, err error) {
	parsed, rest, err := getopt.Parse(args, shortOptions, longOptions)
	if err != nil {
		return nil, nil, &usageError{msg: err.Error()}
	}
	given = map[string]string{}
	for _, opt := range parsed {
		key := canonicalOption(opt.Name)
		switch key {
		case "help":
			return nil, nil, errHelp
		case "serverurl":
			if !isURL(opt.Value) {
				return nil, nil, &usageError{msg: fmt.Sprintf("invalid value for %s %s: value %s is not a URL", opt.Name, pytext.Repr(opt.Value), pytext.Repr(opt.Value))}
			}
		case "output":
			if opt.Value != "json" && opt.Value != "text" {
				return nil, nil, &usageError{msg: fmt.Sprintf("invalid value for %s %s: value %s is not an output format (text or json)", opt.Name, pytext.Repr(opt.Value), pytext.Repr(opt.Value))}
			}
		}
		if _, dup := given[key]; dup {
			return nil, nil, &usageError{msg: fmt.Sprintf("conflicting command line option %s", pytext.Repr(opt.Name))}
		}
		given[key] = opt.Value
	}
	return given, rest, nil
}

// overrideSection lets the options given on the command line override
// the [supervisorctl] values.
func (o *options) overrideSection(given map[string]string) {
	if v, ok := given["serverurl"]; ok {
		o.srv.url = v
	}
	if v, ok := given["username"]; ok {
		o.srv.username, o.srv.hasUser = v, true
	}
	if v, ok := given["password"]; ok {
		o.srv.password, o.srv.hasPass = v, true
	}
	if v, ok := given["history_file"]; ok {
		o.historyFile = v
	}
	if v, ok := given["cafile"]; ok {
		o.srv.caFile = v
	}
	if v, ok := given["certfile"]; ok {
		o.srv.certFile = v
	}
	if v, ok := given["keyfile"]; ok {
		o.srv.keyFile = v
	}
}

// canonicalOption maps a parsed option name to its long name.
func canonicalOption(name string) string {
	switch name {
	case "-h", "-?":
		return "help"
	case "-c":
		return "configuration"
	case "-i":
		return "interactive"
	case "-s":
		return "serverurl"
	case "-u":
		return "username"
	case "-p":
		return "password"
	case "-r":
		return "history_file"
	case "-o":
		return "output"
	}
	return strings.TrimPrefix(name, "--")
}

// realize parses the options and handles -h and usage errors the way
// 4.2.5 does: usage on stdout and exit 0; "Error: <msg>" and "For help,
// use <argv0> -h" on stderr and exit 2. done is true when the program
// should exit with code.
func realize(argv []string, stdout, stderr io.Writer) (o *options, code int, done bool) {
	cwd, err := os.Getwd()
	if err != nil {
		cwd = "."
	}
	o, err = parseOptions(argv, cwd)
	if err == nil {
		return o, 0, false
	}
	if errors.Is(err, errHelp) {
		io.WriteString(stdout, strings.ReplaceAll(usageText, "%s", argv[0]))
		return nil, 0, true
	}
	fmt.Fprintf(stderr, "Error: %s\nFor help, use %s -h\n", err.Error(), argv[0])
	return nil, exitInvalidArgs, true
}
