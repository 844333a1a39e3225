package surface

import (
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"google.golang.org/grpc"
)

// Route is an HTTP handler for every path that starts with Prefix (the
// legacy XML-RPC endpoint matches /RPC2 as a prefix, as 4.2.5 does). The
// longest matching prefix wins.
type Route struct {
	// Prefix is the start of the paths the route serves.
	Prefix string
	// Handler serves them.
	Handler http.Handler
	// Public routes are served without the endpoint's authentication. Only
	// a route that reveals nothing and changes nothing may be public, such
	// as the /ok.html that load balancers poll.
	Public bool
}

// Mount builds a surface's routes for one endpoint. conn is the endpoint's
// in-process gRPC connection: calls made on it run through the server's
// own interceptors, as calls from the network do. The endpoint checks a
// request's credentials before its route runs; calls made with the
// request's context are then known to be authenticated and are not
// checked again (calls made with another context must carry
// "authorization" metadata where credentials are required). log is the
// daemon's logger (the main log; internal/loglevel names its extra
// levels).
type Mount func(conn grpc.ClientConnInterface, log *slog.Logger) []Route

// CrossSite reports whether a browser marked r as sent by a page of
// another site, so that a request which changes state must be refused
// (browsers attach cached Basic credentials to cross-site requests): its
// Sec-Fetch-Site is anything but "same-origin" or "none" (typed in the
// address bar, a bookmark), or, from a browser too old to send
// Sec-Fetch-Site, its Origin is not the daemon's own host. A request with
// neither header (curl, scripts, supervisorctl, xmlrpc.client) is not
// cross-site. This is net/http's CrossOriginProtection algorithm, applied
// to any method, because 4.2.5's web actions change state on GET.
func CrossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != r.Host
}

// SafeMethod reports whether an HTTP method is one that does not change
// state by definition (GET, HEAD, OPTIONS, TRACE).
func SafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// CrossSiteRefusal is the explanation sent with the 403 that answers a
// cross-site request which would change state.
const CrossSiteRefusal = "cross-site request refused: a browser sent this state-changing request from a page of another site " +
	"(Sec-Fetch-Site or Origin); use the daemon's own pages, or a client that is not a browser"

// TruncatedNotice is what 4.2.5's tail producer writes in a followed log
// when the file was truncated; every text rendering of a follow stream
// (/logtail, REST with Accept: text/plain) writes it the same way.
const TruncatedNotice = "==> File truncated <==\n"

// WriteHTMLError writes Supervisor's (medusa's) HTML error page with the
// status code, as 4.2.5 answers 400, 401, 404, 411, 413 and 500.
func WriteHTMLError(w http.ResponseWriter, code int) {
	WriteHTMLErrorDetail(w, code, "")
}

// WriteHTMLErrorDetail writes the HTML error page with one more paragraph
// that explains the error (none when detail is empty).
func WriteHTMLErrorDetail(w http.ResponseWriter, code int, detail string) {
	body := "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code " +
		strconv.Itoa(code) + ".\r\n<p>Message: " + http.StatusText(code) + ".\r\n"
	if detail != "" {
		body += "<p>" + html.EscapeString(detail) + "\r\n"
	}
	body += "</body>\r\n"
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
