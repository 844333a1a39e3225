//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// wbFeaturePrograms are the programs of the dashboard feature test
// (failing dies before its startsecs, a minute, however slow the machine).
const wbFeaturePrograms = `
[program:pool]
command=sleep 3600
process_name=%(program_name)s_%(process_num)02d
numprocs=3
startsecs=0

[program:trapper]
command=sh -c 'trap "echo got usr1" USR1; echo trapper up; while :; do sleep 1 & wait $!; done'
startsecs=0

[program:manual]
command=sleep 3600
autostart=false
startsecs=0

[program:failing]
command=sh -c 'echo failing now >&2; exit 3'
startsecs=60
startretries=0
`

// TestWebDashboardFeatures drives what the dashboard adds to 4.2.5's page
// in Chromium: filtering by name and state, sorting, folding a group and
// stopping it (after a confirmation), a signal, the stderr and main log
// panes, the keyboard, reread/update with the plan shown before it is
// applied, the phone layout and the dark theme, and a daemon restart in
// place whose events the page could not all receive: it resynchronises
// once and shows the new processes.
func TestWebDashboardFeatures(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: wbFeaturePrograms, auth: true, supervisord: "events_retained=5\n"})
	for _, ns := range []string{"pool:pool_00", "pool:pool_01", "pool:pool_02", "trapper"} {
		d.waitState(ns, gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	}
	d.waitState("failing", gsupervisorv1.ProcessState_PROCESS_STATE_FATAL)
	b := startBrowser(t, 1280, 900)
	b.answerAuth(wbUser, wbPass)
	seen := b.watchResponses()
	b.openDashboard(d.base)
	f := &wbFeatures{t: t, d: d, b: b, seen: seen}
	f.filtersAndSorting()
	f.groupStop()
	f.signalAndLogFile()
	f.logPanes()
	f.refreshAndStopAll()
	f.rereadAndUpdate()
	f.restartWithGap()
	f.phoneAndDark()
}

// wbFeatures is the daemon and browser of TestWebDashboardFeatures, whose
// steps run in order on the same page.
type wbFeatures struct {
	t    *testing.T
	d    *wbDaemon
	b    *wbBrowser
	seen *wbResponses
}

// visible lists the processes whose rows are shown.
func (f *wbFeatures) visible() string {
	return wbEval[string](f.b, `[...document.querySelectorAll('tr[data-namespec]')].filter(r => !r.hidden).map(r => r.dataset.namespec).join(" ")`)
}

// setFilter types a name filter and picks a state filter.
func (f *wbFeatures) setFilter(text, state string) {
	wbEval[chromedp.Void](f.b, fmt.Sprintf(`(() => { const f = document.getElementById('filter'); f.value = %q; f.dispatchEvent(new Event('input'));
		const s = document.getElementById('state-filter'); s.value = %q; s.dispatchEvent(new Event('change')); })()`, text, state))
}

// filtersAndSorting checks filters, the keyboard, sorting and folding.
func (f *wbFeatures) filtersAndSorting() {
	f.t.Helper()
	t, b := f.t, f.b
	// The description shows the spawn error, as ctl does.
	if got := wbEval[string](b, `document.querySelector('tr[data-namespec="failing"] .desc-text').textContent`); got != "Exited too quickly (process log may have details)" {
		t.Errorf("failing's description: %q", got)
	}

	// Filters.
	f.setFilter("POOL", "")
	if got := f.visible(); got != "pool:pool_00 pool:pool_01 pool:pool_02" {
		t.Errorf("filter pool: %q", got)
	}
	f.setFilter("", "notrunning")
	if got := f.visible(); got != "failing manual" {
		t.Errorf("filter not running: %q", got)
	}
	f.setFilter("", "problem")
	if got := f.visible(); got != "failing" {
		t.Errorf("filter needs attention: %q", got)
	}
	f.setFilter("", "")

	// The keyboard: "/" goes to the filter.
	wbEval[chromedp.Void](b, `document.activeElement && document.activeElement.blur()`)
	b.do("press /", chromedp.KeyEvent("/"))
	if id := wbEval[string](b, `document.activeElement.id`); id != "filter" {
		t.Errorf("after /, the focus is on %q", id)
	}
	b.do("leave the filter", chromedp.KeyEvent(kb.Escape))

	// Sorting by state puts trouble first; by name again groups.
	b.do("sort by state", chromedp.Click(chromedp.CSS(`th[data-sort="state"] button`)))
	if got := f.visible(); got != "failing manual pool:pool_00 pool:pool_01 pool:pool_02 trapper" {
		t.Errorf("sorted by state: %q", got)
	}
	b.do("sort by name", chromedp.Click(chromedp.CSS(`th[data-sort="name"] button`)))
	b.do("sort by name, descending", chromedp.Click(chromedp.CSS(`th[data-sort="name"] button`)))
	if got := f.visible(); got != "trapper pool:pool_02 pool:pool_01 pool:pool_00 manual failing" {
		t.Errorf("sorted by name, descending: %q", got)
	}
	b.do("sort by name, ascending", chromedp.Click(chromedp.CSS(`th[data-sort="name"] button`)))
	if got := f.visible(); got != "failing manual pool:pool_00 pool:pool_01 pool:pool_02 trapper" {
		t.Errorf("sorted by name: %q", got)
	}
	if got := wbEval[string](b, `document.querySelector('th[data-sort="name"]').getAttribute('aria-sort')`); got != "ascending" {
		t.Errorf("aria-sort of the name column: %q", got)
	}

	// Folding the group hides its rows, not the others.
	b.do("fold pool", chromedp.Click(chromedp.CSS(`button[data-fold="pool"]`)))
	if got := f.visible(); got != "failing manual trapper" {
		t.Errorf("pool folded: %q", got)
	}
	b.do("unfold pool", chromedp.Click(chromedp.CSS(`button[data-fold="pool"]`)))
}

