// Package statefile reads and writes the small JSON files a daemon keeps
// beside its pidfile (<pidfile>.<name>): the programs an operator
// disabled or scaled at run time (<pidfile>.programs, package supervisor)
// and the running children for crash recovery (<pidfile>.children,
// package recovery). Every such file is read and written here.
//
// A write replaces the file atomically and durably: the new content goes
// to a temporary file in the same directory, which is synced, renamed
// over the old file, and the directory is synced. A crash of the daemon
// (SIGKILL included) or of the machine leaves either the old or the new
// file, never a mix. Replace skips the syncs for files whose content a
// crash of the machine makes moot.
package statefile
