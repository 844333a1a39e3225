package main

import (
	"fmt"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/getopt"
)

const usageText = `supervisord -- run a set of applications as daemons (gsupervisor).

Usage: %s [options]

Options:
-c/--configuration FILENAME -- configuration file path (searched for if not given)
-n/--nodaemon -- stay in the foreground (like nodaemon=true in the config file)
-s/--silent -- do not copy the log to stdout (like silent=true)
-h/--help -- print this usage message and exit
-v/--version -- print the supervisord version number and exit
-u/--user USER -- run supervisord as this user (name or numeric uid)
-m/--umask UMASK -- umask of the daemon process (default 022)
-d/--directory DIRECTORY -- directory to change to when daemonizing
-l/--logfile FILENAME -- path of the main log
-y/--logfile_maxbytes BYTES -- size at which the main log is rotated
-z/--logfile_backups NUM -- number of rotated main logs to keep
-e/--loglevel LEVEL -- log level (critical, error, warn, info, debug, trace, blather)
-j/--pidfile FILENAME -- path of the pid file
-i/--identifier STR -- identifier of this supervisord instance
-q/--childlogdir DIRECTORY -- directory of the automatic child logs
-k/--nocleanup -- keep old automatic child logs at start-up
-a/--minfds NUM -- minimum number of file descriptors needed to start
-t/--strip_ansi -- strip ANSI escape sequences from process output
--minprocs NUM -- minimum number of processes needed to start
--profile_options OPTIONS -- accepted for compatibility; ignored
`

// cmdline is the parsed command line.
type cmdline struct {
	configPath string
	help       bool
	version    bool
	overrides  config.Overrides
}

// usageError is a command-line error: printed with the help hint, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func parseCmdline(args []string) (*cmdline, error) {
	opts, rest, err := getopt.Parse(args, "c:nsvhu:m:d:l:y:z:e:j:i:q:ka:t?",
		[]string{"configuration=", "nodaemon", "silent", "version", "help", "user=", "umask=", "directory=",
			"logfile=", "logfile_maxbytes=", "logfile_backups=", "loglevel=", "pidfile=", "identifier=",
			"childlogdir=", "nocleanup", "minfds=", "strip_ansi", "minprocs=", "profile_options="})
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	if len(rest) > 0 {
		quoted := make([]string, len(rest))
		for i, r := range rest {
			quoted[i] = "'" + r + "'"
		}
		return nil, &usageError{msg: fmt.Sprintf("positional arguments are not supported: [%s]", strings.Join(quoted, ", "))}
	}
	c := &cmdline{}
	yes := true
	str := func(v string) *string { return &v }
	seen := map[string]bool{}
	for _, o := range opts {
		key := o.Name
		if seen[key] && key != "-h" && key != "--help" && key != "-?" && key != "-v" && key != "--version" {
			return nil, &usageError{msg: fmt.Sprintf("conflicting command line option '%s'", key)}
		}
		seen[key] = true
		if err := config.CheckFlag(o.Name, o.Value); err != nil {
			return nil, &usageError{msg: err.Error()}
		}
		ov := &c.overrides
		switch o.Name {
		case "-c", "--configuration":
			c.configPath = o.Value
		case "-n", "--nodaemon":
			ov.Nodaemon = &yes
		case "-s", "--silent":
			ov.Silent = &yes
		case "-h", "--help", "-?":
			c.help = true
		case "-v", "--version":
			c.version = true
		case "-u", "--user":
			ov.User = str(o.Value)
		case "-m", "--umask":
			ov.Umask = str(o.Value)
		case "-d", "--directory":
			ov.Directory = str(o.Value)
		case "-l", "--logfile":
			ov.Logfile = str(o.Value)
		case "-y", "--logfile_maxbytes":
			ov.LogfileMaxBytes = str(o.Value)
		case "-z", "--logfile_backups":
			ov.LogfileBackups = str(o.Value)
		case "-e", "--loglevel":
			ov.LogLevel = str(o.Value)
		case "-j", "--pidfile":
			ov.Pidfile = str(o.Value)
		case "-i", "--identifier":
			ov.Identifier = str(o.Value)
		case "-q", "--childlogdir":
			ov.ChildLogDir = str(o.Value)
		case "-k", "--nocleanup":
			ov.Nocleanup = &yes
		case "-a", "--minfds":
			ov.Minfds = str(o.Value)
		case "-t", "--strip_ansi":
			ov.StripANSI = &yes
		case "--minprocs":
			ov.Minprocs = str(o.Value)
		case "--profile_options":
			// Accepted for compatibility; there is no Python profiler.
		}
	}
	return c, nil
}
