// Package daemontest runs a real daemon inside the test process: the core
// service (internal/supervisor) on a configuration file written into a
// short temp dir, served by internal/server on a unix socket there, with
// the HTTP surfaces the test mounts (compat.Mount), wired as the
// supervisord binary wires them. Tests get the socket, a gRPC connection
// and an HTTP client on it, the core itself, and a cleanup that shuts the
// daemon down and fails the test if any process it started is left.
//
// It imports the core, so the tests of the packages it imports (server,
// supervisor, config, events, logs, process) use it from external _test
// packages only. Tests whose programs set umask= need the exec helper:
// their TestMain calls Main.
package daemontest
