package config

import (
	"net"
	"strconv"
	"syscall"
	"time"
)

// Config is a parsed and validated supervisord.conf. Every value is final:
// defaults applied, %(...)s expanded, paths made absolute.
type Config struct {
	// Path is the absolute path of the main configuration file.
	Path string
	// Supervisord is the [supervisord] section.
	Supervisord Supervisord
	// UnixHTTPServers are the [unix_http_server] and [unix_http_server:x]
	// sections, in file order.
	UnixHTTPServers []UnixHTTPServer
	// InetHTTPServers are the [inet_http_server] and [inet_http_server:x]
	// sections, in file order.
	InetHTTPServers []InetHTTPServer
	// Ctl is the [supervisorctl] section (defaults when absent).
	Ctl Supervisorctl
	// Groups are the process groups ([program:x], [group:x],
	// [eventlistener:x], [fcgi-program:x]), ordered by priority, then name.
	Groups []GroupConfig
	// RPCInterfaces are the names of the [rpcinterface:x] sections, which
	// are accepted and otherwise ignored.
	RPCInterfaces []string
	// Messages are what the parser has to say (included files, warnings), to
	// be logged once the main log is open, in Supervisor's order: critical
	// messages, then warnings, then infos.
	Messages []Message
	// Files are the absolute paths of the files read: the main file, then
	// the included files in reading order.
	Files []string
}

// Level is the severity of a log message, as in Supervisor's loglevel.
type Level int

// Log levels, with Supervisor's numeric values.
const (
	LevelBlather  Level = 3
	LevelTrace    Level = 5
	LevelDebug    Level = 10
	LevelInfo     Level = 20
	LevelWarn     Level = 30
	LevelError    Level = 40
	LevelCritical Level = 50
)

// Message is a message from the parser, to be written to the main log.
type Message struct {
	// Level is the severity.
	Level Level
	// Text is the message.
	Text string
}

// Supervisord is the [supervisord] section.
type Supervisord struct {
	// Logfile is the absolute path of the main log, or "syslog" (4.2.5 has
	// no NONE for the main log: "NONE" is a file name there too).
	Logfile string
	// LogfileMaxBytes is the rotation size of the main log; 0 never rotates.
	LogfileMaxBytes int64
	// LogfileBackups is how many rotated main logs are kept.
	LogfileBackups int
	// LogLevel is the lowest level written to the main log.
	LogLevel Level
	// Pidfile is the absolute path of the pid file.
	Pidfile string
	// Umask is the daemon's umask, applied when daemonizing.
	Umask int
	// Nodaemon keeps the daemon in the foreground.
	Nodaemon bool
	// Silent suppresses the copy of the main log on stdout in the foreground.
	Silent bool
	// Minfds is the minimum RLIMIT_NOFILE the daemon needs.
	Minfds int
	// Minprocs is the minimum RLIMIT_NPROC the daemon needs.
	Minprocs int
	// Nocleanup keeps old AUTO child logs at start-up.
	Nocleanup bool
	// ChildLogDir is the directory of AUTO child logs (absolute).
	ChildLogDir string
	// User, if set, is the user the daemon switches to after start-up.
	User *User
	// Directory, if set, is the directory the daemon changes to when
	// daemonizing (absolute).
	Directory string
	// StripANSI removes ANSI escape sequences from child output.
	StripANSI bool
	// Environment is added to the environment of every child.
	Environment map[string]string
	// Identifier identifies this daemon (getIdentification, AUTO log names,
	// event headers).
	Identifier string
	// EventsRetained is how many recent events the daemon keeps for
	// subscribers that resume from a serial (gsupervisor option
	// `events_retained`, default 10000).
	EventsRetained int
	// EventsRetainedBytes bounds the total size of those events
	// (gsupervisor option `events_retained_bytes`, default 16MB).
	EventsRetainedBytes int64

	// The options below are gsupervisor's for containers and orchestrators
	// (operations.go); Supervisor 4.2.5 ignores them.

	// Container is container mode (`container`, default auto: on when the
	// daemon is PID 1).
	Container Switch
	// ExitWhenFinished makes the daemon exit once every program has
	// finished (`exit_when_finished`, default auto: in container mode).
	ExitWhenFinished Switch
	// ContainerOutput copies every program's output to the daemon's
	// stdout and stderr, line by line with the program's name
	// (`container_output`, default auto).
	ContainerOutput OutputFormat
	// LogFormat is the format of the main log (`logformat`, default text).
	LogFormat LogFormat
	// ShutdownTimeout bounds an orderly shutdown: the processes still
	// running when it passes are killed (`shutdown_timeout` seconds, 0 for
	// no bound, as in 4.2.5).
	ShutdownTimeout time.Duration
	// ReadinessPrograms selects the processes /readyz waits for
	// (`readiness_programs`: names, group:name or group:*); nil for every
	// autostart process.
	ReadinessPrograms []string
	// EnvironmentFiles are the `environment_file` paths, absolute; a
	// leading "-" marks a file that may be missing. Their variables are in
	// Environment, under those of environment=.
	EnvironmentFiles []string
}

