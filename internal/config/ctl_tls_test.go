package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadCtlTLS checks gsupervisor's [supervisorctl] TLS options:
// cafile, certfile and keyfile are expanded, resolved and must exist, and
// certfile and keyfile come together.
func TestLoadCtlTLS(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GSUP_TLS_DIR", dir)
	ctl, err := LoadCtl(writeConf(t, dir, "ok.conf", "[supervisorctl]\nserverurl=https://localhost:9443\n"+
		"cafile=%(here)s/ca.pem\ncertfile=%(ENV_GSUP_TLS_DIR)s/cert.pem\nkeyfile="+dir+"/sub/../key.pem\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ctl.CAFile != filepath.Join(dir, "ca.pem") || ctl.CertFile != filepath.Join(dir, "cert.pem") ||
		ctl.KeyFile != filepath.Join(dir, "key.pem") || ctl.ServerURL != "https://localhost:9443" {
		t.Errorf("ctl = %+v", ctl)
	}
	ctl, err = LoadCtl(writeConf(t, dir, "ca.conf", "[supervisorctl]\ncafile=ca.pem\n"))
	if err == nil {
		t.Errorf("relative cafile resolved against the cwd, not the file: %+v", ctl)
	}
	for name, c := range map[string]struct{ conf, want string }{
		"missing":   {"[supervisorctl]\ncafile=" + dir + "/nope.pem\n", "section [supervisorctl] cafile " + dir + "/nope.pem is not an existing file"},
		"dir":       {"[supervisorctl]\ncertfile=" + dir + "\nkeyfile=" + dir + "/key.pem\n", "section [supervisorctl] certfile " + dir + " is not an existing file"},
		"nokey":     {"[supervisorctl]\ncertfile=" + dir + "/cert.pem\n", "Section [supervisorctl] contains incomplete TLS settings"},
		"nocert":    {"[supervisorctl]\nkeyfile=" + dir + "/key.pem\n", "Section [supervisorctl] contains incomplete TLS settings"},
		"badexpand": {"[supervisorctl]\ncafile=%(nope)s\n", "contains names ('nope')"},
	} {
		_, err := LoadCtl(writeConf(t, dir, name+".conf", c.conf))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// Empty values mean none.
	ctl, err = LoadCtl(writeConf(t, dir, "empty.conf", "[supervisorctl]\ncafile=\ncertfile=\nkeyfile=\n"))
	if err != nil || ctl.CAFile != "" || ctl.CertFile != "" || ctl.KeyFile != "" {
		t.Errorf("empty: %+v, %v", ctl, err)
	}
}
