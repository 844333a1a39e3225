package config

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// defaultResultHandler is the only eventlistener result handler available
// (Supervisor's is a Python entry point).
const defaultResultHandler = "supervisor.dispatchers:default_handler"

// processGroups builds the groups in Supervisor's order: [group:x],
// [program:x], [eventlistener:x], [fcgi-program:x], then a stable sort by
// (priority, name).
func (l *loader) processGroups() ([]GroupConfig, error) {
	all := l.parser.sections()
	inAll := make(map[string]bool, len(all))
	for _, s := range all {
		inAll[s] = true
	}
	here := pyDict{"here": pyStr(l.here)}
	excluded := map[string]bool{}
	var groups []GroupConfig

	for _, section := range all {
		if !strings.HasPrefix(section, "group:") {
			continue
		}
		_, rawName, _ := strings.Cut(section, ":")
		groupName, err := processOrGroupName(rawName)
		if err != nil {
			return nil, err
		}
		programs, _, err := l.get(section, "programs", here)
		if err != nil {
			return nil, err
		}
		priority, err := l.getInt(section, "priority", 999, here)
		if err != nil {
			return nil, err
		}
		g := GroupConfig{Name: groupName, Kind: KindProgram, Heterogeneous: true, Priority: priority}
		// Supervisor reuses its loop variable here, so after the first
		// program an error names the previous program's section: kept.
		cur := section
		for _, program := range listOfStrings(programs) {
			ps, fs := "program:"+program, "fcgi-program:"+program
			switch {
			case !inAll[ps] && !inAll[fs]:
				return nil, errorf("[%s] names unknown program or fcgi-program %s", cur, program)
			case inAll[ps] && inAll[fs]:
				return nil, errorf("[%s] name %s is ambiguous (exists as program and fcgi-program)", cur, program)
			case inAll[ps]:
				cur = ps
			default:
				cur = fs
			}
			excluded[cur] = true
			procs, err := l.processesFromSection(cur, groupName, KindProgram)
			if err != nil {
				return nil, err
			}
			g.Processes = append(g.Processes, procs...)
		}
		groups = append(groups, g)
	}

	for _, section := range all {
		if !strings.HasPrefix(section, "program:") || excluded[section] {
			continue
		}
		_, rawName, _ := strings.Cut(section, ":")
		name, err := processOrGroupName(rawName)
		if err != nil {
			return nil, err
		}
		priority, err := l.getInt(section, "priority", 999, here)
		if err != nil {
			return nil, err
		}
		procs, err := l.processesFromSection(section, name, KindProgram)
		if err != nil {
			return nil, err
		}
		groups = append(groups, GroupConfig{Name: name, Kind: KindProgram, Priority: priority, Processes: procs})
	}

	for _, section := range all {
		if !strings.HasPrefix(section, "eventlistener:") {
			continue
		}
		g, err := l.eventListenerPool(section, here)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}

	for _, section := range all {
		if !strings.HasPrefix(section, "fcgi-program:") || excluded[section] {
			continue
		}
		g, err := l.fcgiGroup(section, here)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}

	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].Priority != groups[j].Priority {
			return groups[i].Priority < groups[j].Priority
		}
		return groups[i].Name < groups[j].Name
	})
	return groups, nil
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
	procs, err := l.processesFromSection(section, poolName, KindEventListener)
	if err != nil {
		return GroupConfig{}, err
	}
	return GroupConfig{
		Name:      poolName,
		Kind:      KindEventListener,
		Priority:  priority,
		Processes: procs,
		Pool:      &PoolConfig{Events: names, BufferSize: bufferSize, ResultHandler: handler},
	}, nil
}

