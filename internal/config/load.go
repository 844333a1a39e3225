package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// Overrides are the supervisord command-line options that override
// [supervisord] values (-n -s -k -t -u -m -d -l -y -z -e -j -i -q -a
// --minprocs). A nil pointer means the option was not given. String values
// are raw command-line text, validated as Supervisor validates them.
type Overrides struct {
	// Nodaemon is -n/--nodaemon.
	Nodaemon *bool
	// Silent is -s/--silent.
	Silent *bool
	// Nocleanup is -k/--nocleanup.
	Nocleanup *bool
	// StripANSI is -t/--strip_ansi.
	StripANSI *bool
	// User is -u/--user.
	User *string
	// Umask is -m/--umask.
	Umask *string
	// Directory is -d/--directory.
	Directory *string
	// Logfile is -l/--logfile.
	Logfile *string
	// LogfileMaxBytes is -y/--logfile_maxbytes.
	LogfileMaxBytes *string
	// LogfileBackups is -z/--logfile_backups.
	LogfileBackups *string
	// LogLevel is -e/--loglevel.
	LogLevel *string
	// Pidfile is -j/--pidfile.
	Pidfile *string
	// Identifier is -i/--identifier.
	Identifier *string
	// ChildLogDir is -q/--childlogdir.
	ChildLogDir *string
	// Minfds is -a/--minfds.
	Minfds *string
	// Minprocs is --minprocs.
	Minprocs *string
	// Scale holds the runtime numprocs of homogeneous groups, by group name
	// (gsupervisor's ScaleProgram); each applies while the file's numprocs
	// is still the one it was made against.
	Scale map[string]Scale
}

// flagConverters validate the value of a supervisord option as its
// ServerOptions handler does (keyed by short option, or long for
// --minprocs).
var flagConverters = map[string]func(string) error{
	"-m":         func(v string) error { _, err := octalType(v); return err },
	"-d":         func(v string) error { _, err := existingDirectory(v); return err },
	"-l":         func(v string) error { _, err := existingDirpath(v); return err },
	"-y":         func(v string) error { _, err := byteSize(v); return err },
	"-z":         func(v string) error { _, err := integer(v); return err },
	"-e":         func(v string) error { _, err := loggingLevel(v); return err },
	"-j":         func(v string) error { _, err := existingDirpath(v); return err },
	"-q":         func(v string) error { _, err := existingDirectory(v); return err },
	"-a":         func(v string) error { _, err := integer(v); return err },
	"--minprocs": func(v string) error { _, err := integer(v); return err },
}

var longToShort = map[string]string{
	"--umask": "-m", "--directory": "-d", "--logfile": "-l", "--logfile_maxbytes": "-y",
	"--logfile_backups": "-z", "--loglevel": "-e", "--pidfile": "-j", "--childlogdir": "-q",
	"--minfds": "-a", "--minprocs": "--minprocs",
}

// CheckFlag validates the value of a supervisord command-line option as
// Supervisor does while parsing the command line. opt is the option as the
// user typed it ("-m" or "--umask"); the error text is Supervisor's
// "invalid value for <opt> '<value>': <why>". Options without a converter
// (flags, -u, -i, -c) always pass.
func CheckFlag(opt, value string) error {
	key := opt
	if short, ok := longToShort[opt]; ok {
		key = short
	}
	conv, ok := flagConverters[key]
	if !ok {
		return nil
	}
	if err := conv(value); err != nil {
		return errorf("invalid value for %s %s: %s", opt, pytext.Repr(value), err.Error())
	}
	return nil
}

// checkOverrides validates the overrides in Supervisor's option order.
func checkOverrides(ov Overrides) error {
	checks := []struct {
		opt string
		v   *string
	}{
		{"-m", ov.Umask}, {"-d", ov.Directory}, {"-l", ov.Logfile}, {"-y", ov.LogfileMaxBytes},
		{"-z", ov.LogfileBackups}, {"-e", ov.LogLevel}, {"-j", ov.Pidfile}, {"-q", ov.ChildLogDir},
		{"-a", ov.Minfds}, {"--minprocs", ov.Minprocs},
	}
	for _, c := range checks {
		if c.v == nil {
			continue
		}
		if err := CheckFlag(c.opt, *c.v); err != nil {
			return err
		}
	}
	return nil
}

