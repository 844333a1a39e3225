// Package openapi embeds the OpenAPI descriptions of the REST/JSON surface.
// protoc-gen-openapiv2 writes the Swagger 2.0 document from the protos,
// proto/gsupervisor/v1/gsupervisor_http.yaml and gsupervisor_openapi.yaml;
// tools/openapi3 converts it to OpenAPI 3.0. make generate writes both;
// this file is hand-written.
package openapi

import _ "embed"

// Spec is the OpenAPI 3.0 document, served at /openapi.json.
//
//go:embed gsupervisor.openapi.json
var Spec []byte

// Swagger is the Swagger 2.0 document, served at /swagger.json for tools
// that read only that version.
//
//go:embed gsupervisor.swagger.json
var Swagger []byte
