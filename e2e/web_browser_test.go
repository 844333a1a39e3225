//go:build e2e

package e2e

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// wbBrowserPrograms are the programs of the browser tests.
const wbBrowserPrograms = `
[program:sleeper]
command=sleep 3600
startsecs=0

[program:manual]
command=sleep 3600
autostart=false
startsecs=0

[program:talker]
command=cat
startsecs=0

[program:victim]
command=sleep 3600
startsecs=0

[program:pool]
command=sleep 3600
process_name=%(program_name)s_%(process_num)02d
numprocs=3
startsecs=0
`

// TestWebDashboardInChromium drives the dashboard of a real daemon in
// headless Chromium: it lists the processes; Stop turns the badge to
// STOPPED without a reload; a process started with supervisorctl appears
// RUNNING by itself; the log pane shows a line the program writes after
// the pane was opened.
func TestWebDashboardInChromium(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: wbBrowserPrograms, auth: true})
	for _, ns := range []string{"sleeper", "talker", "victim", "pool:pool_02"} {
		d.waitState(ns, gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	}
	b := startBrowser(t, 1280, 900)
	b.answerAuth(wbUser, wbPass)
	b.openDashboard(d.base)

	// Every process is listed, in 4.2.5's order, with its state.
	got := wbEval[[]string](b, `[...document.querySelectorAll('tr[data-namespec]')].map(r => r.dataset.namespec + "=" + r.querySelector('.state').textContent)`)
	want := []string{"manual=STOPPED", "pool:pool_00=RUNNING", "pool:pool_01=RUNNING", "pool:pool_02=RUNNING", "sleeper=RUNNING", "talker=RUNNING", "victim=RUNNING"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rows:\n got %v\nwant %v", got, want)
	}

	// A marker that a reload would lose.
	wbEval[chromedp.Void](b, `window.__sameDocument = 1`)

	// Stop: the badge turns STOPPED through the event stream.
	b.do("click Stop", chromedp.Click(chromedp.CSS(`tr[data-namespec="sleeper"] button[data-action="stop"]`)))
	b.waitJS("sleeper's badge to say STOPPED", `document.querySelector('tr[data-namespec="sleeper"] .state').textContent === "STOPPED"`)
	if info := d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED); info == nil {
		t.Fatal("sleeper is not stopped")
	}
	b.waitJS("the message of the stop", `document.getElementById('message').textContent === "Process sleeper stopped"`)

	// Started elsewhere (supervisorctl on the unix socket): shown by itself.
	if out, err := exec.Command(filepath.Join(binDir, "supervisorctl"), "-c", d.conf, "start", "manual").CombinedOutput(); err != nil {
		t.Fatalf("supervisorctl start manual: %v\n%s", err, out)
	}
	b.waitJS("manual's badge to say RUNNING", `document.querySelector('tr[data-namespec="manual"] .state').textContent === "RUNNING"`)
	b.waitJS("manual's description", `/^pid \d+, uptime 0:\d\d:\d\d$/.test(document.querySelector('tr[data-namespec="manual"] .desc-text').textContent)`)

	// The log pane follows: a line written before it opens shows that the
	// stream is connected; one written after must arrive live.
	writeStdin := func(line string) {
		t.Helper()
		if _, err := d.processes().WriteProcessStdin(d.ctx(), &gsupervisorv1.WriteProcessStdinRequest{Name: "talker", Data: []byte(line + "\n")}); err != nil {
			t.Fatal(err)
		}
	}
	writeStdin("before the pane opened")
	b.do("open talker's log", chromedp.Click(chromedp.CSS(`tr[data-namespec="talker"] button[data-action="log"]`)))
	b.waitJS("the pane to show the earlier line", `document.getElementById('logpane-text').textContent.includes("before the pane opened")`)
	writeStdin("written after the pane opened")
	b.waitJS("the pane to show the new line", `document.getElementById('logpane-text').textContent.includes("written after the pane opened")`)

	if wbEval[int](b, `window.__sameDocument || 0`) != 1 {
		t.Error("the page was reloaded")
	}

	// A dropped connection resumes after the last event seen: a restart
	// in place cuts the stream; the page reconnects, gets what happened
	// meanwhile, and needs no resynchronisation.
	talkerPid := func() string {
		t.Helper()
		info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "talker"})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("pid %d,", info.GetProcess().GetPid())
	}
	before := talkerPid()
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "talker to run again", func() bool {
		// While the daemon restarts, calls fail (SHUTDOWN_STATE).
		info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "talker"})
		return err == nil && info.GetProcess().GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING &&
			fmt.Sprintf("pid %d,", info.GetProcess().GetPid()) != before
	})
	b.waitJS("the page to show the restarted talker", fmt.Sprintf(`document.documentElement.dataset.live === "true" &&
		document.querySelector('tr[data-namespec="talker"] .desc-text').textContent.startsWith(%q)`, talkerPid()))
	if why := wbEval[string](b, `document.documentElement.dataset.resync`); why != "start" {
		t.Errorf("after a restart in place the page resynchronised (%q) instead of resuming", why)
	}

	// Another daemon on the same port starts its serials again: the page
	// notices and resynchronises.
	d.stop()
	b.waitJS("the page to see the daemon gone", `document.documentElement.dataset.live === "false"`)
	d.start()
	b.waitJS("the page to resynchronise with the new daemon", `document.documentElement.dataset.live === "true" &&
		document.documentElement.dataset.resync === "replaced"`)
	b.waitJS("the new daemon's states", `document.querySelector('tr[data-namespec="sleeper"] .state').textContent === "RUNNING" &&
		document.querySelector('tr[data-namespec="manual"] .state').textContent === "STOPPED"`)
	if wbEval[int](b, `window.__sameDocument || 0`) != 1 {
		t.Error("the page was reloaded")
	}
}

