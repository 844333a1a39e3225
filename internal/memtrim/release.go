package memtrim

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Release gives the system back what the daemon holds but does not use:
// the free heap (two collections, so that pooled buffers are dropped too,
// and a full scavenge) and the pages of its own executable that it maps
// but is not running.
//
// An executable's code and read-only data are mapped from its file, and
// the kernel maps them in blocks of 16 pages around each page touched, so
// start-up (configuration parsing, the protobuf registry, the first run of
// every code path) leaves almost all of the binary mapped: about 15 MiB
// of a daemon whose idle loop runs in about 3 MiB of it. Release unmaps
// those clean pages from the daemon (madvise MADV_DONTNEED): they stay in
// the page cache, where the kernel keeps or drops them like any cached
// file, and what runs next maps its pages again with a minor fault (no
// I/O while they are cached). Only read-only mappings of the executable
// that hold no private copy of a page (a relocated or patched page, as in
// the RELRO segment of a position-independent binary) are released: for
// them, dropping the mapping loses nothing.
func Release() {
	// The second collection drops what sync.Pools held through the first
	// (grpc's buffers, ours); the scavenge then returns it.
	runtime.GC()
	debug.FreeOSMemory()
	releaseExecutable()
}

// releaseExecutable unmaps the clean pages of the executable and returns
// how many bytes of mappings it released.
func releaseExecutable() uintptr {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0
	}
	var n uintptr
	for _, m := range cleanMappings(smaps, exe) {
		// The raw call: the range is an address from /proc/self/smaps,
		// not memory Go allocated.
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, m.start, m.len, unix.MADV_DONTNEED); errno == 0 {
			n += m.len
		}
	}
	return n
}

// mapping is a range of the address space.
type mapping struct{ start, len uintptr }

// cleanMappings parses /proc/<pid>/smaps and returns the mappings of file
// that are not writable and hold no anonymous (private copied) page.
func cleanMappings(smaps []byte, file string) []mapping {
	var out []mapping
	var cur mapping
	inFile := false // cur is a read-only mapping of file
	flush := func() {
		if inFile {
			out = append(out, cur)
		}
		inFile = false
	}
	for _, line := range strings.Split(string(smaps), "\n") {
		if m, perms, path, ok := mappingLine(line); ok {
			flush()
			cur = m
			inFile = path == file && len(perms) >= 2 && perms[1] != 'w'
			continue
		}
		// "Anonymous:   8 kB": a private copy of some page.
		if rest, ok := strings.CutPrefix(line, "Anonymous:"); ok && inFile {
			if kb, _, _ := strings.Cut(strings.TrimSpace(rest), " "); kb != "0" {
				inFile = false
			}
		}
	}
	flush()
	return out
}

// mappingLine parses a mapping's first line in smaps or maps: "start-end
// perms offset dev inode [path]" (the path may hold spaces). Other lines
// ("Rss:   4 kB") are not mapping lines.
func mappingLine(line string) (m mapping, perms, path string, ok bool) {
	rest := line
	var f [5]string
	for i := range f {
		rest = strings.TrimLeft(rest, " ")
		f[i], rest, _ = strings.Cut(rest, " ")
	}
	start, end, found := strings.Cut(f[0], "-")
	if !found {
		return mapping{}, "", "", false
	}
	lo, err1 := strconv.ParseUint(start, 16, 64)
	hi, err2 := strconv.ParseUint(end, 16, 64)
	if err1 != nil || err2 != nil || hi <= lo {
		return mapping{}, "", "", false
	}
	return mapping{start: uintptr(lo), len: uintptr(hi - lo)}, f[1], strings.TrimLeft(rest, " "), true
}