// loader holds the state of one parse, mirroring the attributes of
// Supervisor's ServerOptions that read_config uses.
type loader struct {
	path     string // the main file as given
	here     string // absolute directory of the main file
	cwd      string
	hostname string
	// environ is Supervisor's environ_expansions: ENV_<name> for the
	// daemon's environment, extended by [supervisord] environment=.
	environ  pyDict
	parser   *rawParser
	scale    map[string]Scale
	files    []string
	warnings []string
	infos    []string
}

func newLoader(path string) (*loader, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("config: current directory: %w", err)
	}
	host, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("config: host name: %w", err)
	}
	l := &loader{
		path:     path,
		here:     filepath.Dir(absPath(path, cwd)),
		cwd:      cwd,
		hostname: host,
		environ:  pyDict{},
		parser:   newRawParser(),
	}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			l.environ["ENV_"+k] = strOf(v)
		}
	}
	return l, nil
}

// absPath is Python's os.path.abspath against cwd.
func absPath(p, cwd string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(cwd, p)
	}
	return filepath.Clean(p)
}

// combined returns the expansions Supervisor's saneget uses: the parser's
// (environ) overlaid with extra.
func (l *loader) combined(extra pyDict) pyDict {
	d := make(pyDict, len(l.environ)+len(extra))
	for k, v := range l.environ {
		d[k] = v
	}
	for k, v := range extra {
		d[k] = v
	}
	return d
}

// get returns the expanded value of an option (or [DEFAULT]) and whether it
// is set; an unset option is not expanded.
func (l *loader) get(section, option string, extra pyDict) (string, bool, error) {
	v, ok := l.parser.get(section, option)
	if !ok {
		return "", false, nil
	}
	out, err := l.expand(v, section, option, extra)
	return out, true, err
}

// expand expands v, the value of section's option, with the environment
// and extra. A value without a '%' (most are) is its own expansion, as
// with Python's % and a dict: it is returned as it is, without building
// the names it could have used.
func (l *loader) expand(v, section, option string, extra pyDict) (string, error) {
	if !strings.Contains(v, "%") && utf8.ValidString(v) {
		return v, nil
	}
	return expand(v, l.combined(extra), section+"."+option)
}

// getDefault is get with a string default, which Supervisor expands too.
func (l *loader) getDefault(section, option, def string, extra pyDict) (string, error) {
	v, ok := l.parser.get(section, option)
	if !ok {
		v = def
	}
	return l.expand(v, section, option, extra)
}

// getInt is integer(get(section, option, def)) with an integer default.
func (l *loader) getInt(section, option string, def int, extra pyDict) (int, error) {
	v, ok, err := l.get(section, option, extra)
	if err != nil || !ok {
		return def, err
	}
	return intValue(v)
}

// Load reads the configuration file at path (and its [include] files) and
// returns the validated Config. Errors are *Error whose Error() is exactly
// Supervisor 4.2.5's message. Relative paths in the file (logfile, pidfile,
// socket file, child logs) are resolved against the current directory, as
// Supervisor does.
func Load(path string, ov Overrides) (*Config, error) {
	if err := checkOverrides(ov); err != nil {
		return nil, err
	}
	l, err := newLoader(path)
	if err != nil {
		return nil, asError(err)
	}
	l.scale = ov.Scale
	cfg, err := l.load(ov)
	if err != nil {
		return nil, asError(err)
	}
	return cfg, nil
}

// asError turns any error of a parse into the *Error returned to callers.
func asError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ve *valueError
	if errors.As(err, &ve) {
		return &Error{Msg: ve.msg}
	}
	return &Error{Msg: err.Error(), Err: err}
}

