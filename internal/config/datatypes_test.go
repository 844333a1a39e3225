package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"syscall"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// goConverters render a datatype's result the way the Python side of
// TestDatatypesMatchPython does.
var goConverters = map[string]func(string) (string, error){
	"integer": func(s string) (string, error) {
		v, err := integer(s)
		return fmt.Sprint(v), err
	},
	"boolean": func(s string) (string, error) {
		v, err := boolean(s)
		return fmt.Sprint(v), err
	},
	"byte_size": func(s string) (string, error) {
		v, err := byteSize(s)
		return fmt.Sprint(v), err
	},
	"octal_type": func(s string) (string, error) {
		v, err := octalType(s)
		return fmt.Sprint(v), err
	},
	"signal_number": func(s string) (string, error) {
		v, err := signalNumber(s)
		return fmt.Sprint(int(v)), err
	},
	"list_of_exitcodes": func(s string) (string, error) {
		v, err := listOfExitcodes(s)
		return fmt.Sprint(v), err
	},
	"auto_restart": func(s string) (string, error) {
		v, err := autoRestart(s)
		return autorestartText(v), err
	},
	"process_or_group_name": func(s string) (string, error) {
		return processOrGroupName(s)
	},
	"logging_level": func(s string) (string, error) {
		v, err := loggingLevel(s)
		return fmt.Sprint(int(v)), err
	},
	"inet_address": func(s string) (string, error) {
		h, p, err := inetAddress(s)
		return fmt.Sprintf("%s|%d", h, p), err
	},
	"logfile_name": func(s string) (string, error) {
		k, p, err := logfileName(s)
		switch k {
		case logfileNone:
			return "NONE", err
		case logfileAuto:
			return "AUTO", err
		case logfileSyslog:
			return "SYSLOG", err
		}
		return p, err
	},
	"existing_directory": existingDirectory,
	"existing_dirpath":   existingDirpath,
	"name_to_uid": func(s string) (string, error) {
		u, err := lookupUser(s)
		if err != nil {
			return "", err
		}
		return fmt.Sprint(u.UID), nil
	},
	"name_to_gid": func(s string) (string, error) {
		v, err := lookupGroup(s)
		return fmt.Sprint(v), err
	},
	"colon_separated_user_group": func(s string) (string, error) {
		u, g, err := colonSeparatedUserGroup(s)
		return fmt.Sprintf("%d|%d", u, g), err
	},
	"list_of_strings": func(s string) (string, error) {
		v := listOfStrings(s)
		if v == nil {
			v = []string{}
		}
		b, _ := json.Marshal(v)
		return string(b), nil
	},
}

var datatypeCases = map[string][]string{
	"integer":    {"1", " 2 ", "+3", "-4", "1_000", "_1", "1_", "1__0", "010", "0x10", "1.5", "", "abc", "٣", "1٢3", "𝟗"},
	"boolean":    {"yes", "TRUE", "On", "1", "no", "False", "OFF", "0", "maybe", "", " true"},
	"byte_size":  {"1024", "1KB", "1kb", "10MB", "1GB", "1 MB", "0", "-1", "5B", "1.5MB", "abc", "MB", "kb1", " 2 gb", "1_0KB"},
	"octal_type": {"022", "0o22", "0O7", "777", "8", "abc", "", "-7", "0o_7", "7_7", " 7 ", "0x7"},
	"signal_number": {"TERM", "term", "SIGTERM", " hup ", "9", "0", "65", "35", "FOO", "", "sig_dfl", "_IGN", "SIGBLOCK",
		"-1", "rtmin", "RTMAX", "cld", "poll", "+15", "1_5", "SIG"},
	"list_of_exitcodes":     {"0", "0,2", "0, 2", "", "256", "-1", "a", "0,", " 1 ,2 ", "1_0"},
	"auto_restart":          {"true", "FALSE", "Unexpected", "yes", "0", "Maybe", ""},
	"process_or_group_name": {"foo", " foo ", "foo bar", "a:b", "a/b", "a\tb", "a : b/c", ""},
	"logging_level":         {"critical", "ERROR", "warn", "Info", "debug", "trace", "blather", "warning", ""},
	"inet_address": {"9001", "127.0.0.1:9001", "*:9001", ":9001", "0", "70000", "host:", "Host:1", "abc", "[::1]:80",
		"a:b:1", "h:0", "h:x"},
	"logfile_name": {"NONE", "none", "Off", "AUTO", "auto", "syslog", "SysLog", "/tmp/x.log", "/nonexistent-gsup/x.log",
		"relative.log", "", "~/x.log", "/"},
	"existing_directory":         {"/tmp", "/nonexistent-gsup", "~", "", "/tmp/"},
	"existing_dirpath":           {"/tmp/x", "/nonexistent-gsup/x", "x", "", "~/x", "/x"},
	"name_to_uid":                {"root", "0", "nobody", "65534", " 0 ", "nosuchuser-gsup", "987654", "-1", ""},
	"name_to_gid":                {"root", "0", "nogroup", "nosuchgroup-gsup", "987654"},
	"colon_separated_user_group": {"root", "root:root", "0:0", "nobody:nogroup", "nosuch-gsup", "root:nosuch-gsup", "root:", ":root", ""},
	"list_of_strings":            {"", "a", "a, b ,c", ",", " "},
}

