package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is the length of one clock tick of /proc/<pid>/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// procStat is what the harness reads from /proc/<pid>/stat.
type procStat struct {
	ppid  int
	pgid  int
	utime int64 // clock ticks
	stime int64 // clock ticks
}

// readStat reads /proc/<pid>/stat.
func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, fmt.Errorf("read stat of pid %d: %w", pid, err)
	}
	// The command name is in parentheses and may contain spaces: split
	// after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("stat of pid %d: no ')' in %q", pid, b)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime is field 14, stime 15.
	if len(f) < 13 {
		return procStat{}, fmt.Errorf("stat of pid %d: %d fields", pid, len(f))
	}
	var s procStat
	var errs [4]error
	s.ppid, errs[0] = strconv.Atoi(f[1])
	s.pgid, errs[1] = strconv.Atoi(f[2])
	s.utime, errs[2] = strconv.ParseInt(f[11], 10, 64)
	s.stime, errs[3] = strconv.ParseInt(f[12], 10, 64)
	for _, e := range errs {
		if e != nil {
			return procStat{}, fmt.Errorf("stat of pid %d: %w", pid, e)
		}
	}
	return s, nil
}

// cpuTime returns the CPU time (user+system, all threads) of pid.
func cpuTime(pid int) (time.Duration, error) {
	s, err := readStat(pid)
	if err != nil {
		return 0, err
	}
	return time.Duration(s.utime+s.stime) * clockTick, nil
}

// memStatus is the memory part of /proc/<pid>/status, in bytes.
type memStatus struct {
	RSS     int64 // VmRSS
	HWM     int64 // VmHWM, the peak RSS
	Anon    int64 // RssAnon: the private memory (heap, stacks) in RSS
	File    int64 // RssFile: mapped file pages in RSS (the binary's code and data)
	Threads int   // Threads: the number of OS threads
}

// memKeys are the /proc/<pid>/status fields readMem reads, in kB.
var memKeys = map[string]func(*memStatus) *int64{
	"VmRSS":   func(m *memStatus) *int64 { return &m.RSS },
	"VmHWM":   func(m *memStatus) *int64 { return &m.HWM },
	"RssAnon": func(m *memStatus) *int64 { return &m.Anon },
	"RssFile": func(m *memStatus) *int64 { return &m.File },
}

// readMem reads VmRSS, VmHWM, RssAnon, RssFile and Threads from
// /proc/<pid>/status.
func readMem(pid int) (memStatus, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memStatus{}, fmt.Errorf("read status of pid %d: %w", pid, err)
	}
	var m memStatus
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && k == "Threads" {
			if m.Threads, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
				return memStatus{}, fmt.Errorf("status of pid %d: Threads: %w", pid, err)
			}
			continue
		}
		field, known := memKeys[k]
		if !ok || !known {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return memStatus{}, fmt.Errorf("status of pid %d: unexpected %s line %q", pid, k, line)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return memStatus{}, fmt.Errorf("status of pid %d: %s: %w", pid, k, err)
		}
		*field(&m) = n << 10
	}
	if m.RSS == 0 {
		return memStatus{}, fmt.Errorf("status of pid %d: no VmRSS", pid)
	}
	return m, nil
}

// allProcs returns the pid and stat of every process that can be read now.
func allProcs() map[int]procStat {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := make(map[int]procStat, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, err := readStat(pid); err == nil {
			out[pid] = s
		}
	}
	return out
}

// descendants returns every live descendant of root.
func descendants(root int) []int {
	procs := allProcs()
	children := map[int][]int{}
	for pid, s := range procs {
		children[s.ppid] = append(children[s.ppid], pid)
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i >= 0 && i+2 < len(b) && b[i+2] != 'Z'
}

// becomeSubreaper makes orphaned descendants of this process its children,
// so that nothing the harness started escapes its clean-up.
func becomeSubreaper() error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", err)
	}
	return nil
}

// killTree sends SIGKILL to every pid (and to its process group when it
// leads one).
func killTree(pids []int) {
	for _, p := range pids {
		if s, err := readStat(p); err == nil && s.pgid == p {
			syscall.Kill(-p, syscall.SIGKILL)
		}
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// reapOrphans kills and reaps the processes that were reparented to the
// harness (it is a subreaper) other than those in keep, and returns how
// many there were.
func reapOrphans(keep map[int]bool) int {
	self := os.Getpid()
	n := 0
	for pid, s := range allProcs() {
		if s.ppid != self || keep[pid] {
			continue
		}
		n++
		killTree(append(descendants(pid), pid))
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, 0, nil)
	}
	return n
}
