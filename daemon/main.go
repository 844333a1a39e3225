package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"

	"github.com/gsupervisor/gsupervisor/compat"
	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/httpprobe"
	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
	"github.com/gsupervisor/gsupervisor/internal/recovery"
	"github.com/gsupervisor/gsupervisor/internal/server"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
	"github.com/gsupervisor/gsupervisor/internal/symlinks"
	"github.com/gsupervisor/gsupervisor/web"
)

func main() {
	process.RunExecHelper()
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// closeInherited closes what the daemon inherited beyond stdin, stdout and
// stderr, so that nothing reaches its children or outlives the privilege
// drop (as 4.2.5 does once it has read its configuration). It runs once
// the configuration is read, so that `-c <(…)` (an inherited pipe) works;
// a daemonized child keeps its start-up report pipe until it is used and
// the configuration its parent handed over.
func closeInherited() {
	var keep []int
	if isDaemonChild() {
		keep = append(keep, reportFd)
		if keptConfig != nil {
			keep = append(keep, int(keptConfig.Fd()))
		}
	}
	process.CloseInherited(keep...)
}

// run is the whole daemon; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	argv0 := args[0]
	fail := func(err error) int {
		fmt.Fprintf(stderr, "Error: %s\nFor help, use %s -h\n", err, argv0)
		return 2
	}
	cl, err := parseCmdline(args[1:])
	if err != nil {
		return fail(err)
	}
	if cl.help {
		fmt.Fprintf(stdout, usageText, argv0)
		return 0
	}
	if cl.version {
		fmt.Fprintln(stdout, supervisor.SupervisorVersion)
		return 0
	}
	path := cl.configPath
	if p, ok := inheritedConfig(); ok {
		path = p
	} else if path == "" {
		exe, _ := os.Executable()
		cwd, _ := os.Getwd()
		if path, err = config.Find(exe, cwd); err != nil {
			return fail(err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return fail(fmt.Errorf("could not find config file %s", path))
	}
	path, kept, err := keepConfig(path)
	if err != nil {
		return fail(err)
	}
	closeInherited()
	load := func(scale map[string]config.Scale) (*config.Config, error) {
		ov := cl.overrides
		ov.Scale = scale
		return config.Load(path, ov)
	}
	cfg, err := load(nil)
	if err != nil {
		return fail(err)
	}
	if !cfg.Supervisord.Nodaemon && !containerMode(cfg) && !isDaemonChild() {
		return daemonize(args, fail, kept)
	}
	d := &daemon{load: load, argv0: argv0, daemonized: isDaemonChild()}
	if d.daemonized {
		syscall.Umask(cfg.Supervisord.Umask)
		if dir := cfg.Supervisord.Directory; dir != "" {
			if err := os.Chdir(dir); err != nil {
				err = fmt.Errorf("couldn't chdir to %s: %w", dir, err)
				reportStartup(err)
				return fail(err)
			}
		}
	}
	code, err := d.run(cfg)
	if err != nil {
		reportStartup(err)
		return fail(err)
	}
	return code
}

// signalQueue is how many daemon signals may wait for the handler.
const signalQueue = 32

// initPid is the pid of init, which the daemon is in a container.
const initPid = 1

// daemon is one daemon process across restarts in place.
type daemon struct {
	load       func(scale map[string]config.Scale) (*config.Config, error)
	argv0      string
	daemonized bool

	bus     *events.Bus
	mainLog *logs.File
	console *logs.Console
	log     *slog.Logger

	// recorder keeps the state file of the running children (crash
	// recovery; read by spawns, hence atomic); recordPath is its path,
	// unrecord ends its event subscription.
	recorder   atomic.Pointer[recovery.Recorder]
	recordPath string
	unrecord   func()
}

// run starts the daemon on cfg and serves until shutdown, restarting in
// place on SIGHUP. It returns the exit status: 0 after a requested
// shutdown, the exit policy's status when it ended the daemon (see
// supervisor.ExitCause). Errors before the daemon is up are returned.
func (d *daemon) run(cfg *config.Config) (code int, err error) {
	defer func() {
		if err != nil {
			d.stopRecording()
		}
	}()
	sigs := make(chan os.Signal, signalQueue)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP, syscall.SIGUSR2)
	signal.Ignore(syscall.SIGPIPE)
	defer signal.Stop(sigs)

	limitInfos, err := raiseLimits(cfg.Supervisord)
	if err != nil {
		return 0, err
	}
	if err := dropPrivileges(cfg.Supervisord.User); err != nil {
		return 0, err
	}
	first := true
	var logger atomic.Pointer[slog.Logger]
	for {
		if err := d.openMainLog(cfg); err != nil {
			return 0, err
		}
		logger.Store(d.log)
		if first {
			// In a container the daemon is init: descendants of the
			// programs that lose their parent become its children and
			// must be reaped.
			if msg := startReaper(cfg, logger.Load); msg != "" {
				limitInfos = append(limitInfos, msg)
			}
		}
		if d.bus == nil {
			d.bus = events.NewBus(cfg.Supervisord.EventsRetained, d.log, events.RetainBytes(cfg.Supervisord.EventsRetainedBytes))
		}
		d.logStartMessages(cfg)
		if first && d.daemonized {
			d.log.Info("daemonizing the supervisord process")
		}
		for _, m := range limitInfos {
			d.log.Info(m)
		}
		limitInfos = nil
		if err := d.recordChildren(cfg, first); err != nil {
			return 0, err
		}
		exe, _ := os.Executable()
		sup, err := supervisor.New(cfg, supervisor.Options{
			Log:        d.log,
			MainLog:    d.mainLog,
			Bus:        d.bus,
			ExecHelper: exe,
			ServerURL:  cfg.DefaultServerURL(),
			Reload:     d.load,
			Spawned:    d.spawned,
			HTTPCheck:  httpprobe.Check,
			Console:    d.console,

			ExitWhenFinished: cfg.Supervisord.ExitWhenFinished.Resolve(containerMode(cfg)),
		})
		if err != nil {
			return 0, err
		}
		srv := server.New(sup, d.bus, d.log, compat.Mount, web.Mount)
		if err := d.listen(srv, cfg); err != nil {
			srv.Close()
			return 0, err
		}
		srv.Serve()
		// As 4.2.5, every start (first or after a restart) writes the
		// pidfile and says so.
		if err := writePidfile(cfg.Supervisord.Pidfile); err != nil {
			d.log.Info(fmt.Sprintf("could not write pidfile %s", cfg.Supervisord.Pidfile))
			d.log.Warn(err.Error())
		}
		d.log.Info(fmt.Sprintf("supervisord started with pid %d", os.Getpid()))
		if err := notify("READY=1"); err != nil {
			d.log.Warn(err.Error())
		}
		if first {
			reportStartup(nil)
			first = false
		}
		ctx, cancel := context.WithCancel(context.Background())
		go d.handleSignals(ctx, sigs, sup)
		end := sup.Run(context.Background())
		cancel()
		srv.Close()
		if end != supervisor.StateRestarting {
			notify("STOPPING=1")
			d.stopRecording()
			os.Remove(cfg.Supervisord.Pidfile)
			code := 0
			if c := sup.ExitCause(); c != nil {
				code = c.Code
			}
			if d.mainLog != nil {
				d.mainLog.Close()
			}
			return code, nil
		}
		newCfg, err := d.load(nil)
		if err != nil {
			d.log.Error(fmt.Sprintf("could not restart: %v", err))
			os.Remove(cfg.Supervisord.Pidfile)
			return 0, err
		}
		cfg = newCfg
	}
}

// handleSignals turns daemon signals into core requests until ctx ends.
func (d *daemon) handleSignals(ctx context.Context, sigs <-chan os.Signal, sup *supervisor.Supervisor) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-sigs:
			name := signalName(sig)
			switch sig {
			case syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT:
				d.log.Warn(fmt.Sprintf("received %s indicating exit request", name))
				sup.RequestShutdown()
			case syscall.SIGHUP:
				if sup.State() < supervisor.StateRunning {
					d.log.Warn(fmt.Sprintf("ignored %s indicating restart request (shutdown in progress)", name))
					continue
				}
				d.log.Warn(fmt.Sprintf("received %s indicating restart request", name))
				sup.RequestRestart()
			case syscall.SIGUSR2:
				d.log.Info(fmt.Sprintf("received %s indicating log reopen request", name))
				sup.ReopenLogs()
			}
		}
	}
}

