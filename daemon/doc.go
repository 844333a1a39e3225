// Command supervisord is gsupervisor's daemon: a drop-in replacement for
// Supervisor 4.2.5's supervisord. It reads an unchanged supervisord.conf,
// starts and watches the programs, captures and rotates their logs, emits
// events and serves the API (native gRPC, REST/JSON and legacy XML-RPC) on
// the sockets of [unix_http_server] and [inet_http_server].
//
// This package holds only the command line, daemonizing, signals and the
// wiring of the packages below it.
package main
