package compat

import (
	"context"
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// logtailBytes is how much of the existing log a /logtail or /mainlogtail
// response starts with, as in 4.2.5.
const logtailBytes = 1024

// followMessage is the common shape of FollowProcessLogResponse and
// FollowMainLogResponse.
type followMessage interface {
	GetChunk() *gsupervisorv1.LogChunk
	GetRestart() *gsupervisorv1.LogRestart
}

// followStream is the common shape of the two follow streams.
type followStream[M followMessage] interface {
	Recv() (M, error)
	Header() (metadata.MD, error)
}

// serveLogtail streams a process log: GET /logtail/<namespec>[/stdout|
// stderr] (URL-decoded, stdout by default). 400 for other methods, 404 for
// an unknown process, an unknown channel or a channel without a log.
func (s *service) serveLogtail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	spec := strings.TrimLeft(strings.TrimPrefix(r.URL.Path, "/logtail/"), "/")
	name, channel, ok := strings.Cut(spec, "/")
	if !ok {
		channel = "stdout"
	}
	var ch gsupervisorv1.LogChannel
	switch channel {
	case "stdout":
		ch = gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT
	case "stderr":
		ch = gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR
	default:
		surface.WriteHTMLError(w, http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stream, err := s.logs.FollowProcessLog(ctx, &gsupervisorv1.FollowProcessLogRequest{Name: name, Channel: ch, TailBytes: logtailBytes})
	if err != nil {
		s.followError(w, r, err)
		return
	}
	streamLog[*gsupervisorv1.FollowProcessLogResponse](s, w, r, stream, true)
}

// serveMainLogtail streams the daemon's main log: GET /mainlogtail. 400 for
// other methods, 404 when there is no main log.
func (s *service) serveMainLogtail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stream, err := s.logs.FollowMainLog(ctx, &gsupervisorv1.FollowMainLogRequest{TailBytes: logtailBytes})
	if err != nil {
		s.followError(w, r, err)
		return
	}
	streamLog[*gsupervisorv1.FollowMainLogResponse](s, w, r, stream, false)
}

// streamLog waits until the daemon has accepted the follow request (its
// response headers, or the first message), then answers 200 and copies the
// log to w, flushing after every piece, until the client or the stream goes
// away. On HTTP/1.1 the response is chunked. noBuffering adds 4.2.5's
// "X-Accel-Buffering: no" (for reverse proxies) to the 200 answer.
func streamLog[M followMessage](s *service, w http.ResponseWriter, r *http.Request, stream followStream[M], noBuffering bool) {
	md, err := stream.Header()
	var pending []M
	if err == nil && md == nil {
		// The stream went on without headers: its first message, or its
		// status, is the answer.
		var m M
		if m, err = stream.Recv(); err == nil {
			pending = append(pending, m)
		}
	}
	if err != nil {
		s.followError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain;charset=utf-8")
	if noBuffering {
		w.Header().Set("X-Accel-Buffering", "no")
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	if err := rc.Flush(); err != nil {
		return
	}
	for {
		var m M
		if len(pending) > 0 {
			m, pending = pending[0], nil
		} else if m, err = stream.Recv(); err != nil {
			if status.Code(err) != codes.Canceled {
				s.log.Debug("log follow stream ended", "path", r.URL.Path, "error", err)
			}
			return
		}
		var data []byte
		if c := m.GetChunk(); c != nil {
			data = c.GetData()
		} else if rs := m.GetRestart(); rs != nil && rs.GetCause() == gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED {
			data = []byte(surface.TruncatedNotice)
		}
		if len(data) == 0 {
			continue
		}
		if _, err := w.Write(data); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// followError answers a follow request the daemon refused: 404 when the
// process or its log does not exist (4.2.5's answer, not logged), 500
// otherwise, logged as a warning.
func (s *service) followError(w http.ResponseWriter, r *http.Request, err error) {
	switch faults.Code(faultOf(err).Code) {
	case faults.BadName, faults.NoFile:
		surface.WriteHTMLError(w, http.StatusNotFound)
	default:
		s.log.Warn("log follow request "+r.URL.Path+" refused: "+faultOf(err).String, "error", err)
		surface.WriteHTMLError(w, http.StatusInternalServerError)
	}
}