func (l *loader) load(ov Overrides) (*Config, error) {
	if err := l.readMain(); err != nil {
		return nil, err
	}
	if err := l.readIncludes(); err != nil {
		return nil, err
	}
	if !l.parser.hasSection("supervisord") {
		return nil, errorf(".ini file does not include supervisord section")
	}
	cfg := &Config{Path: absPath(l.path, l.cwd)}
	sd, userName, err := l.supervisordSection()
	if err != nil {
		return nil, err
	}
	cfg.RPCInterfaces, err = l.plugins("rpcinterface:", "supervisor.rpcinterface_factory")
	if err != nil {
		return nil, err
	}
	cfg.Groups, err = l.processGroups()
	if err != nil {
		return nil, err
	}
	if err := validateDependencies(cfg.Groups); err != nil {
		return nil, err
	}
	for gi := range cfg.Groups {
		for pi := range cfg.Groups[gi].Processes {
			p := &cfg.Groups[gi].Processes[pi]
			env := make(map[string]string, len(sd.Environment)+len(p.Environment))
			for k, v := range sd.Environment {
				env[k] = v
			}
			for k, v := range p.Environment {
				env[k] = v
			}
			p.Environment = env
		}
	}
	if cfg.InetHTTPServers, err = l.inetServers(); err != nil {
		return nil, err
	}
	if cfg.UnixHTTPServers, err = l.unixServers(); err != nil {
		return nil, err
	}
	if err := l.applyOverrides(&sd, userName, ov); err != nil {
		return nil, err
	}
	cfg.Supervisord = sd
	cfg.Ctl = l.ctlLenient()
	cfg.Files = l.files

	if sd.User == nil && os.Getuid() == 0 {
		cfg.Messages = append(cfg.Messages, Message{Level: LevelCritical, Text: rootMessage})
	}
	for _, w := range l.warnings {
		cfg.Messages = append(cfg.Messages, Message{Level: LevelWarn, Text: w})
	}
	for _, i := range l.infos {
		cfg.Messages = append(cfg.Messages, Message{Level: LevelInfo, Text: i})
	}
	return cfg, nil
}

// rootMessage is logged when supervisord runs as root without user=.
const rootMessage = "Supervisor is running as root.  Privileges were not dropped because no user is " +
	"specified in the config file.  If you intend to run as root, you can set user=root in " +
	"the config file to avoid this message."

// readMain reads the main file.
func (l *loader) readMain() error {
	if _, err := os.Stat(l.path); err != nil {
		return &Error{Msg: "could not find config file " + l.path, Err: err}
	}
	err := l.parser.readFile(l.path, l.path)
	var pe *os.PathError
	if errors.As(err, &pe) {
		return &Error{Msg: "could not read config file " + l.path, Err: err}
	}
	if err != nil {
		return err
	}
	l.files = append(l.files, absPath(l.path, l.cwd))
	return nil
}

// readIncludes processes the main file's [include] section.
func (l *loader) readIncludes() error {
	if !l.parser.hasSection("include") {
		return nil
	}
	l.parser.expandHere(l.here)
	files, ok := l.parser.get("include", "files")
	if !ok {
		return errorf(".ini file has [include] section, but no files setting")
	}
	exp := l.combined(pyDict{"here": strOf(l.here), "host_node_name": strOf(l.hostname)})
	files, err := expand(files, exp, "include.files")
	if err != nil {
		return err
	}
	base := pyDirname(absPath(l.path, l.cwd))
	for _, pattern := range pytext.Split(files) {
		pattern = pyJoin(base, pattern)
		names := pyGlob(pattern)
		if len(names) == 0 {
			l.warnings = append(l.warnings, "No file matches via include \""+pattern+"\"")
			continue
		}
		sort.Strings(names)
		for _, name := range names {
			l.infos = append(l.infos, "Included extra file \""+name+"\" during parsing")
			err := l.parser.readFile(name, name)
			var pe *os.PathError
			switch {
			case errors.As(err, &pe):
				// RawConfigParser.read skips files it cannot open.
			case err != nil:
				return err
			default:
				l.files = append(l.files, absPath(name, l.cwd))
			}
			l.parser.expandHere(absPath(pyDirname(name), l.cwd))
		}
	}
	return nil
}

