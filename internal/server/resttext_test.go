package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// testText is the text/plain marshaler as the server registers it.
func testText() *textMarshaler {
	json := &runtime.JSONPb{MarshalOptions: protojson.MarshalOptions{UseProtoNames: true}}
	return &textMarshaler{mediaType: mimeText, contentType: "text/plain; charset=utf-8", json: json}
}

// TestTextMarshalerRendersLogs checks the text rendering of every log
// response, unary and streamed, and that everything else stays JSON.
func TestTextMarshalerRendersLogs(t *testing.T) {
	m := testText()
	raw := []byte("line 1\n\xff\xfe not UTF-8\n")
	chunk := &gsupervisorv1.FollowProcessLogResponse{Kind: &gsupervisorv1.FollowProcessLogResponse_Chunk{Chunk: &gsupervisorv1.LogChunk{Data: raw, Offset: 7}}}
	gap := &gsupervisorv1.FollowMainLogResponse{Kind: &gsupervisorv1.FollowMainLogResponse_Gap{Gap: &gsupervisorv1.LogGap{MissedBytes: 4096}}}
	truncated := &gsupervisorv1.FollowProcessLogResponse{Kind: &gsupervisorv1.FollowProcessLogResponse_Restart{
		Restart: &gsupervisorv1.LogRestart{Cause: gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_TRUNCATED}}}
	rotated := &gsupervisorv1.FollowProcessLogResponse{Kind: &gsupervisorv1.FollowProcessLogResponse_Restart{
		Restart: &gsupervisorv1.LogRestart{Cause: gsupervisorv1.LogRestartCause_LOG_RESTART_CAUSE_ROTATED}}}
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"ReadProcessLog", &gsupervisorv1.ReadProcessLogResponse{Data: raw}, string(raw)},
		{"TailProcessLog", &gsupervisorv1.TailProcessLogResponse{Data: raw, Offset: 99, Overflow: true}, string(raw)},
		{"ReadMainLog", &gsupervisorv1.ReadMainLogResponse{Data: raw}, string(raw)},
		{"chunk", map[string]any{"result": chunk}, string(raw)},
		{"gap", map[string]any{"result": gap}, "==> 4096 bytes not shown (reading too slowly) <==\n"},
		{"truncated", map[string]any{"result": truncated}, surface.TruncatedNotice},
		{"rotated", map[string]any{"result": rotated}, ""},
	} {
		got, err := m.Marshal(c.v)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: Marshal = %q, %v; want %q", c.name, got, err, c.want)
		}
		v := c.v
		if item, ok := streamItem(v); ok {
			v = item
		}
		if ct := m.ContentType(v); ct != "text/plain; charset=utf-8" {
			t.Errorf("%s: ContentType = %q", c.name, ct)
		}
	}
	if d := m.Delimiter(); len(d) != 0 {
		t.Errorf("Delimiter = %q, want none", d)
	}

	// Not log data: JSON, said so, and a streamed item or error ends its
	// line.
	state := &gsupervisorv1.GetStateResponse{State: gsupervisorv1.SupervisorState_SUPERVISOR_STATE_RUNNING}
	for _, c := range []struct {
		name    string
		v       any
		newline bool
	}{
		{"unary", state, false},
		{"stream item", map[string]any{"result": &gsupervisorv1.SubscribeEventsResponse{}}, true},
		{"stream error", map[string]proto.Message{"error": state}, true},
	} {
		got, err := m.Marshal(c.v)
		if err != nil || !json.Valid(got) || strings.HasSuffix(string(got), "\n") != c.newline {
			t.Errorf("%s: Marshal = %q, %v (newline %v)", c.name, got, err, c.newline)
		}
		if ct := m.ContentType(c.v); ct != "application/json" {
			t.Errorf("%s: ContentType = %q, want application/json", c.name, ct)
		}
	}
}

