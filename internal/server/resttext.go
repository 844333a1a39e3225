package server

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// This file lets REST speak text where people want text, as a marshaler of
// the gateway chosen by media type, so REST stays a thin adapter over the
// same gRPC calls:
//   - Accept: text/plain (or application/octet-stream) on a log read
//     answers the log's raw bytes, and on a follow stream every new byte as
//     it is written (chunked); a gap (a reader too slow) is the line
//     "==> N bytes not shown (reading too slowly) <==", a truncation
//     surface.TruncatedNotice, a rotation nothing (the stream goes on in
//     the new file);
//   - Content-Type: text/plain (or application/octet-stream) on writeStdin
//     takes the raw body as the data.
// Everything else (errors, other responses) stays JSON, with its
// Content-Type saying so.

// Media types of the text renderings.
const (
	mimeText   = "text/plain"
	mimeBinary = "application/octet-stream"
	mimeJSON   = "application/json"
)

// textMarshalers returns the gateway options that register the text
// marshalers; json is the marshaler they fall back to.
func textMarshalers(json runtime.Marshaler) []runtime.ServeMuxOption {
	return []runtime.ServeMuxOption{
		runtime.WithMarshalerOption(mimeText, &textMarshaler{mediaType: mimeText, contentType: "text/plain; charset=utf-8", json: json}),
		runtime.WithMarshalerOption(mimeBinary, &textMarshaler{mediaType: mimeBinary, contentType: mimeBinary, json: json}),
	}
}

// textMarshaler renders log data as raw bytes and decodes a raw request
// body into writeStdin's data; any other value goes through json.
type textMarshaler struct {
	mediaType   string
	contentType string
	json        runtime.Marshaler
}

var (
	_ runtime.Marshaler         = (*textMarshaler)(nil)
	_ runtime.Delimited         = (*textMarshaler)(nil)
	_ runtime.StreamContentType = (*textMarshaler)(nil)
)

// followedLog is a message of a follow stream.
type followedLog interface {
	GetChunk() *gsupervisorv1.LogChunk
	GetGap() *gsupervisorv1.LogGap
	GetRestart() *gsupervisorv1.LogRestart
}

// streamItem returns the message of a stream item as the gateway hands it
// to Marshal ({"result": m}), and whether v is one.
func streamItem(v any) (any, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, false
	}
	r, ok := m["result"]
	return r, ok
}

// text returns the text rendering of a response message, and whether it
// has one.
func text(v any) ([]byte, bool) {
	switch m := v.(type) {
	case *gsupervisorv1.ReadProcessLogResponse:
		return m.GetData(), true
	case *gsupervisorv1.TailProcessLogResponse:
		return m.GetData(), true
	case *gsupervisorv1.ReadMainLogResponse:
		return m.GetData(), true
	case *gsupervisorv1.FollowProcessLogResponse:
		return followText(m), true
	case *gsupervisorv1.FollowMainLogResponse:
		return followText(m), true
	}
	return nil, false
}

// followText renders a message of a follow stream: a chunk as its bytes,
// a gap and a truncation as a line of their own, a rotation as nothing.
func followText(m followedLog) []byte {
	switch {
	case m.GetChunk() != nil:
		return m.GetChunk().GetData()
	case m.GetGap() != nil:
		return fmt.Appendf(nil, "==> %d bytes not shown (reading too slowly) <==\n", m.GetGap().GetMissedBytes())
	case m.GetRestart().GetCause() == gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED:
		return []byte(surface.TruncatedNotice)
	}
	return nil
}

// Marshal renders log data as its bytes and everything else as JSON; a
// JSON item of a stream ends with a newline, as the gateway's own streams.
func (t *textMarshaler) Marshal(v any) ([]byte, error) {
	item, isItem := streamItem(v)
	if isItem {
		if b, ok := text(item); ok {
			return b, nil
		}
	} else if b, ok := text(v); ok {
		return b, nil
	}
	b, err := t.json.Marshal(v)
	if err != nil || !isStreamChunk(v) {
		return b, err
	}
	return append(b, '\n'), nil
}

// isStreamChunk reports whether v is an item or the error chunk of a
// stream, as the gateway hands them to Marshal.
func isStreamChunk(v any) bool {
	switch m := v.(type) {
	case map[string]any:
		_, ok := m["result"]
		return ok && len(m) == 1
	case map[string]proto.Message:
		_, ok := m["error"]
		return ok && len(m) == 1
	}
	return false
}

// Delimiter is empty: a stream of text is its bytes, and Marshal ends JSON
// items itself.
func (t *textMarshaler) Delimiter() []byte { return nil }

// ContentType is the text media type for log data, JSON's otherwise.
func (t *textMarshaler) ContentType(v any) string {
	if _, ok := text(v); ok {
		return t.contentType
	}
	return t.json.ContentType(v)
}

// StreamContentType is ContentType of the stream's first message.
func (t *textMarshaler) StreamContentType(v any) string { return t.ContentType(v) }

// Unmarshal sets writeStdin's data to the raw bytes.
func (t *textMarshaler) Unmarshal(data []byte, v any) error {
	req, ok := v.(*gsupervisorv1.WriteProcessStdinRequest)
	if !ok {
		return fmt.Errorf("a %s body is accepted by writeStdin only; send JSON (Content-Type: %s)", t.mediaType, mimeJSON)
	}
	req.Data = data
	return nil
}

// NewDecoder reads the whole body (the mux bounds it) into writeStdin's
// data.
func (t *textMarshaler) NewDecoder(r io.Reader) runtime.Decoder {
	return runtime.DecoderFunc(func(v any) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("read the %s body: %w", t.mediaType, err)
		}
		return t.Unmarshal(data, v)
	})
}

// NewEncoder writes what Marshal renders.
func (t *textMarshaler) NewEncoder(w io.Writer) runtime.Encoder {
	return runtime.EncoderFunc(func(v any) error {
		b, err := t.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
}

// negotiate sets the Accept header of a REST request to the media type
// of ours the client prefers most (by q, then order), because the gateway
// picks its marshaler by the exact header value: "Accept: text/plain;
// q=0.9, */*;q=0.1" then gets text. Wildcards and types we do not serve
// leave JSON, the default.
func negotiate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if accept := r.Header.Values("Accept"); len(accept) > 0 {
			if best := preferred(accept); best == mimeText || best == mimeBinary {
				r.Header.Set("Accept", best)
			} else {
				r.Header.Del("Accept")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// preferred returns the media type among JSON, text and binary that the
// Accept header values rank highest, or "" if they name none.
func preferred(values []string) string {
	best, bestQ := "", 0.0
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || (mt != mimeJSON && mt != mimeText && mt != mimeBinary) {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					q = f
				}
			}
			if q > bestQ {
				best, bestQ = mt, q
			}
		}
	}
	return best
}
