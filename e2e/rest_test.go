//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The REST tests talk to a daemon whose two endpoints both require
// credentials, each its own: plaintext on the unix socket, {SHA} on the
// inet port.
const (
	rsUnixUser = "alice"
	rsUnixPass = "unix-secret"
	rsInetUser = "bob"
	rsInetPass = "inet-secret"
)

// rsHTTPYAML is the REST mapping the tests check the daemon against.
const rsHTTPYAML = "../proto/gsupervisor/v1/gsupervisor_http.yaml"

// rsRule is one rule of gsupervisor_http.yaml.
type rsRule struct {
	Selector string // gsupervisor.v1.ProcessService.StartProcess
	Method   string // GET, POST, DELETE
	Path     string // /v1/processes/{name}:start
	Body     string // "*" or empty
}

// rsHTTPRules parses the rules of gsupervisor_http.yaml (line by line: a
// "- selector:" line starts a rule, "get:"/"post:"/"delete:"/"body:" lines
// complete it).
func rsHTTPRules(t *testing.T) []rsRule {
	t.Helper()
	data, err := os.ReadFile(rsHTTPYAML)
	if err != nil {
		t.Fatal(err)
	}
	var rules []rsRule
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if s, ok := strings.CutPrefix(line, "- selector:"); ok {
			rules = append(rules, rsRule{Selector: strings.TrimSpace(s)})
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch key {
		case "get", "post", "delete", "put", "patch":
			if len(rules) == 0 {
				t.Fatalf("%s:%d: %s before any selector", rsHTTPYAML, i+1, key)
			}
			r := &rules[len(rules)-1]
			if r.Method != "" {
				t.Fatalf("%s:%d: a second method for %s", rsHTTPYAML, i+1, r.Selector)
			}
			r.Method, r.Path = strings.ToUpper(key), val
		case "body":
			if len(rules) == 0 {
				t.Fatalf("%s:%d: body before any selector", rsHTTPYAML, i+1)
			}
			rules[len(rules)-1].Body = val
		}
	}
	if len(rules) < 30 {
		t.Fatalf("%s: only %d rules parsed", rsHTTPYAML, len(rules))
	}
	for _, r := range rules {
		if r.Method == "" || !strings.HasPrefix(r.Path, "/v1/") || !strings.HasPrefix(r.Selector, "gsupervisor.v1.") {
			t.Fatalf("%s: incomplete rule %+v", rsHTTPYAML, r)
		}
	}
	return rules
}

// rsHits records which rules were exercised on which endpoint.
type rsHits struct {
	mu sync.Mutex
	m  map[string]map[string]bool // endpoint → short selector → hit
}

func (h *rsHits) mark(endpoint, sel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = make(map[string]map[string]bool)
	}
	if h.m[endpoint] == nil {
		h.m[endpoint] = make(map[string]bool)
	}
	h.m[endpoint][sel] = true
}

// check fails the test for every rule not exercised on every endpoint.
func (h *rsHits) check(t *testing.T, rules []rsRule, endpoints ...string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ep := range endpoints {
		for _, r := range rules {
			sel := strings.TrimPrefix(r.Selector, "gsupervisor.v1.")
			if !h.m[ep][sel] {
				t.Errorf("%s %s (%s) was not exercised on the %s endpoint", r.Method, r.Path, r.Selector, ep)
			}
		}
	}
}

// rsBasic sends HTTP Basic credentials as gRPC authorization metadata.
type rsBasic struct{ user, pass string }

func (b rsBasic) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(b.user+":"+b.pass))}, nil
}

func (rsBasic) RequireTransportSecurity() bool { return false }

// rsEndpoint is one endpoint of the daemon as curl reaches it.
type rsEndpoint struct {
	name  string   // "unix" or "inet"
	base  string   // http://localhost or http://127.0.0.1:port
	conn  []string // how curl connects (--unix-socket path)
	auth  []string // the endpoint's good credentials (-u user:pass)
	rules map[string]rsRule
	hits  *rsHits
	tmp   string
	n     atomic.Int64
}

// rsResp is one HTTP answer.
type rsResp struct {
	what   string
	status int
	header http.Header
	body   []byte
}

func (r rsResp) String() string { return fmt.Sprintf("%s: HTTP %d %s", r.what, r.status, r.body) }

// curl runs curl once (-sS -w '\n%{http_code}') and returns the answer; an
// error means curl itself failed (connection refused, timeout).
func (e *rsEndpoint) curl(args ...string) (rsResp, error) {
	hdr := filepath.Join(e.tmp, fmt.Sprintf("h%d", e.n.Add(1)))
	defer os.Remove(hdr)
	full := []string{"-sS", "-g", "--max-time", "60", "-D", hdr, "-w", "\n%{http_code}"}
	full = append(full, e.conn...)
	full = append(full, args...)
	ctx, cancel := context.WithTimeout(context.Background(), testutil.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "curl", full...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	what := e.name + ": curl " + strings.Join(args, " ")
	if err != nil {
		return rsResp{what: what}, fmt.Errorf("%s: %w: %s", what, err, stderr.Bytes())
	}
	i := bytes.LastIndexByte(out, '\n')
	if i < 0 {
		return rsResp{what: what}, fmt.Errorf("%s: no status line in %q", what, out)
	}
	code, err := strconv.Atoi(string(out[i+1:]))
	if err != nil {
		return rsResp{what: what}, fmt.Errorf("%s: status %q: %w", what, out[i+1:], err)
	}
	h, err := os.ReadFile(hdr)
	if err != nil {
		return rsResp{what: what}, fmt.Errorf("%s: headers: %w", what, err)
	}
	return rsResp{what: what, status: code, header: rsParseHeader(h), body: out[:i]}, nil
}

// rsParseHeader parses the last header block curl -D wrote.
func rsParseHeader(raw []byte) http.Header {
	blocks := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n")), "\n\n")
	h := http.Header{}
	for _, line := range strings.Split(blocks[len(blocks)-1], "\n")[1:] {
		if k, v, ok := strings.Cut(line, ":"); ok {
			h.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v))
		}
	}
	return h
}

// rsPathParam matches a path parameter of a rule ({name}, {group}).
var rsPathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// url builds the URL of a rule with its path parameter and query.
func (e *rsEndpoint) url(t *testing.T, sel, param, query string) (rsRule, string) {
	t.Helper()
	r, ok := e.rules[sel]
	if !ok {
		t.Fatalf("no rule for %s in %s", sel, rsHTTPYAML)
	}
	path := rsPathParam.ReplaceAllLiteralString(r.Path, param)
	if strings.Contains(r.Path, "{") && param == "" {
		t.Fatalf("%s needs a path parameter", sel)
	}
	if query != "" {
		path += "?" + query
	}
	return r, e.base + path
}

// call calls the route of a rule (sel is "Service.Method") with the
// endpoint's credentials and records it as exercised.
func (e *rsEndpoint) call(t *testing.T, sel, param, query, body string) rsResp {
	t.Helper()
	r, url := e.url(t, sel, param, query)
	args := append([]string{"-X", r.Method}, e.auth...)
	if body != "" {
		args = append(args, "-H", "Content-Type: application/json", "-d", body)
	}
	resp, err := e.curl(append(args, url)...)
	if err != nil {
		t.Fatal(err)
	}
	e.hits.mark(e.name, sel)
	return resp
}

// ok calls a route that must succeed and returns its JSON object.
func (e *rsEndpoint) ok(t *testing.T, sel, param, query, body string) map[string]any {
	t.Helper()
	r := e.call(t, sel, param, query, body)
	if r.status != http.StatusOK {
		t.Fatalf("%v", r)
	}
	return rsObject(t, r)
}

// rsObject decodes a JSON object answer.
func rsObject(t *testing.T, r rsResp) map[string]any {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%v: Content-Type %q", r, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%v: not a JSON object: %v", r, err)
	}
	return m
}

// fail calls a route that must fail and checks the error.
func (e *rsEndpoint) fail(t *testing.T, status, code int, reason, msg, sel, param, query, body string) {
	t.Helper()
	rsCheckError(t, e.call(t, sel, param, query, body), status, code, reason, msg)
}

