package surface

import (
	"log/slog"
	"net/http"
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

// WriteHTMLError writes Supervisor's (medusa's) HTML error page with the
// status code, as 4.2.5 answers 400, 401, 404, 411, 413 and 500.
func WriteHTMLError(w http.ResponseWriter, code int) {
	body := "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code " +
		strconv.Itoa(code) + ".\r\n<p>Message: " + http.StatusText(code) + ".\r\n</body>\r\n"
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