// User is a resolved user account.
type User struct {
	// Name is the user name as configured (or the numeric id).
	Name string
	// UID is the numeric user id.
	UID int
	// GID is the primary group id of the user.
	GID int
	// Home is the home directory of the user.
	Home string
}

// UnixHTTPServer is a [unix_http_server] section.
type UnixHTTPServer struct {
	// Section is the section name, e.g. "unix_http_server".
	Section string
	// File is the absolute path of the socket.
	File string
	// Chmod is the mode of the socket file.
	Chmod uint32
	// ChownUID and ChownGID are the owner of the socket file; -1 leaves
	// it unchanged.
	ChownUID, ChownGID int
	// Username and Password, if set, are required of every client.
	// Password is plaintext or "{SHA}" followed by the hex SHA-1.
	Username, Password string
	// MetricsAuth says whether /metrics needs the credentials (gsupervisor
	// option `metrics_auth`; auto: not on a unix socket, whose file mode
	// guards it).
	MetricsAuth Switch
}

// InetHTTPServer is an [inet_http_server] section.
type InetHTTPServer struct {
	// Section is the section name, e.g. "inet_http_server".
	Section string
	// Host is the host to bind ("" binds every interface).
	Host string
	// Port is the TCP port.
	Port int
	// Username and Password, if set, are required of every client.
	Username, Password string
	// CertFile and KeyFile, if set, serve TLS (gsupervisor options
	// `certfile`, `keyfile`).
	CertFile, KeyFile string
	// ClientCAFile, if set, requires client certificates signed by this CA
	// (gsupervisor option `clientcafile`).
	ClientCAFile string
	// AllowNoAuth explicitly allows a non-loopback port without a password
	// (gsupervisor option `allow_no_auth`).
	AllowNoAuth bool
	// MetricsAuth says whether /metrics needs the credentials (gsupervisor
	// option `metrics_auth`; auto: not on a loopback address).
	MetricsAuth Switch
}

