package logs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The test binary doubles as the child process: with GSV_LOGS_HELPER set it
// runs a helper mode instead of the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("GSV_LOGS_HELPER"); mode != "" {
		os.Exit(runHelper(mode))
	}
	os.Exit(m.Run())
}

// streamGen produces the deterministic byte stream number seed.
func streamGen(seed uint64) *rand.ChaCha8 {
	var key [32]byte
	copy(key[:], fmt.Sprintf("gsupervisor-logs-%016x", seed))
	return rand.NewChaCha8(key)
}

// streamSum returns the sha256 of the first n bytes of stream seed.
func streamSum(n int64, seed uint64) string {
	h := sha256.New()
	io.CopyN(h, streamGen(seed), n)
	return hex.EncodeToString(h.Sum(nil))
}

// streamBytes returns the first n bytes of stream seed.
func streamBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	streamGen(seed).Read(b)
	return b
}

func runHelper(mode string) int {
	args := strings.Split(mode, ":")
	num := func(i int) int64 {
		n, err := strconv.ParseInt(args[i], 10, 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad helper arg:", mode)
			os.Exit(2)
		}
		return n
	}
	switch args[0] {
	case "stream": // stream:<bytes>:<seed>:<chunk>: pseudo-random bytes
		total, seed, chunk := num(1), uint64(num(2)), num(3)
		g := streamGen(seed)
		buf := make([]byte, chunk)
		for total > 0 {
			n := min(total, chunk)
			g.Read(buf[:n])
			if _, err := os.Stdout.Write(buf[:n]); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			total -= n
		}
		return 0
	case "zeros": // zeros:<bytes>:<chunk>: as fast as possible
		total, chunk := num(1), num(2)
		buf := make([]byte, chunk)
		for i := range buf {
			buf[i] = byte('a' + i%26)
		}
		for total > 0 {
			n := min(total, chunk)
			if _, err := os.Stdout.Write(buf[:n]); err != nil {
				return 1
			}
			total -= n
		}
		return 0
	case "text": // text:<literal>
		os.Stdout.WriteString(strings.Join(args[1:], ":"))
		return 0
	case "paced": // paced:<bytes>:<chunk>:<micros>: report pipe fill and the slowest write
		total, chunk, every := num(1), num(2), time.Duration(num(3))*time.Microsecond
		buf := make([]byte, chunk)
		capacity, _ := unix.FcntlInt(1, unix.F_GETPIPE_SZ, 0)
		var worst time.Duration
		maxFill, full := 0, 0
		next := time.Now()
		for total > 0 {
			n := min(total, chunk)
			// Bytes still in the pipe: the daemon has not read them yet.
			if c, err := unix.FcntlInt(1, unix.F_GETPIPE_SZ, 0); err == nil {
				capacity = c // the daemon may have grown the pipe
			}
			if fill, err := unix.IoctlGetInt(1, unix.TIOCINQ); err == nil {
				maxFill = max(maxFill, fill)
				if fill+int(n) > capacity {
					full++ // this write would block on a full pipe
				}
			}
			t0 := time.Now()
			if _, err := os.Stdout.Write(buf[:n]); err != nil {
				return 1
			}
			worst = max(worst, time.Since(t0))
			total -= n
			next = next.Add(every)
			time.Sleep(time.Until(next))
		}
		fmt.Fprintf(os.Stderr, "%d %d %d %d\n", worst.Microseconds(), maxFill, 64<<10, full)
		return 0
	case "stdout-target": // write through a File on /dev/stdout
		return helperStdoutTarget()
	case "fsize": // fsize:<limit>:<bytes>:<dir>: capture into a file under RLIMIT_FSIZE
		return helperFsize(num(1), num(2), args[3])
	}
	fmt.Fprintln(os.Stderr, "unknown helper mode:", mode)
	return 2
}

