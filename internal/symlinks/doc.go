// Package symlinks applies the kernel's protected_symlinks rule to the
// files the daemon opens by name (its pidfile, its main log, the child
// logs and their rotations), whatever fs.protected_symlinks says: a
// symbolic link in a sticky world-writable directory (/tmp) is followed
// only if it belongs to root, to the daemon's user or to the directory's
// owner. Anyone can plant a link in /tmp; following one that another user
// planted would let that user make the daemon overwrite any file it can
// write. A refused link is an error that names it.
package symlinks