// TestWebAuthInChromium checks that a browser without the credentials
// gets 401 for the pages (and the browser's password prompt), while
// /ok.html answers it.
func TestWebAuthInChromium(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: "[program:sleeper]\ncommand=sleep 3600\n", auth: true})
	b := startBrowser(t, 800, 600)
	seen := b.watchResponses()
	for _, c := range []struct {
		path string
		want int64
	}{{"/", 401}, {"/index.html?processname=sleeper&action=stop", 401}, {"/tail.html?processname=sleeper", 401}, {"/ok.html", 200}} {
		// Headless Chromium cancels the password prompt: the navigation
		// fails, and the wire shows why.
		_ = chromedp.Do(b.ctx, chromedp.Navigate(d.base+c.path))
		if status, _ := seen.wait(t, d.base+c.path); status != c.want {
			t.Errorf("%s without credentials: %d, want %d", c.path, status, c.want)
		}
	}
	b.waitJS("/ok.html to show OK", `location.pathname === "/ok.html" && document.body && document.body.innerText === "OK"`)
	d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
}

// TestWebCrossSiteInChromium loads a page of another site in a browser
// that holds the daemon's credentials. The page tries what 4.2.5 would
// obey: an <img> of a legacy action, a cross-site form POST to the REST
// API and a no-cors XML-RPC call. Each is refused with 403 and the
// process keeps running; the same stop from the dashboard works.
func TestWebCrossSiteInChromium(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: wbBrowserPrograms, auth: true})
	d.waitState("victim", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	b := startBrowser(t, 1024, 768)
	b.answerAuth(wbUser, wbPass)
	b.openDashboard(d.base) // the browser now holds the credentials

	// The other site: localhost is another site than 127.0.0.1.
	evil := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, wbEvilPage, d.base, d.base, d.base)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	evil.Listener = ln
	evil.Start()
	defer evil.Close()
	evilURL := fmt.Sprintf("http://localhost:%d/", ln.Addr().(*net.TCPAddr).Port)

	// Chromium no longer attaches cached credentials to cross-site
	// requests; other browsers, and older ones, do. Send them with every
	// request, as such a browser would.
	b.setHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(wbUser+":"+wbPass)))
	seen := b.watchResponses()
	b.do("open the other site's page", chromedp.Navigate(evilURL))
	for _, prefix := range []string{
		d.base + "/index.html?processname=victim&action=stop",
		d.base + "/v1/processes/victim:stop",
		d.base + "/RPC2",
	} {
		status, hdr := seen.wait(t, prefix)
		if status != http.StatusForbidden || hdr["Sec-Fetch-Site"] != "cross-site" || hdr["Authorization"] == nil {
			t.Errorf("cross-site %s: %d, want 403 (request headers %v)", prefix, status, hdr)
		}
	}
	info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "victim"})
	if err != nil || info.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
		t.Fatalf("victim after the cross-site requests: %v %v", info.GetProcess().GetState(), err)
	}
	testutil.Eventually(t, "the refusals in the main log", func() bool {
		b, _ := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
		return strings.Count(string(b), "refused a cross-site") == 3
	})

	// The same requests from the daemon's own page are obeyed (sent as the
	// dashboard sends them: a JSON body says so; a text/plain body is
	// writeStdin's only).
	b.setHeader("Authorization", "")
	b.openDashboard(d.base)
	status := wbEval[int](b, `fetch("v1/processes/victim:stop", {method: "POST", headers: {"Content-Type": "application/json"}, body: '{"wait": true}'}).then(r => r.status)`)
	if status != 200 {
		t.Fatalf("the stop from the dashboard's origin: %d", status)
	}
	b.waitJS("victim's badge to say STOPPED", `document.querySelector('tr[data-namespec="victim"] .state').textContent === "STOPPED"`)
	b.do("click Start", chromedp.Click(chromedp.CSS(`tr[data-namespec="victim"] button[data-action="start"]`)))
	b.waitJS("victim's badge to say RUNNING", `document.querySelector('tr[data-namespec="victim"] .state').textContent === "RUNNING"`)
	b.do("follow the legacy stop link", chromedp.Navigate(d.base+"/index.html?processname=victim&action=stop"))
	b.waitJS("the redirect's message", `document.getElementById('message').textContent === "Process victim stopped"`)
	d.waitState("victim", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED)
}

