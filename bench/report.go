package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Metric is one figure of the report, measured for our daemon, the real
// one, a physical floor, or some of these.
type Metric struct {
	// Scenario is the scenario that measured it.
	Scenario string `json:"scenario"`
	// Name says what is measured.
	Name string `json:"name"`
	// Unit is the unit of the samples.
	Unit string `json:"unit"`
	// Better is "lower" or "higher".
	Better string `json:"better"`
	// Ours are the samples of our daemon.
	Ours *Summary `json:"ours,omitempty"`
	// Real are the samples of the real supervisord.
	Real *Summary `json:"real,omitempty"`
	// Floor are the samples of the physical floor (no daemon).
	Floor *Summary `json:"floor,omitempty"`
	// Ratio is the median of Ours over the median of Real.
	Ratio *float64 `json:"ratio_ours_real,omitempty"`
	// FloorRatio is the median of Ours over the median of Floor.
	FloorRatio *float64 `json:"ratio_ours_floor,omitempty"`
	// Target is the target from the issues, in words.
	Target string `json:"target,omitempty"`
	// Met tells whether the target is met (unset when there is no target or
	// it could not be evaluated).
	Met *bool `json:"met,omitempty"`
	// Note is a remark on how the figure was obtained.
	Note string `json:"note,omitempty"`

	check             func(m *Metric) (met, known bool)
	ours, real, floor []float64
}

// finish summarizes the samples, computes the ratios and evaluates the
// target.
func (m *Metric) finish() {
	sum := func(xs []float64) *Summary {
		if xs == nil {
			return nil
		}
		s := summarize(xs)
		return &s
	}
	m.Ours, m.Real, m.Floor = sum(m.ours), sum(m.real), sum(m.floor)
	ratio := func(a, b *Summary) *float64 {
		if a == nil || b == nil || a.N == 0 || b.N == 0 || b.Median == 0 {
			return nil
		}
		r := a.Median / b.Median
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil
		}
		return &r
	}
	m.Ratio = ratio(m.Ours, m.Real)
	m.FloorRatio = ratio(m.Ours, m.Floor)
	if m.check != nil {
		if met, known := m.check(m); known {
			m.Met = &met
		}
	}
}

// Report is the whole result of a harness run.
type Report struct {
	// Started is when the run started.
	Started time.Time `json:"started"`
	// Duration is how long the run took, in seconds.
	Duration float64 `json:"duration_s"`
	// Env describes the machine and the daemons.
	Env map[string]string `json:"env"`
	// Options are the run's options, as text.
	Options map[string]string `json:"options"`
	// Metrics are the figures, in the order they were measured.
	Metrics []*Metric `json:"metrics"`
	// Notes are remarks about the run (fallbacks, anomalies, errors).
	Notes []string `json:"notes"`
	// Profiles maps a scenario to the `go tool pprof -top` text of our
	// daemon's CPU profile (with -profile).
	Profiles map[string]string `json:"profiles,omitempty"`
}

// write writes report.json and report.md into dir.
func (r *Report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create report dir: %w", err)
	}
	for _, m := range r.Metrics {
		m.finish()
	}
	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), append(j, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md"), []byte(r.markdown()), 0o644); err != nil {
		return fmt.Errorf("write report.md: %w", err)
	}
	return nil
}

