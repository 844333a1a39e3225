package config

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// This file holds the value types of Supervisor's datatypes.py, with the
// same accepted forms and error texts. Converters return *valueError (the
// Python ValueError), which callers decorate with the section suffix.

// reprLimit is the precision of CPython's "%.200R" in int()'s error.
const reprLimit = 200

// reprTrunc is CPython's "%.200R": the repr cut to reprLimit characters.
func reprTrunc(s string) string {
	r := []rune(pytext.Repr(s))
	if len(r) > reprLimit {
		r = r[:reprLimit]
	}
	return string(r)
}

// integer is Supervisor's integer(): Python's int().
func integer(s string) (int64, error) {
	v, err := pytext.ParseInt(s, 10)
	switch {
	case errors.Is(err, pytext.ErrRange):
		return 0, valueErrorf("integer value %s is out of range", pytext.Repr(s))
	case err != nil:
		return 0, valueErrorf("invalid literal for int() with base 10: %s", reprTrunc(s))
	}
	return v, nil
}

// intValue is integer() for values that must fit an int.
func intValue(s string) (int, error) {
	v, err := integer(s)
	if err != nil {
		return 0, err
	}
	if int64(int(v)) != v {
		return 0, valueErrorf("integer value %s is out of range", pytext.Repr(s))
	}
	return int(v), nil
}

// boolean is Supervisor's boolean().
func boolean(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "true", "on", "1":
		return true, nil
	case "no", "false", "off", "0":
		return false, nil
	}
	return false, valueErrorf("not a valid boolean value: %s", pytext.Repr(s))
}

// byteSize is Supervisor's byte_size(): an integer with an optional
// case-insensitive KB, MB or GB suffix.
func byteSize(s string) (int64, error) {
	v := strings.ToLower(s)
	mult := int64(1)
	rv := []rune(v)
	if len(rv) >= 2 {
		switch string(rv[len(rv)-2:]) {
		case "kb":
			mult, v = 1024, string(rv[:len(rv)-2])
		case "mb":
			mult, v = 1024*1024, string(rv[:len(rv)-2])
		case "gb":
			mult, v = 1024*1024*1024, string(rv[:len(rv)-2])
		}
	}
	n, err := integer(v)
	if err != nil {
		return 0, err
	}
	if n > 0 && n > (1<<62)/mult || n < 0 && -n > (1<<62)/mult {
		return 0, valueErrorf("integer value %s is out of range", pytext.Repr(s))
	}
	return n * mult, nil
}

// octalType is Supervisor's octal_type().
func octalType(s string) (int, error) {
	v, err := pytext.ParseInt(s, 8)
	if err != nil || int64(int(v)) != v {
		return 0, valueErrorf("%s can not be converted to an octal type", s)
	}
	return int(v), nil
}

// signalsByName maps every name Python's signal module resolves in
// Supervisor's signal datatype (SIG-prefixed, upper case) to its number.
var signalsByName = map[string]syscall.Signal{
	"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGIOT": 6,
	"SIGBUS": 7, "SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12,
	"SIGPIPE": 13, "SIGALRM": 14, "SIGTERM": 15, "SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCLD": 17,
	"SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20, "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23,
	"SIGXCPU": 24, "SIGXFSZ": 25, "SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29,
	"SIGPOLL": 29, "SIGPWR": 30, "SIGSYS": 31, "SIGRTMIN": 34, "SIGRTMAX": 64,
	// Handler and mask constants of the signal module also start with SIG.
	"SIG_DFL": 0, "SIG_IGN": 1, "SIG_BLOCK": 0, "SIG_UNBLOCK": 1, "SIG_SETMASK": 2,
}

// signalNames is Supervisor's signame() table: the name shown for a number.
var signalNames = map[syscall.Signal]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
	8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
	14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
	20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
	26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGPOLL", 30: "SIGPWR", 31: "SIGSYS",
	34: "SIGRTMIN", 64: "SIGRTMAX",
}

// validSignal reports whether n is one of the numbers Supervisor accepts
// (the values of the signal module's SIG* names, 0 included).
func validSignal(n int64) bool {
	if n == 0 {
		return true
	}
	_, ok := signalNames[syscall.Signal(n)]
	return ok && n >= 0 && n <= 64
}

// ParseSignal parses a signal value as Supervisor's signal datatype does: a
// number, or a name with or without the SIG prefix in any case, surrounding
// blanks ignored. 0 is accepted. Errors are "value '<v>' is not a valid
// signal name" and "value '<v>' is not a valid signal number".
func ParseSignal(s string) (syscall.Signal, error) {
	sig, err := signalNumber(s)
	if err != nil {
		return 0, &Error{Msg: err.Error()}
	}
	return sig, nil
}

