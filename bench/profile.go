package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// pprofHook is the bench-only file added to package main of ./daemon by
// `go build -overlay` when the harness runs with -profile.
//
//go:embed overlay/pprofhook.go.txt
var pprofHook []byte

// pprofEnv is the environment variable that tells the hook where to serve.
const pprofEnv = "GSV_BENCH_PPROF"

// writeOverlay writes the hook and the overlay description into work and
// returns the description's path.
func writeOverlay(root, work string) (string, error) {
	src := filepath.Join(work, "zz_benchpprof.go")
	if err := os.WriteFile(src, pprofHook, 0o644); err != nil {
		return "", fmt.Errorf("write profiling hook: %w", err)
	}
	desc := map[string]map[string]string{"Replace": {filepath.Join(root, "daemon", "zz_benchpprof.go"): src}}
	b, err := json.Marshal(desc)
	if err != nil {
		return "", fmt.Errorf("encode overlay: %w", err)
	}
	p := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return "", fmt.Errorf("write overlay: %w", err)
	}
	return p, nil
}

// profiler CPU-profiles windows of our daemon's life through the hook.
type profiler struct {
	h    *harness
	dir  string
	done map[string]bool
}

// env returns the environment our daemon in dir is started with so that
// it serves the hook (nil when not profiling).
func (p *profiler) env(dir string) []string {
	if p == nil {
		return nil
	}
	return []string{pprofEnv + "=" + filepath.Join(dir, "pprof.sock")}
}

// start begins profile name on d if d is ours and name was not profiled
// yet; the returned function stops it and records the summary. Errors are
// noted, never fatal.
func (p *profiler) start(d *daemon, name string) (stop func()) {
	nop := func() {}
	if p == nil || d.kind != ours || p.done[name] {
		return nop
	}
	if p.done == nil {
		p.done = map[string]bool{}
	}
	p.done[name] = true
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		p.h.note("profile %s: %v", name, err)
		return nop
	}
	file, err := filepath.Abs(filepath.Join(p.dir, name+".pprof"))
	if err != nil {
		p.h.note("profile %s: %v", name, err)
		return nop
	}
	sock := filepath.Join(d.dir, "pprof.sock")
	for deadline := time.Now().Add(5 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := hookCall(sock, "/start?file="+url.QueryEscape(file)); err != nil {
		p.h.note("profile %s: start: %v", name, err)
		return nop
	}
	return func() {
		if err := hookCall(sock, "/stop"); err != nil {
			p.h.note("profile %s: stop: %v", name, err)
			return
		}
		// -cum: the callers (where the time goes) rather than the
		// leaf syscalls.
		out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=35", p.h.oursBin, file).CombinedOutput()
		if err != nil {
			p.h.note("profile %s: go tool pprof: %v: %s", name, err, out)
			return
		}
		p.h.mu.Lock()
		p.h.report.Profiles[name] = string(out)
		p.h.mu.Unlock()
	}
}

// memory records our daemon's runtime memory figures and a heap profile
// (once per name) into the report's profiles.
func (p *profiler) memory(d *daemon, name string) {
	if p == nil || d.kind != ours || p.done[name] {
		return
	}
	if p.done == nil {
		p.done = map[string]bool{}
	}
	p.done[name] = true
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		p.h.note("profile %s: %v", name, err)
		return
	}
	sock := filepath.Join(d.dir, "pprof.sock")
	stats, err := hookGet(sock, "/memstats")
	if err != nil {
		p.h.note("profile %s: memstats: %v", name, err)
		return
	}
	file, err := filepath.Abs(filepath.Join(p.dir, name+".heap.pprof"))
	if err != nil {
		p.h.note("profile %s: %v", name, err)
		return
	}
	if err := hookCall(sock, "/heap?file="+url.QueryEscape(file)); err != nil {
		p.h.note("profile %s: heap: %v", name, err)
		return
	}
	out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=30", "-sample_index=inuse_space", p.h.oursBin, file).CombinedOutput()
	if err != nil {
		p.h.note("profile %s: go tool pprof: %v: %s", name, err, out)
		return
	}
	gr, err := hookGet(sock, "/goroutines")
	if err != nil {
		p.h.note("profile %s: goroutines: %v", name, err)
	}
	p.h.mu.Lock()
	p.h.report.Profiles[name] = "runtime.MemStats:\n" + stats + "\nheap profile (inuse_space):\n" + string(out) +
		"\ngoroutines by stack (the largest groups):\n" + topGoroutines(gr, 8)
	p.h.mu.Unlock()
}

// topGoroutines returns the n largest groups of a debug=1 goroutine
// profile ("<count> @ <pcs>" followed by "#" frame lines), frames
// shortened to their function names.
func topGoroutines(prof string, n int) string {
	type group struct {
		count  int
		frames []string
	}
	var groups []group
	for _, block := range strings.Split(prof, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 0 {
			continue
		}
		var c int
		if _, err := fmt.Sscanf(lines[0], "%d @", &c); err != nil {
			continue
		}
		g := group{count: c}
		for _, l := range lines[1:] {
			f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "#"))
			if len(f) >= 2 {
				g.frames = append(g.frames, f[1])
			}
		}
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].count > groups[j].count })
	var b strings.Builder
	for i, g := range groups {
		if i == n {
			break
		}
		if len(g.frames) > 6 {
			g.frames = g.frames[:6]
		}
		fmt.Fprintf(&b, "%6d  %s\n", g.count, strings.Join(g.frames, " < "))
	}
	return b.String()
}

// hookGet GETs path from the hook's socket and returns the body.
func hookGet(sock, path string) (string, error) {
	c := hookClient(sock)
	defer c.CloseIdleConnections()
	resp, err := c.Get("http://hook" + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

// hookClient returns an HTTP client for the hook's unix socket.
func hookClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}, Timeout: 30 * time.Second}
}

// hookCall POSTs path to the hook's socket.
func hookCall(sock, path string) error {
	c := hookClient(sock)
	defer c.CloseIdleConnections()
	resp, err := c.Post("http://hook"+path, "text/plain", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return nil
}