// rsCheckError checks an error answer: the HTTP status and the gateway's
// JSON google.rpc.Status (code, message) with the ErrorInfo detail that
// carries the legacy reason (no detail when reason is empty). A message
// ending in "*" is a prefix. A stream's error is the same status inside
// {"error": …}.
func rsCheckError(t *testing.T, r rsResp, status, code int, reason, msg string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%v: want HTTP %d", r, status)
		return
	}
	m := rsObject(t, r)
	if inner, ok := m["error"].(map[string]any); ok && len(m) == 1 {
		m = inner
	}
	if got, ok := m["code"].(float64); !ok || int(got) != code {
		t.Errorf("%v: want code %d", r, code)
	}
	got, _ := m["message"].(string)
	if p, ok := strings.CutSuffix(msg, "*"); ok && !strings.HasPrefix(got, p) || !ok && got != msg {
		t.Errorf("%v: want message %q", r, msg)
	}
	details, ok := m["details"].([]any)
	if !ok {
		t.Errorf("%v: no details array", r)
		return
	}
	if reason == "" {
		if len(details) != 0 {
			t.Errorf("%v: want no details", r)
		}
		return
	}
	if len(details) != 1 {
		t.Errorf("%v: want one ErrorInfo detail", r)
		return
	}
	d, _ := details[0].(map[string]any)
	md, _ := d["metadata"].(map[string]any)
	// ErrorInfo.reason is spelled as the ErrorReason enum value.
	if d["@type"] != "type.googleapis.com/google.rpc.ErrorInfo" || d["reason"] != "ERROR_REASON_"+reason || d["domain"] != "gsupervisor.v1" || md == nil {
		t.Errorf("%v: want an ErrorInfo with reason ERROR_REASON_%s in domain gsupervisor.v1", r, reason)
		return
	}
	if _, ok := md["detail"].(string); !ok {
		t.Errorf("%v: ErrorInfo without metadata.detail", r)
	}
}

// rsGet walks a decoded JSON value by object keys and array indexes.
func rsGet(t *testing.T, v any, path ...any) any {
	t.Helper()
	cur := v
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("want an object for %q in %s", k, rsJSON(v))
			}
			if cur, ok = m[k]; !ok {
				t.Fatalf("no key %q in %s", k, rsJSON(v))
			}
		case int:
			a, ok := cur.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("no element %d in %s", k, rsJSON(v))
			}
			cur = a[k]
		}
	}
	return cur
}

func rsStr(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, ok := rsGet(t, v, path...).(string)
	if !ok {
		t.Fatalf("%v is not a string in %s", path, rsJSON(v))
	}
	return s
}

func rsNum(t *testing.T, v any, path ...any) float64 {
	t.Helper()
	n, ok := rsGet(t, v, path...).(float64)
	if !ok {
		t.Fatalf("%v is not a number in %s", path, rsJSON(v))
	}
	return n
}

func rsArr(t *testing.T, v any, path ...any) []any {
	t.Helper()
	a, ok := rsGet(t, v, path...).([]any)
	if !ok {
		t.Fatalf("%v is not an array in %s", path, rsJSON(v))
	}
	return a
}

// rsBytes decodes a bytes field (base64 in JSON).
func rsBytes(t *testing.T, v any, path ...any) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(rsStr(t, v, path...))
	if err != nil {
		t.Fatalf("%v is not base64 in %s: %v", path, rsJSON(v), err)
	}
	return string(b)
}

func rsJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func rsB64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// rsResults checks a list of ProcessResult: every item succeeded, and the
// namespecs (group:name) include want.
func rsResults(t *testing.T, v any, key string, want ...string) {
	t.Helper()
	var got []string
	for _, it := range rsArr(t, v, key) {
		if rsStr(t, it, "reason") != "ERROR_REASON_UNSPECIFIED" || rsStr(t, it, "description") != "OK" {
			t.Errorf("%s: a failed item in %s", key, rsJSON(v))
		}
		got = append(got, rsStr(t, it, "group")+":"+rsStr(t, it, "name"))
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s: no result for %s in %s", key, w, rsJSON(v))
		}
	}
}

// rsStream is a curl -N reading a NDJSON stream.
type rsStream struct {
	t     *testing.T
	what  string
	cmd   *exec.Cmd
	lines chan string
	once  sync.Once
}

// stream starts following a streaming route.
func (e *rsEndpoint) stream(t *testing.T, sel, param, query string) *rsStream {
	t.Helper()
	_, url := e.url(t, sel, param, query)
	args := append([]string{"-sS", "-N", "-g", "--max-time", "40"}, e.conn...)
	args = append(args, e.auth...)
	cmd := exec.Command("curl", append(args, url)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e.hits.mark(e.name, sel)
	s := &rsStream{t: t, what: e.name + ": curl -N " + url, cmd: cmd, lines: make(chan string, 4096)}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	t.Cleanup(s.close)
	return s
}

// next returns the next line of the stream, decoded.
func (s *rsStream) next() map[string]any {
	s.t.Helper()
	var line string
	select {
	case l, ok := <-s.lines:
		if !ok {
			s.t.Fatalf("%s: the stream ended", s.what)
		}
		line = l
	case <-time.After(testutil.Timeout):
		s.t.Fatalf("%s: no line within %v", s.what, testutil.Timeout)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		s.t.Fatalf("%s: not a JSON line: %q", s.what, line)
	}
	return m
}

// until returns the first line for which match is true, giving every
// line read to seen (if not nil).
func (s *rsStream) until(what string, match func(map[string]any) bool, seen func(map[string]any)) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(testutil.Timeout)
	for {
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: timed out waiting for %s", s.what, what)
		}
		m := s.next()
		if seen != nil {
			seen(m)
		}
		if match(m) {
			return m
		}
	}
}

// close stops curl (it is our child, by its id).
func (s *rsStream) close() {
	s.once.Do(func() {
		s.cmd.Process.Kill()
		for range s.lines {
		}
		s.cmd.Wait()
	})
}

// rsDaemon is a daemon with credentials on a unix and an inet endpoint.
type rsDaemon struct {
	*daemon
	port int
	unix *rsEndpoint
	inet *rsEndpoint
}

// rsTrapper is a program that reports being up and every SIGUSR1 on
// stdout.
const rsTrapper = `#!/bin/sh
trap 'echo "usr1 $1"' USR1
echo "up $1"
while :; do sleep 1 & wait $!; done
`

// rsConfig is configBody with credentials on the unix socket and an inet
// server with a {SHA} password.
func rsConfig(programs string, port int) string {
	sum := sha1.Sum([]byte(rsInetPass))
	body := strings.Replace(configBody(programs), "file=%(here)s/s.sock\n",
		"file=%(here)s/s.sock\nusername="+rsUnixUser+"\npassword="+rsUnixPass+"\n", 1)
	body = strings.Replace(body, "serverurl=unix://%(here)s/s.sock\n",
		"serverurl=unix://%(here)s/s.sock\nusername="+rsUnixUser+"\npassword="+rsUnixPass+"\n", 1)
	return body + fmt.Sprintf("\n[inet_http_server]\nport=127.0.0.1:%d\nusername=%s\npassword={SHA}%s\n",
		port, rsInetUser, hex.EncodeToString(sum[:]))
}

// rsStart starts a daemon on programs with both endpoints (retrying with
// another port if the free port was taken meanwhile) and waits until both
// serve.
func rsStart(t *testing.T, hits *rsHits, programs string) *rsDaemon {
	t.Helper()
	rules := make(map[string]rsRule)
	for _, r := range rsHTTPRules(t) {
		rules[strings.TrimPrefix(r.Selector, "gsupervisor.v1.")] = r
	}
	dir := testutil.ShortTempDir(t)
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "trapper.sh"), []byte(rsTrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; ; attempt++ {
		port := testutil.FreePorts(t, 1)[0]
		conf := filepath.Join(dir, "supervisord.conf")
		if err := os.WriteFile(conf, []byte(rsConfig(programs, port)), 0o644); err != nil {
			t.Fatal(err)
		}
		d := &daemon{t: t, dir: dir, conf: conf, sock: filepath.Join(dir, "s.sock"), out: &testutil.Buffer{}, exited: make(chan struct{})}
		rd := &rsDaemon{daemon: d, port: port}
		rd.unix = &rsEndpoint{name: "unix", base: "http://localhost", conn: []string{"--unix-socket", d.sock},
			auth: []string{"-u", rsUnixUser + ":" + rsUnixPass}, rules: rules, hits: hits, tmp: dir}
		rd.inet = &rsEndpoint{name: "inet", base: fmt.Sprintf("http://127.0.0.1:%d", port),
			auth: []string{"-u", rsInetUser + ":" + rsInetPass}, rules: rules, hits: hits, tmp: dir}
		if rd.launch() {
			return rd
		}
		if attempt == 3 {
			t.Fatalf("the daemon could not listen on a free port three times:\n%s", d.out)
		}
	}
}

// launch starts the daemon and waits until both endpoints answer; false
// if it exited because the inet port was in use.
func (d *rsDaemon) launch() bool {
	return d.launchOnPort("both endpoints to serve", func() bool {
		for _, e := range []*rsEndpoint{d.unix, d.inet} {
			r, err := e.curl(append(e.auth, e.base+"/v1/daemon/state")...)
			if err != nil || r.status != http.StatusOK {
				return false
			}
		}
		return true
	}, grpc.WithPerRPCCredentials(rsBasic{rsUnixUser, rsUnixPass}))
}

// waitProc polls GetProcess through REST until the process is in state.
func (e *rsEndpoint) waitProc(t *testing.T, name, state string) map[string]any {
	t.Helper()
	var last map[string]any
	testutil.Eventually(t, fmt.Sprintf("%s to be %s (%s)", name, state, e.name), func() bool {
		last = e.ok(t, "ProcessService.GetProcess", name, "", "")
		return rsStr(t, last, "process", "state") == state
	})
	return last
}

