package config

import (
	"slices"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// conditionNames maps the conditions of depends_on to their values.
var conditionNames = map[string]Condition{
	"running":   ConditionRunning,
	"started":   ConditionStarted,
	"healthy":   ConditionHealthy,
	"completed": ConditionCompleted,
}

// parseDependsOn parses depends_on: entries separated by commas or white
// space, each a target (a program name, "group:*" or "group:process")
// optionally followed by "=condition" (running, started, healthy or
// completed; running when left out).
func parseDependsOn(v string) ([]Dependency, error) {
	var deps []Dependency
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || pytext.IsSpace(r) })
	for _, f := range fields {
		name, cond, hasCond := strings.Cut(f, "=")
		d := Dependency{Name: name, Condition: ConditionRunning}
		if hasCond {
			c, ok := conditionNames[strings.ToLower(cond)]
			if !ok {
				return nil, valueErrorf("depends_on entry %s: unknown condition %s (want running, started, healthy or completed)", pytext.Repr(f), pytext.Repr(cond))
			}
			d.Condition = c
		}
		group, proc, isSpec := strings.Cut(name, ":")
		switch {
		case name == "" || group == "":
			return nil, valueErrorf("depends_on entry %s: no program or group name", pytext.Repr(f))
		case !isSpec:
			d.Program = name
		case proc == "" || proc == "*":
			d.Group = group
			d.Name = group + ":*"
		default:
			d.Group, d.Process = group, proc
		}
		for _, part := range []string{group, proc} {
			if part == "*" {
				continue
			}
			if _, err := processOrGroupName(part); err != nil {
				return nil, valueErrorf("depends_on entry %s: %v", pytext.Repr(f), err)
			}
		}
		deps = append(deps, d)
	}
	return deps, nil
}

// depGraph is the dependency graph of a configuration's processes.
type depGraph struct {
	procs []*ProcessConfig
	// edges[i] are the indexes of the processes procs[i] depends on.
	edges [][]int
}

// validateDependencies checks every depends_on of groups: each target
// must exist, a healthy condition needs a probe on every target, and
// there must be no cycle. The errors name both programs.
func validateDependencies(groups []GroupConfig) error {
	var g depGraph
	for gi := range groups {
		for pi := range groups[gi].Processes {
			g.procs = append(g.procs, &groups[gi].Processes[pi])
		}
	}
	g.edges = make([][]int, len(g.procs))
	groupExists := make(map[string]bool, len(groups))
	for _, gc := range groups {
		groupExists[gc.Name] = true
	}
	for i, p := range g.procs {
		for _, d := range p.DependsOn {
			targets := g.matching(d)
			if len(targets) == 0 {
				return dependencyError(p, d, missingTarget(d, groupExists))
			}
			for _, t := range targets {
				tp := g.procs[t]
				if d.Condition == ConditionHealthy && tp.Readiness == nil && tp.Liveness == nil {
					return dependencyError(p, d, "["+tp.Section+"] has no readiness_probe or liveness_probe")
				}
				g.edges[i] = append(g.edges[i], t)
			}
		}
	}
	if cycle := g.cycle(); cycle != nil {
		return errorf("dependency cycle: %s", describeCycle(g.procs, cycle))
	}
	return nil
}

// matching returns the indexes of the processes d names.
func (g *depGraph) matching(d Dependency) []int {
	var out []int
	for i, p := range g.procs {
		if d.Matches(p) {
			out = append(out, i)
		}
	}
	return out
}

// missingTarget says why a dependency names nothing.
func missingTarget(d Dependency, groupExists map[string]bool) string {
	switch {
	case d.Program != "":
		return "there is no program " + d.Program
	case d.Process == "" || !groupExists[d.Group]:
		return "there is no group " + d.Group
	}
	return "group " + d.Group + " has no process " + d.Process
}

// dependencyError is the error of a dependency of p, with the file.
func dependencyError(p *ProcessConfig, d Dependency, why string) error {
	return errorf("[%s] depends_on %s, but %s (file: %s)", p.Section, d.String(), why, pytext.Repr(p.File))
}

// cycle returns the indexes of a dependency cycle (its first process
// repeated at the end), or nil.
func (g *depGraph) cycle() []int {
	const (
		unseen = iota
		onPath
		done
	)
	mark := make([]int, len(g.procs))
	var path []int
	var visit func(i int) []int
	visit = func(i int) []int {
		mark[i] = onPath
		path = append(path, i)
		for _, t := range g.edges[i] {
			switch mark[t] {
			case onPath:
				start := slices.Index(path, t)
				return append(slices.Clone(path[start:]), t)
			case unseen:
				if c := visit(t); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		mark[i] = done
		return nil
	}
	for i := range g.procs {
		if mark[i] == unseen {
			if c := visit(i); c != nil {
				return c
			}
		}
	}
	return nil
}

// describeCycle names the programs of a cycle: "[program:a] depends_on b,
// [program:b] depends_on a".
func describeCycle(procs []*ProcessConfig, cycle []int) string {
	var parts []string
	for k := 0; k+1 < len(cycle); k++ {
		from, to := procs[cycle[k]], procs[cycle[k+1]]
		name := to.Program
		if to.Group != to.Program {
			name = to.Group + ":" + to.Name
		}
		part := "[" + from.Section + "] depends_on " + name
		if len(parts) == 0 || parts[len(parts)-1] != part {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, ", ")
}
