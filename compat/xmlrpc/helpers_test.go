package xmlrpc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// mustJSON returns v as compact JSON.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// equalValue compares decoded values: NaN equals NaN (same bits), times by
// instant and zone offset, nil and empty []byte differ.
func equalValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case Struct:
		y, ok := b.(Struct)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i].Name != y[i].Name || !equalValue(x[i].Value, y[i].Value) {
				return false
			}
		}
		return true
	}
	return false
}

// show formats a value for failure messages.
func show(v any) string {
	switch x := v.(type) {
	case Struct:
		var parts []string
		for _, m := range x {
			parts = append(parts, fmt.Sprintf("%q: %s", m.Name, show(m.Value)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, show(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return fmt.Sprintf("%T(%#v)", v, v)
	}
}

// processInfo returns a getProcessInfo-like struct of 14 members, in
// Supervisor's order.
func processInfo(i int) Struct {
	name := fmt.Sprintf("worker_%03d", i)
	return Struct{
		{"name", name},
		{"group", "workers"},
		{"start", 1795236856},
		{"stop", 1795236855},
		{"now", 1795236900},
		{"state", 20},
		{"statename", "RUNNING"},
		{"spawnerr", ""},
		{"exitstatus", 0},
		{"logfile", "/var/log/supervisor/" + name + "-stdout---supervisor-yt5adtfv.log"},
		{"stdout_logfile", "/var/log/supervisor/" + name + "-stdout---supervisor-yt5adtfv.log"},
		{"stderr_logfile", "/var/log/supervisor/" + name + "-stderr---supervisor-8hacjup3.log"},
		{"pid", 12077 + i},
		{"description", fmt.Sprintf("pid %d, uptime 0:00:44", 12077+i)},
	}
}
