// Package pytext reproduces the few pieces of Python 3's text behaviour
// whose exact results users of Supervisor 4.2.5 see: repr() of a str, of
// bytes and of a float, ascii(), str.isspace() and the strip and split
// methods that use it, and int() of a str or of bytes.
//
// Supervisor writes its messages with %r and parses numbers with int(), so
// the configuration errors of internal/config, the faults of compat, the
// output of supervisorctl and the event listener protocol of
// internal/events depend on these details (which characters are white
// space, how a non-printable character is escaped, where underscores may
// stand in a number). One package holds them, named after the Python
// operation each one is, and its tests compare every function with the
// real Python (/usr/bin/python3). It is a leaf: it imports only the
// standard library.
package pytext
