package config

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// defaultResultHandler is the only eventlistener result handler available
// (Supervisor's is a Python entry point).
const defaultResultHandler = "supervisor.dispatchers:default_handler"

// maxSocketBacklog is the highest socket_backlog Supervisor accepts.
const maxSocketBacklog = 65535

// defaultPriority is the priority of a group or process that sets none
// (an event listener pool's default is -1).
const defaultPriority = 999

// processGroups builds the groups in Supervisor's order: [group:x],
// [program:x], [eventlistener:x], [fcgi-program:x], then a stable sort by
// (priority, name). A program that belongs to a [group:x] forms no group
// of its own.
func (l *loader) processGroups() ([]GroupConfig, error) {
	here := pyDict{"here": strOf(l.here)}
	groups, inGroups, err := l.declaredGroups(here)
	if err != nil {
		return nil, err
	}
	kinds := []struct {
		prefix string
		group  func(section string, here pyDict) (GroupConfig, error)
	}{
		{"program:", l.programGroup},
		{"eventlistener:", l.eventListenerPool},
		{"fcgi-program:", l.fcgiGroup},
	}
	for _, k := range kinds {
		for _, section := range l.parser.sections() {
			if !strings.HasPrefix(section, k.prefix) || inGroups[section] {
				continue
			}
			g, err := k.group(section, here)
			if err != nil {
				return nil, err
			}
			groups = append(groups, g)
		}
	}
	slices.SortStableFunc(groups, func(a, b GroupConfig) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Name, b.Name))
	})
	return groups, nil
}

// declaredGroups builds the heterogeneous groups of the [group:x]
// sections, and returns the sections of their programs.
func (l *loader) declaredGroups(here pyDict) ([]GroupConfig, map[string]bool, error) {
	all := l.parser.sections()
	exists := make(map[string]bool, len(all))
	for _, s := range all {
		exists[s] = true
	}
	inGroups := map[string]bool{}
	var groups []GroupConfig
	for _, section := range all {
		if !strings.HasPrefix(section, "group:") {
			continue
		}
		_, rawName, _ := strings.Cut(section, ":")
		groupName, err := processOrGroupName(rawName)
		if err != nil {
			return nil, nil, err
		}
		programs, _, err := l.get(section, "programs", here)
		if err != nil {
			return nil, nil, err
		}
		priority, err := l.getInt(section, "priority", defaultPriority, here)
		if err != nil {
			return nil, nil, err
		}
		g := GroupConfig{Name: groupName, Kind: KindProgram, Heterogeneous: true, Priority: priority}
		// Supervisor reuses its loop variable here, so after the first
		// program an error names the previous program's section: kept.
		cur := section
		for _, program := range listOfStrings(programs) {
			if cur, err = groupProgramSection(cur, program, exists); err != nil {
				return nil, nil, err
			}
			inGroups[cur] = true
			procs, _, err := l.processesFromSection(cur, groupName, KindProgram, false)
			if err != nil {
				return nil, nil, err
			}
			g.Processes = append(g.Processes, procs...)
		}
		groups = append(groups, g)
	}
	return groups, inGroups, nil
}

// groupProgramSection returns the section of a program named in the
// programs= of a [group:x]: [program:x] or [fcgi-program:x]. cur is the
// section Supervisor's errors name.
func groupProgramSection(cur, program string, exists map[string]bool) (string, error) {
	ps, fs := "program:"+program, "fcgi-program:"+program
	switch {
	case !exists[ps] && !exists[fs]:
		return "", errorf("[%s] names unknown program or fcgi-program %s", cur, program)
	case exists[ps] && exists[fs]:
		return "", errorf("[%s] name %s is ambiguous (exists as program and fcgi-program)", cur, program)
	case exists[ps]:
		return ps, nil
	}
	return fs, nil
}

// programGroup builds the homogeneous group of a [program:x] section.
func (l *loader) programGroup(section string, here pyDict) (GroupConfig, error) {
	_, rawName, _ := strings.Cut(section, ":")
	name, err := processOrGroupName(rawName)
	if err != nil {
		return GroupConfig{}, err
	}
	priority, err := l.getInt(section, "priority", defaultPriority, here)
	if err != nil {
		return GroupConfig{}, err
	}
	procs, n, err := l.processesFromSection(section, name, KindProgram, true)
	if err != nil {
		return GroupConfig{}, err
	}
	return GroupConfig{Name: name, Kind: KindProgram, Priority: priority, Processes: procs, FileNumprocs: n}, nil
}