// groupStop checks a group action after a confirmation.
func (f *wbFeatures) groupStop() {
	f.t.Helper()
	t, d, b := f.t, f.d, f.b
	// Stopping the group asks first, then every member stops.
	b.do("stop the group", chromedp.Click(chromedp.CSS(`tr[data-group-head="pool"] button[data-group-action="stop"]`)))
	b.waitJS("the confirmation", `document.getElementById('confirm-dialog').open`)
	b.do("confirm", chromedp.Click(chromedp.ID("confirm-ok")))
	b.waitJS("the group to stop", `[...document.querySelectorAll('tr[data-group="pool"] .state')].every(s => s.textContent === "STOPPED")`)
	for _, ns := range []string{"pool:pool_00", "pool:pool_01", "pool:pool_02"} {
		d.waitState(ns, gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED)
	}
	if got := wbEval[string](b, `document.querySelector('tr[data-group-head="pool"] .group-summary').textContent`); got != "3 processes: 3 STOPPED" {
		t.Errorf("the group's summary: %q", got)
	}
}

// signalAndLogFile checks a signal, the download and Clear Log.
func (f *wbFeatures) signalAndLogFile() {
	f.t.Helper()
	t, b := f.t, f.b
	// A signal, seen in the process's log pane.
	b.do("open trapper's log", chromedp.Click(chromedp.CSS(`tr[data-namespec="trapper"] button[data-action="log"]`)))
	b.waitJS("trapper's log", `document.getElementById('logpane-text').textContent.includes("trapper up")`)
	b.do("signal trapper", chromedp.Click(chromedp.CSS(`tr[data-namespec="trapper"] button[data-action="signal"]`)))
	b.waitJS("the signal dialog", `document.getElementById('signal-dialog').open`)
	b.do("choose USR1", chromedp.SetValue(chromedp.ID("signal-name"), "usr1"), chromedp.Click(chromedp.CSS(`#signal-dialog button[value="send"]`)))
	b.waitJS("the signal's effect", `document.getElementById('logpane-text').textContent.includes("got usr1")`)
	b.waitJS("the signal's message", `document.getElementById('message').textContent === "Signal USR1 sent to trapper"`)

	// Download saves the whole log file.
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	b.do("download the log", chromedp.Click(chromedp.ID("logpane-download")))
	testutil.Eventually(t, "the downloaded log", func() bool {
		got, err := os.ReadFile(filepath.Join(downloads, "trapper-stdout.log"))
		return err == nil && string(got) == "trapper up\ngot usr1\n"
	})

	// Clear Log empties the files; the pane following one says so.
	b.do("clear trapper's log", chromedp.Click(chromedp.CSS(`tr[data-namespec="trapper"] button[data-action="clearlog"]`)))
	b.waitJS("the pane to see the log cleared", `document.getElementById('logpane-text').textContent.includes("the log was truncated or cleared")`)
	b.waitJS("the message of the clear", `document.getElementById('message').textContent === "Log for trapper cleared"`)
}

