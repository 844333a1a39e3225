package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// maxErrorMessage is the longest error message a REST client gets in
// full; a longer one (which quotes a bad input, say a 120 KB value) keeps
// quotedPrefix bytes and says how long it was.
const (
	maxErrorMessage = 512
	quotedPrefix    = 200
)

// limitBody answers 413 (Request Entity Too Large) to a REST request
// whose body is larger than limit, whether it says so in Content-Length
// or not; the gateway would report the cut-off body as a 400 syntax error.
// A body within the limit is read and handed on.
func limitBody(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tooLarge := func(n string) {
			writeRESTError(w, http.StatusRequestEntityTooLarge, codes.InvalidArgument,
				fmt.Sprintf("request body of %s bytes is larger than the limit of %d", n, limit))
		}
		if r.ContentLength > limit {
			tooLarge(fmt.Sprint(r.ContentLength))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			tooLarge("more than " + fmt.Sprint(limit))
			return
		case err != nil:
			writeRESTError(w, http.StatusBadRequest, codes.InvalidArgument, fmt.Sprintf("reading the request body: %v", err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// restErrorHandler is the gateway's error handler with long messages cut
// to a short prefix (shortMessage).
func restErrorHandler(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	p := status.Convert(err).Proto()
	if len(p.Message) > maxErrorMessage {
		p.Message = shortMessage(p.Message)
		for i, d := range p.Details {
			// The ErrorInfo detail repeats the message's detail.
			var info errdetails.ErrorInfo
			if d.UnmarshalTo(&info) != nil {
				continue
			}
			for k, v := range info.Metadata {
				info.Metadata[k] = shortMessage(v)
			}
			if a, err := anypb.New(&info); err == nil {
				p.Details[i] = a
			}
		}
		err = status.FromProto(p).Err()
	}
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}

// shortMessage returns msg if it is at most maxErrorMessage bytes long,
// else its first quotedPrefix bytes (whole UTF-8 characters) and its
// length.
func shortMessage(msg string) string {
	if len(msg) <= maxErrorMessage {
		return msg
	}
	cut := quotedPrefix
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (message of %d bytes cut short)", msg[:cut], len(msg))
}
