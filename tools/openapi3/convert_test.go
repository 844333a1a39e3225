package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// convertText converts a Swagger 2.0 document given as text and returns
// the result as generic JSON.
func convertText(t *testing.T, in string) (map[string]any, error) {
	t.Helper()
	doc, err := decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := convert(doc)
	if err != nil {
		return nil, err
	}
	b, err := marshalIndent(out)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return m, nil
}

// at walks a generic JSON value along keys.
func at(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// asJSON renders v compactly for comparisons.
func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

const sample = `{
  "swagger": "2.0",
  "info": {"title": "t", "version": "v1", "description": "a <b> & c"},
  "consumes": ["application/json"],
  "produces": ["application/json"],
  "paths": {
    "/v1/things/{name}:write": {
      "post": {
        "operationId": "Write",
        "consumes": ["application/json", "text/plain", "application/octet-stream"],
        "parameters": [
          {"name": "name", "in": "path", "required": true, "type": "string"},
          {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Body"}}
        ],
        "responses": {
          "200": {"description": "ok", "schema": {"type": "object"}},
          "default": {"description": "error", "schema": {"$ref": "#/definitions/Status"}}
        }
      }
    },
    "/v1/things/{name}/log": {
      "get": {
        "operationId": "Read",
        "produces": ["application/json", "text/plain", "application/octet-stream"],
        "parameters": [
          {"name": "name", "in": "path", "required": true, "type": "string"},
          {"name": "types", "in": "query", "required": false, "type": "array", "items": {"type": "string", "enum": ["A", "B"]}, "collectionFormat": "multi"},
          {"name": "offset", "in": "query", "required": false, "type": "string", "format": "int64"}
        ],
        "responses": {
          "200": {"description": "ok", "schema": {"$ref": "#/definitions/Log"}},
          "default": {"description": "error", "schema": {"$ref": "#/definitions/Status"}}
        }
      }
    }
  },
  "definitions": {
    "Body": {"type": "object", "properties": {"data": {"type": "string", "format": "byte"}}},
    "Log": {"type": "object", "properties": {
      "chunk": {"$ref": "#/definitions/Body", "description": "The chunk."},
      "items": {"type": "array", "items": {"type": "object", "$ref": "#/definitions/Body"}}
    }},
    "Status": {"type": "object"}
  },
  "securityDefinitions": {"basicAuth": {"type": "basic", "description": "creds"}},
  "security": [{"basicAuth": []}]
}`

// TestConvert checks each construct protoc-gen-openapiv2 writes.
func TestConvert(t *testing.T) {
	m, err := convertText(t, sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		got  any
		want string
	}{
		{"version", m["openapi"], `"3.0.3"`},
		{"servers", m["servers"], `[{"description":"the endpoint that serves this document","url":"/"}]`},
		{"security scheme", at(m, "components", "securitySchemes", "basicAuth"), `{"description":"creds","scheme":"basic","type":"http"}`},
		{"security", m["security"], `[{"basicAuth":[]}]`},
		{"path parameter", at(m, "paths", "/v1/things/{name}:write", "post", "parameters"),
			`[{"in":"path","name":"name","required":true,"schema":{"type":"string"}}]`},
		{"request body per media type", at(m, "paths", "/v1/things/{name}:write", "post", "requestBody"),
			`{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Body"}},"application/octet-stream":{"schema":{"format":"binary","type":"string"}},"text/plain":{"schema":{"type":"string"}}},"required":true}`},
		{"a write's response is JSON", at(m, "paths", "/v1/things/{name}:write", "post", "responses", "200", "content"),
			`{"application/json":{"schema":{"type":"object"}}}`},
		{"query array", at(m, "paths", "/v1/things/{name}/log", "get", "parameters"),
			`[{"in":"path","name":"name","required":true,"schema":{"type":"string"}},{"explode":true,"in":"query","name":"types","required":false,"schema":{"items":{"enum":["A","B"],"type":"string"},"type":"array"},"style":"form"},{"in":"query","name":"offset","required":false,"schema":{"format":"int64","type":"string"}}]`},
		{"success per media type", at(m, "paths", "/v1/things/{name}/log", "get", "responses", "200", "content"),
			`{"application/json":{"schema":{"$ref":"#/components/schemas/Log"}},"application/octet-stream":{"schema":{"format":"binary","type":"string"}},"text/plain":{"schema":{"type":"string"}}}`},
		{"errors are JSON", at(m, "paths", "/v1/things/{name}/log", "get", "responses", "default", "content"),
			`{"application/json":{"schema":{"$ref":"#/components/schemas/Status"}}}`},
		{"described reference", at(m, "components", "schemas", "Log", "properties", "chunk"),
			`{"allOf":[{"$ref":"#/components/schemas/Body"}],"description":"The chunk."}`},
		{"typed reference", at(m, "components", "schemas", "Log", "properties", "items", "items"),
			`{"$ref":"#/components/schemas/Body"}`},
	} {
		if got := asJSON(c.got); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.what, got, c.want)
		}
	}
}

// TestOutputReadsAsWritten checks that the output keeps the input's order
// and does not escape <, > and &.
func TestOutputReadsAsWritten(t *testing.T) {
	doc, err := decode(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	out, err := convert(doc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := marshalIndent(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {") || !strings.Contains(s, `"a <b> & c"`) || !strings.HasSuffix(s, "}\n") {
		t.Errorf("output:\n%s", s)
	}
	if strings.Index(s, `"/v1/things/{name}:write"`) > strings.Index(s, `"/v1/things/{name}/log"`) {
		t.Error("paths are not in the input's order")
	}
}

// TestConvertRefuses checks that what the converter does not know is a
// clear error naming it, never a silently wrong document.
func TestConvertRefuses(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"openapi": "3.0.0"}`, "not a Swagger 2.0 document"},
		{`[]`, "not a Swagger 2.0 document"},
		{`{"swagger": "2.0", "bogus": 1}`, `unsupported top-level field "bogus"`},
		{`{"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"name": "f", "in": "formData", "type": "file"}], "responses": {}}}}}`,
			`paths /a: get: parameter f: unsupported location "formData"`},
		{`{"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "type": "array", "collectionFormat": "tsv"}], "responses": {}}}}}`,
			`unsupported collectionFormat "tsv"`},
		{`{"swagger": "2.0", "securityDefinitions": {"o": {"type": "oauth2"}}}`, `securityDefinitions o: unsupported type "oauth2"`},
		{`{"swagger": "2.0", "paths": {"/a": {"get": {"callbacks": {}, "responses": {}}}}}`, `unsupported operation field "callbacks"`},
	} {
		_, err := convertText(t, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("convert(%s) = %v, want an error with %q", c.in, err, c.want)
		}
	}
}

// TestRunReproducesCommitted converts the committed Swagger document and
// compares the result with the committed OpenAPI 3 document byte for
// byte, as make check-generated does.
func TestRunReproducesCommitted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	if err := run("../../gen/openapi/gsupervisor.swagger.json", out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile("../../gen/openapi/gsupervisor.openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("gen/openapi/gsupervisor.openapi.json is not the conversion of gsupervisor.swagger.json: run make generate")
	}
	if err := run("no/such/file.json", out); err == nil || !strings.Contains(err.Error(), "no/such/file.json") {
		t.Errorf("run on a missing file: %v", err)
	}
}