// logPanes checks the stderr and main log panes, pause, Escape.
func (f *wbFeatures) logPanes() {
	f.t.Helper()
	t, d, b := f.t, f.d, f.b
	// stderr, then the main log.
	b.do("open failing's log", chromedp.Click(chromedp.CSS(`tr[data-namespec="failing"] button[data-action="log"]`)))
	b.do("show stderr", chromedp.Click(chromedp.CSS(`#logpane button[data-channel="stderr"]`)))
	b.waitJS("failing's stderr", `document.getElementById('logpane-text').textContent.includes("failing now")`)
	b.do("open the main log", chromedp.Click(chromedp.ID("open-mainlog")))
	b.waitJS("the main log", `document.getElementById('logpane-title').textContent === "Main log" && document.getElementById('logpane-text').textContent.includes("success: trapper entered RUNNING state")`)
	b.do("pause", chromedp.Click(chromedp.ID("logpane-pause")))
	wbEval[chromedp.Void](b, `window.__pausedAt = document.getElementById('logpane-text').textContent.length`)
	if out, err := d.processes().StartProcess(d.ctx(), &gsupervisorv1.StartProcessRequest{Name: "manual", Wait: true}); err != nil {
		t.Fatal(out, err)
	}
	b.waitJS("new lines held while paused", `/paused, \d+ new characters waiting/.test(document.getElementById('logpane-status').textContent)`)
	if grew := wbEval[bool](b, `document.getElementById('logpane-text').textContent.length !== window.__pausedAt`); grew {
		t.Error("the paused pane grew")
	}
	b.do("resume", chromedp.Click(chromedp.ID("logpane-pause")))
	b.waitJS("the held lines", `document.getElementById('logpane-text').textContent.includes("success: manual entered RUNNING state")`)
	b.do("close the log with Escape", chromedp.Focus(chromedp.ID("logpane-text")), chromedp.KeyEvent(kb.Escape))
	b.waitJS("the pane to close", `document.getElementById('logpane').hidden`)
}

// refreshAndStopAll checks Refresh and Stop All.
func (f *wbFeatures) refreshAndStopAll() {
	f.t.Helper()
	t, d, b := f.t, f.d, f.b
	// Refresh reloads the table in place; Stop All asks first.
	b.do("refresh", chromedp.Click(chromedp.CSS(`a[data-action="refresh"]`)))
	b.waitJS("the refresh message", `document.getElementById('message').textContent.startsWith("Page refreshed at ")`)
	b.do("stop all", chromedp.Click(chromedp.CSS(`a[data-action="stopall"]`)))
	b.waitJS("the confirmation", `document.getElementById('confirm-dialog').open`)
	b.do("cancel", chromedp.Click(chromedp.CSS(`#confirm-dialog button[value="cancel"]`)))
	b.waitJS("the dialog to close", `!document.getElementById('confirm-dialog').open`)
	if info := d.waitState("trapper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING); info == nil {
		t.Fatal("Stop All ran although cancelled")
	}
	b.do("stop all", chromedp.Click(chromedp.CSS(`a[data-action="stopall"]`)))
	b.waitJS("the confirmation", `document.getElementById('confirm-dialog').open`)
	b.do("confirm", chromedp.Click(chromedp.ID("confirm-ok")))
	b.waitJS("every process to stop", `document.getElementById('message').textContent.startsWith("All stopped at ") &&
		[...document.querySelectorAll('tr[data-namespec] .state')].every(s => s.textContent === "STOPPED" || s.textContent === "FATAL")`)
	d.waitState("trapper", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED)
}

// rereadAndUpdate checks reread and update.
func (f *wbFeatures) rereadAndUpdate() {
	f.t.Helper()
	t, d, b := f.t, f.d, f.b
	// Reread shows the plan; Apply carries it out.
	conf, err := os.OpenFile(d.conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conf, "\n[program:added]\ncommand=sleep 3600\nstartsecs=0\n")
	conf.Close()
	b.do("open reread & update", chromedp.Click(chromedp.ID("open-config")))
	b.waitJS("the plan", `document.querySelector('#config-body .plan input[value="added"]') !== null && !document.getElementById('config-apply').disabled`)
	if kind := wbEval[string](b, `document.querySelector('#config-body .plan .kind').textContent`); kind != "added" {
		t.Errorf("the plan says %q", kind)
	}
	if n := wbEval[int](b, `document.querySelectorAll('tr[data-namespec="added"]').length`); n != 0 {
		t.Error("the reread applied something")
	}
	b.do("apply", chromedp.Click(chromedp.ID("config-apply")))
	b.waitJS("the result", `document.getElementById('config-body').textContent.includes("added (added): OK")`)
	b.do("close the dialog", chromedp.Click(chromedp.CSS(`#config-dialog button[value="cancel"]`)))
	b.waitJS("the new process on the page", `(document.querySelector('tr[data-namespec="added"] .state') || {}).textContent === "RUNNING"`)
}

