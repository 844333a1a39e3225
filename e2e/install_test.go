//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// repoMake runs make in the repository with args, bounded by limit.
func repoMake(t *testing.T, limit time.Duration, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("needs make")
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", append([]string{"--no-print-directory", "-C", ".."}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// installedDaemon runs an installed supervisord in the foreground on an
// installed configuration, as the systemd unit does.
func installedDaemon(t *testing.T, bin, conf, sock string) *daemon {
	t.Helper()
	d := &daemon{t: t, dir: filepath.Dir(conf), conf: conf, sock: sock, out: &testutil.Buffer{}, exited: make(chan struct{})}
	d.cmd = exec.Command(bin, "-n", "-c", conf)
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	d.cmd.SysProcAttr = testutil.DaemonAttr()
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.cmd.Wait(); close(d.exited) }()
	t.Cleanup(d.stop)
	return d
}

// ctlStatus polls the installed supervisorctl until status of name shows
// state.
func ctlStatus(t *testing.T, d *daemon, ctl, conf, name, state string) {
	t.Helper()
	testutil.Eventually(t, name+" "+state+" through the installed ctl", func() bool {
		select {
		case <-d.exited:
			t.Fatalf("the installed daemon exited:\n%s", d.out)
		default:
		}
		r, err := gcRunErr(ctl, "", "-c", conf, "status", name)
		return err == nil && strings.Contains(r.stdout, state)
	})
}

