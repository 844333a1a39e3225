package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// Probe defaults, Kubernetes' values.
const (
	defaultProbePeriod           = 10 * time.Second
	defaultProbeTimeout          = time.Second
	defaultProbeSuccessThreshold = 1
	defaultProbeFailureThreshold = 3
	// defaultBackoffMaxSecs caps an exponential back-off without
	// backoff_maxsecs.
	defaultBackoffMaxSecs = 60
)

// probeOptions reads the options of one probe (prefix "readiness" or
// "liveness") of the process being read: <prefix>_probe and its
// _initial_delay, _period, _timeout, _success_threshold and
// _failure_threshold. It returns nil when <prefix>_probe is not set.
func probeOptions(o *options, prefix string) *Probe {
	spec, ok := o.lookup(prefix + "_probe")
	if !ok || o.err != nil {
		return nil
	}
	p, err := parseProbe(prefix+"_probe", pytext.Strip(spec))
	if err != nil {
		o.fail(err)
		return nil
	}
	if p.Kind == ProbeLog && prefix == "liveness" {
		o.fail(valueErrorf("liveness_probe %s: a log: probe can only be a readiness_probe", pytext.Repr(spec)))
		return nil
	}
	p.InitialDelay = durationOption(o, prefix+"_initial_delay", 0, true)
	p.Period = durationOption(o, prefix+"_period", defaultProbePeriod, false)
	p.Timeout = durationOption(o, prefix+"_timeout", defaultProbeTimeout, false)
	p.SuccessThreshold = positiveOption(o, prefix+"_success_threshold", defaultProbeSuccessThreshold)
	p.FailureThreshold = positiveOption(o, prefix+"_failure_threshold", defaultProbeFailureThreshold)
	if o.err != nil {
		return nil
	}
	return p
}

// parseProbe parses a probe: exec:<command>, http://… or https://…,
// tcp:<host>:<port> or log:<regular expression>.
func parseProbe(opt, spec string) (*Probe, error) {
	kind, rest, _ := strings.Cut(spec, ":")
	p := &Probe{Spec: spec}
	switch strings.ToLower(kind) {
	case "exec":
		p.Kind, p.Target = ProbeExec, pytext.Strip(rest)
		argv, err := SplitCommand(p.Target)
		if err != nil || len(argv) == 0 {
			return nil, valueErrorf("%s %s: the command is empty or cannot be parsed", opt, pytext.Repr(spec))
		}
	case "http", "https":
		u, err := url.Parse(spec)
		if err != nil || u.Host == "" {
			return nil, valueErrorf("%s %s: not an http:// or https:// URL with a host", opt, pytext.Repr(spec))
		}
		p.Kind, p.Target = ProbeHTTP, spec
	case "tcp":
		addr := pytext.Strip(rest)
		host, port, err := net.SplitHostPort(addr)
		if err == nil {
			_, err = portNumber(port)
		}
		if err != nil || host == "" {
			return nil, valueErrorf("%s %s: tcp: needs <host>:<port>", opt, pytext.Repr(spec))
		}
		p.Kind, p.Target = ProbeTCP, addr
	case "log":
		if _, err := regexp.Compile(rest); err != nil || rest == "" {
			return nil, valueErrorf("%s %s: log: needs a regular expression (%v)", opt, pytext.Repr(spec), err)
		}
		p.Kind, p.Target = ProbeLog, rest
	default:
		return nil, valueErrorf("%s %s: expected exec:<command>, http://<url>, https://<url>, tcp:<host>:<port> or log:<regex>", opt, pytext.Repr(spec))
	}
	return p, nil
}

// durationOption reads a duration: a number of seconds (fractions
// allowed) or a Go duration ("500ms", "2s", "1m30s"). It must be positive,
// or not negative with zeroOK.
func durationOption(o *options, opt string, def time.Duration, zeroOK bool) time.Duration {
	v, ok := o.lookup(opt)
	if !ok {
		return def
	}
	d, err := parseDuration(v)
	if err == nil && (d < 0 || (d == 0 && !zeroOK)) {
		err = fmt.Errorf("it must be positive")
		if zeroOK {
			err = fmt.Errorf("it must not be negative")
		}
	}
	if err != nil {
		o.fail(valueErrorf("invalid %s value %s: %v", opt, pytext.Repr(v), err))
		return 0
	}
	return d
}

// parseDuration parses a number of seconds or a Go duration.
func parseDuration(v string) (time.Duration, error) {
	v = pytext.Strip(v)
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("not a usable number of seconds")
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("want seconds (1.5) or a duration (500ms, 2s, 1m)")
	}
	return d, nil
}

// positiveOption reads an integer that must be at least 1.
func positiveOption(o *options, opt string, def int) int {
	v := o.integer(opt, def)
	if o.err == nil && v < 1 {
		o.fail(valueErrorf("invalid %s value %d: it must be at least 1", opt, v))
	}
	return v
}

// livenessAction parses liveness_action.
func livenessAction(s string) (LivenessAction, error) {
	switch strings.ToLower(pytext.Strip(s)) {
	case "restart":
		return LivenessRestart, nil
	case "report":
		return LivenessReport, nil
	}
	return 0, valueErrorf("invalid liveness_action value %s: want restart or report", pytext.Repr(s))
}

// backoffPolicy parses backoff.
func backoffPolicy(s string) (BackoffPolicy, error) {
	switch strings.ToLower(pytext.Strip(s)) {
	case "linear":
		return BackoffLinear, nil
	case "exponential":
		return BackoffExponential, nil
	}
	return 0, valueErrorf("invalid backoff value %s: want linear or exponential", pytext.Repr(s))
}

// gsupervisorOptions reads the process options 4.2.5 does not know
// (probes, dependencies, back-off) into p. They are read per process, so
// they may use %(process_num)s.
func gsupervisorOptions(o *options, p *ProcessConfig) {
	p.Readiness = probeOptions(o, "readiness")
	p.Liveness = probeOptions(o, "liveness")
	if a, ok := parsedIfSet(o, "liveness_action", livenessAction); ok {
		p.LivenessAction = a
	}
	if v, ok := o.lookup("depends_on"); ok {
		deps, err := parseDependsOn(v)
		o.fail(err)
		p.DependsOn = deps
	}
	if b, ok := parsedIfSet(o, "backoff", backoffPolicy); ok {
		p.Backoff = b
	}
	p.BackoffMaxSecs = positiveOption(o, "backoff_maxsecs", defaultBackoffMaxSecs)
}
