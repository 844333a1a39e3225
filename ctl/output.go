package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// stateName returns Supervisor's name of a process state ("RUNNING").
func stateName(s gsupervisorv1.ProcessState) string {
	name := strings.TrimPrefix(s.String(), "PROCESS_STATE_")
	if name == "UNSPECIFIED" {
		return "UNKNOWN"
	}
	return name
}

// parseState parses a state name as `wait` accepts it: RUNNING, running,
// PROCESS_STATE_RUNNING.
func parseState(s string) (gsupervisorv1.ProcessState, bool) {
	u := strings.ToUpper(s)
	if !strings.HasPrefix(u, "PROCESS_STATE_") {
		u = "PROCESS_STATE_" + u
	}
	v, ok := gsupervisorv1.ProcessState_value[u]
	if !ok || v == 0 {
		return 0, false
	}
	return gsupervisorv1.ProcessState(v), true
}

// stoppedState reports whether a state counts as not running for the
// status exit code (STOPPED, EXITED, FATAL, UNKNOWN).
func stoppedState(s gsupervisorv1.ProcessState) bool {
	switch s {
	case gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED, gsupervisorv1.ProcessState_PROCESS_STATE_EXITED,
		gsupervisorv1.ProcessState_PROCESS_STATE_FATAL, gsupervisorv1.ProcessState_PROCESS_STATE_UNKNOWN:
		return true
	}
	return false
}

// makeNamespec is Supervisor's make_namespec: the process name alone when
// it equals the group name. A missing process name is Python's None.
func makeNamespec(group, name string, hasName bool) string {
	if !hasName {
		return group + ":None"
	}
	if group == name {
		return name
	}
	return group + ":" + name
}

// splitNamespec is Supervisor's split_namespec: "g:p" names process p of
// group g, "g:" and "g:*" the whole group g (hasName false), and "p" the
// process p of the group p.
func splitNamespec(spec string) (group, name string, hasName bool) {
	g, p, ok := strings.Cut(spec, ":")
	if !ok {
		return spec, spec, true
	}
	if p == "" || p == "*" {
		return g, "", false
	}
	return g, p, true
}

// ANSI colours of the status column in a terminal.
const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// colorWanted reports whether status should colour its state column:
// stdout is a terminal, NO_COLOR is unset and TERM is not "dumb".
func colorWanted(stdout io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(stdout)
}

// stateColor is the colour of a state in the status column.
func stateColor(s gsupervisorv1.ProcessState) string {
	switch s {
	case gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING:
		return ansiGreen
	case gsupervisorv1.ProcessState_PROCESS_STATE_STARTING, gsupervisorv1.ProcessState_PROCESS_STATE_BACKOFF,
		gsupervisorv1.ProcessState_PROCESS_STATE_STOPPING:
		return ansiYellow
	case gsupervisorv1.ProcessState_PROCESS_STATE_EXITED, gsupervisorv1.ProcessState_PROCESS_STATE_FATAL,
		gsupervisorv1.ProcessState_PROCESS_STATE_UNKNOWN:
		return ansiRed
	}
	return ""
}

// statusLines formats processes like 4.2.5's status: the namespec padded
// to max(30, longest)+3, the state to 10, then the description. With
// color, the state is coloured (the padding stays outside the colour).
func statusLines(infos []*gsupervisorv1.ProcessInfo, color bool) string {
	width := 30
	for _, info := range infos {
		width = max(width, len([]rune(makeNamespec(info.GetGroup(), info.GetName(), true))))
	}
	var b strings.Builder
	for _, info := range infos {
		name := makeNamespec(info.GetGroup(), info.GetName(), true)
		state := stateName(info.GetState())
		b.WriteString(ljust(name, width+3))
		if col := stateColor(info.GetState()); color && col != "" {
			b.WriteString(col + state + ansiReset + strings.Repeat(" ", max(0, 10-len(state))))
		} else {
			b.WriteString(ljust(state, 10))
		}
		b.WriteString(info.GetDescription())
		b.WriteByte('\n')
	}
	return b.String()
}

