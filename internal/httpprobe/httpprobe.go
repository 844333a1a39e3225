package httpprobe

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gsupervisor/gsupervisor/internal/probe"
)

// bodyPreview is how much of an HTTP response body a result shows.
const bodyPreview = 256

// Check checks by sending GET url: a 2xx or 3xx status passes (redirects
// are not followed). Each check opens its own connection.
func Check(url string) probe.Check {
	client := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return func(ctx context.Context) (bool, string) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, err.Error()
		}
		req.Header.Set("User-Agent", "gsupervisor-probe")
		resp, err := client.Do(req)
		if err != nil {
			return false, unwrapURLError(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, bodyPreview))
		text := "HTTP " + resp.Status + suffix(probe.Printable(bytes.TrimSpace(body)))
		return resp.StatusCode >= 200 && resp.StatusCode < 400, text
	}
}

// unwrapURLError drops net/http's "Get \"url\": " prefix.
func unwrapURLError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return err.Error()
}

// suffix returns ": s" for a non-empty s.
func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}