func signalNumber(s string) (syscall.Signal, error) {
	n, err := pytext.ParseInt(s, 10)
	if err != nil {
		name := strings.ToUpper(pytext.Strip(s))
		if !strings.HasPrefix(name, "SIG") {
			name = "SIG" + name
		}
		sig, found := signalsByName[name]
		if !found {
			return 0, valueErrorf("value %s is not a valid signal name", pytext.Repr(s))
		}
		return sig, nil
	}
	if !validSignal(n) {
		return 0, valueErrorf("value %s is not a valid signal number", pytext.Repr(s))
	}
	return syscall.Signal(n), nil
}

// SignalName returns Supervisor's name for a signal number (its signame()),
// e.g. "SIGTERM", or "signal <n>" for a number without a name.
func SignalName(sig syscall.Signal) string {
	if name, ok := signalNames[sig]; ok {
		return name
	}
	return "signal " + strconv.Itoa(int(sig))
}

// listOfExitcodes is Supervisor's list_of_exitcodes().
func listOfExitcodes(s string) ([]int, error) {
	if s == "" {
		return []int{}, nil
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		v, err := pytext.ParseInt(part, 10)
		if err != nil || v < 0 || v > 255 {
			return nil, valueErrorf("not a valid list of exit codes: %s", pytext.Repr(s))
		}
		out = append(out, int(v))
	}
	return out, nil
}

// autoRestart is Supervisor's auto_restart().
func autoRestart(s string) (Autorestart, error) {
	v := strings.ToLower(s)
	switch v {
	case "yes", "true", "on", "1":
		return AutorestartAlways, nil
	case "no", "false", "off", "0":
		return AutorestartNever, nil
	case "unexpected":
		return AutorestartUnexpected, nil
	}
	return 0, valueErrorf("invalid 'autorestart' value %s", pytext.Repr(v))
}

// listOfStrings is Supervisor's list_of_strings().
func listOfStrings(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = pytext.Strip(parts[i])
	}
	return parts
}

// processOrGroupName is Supervisor's process_or_group_name().
func processOrGroupName(name string) (string, error) {
	s := pytext.Strip(name)
	for _, c := range []string{" ", ":", "/"} {
		if strings.Contains(s, c) {
			return "", valueErrorf("Invalid name: %s because of character: %s", pytext.Repr(name), pytext.Repr(c))
		}
	}
	return s, nil
}

// loggingLevel is Supervisor's logging_level().
func loggingLevel(s string) (Level, error) {
	switch strings.ToLower(s) {
	case "critical":
		return LevelCritical, nil
	case "error":
		return LevelError, nil
	case "warn":
		return LevelWarn, nil
	case "info":
		return LevelInfo, nil
	case "debug":
		return LevelDebug, nil
	case "trace":
		return LevelTrace, nil
	case "blather":
		return LevelBlather, nil
	}
	return 0, valueErrorf("bad logging level name %s", pytext.Repr(s))
}

// expandUser is Python's os.path.expanduser.
func expandUser(path string) string {
	if !strings.HasPrefix(path, "~") {
		return path
	}
	i := strings.IndexByte(path[1:], '/')
	if i < 0 {
		i = len(path)
	} else {
		i++
	}
	var home string
	if i == 1 {
		if h, ok := os.LookupEnv("HOME"); ok {
			home = h
		} else {
			u, err := user.LookupId(strconv.Itoa(os.Getuid()))
			if err != nil {
				return path
			}
			home = u.HomeDir
		}
	} else {
		u, err := user.Lookup(path[1:i])
		if err != nil {
			return path
		}
		home = u.HomeDir
	}
	home = strings.TrimRight(home, "/")
	if out := home + path[i:]; out != "" {
		return out
	}
	return "/"
}

// pyDirname is Python's os.path.dirname.
func pyDirname(p string) string {
	i := strings.LastIndexByte(p, '/') + 1
	head := p[:i]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// existingDirectory is Supervisor's existing_directory().
func existingDirectory(v string) (string, error) {
	nv := expandUser(v)
	if isDir(nv) {
		return nv, nil
	}
	return "", valueErrorf("%s is not an existing directory", v)
}

// existingDirpath is Supervisor's existing_dirpath().
func existingDirpath(v string) (string, error) {
	nv := expandUser(v)
	dir := pyDirname(nv)
	if dir == "" || isDir(dir) {
		return nv, nil
	}
	return "", valueErrorf("The directory named as part of the path %s does not exist", v)
}

// logfileKind is the result of Supervisor's logfile_name().
type logfileKind int

const (
	logfilePath logfileKind = iota
	logfileNone
	logfileAuto
	logfileSyslog
)

// logfileName is Supervisor's logfile_name().
func logfileName(v string) (logfileKind, string, error) {
	switch strings.ToLower(v) {
	case "none", "off":
		return logfileNone, "", nil
	case "auto":
		return logfileAuto, "", nil
	case "syslog":
		return logfileSyslog, "", nil
	}
	p, err := existingDirpath(v)
	return logfilePath, p, err
}

// maxPort is the highest TCP port.
const maxPort = 65535

// portNumber is Supervisor's port_number(): an integer in 1..maxPort.
func portNumber(s string) (int, error) {
	v, err := integer(s)
	if err != nil {
		return 0, err
	}
	if v < 1 {
		return 0, valueErrorf("%d is below lower bound (1)", v)
	}
	if v > maxPort {
		return 0, valueErrorf("%d is above upper bound (65535)", v)
	}
	return int(v), nil
}

// inetAddress is Supervisor's inet_address(): "port", "host:port",
// "*:port" or ":port"; the host is lower-cased, "" means all interfaces.
func inetAddress(s string) (string, int, error) {
	host := ""
	var port int
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, s = s[:i], s[i+1:]
		if s == "" {
			return "", 0, valueErrorf("no port number specified in %s", pytext.Repr(s))
		}
		p, err := portNumber(s)
		if err != nil {
			return "", 0, err
		}
		port = p
		host = strings.ToLower(host)
	} else {
		p, err := portNumber(s)
		if err != nil {
			return "", 0, valueErrorf("not a valid port number: %s ", pytext.Repr(s))
		}
		port = p
	}
	if host == "*" {
		host = ""
	}
	return host, port, nil
}