// supervisordSection reads [supervisord] in Supervisor's order. It returns
// the section and the raw user= value ("" when absent).
func (l *loader) supervisordSection() (Supervisord, *string, error) {
	o := l.options("supervisord", pyDict{"here": strOf(l.here)})
	var sd Supervisord
	sd.Minfds = o.integer("minfds", 1024)
	sd.Minprocs = o.integer("minprocs", 200)
	if dir, ok := parsedIfSet(o, "directory", existingDirectory); ok {
		sd.Directory = absPath(dir, l.cwd)
	}
	var userName *string
	if u, ok := o.lookup("user"); ok {
		userName = &u
	}
	sd.Umask = parsed(o, "umask", "022", octalType)
	sd.Logfile = parsed(o, "logfile", "supervisord.log", existingDirpath)
	sd.LogfileMaxBytes = parsed(o, "logfile_maxbytes", "50MB", byteSize)
	sd.LogfileBackups = o.integer("logfile_backups", 10)
	sd.LogLevel = parsed(o, "loglevel", "info", loggingLevel)
	sd.Pidfile = parsed(o, "pidfile", "supervisord.pid", existingDirpath)
	sd.Identifier = o.text("identifier", "supervisor")
	sd.Nodaemon = o.boolean("nodaemon", "false")
	sd.Silent = o.boolean("silent", "false")
	sd.ChildLogDir = absPath(parsed(o, "childlogdir", pyTempDir(l.cwd), existingDirectory), l.cwd)
	sd.Nocleanup = o.boolean("nocleanup", "false")
	sd.StripANSI = o.boolean("strip_ansi", "false")
	// gsupervisor: events_retained.
	sd.EventsRetained = o.integer("events_retained", 10000)
	if o.err == nil && sd.EventsRetained < 1 {
		o.fail(errorf("invalid events_retained value %d in section [supervisord]: it must be at least 1", sd.EventsRetained))
	}
	sd.EventsRetainedBytes = parsed(o, "events_retained_bytes", "16MB", byteSize)
	if o.err == nil && sd.EventsRetainedBytes < 1 {
		o.fail(errorf("invalid events_retained_bytes value %d in section [supervisord]: it must be at least 1", sd.EventsRetainedBytes))
	}
	l.operationsOptions(o, &sd)
	// environment= is expanded twice: by saneget, then by expand().
	environment := o.text("environment", "")
	if o.err != nil {
		return sd, nil, o.err
	}
	environment, err := expand(environment, l.combined(pyDict{"here": strOf(l.here), "host_node_name": strOf(l.hostname)}), "environment")
	if err != nil {
		return sd, nil, err
	}
	if sd.Environment, err = dictOfKeyValuePairs(environment); err != nil {
		return sd, nil, err
	}
	if sd.EnvironmentFiles != nil {
		fileEnv, err := readEnvFiles("supervisord", sd.EnvironmentFiles)
		if err != nil {
			return sd, nil, err
		}
		sd.Environment = overlay(fileEnv, sd.Environment)
	}
	for k, v := range sd.Environment {
		l.environ["ENV_"+k] = strOf(v)
	}
	return sd, userName, nil
}

// pyTempDir is Python's tempfile.gettempdir(): the first usable directory
// of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp and the current one.
func pyTempDir(cwd string) string {
	var candidates []string
	for _, env := range []string{"TMPDIR", "TEMP", "TMP"} {
		if v := os.Getenv(env); v != "" {
			candidates = append(candidates, v)
		}
	}
	candidates = append(candidates, "/tmp", "/var/tmp", "/usr/tmp", cwd)
	for _, c := range candidates {
		c = absPath(c, cwd)
		if isDir(c) && unix.Access(c, unix.W_OK|unix.X_OK) == nil {
			return c
		}
	}
	return cwd
}

// plugins checks the [<prefix>x] sections as Supervisor's get_plugins does
// (the factory key is required and every value must expand) and returns
// their names. Factories are Python entry points and are not imported.
func (l *loader) plugins(prefix, factoryKey string) ([]string, error) {
	var names []string
	for _, section := range l.parser.sections() {
		if !strings.HasPrefix(section, prefix) {
			continue
		}
		_, name, _ := strings.Cut(section, ":")
		_, ok, err := l.get(section, factoryKey, nil)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf("section [%s] does not specify a %s", section, factoryKey)
		}
		for _, k := range l.parser.options(section) {
			if k == factoryKey {
				continue
			}
			if _, _, err := l.get(section, k, nil); err != nil {
				return nil, err
			}
		}
		names = append(names, name)
	}
	return names, nil
}

