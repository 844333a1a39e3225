package server

import (
	"google.golang.org/protobuf/types/known/durationpb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/probe"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// healths maps core health values to the API enum.
var healths = map[probe.Health]gsupervisorv1.ProcessHealth{
	probe.HealthUnknown:   gsupervisorv1.ProcessHealth_PROCESS_HEALTH_UNKNOWN,
	probe.HealthStarting:  gsupervisorv1.ProcessHealth_PROCESS_HEALTH_STARTING,
	probe.HealthHealthy:   gsupervisorv1.ProcessHealth_PROCESS_HEALTH_HEALTHY,
	probe.HealthUnhealthy: gsupervisorv1.ProcessHealth_PROCESS_HEALTH_UNHEALTHY,
}

// healthByName maps health names ("HEALTHY") to the API enum.
var healthByName = byName(healths)

// probeTypes maps the core's probe names to the API enum.
var probeTypes = map[string]gsupervisorv1.ProbeType{
	"readiness": gsupervisorv1.ProbeType_PROBE_TYPE_READINESS,
	"liveness":  gsupervisorv1.ProbeType_PROBE_TYPE_LIVENESS,
}

var probeKinds = map[config.ProbeKind]gsupervisorv1.ProbeKind{
	config.ProbeExec: gsupervisorv1.ProbeKind_PROBE_KIND_EXEC,
	config.ProbeHTTP: gsupervisorv1.ProbeKind_PROBE_KIND_HTTP,
	config.ProbeTCP:  gsupervisorv1.ProbeKind_PROBE_KIND_TCP,
	config.ProbeLog:  gsupervisorv1.ProbeKind_PROBE_KIND_LOG,
}

var livenessActions = map[config.LivenessAction]gsupervisorv1.LivenessAction{
	config.LivenessRestart: gsupervisorv1.LivenessAction_LIVENESS_ACTION_RESTART,
	config.LivenessReport:  gsupervisorv1.LivenessAction_LIVENESS_ACTION_REPORT,
}

var backoffPolicies = map[config.BackoffPolicy]gsupervisorv1.BackoffPolicy{
	config.BackoffLinear:      gsupervisorv1.BackoffPolicy_BACKOFF_POLICY_LINEAR,
	config.BackoffExponential: gsupervisorv1.BackoffPolicy_BACKOFF_POLICY_EXPONENTIAL,
}

var conditions = map[config.Condition]gsupervisorv1.DependencyCondition{
	config.ConditionRunning:   gsupervisorv1.DependencyCondition_DEPENDENCY_CONDITION_RUNNING,
	config.ConditionStarted:   gsupervisorv1.DependencyCondition_DEPENDENCY_CONDITION_STARTED,
	config.ConditionHealthy:   gsupervisorv1.DependencyCondition_DEPENDENCY_CONDITION_HEALTHY,
	config.ConditionCompleted: gsupervisorv1.DependencyCondition_DEPENDENCY_CONDITION_COMPLETED,
}

// toProbeResult converts the last probe result; nil before the first.
func toProbeResult(r supervisor.ProbeResult) *gsupervisorv1.ProbeResult {
	if r.Time.IsZero() {
		return nil
	}
	return &gsupervisorv1.ProbeResult{
		Probe:    probeTypes[r.Probe],
		Time:     timestamp(r.Time),
		Duration: durationpb.New(r.Duration),
		Passed:   r.OK,
		Output:   r.Output,
	}
}

// toHealthEvent converts a PROCESS_HEALTH_CHANGED payload.
func toHealthEvent(h *events.ProcessHealth) *gsupervisorv1.ProcessHealthEvent {
	return &gsupervisorv1.ProcessHealthEvent{
		ProcessName: h.Process,
		GroupName:   h.Group,
		FromHealth:  healthByName[h.From],
		Health:      healthByName[h.To],
		Probe:       probeTypes[h.Probe],
		Output:      h.Output,
		Pid:         int32(h.Pid),
	}
}

// toProbeConfig converts a probe's configuration; nil for none.
func toProbeConfig(p *config.Probe) *gsupervisorv1.ProbeConfig {
	if p == nil {
		return nil
	}
	return &gsupervisorv1.ProbeConfig{
		Spec:             p.Spec,
		Kind:             probeKinds[p.Kind],
		Target:           p.Target,
		InitialDelay:     durationpb.New(p.InitialDelay),
		Period:           durationpb.New(p.Period),
		Timeout:          durationpb.New(p.Timeout),
		SuccessThreshold: int32(p.SuccessThreshold),
		FailureThreshold: int32(p.FailureThreshold),
	}
}

// addProgramExtras fills gsupervisor's configuration fields: numbering,
// probes, dependencies, back-off.
func addProgramExtras(out *gsupervisorv1.ProcessConfig, ci supervisor.ConfigInfo) {
	pc := ci.Process
	out.ProcessNum = int32(pc.ProcessNum)
	out.Numprocs = int32(ci.Numprocs)
	out.FileNumprocs = int32(ci.FileNumprocs)
	out.ReadinessProbe = toProbeConfig(pc.Readiness)
	out.LivenessProbe = toProbeConfig(pc.Liveness)
	out.LivenessAction = livenessActions[pc.LivenessAction]
	out.Backoff = backoffPolicies[pc.Backoff]
	out.BackoffMaxSecs = int32(pc.BackoffMaxSecs)
	for _, d := range pc.DependsOn {
		out.DependsOn = append(out.DependsOn, &gsupervisorv1.Dependency{Name: d.Name, Condition: conditions[d.Condition]})
	}
}
