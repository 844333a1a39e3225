// Command supervisorctl is gsupervisor's control client, a drop-in
// replacement for Supervisor 4.2.5's supervisorctl that talks gRPC to the
// daemon.
//
// # Compatibility
//
// The command line (-c -h -i -s -u -p -r, Python getopt rules and error
// texts), the configuration file search and its [supervisorctl] section,
// every command of 4.2.5 (add avail clear exit fg help maintail open pid
// quit reload remove reread restart shutdown signal start status stop
// tail update version), their output lines, help texts and exit codes
// follow 4.2.5 byte for byte. Errors 4.2.5 does not catch are printed as
// its uncaught-exception line without the Python file and line, e.g.
//
//	error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>
//
// Without an action, an interactive shell starts: prompt "<prompt>> ",
// readline editing and history (history_file or -r), TAB completion of
// commands and of process and group names, y/N confirmations for shutdown
// and reload.
//
// # Connection
//
// serverurl is unix:///path, http://host:port (gRPC over cleartext
// HTTP/2) or https://host:port (TLS; --cafile, --certfile and --keyfile or
// cafile=, certfile=, keyfile= in [supervisorctl]). The username and
// password are sent as HTTP Basic credentials in the "authorization"
// metadata of every call. Every command uses a fresh connection, like
// 4.2.5.
//
// # Additions
//
// "wait <name> <state> [--timeout 30s]" blocks until a process is in a
// state (exit 0), or times out (exit 1); usage errors exit 2.
//
// The read commands status, avail, pid, reread and version print JSON
// with -o json (or --output json, as a global option or after the
// command). The shapes are stable; fields are only ever added:
//
//	status:  {"processes": [{"name", "group", "namespec", "state",
//	          "description", "pid", "start_time", "stop_time",
//	          "exit_status", "spawn_error", "stdout_logfile",
//	          "stderr_logfile"}], "errors": [{"name", "error"}]}
//	avail:   {"processes": [{"name", "group", "namespec", "in_use",
//	          "autostart", "group_priority", "process_priority"}]}
//	pid:     {"pid": N}                      (the daemon)
//	pid <name>... | all:
//	         {"processes": [{"namespec", "pid"}], "errors": [{"name", "error"}]}
//	reread:  {"added": [...], "changed": [...], "removed": [...], "revision"}
//	version: {"supervisor_version", "api_version", "daemon_version"}
//
// state is Supervisor's state name (RUNNING, STOPPED, ...); times are RFC
// 3339 in UTC or null; lists are never null. Exit codes are those of the
// text output. When a command fails as a whole (no connection, a fault),
// it prints the same text as without -o json.
//
// When stdout is a terminal (and NO_COLOR is unset), status colours its
// state column.
package main
