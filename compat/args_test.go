package compat

import (
	"math"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

func TestArgsInteger(t *testing.T) {
	for _, c := range []struct {
		in   any
		want int64
		ok   bool
	}{
		{int64(-30), -30, true},
		{true, 1, true},
		{false, 0, true},
		{10.9, 10, true},
		{-10.9, -10, true},
		{" 42 ", 42, true},
		{"+7", 7, true},
		{"1_000", 1000, true},
		{[]byte("12"), 12, true},
		{"_1", 0, false},
		{"1__0", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{1e300, 0, false},
		{nil, 0, false},
		{[]any{}, 0, false},
		{xmlrpc.Struct{}, 0, false},
	} {
		got, err := args{c.in}.integer(0)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("integer(%#v) = %d, %v; want %d, ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && faultOf(err).Code != int(faults.IncorrectParameters) {
			t.Errorf("integer(%#v): error %v is not INCORRECT_PARAMETERS", c.in, err)
		}
	}
}

func TestArgsFlag(t *testing.T) {
	for _, c := range []struct {
		in   args
		want bool
	}{
		{args{}, true}, // the default
		{args{true}, true},
		{args{false}, false},
		{args{int64(0)}, false},
		{args{int64(2)}, true},
		{args{0.0}, false},
		{args{""}, false},
		{args{"0"}, true}, // Python: bool("0") is True
		{args{[]byte{}}, false},
		{args{[]any{}}, false},
		{args{[]any{int64(1)}}, true},
		{args{xmlrpc.Struct{}}, false},
		{args{nil}, false},
		{args{time.Now()}, true},
	} {
		if got := c.in.flag(0, true); got != c.want {
			t.Errorf("flag(%#v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestArgsStrAndSignal(t *testing.T) {
	if s, err := (args{[]byte("grp:ga")}).str(0); err != nil || s != "grp:ga" {
		t.Errorf("str(base64) = %q, %v", s, err)
	}
	if _, err := (args{int64(5)}).str(0); err == nil {
		t.Errorf("str(5) succeeded")
	}
	for _, c := range []struct {
		in   any
		want string
		ok   bool
	}{
		{"HUP", "HUP", true},
		{int64(10), "10", true},
		{true, "1", true},
		{9.7, "9", true},
		{[]any{}, "", false},
	} {
		got, err := args{c.in}.signal(0)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("signal(%#v) = %q, %v", c.in, got, err)
		}
	}
}

func TestPyRepr(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{int64(5), "5"},
		{true, "True"},
		{nil, "None"},
		{1.5, "1.5"},
		{2.0, "2.0"},
		{1e16, "1e+16"},
		{0.00001, "1e-05"},
		{math.Inf(-1), "-inf"},
		{"it's", `"it's"`},
		{`a'b"c`, `'a\'b"c'`},
		{"tab\there\x01", `'tab\there\x01'`},
		{[]any{int64(1), "a"}, "[1, 'a']"},
		{xmlrpc.Struct{{Name: "k", Value: false}}, "{'k': False}"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "datetime.datetime(2024, 1, 2, 3, 4, 5)"},
		{[]byte("b"), "'b'"},
		{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "datetime.datetime(2024, 1, 2, 0, 0)"},
	} {
		if got := pyRepr(c.in); got != c.want {
			t.Errorf("pyRepr(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := pyStr("plain"); got != "plain" {
		t.Errorf("pyStr(string) = %q", got)
	}
	if got := pyStr(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2024-01-02 03:04:05" {
		t.Errorf("pyStr(datetime) = %q", got)
	}
	if got := pyStr([]any{"x"}); got != "['x']" {
		t.Errorf("pyStr(list) = %q", got)
	}
}

func TestGroupForm(t *testing.T) {
	for name, want := range map[string]bool{"grp:*": true, "grp:": true, "grp": false, "grp:ga": false, ":": true, "a:b:*": false} {
		if groupForm(name) != want {
			t.Errorf("groupForm(%q) = %v", name, !want)
		}
	}
}
