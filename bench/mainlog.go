package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"
)

// mainLogLayout is the timestamp both daemons put at the start of every
// main log line ("2024-01-02 15:04:05,678"), in local time.
const mainLogLayout = "2006-01-02 15:04:05,000"

// logTimes returns the timestamps of the main log lines of path that
// contain substr, in file order.
func logTimes(path, substr string) ([]time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open main log: %w", err)
	}
	defer f.Close()
	var out []time.Time
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < len(mainLogLayout) || !strings.Contains(line, substr) {
			continue
		}
		t, err := time.ParseInLocation(mainLogLayout, line[:len(mainLogLayout)], time.Local)
		if err != nil {
			continue // a continuation line of a multi-line message
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read main log %s: %w", path, err)
	}
	return out, nil
}

// lastLogTime returns the latest timestamp of the lines of path that
// contain substr, and how many such lines there are.
func lastLogTime(path, substr string) (time.Time, int, error) {
	ts, err := logTimes(path, substr)
	if err != nil {
		return time.Time{}, 0, err
	}
	if len(ts) == 0 {
		return time.Time{}, 0, fmt.Errorf("no %q line in %s", substr, path)
	}
	last := ts[0]
	for _, t := range ts {
		if t.After(last) {
			last = t
		}
	}
	return last, len(ts), nil
}