// markdown renders the report as Markdown.
func (r *Report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# gsupervisor vs Supervisor 4.2.5: side-by-side benchmark\n\n")
	fmt.Fprintf(&b, "Run %s, %.0f s. Figures are medians [min–max] over the repetitions (n = samples per side); the ratio is ours/real of the medians.\n\n",
		r.Started.Format(time.RFC3339), r.Duration)
	b.WriteString("| | |\n|---|---|\n")
	for _, k := range sortedKeys(r.Env) {
		fmt.Fprintf(&b, "| %s | %s |\n", k, mdEscape(r.Env[k]))
	}
	b.WriteString("\n<details><summary>options</summary>\n\n| option | value |\n|---|---|\n")
	for _, k := range sortedKeys(r.Options) {
		fmt.Fprintf(&b, "| %s | %s |\n", k, mdEscape(r.Options[k]))
	}
	b.WriteString("\n</details>\n\n")
	// One table per scenario, in the order the scenarios first appear,
	// rows in the order they were created.
	var scens []string
	byScen := map[string][]*Metric{}
	for _, m := range r.Metrics {
		if _, ok := byScen[m.Scenario]; !ok {
			scens = append(scens, m.Scenario)
		}
		byScen[m.Scenario] = append(byScen[m.Scenario], m)
	}
	for _, scen := range scens {
		fmt.Fprintf(&b, "\n## %s\n\n", scen)
		b.WriteString("| metric | ours | real | ours/real | floor | ours/floor | target | met |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|\n")
		for _, m := range byScen[scen] {
			fmt.Fprintf(&b, "| %s (%s, %s is better) | %s | %s | %s | %s | %s | %s | %s |\n",
				mdEscape(m.Name), m.Unit, m.Better, fmtSummary(m.Ours), fmtSummary(m.Real), fmtRatio(m.Ratio),
				fmtSummary(m.Floor), fmtRatio(m.FloorRatio), mdEscape(m.Target), fmtMet(m.Met))
			if m.Note != "" {
				fmt.Fprintf(&b, "| ↳ %s | | | | | | | |\n", mdEscape(m.Note))
			}
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if len(r.Profiles) > 0 {
		b.WriteString("\n## CPU profiles of our daemon (go tool pprof -top)\n")
		for _, k := range sortedKeys(r.Profiles) {
			fmt.Fprintf(&b, "\n### %s\n\n```\n%s\n```\n", k, strings.TrimRight(r.Profiles[k], "\n"))
		}
	}
	return b.String()
}

// fmtSummary formats a summary as "median [min–max] (n)".
func fmtSummary(s *Summary) string {
	if s == nil {
		return ""
	}
	if s.N == 0 {
		return "n/a"
	}
	if s.N == 1 {
		return fmtNum(s.Median)
	}
	return fmt.Sprintf("%s [%s–%s] n=%d", fmtNum(s.Median), fmtNum(s.Min), fmtNum(s.Max), s.N)
}

// fmtRatio formats a ratio.
func fmtRatio(r *float64) string {
	if r == nil {
		return ""
	}
	if *r != 0 && math.Abs(*r) < 0.01 {
		return strconv.FormatFloat(*r, 'g', 2, 64)
	}
	return strconv.FormatFloat(*r, 'f', 2, 64)
}

// fmtMet formats a target verdict.
func fmtMet(m *bool) string {
	switch {
	case m == nil:
		return ""
	case *m:
		return "yes"
	default:
		return "**no**"
	}
}

// fmtNum formats a figure with about three significant digits.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "n/a"
	case a == 0:
		return "0"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// mdEscape makes s safe inside a Markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

// withTarget sets the metric's target text and check (once).
func (m *Metric) withTarget(text string, check func(m *Metric) (met, known bool)) *Metric {
	if m.Target == "" {
		m.Target, m.check = text, check
	}
	return m
}

// ratioAtMost is met when ours/real <= x.
func ratioAtMost(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.Ratio == nil {
			return false, false
		}
		return *m.Ratio <= x, true
	}
}

// ratioAtLeast is met when ours/real >= x.
func ratioAtLeast(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.Ratio == nil {
			return false, false
		}
		return *m.Ratio >= x, true
	}
}

// floorRatioAtLeast is met when ours/floor >= x.
func floorRatioAtLeast(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.FloorRatio == nil {
			return false, false
		}
		return *m.FloorRatio >= x, true
	}
}

// floorRatioAtMost is met when ours/floor <= x (a time against the
// machine's floor).
func floorRatioAtMost(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.FloorRatio == nil {
			return false, false
		}
		return *m.FloorRatio <= x, true
	}
}

// oursAtMost is met when our median <= x.
func oursAtMost(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.Ours == nil || m.Ours.N == 0 {
			return false, false
		}
		return m.Ours.Median <= x, true
	}
}

// oursMaxAtMost is met when every sample of ours is <= x.
func oursMaxAtMost(x float64) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.Ours == nil || m.Ours.N == 0 {
			return false, false
		}
		return m.Ours.Max <= x, true
	}
}

// oursAtMostFloor is met when every sample of ours is at most the floor's
// smallest.
func oursAtMostFloor() func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		if m.Ours == nil || m.Ours.N == 0 || m.Floor == nil || m.Floor.N == 0 {
			return false, false
		}
		return m.Ours.Max <= m.Floor.Min, true
	}
}

// anyOf is met when one of the checks is met, and known when one is met
// or all are known.
func anyOf(checks ...func(m *Metric) (bool, bool)) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		all := true
		for _, c := range checks {
			met, known := c(m)
			if met && known {
				return true, true
			}
			all = all && known
		}
		return false, all
	}
}

// allOf is met when every check is met, and known when all are.
func allOf(checks ...func(m *Metric) (bool, bool)) func(m *Metric) (bool, bool) {
	return func(m *Metric) (bool, bool) {
		all := true
		for _, c := range checks {
			met, known := c(m)
			if !known {
				return false, false
			}
			all = all && met
		}
		return all, true
	}
}
