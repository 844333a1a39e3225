package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// writerChunk is the write size of the logs scenario's writer.
const writerChunk = 64 << 10

// scenarioLogs measures log capture throughput and daemon CPU per GiB,
// without and with rotation, and the pipe-to-file floors.
func (h *harness) scenarioLogs(ctx context.Context) error {
	total := h.opts.LogBytes
	size := fmtBytes(total)
	tput := h.metric("logs", fmt.Sprintf("capture of %s written in 64 KiB writes, start request → EXITED with every byte in the file, no rotation", size), "MiB/s", "higher").
		withTarget("ours ≥ 0.9× floor", floorRatioAtLeast(0.9))
	tput.Note = "floor: the same writer piped into a file by a Go read/write loop (128 KiB reads)"
	cpu := h.metric("logs", "daemon CPU per GiB captured, no rotation", "CPU-s/GiB", "lower").
		withTarget("ours ≤ 0.5", oursAtMost(0.5))
	cpu.Note = "floor: CPU time of the floor's copying thread (read/write loop), getrusage(RUSAGE_THREAD)"
	rtput := h.metric("logs", fmt.Sprintf("capture of %s, rotation at %s (backups kept for every byte)", size, fmtBytes(h.opts.RotateBytes)), "MiB/s", "higher").
		withTarget("ours ≥ 0.9× floor", floorRatioAtLeast(0.9))
	rtput.Note = "floor: the same as without rotation"
	rcpu := h.metric("logs", "daemon CPU per GiB captured, with rotation", "CPU-s/GiB", "lower").
		withTarget("ours ≤ 0.5", oursAtMost(0.5))
	splice := h.metric("logs", fmt.Sprintf("floor: the same writer piped into a file by splice(2), %s", size), "MiB/s", "higher")
	spliceCPU := h.metric("logs", "floor: CPU per GiB of the splice(2) copying thread", "CPU-s/GiB", "lower")
	backups := int(total/h.opts.RotateBytes) + 5
	programs := fmt.Sprintf(`[program:norot]
command=%[1]s %[2]s writer -bytes %[3]d -chunk %[4]d
autostart=false
autorestart=false
startsecs=0
stdout_logfile=%%(here)s/logs/norot.log
stdout_logfile_maxbytes=0
stderr_logfile=%%(here)s/logs/norot.err

[program:rot]
command=%[1]s %[2]s writer -bytes %[3]d -chunk %[4]d
autostart=false
autorestart=false
startsecs=0
stdout_logfile=%%(here)s/logs/rot.log
stdout_logfile_maxbytes=%[5]d
stdout_logfile_backups=%[6]d
stderr_logfile=%%(here)s/logs/rot.err

`, h.self, childArg, total, writerChunk, h.opts.RotateBytes, backups)
	for rep := 0; rep < h.opts.Reps; rep++ {
		for _, useSplice := range []bool{false, true} {
			if err := h.settleForCapture(total); err != nil {
				return err
			}
			took, cpuUsed, err := h.pipeFloor(ctx, total, useSplice)
			if err != nil {
				return fmt.Errorf("pipe floor: %w", err)
			}
			mibs := float64(total) / (1 << 20) / took.Seconds()
			perGiB := cpuUsed.Seconds() * float64(1<<30) / float64(total)
			if useSplice {
				splice.add(floor, mibs)
				spliceCPU.add(floor, perGiB)
			} else {
				tput.add(floor, mibs)
				cpu.add(floor, perGiB)
				rtput.add(floor, mibs)
				rcpu.add(floor, perGiB)
			}
		}
		for _, k := range order(rep) {
			if k == real && h.opts.OursOnly {
				continue
			}
			dir := h.runDir(fmt.Sprintf("logs-%s-r%d", k, rep))
			d, err := h.startDaemon(ctx, k, dir, programs)
			if err != nil {
				return err
			}
			err = d.waitServing(ctx, 60*time.Second)
			type prog struct {
				name      string
				tput, cpu *Metric
			}
			progs := []prog{{"norot", tput, cpu}, {"rot", rtput, rcpu}}
			if rep%2 == 1 {
				progs[0], progs[1] = progs[1], progs[0]
			}
			for _, p := range progs {
				if err != nil {
					break
				}
				if err = h.settleForCapture(total); err != nil {
					break
				}
				var took, cpuUsed time.Duration
				took, cpuUsed, err = h.captureRun(ctx, d, p.name, total)
				if err == nil {
					p.tput.add(k, float64(total)/(1<<20)/took.Seconds())
					p.cpu.add(k, cpuUsed.Seconds()*float64(1<<30)/float64(total))
					h.log.Info("logs", "daemon", k, "program", p.name, "rep", rep, "took", took.Round(time.Millisecond), "cpu", cpuUsed)
				}
			}
			if err != nil {
				d.kill(30 * time.Second)
				return err
			}
			if _, err := d.shutdown(60 * time.Second); err != nil {
				return err
			}
			os.RemoveAll(filepath.Join(dir, "logs"))
		}
	}
	return nil
}

