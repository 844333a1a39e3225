//go:build e2e

package e2e

import (
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestRESTText drives the text/plain REST paths with curl on both
// endpoints: writeStdin takes a raw text/plain or application/octet-stream
// body, log reads, tails and follow streams answer raw bytes when asked
// for text, and JSON keeps its base64.
func TestRESTText(t *testing.T) {
	d := rsStart(t, &rsHits{}, "\n[program:cat]\ncommand=cat\nstartsecs=0\n")
	for _, e := range []*rsEndpoint{d.unix, d.inet} {
		t.Run(e.name, func(t *testing.T) {
			e.waitProc(t, "cat", "PROCESS_STATE_RUNNING")
			from := e.logSize(t, "cat")
			logURL := e.base + "/v1/processes/cat/log"

			// A follow stream as text, from the start of the log (whenever
			// curl gets there, it sees what follows).
			var follow, followHdr testutil.Buffer
			args := append([]string{"-sS", "-N", "--max-time", "40", "-D", "/dev/stderr", "-H", "Accept: text/plain"}, e.conn...)
			followCmd := exec.Command("curl", append(append(args, e.auth...), logURL+":follow?tail_bytes=65536")...)
			followCmd.Stdout, followCmd.Stderr = &follow, &followHdr
			if err := followCmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { followCmd.Process.Kill(); followCmd.Wait() })

			text := "hello from " + e.name + "\n"
			r, err := e.curl(append(e.auth, "-H", "Content-Type: text/plain", "--data-binary", text, e.base+"/v1/processes/cat:writeStdin")...)
			if err != nil || r.status != http.StatusOK {
				t.Fatalf("writeStdin text/plain: %v %v", r, err)
			}
			binary := "\x00\x01\xfe\xff bytes\n"
			cmd := exec.Command("curl", append(append(append([]string{"-sS", "-o", "/dev/null", "-w", "%{http_code}"}, e.conn...), e.auth...),
				"-H", "Content-Type: application/octet-stream", "--data-binary", "@-", e.base+"/v1/processes/cat:writeStdin")...)
			cmd.Stdin = strings.NewReader(binary)
			if out, err := cmd.Output(); err != nil || string(out) != "200" {
				t.Fatalf("writeStdin application/octet-stream: %s %v", out, err)
			}
			e.waitLogFrom(t, "cat", from, text+binary)

			// The follow stream got the raw bytes, chunked, as text.
			testutil.Eventually(t, "the text follow stream to show both writes", func() bool {
				return strings.Contains(follow.String(), text+binary)
			})
			if h := strings.ToLower(followHdr.String()); !strings.Contains(h, "content-type: text/plain; charset=utf-8") || !strings.Contains(h, "transfer-encoding: chunked") {
				t.Errorf("follow headers: %s", followHdr.String())
			}

			// Reads and tails as text and as octet-stream.
			for _, c := range []struct{ accept, url, contentType string }{
				{"text/plain", logURL + "?offset=" + strconv.Itoa(from), "text/plain; charset=utf-8"},
				{"application/octet-stream", logURL + "?offset=" + strconv.Itoa(from), "application/octet-stream"},
				{"text/plain;q=0.9, */*;q=0.1", logURL + ":tail?offset=0&length=" + strconv.Itoa(len(text+binary)), "text/plain; charset=utf-8"},
			} {
				r, err := e.curl(append(e.auth, "-H", "Accept: "+c.accept, c.url)...)
				if err != nil || r.status != http.StatusOK || string(r.body) != text+binary || r.header.Get("Content-Type") != c.contentType {
					t.Errorf("GET %s (Accept: %s): %v %q %v", c.url, c.accept, r, r.header.Get("Content-Type"), err)
				}
			}
			r, err = e.curl(append(e.auth, "-H", "Accept: text/plain", e.base+"/v1/mainlog")...)
			if err != nil || r.status != http.StatusOK || !strings.Contains(string(r.body), "supervisord started with pid") {
				t.Errorf("main log as text: %v %v", r, err)
			}

			// JSON keeps base64.
			if got := rsBytes(t, e.ok(t, "LogService.ReadProcessLog", "cat", "offset="+strconv.Itoa(from), ""), "data"); got != text+binary {
				t.Errorf("JSON read = %q", got)
			}
			// An error asked for as text is JSON.
			r, err = e.curl(append(e.auth, "-H", "Accept: text/plain", e.base+"/v1/processes/nope/log")...)
			if err != nil || r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/json" || !strings.Contains(string(r.body), "ERROR_REASON_BAD_NAME") {
				t.Errorf("error as text: %v %v", r, err)
			}
		})
	}
}