// applyOverrides applies the command-line values over the file's and does
// what Supervisor's realize() does after reading: resolve the user and make
// the main log and pid file absolute.
func (l *loader) applyOverrides(sd *Supervisord, userName *string, ov Overrides) error {
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setBool(&sd.Nodaemon, ov.Nodaemon)
	setBool(&sd.Silent, ov.Silent)
	setBool(&sd.Nocleanup, ov.Nocleanup)
	setBool(&sd.StripANSI, ov.StripANSI)
	var err error
	if ov.Umask != nil {
		if sd.Umask, err = octalType(*ov.Umask); err != nil {
			return err
		}
	}
	if ov.Directory != nil {
		d, err := existingDirectory(*ov.Directory)
		if err != nil {
			return err
		}
		sd.Directory = absPath(d, l.cwd)
	}
	if ov.Logfile != nil {
		if sd.Logfile, err = existingDirpath(*ov.Logfile); err != nil {
			return err
		}
	}
	if ov.LogfileMaxBytes != nil {
		if sd.LogfileMaxBytes, err = byteSize(*ov.LogfileMaxBytes); err != nil {
			return err
		}
	}
	if ov.LogfileBackups != nil {
		if sd.LogfileBackups, err = intValue(*ov.LogfileBackups); err != nil {
			return err
		}
	}
	if ov.LogLevel != nil {
		if sd.LogLevel, err = loggingLevel(*ov.LogLevel); err != nil {
			return err
		}
	}
	if ov.Pidfile != nil {
		if sd.Pidfile, err = existingDirpath(*ov.Pidfile); err != nil {
			return err
		}
	}
	if ov.Identifier != nil {
		sd.Identifier = *ov.Identifier
	}
	if ov.ChildLogDir != nil {
		d, err := existingDirectory(*ov.ChildLogDir)
		if err != nil {
			return err
		}
		sd.ChildLogDir = absPath(d, l.cwd)
	}
	if ov.Minfds != nil {
		if sd.Minfds, err = intValue(*ov.Minfds); err != nil {
			return err
		}
	}
	if ov.Minprocs != nil {
		if sd.Minprocs, err = intValue(*ov.Minprocs); err != nil {
			return err
		}
	}
	if ov.User != nil {
		userName = ov.User
	}
	if userName != nil {
		if sd.User, err = lookupUser(*userName); err != nil {
			return err
		}
	}
	if sd.Logfile != "syslog" {
		sd.Logfile = normalizePath(sd.Logfile, l.cwd)
	}
	sd.Pidfile = normalizePath(sd.Pidfile, l.cwd)
	return nil
}

// DefaultServerURL returns the SUPERVISOR_SERVER_URL supervisord gives a
// child whose program has no serverurl=: "unix://<file>" of the first
// [unix_http_server*] section, else "http://<host>:<port>" of the last
// [inet_http_server*] section (host "localhost" when it binds all
// interfaces), else "" (as Supervisor's realize() computes it).
func (c *Config) DefaultServerURL() string {
	if len(c.UnixHTTPServers) > 0 {
		return "unix://" + c.UnixHTTPServers[0].File
	}
	if n := len(c.InetHTTPServers); n > 0 {
		s := c.InetHTTPServers[n-1]
		scheme := "http"
		if s.CertFile != "" {
			scheme = "https"
		}
		return scheme + "://" + s.URLHost()
	}
	return ""
}

// Group returns the group named name.
func (c *Config) Group(name string) (GroupConfig, bool) {
	for _, g := range c.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return GroupConfig{}, false
}

// Find returns the configuration file to use when -c is not given: the
// first existing entry of Supervisor's search list, where <here> is the
// parent of the directory holding the executable:
// <here>/etc/supervisord.conf, <here>/supervisord.conf, supervisord.conf,
// etc/supervisord.conf, /etc/supervisord.conf,
// /etc/supervisor/supervisord.conf. Relative entries are looked up in cwd and
// returned as listed. When none exists, the error is Supervisor's "No config
// file found at default paths (...); use the -c option to specify a config
// file at a different path".
func Find(executable, cwd string) (string, error) {
	paths := SearchPaths(executable)
	for _, p := range paths {
		check := p
		if !filepath.IsAbs(check) {
			check = filepath.Join(cwd, check)
		}
		if _, err := os.Stat(check); err == nil {
			return p, nil
		}
	}
	return "", errorf("No config file found at default paths (%s); use the -c option to specify a config file at a different path",
		strings.Join(paths, ", "))
}

// SearchPaths returns Supervisor's default configuration search list for
// the given executable path.
func SearchPaths(executable string) []string {
	here := pyDirname(pyDirname(executable))
	return []string{
		pyJoin(pyJoin(here, "etc"), "supervisord.conf"),
		pyJoin(here, "supervisord.conf"),
		"supervisord.conf",
		"etc/supervisord.conf",
		"/etc/supervisord.conf",
		"/etc/supervisor/supervisord.conf",
	}
}