// captureRun starts program name (a writer of total bytes) and returns the
// time from the start request until it is EXITED with all its bytes in its
// log files, and the daemon's CPU time over that window. The log files
// are removed afterwards.
func (h *harness) captureRun(ctx context.Context, d *daemon, name string, total int64) (time.Duration, time.Duration, error) {
	logs := filepath.Join(d.dir, "logs")
	defer removeGlob(filepath.Join(logs, name+".log*"))
	cpu0, err := cpuTime(d.pid())
	if err != nil {
		return 0, 0, err
	}
	stopProf := h.prof.start(d, "logs-"+name)
	defer stopProf()
	t0 := time.Now()
	if err := d.api.Start(ctx, name, false); err != nil {
		return 0, 0, fmt.Errorf("start %s: %w", name, err)
	}
	deadline := t0.Add(10*time.Minute + time.Duration(total/(1<<20))*100*time.Millisecond)
	lastCheck := time.Now()
	var size int64
	for {
		size = globSize(filepath.Join(logs, name+".log*"))
		if size >= total {
			break
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		if time.Now().After(deadline) {
			return 0, 0, fmt.Errorf("%s: %s of %s in the log after %v", name, fmtBytes(size), fmtBytes(total), time.Since(t0))
		}
		if d.isExited() {
			return 0, 0, d.errExited()
		}
		if time.Since(lastCheck) > 2*time.Second {
			// A writer that died, or bytes that were lost, would
			// leave the size short for ever.
			lastCheck = time.Now()
			st, err := h.stateOf(ctx, d, name)
			if err == nil && st != "RUNNING" && st != "STARTING" {
				time.Sleep(time.Second)
				if s2 := globSize(filepath.Join(logs, name+".log*")); s2 < total {
					return 0, 0, fmt.Errorf("%s is %s with %s of %s in its log files (lost or never written)", name, st, fmtBytes(s2), fmtBytes(total))
				}
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	for {
		st, err := h.stateOf(ctx, d, name)
		if err != nil {
			return 0, 0, err
		}
		if st == "EXITED" {
			break
		}
		if st != "RUNNING" && st != "STARTING" {
			return 0, 0, fmt.Errorf("%s is %s after writing, want EXITED", name, st)
		}
		if time.Now().After(deadline) {
			return 0, 0, fmt.Errorf("%s still %s after writing everything", name, st)
		}
		if err := sleepCtx(ctx, h.opts.Poll); err != nil {
			return 0, 0, err
		}
	}
	took := time.Since(t0)
	stopProf()
	cpu1, err := cpuTime(d.pid())
	if err != nil {
		return 0, 0, err
	}
	if size != total {
		h.note("%s %s: %d bytes in the log files, %d written", d.kind, name, size, total)
	}
	return took, cpu1 - cpu0, nil
}

// stateOf returns the state name of process name.
func (h *harness) stateOf(ctx context.Context, d *daemon, name string) (string, error) {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ps, err := d.api.All(cctx)
	if err != nil {
		return "", err
	}
	for _, p := range ps {
		if p.Name == name {
			return p.State, nil
		}
	}
	return "", fmt.Errorf("no process %s", name)
}

// pipeFloor runs the writer child with its stdout on a pipe that this
// process copies into a file, by read/write or by splice, and returns the
// time from the start of the child until it has exited and every byte is
// in the file, and the CPU time of the copying thread.
func (h *harness) pipeFloor(ctx context.Context, total int64, useSplice bool) (time.Duration, time.Duration, error) {
	path := filepath.Join(h.work, "floor.log")
	defer os.Remove(path)
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	c := exec.Command(h.self, childArg, "writer", "-bytes", fmt.Sprint(total), "-chunk", fmt.Sprint(writerChunk))
	c.Stdout = w
	c.Stderr = os.Stderr
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	t0 := time.Now()
	err = h.track(c, nil)
	w.Close()
	if err != nil {
		return 0, 0, err
	}
	// The copy runs on one locked thread so that the thread's CPU time is
	// the copy's.
	type result struct {
		n   int64
		cpu time.Duration
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c0 := threadCPU()
		var res result
		if useSplice {
			res.n, res.err = spliceAll(f, r)
		} else {
			res.n, res.err = copyRW(f, r)
		}
		res.cpu = threadCPU() - c0
		ch <- res
	}()
	res := <-ch
	n, err := res.n, res.err
	werr := c.Wait()
	h.untrack(c)
	took := time.Since(t0)
	if err != nil {
		return 0, 0, err
	}
	if werr != nil {
		return 0, 0, fmt.Errorf("writer: %w", werr)
	}
	if n != total {
		return 0, 0, fmt.Errorf("copied %d bytes, want %d", n, total)
	}
	return took, res.cpu, ctx.Err()
}

// copyRW copies r to f with 128 KiB read and write calls (what Supervisor
// reads per call).
func copyRW(f *os.File, r *os.File) (int64, error) {
	buf := make([]byte, 128<<10)
	var n int64
	for {
		m, err := r.Read(buf)
		if m > 0 {
			if _, werr := f.Write(buf[:m]); werr != nil {
				return n, werr
			}
			n += int64(m)
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// spliceAll moves r (a pipe) into f with splice(2).
func spliceAll(f *os.File, r *os.File) (int64, error) {
	rc, err := r.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int64
	var serr error
	// The pipe is non-blocking and registered with the runtime poller:
	// splice until EAGAIN, then let the poller wait for readability.
	err = rc.Read(func(fd uintptr) bool {
		for {
			m, err := unix.Splice(int(fd), nil, int(f.Fd()), nil, 1<<20, unix.SPLICE_F_MOVE|unix.SPLICE_F_MORE)
			if err == unix.EAGAIN {
				return false // wait for readability
			}
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				serr = err
				return true
			}
			if m == 0 {
				return true
			}
			n += m
		}
	})
	if err != nil {
		return n, err
	}
	return n, serr
}

// globSize returns the total size of the files matching pattern.
func globSize(pattern string) int64 {
	ms, _ := filepath.Glob(pattern)
	var t int64
	for _, m := range ms {
		if st, err := os.Stat(m); err == nil {
			t += st.Size()
		}
	}
	return t
}

// settleForCapture puts the machine in the same state before every
// capture run, floors and daemons alike:
//   - no dirty page cache (sync(2)), so that one run's writeback does not
//     slow the next one down;
//   - total bytes of page cache just freed (a scratch file written and
//     removed), so that every run writes into memory the machine has
//     recently used. On a virtual machine whose host takes free guest
//     memory back (free page reporting), the first write to a page that
//     has been free for a while costs a host fault: measured here, four
//     1 GiB `dd | dd` copies into new files cost 0.94, 2.34, 2.76 and
//     3.63 CPU-s in sys time, and 0.60–0.67 each when a scratch GiB was
//     written and removed just before. Without this, whichever run comes
//     after another that kept its memory pays several times the CPU, and
//     the figures measure the host, not the capture.
func (h *harness) settleForCapture(total int64) error {
	unix.Sync()
	path := filepath.Join(h.work, "settle.tmp")
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	defer os.Remove(path)
	buf := make([]byte, 1<<20)
	for left := total; left > 0; left -= int64(len(buf)) {
		n := min(left, int64(len(buf)))
		if _, err := f.Write(buf[:n]); err != nil {
			f.Close()
			return fmt.Errorf("settle: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	return os.Remove(path)
}

// removeGlob removes the files matching pattern.
func removeGlob(pattern string) {
	ms, _ := filepath.Glob(pattern)
	for _, m := range ms {
		os.Remove(m)
	}
}

// fmtBytes formats a byte count with a binary unit.
func fmtBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1000*1000 && n%(1000*1000) == 0:
		return fmt.Sprintf("%dMB", n/1000/1000)
	default:
		return strings.TrimSpace(fmt.Sprintf("%d B", n))
	}
}

// threadCPU returns the CPU time (user+system) of the calling OS thread.
func threadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
