package main

import (
	"math"
	"sort"
)

// Summary is the summary of a set of samples.
type Summary struct {
	// N is the number of samples.
	N int `json:"n"`
	// Median is the median (the mean of the two middle samples for even N).
	Median float64 `json:"median"`
	// Min is the smallest sample.
	Min float64 `json:"min"`
	// Max is the largest sample.
	Max float64 `json:"max"`
	// Samples are the samples in the order they were taken.
	Samples []float64 `json:"samples"`
}

// summarize returns the summary of xs; N is 0 when xs is empty.
func summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return Summary{N: len(s), Median: percentile(s, 50), Min: s[0], Max: s[len(s)-1], Samples: append([]float64(nil), xs...)}
}

// percentile returns the p-th percentile (0..100) of the sorted samples s by
// linear interpolation between closest ranks; NaN when s is empty.
func percentile(s []float64, p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s) == 1 {
		return s[0]
	}
	r := p / 100 * float64(len(s)-1)
	lo := int(math.Floor(r))
	hi := int(math.Ceil(r))
	return s[lo] + (s[hi]-s[lo])*(r-float64(lo))
}

// sortedCopy returns xs sorted, leaving xs as it is.
func sortedCopy(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s
}

// mean returns the arithmetic mean of xs; NaN when xs is empty.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