func (l *loader) fcgiGroup(section string, here pyDict) (GroupConfig, error) {
	_, rawName, _ := strings.Cut(section, ":")
	name, err := processOrGroupName(rawName)
	if err != nil {
		return GroupConfig{}, err
	}
	priority, err := l.getInt(section, "priority", 999, here)
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
		if backlog < 1 || backlog > 65535 {
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
	sockExp := pyDict{"here": pyStr(l.here), "program_name": pyStr(name)}
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
	procs, err := l.processesFromSection(section, name, KindFCGIProgram)
	if err != nil {
		return GroupConfig{}, err
	}
	for i := range procs {
		s := *fs
		procs[i].FCGI = &s
	}
	return GroupConfig{Name: name, Kind: KindFCGIProgram, Priority: priority, Processes: procs}, nil
}

var tcpSocketRE = regexp.MustCompile(`^tcp://([^\s:]+):(\d+)$`)

// parseFCGISocket is Supervisor's parse_fcgi_socket. Two of its errors are
// raised with two arguments, which Python prints as a tuple: kept.
func (l *loader) parseFCGISocket(fs *FCGISocket, sock string, procUser *User, ownerUID, ownerGID int, haveOwner bool, mode int, haveMode bool) error {
	if strings.HasPrefix(sock, "unix://") {
		path := sock[len("unix://"):]
		if !strings.HasPrefix(path, "/") {
			return valueErrorf("(%s, %s)", pyRepr("Unix socket path %s is not an absolute path"), pyRepr(path))
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
	return valueErrorf("(%s, %s)", pyRepr("Bad socket format %s"), pyRepr(sock))
}

// processesFromSection builds the processes of a program-like section and
// adds Supervisor's " in section '<s>' (file: '<f>')" suffix to its errors.
func (l *loader) processesFromSection(section, groupName string, kind Kind) ([]ProcessConfig, error) {
	procs, err := l.processesOf(section, groupName, kind)
	if err != nil {
		file, ok := l.parser.sectionFile[section]
		if !ok {
			file = l.path
		}
		return nil, errorf("%s in section %s (file: %s)", err.Error(), pyRepr(section), pyRepr(file))
	}
	return procs, nil
}

// logOpts is one output channel while it is being read.
type logOpts struct {
	kind logfileKind
	cfg  LogConfig
}

func (l *loader) processesOf(section, groupName string, kind Kind) ([]ProcessConfig, error) {
	_, rawName, _ := strings.Cut(section, ":")
	programName, err := processOrGroupName(rawName)
	if err != nil {
		return nil, err
	}
	// common is mutated per process below, exactly as Supervisor mutates
	// its common_expansions dictionary (later get() calls see process_num,
	// numprocs and the program's ENV_ names).
	common := pyDict{
		"here":           pyStr(l.here),
		"program_name":   pyStr(programName),
		"host_node_name": pyStr(l.hostname),
		"group_name":     pyStr(groupName),
	}
	getS := func(opt, def string) (string, error) { return l.getDefault(section, opt, def, common) }
	getI := func(opt string, def int) (int, error) { return l.getInt(section, opt, def, common) }
	getB := func(opt, def string) (bool, error) {
		s, err := getS(opt, def)
		if err != nil {
			return false, err
		}
		return boolean(s)
	}

	p := ProcessConfig{Group: groupName, Program: programName, Kind: kind, Section: section}
	file, ok := l.parser.sectionFile[section]
	if !ok {
		file = l.path
	}
	p.File = absPath(file, l.cwd)

	if p.Priority, err = getI("priority", 999); err != nil {
		return nil, err
	}
	if p.Autostart, err = getB("autostart", "true"); err != nil {
		return nil, err
	}
	s, err := getS("autorestart", "unexpected")
	if err != nil {
		return nil, err
	}
	if p.Autorestart, err = autoRestart(s); err != nil {
		return nil, err
	}
	if p.StartSecs, err = getI("startsecs", 1); err != nil {
		return nil, err
	}
	if p.StartRetries, err = getI("startretries", 3); err != nil {
		return nil, err
	}
	if s, err = getS("stopsignal", "TERM"); err != nil {
		return nil, err
	}
	if p.StopSignal, err = signalNumber(s); err != nil {
		return nil, err
	}
	if p.StopWaitSecs, err = getI("stopwaitsecs", 10); err != nil {
		return nil, err
	}
	if p.StopAsGroup, err = getB("stopasgroup", "false"); err != nil {
		return nil, err
	}
	if v, ok, err := l.get(section, "killasgroup", common); err != nil {
		return nil, err
	} else if ok {
		if p.KillAsGroup, err = boolean(v); err != nil {
			return nil, err
		}
	} else {
		p.KillAsGroup = p.StopAsGroup
	}
	if s, err = getS("exitcodes", "0"); err != nil {
		return nil, err
	}
	if p.ExitCodes, err = listOfExitcodes(s); err != nil {
		return nil, err
	}
	if p.RedirectStderr, err = getB("redirect_stderr", "false"); err != nil {
		return nil, err
	}
	numprocs, err := getI("numprocs", 1)
	if err != nil {
		return nil, err
	}
	numprocsStart, err := getI("numprocs_start", 0)
	if err != nil {
		return nil, err
	}
	environmentStr, _ := l.parser.get(section, "environment")
	if s, err = getS("stdout_capture_maxbytes", "0"); err != nil {
		return nil, err
	}
	if p.Stdout.CaptureMaxBytes, err = byteSize(s); err != nil {
		return nil, err
	}
	if p.Stdout.EventsEnabled, err = getB("stdout_events_enabled", "false"); err != nil {
		return nil, err
	}
	if s, err = getS("stderr_capture_maxbytes", "0"); err != nil {
		return nil, err
	}
	if p.Stderr.CaptureMaxBytes, err = byteSize(s); err != nil {
		return nil, err
	}
	if p.Stderr.EventsEnabled, err = getB("stderr_events_enabled", "false"); err != nil {
		return nil, err
	}
	if v, ok, err := l.get(section, "serverurl", common); err != nil {
		return nil, err
	} else if ok && strings.ToUpper(pyStrip(v)) != "AUTO" {
		p.ServerURL = v
	}
	if v, ok, err := l.get(section, "user", common); err != nil {
		return nil, err
	} else if ok {
		if p.User, err = lookupUser(v); err != nil {
			return nil, err
		}
	}
	if v, ok, err := l.get(section, "umask", common); err != nil {
		return nil, err
	} else if ok {
		m, err := octalType(v)
		if err != nil {
			return nil, err
		}
		p.Umask = &m
	}
	nameTmpl, ok := l.parser.get(section, "process_name")
	if !ok {
		nameTmpl = "%(program_name)s"
	}
	if nameTmpl, err = processOrGroupName(nameTmpl); err != nil {
		return nil, err
	}
	if numprocs > 1 && !strings.Contains(nameTmpl, "%(process_num)") {
		return nil, valueErrorf("%%(process_num) must be present within process_name when numprocs > 1")
	}
	if p.StopAsGroup && !p.KillAsGroup {
		return nil, valueErrorf("Cannot set stopasgroup=true and killasgroup=false")
	}

	var procs []ProcessConfig
	for num := numprocsStart; num < numprocsStart+numprocs; num++ {
		exp := common
		exp["process_num"] = pyInt(int64(num))
		exp["numprocs"] = pyInt(int64(numprocs))
		for k, v := range l.environ {
			exp[k] = v
		}
		envStr, err := expand(environmentStr, exp, "environment")
		if err != nil {
			return nil, err
		}
		env, err := dictOfKeyValuePairs(envStr)
		if err != nil {
			return nil, err
		}
		for k, v := range env {
			exp["ENV_"+k] = pyStr(v)
		}
		proc := p
		proc.ExitCodes = slices.Clone(p.ExitCodes)
		proc.Environment = env
		if dir, ok, err := l.get(section, "directory", common); err != nil {
			return nil, err
		} else if ok {
			proc.Directory = dir
		}
		logs := map[string]*logOpts{"stdout": {cfg: p.Stdout}, "stderr": {cfg: p.Stderr}}
		for _, k := range []string{"stdout", "stderr"} {
			lo := logs[k]
			lfKey := k + "_logfile"
			if v, ok, err := l.get(section, lfKey, common); err != nil {
				return nil, err
			} else if ok {
				if v, err = expand(v, exp, lfKey); err != nil {
					return nil, err
				}
				var path string
				if lo.kind, path, err = logfileName(v); err != nil {
					return nil, err
				}
				if lo.kind == logfilePath && path != "" {
					lo.cfg.Logfile = absPath(path, l.cwd)
				}
			} else {
				lo.kind = logfileAuto
			}
			if lo.cfg.Backups, err = getI(k+"_logfile_backups", 10); err != nil {
				return nil, err
			}
			if s, err = getS(k+"_logfile_maxbytes", "50MB"); err != nil {
				return nil, err
			}
			if lo.cfg.MaxBytes, err = byteSize(s); err != nil {
				return nil, err
			}
			syKey := k + "_syslog"
			if v, ok, err := l.get(section, syKey, common); err != nil {
				return nil, err
			} else if ok {
				if lo.cfg.Syslog, err = boolean(v); err != nil {
					return nil, err
				}
			}
			if lo.kind == logfileSyslog {
				l.warnings = append(l.warnings, fmt.Sprintf(
					"For [%s], %s=syslog but this is deprecated and will be removed.  Use %s=true to enable syslog instead.",
					section, lfKey, syKey))
				lo.kind = logfileNone
				lo.cfg.Syslog = true
			}
			if lo.kind == logfileAuto {
				lo.cfg.Logfile = AutoLog
				if lo.cfg.MaxBytes == 0 {
					l.warnings = append(l.warnings, fmt.Sprintf(
						"For [%s], AUTO logging used for %s without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally",
						section, lfKey))
				}
			}
		}
		if p.RedirectStderr {
			if lo := logs["stderr"]; lo.kind == logfilePath {
				l.warnings = append(l.warnings, fmt.Sprintf(
					"For [%s], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored",
					section))
			}
			logs["stderr"].kind = logfileNone
			logs["stderr"].cfg.Logfile = ""
		}
		proc.Stdout = logs["stdout"].cfg
		proc.Stderr = logs["stderr"].cfg
		cmd, ok, err := l.get(section, "command", common)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, valueErrorf("program section %s does not specify a command", section)
		}
		proc.Command = cmd
		if proc.Name, err = expand(nameTmpl, exp, "process_name"); err != nil {
			return nil, err
		}
		procs = append(procs, proc)
	}
	sort.SliceStable(procs, func(i, j int) bool {
		if procs[i].Priority != procs[j].Priority {
			return procs[i].Priority < procs[j].Priority
		}
		return procs[i].Name < procs[j].Name
	})
	return procs, nil
}