// TestTextMarshalerDecodesStdin checks that a raw body becomes
// writeStdin's data, and that any other request refuses it by name.
func TestTextMarshalerDecodesStdin(t *testing.T) {
	m := testText()
	var req gsupervisorv1.WriteProcessStdinRequest
	if err := m.NewDecoder(strings.NewReader("hello\n\x00\xff")).Decode(&req); err != nil || string(req.GetData()) != "hello\n\x00\xff" {
		t.Fatalf("Decode = %q, %v", req.GetData(), err)
	}
	var start gsupervisorv1.StartProcessRequest
	err := m.NewDecoder(strings.NewReader("x")).Decode(&start)
	if err == nil || !strings.Contains(err.Error(), "writeStdin") || !strings.Contains(err.Error(), "text/plain") {
		t.Fatalf("Decode into StartProcessRequest = %v, want an error naming writeStdin", err)
	}
}

// TestPreferredMediaType checks the Accept negotiation.
func TestPreferredMediaType(t *testing.T) {
	for _, c := range []struct {
		accept []string
		want   string
	}{
		{[]string{"text/plain"}, mimeText},
		{[]string{"text/plain; charset=utf-8"}, mimeText},
		{[]string{"application/octet-stream"}, mimeBinary},
		{[]string{"*/*"}, ""},
		{[]string{"application/json"}, mimeJSON},
		{[]string{"application/json, text/plain"}, mimeJSON},
		{[]string{"text/plain, application/json"}, mimeText},
		{[]string{"application/json;q=0.5, text/plain"}, mimeText},
		{[]string{"text/plain;q=0", "*/*"}, ""},
		{[]string{"text/html", "text/plain;q=0.2"}, mimeText},
		{[]string{"garbage;;;"}, ""},
	} {
		if got := preferred(c.accept); got != c.want {
			t.Errorf("preferred(%q) = %q, want %q", c.accept, got, c.want)
		}
	}
}

// TestRESTTextErrorsStayJSON checks through the real REST mux that an
// error answered to a text request is the gateway's JSON, that a text body
// is refused by a route other than writeStdin, and that writeStdin decodes
// it (the process then does not exist).
func TestRESTTextErrorsStayJSON(t *testing.T) {
	d := startChainDaemon(t, serverChain(discard, nil, nil), Credentials{})
	for _, c := range []struct {
		method, path, contentType, accept, body string
		status                                  int
		reason                                  string
	}{
		{"GET", "/v1/mainlog", "", "text/plain", "", http.StatusNotFound, "ERROR_REASON_NO_FILE"},
		{"GET", "/v1/processes/nope/log", "", "text/plain;q=0.9, */*;q=0.1", "", http.StatusNotFound, "ERROR_REASON_BAD_NAME"},
		{"GET", "/v1/processes/nope/log:follow", "", "text/plain", "", http.StatusNotFound, "ERROR_REASON_BAD_NAME"},
		{"POST", "/v1/processes/nope:writeStdin", "text/plain", "", "hello\n", http.StatusNotFound, "ERROR_REASON_BAD_NAME"},
		{"POST", "/v1/processes/nope:writeStdin", "application/octet-stream", "", "\x00\x01", http.StatusNotFound, "ERROR_REASON_BAD_NAME"},
		{"POST", "/v1/processes/nope:start", "text/plain", "", "hello", http.StatusBadRequest, ""},
	} {
		req, err := http.NewRequestWithContext(t.Context(), c.method, "http://localhost"+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		resp, err := d.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		what := c.method + " " + c.path + " (" + c.contentType + c.accept + ")"
		if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %q %s", what, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			continue
		}
		type statusJSON struct {
			Message string
			Details []struct{ Reason string }
		}
		// A stream's error is wrapped as {"error": status}.
		var st struct {
			statusJSON
			Error *statusJSON
		}
		if err := json.Unmarshal(body, &st); err != nil {
			t.Errorf("%s: not JSON: %s", what, body)
			continue
		}
		if st.Error != nil {
			st.statusJSON = *st.Error
		}
		if c.reason != "" && (len(st.Details) == 0 || st.Details[0].Reason != c.reason) {
			t.Errorf("%s: %s, want reason %s", what, body, c.reason)
		}
		if c.reason == "" && !strings.Contains(st.Message, "writeStdin") {
			t.Errorf("%s: %s, want a message naming writeStdin", what, body)
		}
	}
}