// restartWithGap checks a restart in place the page cannot follow event by event.
func (f *wbFeatures) restartWithGap() {
	f.t.Helper()
	t, d, b, seen := f.t, f.d, f.b, f.seen
	// A restart in place produces more events than the daemon retains
	// (events_retained=5): the page resumes, is told about the gap,
	// reloads once, and shows the new processes.
	// (trapper is stopped now: RUNNING can only be the restarted one.)
	lists := seen.count(d.base + "/v1/processes")
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	info := d.waitState("trapper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	b.waitJS("the page to resynchronise", fmt.Sprintf(`document.documentElement.dataset.live === "true" &&
		document.querySelector('tr[data-namespec="trapper"] .state').textContent === "RUNNING" &&
		document.querySelector('tr[data-namespec="trapper"] .desc-text').textContent.startsWith("pid %d,")`, info.GetPid()))
	if seen.count(d.base+"/v1/processes") <= lists {
		t.Error("the page did not reload the list after the restart")
	}
	if why := wbEval[string](b, `document.documentElement.dataset.resync`); why != "gap" {
		t.Errorf("the last resynchronisation was for %q, want the gap", why)
	}
}

// phoneAndDark checks the phone layout and the dark theme.
func (f *wbFeatures) phoneAndDark() {
	f.t.Helper()
	t, b := f.t, f.b
	// The phone layout: rows become cards; and the dark theme.
	b.do("a phone's screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if display := wbEval[string](b, `getComputedStyle(document.querySelector('tr[data-namespec="trapper"]')).display`); display != "grid" {
		t.Errorf("a row on a phone is displayed as %q", display)
	}
	b.do("the light theme", chromedp.Click(chromedp.ID("theme")))
	b.do("the dark theme", chromedp.Click(chromedp.ID("theme")))
	if bg := wbEval[string](b, `document.documentElement.dataset.theme + " " + getComputedStyle(document.body).backgroundColor`); bg != "dark rgb(15, 19, 25)" {
		t.Errorf("the dark theme: %q", bg)
	}
}

// TestWebTailPageInChromium opens 4.2.5's tail page: it shows the end of
// the log the server read, then follows the log live, with pause.
func TestWebTailPageInChromium(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: "[program:talker]\ncommand=cat\nstartsecs=0\n\n[program:quiet]\ncommand=cat\nstdout_logfile=NONE\n", auth: true})
	d.waitState("talker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	say := func(line string) {
		t.Helper()
		if _, err := d.processes().WriteProcessStdin(d.ctx(), &gsupervisorv1.WriteProcessStdinRequest{Name: "talker", Data: []byte(line + "\n")}); err != nil {
			t.Fatal(err)
		}
	}
	say("<b>first</b> line")
	testutil.Eventually(t, "the first line in the log", func() bool {
		r, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "talker"})
		if err != nil {
			return false
		}
		b, _ := os.ReadFile(r.GetProcess().GetStdoutLogfile())
		return strings.Contains(string(b), "first")
	})
	b := startBrowser(t, 1024, 700)
	b.answerAuth(wbUser, wbPass)
	b.do("open the tail page", chromedp.Navigate(d.base+"/tail.html?processname=talker&limit=10"))
	if title := wbEval[string](b, `document.title`); title != "Supervisor tail of process talker" {
		t.Errorf("title %q", title)
	}
	b.waitJS("the page to follow the log", `document.getElementById('live').textContent === "live"`)
	if text := wbEval[string](b, `document.getElementById('tailbody').textContent`); text != "<b>first</b> line\n" {
		t.Errorf("the tail shows %q", text)
	}
	say("second line")
	b.waitJS("the new line", `document.getElementById('tailbody').textContent === "<b>first</b> line\nsecond line\n"`)
	b.do("pause", chromedp.Click(chromedp.ID("tail-pause")))
	say("third line")
	b.waitJS("the held line", `document.getElementById('tail-status').textContent.startsWith("paused, 11 new characters")`)
	b.do("resume", chromedp.Click(chromedp.ID("tail-pause")))
	b.waitJS("the third line", `document.getElementById('tailbody').textContent.endsWith("second line\nthird line\n")`)

	// A channel without a log: the tail page says so (as 4.2.5's), and
	// the dashboard's pane says so instead of retrying.
	b.do("open quiet's tail page", chromedp.Navigate(d.base+"/tail.html?processname=quiet"))
	if text := wbEval[string](b, `document.getElementById('tailbody').textContent`); text != "No file for quiet" {
		t.Errorf("quiet's tail page shows %q", text)
	}
	b.openDashboard(d.base)
	b.do("open quiet's log", chromedp.Click(chromedp.CSS(`tr[data-namespec="quiet"] button[data-action="log"]`)))
	b.waitJS("the pane's explanation", `document.getElementById('logpane-status').textContent === "cannot follow this log: NO_FILE (the channel is not logged)"`)
}
