//go:build e2e

package e2e

import (
	"os/exec"
	"strings"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// wbCurlH is wbCurl with extra request headers.
func wbCurlH(t *testing.T, base, method, path string, headers ...string) wbReply {
	t.Helper()
	return wbCurlArgs(t, base, method, path, "", true, headers)
}

// TestWebCurl checks, with curl, what our web interface adds to 4.2.5's:
// the browser protections on the pages, the refusal of cross-site
// actions (with no effect on the process) while curl's own requests keep
// working, /ok.html without or with wrong credentials and on HEAD, the
// embedded assets, escaping of untrusted text, and the pages on the unix
// socket too.
func TestWebCurl(t *testing.T) {
	d := startWebDaemon(t, wbConfig{programs: `
[program:sleeper]
command=sleep 3600
startsecs=0

[program:html]
command=sh -c 'echo "<script>alert(1)</script> & <b>bold</b>"; exec sleep 3600'
startsecs=0
`, auth: true})
	d.waitState("sleeper", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.waitState("html", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)

	wbCheckPages(t, d)
	wbCheckCrossSite(t, d)
	wbCheckOKAndAssets(t, d)
	wbCheckUnixAndLogtail(t, d)
}

// wbCheckPages checks the pages' headers and escaping.
func wbCheckPages(t *testing.T, d *wbDaemon) {
	t.Helper()
	// The pages carry the browser protections and 4.2.5's no-cache trio.
	for _, path := range []string{"/", "/index.html?message=x", "/tail.html?processname=sleeper"} {
		r := wbCurlH(t, d.base, "GET", path)
		for name, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Cache-Control":           "no-cache",
			"Pragma":                  "no-cache",
			"Expires":                 "Thu, 01 Jan 1970 00:00:00 GMT",
			"Content-Type":            "text/html;charset=utf-8",
		} {
			if got := r.header.Get(name); got != want {
				t.Errorf("%s: %s is %q, want %q", path, name, got, want)
			}
		}
		if strings.Contains(r.body, "<script>") && !strings.Contains(r.body, `<script type="module" src="ui/`) {
			t.Errorf("%s has an inline script", path)
		}
	}

	// Untrusted text is escaped: a message in the URL, a log's content.
	if r := wbCurlH(t, d.base, "GET", "/?message=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"); !strings.Contains(r.body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("the message is not escaped:\n%s", r.body)
	}
	if r := wbCurlH(t, d.base, "GET", "/tail.html?processname=html"); !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;") {
		t.Errorf("the log is not escaped:\n%s", r.body)
	}
}

// wbCheckCrossSite checks the refusal of cross-site actions, and HEAD.
func wbCheckCrossSite(t *testing.T, d *wbDaemon) {
	t.Helper()
	// A cross-site action is refused and does nothing; curl's works.
	for _, hdr := range [][]string{{"Sec-Fetch-Site: cross-site"}, {"Sec-Fetch-Site: same-site"}, {"Origin: http://evil.example"}} {
		for _, method := range []string{"GET", "POST"} {
			r := wbCurlArgs(t, d.base, method, "/index.html?processname=sleeper&action=stop", "x=1", true, hdr)
			if r.status != 403 || r.header.Get("Location") != "" || !strings.Contains(r.body, "cross-site request refused") {
				t.Errorf("%s with %v: %d %v %s", method, hdr, r.status, r.header, r.body)
			}
		}
	}
	info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "sleeper"})
	if err != nil || info.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
		t.Fatalf("sleeper after the refused actions: %v %v", info.GetProcess().GetState(), err)
	}
	for _, hdr := range [][]string{{"Sec-Fetch-Site: same-origin"}, {"Sec-Fetch-Site: none"}, {"Origin: " + d.base}} {
		r := wbCurlArgs(t, d.base, "GET", "/index.html?action=refresh", "", true, hdr)
		if r.status != 301 {
			t.Errorf("same-origin action with %v: %d", hdr, r.status)
		}
	}
	// Reading is not refused, whoever asks.
	if r := wbCurlH(t, d.base, "GET", "/", "Sec-Fetch-Site: cross-site"); r.status != 200 {
		t.Errorf("cross-site page view: %d", r.status)
	}
	if r := wbCurlH(t, d.base, "GET", "/index.html?processname=sleeper&action=stop"); r.status != 301 ||
		r.header.Get("Location") != d.base+"/?message=Process%20sleeper%20stopped" {
		t.Errorf("curl's stop: %d %v", r.status, r.header)
	}

	// HEAD describes a page and never acts (sleeper is stopped now).
	if out, err := exec.Command("curl", "-sS", "-I", "-u", wbUser+":"+wbPass, d.base+"/index.html?processname=sleeper&action=start").Output(); err != nil ||
		!strings.HasPrefix(string(out), "HTTP/1.1 200") {
		t.Errorf("HEAD of an action: %s %v", out, err)
	}
	if info, err := d.processes().GetProcess(d.ctx(), &gsupervisorv1.GetProcessRequest{Name: "sleeper"}); err != nil ||
		info.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED {
		t.Fatalf("after HEAD of a start: %v %v", info.GetProcess().GetState(), err)
	}
}

