package memtrim

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Release gives the system back what the daemon holds but does not use:
// the free heap (two collections, so that pooled buffers are dropped too,
// and a full scavenge)
// and the pages of its own executable that it is not running.
//
// An executable's code and read-only data are mapped from its file, and
// the kernel maps them in blocks of 16 pages around each page touched, so
// start-up (configuration parsing, the protobuf registry, the first run of
// every code path) leaves almost all of the binary resident: about 15 MiB
// of a daemon whose idle loop runs in under 2 MiB of it. Release asks the
// kernel to reclaim those clean pages (madvise MADV_PAGEOUT, Linux 5.4),
// as a kernel frees its init sections after boot, and marks the mappings
// as read at random (MADV_RANDOM) so that what runs next faults in the
// pages it runs rather than blocks around them; they come back from the
// page cache, or the file. Only the executable's read-only mappings are
// touched: its writable data, the heap and the stacks are not. Where the
// kernel does not support either advice the call does nothing more than
// FreeOSMemory.
func Release() {
	// Two collections: what sync.Pools held (grpc's and ours buffers)
	// survives the first as their victim cache and is dropped by the
	// second, whose scavenge then returns it.
	runtime.GC()
	debug.FreeOSMemory()
	for _, r := range executableRanges() {
		// The raw call: the range is an address from /proc/self/maps, not
		// memory Go allocated.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, r.start, r.len, unix.MADV_PAGEOUT)
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, r.start, r.len, unix.MADV_RANDOM)
	}
}

// mapping is a range of the address space.
type mapping struct{ start, len uintptr }

var (
	rangesOnce sync.Once
	ranges     []mapping
)

// executableRanges returns the executable's read-only file mappings (its
// text and read-only data), found once in /proc/self/maps.
func executableRanges() []mapping {
	rangesOnce.Do(func() {
		exe, err := os.Readlink("/proc/self/exe")
		if err != nil {
			return
		}
		maps, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			return
		}
		ranges = readOnlyMappings(maps, exe)
	})
	return ranges
}

// readOnlyMappings parses /proc/<pid>/maps and returns the mappings of
// file that are not writable.
func readOnlyMappings(maps []byte, file string) []mapping {
	var out []mapping
	for _, line := range strings.Split(string(maps), "\n") {
		// start-end perms offset dev inode path (the path may hold spaces)
		rest := line
		var f [5]string
		for i := range f {
			rest = strings.TrimLeft(rest, " ")
			f[i], rest, _ = strings.Cut(rest, " ")
		}
		if strings.TrimLeft(rest, " ") != file || len(f[1]) < 2 || f[1][1] == 'w' {
			continue
		}
		start, end, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		out = append(out, mapping{start: uintptr(lo), len: uintptr(hi - lo)})
	}
	return out
}
