//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// gcDiffCommands are run by both supervisorctls, in order, each against
// its own daemon. <DIR> is the daemon's directory; standard input follows
// "|"; "sorted:" compares the lines in any order.
var gcDiffCommands = []string{
	// status
	"status", "status all", "status sleeper", "status nope", "status grp:*", "status grp:", "status nogroup:*",
	"status sleeper nope", "status nope manual", "status failer", "status sleeper multi:multi_00", "status multi",
	"status sleeper sleeper",
	// start, stop, restart
	"start nope", "start nogroup:*", "start sleeper", "start manual", "start manual", "start badcmd", "start halfsec", "start",
	"stop nope", "stop nogroup:*", "stop manual", "stop manual", "stop", "restart nope", "restart sleeper", "restart",
	// Group forms wait for several processes: 4.2.5 lists them in the
	// order they finished, so these compare sorted lines.
	"sorted:stop grp:*", "sorted:start grp:*", "start grp:*", "restart grp:ga", "sorted:stop multi:*", "start multi:multi_00 multi:multi_01 sleeper",
	"stop nope sleeper", "start nope sleeper", "start grp:ga grp:gb", "status",
	// signal
	"signal", "signal HUP", "signal CONT sleeper", "signal BOGUS sleeper", "signal HUP manual", "signal HUP nope",
	"sorted:signal CONT grp:*", "signal 0 sleeper", "signal SIGCONT sleeper", "signal 18 sleeper", "signal HUP nogroup:*",
	"signal CONT all",
	// pid, avail, version
	"pid", "pid sleeper", "pid manual", "pid nope", "pid sleeper manual", "pid nope sleeper", "pid all",
	"avail", "avail x", "version", "version x",
	// tail, maintail, fg
	"tail printer", "tail printer stderr", "tail printer STDERR", "tail -5 printer", "tail -0 printer", "tail -4 printer stdout",
	"tail printer extra stderr", "tail printer bogus", "tail nope", "tail", "tail a b c d", "tail -x printer", "tail -f",
	"tail nolog", "tail manual", "tail -f nope", "maintail x", "maintail -x", "maintail a b",
	"fg", "fg nope", "fg manual", "fg a b",
	// clear
	"clear", "clear printer", "tail printer", "clear nope", "clear grp:*", "clear printer nope", "sorted:clear all",
	// help, unknown, open, leaving
	"help status", "help help", "help tail", "help maintail", "help nosuch", "help EOF", "bogus", "bogus arg", "!ls", "?version",
	"open", "open foo://bar", "open unix://<DIR>/s.sock", "quit", "exit", "EOF",
	// the shell, piped
	"|status sleeper\nstatus nope\nbogus\n\nversion\nquit\n", "|status sleeper\n", "-i status sleeper|version\n",
	"|shutdown\nn\nquit\n", "-i shutdown|no\n", "-i reload|\n",
	// usage and connection errors
	"-x", "--version", "--history-file x", "-s bogus status", "-c <DIR>/nope.conf status", "-i -i status", "-c",
	"-s unix://<DIR>/nonexistent.sock status", "-s unix://<DIR>/nonexistent.sock start x",
	"-s unix://<DIR>/nonexistent.sock shutdown", "-s unix://<DIR>/nonexistent.sock avail", "-s foo://bar status",
}

// gcDiffUpdate are run after the same edits to both configuration files.
var gcDiffUpdate = []string{
	"reread", "avail", "update nosuchgroup", "update newprog", "add newprog", "add nope", "remove nope", "remove sleeper",
	"update", "reread", "update", "update all", "stop newmanual", "remove newmanual", "add newmanual", "status newmanual",
	"status exiter",
	// "all" forms move every process. 4.2.5 lists the processes it had to
	// wait for in the order they finished, so these compare sorted lines.
	"sorted:stop all", "status", "sorted:start all", "status", "sorted:restart all", "sorted:signal CONT all", "sorted:clear all",
}

