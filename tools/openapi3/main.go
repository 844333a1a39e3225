// Command openapi3 converts the Swagger 2.0 document that
// protoc-gen-openapiv2 writes into the OpenAPI 3.0 document the daemon
// serves at /openapi.json. make generate runs it:
//
//	go run ./tools/openapi3 gen/openapi/gsupervisor.swagger.json gen/openapi/gsupervisor.openapi.json
//
// It converts what the gateway's generator produces (paths, parameters,
// bodies, responses per media type, schemas, security schemes) and fails
// with a clear error on anything else, rather than writing a document
// that generators would misread.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: openapi3 SWAGGER2.json OPENAPI3.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "openapi3:", err)
		os.Exit(1)
	}
}

// run converts the file in into the file out.
func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	v3, err := convert(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	b, err := marshalIndent(v3)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

// marshalIndent writes v as JSON indented by two spaces, with a final
// newline.
func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
