package memtrim

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCleanMappings(t *testing.T) {
	smaps := `00400000-00b75000 r-xp 00000000 08:01 123 /usr/bin/super visord
Size:               7636 kB
Rss:                6876 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me
00b75000-01446000 r--p 00775000 08:01 123 /usr/bin/super visord
Rss:                6936 kB
Anonymous:             0 kB
01446000-01450000 r--p 01046000 08:01 123 /usr/bin/super visord
Rss:                  40 kB
Anonymous:            40 kB
01450000-01508000 rw-p 01050000 08:01 123 /usr/bin/super visord
Anonymous:             0 kB
01508000-0354f000 rw-p 00000000 00:00 0 
Anonymous:           188 kB
7f00-7f10 r-xp 00000000 08:01 9 /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:             0 kB
7f20-7f30 r--p 00000000 08:01 9 /usr/bin/super visord.old
Anonymous:             0 kB
7ffd-7ffe r--p 00000000 00:00 0                          [vvar]
Anonymous:             0 kB
`
	got := cleanMappings([]byte(smaps), "/usr/bin/super visord")
	want := []mapping{{0x400000, 0xb75000 - 0x400000}, {0xb75000, 0x1446000 - 0xb75000}}
	if !slices.Equal(got, want) {
		t.Errorf("cleanMappings = %#v, want %#v (not the writable one, not the one with a private copy)", got, want)
	}
	if got := cleanMappings([]byte(smaps), "/nowhere"); len(got) != 0 {
		t.Errorf("another file's mappings: %#v", got)
	}
}

// residentKiB sums the Rss of the executable's read-only mappings.
func residentKiB(t *testing.T) int {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	kib, in := 0, false
	for _, line := range strings.Split(string(b), "\n") {
		if _, perms, path, ok := mappingLine(line); ok {
			in = path == exe && perms[1] != 'w'
			continue
		}
		if f := strings.Fields(line); in && len(f) == 3 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			kib += n
		}
	}
	return kib
}

// TestReleaseUnmapsTheExecutable: Release unmaps the executable's
// read-only mappings (the text alone is megabytes), fewer of their pages
// are resident afterwards, and the program goes on running (its code is
// mapped again as it runs).
func TestReleaseUnmapsTheExecutable(t *testing.T) {
	before := residentKiB(t)
	if before < 512 {
		t.Fatalf("only %d KiB of the test binary resident before Release", before)
	}
	Release()
	after := residentKiB(t)
	released := releaseExecutable()
	t.Logf("executable resident: %d KiB -> %d KiB; %d KiB of mappings released", before, after, released>>10)
	if released < 1<<20 {
		t.Errorf("released %d bytes of the executable's mappings", released)
	}
	// What runs between the release and the reading (the collections'
	// end, reading smaps; more under -race) maps some pages again, in
	// blocks of 16: about a third of them here.
	if after >= before {
		t.Errorf("Release left %d of %d KiB of the executable resident", after, before)
	}
}