// TestMakeInstall: make install puts the four programs, the systemd unit
// and a Debian-style /etc/supervisor in place (here under a temporary
// PREFIX, SYSCONFDIR, …); the installed daemon runs on the installed
// configuration with a conf.d program, the installed ctl controls it and
// reloads it as the unit does, a second install keeps an edited
// configuration, and DESTDIR stages the same files for the final paths.
func TestMakeInstall(t *testing.T) {
	root := testutil.ShortTempDir(t)
	vars := []string{"PREFIX=" + root + "/usr", "SYSCONFDIR=" + root + "/etc", "RUNSTATEDIR=" + root + "/run",
		"LOGDIR=" + root + "/log", "UNITDIR=" + root + "/usr/lib/systemd/system"}
	repoMake(t, 10*time.Minute, append([]string{"install"}, vars...)...)
	for _, p := range []string{"supervisord", "supervisorctl", "echo_supervisord_conf", "pidproxy"} {
		if st, err := os.Stat(filepath.Join(root, "usr/bin", p)); err != nil || st.Mode().Perm() != 0o755 {
			t.Errorf("%s not installed executable: %v", p, err)
		}
	}
	unit := filepath.Join(root, "usr/lib/systemd/system/supervisord.service")
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ExecStart=" + root + "/usr/bin/supervisord -n -c " + root + "/etc/supervisor/supervisord.conf\n",
		"ExecReload=" + root + "/usr/bin/supervisorctl -c " + root + "/etc/supervisor/supervisord.conf reload\n",
		"Type=notify\n", "KillMode=mixed\n", "Restart=on-failure\n", "Alias=supervisor.service\n",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("unit lacks %q:\n%s", want, b)
		}
	}
	t.Run("systemd-analyze", func(t *testing.T) {
		if _, err := exec.LookPath("systemd-analyze"); err != nil {
			t.Skip("systemd-analyze is not installed (Debian package systemd)")
		}
		cmd := exec.Command("systemd-analyze", "verify", "./supervisord.service")
		cmd.Dir = filepath.Dir(unit)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	})

	conf := filepath.Join(root, "etc/supervisor/supervisord.conf")
	os.MkdirAll(filepath.Join(root, "run"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/supervisor/conf.d/app.conf"), []byte("[program:app]\ncommand=sleep 100004\n"), 0o644)
	ctl := filepath.Join(root, "usr/bin/supervisorctl")
	d := installedDaemon(t, filepath.Join(root, "usr/bin/supervisord"), conf, filepath.Join(root, "run/supervisor.sock"))
	ctlStatus(t, d, ctl, conf, "app", "RUNNING")
	if r := gcRun(t, ctl, "", "-c", conf, "reload"); r.code != 0 || r.stdout != "Restarted supervisord\n" {
		t.Errorf("ctl reload: %+v", r)
	}
	ctlStatus(t, d, ctl, conf, "app", "RUNNING")
	if _, err := os.Stat(filepath.Join(root, "log/supervisord.log")); err != nil {
		t.Errorf("no main log in LOGDIR: %v", err)
	}
	d.stop()

	// A second install keeps the edited configuration.
	confBody, _ := os.ReadFile(conf)
	os.WriteFile(conf, append(confBody, "; edited\n"...), 0o644)
	out := repoMake(t, 10*time.Minute, append([]string{"install-files"}, vars...)...)
	if after, _ := os.ReadFile(conf); !strings.HasSuffix(string(after), "; edited\n") || !strings.Contains(out, "keeping the existing") {
		t.Errorf("reinstall replaced the configuration:\n%s", out)
	}

	// DESTDIR: the same files, staged for their final places.
	dest := t.TempDir()
	repoMake(t, 10*time.Minute, "install-files", "DESTDIR="+dest, "PREFIX=/usr")
	stagedUnit, err := os.ReadFile(filepath.Join(dest, "usr/lib/systemd/system/supervisord.service"))
	if err != nil || !strings.Contains(string(stagedUnit), "ExecStart=/usr/bin/supervisord -n -c /etc/supervisor/supervisord.conf\n") {
		t.Errorf("staged unit: %v\n%s", err, stagedUnit)
	}
	stagedConf, err := os.ReadFile(filepath.Join(dest, "etc/supervisor/supervisord.conf"))
	if err != nil || !strings.Contains(string(stagedConf), "files = /etc/supervisor/conf.d/*.conf\n") ||
		!strings.Contains(string(stagedConf), "file=/var/run/supervisor.sock ") {
		t.Errorf("staged configuration: %v\n%s", err, stagedConf)
	}
	if _, err := os.Stat(filepath.Join(dest, "usr/bin/pidproxy")); err != nil {
		t.Error(err)
	}
}

// fakeSupervisorDeb builds a stand-in for Debian's supervisor package: it
// owns /usr/bin/supervisord and the conffile /etc/supervisor/supervisord.conf.
func fakeSupervisorDeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	for name, body := range map[string]string{
		"DEBIAN/control":                   "Package: supervisor\nVersion: 4.2.5-1\nArchitecture: all\nMaintainer: test <test@localhost>\nDescription: stand-in for Debian's supervisor\n",
		"DEBIAN/conffiles":                 "/etc/supervisor/supervisord.conf\n",
		"usr/bin/supervisord":              "#!/bin/sh\necho 'the python supervisord'\n",
		"etc/supervisor/supervisord.conf":  "[supervisord]\n[include]\nfiles = /etc/supervisor/conf.d/*.conf\n",
		"etc/supervisor/conf.d/.placehold": "",
	} {
		p := filepath.Join(tree, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o755)
	}
	os.Remove(filepath.Join(tree, "etc/supervisor/conf.d/.placehold"))
	deb := filepath.Join(dir, "supervisor_4.2.5-1_all.deb")
	if out, err := exec.Command("dpkg-deb", "--root-owner-group", "-b", tree, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -b: %v\n%s", err, out)
	}
	return deb
}

