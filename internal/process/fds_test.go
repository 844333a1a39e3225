package process

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// TestChildGetsOnlyStdio opens a descriptor without close-on-exec in the
// test process (as one inherited from a shell would be) and checks that a
// child holds exactly fds 0–2: the first spawn seals inherited
// descriptors even where CloseInherited was not called.
func TestChildGetsOnlyStdio(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	leaked, err := unix.Dup(int(w.Fd())) // dup(2) clears close-on-exec
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(leaked)
	p, _ := newProc(t, "/bin/sleep 100000", nil)
	if _, err := p.Start(); err != nil {
		t.Fatal(err)
	}
	info := waitState(t, p, Running)
	defer p.Kill()
	// The program itself opens files while it starts (the dynamic loader,
	// locale files): wait for it to hold only its standard streams; a
	// leaked descriptor would stay for good.
	var names []string
	testutil.Eventually(t, "the child to hold exactly fds 0-2", func() bool {
		entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", info.Pid))
		if err != nil {
			t.Fatal(err)
		}
		names = names[:0]
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return len(names) == 3 && names[0] == "0" && names[1] == "1" && names[2] == "2"
	})
	// The test's own descriptor stays usable.
	if _, err := unix.Write(leaked, []byte("x")); err != nil {
		t.Fatalf("the sealed descriptor no longer works: %v", err)
	}
}
