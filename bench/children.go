package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// childArg is the first argument that makes this binary run as one of the
// scenarios' children instead of the harness.
const childArg = "__child"

// isChild reports whether args (os.Args) ask for a child mode.
func isChild(args []string) bool {
	return len(args) > 1 && args[1] == childArg
}

// runChild runs the child mode named by args[2] and returns the exit
// status.
func runChild(args []string) int {
	if len(args) < 3 {
		fmt.Fprintln(os.Stderr, "bench child: missing mode (writer, paced, exiter, grpcserver)")
		return 2
	}
	var err error
	switch args[2] {
	case "writer":
		err = childWriter(args[3:])
	case "paced":
		err = childPaced(args[3:])
	case "exiter":
		err = childExiter(args[3:])
	case "grpcserver":
		err = childGRPCServer(args[3:])
	default:
		err = fmt.Errorf("unknown mode %q (want writer, paced, exiter or grpcserver)", args[2])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench child %s: %v\n", args[2], err)
		return 1
	}
	return 0
}

// logPattern returns n bytes of printable log lines (64-byte lines), the
// content every writer child writes.
func logPattern(n int) []byte {
	line := []byte("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXY\n")
	b := make([]byte, n)
	for i := range b {
		b[i] = line[i%len(line)]
	}
	return b
}

// childWriter writes -bytes bytes to stdout in -chunk byte writes as fast
// as it can.
func childWriter(args []string) error {
	fs := flag.NewFlagSet("writer", flag.ContinueOnError)
	total := fs.Int64("bytes", 1<<30, "bytes to write")
	chunk := fs.Int("chunk", 64<<10, "bytes per write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *chunk <= 0 || *total < 0 {
		return fmt.Errorf("bad -chunk %d or -bytes %d", *chunk, *total)
	}
	buf := logPattern(*chunk)
	out := os.Stdout
	for left := *total; left > 0; {
		n := int64(len(buf))
		if left < n {
			n = left
		}
		w, err := out.Write(buf[:n])
		if err != nil {
			return fmt.Errorf("write stdout: %w", err)
		}
		left -= int64(w)
	}
	return nil
}

// pacedResult is what a paced writer reports.
type pacedResult struct {
	// Name is the process name (SUPERVISOR_PROCESS_NAME).
	Name string `json:"name"`
	// Writes is the number of write calls.
	Writes int `json:"writes"`
	// Bytes is the number of bytes written.
	Bytes int64 `json:"bytes"`
	// Blocked is the number of writes that took longer than the threshold.
	Blocked int `json:"blocked"`
	// BlockedNs is the time spent in those writes.
	BlockedNs int64 `json:"blocked_ns"`
	// MaxNs is the longest write.
	MaxNs int64 `json:"max_ns"`
	// Full is the number of writes that found the pipe without room for
	// the chunk (FIONREAD against F_GETPIPE_SZ just before the write):
	// those wait for the daemon to drain it. A slow write that found room
	// was held up by the CPU scheduler, not by the daemon.
	Full int `json:"full"`
	// FullBlocked is the number of blocked writes that found the pipe full.
	FullBlocked int `json:"full_blocked"`

	// Elapsed is the writing time in nanoseconds.
	ElapsedNs int64 `json:"elapsed_ns"`
}

// childPaced writes -rate bytes/s to stdout in -chunk byte writes for -dur,
// timing every write, and writes its pacedResult as JSON into -out/<name>.json.
func childPaced(args []string) error {
	fs := flag.NewFlagSet("paced", flag.ContinueOnError)
	rate := fs.Int64("rate", 1<<20, "bytes per second")
	chunk := fs.Int("chunk", 4096, "bytes per write")
	dur := fs.Duration("dur", 10*time.Second, "how long to write")
	block := fs.Duration("block", 50*time.Millisecond, "a write longer than this counts as blocked")
	out := fs.String("out", "", "directory for the result file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rate <= 0 || *chunk <= 0 || *out == "" {
		return fmt.Errorf("need -rate > 0, -chunk > 0 and -out")
	}
	name := os.Getenv("SUPERVISOR_PROCESS_NAME")
	if name == "" {
		name = strconv.Itoa(os.Getpid())
	}
	buf := logPattern(*chunk)
	interval := time.Duration(float64(time.Second) * float64(*chunk) / float64(*rate))
	res := pacedResult{Name: name}
	start := time.Now()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if due.Sub(start) >= *dur {
			break
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		full := pipeFull(1, len(buf))
		t0 := time.Now()
		n, err := os.Stdout.Write(buf)
		took := time.Since(t0)
		if full {
			res.Full++
		}
		if err != nil {
			return fmt.Errorf("write stdout: %w", err)
		}
		res.Writes++
		res.Bytes += int64(n)
		if took > *block {
			if full {
				res.FullBlocked++
			}
			res.Blocked++
			res.BlockedNs += int64(took)
		}
		if int64(took) > res.MaxNs {
			res.MaxNs = int64(took)
		}
	}
	res.ElapsedNs = int64(time.Since(start))

	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	tmp := filepath.Join(*out, "."+name+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return os.Rename(tmp, filepath.Join(*out, name+".json"))
}

// pipeFull reports whether the pipe fd has no room for n more bytes now.
// It reports false when fd is not a pipe.
func pipeFull(fd, n int) bool {
	size, err := unix.FcntlInt(uintptr(fd), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		return false
	}
	queued, err := unix.IoctlGetInt(fd, unix.TIOCINQ) // FIONREAD
	return err == nil && queued+n > size
}

// childExiter sleeps a random time in [-min, -max], appends "<pid>
// <unix-ns>" to -out just before exiting, and exits 0.
func childExiter(args []string) error {
	fs := flag.NewFlagSet("exiter", flag.ContinueOnError)
	lo := fs.Duration("min", 100*time.Millisecond, "shortest life")
	hi := fs.Duration("max", 300*time.Millisecond, "longest life")
	out := fs.String("out", "", "file to append the exit time to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *hi < *lo {
		return fmt.Errorf("need -out and -min <= -max")
	}
	time.Sleep(*lo + time.Duration(rand.Int64N(int64(*hi-*lo)+1)))
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%d %d\n", os.Getpid(), time.Now().UnixNano())
	if _, err := io.WriteString(f, line); err != nil {
		return err
	}
	return f.Close()
}
