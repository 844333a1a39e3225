// Command chaindemo plays the programs of the dependency example in
// examples/supervisord.conf (make run builds it into bin/): a database
// that takes a moment to accept connections, a one-shot migration that
// needs it, and a web server whose health check needs the database.
//
//	chaindemo db <addr>           listen on addr after a second of "boot"
//	chaindemo migrate <dbaddr>    connect to the database once; exit 0 if it answers
//	chaindemo web <addr> <dbaddr> serve / and /healthz (200 while the database answers)
//
// It needs nothing but the Go toolchain, so the example runs on a fresh
// machine.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// bootTime is how long the pretend database takes to accept connections.
const bootTime = time.Second

// dialTimeout bounds one connection to the database.
const dialTimeout = 500 * time.Millisecond

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "chaindemo:", err)
		os.Exit(1)
	}
}

// run plays the role named by args[0] until ctx ends (or, for migrate,
// once done).
func run(ctx context.Context, args []string) error {
	switch {
	case len(args) == 2 && args[0] == "db":
		return db(ctx, args[1])
	case len(args) == 2 && args[0] == "migrate":
		return migrate(args[1])
	case len(args) == 3 && args[0] == "web":
		return web(ctx, args[1], args[2])
	}
	return fmt.Errorf("usage: chaindemo db <addr> | migrate <dbaddr> | web <addr> <dbaddr>")
}

// db accepts (and closes) connections on addr after bootTime.
func db(ctx context.Context, addr string) error {
	fmt.Println("db: starting")
	select {
	case <-time.After(bootTime):
	case <-ctx.Done():
		return nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	fmt.Println("db: ready to accept connections on", addr)
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				fmt.Println("db: shut down")
				return nil
			}
			return err
		}
		c.Close()
	}
}

// migrate checks that the database answers, once.
func migrate(dbaddr string) error {
	c, err := net.DialTimeout("tcp", dbaddr, dialTimeout)
	if err != nil {
		return fmt.Errorf("migrate: the database does not answer: %w", err)
	}
	c.Close()
	fmt.Println("migrate: schema up to date")
	return nil
}

// web serves / and /healthz on addr until ctx ends.
func web(ctx context.Context, addr, dbaddr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "hello from web")
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		c, err := net.DialTimeout("tcp", dbaddr, dialTimeout)
		if err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		c.Close()
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Println("web: listening on", addr)
	if err := srv.ListenAndServe(); err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Println("web: shut down")
	return nil
}
