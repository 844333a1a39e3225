package compat

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// MaxRequestBytes is the largest XML-RPC request body accepted; a larger one
// is answered 413.
const MaxRequestBytes = 4 << 20

// Mount returns the legacy routes served on every endpoint: the XML-RPC
// interface (every path that starts with /RPC2, as in 4.2.5), /logtail/ and
// /mainlogtail. Their calls go through conn, the endpoint's in-process gRPC
// connection. It is a surface.Mount.
func Mount(conn grpc.ClientConnInterface, log *slog.Logger) []surface.Route {
	return routes(conn)
}

// routes returns the legacy routes over any gRPC connection.
func routes(conn grpc.ClientConnInterface) []surface.Route {
	s := newService(conn)
	return []surface.Route{
		{Prefix: "/RPC2", Handler: http.HandlerFunc(s.serveRPC)},
		{Prefix: "/logtail/", Handler: http.HandlerFunc(s.serveLogtail)},
		{Prefix: "/mainlogtail", Handler: http.HandlerFunc(s.serveMainLogtail)},
	}
}

// responseBufs recycles response buffers.
var responseBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledResponse is the largest buffer kept for reuse.
const maxPooledResponse = 1 << 20

// serveRPC answers one XML-RPC request, as 4.2.5's /RPC2 handler does: POST
// only (400 otherwise), a Content-Length is required (411), a body that is
// not a methodCall with a method name is 400; otherwise 200 with the
// methodResponse, a fault included. A call that waits for processes (a
// deferred call in 4.2.5) blocks only this request.
func (s *service) serveRPC(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	if _, ok := r.Header["Content-Length"]; !ok {
		surface.WriteHTMLError(w, http.StatusLengthRequired)
		return
	}
	if r.ContentLength > MaxRequestBytes {
		surface.WriteHTMLError(w, http.StatusRequestEntityTooLarge)
		return
	}
	name, params, err := xmlrpc.DecodeCall(r.Body, MaxRequestBytes)
	if err != nil {
		slog.Debug("XML-RPC request refused", "error", err)
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	v, err := s.dispatch(r.Context(), name, params)
	bp := responseBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledResponse {
			responseBufs.Put(bp)
		}
	}()
	var f *xmlrpc.Fault
	switch {
	case err == nil:
		*bp, err = xmlrpc.AppendResponse((*bp)[:0], v)
	case errors.As(err, &f):
		*bp, err = xmlrpc.AppendFault((*bp)[:0], f)
	}
	if err != nil {
		slog.Error("XML-RPC call failed", "method", name, "error", err)
		surface.WriteHTMLError(w, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"text/xml"}
	h["Content-Length"] = []string{strconv.Itoa(len(*bp))}
	_, _ = w.Write(*bp)
}
