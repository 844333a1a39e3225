// Package surface is the contract between the server and the HTTP
// surfaces mounted on each of its endpoints (the legacy XML-RPC interface
// in compat, the web interface in web): a surface receives the endpoint's
// in-process gRPC connection and the daemon's logger, and returns the
// routes it serves. It also holds what those surfaces share with the
// server: Supervisor's HTML error page, how a surface forwards a request's
// credentials to the gRPC API, and how a cross-site browser request is
// recognised (rule 8 of the architecture). It is a leaf: it imports
// neither the server nor the core, so surfaces cannot reach behind the API.
package surface
