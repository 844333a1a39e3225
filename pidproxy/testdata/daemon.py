"""A program that daemonizes itself, for pidproxy's tests.

Usage: daemon.py PIDFILE LOG [EXIT]

The command forks, the child starts a new session and forks again; the
grandchild (the daemon) writes its pid to PIDFILE and the command exits 0.
The daemon appends the name of every HUP, INT, QUIT and USR1 it receives
to LOG. On TERM it exits with status EXIT (default 3), or dies of SIGTERM
if EXIT is "signal". On USR2 it restarts itself: it forks a new daemon,
which writes its own pid to PIDFILE, and exits 0 once the pidfile names the
new one.
"""
import os
import signal
import sys
import time

pidfile, log = sys.argv[1], sys.argv[2]
code = sys.argv[3] if len(sys.argv) > 3 else "3"


def write_pidfile():
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, pidfile)


def note(sig, frame):
    with open(log, "a") as f:
        f.write(signal.Signals(sig).name + "\n")


def restart(sig, frame):
    if os.fork() == 0:
        write_pidfile()
        return
    while True:
        with open(pidfile) as f:
            if f.read().strip() != str(os.getpid()):
                os._exit(0)
        time.sleep(0.01)


def daemon():
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(s, note)
    signal.signal(signal.SIGUSR2, restart)
    if code == "signal":
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    else:
        signal.signal(signal.SIGTERM, lambda *a: os._exit(int(code)))
    write_pidfile()
    while True:
        signal.pause()


if os.fork():
    sys.exit(0)
os.setsid()
if os.fork():
    os._exit(0)
daemon()
