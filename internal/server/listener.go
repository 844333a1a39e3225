package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// http2Preface is what every HTTP/2 client (gRPC) sends first.
const http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// errListenerClosed is returned by Accept after Close.
var errListenerClosed = errors.New("listener closed")

// chanListener is a net.Listener fed by a channel of connections.
type chanListener struct {
	addr   net.Addr
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept returns the next connection handed to the listener.
func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, errListenerClosed
	}
}

// Close stops Accept; connections already accepted are unaffected.
func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr returns the address of the underlying endpoint.
func (l *chanListener) Addr() net.Addr { return l.addr }

// deliver hands c to Accept, or closes it if the listener is closed.
func (l *chanListener) deliver(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.closed:
		c.Close()
	}
}

// prefixConn is a connection whose first bytes were already read.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// sniff reads from c until its first bytes either match the whole HTTP/2
// preface or differ from it. It returns the bytes read and whether c speaks
// HTTP/2. A client that sends nothing within timeout is an error.
func sniff(c net.Conn, timeout time.Duration) ([]byte, bool, error) {
	if err := c.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return nil, false, err
	}
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 0, len(http2Preface))
	tmp := make([]byte, len(http2Preface))
	for len(buf) < len(http2Preface) {
		n, err := c.Read(tmp[:len(http2Preface)-len(buf)])
		buf = append(buf, tmp[:n]...)
		if !bytes.HasPrefix([]byte(http2Preface), buf) {
			return buf, false, nil
		}
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return buf, false, nil
			}
			return buf, false, err
		}
	}
	return buf, true, nil
}

// splitListener accepts connections from a real listener and routes each
// to the gRPC or the HTTP/1 side by its first bytes.
type splitListener struct {
	inner   net.Listener
	grpc    *chanListener
	http    *chanListener
	timeout time.Duration
	wrap    func(net.Conn) (net.Conn, error)
	// h2ToHTTP sends HTTP/2 connections to the HTTP side too, which
	// routes each request by its content type (TLS endpoints:
	// h2route.go).
	h2ToHTTP bool
	// slots holds a token per open connection (limits.maxConns); a
	// connection accepted when it is full is closed at once, and full
	// reports it (at most once a minute).
	slots    chan struct{}
	full     func()
	lastFull time.Time
}

func newSplitListener(inner net.Listener, timeout time.Duration, wrap func(net.Conn) (net.Conn, error)) *splitListener {
	return &splitListener{
		inner:   inner,
		grpc:    newChanListener(inner.Addr()),
		http:    newChanListener(inner.Addr()),
		timeout: timeout,
		wrap:    wrap,
	}
}

// run accepts until the inner listener is closed.
func (s *splitListener) run() error {
	for {
		c, err := s.inner.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			s.grpc.Close()
			s.http.Close()
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		select {
		case s.slots <- struct{}{}:
		default:
			c.Close()
			if now := time.Now(); now.Sub(s.lastFull) >= time.Minute {
				s.lastFull = now
				s.full()
			}
			continue
		}
		go s.route(&slotConn{Conn: c, slots: s.slots})
	}
}

// slotConn is an accepted connection holding a slot of its endpoint,
// released when it is closed.
type slotConn struct {
	net.Conn
	slots chan struct{}
	once  sync.Once
}

// Close closes the connection and releases its slot.
func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { <-c.slots })
	return err
}

func (s *splitListener) route(c net.Conn) {
	if s.wrap != nil {
		wc, err := s.wrap(c)
		if err != nil {
			c.Close()
			return
		}
		c = wc
	}
	prefix, h2, err := sniff(c, s.timeout)
	if err != nil {
		c.Close()
		return
	}
	pc := &prefixConn{Conn: c, prefix: prefix}
	if h2 && !s.h2ToHTTP {
		s.grpc.deliver(pc)
	} else {
		s.http.deliver(pc)
	}
}

// close closes the inner listener and both sides.
func (s *splitListener) close() error {
	err := s.inner.Close()
	s.grpc.Close()
	s.http.Close()
	return err
}
