package httpprobe

import (
	"context"
	"fmt"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/probe"
)

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte("fine\n"))
		case "/moved":
			http.Redirect(w, r, "/nowhere", http.StatusFound)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database is down"))
		case "/hang":
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	for _, c := range []struct {
		path, out string
		ok        bool
	}{
		{"/ok", "HTTP 200 OK: fine", true},
		{"/moved", "HTTP 302 Found", true},
		{"/down", "HTTP 503 Service Unavailable: database is down", false},
	} {
		r := probe.Once(context.Background(), 5*time.Second, Check(srv.URL+c.path))
		if r.OK != c.ok || !strings.HasPrefix(r.Output, c.out) {
			t.Errorf("%s: ok=%v %q, want ok=%v %q", c.path, r.OK, r.Output, c.ok, c.out)
		}
	}
	r := probe.Once(context.Background(), 50*time.Millisecond, Check(srv.URL+"/hang"))
	if r.OK || !strings.HasPrefix(r.Output, "timed out after 50ms") {
		t.Errorf("hang: %+v", r)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePorts(t, 1)[0])
	r = probe.Once(context.Background(), 5*time.Second, Check("http://"+addr+"/"))
	if r.OK || !strings.Contains(r.Output, "connection refused") {
		t.Errorf("refused: %+v", r)
	}
}