func helperStdoutTarget() int {
	f, err := OpenFile(FileConfig{Path: "/dev/stdout", MaxBytes: 10})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	if _, err := f.Write([]byte("direct write\n")); err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		return 1
	}
	// Capture into it too (a pipe of our own).
	r, w, _ := os.Pipe()
	go func() { w.WriteString("captured line\n"); w.Close() }()
	if _, err := Capture(context.Background(), r, f, CaptureOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "capture:", err)
		return 1
	}
	_, rerr := f.Read(0, 10)
	_, _, _, terr := f.Tail(0, 10)
	fl := f.Follow(10)
	_, ferr := fl.Next(context.Background())
	fmt.Fprintf(os.Stderr, "read=%v\ntail=%v\nfollow=%v\n", rerr, terr, ferr)
	if err := f.Close(); err != nil {
		return 1
	}
	os.Stdout.WriteString("still open\n")
	return 0
}

func helperFsize(limit, total int64, dir string) int {
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: uint64(limit), Max: uint64(limit)}); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		return 1
	}
	f, err := OpenFile(FileConfig{Path: dir + "/full.log"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	r, w, _ := os.Pipe()
	go func() {
		buf := make([]byte, 64<<10)
		for left := total; left > 0; left -= int64(len(buf)) {
			w.Write(buf[:min(left, int64(len(buf)))])
		}
		w.Close()
	}()
	st, err := Capture(context.Background(), r, f, CaptureOptions{})
	out := map[string]any{"capture": st, "file": f.Stats(), "err": fmt.Sprint(err)}
	json.NewEncoder(os.Stdout).Encode(out)
	return 0
}

// child is a helper process whose stdout is a pipe.
type child struct {
	cmd *exec.Cmd
	r   *os.File // parent's read end of the child's stdout
}

// startChild starts the test binary in helper mode; its stdout is a pipe
// whose read end is returned (the parent's write end is closed).
func startChild(t testing.TB, mode string) *child {
	t.Helper()
	return startChildPipe(t, mode, 0)
}

// startChildPipe is startChild with a pipe of pipeSize bytes (if > 0).
// exitedWriter returns a log file (path and File, closed at the end of the
// test) and a child that has already written its whole output (1,000,000
// bytes of stream seed 7, into a 1 MiB pipe) and exited.
func exitedWriter(t *testing.T) (string, *File, *child) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.log")
	f, err := OpenFile(FileConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	c := startChildPipe(t, "stream:1000000:7:1000000", 1<<20)
	c.wait(t)
	return path, f, c
}

// checkExitedLog checks that path holds exitedWriter's whole output.
func checkExitedLog(t *testing.T, path string, st CaptureStats) {
	t.Helper()
	if got, _ := os.ReadFile(path); !bytes.Equal(got, streamBytes(1000000, 7)) {
		t.Fatalf("got %d bytes, stats %+v", len(got), st)
	}
}

func startChildPipe(t testing.TB, mode string, pipeSize int) *child {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if pipeSize > 0 {
		if _, err := unix.FcntlInt(w.Fd(), unix.F_SETPIPE_SZ, pipeSize); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GSV_LOGS_HELPER="+mode)
	cmd.Stdout = w
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	c := &child{cmd: cmd, r: r}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
		r.Close()
	})
	return c
}

// wait waits for the child and fails the test if it failed.
func (c *child) wait(t testing.TB) {
	t.Helper()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
}

// concat returns the bytes of path.N … path.1 and path, in that order.
func concat(t testing.TB, path string, backups int) []byte {
	t.Helper()
	var all []byte
	for i := backups; i >= 1; i-- {
		b, err := os.ReadFile(fmt.Sprintf("%s.%d", path, i))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return append(all, b...)
}

// concatSum hashes path.N … path.1, path without loading them all.
func concatSum(t testing.TB, path string, backups int) (string, int64, int) {
	t.Helper()
	h := sha256.New()
	var n int64
	files := 0
	for i := backups; i >= 0; i-- {
		p := path
		if i > 0 {
			p = fmt.Sprintf("%s.%d", path, i)
		}
		fh, err := os.Open(p)
		if os.IsNotExist(err) && i > 0 {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m, err := io.Copy(h, fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += m
		files++
	}
	return hex.EncodeToString(h.Sum(nil)), n, files
}
