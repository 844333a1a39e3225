package memtrim

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestReadOnlyMappings(t *testing.T) {
	maps := `00400000-00b75000 r-xp 00000000 08:01 123 /usr/bin/super visord
00b75000-01446000 r--p 00775000 08:01 123 /usr/bin/super visord
01446000-01508000 rw-p 01046000 08:01 123 /usr/bin/super visord
01508000-0354f000 rw-p 00000000 00:00 0 
7f00-7f10 r-xp 00000000 08:01 9 /usr/lib/x86_64-linux-gnu/libc.so.6
7f20-7f30 r--p 00000000 08:01 9 /usr/bin/super visord.old
zz-7f40 r--p 00000000 08:01 123 /usr/bin/super visord
7ffd-7ffe r--p 00000000 00:00 0                          [vvar]
`
	got := readOnlyMappings([]byte(maps), "/usr/bin/super visord")
	want := []mapping{{0x400000, 0xb75000 - 0x400000}, {0xb75000, 0x1446000 - 0xb75000}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("readOnlyMappings = %#v, want %#v", got, want)
	}
	if got := readOnlyMappings([]byte(maps), "/nowhere"); len(got) != 0 {
		t.Errorf("another file's mappings: %#v", got)
	}
}

// residentKiB sums the Rss of the executable's read-only mappings and
// counts those the kernel reads at random (VmFlags rr).
func residentKiB(t *testing.T) (kib, random int) {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 6 && strings.Contains(f[0], "-"):
			in = strings.HasSuffix(line, " "+exe) && f[1][1] != 'w'
		case in && len(f) == 3 && f[0] == "Rss:":
			n, _ := strconv.Atoi(f[1])
			kib += n
		case in && len(f) > 0 && f[0] == "VmFlags:" && slices.Contains(f[1:], "rr"):
			random++
		}
	}
	return kib, random
}

// TestReleasePagesOutTheExecutable: after Release, most of the
// executable's read-only pages are no longer resident, and the program
// goes on running (its code faults back in).
func TestReleasePagesOutTheExecutable(t *testing.T) {
	if len(executableRanges()) == 0 {
		t.Fatal("no read-only mapping of the executable found in /proc/self/maps")
	}
	before, _ := residentKiB(t)
	if before < 512 {
		t.Fatalf("only %d KiB of the test binary resident before Release", before)
	}
	Release()
	after, random := residentKiB(t)
	t.Logf("executable resident: %d KiB -> %d KiB", before, after)
	if after > before/2 {
		t.Errorf("Release left %d of %d KiB of the executable resident", after, before)
	}
	if want := len(executableRanges()); random != want {
		t.Errorf("%d of %d read-only mappings marked as read at random", random, want)
	}
}
