package symlinks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinks is how many links one path may go through (the kernel's
// MAXSYMLINKS).
const maxLinks = 40

// RefusedError is the error for a link the rule refuses to follow.
type RefusedError struct {
	// Path is the path being opened.
	Path string
	// Link is the refused link and Dir the directory holding it.
	Link, Dir string
	// Owner is the link's owner.
	Owner int
}

// Error names the link, its owner and the rule.
func (e *RefusedError) Error() string {
	where := e.Link
	if e.Link != e.Path {
		where = fmt.Sprintf("%s (in the path %s)", e.Link, e.Path)
	}
	return fmt.Sprintf("refusing to follow the symbolic link %s: it is owned by uid %d, neither root nor the daemon's user, in the sticky world-writable directory %s",
		where, e.Owner, e.Dir)
}

// Check walks name, component by component, and returns a *RefusedError
// for the first symbolic link the rule refuses. final reports whether the
// last component of name is itself a (permitted) link. Components that do
// not exist end the walk without error: opening will create or report
// them.
func Check(name string) (final bool, err error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false, err
	}
	todo := split(abs)
	cur := "/"
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, c)
		fi, err := os.Lstat(next)
		if err != nil {
			return false, nil
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if err := permitted(abs, cur, next, fi); err != nil {
			return false, err
		}
		if links++; links > maxLinks {
			return false, &os.PathError{Op: "open", Path: name, Err: syscall.ELOOP}
		}
		target, err := os.Readlink(next)
		if err != nil {
			return false, nil
		}
		if filepath.IsAbs(target) {
			cur = "/"
		}
		todo = append(split(target), todo...)
	}
	fi, err := os.Lstat(abs)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0, nil
}

// split returns the components of a slash-separated path.
func split(p string) []string { return strings.Split(p, "/") }

// permitted applies the rule to the link at path link in directory dir.
func permitted(name, dir, link string, fi fs.FileInfo) error {
	dst, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	if dst.Mode()&fs.ModeSticky == 0 || dst.Mode().Perm()&0o002 == 0 {
		return nil
	}
	owner := int(fi.Sys().(*syscall.Stat_t).Uid)
	dirOwner := int(dst.Sys().(*syscall.Stat_t).Uid)
	if owner == 0 || owner == os.Geteuid() || owner == dirOwner {
		return nil
	}
	return &RefusedError{Path: name, Link: link, Dir: dir, Owner: owner}
}

// OpenFile is os.OpenFile under the rule. When the last component of
// name is not a link at the time of the check, it is opened with
// O_NOFOLLOW, so that a link planted right after the check (in a name a
// rotation has just freed, say) is refused too.
func OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	final, err := Check(name)
	if err != nil {
		return nil, err
	}
	if !final {
		flag |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(name, flag, perm)
	if err != nil && !final && errors.Is(err, syscall.ELOOP) {
		if _, cerr := Check(name); cerr != nil {
			return nil, cerr
		}
	}
	return f, err
}

// WriteFile is os.WriteFile under the rule.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	f, err := OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
