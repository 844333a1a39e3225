// Package httpprobe is the http:// and https:// health check of the
// readiness and liveness probes (see package probe). It lives apart so
// that the core, which runs probes, links no HTTP code: the daemon wires
// it in (supervisor.Options.HTTPCheck).
package httpprobe
