// Command bench is the side-by-side performance harness: it runs the same
// scenarios under our supervisord (bin/supervisord) and under the real
// Supervisor 4.2.5 (/usr/bin/supervisord, run with /usr/bin/python3) back to
// back in one run, alternating which daemon goes first, repeats each N times,
// and writes a Markdown and a JSON report with the median, the spread
// (min–max) and the ratio ours/real of every figure. Absolute times are not
// stable on a shared machine; the ratios measured in one run are.
//
// Usage (from the repository root):
//
//	go run ./bench -out bench/results            # the default run, ~6-8 minutes
//	go run ./bench -quick -out /tmp/r            # smoke run, ~2 minutes
//	go run ./bench -only=startup,rss -reps 5     # some scenarios only
//	go run ./bench -profile -only=logs           # also CPU-profile our daemon
//
// Scenarios (-only takes these names; see -h for the scale flags):
//
//	startup   1000 programs (`sleep 100000`) from daemon start until all are
//	          RUNNING, polled with getAllProcessInfo, with startsecs=1 and
//	          startsecs=0; the physical floor (fork/exec of 1000 sleeps from
//	          Go) is measured too, and, beside it, the time to create the
//	          2000 AUTO log files one after the other (which both daemons
//	          do and the floor does not). The daemon's CPU time from its
//	          start to all RUNNING is reported too: steadier than the wall
//	          time, and what the daemon takes from the children's exec. -startup-logs=none gives the
//	          programs no log files (the spawn path alone). Each startup
//	          run goes on to:
//	rss       VmRSS (and OS threads) of the daemon with the 1000 programs
//	          RUNNING;
//	stop      stopAllProcesses (wait) of the 1000, and the full shutdown
//	          (SIGTERM until the daemon exits) with 1000 RUNNING.
//	          rss and stop are measured inside the startup runs, so
//	          -only=rss or -only=stop runs the startup runs too.
//	idle      daemon CPU (utime+stime) over an idle window with 100
//	          programs RUNNING; both daemons idle in the same window.
//	respawn   time between consecutive spawns of `sh -c 'exit 1'` with
//	          startsecs=0 and autorestart=true, from the "spawned:" lines of
//	          the main log (millisecond timestamps, the same format in both).
//	api       1000 programs RUNNING: the daemon's CPU per call (utime+stime
//	          over the load ÷ calls), the harness's CPU per call, calls/s,
//	          latency, and the daemon's RSS idle, right after each load and
//	          a while later. Both daemons over XML-RPC: getAllProcessInfo
//	          (sequential calls), a getState storm of keep-alive clients over
//	          TCP, and one getState client on the unix socket. Then ours over
//	          native gRPC on the unix socket: ListProcesses, and storms of
//	          GetState and of the health service's Check, with their floor:
//	          the same Check storm on a bare grpc-go server (a child, see
//	          grpcfloor.go) with no interceptor and our transport settings.
//	          The memory floor of the "÷ idle VmRSS" rows: the same child
//	          as a bare Go server (net/http and grpc-go, answers encoded
//	          once, our daemon's trim after a burst) holding as much live
//	          heap as our idle daemon (8 KiB per program), put through the
//	          same loads and pauses. Its XML-RPC figures (CPU per call,
//	          latency) are the floor of ours too: the same client and
//	          transport, with no work for the answer.
//	logs      one child writing 1 GiB to stdout in 64 KiB writes into a log
//	          file, from the start request until EXITED with every byte on
//	          disk, without rotation and with rotation at 50MB; the daemon's
//	          CPU-seconds per GiB; the pipe-to-file floors (the same writer
//	          piped into a file by a read/write loop, and by splice, with
//	          the copying thread's CPU time). Every run starts after a
//	          sync(2), so that no run pays for the previous one's writeback,
//	          and after a scratch file of the same size was written and
//	          removed, so that every run writes into recently used memory
//	          (see settleForCapture: on a VM with free page reporting, new
//	          memory costs host faults).
//	writers   100 children writing 1 MiB/s each in 4 KiB writes; each child
//	          times its own write calls and counts those over 50 ms, and
//	          notes before each write whether the pipe had room for it (a
//	          slow write on a pipe with room is the CPU scheduler's doing,
//	          not the daemon's). Floor: the same children, each pipe drained
//	          by a goroutine of the harness, no daemon.
//	events    exit-to-delivery latency of PROCESS_STATE_EXITED to an
//	          eventlistener (a childutils listener, both daemons) and to a
//	          gRPC SubscribeEvents stream (ours); and events/s delivered to
//	          100 gRPC subscribers while 100 processes flap (ours only).
//	probes    (ours only: 4.2.5 has no probes) daemon CPU per minute with
//	          100 programs RUNNING, each with a 1-second exec probe
//	          (/bin/true), against the same programs without probes, and
//	          the CPU per probe run; getAllProcessInfo latency (p50, p99)
//	          while 100 probes time out every second, against none.
//	deps      (ours only) daemon start until 100 processes are RUNNING,
//	          as 10 dependency layers of 10 (each layer starts once the
//	          previous one is RUNNING; startsecs=0) against no
//	          dependencies.
//	metrics   GET /metrics on the socket with -programs programs RUNNING
//	          and a crashing one (ours only; 4.2.5 has none): scrape latency
//	          p50/p99, daemon CPU per scrape, exposition size; then the
//	          respawn interval of the crashing program and getState calls/s
//	          in a window without scraping and one scraped every second,
//	          alternating which comes first.
//
// Both daemons are driven through the same XML-RPC calls on the
// [unix_http_server] socket. When our daemon does not serve /RPC2 (the compat
// layer is not mounted), our side falls back to the equivalent gRPC calls
// and the report says so.
//
// The children the scenarios need (writers, exiters, the bare gRPC server)
// are this same binary started with a first argument of "__child" (see
// children.go), so that no other program has to be built or installed.
//
// Clean-up: every daemon is started in its own process group with a parent
// death signal (SIGTERM), the harness makes itself a child subreaper so that
// orphans come back to it, and on exit, failure or Ctrl-C it stops every
// daemon and kills every process left in the tree it started.
//
// With -profile, our daemon is built with a bench-only file added to its
// package through `go build -overlay` (overlay/pprofhook.go.txt): it serves
// start/stop of a CPU profile, a heap profile, runtime.MemStats and the
// goroutine profile on a unix socket named by an environment variable. The
// harness CPU-profiles the measured window of the first repetition of each
// scenario, and takes the memory figures where RSS is read, into
// <out>/profiles, with `go tool pprof -top` summaries in the report. The
// daemon's own code is not changed; the profiled figures are slightly
// pessimistic for ours (sampling costs a little).
package main
