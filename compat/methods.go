package compat

import (
	"context"
	"errors"
	"sort"

	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// method is one XML-RPC method of 4.2.5's interface.
type method struct {
	// name is the full method name, "namespace.method".
	name string
	// sig is the signature system.methodSignature returns: the return type,
	// then the parameter types (4.2.5's, exactly).
	sig []string
	// min and max bound the number of parameters (more or fewer is
	// INCORRECT_PARAMETERS, Python's TypeError).
	min, max int
	// help is what system.methodHelp returns.
	help string
	// call runs the method with a checked parameter count. It returns the
	// value, or an error: an *xmlrpc.Fault, or a gRPC error that faultOf
	// translates.
	call func(s *service, ctx context.Context, a args) (any, error)
}

// table holds the 41 methods of 4.2.5's default interface, aliases included,
// by name. methodNames lists the names sorted, as system.listMethods returns
// them. Both are set by init (system.* methods refer to them).
var (
	table       map[string]*method
	methodNames []string
)

func init() {
	table = buildTable()
	for n := range table {
		methodNames = append(methodNames, n)
	}
	sort.Strings(methodNames)
}

func buildTable() map[string]*method {
	ms := []*method{
		// Status and control of the daemon.
		{name: "supervisor.getAPIVersion", sig: []string{"string"},
			help: "Return the version of the XML-RPC API this daemon implements (\"3.0\").\n\n@return string version",
			call: (*service).getAPIVersion},
		{name: "supervisor.getVersion", sig: []string{"string"},
			help: "Alias of getAPIVersion, kept for clients older than API 3.0.\n\n@return string version",
			call: (*service).getAPIVersion},
		{name: "supervisor.getSupervisorVersion", sig: []string{"string"},
			help: "Return the Supervisor release this daemon is compatible with.\n\n@return string version",
			call: (*service).getSupervisorVersion},
		{name: "supervisor.getIdentification", sig: []string{"string"},
			help: "Return the identifier of this daemon (the identifier option of [supervisord]).\n\n@return string identifier",
			call: (*service).getIdentification},
		{name: "supervisor.getState", sig: []string{"struct"},
			help: "Return the state of the daemon.\n\n@return struct {int statecode, string statename}",
			call: (*service).getState},
		{name: "supervisor.getPID", sig: []string{"int"},
			help: "Return the process id of the daemon.\n\n@return int pid",
			call: (*service).getPID},
		{name: "supervisor.readLog", sig: []string{"string", "int", "int"}, min: 2, max: 2,
			help: "Read bytes of the daemon's main log: length bytes from offset; length 0 reads to the end; a negative offset with length 0 reads the last -offset bytes.\n\n@param int offset\n@param int length\n@return string data",
			call: (*service).readLog},
		{name: "supervisor.readMainLog", sig: []string{"string", "int", "int"}, min: 2, max: 2,
			help: "Alias of readLog.\n\n@param int offset\n@param int length\n@return string data",
			call: (*service).readLog},
		{name: "supervisor.clearLog", sig: []string{"boolean"},
			help: "Empty the daemon's main log.\n\n@return boolean true",
			call: (*service).clearLog},
		{name: "supervisor.shutdown", sig: []string{"boolean"},
			help: "Stop every process and exit the daemon. Returns once the shutdown has begun.\n\n@return boolean true",
			call: (*service).shutdown},
		{name: "supervisor.restart", sig: []string{"boolean"},
			help: "Stop every process, read the configuration again and start again, in the same daemon process. Returns once the restart has begun.\n\n@return boolean true",
			call: (*service).restart},

		// Configuration.
		{name: "supervisor.reloadConfig", sig: []string{"array"},
			help: "Read the configuration file again and report, without applying anything, the names of the process groups that were added, changed and removed.\n\n@return array [[added, changed, removed]]",
			call: (*service).reloadConfig},
		{name: "supervisor.addProcessGroup", sig: []string{"boolean", "string"}, min: 1, max: 1,
			help: "Activate a process group of the last read configuration and start its autostart processes.\n\n@param string name group name\n@return boolean true",
			call: (*service).addProcessGroup},
		{name: "supervisor.removeProcessGroup", sig: []string{"boolean", "string"}, min: 1, max: 1,
			help: "Remove an active process group whose processes are all stopped.\n\n@param string name group name\n@return boolean true",
			call: (*service).removeProcessGroup},
		{name: "supervisor.getAllConfigInfo", sig: []string{"array"},
			help: "Return the configuration of every process of the last read configuration, sorted by process name.\n\n@return array of structs",
			call: (*service).getAllConfigInfo},

		// Processes.
		{name: "supervisor.getProcessInfo", sig: []string{"struct", "string"}, min: 1, max: 1,
			help: "Return the state of one process.\n\n@param string name process name or group:name\n@return struct process information",
			call: (*service).getProcessInfo},
		{name: "supervisor.getAllProcessInfo", sig: []string{"array"},
			help: "Return the state of every process, ordered by group and then process name.\n\n@return array of structs",
			call: (*service).getAllProcessInfo},
		{name: "supervisor.startProcess", sig: []string{"boolean", "string", "boolean"}, min: 1, max: 2,
			help: "Start a process; group:* starts the whole group (and returns its results). With wait (the default) it returns once the process is RUNNING.\n\n@param string name process name, group:name or group:*\n@param boolean wait\n@return boolean true",
			call: (*service).startProcess},
		{name: "supervisor.startProcessGroup", sig: []string{"array", "string", "boolean"}, min: 1, max: 2,
			help: "Start the processes of a group that are not running, in priority order.\n\n@param string name group name\n@param boolean wait\n@return array of result structs {name, group, status, description}",
			call: (*service).startProcessGroup},
		{name: "supervisor.startAllProcesses", sig: []string{"array", "boolean"}, max: 1,
			help: "Start every process that is not running, in priority order.\n\n@param boolean wait\n@return array of result structs",
			call: (*service).startAllProcesses},
		{name: "supervisor.stopProcess", sig: []string{"boolean", "string", "boolean"}, min: 1, max: 2,
			help: "Stop a process; group:* stops the whole group (and returns its results). With wait (the default) it returns once the process is stopped.\n\n@param string name process name, group:name or group:*\n@param boolean wait\n@return boolean true",
			call: (*service).stopProcess},
		{name: "supervisor.stopProcessGroup", sig: []string{"array", "string", "boolean"}, min: 1, max: 2,
			help: "Stop the running processes of a group.\n\n@param string name group name\n@param boolean wait\n@return array of result structs",
			call: (*service).stopProcessGroup},
		{name: "supervisor.stopAllProcesses", sig: []string{"array", "boolean"}, max: 1,
			help: "Stop every running process.\n\n@param boolean wait\n@return array of result structs",
			call: (*service).stopAllProcesses},
		{name: "supervisor.signalProcess", sig: []string{"boolean", "string", "string"}, min: 2, max: 2,
			help: "Send a signal, by name (HUP) or number (1), to a process; group:* signals the whole group.\n\n@param string name process name, group:name or group:*\n@param string signal\n@return boolean true",
			call: (*service).signalProcess},
		{name: "supervisor.signalProcessGroup", sig: []string{"array", "string", "string"}, min: 2, max: 2,
			help: "Send a signal to the signallable processes of a group.\n\n@param string name group name\n@param string signal\n@return array of result structs",
			call: (*service).signalProcessGroup},
		{name: "supervisor.signalAllProcesses", sig: []string{"array", "string"}, min: 1, max: 1,
			help: "Send a signal to every signallable process.\n\n@param string signal\n@return array of result structs",
			call: (*service).signalAllProcesses},
		{name: "supervisor.sendProcessStdin", sig: []string{"boolean", "string", "string"}, min: 2, max: 2,
			help: "Write text (UTF-8 encoded) to the standard input of a running process.\n\n@param string name process name or group:name\n@param string chars\n@return boolean true",
			call: (*service).sendProcessStdin},
		{name: "supervisor.sendRemoteCommEvent", sig: []string{"boolean", "string", "string"}, min: 2, max: 2,
			help: "Emit a REMOTE_COMMUNICATION event to the event listeners. Works while the daemon shuts down.\n\n@param string type\n@param string data\n@return boolean true",
			call: (*service).sendRemoteCommEvent},

		// Process logs.
		{name: "supervisor.readProcessStdoutLog", sig: []string{"string", "string", "int", "int"}, min: 3, max: 3,
			help: "Read bytes of a process's stdout log, with readLog's offset and length rules.\n\n@param string name\n@param int offset\n@param int length\n@return string data",
			call: (*service).readProcessStdoutLog},
		{name: "supervisor.readProcessLog", sig: []string{"string", "string", "int", "int"}, min: 3, max: 3,
			help: "Alias of readProcessStdoutLog.\n\n@param string name\n@param int offset\n@param int length\n@return string data",
			call: (*service).readProcessStdoutLog},
		{name: "supervisor.readProcessStderrLog", sig: []string{"string", "string", "int", "int"}, min: 3, max: 3,
			help: "Read bytes of a process's stderr log, with readLog's offset and length rules.\n\n@param string name\n@param int offset\n@param int length\n@return string data",
			call: (*service).readProcessStderrLog},
		{name: "supervisor.tailProcessStdoutLog", sig: []string{"array", "string", "int", "int"}, min: 3, max: 3,
			help: "Tail a process's stdout log: the last length bytes if the log grew beyond offset, the new offset (the log size) and whether bytes were skipped.\n\n@param string name\n@param int offset\n@param int length\n@return array [string data, int offset, boolean overflow]",
			call: (*service).tailProcessStdoutLog},
		{name: "supervisor.tailProcessLog", sig: []string{"array", "string", "int", "int"}, min: 3, max: 3,
			help: "Alias of tailProcessStdoutLog.\n\n@param string name\n@param int offset\n@param int length\n@return array [string data, int offset, boolean overflow]",
			call: (*service).tailProcessStdoutLog},
		{name: "supervisor.tailProcessStderrLog", sig: []string{"array", "string", "int", "int"}, min: 3, max: 3,
			help: "Tail a process's stderr log, like tailProcessStdoutLog.\n\n@param string name\n@param int offset\n@param int length\n@return array [string data, int offset, boolean overflow]",
			call: (*service).tailProcessStderrLog},
		{name: "supervisor.clearProcessLogs", sig: []string{"boolean", "string"}, min: 1, max: 1,
			help: "Empty the stdout and stderr logs of a process.\n\n@param string name\n@return boolean true",
			call: (*service).clearProcessLogs},
		{name: "supervisor.clearProcessLog", sig: []string{"boolean", "string"}, min: 1, max: 1,
			help: "Alias of clearProcessLogs.\n\n@param string name\n@return boolean true",
			call: (*service).clearProcessLogs},
		{name: "supervisor.clearAllProcessLogs", sig: []string{"array"},
			help: "Empty the logs of every process.\n\n@return array of result structs",
			call: (*service).clearAllProcessLogs},

		// Introspection.
		{name: "system.listMethods", sig: []string{"array"},
			help: "Return the names of every method, sorted.\n\n@return array of strings",
			call: (*service).listMethods},
		{name: "system.methodHelp", sig: []string{"string", "string"}, min: 1, max: 1,
			help: "Return the documentation of a method.\n\n@param string name\n@return string help",
			call: (*service).methodHelp},
		{name: "system.methodSignature", sig: []string{"array", "string"}, min: 1, max: 1,
			help: "Return the signature of a method: its return type, then its parameter types.\n\n@param string name\n@return array of strings",
			call: (*service).methodSignature},
		{name: "system.multicall", sig: []string{"array", "array"}, min: 1, max: 1,
			help: "Run several calls in order, each a struct {methodName, params}, and return one entry per call: its value, or a struct {faultCode, faultString}.\n\n@param array calls\n@return array results",
			call: (*service).multicall},
	}
	t := make(map[string]*method, len(ms))
	for _, m := range ms {
		t[m.name] = m
	}
	return t
}

// errInternal ends a call with an HTTP 500 instead of a fault, where 4.2.5
// fails with an unexpected exception (a multicall entry that is not a
// struct).
var errInternal = errors.New("unexpected request shape")

// dispatch runs one call and returns its value, or the error it ends with:
// an *xmlrpc.Fault, or errInternal.
func (s *service) dispatch(ctx context.Context, name string, params []any) (any, error) {
	m, ok := table[name]
	if !ok {
		return nil, fault(faults.UnknownMethod, "")
	}
	if len(params) < m.min || len(params) > m.max {
		return nil, incorrectParameters()
	}
	v, err := m.call(s, ctx, args(params))
	if err != nil {
		if errors.Is(err, errInternal) {
			return nil, err
		}
		return nil, faultOf(err)
	}
	return v, nil
}