// waitLog polls ReadProcessLog (whole stdout log) until cond holds.
func (e *rsEndpoint) waitLog(t *testing.T, name, what string, cond func(string) bool) string {
	t.Helper()
	var data string
	testutil.Eventually(t, fmt.Sprintf("the log of %s to show %s (%s)", name, what, e.name), func() bool {
		data = rsBytes(t, e.ok(t, "LogService.ReadProcessLog", name, "", ""), "data")
		return cond(data)
	})
	return data
}

// rsEveryRoutePrograms: a homogeneous group grp of two trappers (colon
// names), cat (stdin → stdout log) and knob, whose command the config
// edits change.
const rsEveryRoutePrograms = `
[group:grp]
programs=ga,gb

[program:ga]
command=/bin/sh %(here)s/trapper.sh ga
startsecs=0
stopasgroup=true

[program:gb]
command=/bin/sh %(here)s/trapper.sh gb
startsecs=0
stopasgroup=true

[program:cat]
command=cat
startsecs=0

[program:knob]
command=sleep 5000
autostart=false
startsecs=0
`

// TestRESTEveryRoute exercises every rule of gsupervisor_http.yaml with
// curl on both endpoints (unix socket and inet port, each with its own
// credentials) and checks the JSON of each answer; it fails if a rule is
// not exercised on both.
func TestRESTEveryRoute(t *testing.T) {
	rules := rsHTTPRules(t)
	hits := &rsHits{}
	d := rsStart(t, hits, rsEveryRoutePrograms)
	for _, e := range []*rsEndpoint{d.unix, d.inet} {
		t.Run(e.name, func(t *testing.T) {
			e.waitProc(t, "grp:ga", "PROCESS_STATE_RUNNING")
			e.waitProc(t, "grp:gb", "PROCESS_STATE_RUNNING")
			e.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
			rsDaemonInfo(t, d, e)
			rsProcessInfo(t, e)
			rsProcessControl(t, e)
			rsGroupAndAllControl(t, e)
			rsProgramControl(t, e)
			rsProcessLogs(t, e)
			rsMainLog(t, e)
			rsEvents(t, e)
			rsConfigRoutes(t, d, e)
			rsDaemonRestart(t, d, e)
		})
	}
	// Shutdown, last, each on a daemon of its own.
	var wg sync.WaitGroup
	for _, name := range []string{"unix", "inet"} {
		sd := rsStart(t, hits, "")
		e := sd.unix
		if name == "inet" {
			e = sd.inet
		}
		if m := e.ok(t, "SupervisorService.Shutdown", "", "", "{}"); len(m) != 0 {
			t.Errorf("%s: Shutdown = %s, want {}", name, rsJSON(m))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-sd.exited:
			case <-time.After(testutil.Timeout):
				t.Errorf("%s: the daemon did not exit within %v of Shutdown", name, testutil.Timeout)
			}
		}()
	}
	wg.Wait()
	hits.check(t, rules, "unix", "inet")
}

// rsProgramControl: a program disabled and enabled again (knob stays
// stopped: it has no autostart), and scaled to the numprocs of its file.
func rsProgramControl(t *testing.T, e *rsEndpoint) {
	if got := rsArr(t, e.ok(t, "ProcessService.DisableProgram", "knob", "", `{"wait":true}`), "programs"); len(got) != 1 || got[0] != "knob" {
		t.Errorf("DisableProgram knob: programs %v", got)
	}
	if p := e.ok(t, "ProcessService.GetProcess", "knob", "", ""); rsGet(t, p, "process", "disabled") != true {
		t.Errorf("knob after DisableProgram: %s", rsJSON(p))
	}
	if got := rsArr(t, e.ok(t, "ProcessService.EnableProgram", "knob", "", `{}`), "programs"); len(got) != 1 || got[0] != "knob" {
		t.Errorf("EnableProgram knob: programs %v", got)
	}
	p := e.ok(t, "ProcessService.GetProcess", "knob", "", "")
	if proc, _ := p["process"].(map[string]any); proc["disabled"] == true || rsStr(t, p, "process", "state") != "PROCESS_STATE_STOPPED" {
		t.Errorf("knob after EnableProgram: %s", rsJSON(p))
	}
	if n := rsNum(t, e.ok(t, "ProcessService.ScaleProgram", "knob", "", `{"numprocs":1}`), "numprocs"); n != 1 {
		t.Errorf("ScaleProgram knob 1: numprocs %v", n)
	}
}

// rsDaemonInfo: state, version, identification, pid.
func rsDaemonInfo(t *testing.T, d *rsDaemon, e *rsEndpoint) {
	if st := rsStr(t, e.ok(t, "SupervisorService.GetState", "", "", ""), "state"); st != "SUPERVISOR_STATE_RUNNING" {
		t.Errorf("GetState = %s", st)
	}
	v := e.ok(t, "SupervisorService.GetVersion", "", "", "")
	if rsStr(t, v, "api_version") != "3.0" || rsStr(t, v, "supervisor_version") != "4.2.5" || rsStr(t, v, "daemon_version") == "" {
		t.Errorf("GetVersion = %s", rsJSON(v))
	}
	if id := rsStr(t, e.ok(t, "SupervisorService.GetIdentification", "", "", ""), "identifier"); id != "e2e" {
		t.Errorf("GetIdentification = %q, want e2e", id)
	}
	if pid := rsNum(t, e.ok(t, "SupervisorService.GetPID", "", "", ""), "pid"); int(pid) != d.cmd.Process.Pid {
		t.Errorf("GetPID = %v, want %d", pid, d.cmd.Process.Pid)
	}
}

// rsProcessInfo: list, get (colon name), config list.
func rsProcessInfo(t *testing.T, e *rsEndpoint) {
	list := rsArr(t, e.ok(t, "ProcessService.ListProcesses", "", "", ""), "processes")
	var keys, specs []string
	for _, p := range list {
		for _, k := range []string{"name", "group", "namespec", "state", "pid", "description", "start_time", "stdout_logfile"} {
			rsGet(t, p, k)
		}
		keys = append(keys, rsStr(t, p, "group")+"\x00"+rsStr(t, p, "name"))
		specs = append(specs, rsStr(t, p, "namespec"))
	}
	if !sort.StringsAreSorted(keys) {
		t.Errorf("ListProcesses is not ordered by group and name: %v", specs)
	}
	for _, w := range []string{"cat", "grp:ga", "grp:gb", "knob"} {
		if !slices.Contains(specs, w) {
			t.Errorf("ListProcesses has no %s: %v", w, specs)
		}
	}
	p := e.ok(t, "ProcessService.GetProcess", "grp:ga", "", "")
	if rsStr(t, p, "process", "namespec") != "grp:ga" || rsStr(t, p, "process", "group") != "grp" ||
		rsStr(t, p, "process", "name") != "ga" || rsNum(t, p, "process", "pid") <= 0 ||
		!strings.HasPrefix(rsStr(t, p, "process", "description"), "pid ") {
		t.Errorf("GetProcess grp:ga = %s", rsJSON(p))
	}
	var found bool
	for _, c := range rsArr(t, e.ok(t, "ProcessService.ListProcessConfigs", "", "", ""), "configs") {
		if rsStr(t, c, "name") != "ga" {
			continue
		}
		found = true
		if rsStr(t, c, "group") != "grp" || rsGet(t, c, "in_use") != true || !strings.HasSuffix(rsStr(t, c, "command"), "trapper.sh ga") ||
			rsStr(t, c, "kind") != "PROGRAM_KIND_PROGRAM" || rsGet(t, c, "stop_as_group") != true || rsNum(t, c, "start_secs") != 0 {
			t.Errorf("ListProcessConfigs ga = %s", rsJSON(c))
		}
		rsGet(t, c, "stdout", "logfile")
	}
	if !found {
		t.Errorf("ListProcessConfigs has no ga")
	}
}