// availLine formats one configured process like 4.2.5's avail.
func availLine(cfg *gsupervisorv1.ProcessConfig) string {
	inUse := "avail"
	if cfg.GetInUse() {
		inUse = "in use"
	}
	auto := "manual"
	if cfg.GetAutostart() {
		auto = "auto"
	}
	return fmt.Sprintf("%s %s %s %d:%d", ljust(makeNamespec(cfg.GetGroup(), cfg.GetName(), true), 32),
		ljust(inUse, 9), ljust(auto, 9), cfg.GetGroupPriority(), cfg.GetProcessPriority())
}

// readArgs takes -o/--output from a read command's arguments; on an
// unknown format it prints the error, sets exit status 2 and returns ok
// false.
func (c *controller) readArgs(args []string) (asJSON bool, rest []string, ok bool) {
	asJSON, rest, bad := outputFormat(args, c.opts.json)
	if bad != "" {
		c.output(bad)
		c.exit = exitInvalidArgs
		return false, nil, false
	}
	return asJSON, rest, true
}

// noArgs reports whether a command that takes no arguments got none; if it
// got some it prints 4.2.5's error and the command's help (exit 1).
func (c *controller) noArgs(name string, args []string) bool {
	if len(args) == 0 {
		return true
	}
	c.output("Error: " + name + " accepts no arguments")
	c.exit = exitGeneric
	c.help(name)
	return false
}

// outputFormat takes -o/--output from a read command's arguments. It
// returns whether JSON is wanted (the global -o is the default) and the
// other arguments; bad is the error text for an unknown format.
func outputFormat(args []string, def bool) (asJSON bool, rest []string, bad string) {
	asJSON = def
	for i := 0; i < len(args); i++ {
		a := args[i]
		var v string
		switch {
		case a == "-o" || a == "--output":
			if i+1 >= len(args) {
				return false, nil, fmt.Sprintf("Error: %s requires an output format (text or json)", a)
			}
			i++
			v = args[i]
		case strings.HasPrefix(a, "--output="):
			v = a[len("--output="):]
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			v = a[2:]
		default:
			rest = append(rest, a)
			continue
		}
		switch v {
		case "json":
			asJSON = true
		case "text":
			asJSON = false
		default:
			return false, nil, fmt.Sprintf("Error: unknown output format %s (use text or json)", pytext.Repr(v))
		}
	}
	return asJSON, rest, ""
}

// jsonProcess is one process in the JSON output of status.
type jsonProcess struct {
	Name          string  `json:"name"`
	Group         string  `json:"group"`
	Namespec      string  `json:"namespec"`
	State         string  `json:"state"`
	Description   string  `json:"description"`
	PID           int32   `json:"pid"`
	StartTime     *string `json:"start_time"`
	StopTime      *string `json:"stop_time"`
	ExitStatus    int32   `json:"exit_status"`
	SpawnError    string  `json:"spawn_error"`
	StdoutLogfile string  `json:"stdout_logfile"`
	StderrLogfile string  `json:"stderr_logfile"`
	// gsupervisor's: health, probes, dependencies, disable, back-off.
	Health          string     `json:"health"`
	LastProbe       *jsonProbe `json:"last_probe"`
	Disabled        bool       `json:"disabled"`
	Waiting         string     `json:"waiting"`
	NextAttemptTime *string    `json:"next_attempt_time"`
}

// jsonProbe is the last probe result in the JSON output of status.
type jsonProbe struct {
	Probe      string  `json:"probe"`
	Time       *string `json:"time"`
	DurationMs float64 `json:"duration_ms"`
	Passed     bool    `json:"passed"`
	Output     string  `json:"output"`
}

// jsonNameError is a name a read command could not find.
type jsonNameError struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

// jsonStatus is the JSON output of status.
type jsonStatus struct {
	Processes []jsonProcess   `json:"processes"`
	Errors    []jsonNameError `json:"errors"`
}

