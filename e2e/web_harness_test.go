//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The credentials of the inet endpoint of the web tests.
const (
	wbUser = "webuser"
	wbPass = "webpass"
)

// wbInet is the [inet_http_server] section of a web test's configuration:
// a loopback port, with or without credentials.
func wbInet(port int, auth bool) string {
	s := fmt.Sprintf("\n[inet_http_server]\nport=127.0.0.1:%d\n", port)
	if auth {
		s += "username=" + wbUser + "\npassword=" + wbPass + "\n"
	}
	return s
}

// wbDaemon is our daemon with an inet endpoint for browsers and curl (the
// unix socket stays open without credentials for ctl and gRPC).
type wbDaemon struct {
	*daemon
	port int
	base string // http://127.0.0.1:port
	auth bool
}

// wbConfig is the configuration of a web test's daemon.
type wbConfig struct {
	// programs is the rest of the file (configBody's programs).
	programs string
	// auth requires wbUser/wbPass on the inet endpoint.
	auth bool
	// supervisord is added to the [supervisord] section.
	supervisord string
	// identifier replaces the daemon's identifier (e2e).
	identifier string
	// files are written into the daemon's directory first.
	files map[string]string
}

// startWebDaemon starts bin/supervisord on c plus an inet endpoint on a
// free port (another port if that one was taken meanwhile).
func startWebDaemon(t *testing.T, c wbConfig) *wbDaemon {
	t.Helper()
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	for name, body := range c.files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for attempt := 1; ; attempt++ {
		port := testutil.FreePorts(t, 1)[0]
		conf := filepath.Join(dir, "supervisord.conf")
		body := configBody(c.programs + wbInet(port, c.auth))
		ident := "e2e"
		if c.identifier != "" {
			ident = c.identifier
		}
		body = strings.Replace(body, "identifier=e2e\n", "identifier="+ident+"\n"+c.supervisord, 1)
		if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		d := &daemon{t: t, dir: dir, conf: conf, sock: filepath.Join(dir, "s.sock"), out: &testutil.Buffer{}, exited: make(chan struct{})}
		if d.launchOnPort("the daemon to serve", func() bool { _, err := os.Stat(d.sock); return err == nil }) {
			w := &wbDaemon{daemon: d, port: port, base: fmt.Sprintf("http://127.0.0.1:%d", port), auth: c.auth}
			testutil.Eventually(t, "the inet endpoint", func() bool {
				resp, err := http.Get(w.base + "/ok.html")
				if err == nil {
					resp.Body.Close()
				}
				return err == nil && resp.StatusCode == 200
			})
			return w
		}
		if attempt == 3 {
			t.Fatalf("the daemon could not listen on a free port three times:\n%s", d.out)
		}
	}
}

// haveChromium returns Chromium's path; without it the browser test
// skips (make deps installs it), or fails in CI (testutil.Require).
func haveChromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	testutil.Require(t, errors.New("Chromium is not installed (Debian package chromium)"))
	return ""
}

// wbBrowser is a headless Chromium with one tab, in a fresh profile.
type wbBrowser struct {
	t       testing.TB
	browser context.Context // the browser's first tab
	ctx     context.Context // the current tab, with the test's deadline
}

// startBrowser starts Chromium with the flags that keep it quiet on a
// closed network. It is closed (and its profile removed) at cleanup.
func startBrowser(t testing.TB, width, height int) *wbBrowser {
	t.Helper()
	exe := haveChromium(t)
	profile, err := os.MkdirTemp("", "gsv-chromium")
	if err != nil {
		t.Fatal(err)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.UserDataDir(profile), chromedp.WindowSize(width, height))
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	})
	// The tab's deadline only bounds a hung browser: generous, as Chromium
	// is slow on a loaded machine.
	ctx, cancel := context.WithTimeout(bctx, 10*testutil.Timeout)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b := &wbBrowser{t: t, browser: bctx, ctx: ctx}
	b.watchProblems()
	return b
}

// watchProblems fails the test at its end if a page threw an uncaught
// exception or the browser refused something under the pages' Content
// Security Policy (or logged another security error).
func (b *wbBrowser) watchProblems() {
	var mu sync.Mutex
	var problems []string
	add := func(p string) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, p)
	}
	onEvents(b.ctx, runtime.ExceptionThrown, func(ev runtime.EventExceptionThrown) {
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		add(fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	})
	onEvents(b.ctx, cdplog.EntryAdded, func(ev cdplog.EventEntryAdded) {
		if e := ev.Entry; e.Source == cdplog.EntrySourceSecurity || (e.Source == cdplog.EntrySourceJavascript && e.Level == cdplog.EntryLevelError) {
			add(fmt.Sprintf("%s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL))
		}
	})
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(b.ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(b.ctx, cdplog.Enable, cdp.Empty{}); return err },
	} {
		if err := enable(); err != nil {
			b.t.Fatal(err)
		}
	}
	b.t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			b.t.Errorf("in the browser: %s", p)
		}
	})
}