// logSize returns the size of a process's stdout log (TailProcessLog's
// offset).
func (e *rsEndpoint) logSize(t *testing.T, name string) int {
	t.Helper()
	n, err := strconv.Atoi(rsStr(t, e.ok(t, "LogService.TailProcessLog", name, "offset=0&length=1", ""), "offset"))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitLogFrom waits until the log of name from offset on is want.
func (e *rsEndpoint) waitLogFrom(t *testing.T, name string, from int, want string) {
	t.Helper()
	testutil.Eventually(t, fmt.Sprintf("the log of %s from %d to be %q (%s)", name, from, want, e.name), func() bool {
		return rsBytes(t, e.ok(t, "LogService.ReadProcessLog", name, fmt.Sprintf("offset=%d&length=0", from), ""), "data") == want
	})
}

// rsProcessControl: stop/start/restart/signal one process by its colon
// name, and tail, follow and clear its log.
func rsProcessControl(t *testing.T, e *rsEndpoint) {
	p := e.ok(t, "ProcessService.StopProcess", "grp:ga", "", `{"wait":true}`)
	if rsStr(t, p, "process", "state") != "PROCESS_STATE_STOPPED" || rsStr(t, p, "process", "namespec") != "grp:ga" {
		t.Errorf("StopProcess grp:ga = %s", rsJSON(p))
	}
	size := e.logSize(t, "grp:ga") // stopped, ga writes nothing more
	p = e.ok(t, "ProcessService.StartProcess", "grp:ga", "", `{"wait":true}`)
	if rsStr(t, p, "process", "state") != "PROCESS_STATE_RUNNING" {
		t.Errorf("StartProcess grp:ga = %s", rsJSON(p))
	}
	pid := rsNum(t, p, "process", "pid")
	e.waitLogFrom(t, "grp:ga", size, "up ga\n")
	p = e.ok(t, "ProcessService.RestartProcess", "grp:ga", "", `{"wait":true}`)
	if rsStr(t, p, "process", "state") != "PROCESS_STATE_RUNNING" || rsNum(t, p, "process", "pid") == pid {
		t.Errorf("RestartProcess grp:ga = %s (pid before %v)", rsJSON(p), pid)
	}
	// The trap is set before "up" is printed: signal only then.
	e.waitLogFrom(t, "grp:ga", size, "up ga\nup ga\n")
	// Tail: the last length bytes, since the log grew beyond offset.
	full := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "grp:ga", "", ""), "data")
	tail := e.ok(t, "LogService.TailProcessLog", "grp:ga", fmt.Sprintf("offset=%d&length=10", size), "")
	if rsBytes(t, tail, "data") != full[len(full)-10:] || rsStr(t, tail, "offset") != strconv.Itoa(size+12) || rsGet(t, tail, "overflow") != true {
		t.Errorf("TailProcessLog grp:ga = %s", rsJSON(tail))
	}
	tail = e.ok(t, "LogService.TailProcessLog", "grp:ga", fmt.Sprintf("offset=%d&length=12", size), "")
	if rsBytes(t, tail, "data") != "up ga\nup ga\n" || rsStr(t, tail, "offset") != strconv.Itoa(size+12) || rsGet(t, tail, "overflow") != false {
		t.Errorf("TailProcessLog grp:ga = %s", rsJSON(tail))
	}
	s := e.stream(t, "LogService.FollowProcessLog", "grp:ga", "tail_bytes=6")
	var got strings.Builder
	chunk := func(m map[string]any) { got.WriteString(rsBytes(t, m, "result", "chunk", "data")) }
	s.until("the tail", func(map[string]any) bool { return got.String() == "up ga\n" }, chunk)
	if m := e.ok(t, "ProcessService.SignalProcess", "grp:ga", "", `{"signal":"USR1"}`); len(m) != 0 {
		t.Errorf("SignalProcess = %s", rsJSON(m))
	}
	s.until("usr1 ga", func(map[string]any) bool { return got.String() == "up ga\nusr1 ga\n" }, chunk)
	s.close()
	// Running and quiet, ga's log stays empty once cleared.
	if m := e.ok(t, "LogService.ClearProcessLogs", "grp:ga", "", "{}"); len(m) != 0 {
		t.Errorf("ClearProcessLogs = %s", rsJSON(m))
	}
	if data := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "grp:ga", "", ""), "data"); data != "" {
		t.Errorf("the log of grp:ga after ClearProcessLogs: %q", data)
	}
	// ga does not read its stdin; the bytes wait in the pipe.
	e.ok(t, "ProcessService.WriteProcessStdin", "grp:ga", "", `{"data":"`+rsB64("ignored\n")+`"}`)
	e.waitProc(t, "grp:ga", "PROCESS_STATE_RUNNING")
}

// rsGroupAndAllControl: the group and "all" forms of start, stop,
// restart and signal (with wait), and clearAllLogs.
func rsGroupAndAllControl(t *testing.T, e *rsEndpoint) {
	members := []string{"grp:ga", "grp:gb"}
	rsResults(t, e.ok(t, "ProcessService.StopProcessGroup", "grp", "", `{"wait":true}`), "results", members...)
	sizes := map[string]int{}
	for _, n := range members {
		if st := rsStr(t, e.ok(t, "ProcessService.GetProcess", n, "", ""), "process", "state"); st != "PROCESS_STATE_STOPPED" {
			t.Errorf("%s after StopProcessGroup: %s", n, st)
		}
		sizes[n] = e.logSize(t, n)
	}
	rsResults(t, e.ok(t, "ProcessService.StartProcessGroup", "grp", "", `{"wait":true}`), "results", members...)
	for _, n := range members {
		if st := rsStr(t, e.ok(t, "ProcessService.GetProcess", n, "", ""), "process", "state"); st != "PROCESS_STATE_RUNNING" {
			t.Errorf("%s after StartProcessGroup: %s", n, st)
		}
		e.waitLogFrom(t, n, sizes[n], "up "+n[4:]+"\n")
	}
	r := e.ok(t, "ProcessService.RestartProcessGroup", "grp", "", `{"wait":true}`)
	rsResults(t, r, "stop_results", members...)
	rsResults(t, r, "start_results", members...)
	for _, n := range members {
		e.waitLogFrom(t, n, sizes[n], strings.Repeat("up "+n[4:]+"\n", 2))
	}
	rsResults(t, e.ok(t, "ProcessService.SignalProcessGroup", "grp", "", `{"signal":"SIGUSR1"}`), "results", members...)
	for _, n := range members {
		e.waitLogFrom(t, n, sizes[n], strings.Repeat("up "+n[4:]+"\n", 2)+"usr1 "+n[4:]+"\n")
	}
	rsResults(t, e.ok(t, "LogService.ClearAllProcessLogs", "", "", "{}"), "results", "cat:cat", "grp:ga", "grp:gb", "knob:knob")
	for _, n := range append(members, "cat") {
		if data := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", n, "", ""), "data"); data != "" {
			t.Errorf("the log of %s after ClearAllProcessLogs: %q", n, data)
		}
	}

	rsResults(t, e.ok(t, "ProcessService.StopAllProcesses", "", "", `{"wait":true}`), "results", "cat:cat", "grp:ga", "grp:gb")
	for _, p := range rsArr(t, e.ok(t, "ProcessService.ListProcesses", "", "", ""), "processes") {
		if st := rsStr(t, p, "state"); st != "PROCESS_STATE_STOPPED" {
			t.Errorf("%s after StopAllProcesses: %s", rsStr(t, p, "namespec"), st)
		}
	}
	rsResults(t, e.ok(t, "ProcessService.StartAllProcesses", "", "", `{"wait":true}`), "results", "cat:cat", "grp:ga", "grp:gb", "knob:knob")
	for _, p := range rsArr(t, e.ok(t, "ProcessService.ListProcesses", "", "", ""), "processes") {
		if st := rsStr(t, p, "state"); st != "PROCESS_STATE_RUNNING" {
			t.Errorf("%s after StartAllProcesses: %s", rsStr(t, p, "namespec"), st)
		}
	}
	r = e.ok(t, "ProcessService.RestartAllProcesses", "", "", `{"wait":true}`)
	rsResults(t, r, "stop_results", "cat:cat", "grp:ga", "grp:gb", "knob:knob")
	rsResults(t, r, "start_results", "cat:cat", "grp:ga", "grp:gb", "knob:knob")
	// SIGWINCH is ignored by every program here.
	rsResults(t, e.ok(t, "ProcessService.SignalAllProcesses", "", "", `{"signal":"WINCH"}`), "results", "cat:cat", "grp:ga", "grp:gb", "knob:knob")
	// Leave knob stopped, as configured.
	e.ok(t, "ProcessService.StopProcess", "knob", "", `{"wait":true}`)
}

