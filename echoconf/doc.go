// Command echo_supervisord_conf prints a complete, commented sample
// supervisord.conf on standard output, like Supervisor 4.2.5's command of
// the same name: it takes no options, and
//
//	echo_supervisord_conf > /etc/supervisord.conf
//
// starts a configuration both gsupervisor and Supervisor 4.2.5 load.
//
// The text is ours: every section and option of 4.2.5, commented out where
// 4.2.5's sample comments it out, with a one-line explanation and its
// default, and gsupervisor's own options marked "[gsupervisor]". It lives in
// one file, sample.conf, embedded in the binary: a new option is documented
// by adding its line there (the tests check that both daemons still load
// the result).
package main
