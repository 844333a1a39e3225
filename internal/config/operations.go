package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/dotenv"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// This file reads gsupervisor's options for running in containers and
// under orchestrators (issue 18): container mode, the exit policy, the
// console output, the main log's format, readiness, metrics access and
// environment files. Supervisor 4.2.5 ignores all of them.

// Switch is an option that is on, off, or decided at run time (auto).
type Switch int

// The switch values.
const (
	// SwitchAuto decides at run time (see each option).
	SwitchAuto Switch = iota
	// SwitchOn is on.
	SwitchOn
	// SwitchOff is off.
	SwitchOff
)

// String returns the value as written ("auto", "true", "false").
func (s Switch) String() string {
	switch s {
	case SwitchOn:
		return "true"
	case SwitchOff:
		return "false"
	}
	return "auto"
}

// Resolve returns the switch's value, auto being def.
func (s Switch) Resolve(def bool) bool {
	if s == SwitchAuto {
		return def
	}
	return s == SwitchOn
}

// switchValue parses auto or a boolean.
func switchValue(s string) (Switch, error) {
	if strings.EqualFold(pytext.Strip(s), "auto") {
		return SwitchAuto, nil
	}
	b, err := boolean(pytext.Strip(s))
	if err != nil {
		return 0, valueErrorf("not auto or a boolean: %s", pytext.Repr(s))
	}
	if b {
		return SwitchOn, nil
	}
	return SwitchOff, nil
}

// OutputFormat is how program output and log lines are written to the
// daemon's standard streams.
type OutputFormat int

// The output formats.
const (
	// OutputAuto: prefixed in container mode (JSON with logformat=json),
	// none otherwise.
	OutputAuto OutputFormat = iota
	// OutputNone copies nothing.
	OutputNone
	// OutputPrefixed writes each line as "name | line".
	OutputPrefixed
	// OutputJSON writes each line as a JSON object.
	OutputJSON
)

// String returns the format as written.
func (f OutputFormat) String() string {
	switch f {
	case OutputNone:
		return "none"
	case OutputPrefixed:
		return "prefixed"
	case OutputJSON:
		return "json"
	}
	return "auto"
}

// outputFormat parses container_output.
func outputFormat(s string) (OutputFormat, error) {
	switch strings.ToLower(pytext.Strip(s)) {
	case "auto":
		return OutputAuto, nil
	case "none", "off", "false", "no":
		return OutputNone, nil
	case "prefixed", "text":
		return OutputPrefixed, nil
	case "json":
		return OutputJSON, nil
	}
	return 0, valueErrorf("not one of auto, prefixed, json, none: %s", pytext.Repr(s))
}

// LogFormat is the format of the main log's lines.
type LogFormat int

// The log formats.
const (
	// LogText is Supervisor's "2006-01-02 15:04:05,000 INFO message".
	LogText LogFormat = iota
	// LogJSON is one JSON object per line (log/slog's JSON handler).
	LogJSON
)

// logFormat parses logformat.
func logFormat(s string) (LogFormat, error) {
	switch strings.ToLower(pytext.Strip(s)) {
	case "text":
		return LogText, nil
	case "json":
		return LogJSON, nil
	}
	return 0, valueErrorf("not text or json: %s", pytext.Repr(s))
}

// Required is a program's part in the daemon's exit policy.
type Required int

// The exit policies of a program.
const (
	// RequiredNo: the program's exits do not end the daemon.
	RequiredNo Required = iota
	// RequiredFailure: the daemon exits when the program fails: it
	// reaches FATAL, or exits with a code not in exitcodes.
	RequiredFailure
	// RequiredExit: the daemon exits when the program exits, whatever
	// the code, or reaches FATAL.
	RequiredExit
)

// String returns the value as written.
func (r Required) String() string {
	switch r {
	case RequiredFailure:
		return "failure"
	case RequiredExit:
		return "exit"
	}
	return "false"
}

