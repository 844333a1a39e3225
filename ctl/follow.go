package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// followTail is how many bytes of existing log tail -f, maintail -f and
// fg show first (what 4.2.5's /logtail handler sends).
const followTail = 1024

// logMessage is one message of a followed log, process or main.
type logMessage struct {
	data    []byte
	gap     int64
	restart gsupervisorv1.LogRestartCause
}

// logStream receives the messages of a followed log.
type logStream func() (logMessage, error)

// processLogStream opens FollowProcessLog.
func processLogStream(ctx context.Context, cl *client, name string, ch gsupervisorv1.LogChannel) (logStream, error) {
	s, err := cl.logs.FollowProcessLog(ctx, &gsupervisorv1.FollowProcessLogRequest{Name: name, Channel: ch, TailBytes: followTail})
	if err != nil {
		return nil, err
	}
	return func() (logMessage, error) {
		m, err := s.Recv()
		if err != nil {
			return logMessage{}, err
		}
		return logMessage{data: m.GetChunk().GetData(), gap: m.GetGap().GetMissedBytes(), restart: m.GetRestart().GetCause()}, nil
	}, nil
}

// mainLogStream opens FollowMainLog.
func mainLogStream(ctx context.Context, cl *client) (logStream, error) {
	s, err := cl.logs.FollowMainLog(ctx, &gsupervisorv1.FollowMainLogRequest{TailBytes: followTail})
	if err != nil {
		return nil, err
	}
	return func() (logMessage, error) {
		m, err := s.Recv()
		if err != nil {
			return logMessage{}, err
		}
		return logMessage{data: m.GetChunk().GetData(), gap: m.GetGap().GetMissedBytes(), restart: m.GetRestart().GetCause()}, nil
	}, nil
}

// pump copies a followed log to the output until it ends. path is the
// 4.2.5 URL path the stream stands for (/logtail/<name>/<channel>), used
// in its error messages on stderr: a name or log the daemon does not
// know is its 404. It returns when the stream ends or ctx is cancelled.
func (c *controller) pump(ctx context.Context, path string, open func(context.Context) (logStream, error)) {
	url := c.srv.url + path
	recv, err := open(ctx)
	for err == nil {
		var m logMessage
		m, err = recv()
		if err != nil {
			break
		}
		switch {
		case len(m.data) > 0:
			c.writeBytes(m.data)
		case m.restart == gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED:
			c.write("==> File truncated <==\n")
		case m.gap > 0:
			fmt.Fprintf(c.errOut, "%s %d bytes not shown (reading too slowly)\n", url, m.gap)
		}
	}
	if ctx.Err() != nil || errors.Is(err, io.EOF) {
		return
	}
	if f, ok := asFault(err); ok && (f.is(badName) || f.is(noFile)) {
		fmt.Fprintf(c.errOut, "%s Cannot read, status code 404\n", url)
		return
	}
	if isUnauthenticated(err) {
		fmt.Fprintf(c.errOut, "%s Cannot read, status code 401\n", url)
		return
	}
	if serr, ok := socketError(c.cl, err); ok {
		class, text := pyOSError(serr)
		fmt.Fprintf(c.errOut, "%s Cannot connect, error: <class '%s'> (%s)\n", url, class, text)
		return
	}
	if f, ok := asFault(err); ok {
		fmt.Fprintf(c.errOut, "%s Cannot read, error: %s\n", url, f.text)
	}
}

// tailFollow is 4.2.5's _tailf: a banner, then the log until Ctrl-C,
// which prints an empty line.
func (c *controller) tailFollow(ctx context.Context, path string, open func(context.Context) (logStream, error)) error {
	c.output("==> Press Ctrl-C to exit <==")
	c.pump(ctx, path, open)
	if isInterrupted(ctx, nil) {
		c.output("")
	}
	return nil
}
