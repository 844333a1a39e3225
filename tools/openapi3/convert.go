package main

import (
	"fmt"
	"strings"
)

// openAPIVersion is the version written: 3.0, which every generator and
// linter reads (3.1 is not yet universal).
const openAPIVersion = "3.0.3"

// operationMethods are the Swagger 2.0 operations of a path item, in the
// order they are written.
var operationMethods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

// convert converts a Swagger 2.0 document into an OpenAPI 3.0 one.
func convert(doc any) (*object, error) {
	in, ok := doc.(*object)
	if !ok || in.str("swagger") != "2.0" {
		return nil, fmt.Errorf(`not a Swagger 2.0 document (no "swagger": "2.0")`)
	}
	for _, k := range in.keys {
		switch k {
		case "swagger", "info", "tags", "schemes", "host", "basePath", "consumes", "produces", "paths",
			"definitions", "securityDefinitions", "security", "externalDocs", "parameters", "responses":
		default:
			if !strings.HasPrefix(k, "x-") {
				return nil, fmt.Errorf("unsupported top-level field %q", k)
			}
		}
	}
	if in.obj("parameters") != nil || in.obj("responses") != nil {
		return nil, fmt.Errorf("shared parameters and responses are not supported")
	}
	out := newObject()
	out.set("openapi", openAPIVersion)
	copyField(out, in, "info")
	out.set("servers", servers(in))
	copyField(out, in, "tags")
	copyField(out, in, "externalDocs")
	c := converter{consumes: strings_(in.get("consumes")), produces: strings_(in.get("produces"))}
	paths := newObject()
	if p := in.obj("paths"); p != nil {
		for _, path := range p.keys {
			item, err := c.pathItem(p.obj(path))
			if err != nil {
				return nil, fmt.Errorf("paths %s: %w", path, err)
			}
			paths.set(path, item)
		}
	}
	out.set("paths", paths)
	components := newObject()
	if defs := in.obj("definitions"); defs != nil {
		components.set("schemas", rewriteRefs(defs))
	}
	if sd := in.obj("securityDefinitions"); sd != nil {
		schemes := newObject()
		for _, name := range sd.keys {
			s, err := securityScheme(sd.obj(name))
			if err != nil {
				return nil, fmt.Errorf("securityDefinitions %s: %w", name, err)
			}
			schemes.set(name, s)
		}
		components.set("securitySchemes", schemes)
	}
	out.set("components", components)
	copyField(out, in, "security")
	for _, k := range in.keys {
		if strings.HasPrefix(k, "x-") {
			out.set(k, in.get(k))
		}
	}
	return out, nil
}

// copyField copies a field, if present.
func copyField(dst, src *object, key string) {
	if v := src.get(key); v != nil {
		dst.set(key, v)
	}
}