// lookupUser resolves a user name or numeric id as Supervisor's
// name_to_uid() does, returning the account.
func lookupUser(name string) (*User, error) {
	if n, err := pytext.ParseInt(name, 10); err == nil {
		if n < 0 || int64(int(n)) != n {
			return nil, valueErrorf("Invalid user id %s", name)
		}
		u, err := user.LookupId(strconv.FormatInt(n, 10))
		if err != nil {
			return nil, valueErrorf("Invalid user id %s", name)
		}
		return userFrom(name, u)
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, valueErrorf("Invalid user name %s", name)
	}
	return userFrom(name, u)
}

func userFrom(name string, u *user.User) (*User, error) {
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return nil, valueErrorf("Invalid user name %s", name)
	}
	return &User{Name: name, UID: uid, GID: gid, Home: u.HomeDir}, nil
}

// lookupGroup resolves a group name or numeric id (name_to_gid()).
func lookupGroup(name string) (int, error) {
	if n, err := pytext.ParseInt(name, 10); err == nil {
		if n < 0 || int64(int(n)) != n {
			return 0, valueErrorf("Invalid group id %s", name)
		}
		if _, err := user.LookupGroupId(strconv.FormatInt(n, 10)); err != nil {
			return 0, valueErrorf("Invalid group id %s", name)
		}
		return int(n), nil
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, valueErrorf("Invalid group name %s", name)
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return 0, valueErrorf("Invalid group name %s", name)
	}
	return gid, nil
}

// colonSeparatedUserGroup is Supervisor's colon_separated_user_group():
// "user" gives (uid, -1), "user:group" gives (uid, gid).
func colonSeparatedUserGroup(arg string) (int, int, error) {
	userPart, groupPart, hasGroup := strings.Cut(arg, ":")
	u, err := lookupUser(userPart)
	if err != nil {
		return 0, 0, valueErrorf("Invalid user:group definition %s", arg)
	}
	if !hasGroup {
		return u.UID, -1, nil
	}
	gid, err := lookupGroup(groupPart)
	if err != nil {
		return 0, 0, valueErrorf("Invalid user:group definition %s", arg)
	}
	return u.UID, gid, nil
}

// knownEventTypes are the names of Supervisor 4.2.5's EventTypes.
var knownEventTypes = map[string]bool{
	"EVENT": true, "PROCESS_STATE": true, "PROCESS_STATE_STOPPED": true, "PROCESS_STATE_EXITED": true,
	"PROCESS_STATE_STARTING": true, "PROCESS_STATE_STOPPING": true, "PROCESS_STATE_BACKOFF": true,
	"PROCESS_STATE_FATAL": true, "PROCESS_STATE_RUNNING": true, "PROCESS_STATE_UNKNOWN": true,
	"PROCESS_COMMUNICATION": true, "PROCESS_COMMUNICATION_STDOUT": true,
	"PROCESS_COMMUNICATION_STDERR": true, "PROCESS_LOG": true, "PROCESS_LOG_STDOUT": true,
	"PROCESS_LOG_STDERR": true, "REMOTE_COMMUNICATION": true, "SUPERVISOR_STATE_CHANGE": true,
	"SUPERVISOR_STATE_CHANGE_RUNNING": true, "SUPERVISOR_STATE_CHANGE_STOPPING": true, "TICK": true,
	"TICK_5": true, "TICK_60": true, "TICK_3600": true, "PROCESS_GROUP": true,
	"PROCESS_GROUP_ADDED": true, "PROCESS_GROUP_REMOVED": true,
}

// EventTypeNames returns the event type names an [eventlistener:x] events=
// line may name, sorted.
func EventTypeNames() []string {
	out := make([]string, 0, len(knownEventTypes))
	for k := range knownEventTypes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// normalizePath is Supervisor's normalize_path(): expanduser, abspath
// (against cwd), normpath.
func normalizePath(p, cwd string) string {
	p = expandUser(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	return filepath.Clean(p)
}