// wbEvilPage is the other site's page: three ways a page could make a
// browser change the daemon's state with its cached credentials.
const wbEvilPage = `<!DOCTYPE html>
<title>another site</title>
<img src="%s/index.html?processname=victim&action=stop" alt="">
<iframe name="sink" title="sink"></iframe>
<form id="f" method="POST" action="%s/v1/processes/victim:stop" enctype="text/plain" target="sink">
<input name='{"wait": true, "x": "' value='"}'>
</form>
<script>
document.getElementById('f').submit();
fetch('%s/RPC2', {method: 'POST', mode: 'no-cors', credentials: 'include', headers: {'Content-Type': 'text/xml'},
  body: '<?xml version="1.0"?><methodCall><methodName>supervisor.stopProcess</methodName><params><param><value><string>victim</string></value></param></params></methodCall>'});
</script>
`

// TestWebWithoutJavaScript uses the page as 4.2.5's, in a browser that
// runs no scripts: the server's table, and an action link that acts,
// redirects and shows its message (a same-origin request).
func TestWebWithoutJavaScript(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: "[program:sleeper]\ncommand=sleep 3600\nstartsecs=0\n", auth: true})
	d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	b := startBrowser(t, 1024, 700)
	b.answerAuth(wbUser, wbPass)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.do("open the page", chromedp.Navigate(d.base+"/"))
	if got := wbEval[string](b, `document.querySelector('noscript tr[data-namespec="sleeper"] .state, tr[data-namespec="sleeper"] .state').textContent`); got != "RUNNING" {
		t.Errorf("sleeper's state: %q", got)
	}
	b.do("click Stop", chromedp.Click(chromedp.CSS(`tr[data-namespec="sleeper"] a[href$="action=stop"]`)))
	// The message is near the top of the page: wait for the whole document
	// (a loaded machine may show the message while the table below is
	// still being parsed).
	b.waitJS("the message, on the whole page", `location.search === "?message=Process%20sleeper%20stopped" && document.readyState === "complete" && document.getElementById('message').textContent === "Process sleeper stopped"`)
	d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED)
	if got := wbEval[string](b, `document.querySelector('tr[data-namespec="sleeper"] .state').textContent`); got != "STOPPED" {
		t.Errorf("sleeper's state after the stop: %q", got)
	}

	// A browser that runs scripts but lacks what the live page needs gets
	// the same table from the fallback script.
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	b.openDashboard(d.base)
	wbEval[chromedp.Void](b, `window.gsupervisorShowStaticTable()`)
	if got := wbEval[string](b, `document.querySelector('main div > table tr[data-namespec="sleeper"] .state').textContent`); got != "STOPPED" {
		t.Errorf("the fallback's table shows sleeper %q", got)
	}
}