// TestMakeDist: make dist builds a release archive and a .deb for this
// architecture, with checksums. The .deb declares that it replaces
// Debian's supervisor; installed into a throwaway root that holds a
// stand-in supervisor package and a conf.d file, it removes supervisor,
// keeps conf.d, and its daemon runs there under its ctl.
func TestMakeDist(t *testing.T) {
	for _, tool := range []string{"dpkg", "dpkg-deb", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	dist := t.TempDir()
	repoMake(t, 20*time.Minute, "dist", "DISTDIR="+dist, "DIST_ARCHES="+runtime.GOARCH)
	debs, _ := filepath.Glob(filepath.Join(dist, "gsupervisor_*_"+runtime.GOARCH+".deb"))
	tars, _ := filepath.Glob(filepath.Join(dist, "gsupervisor-*-linux-"+runtime.GOARCH+".tar.gz"))
	if len(debs) != 1 || len(tars) != 1 {
		t.Fatalf("dist holds %v %v", debs, tars)
	}
	sums := exec.Command("sha256sum", "-c", "SHA256SUMS")
	sums.Dir = dist
	if out, err := sums.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out)
	}
	out, err := exec.Command("tar", "-tzf", tars[0]).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/usr/local/bin/supervisord\n", "/usr/local/bin/pidproxy\n", "/usr/local/lib/systemd/system/supervisord.service\n", "/etc/supervisor/supervisord.conf\n", "/README.md\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("archive lacks %s:\n%s", want, out)
		}
	}

	info, err := exec.Command("dpkg-deb", "-I", debs[0]).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{" Package: gsupervisor\n", " Provides: supervisor\n", " Conflicts: supervisor\n", " Replaces: supervisor\n", " Architecture: " + runtime.GOARCH + "\n", "conffiles", "postinst"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("dpkg-deb -I lacks %q:\n%s", want, info)
		}
	}
	if !regexp.MustCompile(`\n Version: [0-9]`).Match(info) {
		t.Errorf("the Debian version does not start with a digit:\n%s", info)
	}
	contents, err := exec.Command("dpkg-deb", "-c", debs[0]).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"./usr/bin/supervisord\n", "./usr/bin/supervisorctl\n", "./usr/bin/echo_supervisord_conf\n", "./usr/bin/pidproxy\n",
		"./lib/systemd/system/supervisord.service\n", "./etc/supervisor/supervisord.conf\n", "./etc/supervisor/conf.d/\n", "./var/log/supervisor/\n"} {
		if !strings.Contains(string(contents), want) {
			t.Errorf("dpkg-deb -c lacks %s:\n%s", want, contents)
		}
	}

	// A throwaway root with the stand-in supervisor and a user's conf.d.
	root := testutil.ShortTempDir(t)
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "run"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), nil, 0o644)
	dpkg := func(args ...string) string {
		t.Helper()
		// Scripts run outside the root with DPKG_ROOT set: ours then
		// touch nothing of this machine's.
		cmd := exec.Command("dpkg", append([]string{"--root=" + root, "--force-not-root", "--force-script-chrootless", "--log=/dev/null"}, args...)...)
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("dpkg %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	dpkg("-i", fakeSupervisorDeb(t))
	app := filepath.Join(root, "etc/supervisor/conf.d/app.conf")
	os.WriteFile(app, []byte("[program:app]\ncommand=sleep 100005\n"), 0o644)
	if out := dpkg("-i", debs[0]); !strings.Contains(out, "will remove supervisor in favour of gsupervisor") {
		t.Errorf("dpkg -i did not replace supervisor:\n%s", out)
	}
	status := dpkg("-l")
	// supervisor is removed, its configuration files stay ("c").
	if !strings.Contains(status, "\nii  gsupervisor ") || !regexp.MustCompile(`\n.c  supervisor `).MatchString(status) {
		t.Errorf("dpkg -l:\n%s", status)
	}
	if b, _ := os.ReadFile(app); !strings.Contains(string(b), "sleep 100005") {
		t.Fatal("conf.d/app.conf is gone")
	}

	// The installed daemon, on the installed configuration moved into the
	// root, runs the conf.d program; the installed ctl controls it.
	b, err := os.ReadFile(filepath.Join(root, "etc/supervisor/supervisord.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(root, "supervisord.conf")
	moved := strings.NewReplacer("/var/run/", root+"/run/", "/var/log/", root+"/var/log/", "/etc/supervisor/", root+"/etc/supervisor/").Replace(string(b))
	os.WriteFile(conf, []byte(moved), 0o644)
	ctl := filepath.Join(root, "usr/bin/supervisorctl")
	d := installedDaemon(t, filepath.Join(root, "usr/bin/supervisord"), conf, filepath.Join(root, "run/supervisor.sock"))
	ctlStatus(t, d, ctl, conf, "app", "RUNNING")
	if r := gcRun(t, ctl, "", "-c", conf, "stop", "app"); r.code != 0 || r.stdout != "app: stopped\n" {
		t.Errorf("installed ctl stop: %+v", r)
	}
	d.stop()
	dpkg("-r", "gsupervisor")
	if _, err := os.Stat(filepath.Join(root, "usr/bin/supervisord")); !os.IsNotExist(err) {
		t.Error("dpkg -r left /usr/bin/supervisord")
	}
}