// rsProcessLogs: writeStdin, log read with channel/offset/length, tail,
// follow.
func rsProcessLogs(t *testing.T, e *rsEndpoint) {
	e.ok(t, "LogService.ClearProcessLogs", "cat", "", "")
	hello := "hello-" + e.name + "\n"
	if m := e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64(hello)+`"}`); len(m) != 0 {
		t.Errorf("WriteProcessStdin = %s", rsJSON(m))
	}
	e.waitLog(t, "cat", hello, func(s string) bool { return s == hello })
	if got := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "cat", "channel=LOG_CHANNEL_STDOUT&offset=1&length=4", ""), "data"); got != "ello" {
		t.Errorf("ReadProcessLog offset=1 length=4 = %q", got)
	}
	if got := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "cat", "offset=-3", ""), "data"); got != hello[len(hello)-3:] {
		t.Errorf("ReadProcessLog offset=-3 = %q", got)
	}
	if got := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "cat", "channel=LOG_CHANNEL_STDERR", ""), "data"); got != "" {
		t.Errorf("ReadProcessLog stderr = %q", got)
	}
	tail := e.ok(t, "LogService.TailProcessLog", "cat", "offset=0&length=3", "")
	if rsBytes(t, tail, "data") != hello[len(hello)-3:] || rsStr(t, tail, "offset") != strconv.Itoa(len(hello)) || rsGet(t, tail, "overflow") != true {
		t.Errorf("TailProcessLog offset=0 length=3 = %s", rsJSON(tail))
	}
	tail = e.ok(t, "LogService.TailProcessLog", "cat", fmt.Sprintf("channel=LOG_CHANNEL_STDOUT&offset=%d&length=100", len(hello)), "")
	if rsBytes(t, tail, "data") != "" || rsStr(t, tail, "offset") != strconv.Itoa(len(hello)) || rsGet(t, tail, "overflow") != false {
		t.Errorf("TailProcessLog at the end = %s", rsJSON(tail))
	}

	// Follow: the existing bytes first, then a line written after the
	// stream started.
	s := e.stream(t, "LogService.FollowProcessLog", "cat", "channel=LOG_CHANNEL_STDOUT&tail_bytes=1024")
	var got strings.Builder
	chunk := func(m map[string]any) {
		if r, ok := m["result"].(map[string]any); ok {
			if c, ok := r["chunk"].(map[string]any); ok {
				got.WriteString(rsBytes(t, c, "data"))
				rsStr(t, c, "offset")
				return
			}
		}
		t.Errorf("FollowProcessLog: unexpected line %s", rsJSON(m))
	}
	s.until("the existing log", func(map[string]any) bool { return got.String() == hello }, chunk)
	world := "world-" + e.name + "\n"
	e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64(world)+`"}`)
	s.until("the new line", func(map[string]any) bool { return got.String() == hello+world }, chunk)
	s.close()
}

// rsMainLog: read with offset/length, follow (a new line arrives), clear
// (the follower is told; the old lines are gone).
func rsMainLog(t *testing.T, e *rsEndpoint) {
	if got := rsBytes(t, e.ok(t, "LogService.ReadMainLog", "", "offset=0&length=100", ""), "data"); len(got) != 100 {
		t.Errorf("ReadMainLog offset=0 length=100: %d bytes", len(got))
	}
	if got := rsBytes(t, e.ok(t, "LogService.ReadMainLog", "", "offset=-50", ""), "data"); len(got) != 50 || !strings.HasSuffix(got, "\n") {
		t.Errorf("ReadMainLog offset=-50 = %q", got)
	}
	s := e.stream(t, "LogService.FollowMainLog", "", "tail_bytes=20")
	var got strings.Builder
	restarted := false
	line := func(m map[string]any) {
		r, _ := m["result"].(map[string]any)
		if c, ok := r["chunk"].(map[string]any); ok {
			got.WriteString(rsBytes(t, c, "data"))
		} else if rs, ok := r["restart"].(map[string]any); ok && rsStr(t, rs, "cause") == "LOG_RESTART_CAUSE_TRUNCATED" {
			restarted = true
		} else {
			t.Errorf("FollowMainLog: unexpected line %s", rsJSON(m))
		}
	}
	s.until("the tail", func(map[string]any) bool { return got.Len() >= 20 }, line)
	e.ok(t, "ProcessService.StopProcess", "cat", "", `{"wait":true}`)
	s.until("stopped: cat", func(map[string]any) bool { return strings.Contains(got.String(), "stopped: cat") }, line)
	if m := e.ok(t, "LogService.ClearMainLog", "", "", "{}"); len(m) != 0 {
		t.Errorf("ClearMainLog = %s", rsJSON(m))
	}
	got.Reset()
	e.ok(t, "ProcessService.StartProcess", "cat", "", `{"wait":true}`)
	s.until("the restart, then spawned: 'cat'", func(map[string]any) bool {
		return restarted && strings.Contains(got.String(), "spawned: 'cat'")
	}, line)
	s.close()
	if all := rsBytes(t, e.ok(t, "LogService.ReadMainLog", "", "", ""), "data"); strings.Contains(all, "stopped: cat") || !strings.Contains(all, "spawned: 'cat'") {
		t.Errorf("the main log after ClearMainLog: %q", all)
	}
}

// rsEvents: the event stream filtered by type and process, and by type
// for remote communication events.
func rsEvents(t *testing.T, e *rsEndpoint) {
	s := e.stream(t, "EventService.SubscribeEvents", "", "types=EVENT_TYPE_PROCESS_STATE&processes=grp:ga")
	first := s.next()
	if _, ok := rsGet(t, first, "result", "ready").(map[string]any); !ok {
		t.Fatalf("the first line is not the ready marker: %s", rsJSON(first))
	}
	rsStr(t, first, "result", "ready", "last_serial")
	// gb's changes are filtered out; ga's arrive.
	e.ok(t, "ProcessService.StopProcess", "grp:gb", "", `{"wait":true}`)
	e.ok(t, "ProcessService.StopProcess", "grp:ga", "", `{"wait":true}`)
	var types []string
	s.until("ga's STOPPED event", func(m map[string]any) bool {
		ev := rsGet(t, m, "result", "event")
		ps := rsGet(t, ev, "process_state")
		if rsStr(t, ps, "process_name") != "ga" || rsStr(t, ps, "group_name") != "grp" {
			t.Errorf("an event of another process passed the filter: %s", rsJSON(m))
		}
		types = append(types, rsStr(t, ev, "type"))
		rsStr(t, ev, "serial")
		rsStr(t, ev, "time")
		return rsStr(t, ev, "name") == "PROCESS_STATE_STOPPED" && rsStr(t, ps, "from_state") == "PROCESS_STATE_STOPPING"
	}, nil)
	if !slices.Equal(types, []string{"EVENT_TYPE_PROCESS_STATE_STOPPING", "EVENT_TYPE_PROCESS_STATE_STOPPED"}) {
		t.Errorf("ga's events: %v", types)
	}
	s.close()

	s = e.stream(t, "EventService.SubscribeEvents", "", "types=EVENT_TYPE_REMOTE_COMMUNICATION")
	if _, ok := rsGet(t, s.next(), "result", "ready").(map[string]any); !ok {
		t.Fatalf("the first line is not the ready marker")
	}
	e.ok(t, "ProcessService.StartProcessGroup", "grp", "", `{"wait":true}`)
	if m := e.ok(t, "EventService.SendRemoteCommEvent", "", "", `{"type":"rs-`+e.name+`","data":"payload"}`); len(m) != 0 {
		t.Errorf("SendRemoteCommEvent = %s", rsJSON(m))
	}
	ev := rsGet(t, s.next(), "result", "event")
	if rsStr(t, ev, "type") != "EVENT_TYPE_REMOTE_COMMUNICATION" || rsStr(t, ev, "remote_communication", "type") != "rs-"+e.name ||
		rsStr(t, ev, "remote_communication", "data") != "payload" {
		t.Errorf("the first event after the process changes: %s", rsJSON(ev))
	}
	s.close()
}