func (l *loader) eventListenerPool(section string, here pyDict) (GroupConfig, error) {
	_, poolName, _ := strings.Cut(section, ":")
	priority, err := l.getInt(section, "priority", -1, here)
	if err != nil {
		return GroupConfig{}, err
	}
	bufferSize, err := l.getInt(section, "buffer_size", 10, here)
	if err != nil {
		return GroupConfig{}, err
	}
	if bufferSize < 1 {
		return GroupConfig{}, errorf("[%s] section sets invalid buffer_size (%d)", section, bufferSize)
	}
	handler, err := l.getDefault(section, "result_handler", defaultResultHandler, here)
	if err != nil {
		return GroupConfig{}, err
	}
	if handler != defaultResultHandler {
		return GroupConfig{}, errorf("%s cannot be resolved within [%s]", handler, section)
	}
	events, err := l.getDefault(section, "events", "", here)
	if err != nil {
		return GroupConfig{}, err
	}
	seen := map[string]bool{}
	var names []string
	for _, e := range listOfStrings(events) {
		e = strings.ToUpper(e)
		if !seen[e] {
			seen[e] = true
			names = append(names, e)
		}
	}
	if len(names) == 0 {
		return GroupConfig{}, errorf("[%s] section requires an \"events\" line", section)
	}
	for _, e := range names {
		if !knownEventTypes[e] {
			return GroupConfig{}, errorf("Unknown event type %s in [%s] events", e, section)
		}
	}
	sort.Strings(names)
	s, err := l.getDefault(section, "redirect_stderr", "false", here)
	if err != nil {
		return GroupConfig{}, err
	}
	redirect, err := boolean(s)
	if err != nil {
		return GroupConfig{}, err
	}
	if redirect {
		return GroupConfig{}, errorf("[%s] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol", section)
	}
	procs, n, err := l.processesFromSection(section, poolName, KindEventListener, true)
	if err != nil {
		return GroupConfig{}, err
	}
	return GroupConfig{
		Name:         poolName,
		Kind:         KindEventListener,
		Priority:     priority,
		Processes:    procs,
		Pool:         &PoolConfig{Events: names, BufferSize: bufferSize, ResultHandler: handler},
		FileNumprocs: n,
	}, nil
}

func (l *loader) fcgiGroup(section string, here pyDict) (GroupConfig, error) {
	_, rawName, _ := strings.Cut(section, ":")
	name, err := processOrGroupName(rawName)
	if err != nil {
		return GroupConfig{}, err
	}
	priority, err := l.getInt(section, "priority", defaultPriority, here)
	if err != nil {
		return GroupConfig{}, err
	}
	var procUser *User
	if u, ok, err := l.get(section, "user", here); err != nil {
		return GroupConfig{}, err
	} else if ok {
		if procUser, err = lookupUser(u); err != nil {
			return GroupConfig{}, err
		}
	}
	backlog := 0
	if s, ok, err := l.get(section, "socket_backlog", here); err != nil {
		return GroupConfig{}, err
	} else if ok {
		if backlog, err = intValue(s); err != nil {
			return GroupConfig{}, err
		}
		if backlog < 1 || backlog > maxSocketBacklog {
			return GroupConfig{}, errorf("Invalid socket_backlog value %d", backlog)
		}
	}
	ownerUID, ownerGID, haveOwner := -1, -1, false
	if s, ok, err := l.get(section, "socket_owner", here); err != nil {
		return GroupConfig{}, err
	} else if ok {
		if ownerUID, ownerGID, err = colonSeparatedUserGroup(s); err != nil {
			return GroupConfig{}, errorf("Invalid socket_owner value %s", s)
		}
		haveOwner = true
	}
	mode, haveMode := 0, false
	if s, ok, err := l.get(section, "socket_mode", here); err != nil {
		return GroupConfig{}, err
	} else if ok {
		if mode, err = octalType(s); err != nil {
			return GroupConfig{}, errorf("Invalid socket_mode value %s", s)
		}
		haveMode = true
	}
	sockExp := pyDict{"here": strOf(l.here), "program_name": strOf(name)}
	sock, _, err := l.get(section, "socket", sockExp)
	if err != nil {
		return GroupConfig{}, err
	}
	if sock == "" {
		return GroupConfig{}, errorf("[%s] section requires a \"socket\" line", section)
	}
	fs := &FCGISocket{Backlog: backlog, OwnerUID: -1, OwnerGID: -1}
	if err := l.parseFCGISocket(fs, sock, procUser, ownerUID, ownerGID, haveOwner, mode, haveMode); err != nil {
		return GroupConfig{}, errorf("%s in [%s] socket", err.Error(), section)
	}
	procs, n, err := l.processesFromSection(section, name, KindFCGIProgram, true)
	if err != nil {
		return GroupConfig{}, err
	}
	for i := range procs {
		s := *fs
		procs[i].FCGI = &s
	}
	return GroupConfig{Name: name, Kind: KindFCGIProgram, Priority: priority, Processes: procs, FileNumprocs: n}, nil
}

