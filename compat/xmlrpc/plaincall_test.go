package xmlrpc

import (
	"reflect"
	"strings"
	"testing"
)

// TestPlainCallMatchesParser checks the fast path for calls without
// parameters takes exactly the documents whose full parse is their method
// name and no parameters, and returns what the parser returns.
func TestPlainCallMatchesParser(t *testing.T) {
	head, tail := plainCallHead, plainCallTail
	for _, c := range []struct {
		doc  string
		fast bool
	}{
		{head + "supervisor.getState" + tail, true},
		{head + "system.listMethods" + tail, true},
		{head + "twiddler.get_value_2" + tail, true},
		{head + "" + tail, false},                                     // empty name: a fault from the parser
		{head + "a&amp;b" + tail, false},                              // an entity
		{head + "a b" + tail, false},                                  // a space
		{head + "a" + tail + " ", false},                              // trailing text
		{head + "é" + tail, false},                                    // not ASCII
		{"\xef\xbb\xbf" + head + "supervisor.getState" + tail, false}, // a byte order mark
		{"<?xml version='1.0'?><methodCall><methodName>supervisor.getState</methodName></methodCall>", false},
		{head + "supervisor.getState</methodName>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodCall>\n", false},
	} {
		name, ok := plainCall([]byte(c.doc))
		if ok != c.fast {
			t.Errorf("plainCall(%q) fast = %v, want %v", c.doc, ok, c.fast)
		}
		full, params, err := decodeCall(newParser([]byte(c.doc)))
		if ok && (err != nil || full != name || len(params) != 0) {
			t.Errorf("plainCall(%q) = %q, the parser returns %q %v %v", c.doc, name, full, params, err)
		}
		got, gotParams, gotErr := DecodeCall(strings.NewReader(c.doc), 0)
		if got != full || !reflect.DeepEqual(gotParams, params) || (gotErr == nil) != (err == nil) {
			t.Errorf("DecodeCall(%q) = %q %v %v, the parser returns %q %v %v", c.doc, got, gotParams, gotErr, full, params, err)
		}
	}
}

// FuzzPlainCall checks that whatever the fast path takes, the full parser
// parses to the same method name and no parameters.
func FuzzPlainCall(f *testing.F) {
	f.Add([]byte("supervisor.getState"))
	f.Add([]byte("a&b"))
	f.Fuzz(func(t *testing.T, name []byte) {
		doc := plainCallHead + string(name) + plainCallTail
		got, ok := plainCall([]byte(doc))
		if !ok {
			return
		}
		full, params, err := decodeCall(newParser([]byte(doc)))
		if err != nil || full != got || len(params) != 0 {
			t.Fatalf("plainCall(%q) = %q, the parser returns %q %v %v", doc, got, full, params, err)
		}
	})
}