// wbCheckOKAndAssets checks /ok.html, authentication and the embedded assets.
func wbCheckOKAndAssets(t *testing.T, d *wbDaemon) {
	t.Helper()
	// /ok.html needs no credentials, ignores wrong ones, answers HEAD.
	for _, auth := range []bool{false, true} {
		r := wbCurl(t, d.base, "GET", "/ok.html", "", auth)
		if r.status != 200 || r.body != "OK" || r.header.Get("Content-Type") != "text/plain" {
			t.Errorf("/ok.html (credentials %v): %d %q %v", auth, r.status, r.body, r.header)
		}
	}
	if out, err := exec.Command("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "x:wrong", d.base+"/ok.html").Output(); err != nil || string(out) != "200" {
		t.Errorf("/ok.html with wrong credentials: %s %v", out, err)
	}
	if out, err := exec.Command("curl", "-sS", "-I", d.base+"/ok.html").Output(); err != nil || !strings.HasPrefix(string(out), "HTTP/1.1 200") {
		t.Errorf("HEAD /ok.html: %s %v", out, err)
	}
	if r := wbCurl(t, d.base, "GET", "/", "", false); r.status != 401 || r.header.Get("WWW-Authenticate") != `Basic realm="default"` {
		t.Errorf("/ without credentials: %d %v", r.status, r.header)
	}
	if r := wbCurl(t, d.base, "GET", "/ui/dashboard.js", "", false); r.status != 401 {
		t.Errorf("an asset without credentials: %d", r.status)
	}

	// The assets: types, revalidation, nothing else served.
	for path, ct := range map[string]string{
		"/ui/dashboard.js": "text/javascript; charset=utf-8", "/ui/style.css": "text/css; charset=utf-8", "/ui/icon.svg": "image/svg+xml",
	} {
		r := wbCurlH(t, d.base, "GET", path)
		etag := r.header.Get("ETag")
		if r.status != 200 || r.header.Get("Content-Type") != ct || etag == "" || r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %v", path, r.status, r.header)
			continue
		}
		if r := wbCurlH(t, d.base, "GET", path, "If-None-Match: "+etag); r.status != 304 {
			t.Errorf("%s with its ETag: %d", path, r.status)
		}
	}
	for _, path := range []string{"/ui/nope.js", "/ui/", "/ui/../web.go", "/assets/style.css", "/templates/status.html"} {
		if r := wbCurlH(t, d.base, "GET", path); r.status != 404 && r.status != 301 {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}
}

// wbCheckUnixAndLogtail checks the unix socket and /logtail.
func wbCheckUnixAndLogtail(t *testing.T, d *wbDaemon) {
	t.Helper()
	// The unix socket serves the same pages (4.2.5 does too).
	out, err := exec.Command("curl", "-sS", "--unix-socket", d.sock, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
		"http://localhost/index.html?processname=sleeper&action=start").Output()
	if err != nil || string(out) != "301 http://localhost/?message=Process%20sleeper%20started" {
		t.Errorf("the action on the unix socket: %s %v", out, err)
	}
	// The legacy log tails still work beside the pages. The tail streams
	// until the client leaves: read it until the line is there.
	var tail testutil.Buffer
	curl := exec.Command("curl", "-sSN", "-u", wbUser+":"+wbPass, d.base+"/logtail/html")
	curl.Stdout, curl.Stderr = &tail, &tail
	if err := curl.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { curl.Process.Kill(); curl.Wait() }()
	if !testutil.Poll(testutil.Timeout, func() bool { return strings.Contains(tail.String(), "<script>alert(1)</script>") }) {
		t.Errorf("/logtail/html: %q", tail.String())
	}
}