// requiredValue parses required.
func requiredValue(s string) (Required, error) {
	v := strings.ToLower(pytext.Strip(s))
	switch v {
	case "failure", "on-failure", "on_failure":
		return RequiredFailure, nil
	case "exit", "on-exit", "on_exit", "any":
		return RequiredExit, nil
	}
	b, err := boolean(v)
	if err != nil {
		return 0, valueErrorf("invalid 'required' value %s: use false, true (= failure), failure or exit", pytext.Repr(s))
	}
	if b {
		return RequiredFailure, nil
	}
	return RequiredNo, nil
}

// seconds parses a non-negative number of seconds (a decimal fraction
// allowed).
func seconds(s string) (time.Duration, error) {
	v := pytext.Strip(s)
	d, err := time.ParseDuration(v + "s")
	if err != nil || d < 0 {
		return 0, valueErrorf("not a number of seconds: %s", pytext.Repr(s))
	}
	return d, nil
}

// operationsOptions reads the [supervisord] options of issue 18 into sd.
func (l *loader) operationsOptions(o *options, sd *Supervisord) {
	sd.Container = parsed(o, "container", "auto", switchValue)
	sd.ExitWhenFinished = parsed(o, "exit_when_finished", "auto", switchValue)
	sd.ContainerOutput = parsed(o, "container_output", "auto", outputFormat)
	sd.LogFormat = parsed(o, "logformat", "text", logFormat)
	sd.ShutdownTimeout = parsed(o, "shutdown_timeout", "0", seconds)
	if v, ok := o.lookup("readiness_programs"); ok {
		sd.ReadinessPrograms = listOfStrings(v)
		if sd.ReadinessPrograms == nil {
			sd.ReadinessPrograms = []string{}
		}
	}
	if v, ok := o.lookup("environment_file"); ok {
		sd.EnvironmentFiles = l.envFileList(v)
	}
}

// envFileList splits environment_file into absolute paths, keeping a
// leading "-" (the file may be missing).
func (l *loader) envFileList(v string) []string {
	var out []string
	for _, p := range listOfStrings(v) {
		if p == "" || p == "-" {
			continue
		}
		optional := strings.HasPrefix(p, "-")
		p = absPath(expandUser(strings.TrimPrefix(p, "-")), l.cwd)
		if optional {
			p = "-" + p
		}
		out = append(out, p)
	}
	return out
}

// readEnvFiles reads environment files in order (later files win) for
// the option of section. A path starting with "-" may be missing.
func readEnvFiles(section string, paths []string) (map[string]string, error) {
	env := map[string]string{}
	for _, p := range paths {
		path, optional := strings.CutPrefix(p, "-")
		vars, err := dotenv.ReadFile(path)
		if err != nil {
			if optional && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			var de *dotenv.Error
			if errors.As(err, &de) {
				return nil, &Error{Msg: fmt.Sprintf("environment_file of section [%s]: %s", section, err), Err: err}
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &Error{Msg: fmt.Sprintf("environment_file of section [%s]: %s does not exist (start the path with - if it may be missing)", section, path), Err: err}
			}
			return nil, &Error{Msg: fmt.Sprintf("environment_file of section [%s]: %v", section, err), Err: err}
		}
		for k, v := range dotenv.Map(vars) {
			env[k] = v
		}
	}
	return env, nil
}

// overlay returns base with top's names set over it (a new map).
func overlay(base, top map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(top))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range top {
		out[k] = v
	}
	return out
}

// metricsAuth reads metrics_auth of a server section.
func (l *loader) metricsAuth(section string) (Switch, error) {
	v, err := l.getDefault(section, "metrics_auth", "auto", nil)
	if err != nil {
		return 0, err
	}
	s, err := switchValue(v)
	if err != nil {
		return 0, errorf("%s in section [%s] metrics_auth", err.Error(), section)
	}
	return s, nil
}