var tcpSocketRE = regexp.MustCompile(`^tcp://([^\s:]+):(\d+)$`)

// parseFCGISocket is Supervisor's parse_fcgi_socket. Two of its errors are
// raised with two arguments, which Python prints as a tuple: kept.
func (l *loader) parseFCGISocket(fs *FCGISocket, sock string, procUser *User, ownerUID, ownerGID int, haveOwner bool, mode int, haveMode bool) error {
	if strings.HasPrefix(sock, "unix://") {
		path := sock[len("unix://"):]
		if !strings.HasPrefix(path, "/") {
			return valueErrorf("(%s, %s)", pytext.Repr("Unix socket path %s is not an absolute path"), pytext.Repr(path))
		}
		path = normalizePath(path, l.cwd)
		if !haveOwner && procUser != nil && procUser.UID != os.Getuid() {
			ownerUID, ownerGID = procUser.UID, procUser.GID
		}
		if !haveMode {
			mode = 0o700
		}
		fs.URL = "unix://" + path
		fs.OwnerUID, fs.OwnerGID = ownerUID, ownerGID
		fs.Mode = uint32(mode)
		return nil
	}
	if haveOwner || haveMode {
		return valueErrorf("socket_owner and socket_mode params should only be used with a Unix domain socket")
	}
	if m := tcpSocketRE.FindStringSubmatch(sock); m != nil {
		port, err := portNumber(m[2])
		if err != nil {
			return err
		}
		fs.URL = fmt.Sprintf("tcp://%s:%d", strings.ToLower(m[1]), port)
		return nil
	}
	return valueErrorf("(%s, %s)", pytext.Repr("Bad socket format %s"), pytext.Repr(sock))
}

// processesFromSection builds the processes of a program-like section and
// adds Supervisor's " in section '<s>' (file: '<f>')" suffix to its errors.
// The file's numprocs is returned too; scalable allows a runtime scale.
func (l *loader) processesFromSection(section, groupName string, kind Kind, scalable bool) ([]ProcessConfig, int, error) {
	procs, n, err := l.processesOf(section, groupName, kind, scalable)
	if err != nil {
		return nil, 0, errorf("%s in section %s (file: %s)", err.Error(), pytext.Repr(section), pytext.Repr(l.fileOf(section)))
	}
	return procs, n, nil
}

// fileOf returns the file that holds section, as given.
func (l *loader) fileOf(section string) string {
	if file, ok := l.parser.sectionFile[section]; ok {
		return file
	}
	return l.path
}

// processesOf builds the processes of a program-like section: the options
// every process shares, then each of its numprocs processes.
// It also returns the file's numprocs. scalable allows a runtime scale
// (a homogeneous group).
func (l *loader) processesOf(section, groupName string, kind Kind, scalable bool) ([]ProcessConfig, int, error) {
	_, rawName, _ := strings.Cut(section, ":")
	programName, err := processOrGroupName(rawName)
	if err != nil {
		return nil, 0, err
	}
	// The expansions are mutated per process below, exactly as Supervisor
	// mutates its common_expansions dictionary (later get() calls see
	// process_num, numprocs and the program's ENV_ names).
	o := l.options(section, pyDict{
		"here":           strOf(l.here),
		"program_name":   strOf(programName),
		"host_node_name": strOf(l.hostname),
		"group_name":     strOf(groupName),
	})
	prog, err := l.programOptions(o, ProcessConfig{
		Group: groupName, Program: programName, Kind: kind, Section: section,
		File: absPath(l.fileOf(section), l.cwd),
	}, scalable)
	if err != nil {
		return nil, 0, err
	}
	var procs []ProcessConfig
	for num := prog.numprocsStart; num < prog.numprocsStart+prog.numprocs; num++ {
		proc, err := l.processInstance(o, prog, num)
		if err != nil {
			return nil, 0, err
		}
		procs = append(procs, proc)
	}
	slices.SortStableFunc(procs, func(a, b ProcessConfig) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Name, b.Name))
	})
	return procs, prog.fileNumprocs, nil
}

