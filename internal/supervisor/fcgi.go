package supervisor

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
)

// fcgiSockets holds the sockets of [fcgi-program:x] sections, opened when
// the first process needs one and closed when the last one exits.
type fcgiSockets struct {
	mu    sync.Mutex
	socks map[string]*fcgiSocket
}

type fcgiSocket struct {
	file *os.File
	refs int
	path string // unix socket path to remove on close
}

var sockets = fcgiSockets{socks: make(map[string]*fcgiSocket)}

// fcgiStdin returns the socket of an fcgi program (for the child's fd 0)
// and a release function.
func (s *Supervisor) fcgiStdin(pc *config.ProcessConfig) (*os.File, func(), error) {
	sc := pc.FCGI
	sockets.mu.Lock()
	defer sockets.mu.Unlock()
	fs := sockets.socks[sc.URL]
	if fs == nil {
		s.log.Info("Creating socket " + sc.URL)
		f, path, err := openFCGISocket(sc)
		if err != nil {
			return nil, nil, err
		}
		fs = &fcgiSocket{file: f, path: path}
		sockets.socks[sc.URL] = fs
	}
	fs.refs++
	dup, err := dupFile(fs.file)
	if err != nil {
		fs.refs--
		return nil, nil, err
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			sockets.mu.Lock()
			defer sockets.mu.Unlock()
			fs.refs--
			if fs.refs == 0 {
				s.log.Info("Closing socket " + sc.URL)
				fs.file.Close()
				if fs.path != "" {
					os.Remove(fs.path)
				}
				delete(sockets.socks, sc.URL)
			}
		})
	}
	return dup, release, nil
}

func dupFile(f *os.File) (*os.File, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var nf *os.File
	var derr error
	err = rc.Control(func(fd uintptr) {
		var nfd int
		nfd, derr = dupCloexec(int(fd))
		if derr == nil {
			nf = os.NewFile(uintptr(nfd), f.Name())
		}
	})
	if err != nil {
		return nil, err
	}
	return nf, derr
}

// openFCGISocket binds the socket of an fcgi program.
func openFCGISocket(sc *config.FCGISocket) (*os.File, string, error) {
	switch {
	case strings.HasPrefix(sc.URL, "unix://"):
		path := strings.TrimPrefix(sc.URL, "unix://")
		_ = os.Remove(path)
		ln, err := net.Listen("unix", path)
		if err != nil {
			return nil, "", fmt.Errorf("create socket %s: %w", sc.URL, err)
		}
		ul := ln.(*net.UnixListener)
		ul.SetUnlinkOnClose(false)
		f, err := ul.File()
		ln.Close()
		if err != nil {
			return nil, "", err
		}
		if sc.Mode != 0 {
			_ = os.Chmod(path, os.FileMode(sc.Mode))
		}
		if sc.OwnerUID != -1 || sc.OwnerGID != -1 {
			_ = os.Chown(path, sc.OwnerUID, sc.OwnerGID)
		}
		return f, path, nil
	case strings.HasPrefix(sc.URL, "tcp://"):
		ln, err := net.Listen("tcp", strings.TrimPrefix(sc.URL, "tcp://"))
		if err != nil {
			return nil, "", fmt.Errorf("create socket %s: %w", sc.URL, err)
		}
		f, err := ln.(*net.TCPListener).File()
		ln.Close()
		return f, "", err
	}
	return nil, "", fmt.Errorf("unsupported socket %s", sc.URL)
}

func dupCloexec(fd int) (int, error) {
	return unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
}
