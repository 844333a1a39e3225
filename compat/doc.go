// Package compat serves Supervisor 4.2.5's legacy HTTP surface on the
// daemon's sockets, so that every tool written for Supervisor keeps working:
// the XML-RPC interface at /RPC2 (the real supervisorctl, Python's
// xmlrpc.client, Ansible, cesi, superlance, childutils listeners) and the
// /logtail/<name> and /mainlogtail streams that `tail -f`, `maintail -f` and
// `fg` read.
//
// compat is a thin adapter: every XML-RPC method is translated onto the
// daemon's own gRPC API through the generated clients (the same in-process
// connection the REST gateway uses), and the answer is translated back to
// 4.2.5's shapes: structs with their keys in 4.2.5's order, legacy numeric
// state codes, timestamps as capped 32-bit integers, per-process result
// structs, and faults with the legacy codes and texts. It holds no state and
// no behaviour of its own: what the daemon does is decided by the core
// behind the gRPC API. getAllProcessInfo asks for ListProcesses' answer
// in the form the network carries (surface.WithWireAnswers) and reads the
// encoded processes field by field straight into the XML (wireinfo.go), as
// any gRPC client could, instead of a message built for each process. The
// only thing it keeps between calls is a pooled copy of that XML, per
// process, reused while the fields it shows are unchanged (infocache.go).
//
// The endpoint checks the caller's credentials once, on the HTTP request;
// the in-process calls compat makes for that request are known to be
// authenticated and are not checked again (internal/server).
//
// Mount returns the routes that internal/server installs on every endpoint.
package compat