// answerAuth makes the tab answer every HTTP authentication challenge with
// the credentials, as a user who typed them into the browser's prompt:
// the browser then keeps them for the origin.
func (b *wbBrowser) answerAuth(user, pass string) {
	b.t.Helper()
	ctx := b.ctx
	onEvents(ctx, fetch.RequestPaused, func(ev fetch.EventRequestPaused) {
		_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
	})
	onEvents(ctx, fetch.AuthRequired, func(ev fetch.EventAuthRequired) {
		_, _ = chromedp.Call(ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID,
			AuthChallengeResponse: &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: user, Password: pass}})
	})
	yes := true
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: &yes}); err != nil {
		b.t.Fatal(err)
	}
}

// setHeader sends a header with every request of the tab from now on
// (an empty value removes the extra headers).
func (b *wbBrowser) setHeader(name, value string) {
	b.t.Helper()
	headers := network.Headers{}
	if value != "" {
		headers[name] = value
	}
	if _, err := chromedp.Call(b.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: headers}); err != nil {
		b.t.Fatal(err)
	}
}

// onEvents calls fn with every event of a kind the tab sends from now on,
// in order, until the tab closes.
func onEvents[E any](ctx context.Context, ev cdp.Event[E], fn func(E)) {
	events := chromedp.Events(ctx, ev)
	go func() {
		for e, err := range events {
			if err != nil {
				return
			}
			fn(e)
		}
	}()
}

// do runs actions in the tab and fails the test on error.
func (b *wbBrowser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func wbEval[T any](b *wbBrowser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls a JavaScript condition in the page until it is true.
func (b *wbBrowser) waitJS(what, cond string) {
	b.t.Helper()
	var err error
	if !testutil.Poll(testutil.Timeout, func() bool {
		var ok bool
		ok, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		return err == nil && ok
	}) {
		b.t.Fatalf("timed out after %v waiting for %s (%s): %v", testutil.Timeout, what, cond, err)
	}
}

// openDashboard navigates to the status page and waits until it is live:
// the full list rendered and the event stream open.
func (b *wbBrowser) openDashboard(base string) {
	b.t.Helper()
	b.do("open the dashboard", chromedp.Navigate(base+"/"))
	b.waitJS("the dashboard to load and go live",
		`document.documentElement.dataset.loaded === "true" && document.documentElement.dataset.live === "true"`)
}

// rowState returns the state the dashboard shows for a process.
func (b *wbBrowser) rowState(ns string) string {
	b.t.Helper()
	return wbEval[string](b, fmt.Sprintf(`(document.querySelector('tr[data-namespec=%q] .state') || {}).textContent || ""`, ns))
}

// wbResponses records the HTTP exchanges of a tab as they went over the
// wire: the request's URL and headers (Sec-Fetch-Site, Authorization…)
// and the response's status, even for a response the browser then
// withheld from the page (an <img> of HTML is blocked by ORB, for
// example).
type wbResponses struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	headers  map[network.RequestID]network.Headers
	statuses map[network.RequestID]int64
}

// watchResponses records every exchange from now on.
func (b *wbBrowser) watchResponses() *wbResponses {
	b.t.Helper()
	r := &wbResponses{urls: map[network.RequestID]string{}, headers: map[network.RequestID]network.Headers{}, statuses: map[network.RequestID]int64{}}
	onEvents(b.ctx, network.RequestWillBeSent, func(ev network.EventRequestWillBeSent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.urls[ev.RequestID] = ev.Request.URL
	})
	onEvents(b.ctx, network.RequestWillBeSentExtraInfo, func(ev network.EventRequestWillBeSentExtraInfo) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.headers[ev.RequestID] = ev.Headers
	})
	onEvents(b.ctx, network.ResponseReceivedExtraInfo, func(ev network.EventResponseReceivedExtraInfo) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.statuses[ev.RequestID] = ev.StatusCode
	})
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatal(err)
	}
	return r
}

// wait returns the final status of the request to a URL with the prefix
// and the headers it was sent with (the last exchange: after an answered
// authentication challenge, the retry).
func (r *wbResponses) wait(t *testing.T, prefix string) (int64, network.Headers) {
	t.Helper()
	var status int64
	var headers network.Headers
	testutil.Eventually(t, "a response for "+prefix, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		// The browser reports the wire headers and the status in events
		// of their own, in no fixed order: wait for both.
		for id, url := range r.urls {
			st, ok := r.statuses[id]
			hdr, sent := r.headers[id]
			if ok && sent && strings.HasPrefix(url, prefix) {
				status, headers = st, hdr
				return true
			}
		}
		return false
	})
	return status, headers
}

// count returns how many requests went to exactly url.
func (r *wbResponses) count(url string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, u := range r.urls {
		if u == url {
			n++
		}
	}
	return n
}