func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		return config.SignalName(s)
	}
	return sig.String()
}

// openMainLog opens (or reopens after a restart) the main log and the
// daemon logger.
func (d *daemon) openMainLog(cfg *config.Config) error {
	sd := cfg.Supervisord
	if d.mainLog != nil {
		d.mainLog.Close()
		d.mainLog = nil
	}
	var w []io.Writer
	if sd.Logfile != "" && sd.Logfile != "syslog" {
		f, err := logs.OpenFile(logs.FileConfig{Path: sd.Logfile, MaxBytes: sd.LogfileMaxBytes, Backups: sd.LogfileBackups})
		if err != nil {
			return fmt.Errorf("could not open the main log %s: %w", sd.Logfile, err)
		}
		d.mainLog = f
		w = append(w, f)
	}
	if sd.Logfile == "syslog" {
		// logfile=syslog: the main log's lines go to the system log.
		w = append(w, logs.NewSyslog(nil))
	}
	// Program output and the main log share the daemon's stdout line by
	// line (container output).
	d.console = newConsole(cfg)
	if (sd.Nodaemon || containerMode(cfg)) && !sd.Silent {
		if d.console != nil {
			w = append(w, d.console.Stdout())
		} else {
			w = append(w, os.Stdout)
		}
	}
	level := logs.LevelFromSupervisor(int(sd.LogLevel))
	if sd.LogFormat == config.LogJSON {
		d.log = slog.New(logs.NewMainJSONHandler(io.MultiWriter(w...), level))
	} else {
		d.log = slog.New(logs.NewMainHandler(io.MultiWriter(w...), level))
	}
	if d.mainLog != nil {
		// The main log reports its own failures to itself (and to
		// stdout in the foreground); it drops and counts what it cannot
		// write.
		d.mainLog.SetLogger(d.log)
	}
	return nil
}