// TestDatatypesMatchPython runs every case through Supervisor's datatypes
// module and through ours, comparing results and error texts.
func TestDatatypesMatchPython(t *testing.T) {
	testutil.RequirePython(t)
	t.Setenv("HOME", t.TempDir())
	type item struct {
		Fn, In string
	}
	var items []item
	names := make([]string, 0, len(datatypeCases))
	for n := range datatypeCases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, in := range datatypeCases[n] {
			items = append(items, item{n, in})
		}
	}
	data, _ := json.Marshal(items)
	script := `
import json, sys
from supervisor import datatypes
def render(fn, v):
    if fn == "auto_restart":
        return {datatypes.RestartUnconditionally: "true", False: "false",
                datatypes.RestartWhenExitUnexpected: "unexpected"}[v]
    if fn == "logfile_name":
        if v is None: return "NONE"
        if v is datatypes.Automatic: return "AUTO"
        if v is datatypes.Syslog: return "SYSLOG"
        return v
    if fn == "boolean": return str(v).lower()
    if fn == "list_of_exitcodes": return "[" + " ".join(str(x) for x in v) + "]"
    if fn in ("inet_address", "colon_separated_user_group"): return "%s|%s" % v
    if fn == "list_of_strings": return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v)
out = []
for it in json.load(sys.stdin):
    try:
        out.append({"ok": render(it["Fn"], getattr(datatypes, it["Fn"])(it["In"]))})
    except Exception as e:
        out.append({"err": str(e)})
json.dump(out, sys.stdout)
`
	var want []map[string]string
	testutil.RunPythonJSON(t, script, json.RawMessage(data), &want)
	for i, it := range items {
		got, err := goConverters[it.Fn](it.In)
		w := want[i]
		if werr, isErr := w["err"]; isErr {
			if err == nil {
				t.Errorf("%s(%q) = %q, python error %q", it.Fn, it.In, got, werr)
			} else if err.Error() != werr {
				t.Errorf("%s(%q) error %q, python %q", it.Fn, it.In, err.Error(), werr)
			}
			continue
		}
		if err != nil || got != w["ok"] {
			t.Errorf("%s(%q) = %q, %v; python %q", it.Fn, it.In, got, err, w["ok"])
		}
	}
}

func TestDatatypeErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"integer", second(integer("abc")), "invalid literal for int() with base 10: 'abc'"},
		{"boolean", second(boolean("maybe")), "not a valid boolean value: 'maybe'"},
		{"byte_size", second(byteSize("1.5MB")), "invalid literal for int() with base 10: '1.5'"},
		{"octal", second(octalType("8")), "8 can not be converted to an octal type"},
		{"signal name", second(signalNumber("FOO")), "value 'FOO' is not a valid signal name"},
		{"signal number", second(signalNumber("65")), "value '65' is not a valid signal number"},
		{"exitcodes", second(listOfExitcodes("256")), "not a valid list of exit codes: '256'"},
		{"autorestart", second(autoRestart("Maybe")), "invalid 'autorestart' value 'maybe'"},
		{"name", second(processOrGroupName("a b")), "Invalid name: 'a b' because of character: ' '"},
		{"loglevel", second(loggingLevel("warning")), "bad logging level name 'warning'"},
		{"dir", second(existingDirectory("/nonexistent-gsup")), "/nonexistent-gsup is not an existing directory"},
		{"dirpath", second(existingDirpath("/nonexistent-gsup/x")), "The directory named as part of the path /nonexistent-gsup/x does not exist"},
		{"port", third(inetAddress("0")), "not a valid port number: '0' "},
		{"port low", third(inetAddress("h:0")), "0 is below lower bound (1)"},
		{"port high", third(inetAddress("h:70000")), "70000 is above upper bound (65535)"},
		{"port empty", third(inetAddress("h:")), "no port number specified in ''"},
		{"user", second(lookupUser("nosuchuser-gsup")), "Invalid user name nosuchuser-gsup"},
		{"uid", second(lookupUser("987654")), "Invalid user id 987654"},
		{"gid", second(lookupGroup("987654")), "Invalid group id 987654"},
		{"group", second(lookupGroup("nosuchgroup-gsup")), "Invalid group name nosuchgroup-gsup"},
		{"user:group", third(colonSeparatedUserGroup("root:nosuchgroup-gsup")), "Invalid user:group definition root:nosuchgroup-gsup"},
	}
	for _, c := range cases {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

func TestDatatypeValues(t *testing.T) {
	// Python's integers are unbounded; ours refuse what does not fit.
	if _, err := integer("99999999999999999999"); err == nil || err.Error() != "integer value '99999999999999999999' is out of range" {
		t.Errorf("huge integer: %v", err)
	}
	if v, _ := byteSize("1 MB"); v != 1<<20 {
		t.Errorf("1 MB = %d", v)
	}
	if v, _ := byteSize("2gb"); v != 2<<30 {
		t.Errorf("2gb = %d", v)
	}
	if v, _ := octalType("0o27"); v != 0o27 {
		t.Errorf("0o27 = %o", v)
	}
	if v, _ := listOfExitcodes("0, 2"); !reflect.DeepEqual(v, []int{0, 2}) {
		t.Errorf("exitcodes = %v", v)
	}
	if v, _ := listOfExitcodes(""); v == nil || len(v) != 0 {
		t.Errorf("empty exitcodes = %#v", v)
	}
	if h, p, _ := inetAddress("*:9001"); h != "" || p != 9001 {
		t.Errorf("*:9001 = %q %d", h, p)
	}
	if h, p, _ := inetAddress("LocalHost:1"); h != "localhost" || p != 1 {
		t.Errorf("LocalHost:1 = %q %d", h, p)
	}
	if v, _ := processOrGroupName("  x "); v != "x" {
		t.Errorf("name = %q", v)
	}
	u, err := lookupUser("root")
	if err != nil || u.UID != 0 || u.GID != 0 || u.Name != "root" {
		t.Errorf("root = %+v, %v", u, err)
	}
}

func TestParseSignal(t *testing.T) {
	ok := map[string]syscall.Signal{
		"TERM": syscall.SIGTERM, "sigterm": syscall.SIGTERM, " hup ": syscall.SIGHUP, "9": syscall.SIGKILL,
		"0": 0, "Kill": syscall.SIGKILL, "usr2": syscall.SIGUSR2, "SIGRTMIN": 34, "64": 64, "IOT": syscall.SIGABRT,
	}
	for in, want := range ok {
		got, err := ParseSignal(in)
		if err != nil || got != want {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"FOO": "value 'FOO' is not a valid signal name",
		"65":  "value '65' is not a valid signal number",
		"33":  "value '33' is not a valid signal number",
		"-1":  "value '-1' is not a valid signal number",
		"":    "value '' is not a valid signal name",
	} {
		_, err := ParseSignal(in)
		if err == nil || err.Error() != msg {
			t.Errorf("ParseSignal(%q) error %v, want %q", in, err, msg)
		}
		if _, ok := err.(*Error); !ok {
			t.Errorf("ParseSignal(%q) error is %T", in, err)
		}
	}
}

func TestSignalName(t *testing.T) {
	for sig, want := range map[syscall.Signal]string{
		syscall.SIGTERM: "SIGTERM", syscall.SIGKILL: "SIGKILL", 6: "SIGABRT", 17: "SIGCHLD", 29: "SIGPOLL",
		0: "signal 0", 32: "signal 32", 34: "SIGRTMIN", 64: "SIGRTMAX", 65: "signal 65",
	} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %q, want %q", sig, got, want)
		}
	}
}