// BindHost returns Host without the brackets of an IPv6 literal written
// as in a URL (port=[::1]:9001 has Host "[::1]", as 4.2.5 parses it): the
// host to bind and to compare.
func (s InetHTTPServer) BindHost() string {
	h := s.Host
	if len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// Address returns the host:port to listen on (an IPv6 host in brackets).
func (s InetHTTPServer) Address() string {
	return net.JoinHostPort(s.BindHost(), strconv.Itoa(s.Port))
}

// URLHost returns the host:port part of a URL for the server ("localhost"
// for every interface, an IPv6 host in brackets).
func (s InetHTTPServer) URLHost() string {
	h := s.BindHost()
	if h == "" {
		h = "localhost"
	}
	return net.JoinHostPort(h, strconv.Itoa(s.Port))
}

// Authenticated reports whether clients must present a username and a
// non-empty password: an empty password guards nothing (anyone who knows
// the user name gets in), so it counts as no authentication for the rule
// that a port beyond loopback needs one.
func (s InetHTTPServer) Authenticated() bool {
	return s.Username != "" && s.Password != ""
}

// Supervisorctl is the [supervisorctl] section.
type Supervisorctl struct {
	// ServerURL is `unix:///path` or `http://host:port` (or https).
	ServerURL string
	// Username and Password are sent with every request if both are set.
	Username, Password string
	// Prompt is the shell prompt without the trailing "> ".
	Prompt string
	// HistoryFile is the readline history file; "" for none.
	HistoryFile string
	// CAFile, CertFile and KeyFile are gsupervisor's TLS options for an
	// https:// serverurl: the CA certificates that verify the server (""
	// uses the system roots) and a client certificate and its key (both or
	// neither). Paths are absolute; "" for none.
	CAFile, CertFile, KeyFile string
}

// Kind is the kind of section a group comes from.
type Kind int

// Group kinds.
const (
	// KindProgram is a [program:x] section (a homogeneous group) or a
	// [group:x] section (a heterogeneous group of programs).
	KindProgram Kind = iota + 1
	// KindEventListener is an [eventlistener:x] pool.
	KindEventListener
	// KindFCGIProgram is an [fcgi-program:x] section.
	KindFCGIProgram
)

// Autorestart is the autorestart policy of a program.
type Autorestart int

// Autorestart policies.
const (
	// AutorestartUnexpected restarts when the exit code is not in exitcodes.
	AutorestartUnexpected Autorestart = iota
	// AutorestartNever never restarts an EXITED process.
	AutorestartNever
	// AutorestartAlways always restarts an EXITED process.
	AutorestartAlways
)

// GroupConfig is one process group.
type GroupConfig struct {
	// Name is the group name.
	Name string
	// Kind is the section kind ([group:x] of programs is KindProgram).
	Kind Kind
	// Heterogeneous is true for a [group:x] section.
	Heterogeneous bool
	// Priority is the group priority (lower starts first, stops last).
	Priority int
	// Processes are the group's processes, in start order.
	Processes []ProcessConfig
	// Pool holds the [eventlistener:x] options; nil for other kinds.
	Pool *PoolConfig
	// FileNumprocs is the numprocs the file sets for the section of a
	// homogeneous group (0 for a [group:x]). It differs from the number of
	// processes when a runtime scale (Overrides.Scale) applies.
	FileNumprocs int
}

// Scale is a runtime numprocs of a homogeneous group (ScaleProgram). It
// applies while the file still sets FileNumprocs for the group: once the
// file's numprocs changes, the file wins.
type Scale struct {
	// FileNumprocs is the file's numprocs when the scale was made.
	FileNumprocs int
	// Numprocs is the number of processes wanted.
	Numprocs int
}

// PoolConfig is the event listener part of an [eventlistener:x] section.
type PoolConfig struct {
	// Events are the subscribed event type names, upper-cased, sorted,
	// without duplicates.
	Events []string
	// BufferSize is the capacity of the pool's event buffer.
	BufferSize int
	// ResultHandler is the configured result handler entry point (only
	// Supervisor's default handler is accepted).
	ResultHandler string
}

// FCGISocket is the socket of an [fcgi-program:x] section.
type FCGISocket struct {
	// URL is `unix:///abs/path` or `tcp://host:port`, expanded.
	URL string
	// Backlog is the listen backlog; 0 for the OS default.
	Backlog int
	// OwnerUID and OwnerGID own a unix socket; -1 leaves it unchanged.
	OwnerUID, OwnerGID int
	// Mode is the mode of a unix socket file.
	Mode uint32
}

// LogConfig is the logging configuration of one output channel.
type LogConfig struct {
	// Logfile is an absolute path, "AUTO" for a file in childlogdir, or ""
	// for no log (NONE/OFF, an empty value, the deprecated "syslog", and
	// stderr with redirect_stderr). Relative paths are resolved against the
	// current directory at parse time. The special paths /dev/stdout and
	// /dev/stderr mean the daemon's own stdout and stderr.
	Logfile string
	// MaxBytes is the rotation size; 0 never rotates.
	MaxBytes int64
	// Backups is how many rotated files are kept.
	Backups int
	// CaptureMaxBytes enables capture mode when > 0.
	CaptureMaxBytes int64
	// EventsEnabled emits PROCESS_LOG events for the channel's output.
	EventsEnabled bool
	// Syslog also sends the channel's output to syslog.
	Syslog bool
}

// AutoLog is the Logfile value of an AUTO log.
const AutoLog = "AUTO"

// ProcessConfig is the configuration of one process.
type ProcessConfig struct {
	// Name is the process name (process_name, expanded).
	Name string
	// Group is the name of the process's group.
	Group string
	// Program is the name of the section the process comes from (the x of
	// [program:x]).
	Program string
	// Kind is the section kind.
	Kind Kind
	// Section is the full section name, e.g. "program:web".
	Section string
	// File is the absolute path of the file holding the section.
	File string
	// Command is the command line, expanded, not yet split.
	Command string
	// Priority is the process priority.
	Priority int
	// Autostart starts the process when its group is added.
	Autostart bool
	// Autorestart is the restart policy for EXITED.
	Autorestart Autorestart
	// StartSecs is how long the process must stay up to be RUNNING.
	StartSecs int
	// StartRetries is how many failed starts are retried before FATAL.
	StartRetries int
	// RestartBurst is how many automatic restarts may follow each other at
	// once; beyond it they are spaced RestartInterval apart, until the
	// program stays up long enough to earn its burst back (gsupervisor
	// option `restart_burst`, default 5).
	RestartBurst int
	// RestartInterval is the least time between two automatic restarts
	// once the burst is spent; 0 disables the floor (gsupervisor option
	// `restart_interval`, seconds, default 1).
	RestartInterval time.Duration
	// ExitCodes are the expected exit codes.
	ExitCodes []int
	// StopSignal is sent to stop the process.
	StopSignal syscall.Signal
	// StopWaitSecs is how long to wait after StopSignal before SIGKILL.
	StopWaitSecs int
	// StopAsGroup sends StopSignal to the process group.
	StopAsGroup bool
	// KillAsGroup sends SIGKILL to the process group.
	KillAsGroup bool
	// User, if set, is the user the process runs as.
	User *User
	// RedirectStderr sends stderr to the stdout pipe.
	RedirectStderr bool
	// Stdout is the stdout logging configuration.
	Stdout LogConfig
	// Stderr is the stderr logging configuration (unused with
	// RedirectStderr).
	Stderr LogConfig
	// Environment is, from lowest to highest precedence, [supervisord]
	// environment_file and environment=, then the program's own
	// environment_file and environment= (expanded per process); the child
	// gets the daemon's environment overlaid with this map. Never nil.
	Environment map[string]string
	// Directory, if set, is the working directory of the process (as
	// written, expanded; not checked at parse time).
	Directory string
	// Umask, if not nil, is the umask of the process.
	Umask *int
	// ServerURL, if set, overrides SUPERVISOR_SERVER_URL for the process.
	ServerURL string
	// FCGI is the socket passed as fd 0 for [fcgi-program:x]; nil otherwise
	// (also for an fcgi-program listed in a [group:x], which 4.2.5 runs as a
	// plain program without a socket).
	FCGI *FCGISocket
	// ProcessNum is the process's %(process_num)s: numprocs_start plus its
	// index among the section's processes.
	ProcessNum int

	// The options below are gsupervisor's; Supervisor 4.2.5 ignores them.

	// Readiness is the readiness probe (readiness_*); nil for none.
	Readiness *Probe
	// Liveness is the liveness probe (liveness_*); nil for none.
	Liveness *Probe
	// LivenessAction is what a failed liveness probe does.
	LivenessAction LivenessAction
	// DependsOn are the dependencies (depends_on), in file order.
	DependsOn []Dependency
	// Backoff is the back-off policy between failed starts (backoff).
	Backoff BackoffPolicy
	// BackoffMaxSecs caps the exponential back-off (backoff_maxsecs).
	BackoffMaxSecs int

	// Required is the program's part in the exit policy (gsupervisor
	// option `required`).
	Required Required
	// EnvironmentFiles are the program's `environment_file` paths
	// (absolute; "-" first for a file that may be missing).
	EnvironmentFiles []string
}

// ProbeKind is how a probe checks a process.
type ProbeKind int

// The probe kinds.
const (
	// ProbeExec runs a command; exit status 0 passes.
	ProbeExec ProbeKind = iota + 1
	// ProbeHTTP sends a GET; a 2xx or 3xx status passes.
	ProbeHTTP
	// ProbeTCP connects; a connection passes.
	ProbeTCP
	// ProbeLog waits for an output line matching a regular expression
	// (readiness only).
	ProbeLog
)

// String returns the kind's name as written in the option ("exec", "http",
// "tcp", "log").
func (k ProbeKind) String() string {
	switch k {
	case ProbeExec:
		return "exec"
	case ProbeHTTP:
		return "http"
	case ProbeTCP:
		return "tcp"
	case ProbeLog:
		return "log"
	}
	return "ProbeKind(" + strconv.Itoa(int(k)) + ")"
}

// Probe is a readiness or liveness probe of a program.
type Probe struct {
	// Kind is how the probe checks.
	Kind ProbeKind
	// Target is the command (exec), the URL (http), the host:port (tcp) or
	// the regular expression (log).
	Target string
	// Spec is the option's value as written (after expansion).
	Spec string
	// InitialDelay is how long after a spawn the first check runs.
	InitialDelay time.Duration
	// Period is the time between the starts of two checks.
	Period time.Duration
	// Timeout bounds one check.
	Timeout time.Duration
	// SuccessThreshold is how many consecutive passes make the probe pass.
	SuccessThreshold int
	// FailureThreshold is how many consecutive failures make it fail.
	FailureThreshold int
}

// LivenessAction is what a failed liveness probe does.
type LivenessAction int

// The liveness actions.
const (
	// LivenessRestart restarts the process (the default).
	LivenessRestart LivenessAction = iota
	// LivenessReport only reports the process unhealthy.
	LivenessReport
)

// Condition is what a dependency must reach before its dependent starts.
type Condition int

// The dependency conditions.
const (
	// ConditionRunning: RUNNING (stayed up for startsecs); the default.
	ConditionRunning Condition = iota
	// ConditionStarted: spawned (STARTING or later).
	ConditionStarted
	// ConditionHealthy: its readiness (or liveness) probe passed.
	ConditionHealthy
	// ConditionCompleted: EXITED with an expected exit code (a one-shot
	// task).
	ConditionCompleted
)

// String returns the condition's name as written in depends_on.
func (c Condition) String() string {
	switch c {
	case ConditionRunning:
		return "running"
	case ConditionStarted:
		return "started"
	case ConditionHealthy:
		return "healthy"
	case ConditionCompleted:
		return "completed"
	}
	return "Condition(" + strconv.Itoa(int(c)) + ")"
}

// Dependency is one entry of depends_on: the processes it names and the
// condition they must reach.
type Dependency struct {
	// Name is the target as written: a program name, "group:*" or
	// "group:process".
	Name string
	// Program is set for a program name: every process of [program:x]
	// (or [fcgi-program:x], [eventlistener:x]) named x.
	Program string
	// Group is set for "group:*" and "group:process".
	Group string
	// Process is set for "group:process".
	Process string
	// Condition is what the processes must reach.
	Condition Condition
}

// Matches reports whether the process pc is one the dependency names.
func (d Dependency) Matches(pc *ProcessConfig) bool {
	switch {
	case d.Program != "":
		return pc.Program == d.Program
	case d.Process != "":
		return pc.Group == d.Group && pc.Name == d.Process
	}
	return pc.Group == d.Group
}

// String returns the entry as written in depends_on ("db=healthy").
func (d Dependency) String() string {
	return d.Name + "=" + d.Condition.String()
}

// BackoffPolicy is how the delay between failed starts grows.
type BackoffPolicy int

// The back-off policies.
const (
	// BackoffLinear waits 1 s after the first failed start, 2 s after the
	// second, … (Supervisor's; the default).
	BackoffLinear BackoffPolicy = iota
	// BackoffExponential waits 1, 2, 4, 8, … s, at most BackoffMaxSecs.
	BackoffExponential
)

// String returns the policy's name as written in backoff=.
func (b BackoffPolicy) String() string {
	if b == BackoffExponential {
		return "exponential"
	}
	return "linear"
}
