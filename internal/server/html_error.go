package server

import "net/http"

// WriteHTMLError writes Supervisor's (medusa's) HTML error page with the
// status code, for the surfaces mounted on an endpoint (compat answers 400,
// 404, 411 and 500 with it, as 4.2.5 does).
func WriteHTMLError(w http.ResponseWriter, code int) { writeHTMLError(w, code) }