// logStartMessages writes the parser's messages and, for each HTTP server
// in 4.2.5's order (inet servers, then unix servers), one line per
// [rpcinterface:x] section and the warning for a server without
// authentication.
func (d *daemon) logStartMessages(cfg *config.Config) {
	for _, m := range cfg.Messages {
		d.log.Log(context.Background(), logs.LevelFromSupervisor(int(m.Level)), m.Text)
	}
	server := func(section, username string) {
		for _, name := range cfg.RPCInterfaces {
			if name == "supervisor" {
				d.log.Info(fmt.Sprintf("RPC interface %s initialized", pytext.Repr(name)))
			} else {
				d.log.Warn(fmt.Sprintf("RPC interface %s not initialized: gsupervisor loads no Python code", pytext.Repr(name)))
			}
		}
		if username == "" {
			d.log.Log(context.Background(), logs.LevelCritical, fmt.Sprintf("Server %s running without any HTTP authentication checking", pytext.Repr(section)))
		}
	}
	for _, in := range cfg.InetHTTPServers {
		server(in.Section, in.Username)
	}
	for _, u := range cfg.UnixHTTPServers {
		server(u.Section, u.Username)
	}
}

// listen opens every configured endpoint.
func (d *daemon) listen(srv *server.Server, cfg *config.Config) error {
	for _, u := range cfg.UnixHTTPServers {
		_, err := srv.Listen(server.EndpointConfig{
			Name:        u.Section,
			Network:     "unix",
			Address:     u.File,
			Mode:        os.FileMode(u.Chmod),
			UID:         u.ChownUID,
			GID:         u.ChownGID,
			Credentials: server.Credentials{Username: u.Username, Password: u.Password},
			// metrics_auth=auto: the socket's file mode guards /metrics.
			MetricsPublic: !u.MetricsAuth.Resolve(false),
		})
		if err != nil {
			return err
		}
	}
	for _, in := range cfg.InetHTTPServers {
		if !in.Authenticated() && !in.AllowNoAuth && !isLoopback(in.BindHost()) {
			what := "no username and password"
			if in.Username != "" {
				what = "an empty password"
			}
			return fmt.Errorf("[%s] port %s is reachable from other hosts but has %s; set username= and a non-empty password= in [%s] (or allow_no_auth=true to accept unauthenticated access explicitly)",
				in.Section, in.Address(), what, in.Section)
		}
		tlsCfg, err := tlsConfig(in)
		if err != nil {
			return err
		}
		_, err = srv.Listen(server.EndpointConfig{
			Name:        in.Section,
			Network:     "tcp",
			Address:     in.Address(),
			Credentials: server.Credentials{Username: in.Username, Password: in.Password},
			TLS:         tlsCfg,
			// metrics_auth=auto: /metrics is open on a loopback address.
			MetricsPublic: !in.MetricsAuth.Resolve(!isLoopback(in.Host)),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig builds the TLS configuration of an inet endpoint (nil without
// certfile).
func tlsConfig(in config.InetHTTPServer) (*tls.Config, error) {
	if in.CertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(in.CertFile, in.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("[%s] certfile/keyfile: %w", in.Section, err)
	}
	c := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	if in.ClientCAFile != "" {
		pem, err := os.ReadFile(in.ClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("[%s] clientcafile: %w", in.Section, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("[%s] clientcafile %s holds no PEM certificate", in.Section, in.ClientCAFile)
		}
		c.ClientCAs = pool
		c.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return c, nil
}

func writePidfile(path string) error {
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return symlinks.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

var errNotRoot = errors.New("Can't drop privilege as nonroot user")