// jsonConfig is one configured process in the JSON output of avail.
type jsonConfig struct {
	Name            string `json:"name"`
	Group           string `json:"group"`
	Namespec        string `json:"namespec"`
	InUse           bool   `json:"in_use"`
	Autostart       bool   `json:"autostart"`
	GroupPriority   int32  `json:"group_priority"`
	ProcessPriority int32  `json:"process_priority"`
}

// jsonAvail is the JSON output of avail.
type jsonAvail struct {
	Processes []jsonConfig `json:"processes"`
}

// jsonPIDs is the JSON output of pid with names or all.
type jsonPIDs struct {
	Processes []jsonPID       `json:"processes"`
	Errors    []jsonNameError `json:"errors"`
}

// jsonPID is one process's pid.
type jsonPID struct {
	Namespec string `json:"namespec"`
	PID      int32  `json:"pid"`
}

// jsonDaemonPID is the JSON output of pid without arguments.
type jsonDaemonPID struct {
	PID int32 `json:"pid"`
}

// jsonReread is the JSON output of reread.
type jsonReread struct {
	Added    []string `json:"added"`
	Changed  []string `json:"changed"`
	Removed  []string `json:"removed"`
	Revision string   `json:"revision"`
}

// jsonVersion is the JSON output of version.
type jsonVersion struct {
	SupervisorVersion string `json:"supervisor_version"`
	APIVersion        string `json:"api_version"`
	DaemonVersion     string `json:"daemon_version"`
}

// toJSONProcess converts a process for the JSON output.
func toJSONProcess(info *gsupervisorv1.ProcessInfo) jsonProcess {
	return jsonProcess{
		Name:            info.GetName(),
		Group:           info.GetGroup(),
		Namespec:        makeNamespec(info.GetGroup(), info.GetName(), true),
		State:           stateName(info.GetState()),
		Description:     info.GetDescription(),
		PID:             info.GetPid(),
		StartTime:       jsonTime(info.GetStartTime()),
		StopTime:        jsonTime(info.GetStopTime()),
		ExitStatus:      info.GetExitStatus(),
		SpawnError:      info.GetSpawnError(),
		StdoutLogfile:   info.GetStdoutLogfile(),
		StderrLogfile:   info.GetStderrLogfile(),
		Health:          healthName(info.GetHealth()),
		LastProbe:       toJSONProbe(info.GetLastProbe()),
		Disabled:        info.GetDisabled(),
		Waiting:         info.GetWaiting(),
		NextAttemptTime: jsonTime(info.GetNextAttemptTime()),
	}
}

// healthName returns a health's name ("HEALTHY"); UNKNOWN when unset.
func healthName(h gsupervisorv1.ProcessHealth) string {
	name := strings.TrimPrefix(h.String(), "PROCESS_HEALTH_")
	if name == "UNSPECIFIED" {
		return "UNKNOWN"
	}
	return name
}

// toJSONProbe converts the last probe result; nil when none.
func toJSONProbe(r *gsupervisorv1.ProbeResult) *jsonProbe {
	if r == nil {
		return nil
	}
	return &jsonProbe{
		Probe:      strings.ToLower(strings.TrimPrefix(r.GetProbe().String(), "PROBE_TYPE_")),
		Time:       jsonTime(r.GetTime()),
		DurationMs: float64(r.GetDuration().AsDuration().Microseconds()) / 1000,
		Passed:     r.GetPassed(),
		Output:     r.GetOutput(),
	}
}

// jsonTime renders a timestamp as RFC 3339 in UTC; nil when unset.
func jsonTime(t *timestamppb.Timestamp) *string {
	if t == nil {
		return nil
	}
	s := t.AsTime().UTC().Format(time.RFC3339Nano)
	return &s
}

// printJSON writes v as indented JSON and a newline.
func (c *controller) printJSON(v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		c.output("error: " + err.Error())
		c.exit = exitGeneric
		return
	}
	c.write(string(b) + "\n")
}
