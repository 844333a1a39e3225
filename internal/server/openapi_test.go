package server

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1" // registers the gsupervisor.v1 descriptors
	"github.com/gsupervisor/gsupervisor/gen/openapi"
)

// httpRule is one rule of proto/gsupervisor/v1/gsupervisor_http.yaml.
type httpRule struct {
	selector, method, path, body string
}

// readHTTPRules parses the rules of gsupervisor_http.yaml line by line.
func readHTTPRules(t *testing.T) []httpRule {
	t.Helper()
	const file = "../../proto/gsupervisor/v1/gsupervisor_http.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rules []httpRule
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if s, ok := strings.CutPrefix(line, "- selector:"); ok {
			rules = append(rules, httpRule{selector: strings.TrimSpace(s)})
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") || len(rules) == 0 {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch key {
		case "get", "post", "delete", "put", "patch":
			rules[len(rules)-1].method, rules[len(rules)-1].path = key, val
		case "body":
			rules[len(rules)-1].body = val
		}
	}
	if len(rules) < 30 {
		t.Fatalf("%s: only %d rules parsed", file, len(rules))
	}
	return rules
}

// openapiSpec decodes the embedded Swagger 2.0 document.
func openapiSpec(t *testing.T) map[string]any {
	t.Helper()
	return decodeSpec(t, openapi.Swagger)
}

// decodeSpec decodes an embedded document.
func decodeSpec(t *testing.T, doc []byte) map[string]any {
	t.Helper()
	var spec map[string]any
	if err := json.Unmarshal(doc, &spec); err != nil {
		t.Fatalf("an embedded OpenAPI document is not JSON: %v", err)
	}
	return spec
}

// operations returns the operations of a document by "method path".
func operations(spec map[string]any) map[string]map[string]any {
	ops := map[string]map[string]any{}
	paths, _ := spec["paths"].(map[string]any)
	for p, item := range paths {
		for m, op := range item.(map[string]any) {
			ops[m+" "+p], _ = op.(map[string]any)
		}
	}
	return ops
}

