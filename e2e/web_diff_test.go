//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"html"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// wbDiffPrograms are the programs both daemons run in the differential
// test of the legacy web URLs. failer's startsecs is a minute so that it
// dies before it on either daemon, however slow the machine.
const wbDiffPrograms = `
[program:sleeper]
command=sleep 3600
startsecs=0

[program:manual]
command=sleep 3600
autostart=false
startsecs=0

[program:failer]
command=sh -c 'exit 3'
autostart=false
startsecs=60
startretries=0

[program:nofile]
command=/nonexistent/program
autostart=false
startretries=0

[program:noexec]
command=%(here)s/noexec.txt
autostart=false
startretries=0

[program:printer]
command=sh -c 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "printer line $i"; done; exec sleep 3600'
startsecs=0

[program:nolog]
command=sleep 3600
stdout_logfile=NONE
startsecs=0

[program:ga]
command=sleep 3600
startsecs=0

[program:gb]
command=sleep 3600
startsecs=0

[group:grp]
programs=ga,gb
`

// wbReply is one HTTP answer as curl saw it.
type wbReply struct {
	status int
	header http.Header
	body   string
}

// wbCurl sends one request with curl; body != "" sends it urlencoded.
func wbCurl(t *testing.T, base, method, path, body string, auth bool) wbReply {
	t.Helper()
	return wbCurlArgs(t, base, method, path, body, auth, nil)
}

// wbCurlArgs is wbCurl with extra request headers ("Name: value").
func wbCurlArgs(t *testing.T, base, method, path, body string, auth bool, headers []string) wbReply {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-sS", "-o", filepath.Join(dir, "body"), "-D", filepath.Join(dir, "head"), "-X", method, "--max-time", "60"}
	if body != "" {
		args = append(args, "--data", body)
	}
	if auth {
		args = append(args, "-u", wbUser+":"+wbPass)
	}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, base+path)
	if out, err := exec.Command("curl", args...).CombinedOutput(); err != nil {
		t.Fatalf("curl %s %s: %v\n%s", method, path, err, out)
	}
	head, _ := os.ReadFile(filepath.Join(dir, "head"))
	b, _ := os.ReadFile(filepath.Join(dir, "body"))
	r := wbReply{body: string(b)}
	tp := textproto.NewReader(bufio.NewReader(strings.NewReader(string(head))))
	line, err := tp.ReadLine()
	if err != nil {
		t.Fatalf("curl %s %s: no status line in %q", method, path, head)
	}
	fmt.Sscanf(line, "HTTP/%s %d", new(string), &r.status)
	mh, _ := tp.ReadMIMEHeader()
	r.header = http.Header(mh)
	return r
}

// wbCTime is a time.ctime() in a urlencoded message.
var wbCTime = regexp.MustCompile(`[A-Z][a-z]{2}%20[A-Z][a-z]{2}%20(%20)?[0-9]{1,2}%20[0-9]{2}%3A[0-9]{2}%3A[0-9]{2}%20[0-9]{4}`)

// wbPre is the first <pre> of a page: the tail text.
var wbPre = regexp.MustCompile(`(?s)<pre[^>]*>(.*?)</pre>`)

// wbSummary is what is compared of an answer: the status, the Location
// (with the daemon's address and the time normalised), the Content-Type,
// the body of the error pages and redirects (which mimic medusa's), and
// the text of a tail page.
func wbSummary(r wbReply, base, path string) string {
	s := fmt.Sprintf("%d %s", r.status, r.header.Get("Content-Type"))
	if loc := r.header.Get("Location"); loc != "" {
		s += " Location: " + wbCTime.ReplaceAllString(strings.Replace(loc, base, "<BASE>", 1), "<CTIME>")
	}
	switch {
	case r.status == 301 || r.status == 400 || r.status == 401 || r.status == 404 || r.status == 411:
		s += " body: " + strings.TrimSpace(r.body)
	case r.status == 200 && strings.HasPrefix(path, "/tail.html"):
		if m := wbPre.FindStringSubmatch(r.body); m != nil {
			s += " tail: " + html.UnescapeString(m[1])
		}
	}
	return s
}

