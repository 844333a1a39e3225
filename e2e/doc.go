// Package e2e holds the end-to-end tests of gsupervisor: they build the
// real binaries, start bin/supervisord on real configurations and talk to
// it with every kind of client (the Go gRPC stubs, curl, Python's
// xmlrpc.client, the real Python supervisorctl, our supervisorctl), and
// some run the same scenario under Debian's supervisord 4.2.5 to compare.
// The tests carry the e2e build tag: go test -tags e2e ./e2e/...
package e2e
