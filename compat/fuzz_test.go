package compat

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
)

// fuzzMethods are the methods the fuzz corpus starts from: every method that
// does not stop the daemon or wait for long.
var fuzzCalls = []struct {
	method string
	params []any
}{
	{"supervisor.getState", nil},
	{"supervisor.getProcessInfo", []any{"sleeper"}},
	{"supervisor.getAllProcessInfo", nil},
	{"supervisor.getAllConfigInfo", nil},
	{"supervisor.readProcessStdoutLog", []any{"sleeper", int64(-10), int64(0)}},
	{"supervisor.tailProcessStderrLog", []any{"sleeper", int64(0), int64(10)}},
	{"supervisor.signalProcess", []any{"sleeper", "WINCH"}},
	{"supervisor.sendProcessStdin", []any{"sleeper", []byte("x")}},
	{"supervisor.readLog", []any{int64(0), int64(10)}},
	{"system.methodSignature", []any{"supervisor.getState"}},
	{"system.multicall", []any{[]any{xmlrpc.Struct{{Name: "methodName", Value: "supervisor.getPID"}, {Name: "params", Value: []any{}}}}}},
	{"system.listMethods", nil},
	{"supervisor.getState", []any{1.5, true, map[string]any{"a": nil}}},
}

// FuzzServeRPC posts arbitrary bodies to the /RPC2 handler of a real
// daemon: it never panics, and it answers either 200 with a well-formed
// methodResponse (a value or a fault) or an HTTP error page (400, 413, 500).
func FuzzServeRPC(f *testing.F) {
	for _, c := range fuzzCalls {
		body, err := xmlrpc.AppendCall(nil, c.method, c.params...)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte("<?xml version='1.0'?><methodCall><methodName>supervisor.getPID</methodName></methodCall>"))
	f.Add([]byte("<methodCall><methodName>supervisor.getState</methodName><params><param><value><array><data><value><struct></struct></value></data></array></value></param></params></methodCall>"))
	f.Add([]byte("not xml"))
	f.Add([]byte(""))
	d := startDaemon(f, "[program:sleeper]\ncommand=/bin/sleep 100000\nstartsecs=0\n", false)
	d.waitState("sleeper", "RUNNING")
	s := newService(d.Server.Endpoints()[0].ClientConn(), slog.New(slog.DiscardHandler))
	f.Fuzz(func(t *testing.T, body []byte) {
		// The shutdown and restart methods would end the shared daemon.
		if bytes.Contains(body, []byte("shutdown")) || bytes.Contains(body, []byte("restart")) || bytes.Contains(body, []byte("stop")) || bytes.Contains(body, []byte("Group")) {
			t.Skip()
		}
		req := httptest.NewRequest("POST", "/RPC2", bytes.NewReader(body))
		req.Header.Set("Content-Length", strconv.Itoa(len(body)))
		rec := httptest.NewRecorder()
		s.serveRPC(rec, req)
		switch rec.Code {
		case http.StatusOK:
			if ct := rec.Header().Get("Content-Type"); ct != "text/xml" {
				t.Fatalf("Content-Type %q", ct)
			}
			if rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
				t.Fatalf("Content-Length %s for %d bytes", rec.Header().Get("Content-Length"), rec.Body.Len())
			}
			_, err := xmlrpc.DecodeResponse(bytes.NewReader(rec.Body.Bytes()), 0)
			if _, isFault := err.(*xmlrpc.Fault); err != nil && !isFault {
				t.Fatalf("malformed response %v:\n%s", err, rec.Body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusInternalServerError:
			if !strings.HasPrefix(rec.Body.String(), "<head>\r\n<title>Error response</title>") {
				t.Fatalf("HTTP %d with body %q", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("HTTP %d for %q", rec.Code, body)
		}
	})
}