// rsEditKnob changes knob's command in the config file (a changed group
// for reread) and optionally adds a program.
func rsEditKnob(t *testing.T, d *rsDaemon, add string) {
	t.Helper()
	data, err := os.ReadFile(d.conf)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`command=sleep (\d+)`)
	m := re.FindSubmatch(data)
	if m == nil {
		t.Fatalf("no knob command in %s", d.conf)
	}
	n, _ := strconv.Atoi(string(m[1]))
	data = re.ReplaceAll(data, []byte(fmt.Sprintf("command=sleep %d", n+1)))
	data = append(data, add...)
	if err := os.WriteFile(d.conf, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rsConfigRoutes: reread (plan, revision), add (and 409 the second time),
// remove, update with a stale and with the current revision.
func rsConfigRoutes(t *testing.T, d *rsDaemon, e *rsEndpoint) {
	extra := "extra_" + e.name
	rsEditKnob(t, d, "\n[program:"+extra+"]\ncommand=cat\nautostart=false\nstartsecs=0\n")
	plan := e.ok(t, "ConfigService.RereadConfig", "", "", "{}")
	if rsJSON(rsGet(t, plan, "added")) != `["`+extra+`"]` || rsJSON(rsGet(t, plan, "changed")) != `["knob"]` || rsJSON(rsGet(t, plan, "removed")) != `[]` {
		t.Errorf("RereadConfig = %s", rsJSON(plan))
	}
	rev1 := rsStr(t, plan, "revision")
	var sawAdd, sawCommand bool
	for _, g := range rsArr(t, plan, "plan") {
		switch rsStr(t, g, "group") {
		case extra:
			sawAdd = rsStr(t, g, "kind") == "GROUP_CHANGE_KIND_ADDED"
		case "knob":
			for _, o := range rsArr(t, g, "options") {
				if rsStr(t, o, "option") == "command" && rsStr(t, o, "process") == "knob" &&
					strings.HasPrefix(rsStr(t, o, "old_value"), "sleep ") && strings.HasPrefix(rsStr(t, o, "new_value"), "sleep ") {
					sawCommand = rsStr(t, g, "kind") == "GROUP_CHANGE_KIND_CHANGED"
				}
			}
		}
	}
	if rev1 == "" || !sawAdd || !sawCommand {
		t.Errorf("RereadConfig plan = %s", rsJSON(plan))
	}

	if m := e.ok(t, "ConfigService.AddProcessGroup", extra, "", "{}"); len(m) != 0 {
		t.Errorf("AddProcessGroup = %s", rsJSON(m))
	}
	if st := rsStr(t, e.ok(t, "ProcessService.GetProcess", extra, "", ""), "process", "state"); st != "PROCESS_STATE_STOPPED" {
		t.Errorf("%s after AddProcessGroup: %s", extra, st)
	}
	e.fail(t, 409, 6, "ALREADY_ADDED", "ALREADY_ADDED: "+extra, "ConfigService.AddProcessGroup", extra, "", "{}")
	if m := e.ok(t, "ConfigService.RemoveProcessGroup", extra, "", ""); len(m) != 0 {
		t.Errorf("RemoveProcessGroup = %s", rsJSON(m))
	}
	e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: "+extra, "ProcessService.GetProcess", extra, "", "")

	// The file changes again: the reviewed revision is stale.
	rsEditKnob(t, d, "")
	e.fail(t, 409, 10, "REVISION_MISMATCH", "REVISION_MISMATCH: *", "ConfigService.UpdateConfig", "", "", `{"revision":"`+rev1+`"}`)
	plan = e.ok(t, "ConfigService.RereadConfig", "", "", "")
	rev2 := rsStr(t, plan, "revision")
	if rev2 == rev1 {
		t.Errorf("the revision did not change with the file: %s", rev2)
	}
	up := e.ok(t, "ConfigService.UpdateConfig", "", "", `{"revision":"`+rev2+`","stop_timeout":"10s"}`)
	if rsStr(t, up, "revision") != rev2 {
		t.Errorf("UpdateConfig revision = %s, want %s", rsJSON(up), rev2)
	}
	kinds := map[string]string{}
	for _, r := range rsArr(t, up, "results") {
		if rsStr(t, r, "reason") != "ERROR_REASON_UNSPECIFIED" || rsStr(t, r, "description") != "OK" {
			t.Errorf("UpdateConfig: a failed group in %s", rsJSON(up))
		}
		kinds[rsStr(t, r, "group")] = rsStr(t, r, "kind")
	}
	if kinds[extra] != "GROUP_CHANGE_KIND_ADDED" || kinds["knob"] != "GROUP_CHANGE_KIND_CHANGED" || len(kinds) != 2 {
		t.Errorf("UpdateConfig results = %s", rsJSON(up))
	}
	if st := rsStr(t, e.ok(t, "ProcessService.GetProcess", extra, "", ""), "process", "state"); st != "PROCESS_STATE_STOPPED" {
		t.Errorf("%s after UpdateConfig: %s", extra, st)
	}
}

// rsDaemonRestart: restart in place (same pid), then serving again on
// both endpoints with the programs running again (new pids: the restart
// really happened).
func rsDaemonRestart(t *testing.T, d *rsDaemon, e *rsEndpoint) {
	before := rsNum(t, e.ok(t, "ProcessService.GetProcess", "grp:ga", "", ""), "process", "pid")
	if m := e.ok(t, "SupervisorService.Restart", "", "", "{}"); len(m) != 0 {
		t.Errorf("Restart = %s", rsJSON(m))
	}
	for _, ep := range []*rsEndpoint{d.unix, d.inet} {
		testutil.Eventually(t, "grp:ga to run again after Restart, on "+ep.name, func() bool {
			r, err := ep.curl(append(ep.auth, ep.base+"/v1/processes/grp:ga")...)
			if err != nil || r.status != http.StatusOK {
				return false
			}
			m := rsObject(t, r)
			return rsStr(t, m, "process", "state") == "PROCESS_STATE_RUNNING" && rsNum(t, m, "process", "pid") != before
		})
		if st := rsStr(t, ep.ok(t, "SupervisorService.GetState", "", "", ""), "state"); st != "SUPERVISOR_STATE_RUNNING" {
			t.Errorf("%s: GetState after Restart = %s", ep.name, st)
		}
	}
	if pid := rsNum(t, e.ok(t, "SupervisorService.GetPID", "", "", ""), "pid"); int(pid) != d.cmd.Process.Pid {
		t.Errorf("GetPID after Restart = %v, want the same process %d", pid, d.cmd.Process.Pid)
	}
	for _, n := range []string{"grp:gb", "cat"} {
		e.waitProc(t, n, "PROCESS_STATE_RUNNING")
	}
}

// rsErrorPrograms: cat runs, idle is stopped and has no stdout log, slow
// ignores SIGTERM to hold the daemon in its shutdown until the test kills
// it (its stopwaitsecs is an hour).
const rsErrorPrograms = `
[program:cat]
command=cat
startsecs=0

[program:idle]
command=cat
autostart=false
stdout_logfile=NONE

[program:slow]
command=/bin/sh -c 'trap "" TERM; echo ready; while :; do sleep 1; done'
startsecs=0
stopwaitsecs=3600
`

// TestRESTErrorStatuses checks every error status and its JSON body on
// both endpoints: the reasons with their HTTP statuses, the gateway's own
// errors, stream errors, authentication and the shutdown state.
func TestRESTErrorStatuses(t *testing.T) {
	d := rsStart(t, &rsHits{}, rsErrorPrograms)
	d.unix.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
	d.unix.waitLog(t, "slow", "ready", func(s string) bool { return s == "ready\n" })
	slow := int(rsNum(t, d.unix.waitProc(t, "slow", "PROCESS_STATE_RUNNING"), "process", "pid"))
	for _, e := range []*rsEndpoint{d.unix, d.inet} {
		t.Run(e.name, func(t *testing.T) {
			// 404: unknown names, colon or not, for every kind of route.
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nope", "ProcessService.GetProcess", "nope", "", "")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: cat:nope", "ProcessService.GetProcess", "cat:nope", "", "")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nogroup:x", "ProcessService.StartProcess", "nogroup:x", "", "{}")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nogroup", "ProcessService.StopProcessGroup", "nogroup", "", "{}")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nogroup", "ConfigService.AddProcessGroup", "nogroup", "", "{}")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nogroup", "ConfigService.RemoveProcessGroup", "nogroup", "", "")
			e.fail(t, 404, 5, "BAD_NAME", "BAD_NAME: nope", "LogService.ClearProcessLogs", "nope", "", "{}")
			// 404 NO_FILE: a channel without a log.
			e.fail(t, 404, 5, "NO_FILE", "NO_FILE", "LogService.ReadProcessLog", "idle", "", "")
			// 409: a group already added.
			e.fail(t, 409, 6, "ALREADY_ADDED", "ALREADY_ADDED: cat", "ConfigService.AddProcessGroup", "cat", "", "{}")
			// 400: bad signal, bad log range, wrong state.
			e.fail(t, 400, 3, "BAD_SIGNAL", "BAD_SIGNAL: NOPE", "ProcessService.SignalProcess", "cat", "", `{"signal":"NOPE"}`)
			// As in 4.2.5, the group and "all" forms report a bad signal per
			// process.
			for _, it := range rsArr(t, e.ok(t, "ProcessService.SignalAllProcesses", "", "", `{"signal":"999"}`), "results") {
				if rsStr(t, it, "reason") != "ERROR_REASON_BAD_SIGNAL" || rsStr(t, it, "description") != "BAD_SIGNAL: 999" {
					t.Errorf("SignalAllProcesses 999: %s", rsJSON(it))
				}
			}
			e.fail(t, 400, 3, "BAD_ARGUMENTS", "BAD_ARGUMENTS", "LogService.ReadProcessLog", "cat", "offset=-1&length=5", "")
			e.fail(t, 400, 3, "BAD_ARGUMENTS", "BAD_ARGUMENTS", "LogService.ReadMainLog", "", "offset=-10&length=5", "")
			e.fail(t, 400, 9, "NOT_RUNNING", "NOT_RUNNING: idle", "ProcessService.StopProcess", "idle", "", `{"wait":true}`)
			e.fail(t, 400, 9, "NOT_RUNNING", "NOT_RUNNING: idle", "ProcessService.SignalProcess", "idle", "", `{"signal":"HUP"}`)
			e.fail(t, 400, 9, "ALREADY_STARTED", "ALREADY_STARTED: cat", "ProcessService.StartProcess", "cat", "", "{}")
			e.fail(t, 400, 9, "STILL_RUNNING", "STILL_RUNNING: cat", "ConfigService.RemoveProcessGroup", "cat", "", "")
			// 409: a stale revision (codes.Aborted is 409 Conflict in the gateway).
			e.fail(t, 409, 10, "REVISION_MISMATCH", "REVISION_MISMATCH: the configuration file changed since revision stale*",
				"ConfigService.UpdateConfig", "", "", `{"revision":"stale"}`)
			// The gateway's own errors: no ErrorInfo.
			e.fail(t, 400, 3, "", "invalid character*", "ProcessService.StartProcess", "cat", "", "{not json")
			e.fail(t, 400, 3, "", "*", "LogService.ReadProcessLog", "cat", "channel=BOGUS", "")
			r := rsRaw(t, e, e.auth, "GET", "/v1/nope")
			rsCheckError(t, r, 404, 5, "", "Not Found")
			r = rsRaw(t, e, e.auth, "DELETE", "/v1/processes")
			// grpc-gateway answers a known path with another method
			// "Method Not Allowed" as codes.Unimplemented, HTTP 501.
			rsCheckError(t, r, 501, 12, "", "Method Not Allowed")
			// Outside /v1/: Supervisor's HTML 404.
			if r := rsRaw(t, e, e.auth, "GET", "/nothing"); r.status != 404 || !strings.Contains(string(r.body), "Error code 404") {
				t.Errorf("%v: want the HTML 404", r)
			}
			// Streams: the error comes before any line, with its status.
			r = e.call(t, "LogService.FollowProcessLog", "nope", "", "")
			rsCheckError(t, r, 404, 5, "BAD_NAME", "BAD_NAME: nope")
			if !bytes.HasPrefix(r.body, []byte(`{"error":`)) {
				t.Errorf("%v: a stream error is {\"error\": status}", r)
			}
			r = e.call(t, "EventService.SubscribeEvents", "", "types=EVENT_TYPE_UNSPECIFIED", "")
			rsCheckError(t, r, 400, 3, "BAD_ARGUMENTS", "BAD_ARGUMENTS: unknown event type EVENT_TYPE_UNSPECIFIED")
			rsCheckError(t, e.call(t, "LogService.FollowProcessLog", "idle", "", ""), 404, 5, "NO_FILE", "NO_FILE")
			rsAuthErrors(t, d, e)
		})
	}

	// 400 CANT_REREAD: a broken file.
	good, err := os.ReadFile(d.conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.conf, append(append([]byte{}, good...), "\n[program:broken]\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	d.unix.fail(t, 400, 3, "CANT_REREAD", "CANT_REREAD: *", "ConfigService.RereadConfig", "", "", "{}")
	d.inet.fail(t, 400, 3, "CANT_REREAD", "CANT_REREAD: *", "ConfigService.UpdateConfig", "", "", "{}")
	if err := os.WriteFile(d.conf, good, 0o644); err != nil {
		t.Fatal(err)
	}

	// 503: while slow holds the shutdown, every call but
	// SendRemoteCommEvent is refused on both endpoints.
	d.inet.ok(t, "SupervisorService.Shutdown", "", "", "{}")
	for _, e := range []*rsEndpoint{d.unix, d.inet} {
		for _, c := range []struct{ sel, param, query, body string }{
			{"SupervisorService.GetState", "", "", ""},
			{"ProcessService.GetProcess", "cat", "", ""},
			{"ProcessService.StartProcess", "idle", "", "{}"},
			{"LogService.ReadMainLog", "", "", ""},
			{"ConfigService.RereadConfig", "", "", "{}"},
		} {
			e.fail(t, 503, 14, "SHUTDOWN_STATE", "SHUTDOWN_STATE", c.sel, c.param, c.query, c.body)
		}
		if m := e.ok(t, "EventService.SendRemoteCommEvent", "", "", `{"type":"t","data":"during shutdown"}`); len(m) != 0 {
			t.Errorf("%s: SendRemoteCommEvent during shutdown = %s", e.name, rsJSON(m))
		}
		// Authentication still comes first.
		if r := rsRaw(t, e, nil, "GET", "/v1/daemon/state"); r.status != 401 {
			t.Errorf("%v: want 401 during shutdown", r)
		}
	}
	select {
	case <-d.exited:
		t.Fatalf("the daemon exited before the 503 checks were done: slow did not hold it")
	default:
	}
	syscall.Kill(-slow, syscall.SIGKILL)
	testutil.Receive(t, d.exited, "the daemon to exit once slow is killed")
	if _, err := os.Stat(d.sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket %s is left after the shutdown: %v", d.sock, err)
	}
}

// rsRaw sends one request with the given curl credential arguments.
func rsRaw(t *testing.T, e *rsEndpoint, auth []string, method, path string) rsResp {
	t.Helper()
	args := append([]string{"-X", method}, auth...)
	r, err := e.curl(append(args, e.base+path)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rsAuthErrors: 401 without, with wrong and with the other endpoint's
// credentials, on the REST routes (JSON) and elsewhere (HTML).
func rsAuthErrors(t *testing.T, d *rsDaemon, e *rsEndpoint) {
	user, pass := rsUnixUser, rsUnixPass
	bad := [][]string{nil, {"-u", rsInetUser + ":" + rsInetPass}} // the other endpoint's credentials
	if e == d.inet {
		user, pass = rsInetUser, rsInetPass
		sum := sha1.Sum([]byte(rsInetPass))
		bad = [][]string{nil, {"-u", rsUnixUser + ":" + rsUnixPass},
			{"-u", rsInetUser + ":{SHA}" + hex.EncodeToString(sum[:])}} // the stored hash is no password
	}
	bad = append(bad, []string{"-u", user + ":wrong"}, []string{"-u", "mallory:" + pass},
		[]string{"-H", "Authorization: Bearer " + pass})
	for _, auth := range bad {
		for _, path := range []string{"/v1/daemon/state", "/v1/processes/cat:stop", "/v1/events"} {
			method := "GET"
			if strings.HasSuffix(path, ":stop") {
				method = "POST"
			}
			r := rsRaw(t, e, auth, method, path)
			rsCheckError(t, r, 401, 16, "", "Unauthorized: *")
			if got := r.header.Get("Www-Authenticate"); got != `Basic realm="default"` {
				t.Errorf("%v: WWW-Authenticate %q", r, got)
			}
		}
		if r := rsRaw(t, e, auth, "GET", "/openapi.json"); r.status != 401 || !strings.Contains(string(r.body), "Error code 401") {
			t.Errorf("%v: want the HTML 401", r)
		}
	}
	// The refused stop did nothing.
	e.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
}

// TestOpenAPISpec fetches /openapi.json and /swagger.json with curl on
// both endpoints: the generated OpenAPI 3 document and the Swagger 2.0 one
// it is converted from, which is structurally valid and describes exactly
// the rules of gsupervisor_http.yaml.
func TestOpenAPISpec(t *testing.T) {
	rules := rsHTTPRules(t)
	d := rsStart(t, &rsHits{}, "")
	for _, doc := range []struct{ path, file string }{
		{"/openapi.json", "../gen/openapi/gsupervisor.openapi.json"},
		{"/swagger.json", "../gen/openapi/gsupervisor.swagger.json"},
	} {
		want, err := os.ReadFile(doc.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []*rsEndpoint{d.unix, d.inet} {
			r := rsRaw(t, e, e.auth, "GET", doc.path)
			if r.status != 200 || !bytes.Equal(r.body, want) {
				t.Fatalf("%s: %s: HTTP %d, %d bytes, not %s", e.name, doc.path, r.status, len(r.body), doc.file)
			}
			if doc.path == "/swagger.json" {
				rsCheckSpec(t, rsObject(t, r), rules)
			}
		}
	}
}

// rsCheckSpec checks a Swagger 2.0 document against the HTTP rules.
func rsCheckSpec(t *testing.T, spec map[string]any, rules []rsRule) {
	t.Helper()
	if spec["swagger"] != "2.0" {
		t.Errorf("swagger = %v, want 2.0", spec["swagger"])
	}
	if rsStr(t, spec, "info", "title") == "" || rsStr(t, spec, "info", "version") == "" {
		t.Errorf("info = %s", rsJSON(spec["info"]))
	}
	paths, _ := spec["paths"].(map[string]any)
	defs, _ := spec["definitions"].(map[string]any)
	if len(paths) == 0 || len(defs) == 0 {
		t.Fatalf("no paths or no definitions")
	}
	// Every $ref resolves.
	var refs int
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k == "$ref" {
					refs++
					ref, _ := c.(string)
					name, ok := strings.CutPrefix(ref, "#/definitions/")
					if _, found := defs[name]; !ok || !found {
						t.Errorf("%s: $ref %q does not resolve", at, ref)
					}
					continue
				}
				walk(c, at+"/"+k)
			}
		case []any:
			for i, c := range x {
				walk(c, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(spec, "#")
	if refs == 0 {
		t.Errorf("no $ref at all")
	}
	// Every rule is an operation, and every operation a rule.
	ops := map[string]bool{}
	for p, item := range paths {
		for m := range item.(map[string]any) {
			ops[strings.ToUpper(m)+" "+p] = true
		}
	}
	for _, r := range rules {
		key := r.Method + " " + r.Path
		if !ops[key] {
			t.Errorf("the spec has no %s (%s)", key, r.Selector)
			continue
		}
		delete(ops, key)
		op := rsGet(t, paths, r.Path, strings.ToLower(r.Method))
		if id := rsStr(t, op, "operationId"); id != strings.ReplaceAll(strings.TrimPrefix(r.Selector, "gsupervisor.v1."), ".", "_") {
			t.Errorf("%s: operationId %q for %s", key, id, r.Selector)
		}
		rsGet(t, op, "responses", "200")
		var inPath, inBody []string
		if ps, ok := op.(map[string]any)["parameters"].([]any); ok {
			for _, p := range ps {
				switch rsStr(t, p, "in") {
				case "path":
					if rsGet(t, p, "required") != true {
						t.Errorf("%s: path parameter %s is not required", key, rsStr(t, p, "name"))
					}
					inPath = append(inPath, rsStr(t, p, "name"))
				case "body":
					inBody = append(inBody, rsStr(t, p, "name"))
				}
			}
		}
		wantPath := rsPathParam.FindAllStringSubmatch(r.Path, -1)
		if len(inPath) != len(wantPath) || len(wantPath) == 1 && inPath[0] != wantPath[0][1] {
			t.Errorf("%s: path parameters %v", key, inPath)
		}
		if (r.Body == "*") != (len(inBody) == 1) {
			t.Errorf("%s: body %q but body parameters %v", key, r.Body, inBody)
		}
	}
	for extra := range ops {
		t.Errorf("the spec has %s, which is no rule of %s", extra, rsHTTPYAML)
	}
}

// TestOpenAPISpecDescribesTheWire checks the JSON the daemon really sends
// against the schemas /swagger.json (the source of /openapi.json) gives
// for it: every key of every
// answer (unary, stream lines, errors) must be a property of its schema,
// with the schema's type and enum values. A client generated from the
// spec can then read every field.
func TestOpenAPISpecDescribesTheWire(t *testing.T) {
	d := rsStart(t, &rsHits{}, rsEveryRoutePrograms)
	e := d.unix
	spec := rsObject(t, rsRaw(t, e, e.auth, "GET", "/swagger.json"))
	sc := &rsSchemaChecker{t: t, defs: spec["definitions"].(map[string]any), seen: map[string]bool{}}
	schema := func(sel, status string) any {
		r := e.rules[sel]
		return rsGet(t, spec, "paths", r.Path, strings.ToLower(r.Method), "responses", status, "schema")
	}
	e.waitProc(t, "grp:ga", "PROCESS_STATE_RUNNING")
	e.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
	e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64("hello\n")+`"}`)
	e.waitLog(t, "cat", "hello", func(s string) bool { return s == "hello\n" })
	rsEditKnob(t, d, "\n[program:extra]\ncommand=cat\nautostart=false\n")
	for _, c := range []struct{ sel, param, query, body string }{
		{"SupervisorService.GetState", "", "", ""},
		{"SupervisorService.GetVersion", "", "", ""},
		{"SupervisorService.GetIdentification", "", "", ""},
		{"SupervisorService.GetPID", "", "", ""},
		{"ProcessService.ListProcesses", "", "", ""},
		{"ProcessService.GetProcess", "grp:ga", "", ""},
		{"ProcessService.ListProcessConfigs", "", "", ""},
		{"LogService.ReadProcessLog", "cat", "", ""},
		{"LogService.TailProcessLog", "cat", "offset=0&length=3", ""},
		{"LogService.ReadMainLog", "", "offset=-20", ""},
		{"ConfigService.RereadConfig", "", "", "{}"},
		{"ProcessService.RestartProcess", "grp:ga", "", `{"wait":true}`},
		{"ProcessService.StopProcessGroup", "grp", "", `{"wait":true}`},
		{"ProcessService.StartAllProcesses", "", "", `{"wait":true}`},
		{"ProcessService.RestartProcessGroup", "grp", "", `{"wait":true}`},
		{"LogService.ClearAllProcessLogs", "", "", "{}"},
		{"ConfigService.UpdateConfig", "", "", "{}"},
	} {
		sc.check(schema(c.sel, "200"), e.ok(t, c.sel, c.param, c.query, c.body), c.sel)
	}
	// An error is the "default" response.
	r := e.call(t, "ProcessService.GetProcess", "nope", "", "")
	sc.check(schema("ProcessService.GetProcess", "default"), rsObject(t, r), "GetProcess error")
	// Stream lines: replayed events and the ready marker, log chunks.
	s := e.stream(t, "EventService.SubscribeEvents", "", "after_serial=0")
	s.until("the ready marker", func(m map[string]any) bool {
		sc.check(schema("EventService.SubscribeEvents", "200"), m, "SubscribeEvents line")
		_, ready := rsGet(t, m, "result").(map[string]any)["ready"]
		return ready
	}, nil)
	s.close()
	s = e.stream(t, "LogService.FollowMainLog", "", "tail_bytes=10")
	sc.check(schema("LogService.FollowMainLog", "200"), s.next(), "FollowMainLog line")
	s.close()
	e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64("again\n")+`"}`)
	s = e.stream(t, "LogService.FollowProcessLog", "cat", "tail_bytes=10")
	sc.check(schema("LogService.FollowProcessLog", "200"), s.next(), "FollowProcessLog line")
	s.close()
}

// rsSchemaChecker checks JSON values against Swagger 2.0 schemas,
// reporting each distinct problem once.
type rsSchemaChecker struct {
	t    *testing.T
	defs map[string]any
	seen map[string]bool
}

// errorf reports a problem once per key (the first place it is seen).
func (c *rsSchemaChecker) errorf(key, format string, args ...any) {
	c.t.Helper()
	if !c.seen[key] {
		c.seen[key] = true
		c.t.Errorf(format, args...)
	}
}

// check checks v against schema; at names the place for messages.
func (c *rsSchemaChecker) check(schema, v any, at string) {
	c.t.Helper()
	s, _ := schema.(map[string]any)
	name := at
	for i := 0; s != nil && i < 16; i++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		name = strings.TrimPrefix(ref, "#/definitions/")
		s, _ = c.defs[name].(map[string]any)
	}
	if s == nil {
		c.errorf(at, "%s: no schema", at)
		return
	}
	typ, _ := s["type"].(string)
	switch x := v.(type) {
	case nil:
	case map[string]any:
		if typ != "" && typ != "object" {
			c.errorf(name, "%s (%s): an object where the schema says %s", at, name, typ)
			return
		}
		props, _ := s["properties"].(map[string]any)
		_, open := s["additionalProperties"]
		for k, val := range x {
			p, ok := props[k]
			if !ok {
				if !open {
					keys := make([]string, 0, len(props))
					for pk := range props {
						keys = append(keys, pk)
					}
					sort.Strings(keys)
					c.errorf(name+"."+k, "%s: the daemon sends %q, which is not a property of %s (%v)", at, k, name, keys)
				}
				continue
			}
			c.check(p, val, at+"."+k)
		}
	case []any:
		if typ != "array" {
			c.errorf(name, "%s (%s): an array where the schema says %q", at, name, typ)
			return
		}
		for _, it := range x {
			c.check(s["items"], it, at+"[]")
		}
	case string:
		if typ != "string" {
			c.errorf(name, "%s (%s): a string where the schema says %q", at, name, typ)
		}
		if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any(x)) {
			c.errorf(name+"="+x, "%s (%s): %q is not one of the enum values", at, name, x)
		}
	case float64:
		if typ != "integer" && typ != "number" {
			c.errorf(name, "%s (%s): a number where the schema says %q", at, name, typ)
		}
	case bool:
		if typ != "boolean" {
			c.errorf(name, "%s (%s): a boolean where the schema says %q", at, name, typ)
		}
	}
}

// TestRESTFollowChunkOffset checks LogChunk.offset as log.proto documents
// it: "the offset in the current log file just after data". The daemon
// sends the offset of the first byte of data (internal/server followParts
// passes logs.Chunk.Offset, the start): the code or the comment must
// change.
func TestRESTFollowChunkOffset(t *testing.T) {
	d := rsStart(t, &rsHits{}, "[program:cat]\ncommand=cat\nstartsecs=0\n")
	for _, e := range []*rsEndpoint{d.unix, d.inet} {
		e.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
		e.ok(t, "LogService.ClearProcessLogs", "cat", "", "{}")
		e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64("hello\n")+`"}`)
		e.waitLog(t, "cat", "hello", func(s string) bool { return s == "hello\n" })
		s := e.stream(t, "LogService.FollowProcessLog", "cat", "tail_bytes=1024")
		var size int
		chunk := func(m map[string]any) {
			c := rsGet(t, m, "result", "chunk")
			size += len(rsBytes(t, c, "data"))
			if off := rsStr(t, c, "offset"); off != strconv.Itoa(size) {
				t.Errorf("%s: a chunk ending at %d has offset %s, log.proto says \"just after data\": %s", e.name, size, off, rsJSON(m))
			}
		}
		s.until("hello", func(map[string]any) bool { return size == 6 }, chunk)
		e.ok(t, "ProcessService.WriteProcessStdin", "cat", "", `{"data":"`+rsB64("world\n")+`"}`)
		s.until("world", func(map[string]any) bool { return size == 12 }, chunk)
		s.close()
	}
}