// programOptions are the options of a program-like section that every
// one of its processes shares.
type programOptions struct {
	// proc holds the shared fields of each process.
	proc ProcessConfig
	// numprocs and numprocsStart number the processes.
	numprocs, numprocsStart int
	// fileNumprocs is the file's numprocs (numprocs may be a runtime
	// scale).
	fileNumprocs int
	// environment, envFiles (environment_file) and nameTmpl are expanded
	// per process.
	environment, envFiles, nameTmpl string
}

// programOptions reads the shared options of a program-like section, in
// Supervisor's order, into p.
// A runtime scale of the group applies when scalable (a homogeneous
// group).
func (l *loader) programOptions(o *options, p ProcessConfig, scalable bool) (*programOptions, error) {
	p.Priority = o.integer("priority", defaultPriority)
	p.Autostart = o.boolean("autostart", "true")
	p.Autorestart = parsed(o, "autorestart", "unexpected", autoRestart)
	p.StartSecs = o.integer("startsecs", 1)
	p.StartRetries = o.integer("startretries", 3)
	// gsupervisor: the crash-loop floor.
	p.RestartBurst = o.integer("restart_burst", 5)
	if o.err == nil && p.RestartBurst < 0 {
		o.fail(errorf("invalid restart_burst value %d: it must be at least 0", p.RestartBurst))
	}
	interval := o.integer("restart_interval", 1)
	if o.err == nil && interval < 0 {
		o.fail(errorf("invalid restart_interval value %d: it must be at least 0", interval))
	}
	p.RestartInterval = time.Duration(interval) * time.Second
	p.StopSignal = parsed(o, "stopsignal", "TERM", signalNumber)
	p.StopWaitSecs = o.integer("stopwaitsecs", 10)
	p.StopAsGroup = o.boolean("stopasgroup", "false")
	p.KillAsGroup = p.StopAsGroup
	if v, ok := parsedIfSet(o, "killasgroup", boolean); ok {
		p.KillAsGroup = v
	}
	p.ExitCodes = parsed(o, "exitcodes", "0", listOfExitcodes)
	p.RedirectStderr = o.boolean("redirect_stderr", "false")
	prog := &programOptions{numprocs: o.integer("numprocs", 1), numprocsStart: o.integer("numprocs_start", 0)}
	prog.fileNumprocs = prog.numprocs
	if sc, ok := l.scale[p.Group]; ok && scalable && sc.FileNumprocs == prog.numprocs {
		prog.numprocs = sc.Numprocs
	}
	prog.environment, _ = l.parser.get(o.section, "environment")
	prog.envFiles, _ = l.parser.get(o.section, "environment_file")
	p.Required = parsed(o, "required", "false", requiredValue)
	p.Stdout.CaptureMaxBytes = parsed(o, "stdout_capture_maxbytes", "0", byteSize)
	p.Stdout.EventsEnabled = o.boolean("stdout_events_enabled", "false")
	p.Stderr.CaptureMaxBytes = parsed(o, "stderr_capture_maxbytes", "0", byteSize)
	p.Stderr.EventsEnabled = o.boolean("stderr_events_enabled", "false")
	if v, ok := o.lookup("serverurl"); ok && strings.ToUpper(pytext.Strip(v)) != "AUTO" {
		p.ServerURL = v
	}
	if u, ok := parsedIfSet(o, "user", lookupUser); ok {
		p.User = u
	}
	if m, ok := parsedIfSet(o, "umask", octalType); ok {
		p.Umask = &m
	}
	if o.err != nil {
		return nil, o.err
	}
	nameTmpl, ok := l.parser.get(o.section, "process_name")
	if !ok {
		nameTmpl = "%(program_name)s"
	}
	nameTmpl, err := processOrGroupName(nameTmpl)
	if err != nil {
		return nil, err
	}
	if prog.numprocs > 1 && !strings.Contains(nameTmpl, "%(process_num)") {
		return nil, valueErrorf("%%(process_num) must be present within process_name when numprocs > 1")
	}
	if p.StopAsGroup && !p.KillAsGroup {
		return nil, valueErrorf("Cannot set stopasgroup=true and killasgroup=false")
	}
	prog.proc, prog.nameTmpl = p, nameTmpl
	return prog, nil
}