// strings_ returns a JSON array of strings as a slice.
func strings_(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, s := range a {
		if s, ok := s.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// servers returns the servers of the document: its host and base path
// per scheme, or the server that serves the document (a relative URL)
// when it names no host, as the daemon's document does (it is served on
// every endpoint, unix socket and TCP port alike).
func servers(in *object) []any {
	base := in.str("basePath")
	host := in.str("host")
	if host == "" {
		url := base
		if url == "" {
			url = "/"
		}
		s := newObject()
		s.set("url", url)
		s.set("description", "the endpoint that serves this document")
		return []any{s}
	}
	var out []any
	schemes := strings_(in.get("schemes"))
	if len(schemes) == 0 {
		schemes = []string{"http"}
	}
	for _, scheme := range schemes {
		s := newObject()
		s.set("url", strings.ToLower(scheme)+"://"+host+base)
		out = append(out, s)
	}
	return out
}

// converter converts paths with the document's default media types.
type converter struct {
	consumes, produces []string
}

// pathItem converts a path item.
func (c converter) pathItem(in *object) (*object, error) {
	if in == nil {
		return nil, fmt.Errorf("not an object")
	}
	out := newObject()
	for _, k := range in.keys {
		if k != "parameters" && !strings.HasPrefix(k, "x-") && !isMethod(k) {
			return nil, fmt.Errorf("unsupported field %q", k)
		}
		if k == "parameters" {
			return nil, fmt.Errorf("path-level parameters are not supported")
		}
	}
	for _, m := range operationMethods {
		if op := in.obj(m); op != nil {
			o, err := c.operation(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m, err)
			}
			out.set(m, o)
		}
	}
	return out, nil
}

// isMethod reports whether k is an operation of a path item.
func isMethod(k string) bool {
	for _, m := range operationMethods {
		if k == m {
			return true
		}
	}
	return false
}

// operation converts an operation: parameters stay parameters (with a
// schema), the body parameter becomes the request body, and each response
// gets a content entry per media type the operation produces.
func (c converter) operation(in *object) (*object, error) {
	consumes, produces := c.consumes, c.produces
	if v := in.get("consumes"); v != nil {
		consumes = strings_(v)
	}
	if v := in.get("produces"); v != nil {
		produces = strings_(v)
	}
	out := newObject()
	for _, k := range in.keys {
		switch k {
		case "consumes", "produces", "schemes":
		case "parameters":
			params, body, err := parameters(in.get(k), consumes)
			if err != nil {
				return nil, err
			}
			if len(params) > 0 {
				out.set("parameters", params)
			}
			if body != nil {
				out.set("requestBody", body)
			}
		case "responses":
			rs, err := responses(in.obj(k), produces)
			if err != nil {
				return nil, err
			}
			out.set("responses", rs)
		case "tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security":
			out.set(k, in.get(k))
		default:
			if !strings.HasPrefix(k, "x-") {
				return nil, fmt.Errorf("unsupported operation field %q", k)
			}
			out.set(k, in.get(k))
		}
	}
	return out, nil
}

// parameterSchemaFields are the fields of a Swagger 2.0 non-body
// parameter that belong to its schema in OpenAPI 3.
var parameterSchemaFields = []string{"type", "format", "items", "default", "enum", "maximum", "exclusiveMaximum",
	"minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf"}

// parameters converts an operation's parameters; the body parameter
// becomes the request body, with a content entry per media type.
func parameters(v any, consumes []string) ([]any, *object, error) {
	list, _ := v.([]any)
	var params []any
	var body *object
	for _, p := range list {
		in, ok := p.(*object)
		if !ok {
			return nil, nil, fmt.Errorf("a parameter is not an object")
		}
		name := in.str("name")
		switch in.str("in") {
		case "body":
			body = newObject()
			copyField(body, in, "description")
			body.set("content", content(rewriteRefs(in.get("schema")), consumes))
			if r, _ := in.get("required").(bool); r {
				body.set("required", true)
			}
		case "path", "query", "header":
			out := newObject()
			schema := newObject()
			for _, k := range in.keys {
				switch {
				case k == "name", k == "in", k == "description", k == "required", k == "allowEmptyValue", strings.HasPrefix(k, "x-"):
					out.set(k, in.get(k))
				case k == "collectionFormat":
					if err := collectionStyle(out, in.str(k)); err != nil {
						return nil, nil, fmt.Errorf("parameter %s: %w", name, err)
					}
				case contains(parameterSchemaFields, k):
					schema.set(k, rewriteRefs(in.get(k)))
				default:
					return nil, nil, fmt.Errorf("parameter %s: unsupported field %q", name, k)
				}
			}
			out.set("schema", schema)
			params = append(params, out)
		default:
			return nil, nil, fmt.Errorf("parameter %s: unsupported location %q", name, in.str("in"))
		}
	}
	return params, body, nil
}

// collectionStyle sets the style of an array parameter from its Swagger
// 2.0 collectionFormat.
func collectionStyle(out *object, format string) error {
	switch format {
	case "multi":
		out.set("style", "form")
		out.set("explode", true)
	case "csv", "":
		out.set("style", "form")
		out.set("explode", false)
	case "ssv":
		out.set("style", "spaceDelimited")
		out.set("explode", false)
	case "pipes":
		out.set("style", "pipeDelimited")
		out.set("explode", false)
	default:
		return fmt.Errorf("unsupported collectionFormat %q", format)
	}
	return nil
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// content returns a content map with the schema under each JSON media
// type and a string (raw bytes) under each other one: the gateway answers
// text/plain and application/octet-stream with the raw data.
func content(schema any, mediaTypes []string) *object {
	if len(mediaTypes) == 0 {
		mediaTypes = []string{"application/json"}
	}
	out := newObject()
	for _, mt := range mediaTypes {
		m := newObject()
		switch {
		case isJSON(mt):
			m.set("schema", schema)
		case mt == "application/octet-stream":
			s := newObject()
			s.set("type", "string")
			s.set("format", "binary")
			m.set("schema", s)
		default:
			s := newObject()
			s.set("type", "string")
			m.set("schema", s)
		}
		out.set(mt, m)
	}
	return out
}

// jsonOnly returns the JSON media types of a list.
func jsonOnly(mediaTypes []string) []string {
	var out []string
	for _, mt := range mediaTypes {
		if isJSON(mt) {
			out = append(out, mt)
		}
	}
	return out
}

// isJSON reports whether a media type is JSON.
func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

// responses converts an operation's responses. Only a success (2xx) has
// the operation's other media types: the gateway answers errors in JSON
// whatever the request accepts.
func responses(in *object, produces []string) (*object, error) {
	if in == nil {
		return nil, fmt.Errorf("no responses")
	}
	out := newObject()
	for _, code := range in.keys {
		r := in.obj(code)
		if r == nil {
			return nil, fmt.Errorf("response %s is not an object", code)
		}
		o := newObject()
		desc := r.str("description")
		o.set("description", desc)
		for _, k := range r.keys {
			switch k {
			case "description":
			case "schema":
				mediaTypes := produces
				if !strings.HasPrefix(code, "2") {
					mediaTypes = jsonOnly(produces)
				}
				o.set("content", content(rewriteRefs(r.get(k)), mediaTypes))
			case "headers":
				hs := newObject()
				h := r.obj(k)
				for _, name := range h.keys {
					ho := newObject()
					hin := h.obj(name)
					copyField(ho, hin, "description")
					schema := newObject()
					for _, f := range hin.keys {
						if contains(parameterSchemaFields, f) {
							schema.set(f, hin.get(f))
						}
					}
					ho.set("schema", schema)
					hs.set(name, ho)
				}
				o.set("headers", hs)
			default:
				if !strings.HasPrefix(k, "x-") {
					return nil, fmt.Errorf("response %s: unsupported field %q", code, k)
				}
				o.set(k, r.get(k))
			}
		}
		out.set(code, o)
	}
	return out, nil
}

// securityScheme converts a security definition.
func securityScheme(in *object) (*object, error) {
	out := newObject()
	switch in.str("type") {
	case "basic":
		out.set("type", "http")
		out.set("scheme", "basic")
	case "apiKey":
		out.set("type", "apiKey")
		out.set("name", in.str("name"))
		out.set("in", in.str("in"))
	default:
		return nil, fmt.Errorf("unsupported type %q", in.str("type"))
	}
	copyField(out, in, "description")
	return out, nil
}

// rewriteRefs returns v with every "#/definitions/X" reference turned into
// "#/components/schemas/X" (Swagger 2.0 schemas are otherwise OpenAPI 3.0
// schemas for what protoc-gen-openapiv2 writes). OpenAPI 3.0 ignores the
// siblings of a $ref, which protoc-gen-openapiv2 writes: a "type" beside
// it is dropped (it says nothing the reference does not), and a
// description or title is kept by wrapping the reference in an allOf.
func rewriteRefs(v any) any {
	switch t := v.(type) {
	case *object:
		if ref, ok := t.get("$ref").(string); ok {
			return refSchema(t, ref)
		}
		out := newObject()
		for _, k := range t.keys {
			out.set(k, rewriteRefs(t.vals[k]))
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = rewriteRefs(e)
		}
		return out
	}
	return v
}

// refSchema converts a schema holding a $ref.
func refSchema(t *object, ref string) *object {
	if name, ok := strings.CutPrefix(ref, "#/definitions/"); ok {
		ref = "#/components/schemas/" + name
	}
	r := newObject()
	r.set("$ref", ref)
	var siblings []string
	for _, k := range t.keys {
		if k != "$ref" && k != "type" {
			siblings = append(siblings, k)
		}
	}
	if len(siblings) == 0 {
		return r
	}
	out := newObject()
	out.set("allOf", []any{r})
	for _, k := range siblings {
		out.set(k, rewriteRefs(t.vals[k]))
	}
	return out
}