// TestCtlDifferential runs the same commands with our supervisorctl
// against our daemon and with Debian's supervisorctl 4.2.5 against the
// real supervisord, on the same configuration, and compares the outputs
// (after normalizing pids, times, uptimes and paths) and exit codes.
func TestCtlDifferential(t *testing.T) {
	testutil.RequireSupervisor(t)
	ours := startDaemon(t, gcPrograms)
	real := startReal(t, gcPrograms, nil)
	ours.gcWaitStatus(gcFullStatus)
	testutil.Eventually(t, "the real daemon to settle", func() bool {
		r := gcRun(t, gcRealCtl, "", "-c", real.conf, "status")
		return gcNormalize(r.stdout, real.dir) == gcFullStatus
	})
	run := func(spec string) {
		t.Helper()
		sorted := strings.HasPrefix(spec, "sorted:")
		args, stdin, _ := strings.Cut(strings.TrimPrefix(spec, "sorted:"), "|")
		one := func(bin, dir, conf string, res *gcResult, errp *error) {
			a := strings.Fields(strings.ReplaceAll(args, "<DIR>", dir))
			if !strings.HasPrefix(args, "-c") && !strings.HasPrefix(args, "-s") {
				a = append([]string{"-c", conf}, a...)
			}
			r, err := gcRunErr(bin, stdin, a...)
			r.stdout, r.stderr = gcNormalize(r.stdout, dir), gcNormalize(r.stderr, dir)
			if sorted {
				r.stdout = gcSortedLines(r.stdout)
			}
			*res, *errp = r, err
		}
		// The two daemons are independent: run both at once.
		var o, r gcResult
		var oerr, rerr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); one(gcOurCtl(), ours.dir, ours.conf, &o, &oerr) }()
		go func() { defer wg.Done(); one(gcRealCtl, real.dir, real.conf, &r, &rerr) }()
		wg.Wait()
		if oerr != nil || rerr != nil {
			t.Fatalf("%q: %v %v", spec, oerr, rerr)
		}
		if o.stdout != r.stdout || o.code != r.code || o.stderr != r.stderr {
			t.Errorf("supervisorctl %q differs:\nours (exit %d):\n%s%s\nreal (exit %d):\n%s%s", spec, o.code, o.stdout, stderrNote(o.stderr), r.code, r.stdout, stderrNote(r.stderr))
		}
	}
	for _, c := range gcDiffCommands {
		run(c)
	}

	// reread, update, add and remove after the same edits to both files.
	for _, d := range []struct{ conf string }{{ours.conf}, {real.conf}} {
		b, err := os.ReadFile(d.conf)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(b), "[program:sleeper]\ncommand=/bin/sleep 100000", "[program:sleeper]\ncommand=/bin/sleep 200000", 1)
		edited = strings.Replace(edited, "[program:exiter]\ncommand=/bin/sh -c \"exit 3\"\nstartsecs=0\nautorestart=false\n", "", 1)
		edited += "\n[program:newprog]\ncommand=/bin/sleep 100000\nstartsecs=0\n\n[program:newmanual]\ncommand=/bin/sleep 100000\nautostart=false\n"
		if err := os.WriteFile(d.conf, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range gcDiffUpdate {
		run(c)
	}
	for _, conf := range []string{ours.conf, real.conf} {
		b, _ := os.ReadFile(conf)
		os.WriteFile(conf, append(b, "\n[program:broken]\ncommand=/bin/true\nautostart=maybe\n"...), 0o644)
	}
	run("reread")
	run("update")

	// Shut down both, then talk to nobody.
	run("shutdown")
	testutil.Eventually(t, "both daemons to exit", func() bool {
		_, e1 := os.Stat(ours.sock)
		_, e2 := os.Stat(real.sock)
		return e1 != nil && e2 != nil
	})
	for _, c := range []string{"status", "start x", "shutdown", "version", "tail x", "reload", "update"} {
		run(c)
	}
}

// stderrNote shows stderr if there is any.
func stderrNote(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("stderr:\n%s", s)
}
