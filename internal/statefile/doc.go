// Package statefile reads and writes the small JSON files a daemon keeps
// beside its pidfile (<pidfile>.<name>), such as the programs an operator
// disabled or scaled at run time.
//
// A write replaces the file atomically and durably: the new content goes
// to a temporary file in the same directory, which is synced, renamed
// over the old file, and the directory is synced. A crash of the daemon
// (SIGKILL included) or of the machine leaves either the old or the new
// file, never a mix.
package statefile