// wbDiffSteps are the requests sent to both daemons, in order; after
// each, the states of every process are compared too.
var wbDiffSteps = []struct {
	method, path, body string
	noAuth             bool
	contains           string // a text the page must contain (on both)
	printed            bool   // wait until printer has printed everything
}{
	{method: "GET", path: "/"},
	{method: "GET", path: "/index.html"},
	{method: "GET", path: "/?message=hello%20there", contains: "hello there"},
	{method: "GET", path: "/ok.html"},
	{method: "GET", path: "/ok.htmlx"},
	{method: "GET", path: "/nope.html"},
	{method: "PUT", path: "/index.html"},
	{method: "DELETE", path: "/tail.html"},
	{method: "POST", path: "/index.html"}, // no Content-Length: 411
	{method: "GET", path: "/index.html?processname=manual&action=start"},
	{method: "GET", path: "/index.html?processname=manual&action=start"},
	{method: "GET", path: "/index.html?processname=manual&action=stop"},
	{method: "GET", path: "/index.html?processname=manual&action=stop"},
	{method: "GET", path: "/?processname=sleeper&action=restart"},
	{method: "GET", path: "/?processname=manual&action=restart"},
	{method: "POST", path: "/index.html", body: "processname=manual&action=stop"},
	{method: "POST", path: "/index.html?processname=nope&action=stop", body: "processname=manual&action=start"},
	{method: "GET", path: "/?processname=failer&action=start"},
	{method: "GET", path: "/?processname=nofile&action=start"},
	{method: "GET", path: "/?processname=noexec&action=start"},
	{method: "GET", path: "/?processname=printer&action=clearlog"},
	{method: "GET", path: "/?processname=nolog&action=clearlog"},
	{method: "GET", path: "/?processname=nope&action=stop"},
	{method: "GET", path: "/?processname=grp:*&action=stop"},
	{method: "GET", path: "/?processname=grp:&action=start"},
	{method: "GET", path: "/?processname=grp:ga&action=stop"},
	{method: "GET", path: "/?processname=ga&action=stop"},
	{method: "GET", path: "/?processname=grp:ga&action=start"},
	{method: "GET", path: "/?processname=sleeper&action=bogus"},
	{method: "GET", path: "/?action=bogus"},
	{method: "GET", path: "/?action=stop"},
	{method: "GET", path: "/?processname=&action=stop"},
	{method: "GET", path: "/?action=refresh"},
	{method: "GET", path: "/?processname=sleeper&action=refresh"},
	{method: "GET", path: "/?action=stopall"},
	{method: "GET", path: "/?action=restartall"},
	{method: "GET", path: "/tail.html", printed: true},
	{method: "GET", path: "/tail.html?processname="},
	{method: "GET", path: "/tail.html?processname=nope"},
	{method: "GET", path: "/tail.html?processname=nolog"},
	{method: "GET", path: "/tail.html?processname=printer&limit=10"},
	{method: "GET", path: "/tail.html?processname=printer&limit=2000"},
	{method: "GET", path: "/tail.html?processname=printer&limit=abc"},
	{method: "GET", path: "/tail.html?processname=grp:ga"},
	{method: "GET", path: "/", noAuth: true},
	{method: "GET", path: "/index.html?processname=sleeper&action=stop", noAuth: true},
	{method: "GET", path: "/tail.html?processname=printer", noAuth: true},
	{method: "POST", path: "/index.html", body: "processname=sleeper&action=stop", noAuth: true},
}

// wbStates lists every process's state through 4.2.5's XML-RPC
// interface, for the daemon on the unix socket sock.
func wbStates(t *testing.T, sock string) string {
	t.Helper()
	out := cxPy(t, "unix://"+sock, []string{"' '.join(sorted(p['group'] + ':' + p['name'] + '=' + p['statename'] for p in s.supervisor.getAllProcessInfo()))"})[0]
	_, states, _ := strings.Cut(out, " => ")
	return states
}

// TestWebLegacyDifferential sends 4.2.5's web URLs and actions with curl
// to our daemon and to the real supervisord 4.2.5, both on the same
// configuration with an [inet_http_server] that requires credentials,
// and compares the status codes, redirects and their messages, content
// types, error pages, tail texts and the effect on every process.
func TestWebLegacyDifferential(t *testing.T) {
	testutil.RequireSupervisor(t)
	extra := map[string]string{"noexec.txt": "not a program\n"}
	ours := startWebDaemon(t, wbConfig{programs: wbDiffPrograms, auth: true, files: extra})
	os.Chmod(filepath.Join(ours.dir, "noexec.txt"), 0o644)
	realPort := testutil.FreePorts(t, 1)[0]
	real := startReal(t, wbDiffPrograms+wbInet(realPort, true), extra)
	os.Chmod(filepath.Join(real.dir, "noexec.txt"), 0o644)
	realBase := fmt.Sprintf("http://127.0.0.1:%d", realPort)
	testutil.Eventually(t, "the real daemon's inet port and programs", func() bool {
		r, err := http.Get(realBase + "/ok.html")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && strings.Contains(wbStates(t, real.sock), "printer:printer=RUNNING")
	})
	testutil.Eventually(t, "our programs", func() bool {
		return strings.Contains(wbStates(t, ours.sock), "printer:printer=RUNNING")
	})

	for i, step := range wbDiffSteps {
		what := fmt.Sprintf("step %d: %s %s", i+1, step.method, step.path)
		if step.body != "" {
			what += " [" + step.body + "]"
		}
		if step.noAuth {
			what += " (no credentials)"
		}
		if step.printed {
			for _, sock := range []string{ours.sock, real.sock} {
				if out := cxPy(t, "unix://"+sock, []string{"waitlog('printer', 'printer line 300')"}); !strings.HasSuffix(out[0], `{"ok": true}`) {
					t.Fatalf("printer did not print its lines: %s", out)
				}
			}
		}
		o := wbCurl(t, ours.base, step.method, step.path, step.body, !step.noAuth)
		r := wbCurl(t, realBase, step.method, step.path, step.body, !step.noAuth)
		oSum, rSum := wbSummary(o, ours.base, step.path), wbSummary(r, realBase, step.path)
		if oSum != rSum {
			t.Errorf("%s:\n ours: %s\n real: %s", what, oSum, rSum)
		} else {
			t.Logf("%s: %.200s", what, oSum)
		}
		if step.contains != "" && (!strings.Contains(o.body, step.contains) || !strings.Contains(r.body, step.contains)) {
			t.Errorf("%s: %q not on both pages", what, step.contains)
		}
		if oStates, rStates := wbStates(t, ours.sock), wbStates(t, real.sock); oStates != rStates {
			t.Errorf("%s: the processes differ afterwards:\n ours: %s\n real: %s", what, oStates, rStates)
		}
	}

	// The deliberate difference: /ok.html answers without credentials
	// (4.2.5 wants them, which a load balancer cannot send).
	if o, r := wbCurl(t, ours.base, "GET", "/ok.html", "", false), wbCurl(t, realBase, "GET", "/ok.html", "", false); o.status != 200 || o.body != "OK" || r.status != 401 {
		t.Errorf("/ok.html without credentials: ours %d %q, real %d", o.status, o.body, r.status)
	}
}
