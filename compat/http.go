package compat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"google.golang.org/grpc"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/loglevel"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// MaxRequestBytes is the largest XML-RPC request body accepted; a larger one
// is answered 413.
const MaxRequestBytes = 4 << 20

// Mount returns the legacy routes served on every endpoint: the XML-RPC
// interface (every path that starts with /RPC2, as in 4.2.5), /logtail/ and
// /mainlogtail. Their calls go through conn, the endpoint's in-process gRPC
// connection; what they log goes to log, the daemon's main log. It is a
// surface.Mount.
func Mount(conn grpc.ClientConnInterface, log *slog.Logger) []surface.Route {
	s := newService(conn, log)
	return []surface.Route{
		{Prefix: "/RPC2", Handler: http.HandlerFunc(s.serveRPC)},
		{Prefix: "/logtail/", Handler: http.HandlerFunc(s.serveLogtail)},
		{Prefix: "/mainlogtail", Handler: http.HandlerFunc(s.serveMainLogtail)},
	}
}

// bufs recycles request and response buffers.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuffer is the largest buffer kept for reuse: a
// getAllProcessInfo answer is about 1.25 KB per process, so the answers of
// daemons of up to about 3000 processes are reused instead of being
// allocated (and collected) call after call. The pool drops what it holds
// within two garbage collections, so a burst's buffers do not outlive it.
const maxPooledBuffer = 4 << 20

// releaser is a method's answer that holds memory it gives back once
// the answer is encoded (wireInfoList).
type releaser interface{ release() }

// getBuf returns a pooled buffer; putBuf gives it back.
func getBuf() *[]byte { return bufs.Get().(*[]byte) }

// putBuf returns a buffer to the pool unless it grew too large.
func putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooledBuffer {
		bufs.Put(bp)
	}
}

// maxLoggedRequest is how much of an invalid request's body the main log
// shows.
const maxLoggedRequest = 1024

// requestRepr is the body of a request as 4.2.5 shows it in the main log
// (Python's repr), cut to maxLoggedRequest bytes.
func requestRepr(body []byte) string {
	if len(body) <= maxLoggedRequest {
		return pytext.Repr(string(body))
	}
	return pytext.Repr(string(body[:maxLoggedRequest])) + fmt.Sprintf("... (%d bytes)", len(body))
}

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
	reqBuf := getBuf()
	defer putBuf(reqBuf)
	body := slices.Grow((*reqBuf)[:0], int(r.ContentLength))[:r.ContentLength]
	*reqBuf = body
	if _, err := io.ReadFull(r.Body, body); err != nil {
		s.log.Error("XML-RPC request body could not be read", "error", err)
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	name, params, err := xmlrpc.DecodeCall(bytes.NewReader(body), MaxRequestBytes)
	if err != nil {
		why := "unmarshallable"
		if errors.Is(err, xmlrpc.ErrNoMethodName) {
			why = "no method name"
		}
		s.log.Error(fmt.Sprintf("XML-RPC request data %s is invalid: %s", requestRepr(body), why), "error", err)
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	trace := s.log.Enabled(ctx, loglevel.Trace)
	if trace {
		s.log.Log(ctx, loglevel.Trace, "XML-RPC method called: "+name+"()")
	}
	v, err := s.dispatch(ctx, name, params)
	bp := getBuf()
	defer putBuf(bp)
	var f *xmlrpc.Fault
	switch {
	case err == nil:
		if trace {
			s.log.Log(ctx, loglevel.Trace, "XML-RPC method "+name+"() returned successfully")
		}
		*bp, err = xmlrpc.AppendResponse((*bp)[:0], v)
		if r, ok := v.(releaser); ok {
			r.release()
		}
	case errors.As(err, &f):
		if trace {
			s.log.Log(ctx, loglevel.Trace, fmt.Sprintf("XML-RPC method %s() returned fault: [%d] %s", name, f.Code, f.String))
		}
		*bp, err = xmlrpc.AppendFault((*bp)[:0], f)
	}
	if err != nil {
		s.log.Log(ctx, loglevel.Critical, fmt.Sprintf("Handling XML-RPC request with data %s raised an unexpected exception: %v", requestRepr(body), err))
		surface.WriteHTMLError(w, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"text/xml"}
	h["Content-Length"] = []string{strconv.Itoa(len(*bp))}
	_, _ = w.Write(*bp)
}