// TestOpenAPI3 checks the OpenAPI 3 document against the Swagger 2.0 one
// it is converted from: the same operations, every one under the Basic
// auth scheme, every $ref resolving, the text media types where the REST
// surface serves them.
func TestOpenAPI3(t *testing.T) {
	spec := decodeSpec(t, openapi.Spec)
	if spec["openapi"] != "3.0.3" {
		t.Fatalf("openapi = %v", spec["openapi"])
	}
	components, _ := spec["components"].(map[string]any)
	schemes, _ := components["securitySchemes"].(map[string]any)
	if b, _ := schemes["basicAuth"].(map[string]any); b["type"] != "http" || b["scheme"] != "basic" {
		t.Errorf("securitySchemes = %v, want basicAuth http/basic", schemes)
	}
	global, _ := spec["security"].([]any)
	globalBasic := len(global) == 1 && global[0].(map[string]any)["basicAuth"] != nil
	v2, v3 := operations(openapiSpec(t)), operations(spec)
	if len(v3) != len(v2) || len(v3) < 30 {
		t.Errorf("%d operations in OpenAPI 3, %d in Swagger 2.0", len(v3), len(v2))
	}
	for key, op := range v3 {
		if v2[key] == nil || v2[key]["operationId"] != op["operationId"] {
			t.Errorf("%s (%v) is not in the Swagger document", key, op["operationId"])
		}
		if sec, ok := op["security"].([]any); (ok && len(sec) == 0) || (!ok && !globalBasic) {
			t.Errorf("%s: not under Basic auth", key)
		}
		if r, _ := op["responses"].(map[string]any); r["401"] == nil {
			t.Errorf("%s: no 401 response", key)
		}
	}
	schemas, _ := components["schemas"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				name, ok := strings.CutPrefix(ref, "#/components/schemas/")
				if _, found := schemas[name]; !ok || !found || len(x) != 1 {
					t.Errorf("$ref %q does not resolve or has siblings", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(spec)
	text := func(v any, mediaType string) bool {
		c, _ := v.(map[string]any)
		_, ok := c[mediaType]
		return ok
	}
	for _, key := range []string{"get /v1/processes/{name}/log", "get /v1/processes/{name}/log:tail",
		"get /v1/processes/{name}/log:follow", "get /v1/mainlog", "get /v1/mainlog:follow"} {
		ok200 := v3[key]["responses"].(map[string]any)["200"].(map[string]any)["content"]
		if !text(ok200, "text/plain") || !text(ok200, "application/octet-stream") {
			t.Errorf("%s: 200 content %v, want text/plain and application/octet-stream too", key, ok200)
		}
		if def := v3[key]["responses"].(map[string]any)["default"].(map[string]any)["content"]; text(def, "text/plain") {
			t.Errorf("%s: errors declared as text", key)
		}
	}
	body := v3["post /v1/processes/{name}:writeStdin"]["requestBody"].(map[string]any)["content"]
	if !text(body, "text/plain") || !text(body, "application/octet-stream") || !text(body, "application/json") {
		t.Errorf("writeStdin body %v, want JSON, text/plain and application/octet-stream", body)
	}
}

// TestOpenAPISpecMatchesHTTPRules checks the embedded Swagger 2.0 document:
// its structure, every $ref resolving, and exactly one operation per rule
// of gsupervisor_http.yaml, with its path and body parameters (a spec not
// regenerated after a rule changed fails here).
func TestOpenAPISpecMatchesHTTPRules(t *testing.T) {
	spec := openapiSpec(t)
	if spec["swagger"] != "2.0" {
		t.Errorf("swagger = %v, want 2.0", spec["swagger"])
	}
	info, _ := spec["info"].(map[string]any)
	if info["title"] == "" || info["title"] == nil || info["version"] == nil {
		t.Errorf("info = %v", info)
	}
	paths, _ := spec["paths"].(map[string]any)
	defs, _ := spec["definitions"].(map[string]any)
	if len(paths) == 0 || len(defs) == 0 {
		t.Fatal("no paths or no definitions")
	}
	refs := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if ref, ok := c.(string); ok && k == "$ref" {
					refs++
					name, ok := strings.CutPrefix(ref, "#/definitions/")
					if _, found := defs[name]; !ok || !found {
						t.Errorf("%s: $ref %q does not resolve", at, ref)
					}
				}
				walk(c, at+"/"+k)
			}
		case []any:
			for _, c := range x {
				walk(c, at+"[]")
			}
		}
	}
	walk(spec, "#")
	if refs == 0 {
		t.Error("no $ref at all")
	}

	ops := operations(spec)
	pathParam := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, r := range readHTTPRules(t) {
		key := r.method + " " + r.path
		op, ok := ops[key]
		if !ok {
			t.Errorf("the spec has no %s (%s)", key, r.selector)
			continue
		}
		delete(ops, key)
		if want := strings.ReplaceAll(strings.TrimPrefix(r.selector, "gsupervisor.v1."), ".", "_"); op["operationId"] != want {
			t.Errorf("%s: operationId %v, want %s", key, op["operationId"], want)
		}
		if resp, _ := op["responses"].(map[string]any); resp["200"] == nil || resp["default"] == nil {
			t.Errorf("%s: responses %v, want 200 and default", key, resp)
		}
		var inPath []string
		inBody := 0
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm, _ := p.(map[string]any)
			switch pm["in"] {
			case "path":
				inPath = append(inPath, pm["name"].(string))
				if pm["required"] != true {
					t.Errorf("%s: path parameter %v not required", key, pm["name"])
				}
			case "body":
				inBody++
			}
		}
		var wantPath []string
		for _, m := range pathParam.FindAllStringSubmatch(r.path, -1) {
			wantPath = append(wantPath, m[1])
		}
		if !slices.Equal(inPath, wantPath) {
			t.Errorf("%s: path parameters %v, want %v", key, inPath, wantPath)
		}
		if (r.body == "*") != (inBody == 1) {
			t.Errorf("%s: body %q in the rule, %d body parameters in the spec", key, r.body, inBody)
		}
	}
	for extra := range ops {
		t.Errorf("the spec has %s, which is no rule of gsupervisor_http.yaml", extra)
	}
}

// TestOpenAPISpecUsesWireNames checks that each message schema of the
// spec names its properties as the REST gateway writes them: the proto
// field names (the gateway marshals with UseProtoNames).
func TestOpenAPISpecUsesWireNames(t *testing.T) {
	spec := openapiSpec(t)
	defs, _ := spec["definitions"].(map[string]any)
	checked := 0
	for name, def := range defs {
		msg, ok := strings.CutPrefix(name, "v1")
		if !ok {
			continue
		}
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName("gsupervisor.v1." + msg))
		md, isMsg := d.(protoreflect.MessageDescriptor)
		if err != nil || !isMsg {
			continue // an enum, or a type of another package
		}
		checked++
		var want, got []string
		for i := 0; i < md.Fields().Len(); i++ {
			want = append(want, string(md.Fields().Get(i).Name()))
		}
		props, _ := def.(map[string]any)["properties"].(map[string]any)
		for p := range props {
			got = append(got, p)
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: properties %v, the gateway writes %v", name, got, want)
		}
	}
	if checked < 40 {
		t.Errorf("only %d message schemas checked", checked)
	}
}