// TestSignalNamesMatchPython compares SignalName with Supervisor's signame.
func TestSignalNamesMatchPython(t *testing.T) {
	var want []string
	testutil.RunPythonJSON(t, "import json, sys; from supervisor.options import signame; json.dump([signame(i) for i in range(70)], sys.stdout)", nil, &want)
	for i, w := range want {
		if got := SignalName(syscall.Signal(i)); got != w {
			t.Errorf("SignalName(%d) = %q, python %q", i, got, w)
		}
	}
}

func TestExpandUser(t *testing.T) {
	t.Setenv("HOME", "/home/gsup/")
	for in, want := range map[string]string{
		"~": "/home/gsup", "~/x": "/home/gsup/x", "x/~": "x/~", "~root/x": "/root/x",
		"~nosuchuser-gsup/x": "~nosuchuser-gsup/x", "": "",
	} {
		if got := expandUser(in); got != want {
			t.Errorf("expandUser(%q) = %q, want %q", in, got, want)
		}
	}
	t.Setenv("HOME", "/")
	if got := expandUser("~"); got != "/" {
		t.Errorf("expandUser(~) with HOME=/ = %q", got)
	}
}

// TestGlobMatchesPython compares pyGlob with glob.glob on a tree with
// hidden files, brackets and sub-directories.
func TestGlobMatchesPython(t *testing.T) {
	testutil.RequirePython(t)
	dir := t.TempDir()
	for _, f := range []string{"a.conf", "b.conf", "c.ini", ".h.conf", "[x].conf", "x", "d/e.conf", "d/.f.conf",
		".g/h.conf", "ab-c.conf", "!.conf", "]x.conf", "é.conf"} {
		writeConf(t, dir, f, "")
	}
	patterns := []string{"*.conf", "*", ".*", "[!a]*.conf", "[ab].conf", "[a-b].conf", "[b-a].conf", "[!b-a]*",
		"[.conf", "[[]x].conf", "[]]x.conf", "[!]]*.conf", "*/*.conf", "*/.*", ".*/*", "?.conf", "d", "d/",
		"nomatch*", "a.conf", "nosuch.conf", "[a-]*.conf", "[-a]*", "*[!.]conf", "[é].conf", "**/*.conf", "*.c*"}
	var full []string
	for _, p := range patterns {
		full = append(full, filepath.Join(dir, p))
	}
	in, _ := json.Marshal(full)
	var want [][]string
	testutil.RunPythonJSON(t, "import glob, json, sys; json.dump([sorted(glob.glob(p)) for p in json.load(sys.stdin)], sys.stdout)", json.RawMessage(in), &want)
	for i, p := range full {
		got := pyGlob(p)
		sort.Strings(got)
		if len(got) == 0 && len(want[i]) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("pyGlob(%s) = %q, python %q", patterns[i], got, want[i])
		}
	}
}

func TestPyPathHelpers(t *testing.T) {
	for in, want := range map[string][2]string{
		"/a/b": {"/a", "b"}, "a": {"", "a"}, "/a": {"/", "a"}, "a/b/": {"a/b", ""}, "//x": {"//", "x"},
	} {
		h, tl := pySplit(in)
		if h != want[0] || tl != want[1] {
			t.Errorf("pySplit(%q) = %q, %q", in, h, tl)
		}
	}
	for in, want := range map[string]string{"/usr/bin/x": "/usr/bin", "x": "", "/x": "/", "a//b": "a", "///": "///"} {
		if got := pyDirname(in); got != want {
			t.Errorf("pyDirname(%q) = %q, want %q", in, got, want)
		}
	}
	if got := pyJoin("/a", "/b"); got != "/b" {
		t.Errorf("pyJoin abs = %q", got)
	}
	if got := pyJoin("", "b"); got != "b" {
		t.Errorf("pyJoin empty = %q", got)
	}
}

func TestPyTempDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	if got := pyTempDir("/"); got != dir {
		t.Errorf("pyTempDir = %q, want %q", got, dir)
	}
	t.Setenv("TMPDIR", filepath.Join(dir, "missing"))
	t.Setenv("TEMP", "")
	t.Setenv("TMP", "")
	if got := pyTempDir("/"); got != "/tmp" {
		t.Errorf("pyTempDir fallback = %q", got)
	}
	_ = os.Remove(dir)
}
