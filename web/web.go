package web

import (
	"bytes"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/grpc"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// maxFormBytes caps the body of a POSTed form (4.2.5's pages take their
// arguments from the query or a urlencoded body).
const maxFormBytes = 64 << 10

// contentSecurityPolicy lets the pages load only the daemon's own scripts,
// styles and images, talk only to the daemon, post forms only to it, and
// never be framed.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ui serves the web interface of one endpoint.
type ui struct {
	procs  gsupervisorv1.ProcessServiceClient
	logs   gsupervisorv1.LogServiceClient
	daemon gsupervisorv1.SupervisorServiceClient
	log    *slog.Logger
	pages  *template.Template
}

// Mount returns the web interface's routes on one endpoint: the pages and
// their assets under /, and /ok.html, which is public (a load balancer
// cannot send credentials; it answers the same "OK" to everyone). It is a
// surface.Mount: conn is the endpoint's in-process gRPC connection.
func Mount(conn grpc.ClientConnInterface, log *slog.Logger) []surface.Route {
	if log == nil {
		log = slog.Default()
	}
	u := &ui{
		procs:  gsupervisorv1.NewProcessServiceClient(conn),
		logs:   gsupervisorv1.NewLogServiceClient(conn),
		daemon: gsupervisorv1.NewSupervisorServiceClient(conn),
		log:    log,
		pages:  pageTemplates,
	}
	return []surface.Route{
		{Prefix: "/", Handler: http.HandlerFunc(u.serve)},
		{Prefix: "/ok.html", Handler: http.HandlerFunc(u.serveOK), Public: true},
	}
}

// serve dispatches a path as 4.2.5 does: leading slashes do not count, and
// the empty path is index.html.
func (u *ui) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimLeft(r.URL.Path, "/")
	if asset, ok := strings.CutPrefix(name, assetDir+"/"); ok {
		serveAsset(w, r, asset)
		return
	}
	switch name {
	case "", "index.html":
		u.page(w, r, u.serveStatus)
	case "tail.html":
		u.page(w, r, u.serveTail)
	case "ok.html":
		u.serveOK(w, r)
	default:
		surface.WriteHTMLError(w, http.StatusNotFound)
	}
}

// page reads the form of a page request and serves it with view.
func (u *ui) page(w http.ResponseWriter, r *http.Request, view func(http.ResponseWriter, *http.Request, form)) {
	f, code := readForm(r)
	if code != 0 {
		surface.WriteHTMLError(w, code)
		return
	}
	view(w, r, f)
}

// serveOK answers the health check of load balancers: 200, text/plain,
// "OK". The path must be exactly /ok.html.
func (u *ui) serveOK(w http.ResponseWriter, r *http.Request) {
	if strings.TrimLeft(r.URL.Path, "/") != "ok.html" {
		surface.WriteHTMLError(w, http.StatusNotFound)
		return
	}
	if _, code := readForm(r); code != 0 {
		surface.WriteHTMLError(w, code)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain")
	h.Set("Content-Length", "2")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, "OK")
}

// form is a page's arguments: the query, overridden by a urlencoded body.
type form struct {
	query, body url.Values
}

// get returns the value of key as 4.2.5 reads it: blank values do not
// count, the first of several wins, and the body overrides the query.
func (f form) get(key string) string {
	for _, vals := range []url.Values{f.body, f.query} {
		for _, v := range vals[key] {
			if v != "" {
				return v
			}
		}
	}
	return ""
}

// readForm reads the arguments of a page request. 4.2.5 serves the pages
// on GET and POST only (400 otherwise; we also answer HEAD, as GET without
// a body), needs a Content-Length on POST (411), and reads a POST body as
// urlencoded whatever its Content-Type. A non-zero code is the error
// status to answer.
func readForm(r *http.Request) (form, int) {
	f := form{query: r.URL.Query()}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return f, 0
	case http.MethodPost:
	default:
		return f, http.StatusBadRequest
	}
	if _, ok := r.Header["Content-Length"]; !ok {
		return f, http.StatusLengthRequired
	}
	if r.ContentLength > maxFormBytes {
		return f, http.StatusRequestEntityTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes))
	if err != nil {
		return f, http.StatusBadRequest
	}
	// Like Python's parse_qsl, a malformed pair is skipped, not an error.
	f.body, _ = url.ParseQuery(string(b))
	return f, 0
}

// setPageHeaders sets the headers of every page: 4.2.5's no-cache trio and
// the browser protections.
func setPageHeaders(h http.Header) {
	h.Set("Pragma", "no-cache")
	h.Set("Cache-Control", "no-cache")
	h.Set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

// writePage renders a page template and sends it with the page headers.
func (u *ui) writePage(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := u.pages.ExecuteTemplate(&buf, name, data); err != nil {
		u.log.Error("web interface: rendering "+name+" failed", "error", err)
		surface.WriteHTMLError(w, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	setPageHeaders(h)
	h.Set("Content-Type", "text/html;charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// refuseCrossSite answers 403 if a browser sent r from another site; it
// guards the legacy actions, which change state on GET.
func (u *ui) refuseCrossSite(w http.ResponseWriter, r *http.Request) bool {
	if !surface.CrossSite(r) {
		return false
	}
	u.log.Warn("refused a cross-site web action " + r.URL.RequestURI() +
		" (Origin " + strconv.Quote(r.Header.Get("Origin")) + ", Sec-Fetch-Site " + strconv.Quote(r.Header.Get("Sec-Fetch-Site")) + ")")
	surface.WriteHTMLErrorDetail(w, http.StatusForbidden, surface.CrossSiteRefusal)
	return true
}