// processInstance builds process number num of a program-like section. It
// adds process_num, numprocs, the daemon's ENV_ names and the program's
// environment (as ENV_ names) to the section's expansions, which later
// reads see, as Supervisor does.
func (l *loader) processInstance(o *options, prog *programOptions, num int) (ProcessConfig, error) {
	exp := o.exp
	exp["process_num"] = intOf(int64(num))
	exp["numprocs"] = intOf(int64(prog.numprocs))
	for k, v := range l.environ {
		exp[k] = v
	}
	envStr, err := expand(prog.environment, exp, "environment")
	if err != nil {
		return ProcessConfig{}, err
	}
	env, err := dictOfKeyValuePairs(envStr)
	if err != nil {
		return ProcessConfig{}, err
	}
	var envFiles []string
	if prog.envFiles != "" {
		files, err := expand(prog.envFiles, exp, "environment_file")
		if err != nil {
			return ProcessConfig{}, err
		}
		envFiles = l.envFileList(files)
		fileEnv, err := readEnvFiles(o.section, envFiles)
		if err != nil {
			return ProcessConfig{}, err
		}
		env = overlay(fileEnv, env)
	}
	for k, v := range env {
		exp["ENV_"+k] = strOf(v)
	}
	proc := prog.proc
	proc.ExitCodes = slices.Clone(prog.proc.ExitCodes)
	proc.Environment = env
	proc.ProcessNum = num
	proc.EnvironmentFiles = envFiles
	if dir, ok := o.lookup("directory"); ok {
		proc.Directory = dir
	}
	var stderrKind logfileKind
	proc.Stdout, _ = l.channelLog(o, "stdout", proc.Stdout)
	proc.Stderr, stderrKind = l.channelLog(o, "stderr", proc.Stderr)
	if o.err != nil {
		return ProcessConfig{}, o.err
	}
	if proc.RedirectStderr {
		if stderrKind == logfilePath {
			l.warnings = append(l.warnings, fmt.Sprintf(
				"For [%s], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored",
				o.section))
		}
		proc.Stderr.Logfile = ""
	}
	cmd, ok := o.lookup("command")
	if o.err != nil {
		return ProcessConfig{}, o.err
	}
	if !ok {
		return ProcessConfig{}, valueErrorf("program section %s does not specify a command", o.section)
	}
	proc.Command = cmd
	if proc.Name, err = expand(prog.nameTmpl, exp, "process_name"); err != nil {
		return ProcessConfig{}, err
	}
	gsupervisorOptions(o, &proc)
	if o.err != nil {
		return ProcessConfig{}, o.err
	}
	return proc, nil
}

// channelLog reads the log options of one channel ("stdout" or "stderr")
// into lc (which holds the channel's capture and events options):
// <channel>_logfile (expanded twice, as Supervisor does), _logfile_backups,
// _logfile_maxbytes and _syslog. It returns the channel's logfile kind and
// adds Supervisor's warnings for a deprecated logfile=syslog and for an
// AUTO log without rollover.
func (l *loader) channelLog(o *options, channel string, lc LogConfig) (LogConfig, logfileKind) {
	lfKey, syKey := channel+"_logfile", channel+"_syslog"
	kind := logfileAuto
	if v, ok := o.lookup(lfKey); ok {
		var path string
		v, err := expand(v, o.exp, lfKey)
		if err == nil {
			kind, path, err = logfileName(v)
		}
		o.fail(err)
		if kind == logfilePath && path != "" {
			lc.Logfile = absPath(path, l.cwd)
		}
	}
	lc.Backups = o.integer(channel+"_logfile_backups", 10)
	lc.MaxBytes = parsed(o, channel+"_logfile_maxbytes", "50MB", byteSize)
	if v, ok := parsedIfSet(o, syKey, boolean); ok {
		lc.Syslog = v
	}
	if o.err != nil {
		return lc, kind
	}
	switch kind {
	case logfileSyslog:
		l.warnings = append(l.warnings, fmt.Sprintf(
			"For [%s], %s=syslog but this is deprecated and will be removed.  Use %s=true to enable syslog instead.",
			o.section, lfKey, syKey))
		kind = logfileNone
		lc.Syslog = true
	case logfileAuto:
		lc.Logfile = AutoLog
		if lc.MaxBytes == 0 {
			l.warnings = append(l.warnings, fmt.Sprintf(
				"For [%s], AUTO logging used for %s without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally",
				o.section, lfKey))
		}
	}
	return lc, kind
}
