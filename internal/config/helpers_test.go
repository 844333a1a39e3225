package config

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// pythonDump runs testdata/dump_config.py on the files and returns one
// decoded result per file.
func pythonDump(t *testing.T, paths ...string) []map[string]any {
	t.Helper()
	script, err := filepath.Abs("testdata/dump_config.py")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testutil.Python, append([]string{script}, paths...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dump_config.py: %v", err)
	}
	var res []map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("dump_config.py output: %v\n%s", err, out)
	}
	if len(res) != len(paths) {
		t.Fatalf("dump_config.py returned %d results for %d files", len(res), len(paths))
	}
	return res
}

func kindName(k Kind) string {
	switch k {
	case KindEventListener:
		return "eventlistener"
	case KindFCGIProgram:
		return "fcgi-program"
	}
	return "program"
}

// goDump renders a Config in dump_config.py's shape.
func goDump(t *testing.T, cfg *Config) map[string]any {
	t.Helper()
	sd := cfg.Supervisord
	var uid any
	if sd.User != nil {
		uid = sd.User.UID
	}
	out := map[string]any{
		"supervisord": map[string]any{
			"logfile":          sd.Logfile,
			"logfile_maxbytes": sd.LogfileMaxBytes,
			"logfile_backups":  sd.LogfileBackups,
			"loglevel":         int(sd.LogLevel),
			"pidfile":          sd.Pidfile,
			"umask":            sd.Umask,
			"nodaemon":         sd.Nodaemon,
			"silent":           sd.Silent,
			"minfds":           sd.Minfds,
			"minprocs":         sd.Minprocs,
			"nocleanup":        sd.Nocleanup,
			"childlogdir":      sd.ChildLogDir,
			"uid":              uid,
			"directory":        sd.Directory,
			"strip_ansi":       sd.StripANSI,
			"environment":      sd.Environment,
			"identifier":       sd.Identifier,
		},
		"rpcinterfaces": orEmpty(cfg.RPCInterfaces),
	}
	servers := []any{}
	for _, s := range cfg.InetHTTPServers {
		servers = append(servers, map[string]any{
			"section": s.Section, "host": s.Host, "port": s.Port, "username": s.Username, "password": s.Password,
		})
	}
	for _, s := range cfg.UnixHTTPServers {
		servers = append(servers, map[string]any{
			"section": s.Section, "file": s.File, "chmod": s.Chmod, "chown": []int{s.ChownUID, s.ChownGID},
			"username": s.Username, "password": s.Password,
		})
	}
	out["servers"] = servers
	groups := []any{}
	for _, g := range cfg.Groups {
		gm := map[string]any{"name": g.Name, "kind": kindName(g.Kind), "priority": g.Priority}
		procs := []any{}
		for _, p := range g.Processes {
			var puid, umask any
			if p.User != nil {
				puid = p.User.UID
			}
			if p.Umask != nil {
				umask = *p.Umask
			}
			pm := map[string]any{
				"name": p.Name, "kind": kindName(p.Kind), "command": p.Command, "priority": p.Priority,
				"autostart": p.Autostart, "autorestart": autorestartText(p.Autorestart),
				"startsecs": p.StartSecs, "startretries": p.StartRetries, "exitcodes": p.ExitCodes,
				"stopsignal": int(p.StopSignal), "stopwaitsecs": p.StopWaitSecs,
				"stopasgroup": p.StopAsGroup, "killasgroup": p.KillAsGroup, "uid": puid,
				"redirect_stderr": p.RedirectStderr, "environment": p.Environment,
				"directory": p.Directory, "umask": umask, "serverurl": p.ServerURL,
			}
			for name, c := range map[string]LogConfig{"stdout": p.Stdout, "stderr": p.Stderr} {
				pm[name] = map[string]any{
					"logfile": c.Logfile, "maxbytes": c.MaxBytes, "backups": c.Backups,
					"capture_maxbytes": c.CaptureMaxBytes, "events_enabled": c.EventsEnabled, "syslog": c.Syslog,
				}
			}
			procs = append(procs, pm)
		}
		gm["processes"] = procs
		if g.Pool != nil {
			gm["pool"] = map[string]any{"events": g.Pool.Events, "buffer_size": g.Pool.BufferSize}
		}
		if g.Kind == KindFCGIProgram && len(g.Processes) > 0 {
			fs := g.Processes[0].FCGI
			gm["socket"] = map[string]any{
				"url": fs.URL, "backlog": fs.Backlog, "owner": []int{fs.OwnerUID, fs.OwnerGID}, "mode": fs.Mode,
			}
		}
		groups = append(groups, gm)
	}
	out["groups"] = groups
	warnings, infos := []string{}, []string{}
	for _, m := range cfg.Messages {
		switch m.Level {
		case LevelWarn:
			warnings = append(warnings, m.Text)
		case LevelInfo:
			infos = append(infos, m.Text)
		}
	}
	out["warnings"] = warnings
	out["infos"] = infos
	// Normalise through JSON so that both sides have the same types.
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var norm map[string]any
	if err := json.Unmarshal(data, &norm); err != nil {
		t.Fatal(err)
	}
	return norm
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// jsonDiff lists the differences between two decoded JSON values.
func jsonDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want object %v, got %v", path, want, got)}
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		var sorted []string
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var out []string
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !wok:
				out = append(out, fmt.Sprintf("%s.%s: unexpected %v", path, k, gv))
			case !gok:
				out = append(out, fmt.Sprintf("%s.%s: missing (want %v)", path, k, wv))
			default:
				out = append(out, jsonDiff(path+"."+k, wv, gv)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %v, got %v", path, want, got)}
		}
		var out []string
		for i := range w {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: want %#v, got %#v", path, want, got)}
	}
	return nil
}

// writeConf writes a configuration into dir and returns its path.
func writeConf(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// minimal is a [supervisord] section whose paths exist, for inline configs.
const minimal = "[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\n"

// mustLoad loads a configuration and fails the test on error.
func mustLoad(t *testing.T, path string) *Config {
	t.Helper()
	cfg, err := Load(path, Overrides{})
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return cfg
}

// loadErr loads a configuration that must fail and returns the message.
func loadErr(t *testing.T, path string) string {
	t.Helper()
	_, err := Load(path, Overrides{})
	if err == nil {
		t.Fatalf("Load(%s) succeeded, want an error", path)
	}
	var ce *Error
	if !asConfigError(err, &ce) {
		t.Fatalf("Load(%s) error %T %v is not *Error", path, err, err)
	}
	return err.Error()
}

func asConfigError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}

func procNames(g GroupConfig) string {
	var names []string
	for _, p := range g.Processes {
		names = append(names, p.Name)
	}
	return strings.Join(names, ",")
}

func groupNames(cfg *Config) string {
	var names []string
	for _, g := range cfg.Groups {
		names = append(names, g.Name)
	}
	return strings.Join(names, ",")
}
