// Package metrics exposes the daemon to Prometheus (issue 18): a
// Collector that reads the core's state at scrape time (processes, their
// logs, the event bus), the RPC counters and latency histograms that the
// server's interceptor feeds, and the daemon's own process and Go runtime
// metrics, in one Registry per server.
//
// Nothing is updated on the engine's paths: the process and bus figures
// are counters the core keeps anyway, read only when /metrics is scraped,
// so an unscraped daemon pays nothing and a scrape never slows a spawn.
//
// Every name starts with gsupervisor_ and follows Prometheus' conventions
// (base units, _total for counters, _seconds, _bytes); the exposition
// passes promtool check metrics.
package metrics
