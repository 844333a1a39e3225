package surface

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestCrossSite(t *testing.T) {
	for _, c := range []struct {
		site, origin string
		want         bool
	}{
		{"", "", false},
		{"same-origin", "", false},
		{"none", "", false},
		{"same-site", "", true},
		{"cross-site", "", true},
		{"bogus", "", true},
		{"same-origin", "http://evil.example", false}, // Sec-Fetch-Site decides when present
		{"", "http://daemon:9001", false},
		{"", "https://daemon:9001", false},
		{"", "http://daemon:9002", true},
		{"", "http://evil.example", true},
		{"", "null", true},
		{"", "%zz", true},
	} {
		r := httptest.NewRequest("POST", "http://daemon:9001/RPC2", nil)
		if c.site != "" {
			r.Header.Set("Sec-Fetch-Site", c.site)
		}
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if got := CrossSite(r); got != c.want {
			t.Errorf("Sec-Fetch-Site %q, Origin %q: CrossSite = %v, want %v", c.site, c.origin, got, c.want)
		}
	}
}

func TestWriteHTMLErrorDetail(t *testing.T) {
	w := httptest.NewRecorder()
	WriteHTMLErrorDetail(w, 403, "no <script> here")
	body := w.Body.String()
	if w.Code != 403 || !strings.Contains(body, "Error code 403") || !strings.Contains(body, "no &lt;script&gt; here") {
		t.Errorf("%d %q", w.Code, body)
	}
	if w.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %s for %d bytes", w.Header().Get("Content-Length"), len(body))
	}
}
