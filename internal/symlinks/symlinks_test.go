package symlinks

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

const nobody = 65534

// stickyDir returns a new sticky world-writable directory (like /tmp)
// owned by owner.
func stickyDir(t *testing.T, owner int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown links")
	}
	dir := filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, owner, owner); err != nil {
		t.Fatal(err)
	}
	return dir
}

// plant makes a symbolic link at link to target owned by uid.
func plant(t *testing.T, target, link string, uid int) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, uid, uid); err != nil {
		t.Fatal(err)
	}
}

// secret returns a root-only file with known content.
func secret(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "only-root.txt")
	if err := os.WriteFile(p, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func unchanged(t *testing.T, p string) {
	t.Helper()
	if b, _ := os.ReadFile(p); string(b) != "secret\n" {
		t.Fatalf("%s was modified: %q", p, b)
	}
}

func TestRefusesAnotherUsersLink(t *testing.T) {
	dir := stickyDir(t, 0)
	target := secret(t)
	link := filepath.Join(dir, "app.log")
	plant(t, target, link, nobody)
	_, err := OpenFile(link, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	var re *RefusedError
	if !errors.As(err, &re) || re.Link != link || re.Owner != nobody || re.Dir != dir {
		t.Fatalf("OpenFile through a link owned by nobody: %v", err)
	}
	want := "refusing to follow the symbolic link " + link + ": it is owned by uid 65534, neither root nor the daemon's user, in the sticky world-writable directory " + dir
	if err.Error() != want {
		t.Errorf("error %q\nwant  %q", err, want)
	}
	if err := WriteFile(link, []byte("pwned"), 0o644); !errors.As(err, &re) {
		t.Errorf("WriteFile: %v", err)
	}
	unchanged(t, target)
}

func TestRefusesLinkInTheMiddle(t *testing.T) {
	dir := stickyDir(t, 0)
	elsewhere := filepath.Dir(secret(t))
	link := filepath.Join(dir, "logs")
	plant(t, elsewhere, link, nobody)
	_, err := OpenFile(filepath.Join(link, "only-root.txt"), os.O_WRONLY|os.O_TRUNC, 0)
	var re *RefusedError
	if !errors.As(err, &re) || re.Link != link || re.Path != filepath.Join(link, "only-root.txt") {
		t.Fatalf("a directory link owned by nobody: %v", err)
	}
	unchanged(t, filepath.Join(elsewhere, "only-root.txt"))
}

func TestFollowsPermittedLinks(t *testing.T) {
	target := secret(t)
	for _, c := range []struct {
		name            string
		dirOwner, owner int
		sticky          bool
	}{
		{"root's link in /tmp", 0, 0, true},
		{"the directory owner's link", nobody, nobody, true},
		{"anyone's link outside a sticky directory", 0, nobody, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.WriteFile(target, []byte("secret\n"), 0o600)
			dir := stickyDir(t, c.dirOwner)
			if !c.sticky {
				os.Chmod(dir, 0o777)
			}
			link := filepath.Join(dir, "app.log")
			plant(t, target, link, c.owner)
			if final, err := Check(link); err != nil || !final {
				t.Fatalf("Check: %v %v", final, err)
			}
			if err := WriteFile(link, []byte("new\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(target); string(b) != "new\n" {
				t.Fatalf("the link was not followed: %q", b)
			}
		})
	}
}

func TestPlainFilesAndLoops(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "..", "f.log")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if err := WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if final, err := Check(filepath.Join(dir, "missing", "f.log")); err != nil || final {
		t.Fatalf("a missing directory: %v %v", final, err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Symlink(b, a)
	os.Symlink(a, b)
	if _, err := OpenFile(a, os.O_RDONLY, 0); !errors.Is(err, syscall.ELOOP) {
		t.Fatalf("a loop: %v", err)
	}
}
