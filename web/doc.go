// Package web is the web interface of the daemon, served on every endpoint
// beside the API: 4.2.5's URLs with their effects (the status page at / and
// /index.html with its query actions and redirects, /tail.html, and
// /ok.html for load balancers) and, on the same page, a live dashboard.
//
// The pages are rendered on the server from the gRPC API (through the
// endpoint's in-process connection, authenticated like the network), so
// they work without JavaScript and from scripts, exactly as 4.2.5's did.
// The dashboard's JavaScript (embedded ES modules, no build step, nothing
// fetched from elsewhere) then keeps them live through the public REST
// API only: the event stream for states, the follow streams for logs.
//
// Browsers are hostile territory: the pages carry a strict
// Content-Security-Policy and refuse to be framed, and the legacy actions,
// which change state on GET, are refused when a browser marks the request
// as cross-site (the server refuses every other state-changing method).
//
// The package imports the generated API, internal/surface and the legacy
// fault table (internal/faults), never the core: everything it does, a client of
// the API could do.
package web
