// Command pidproxy runs, under supervisord, a program that daemonizes
// itself (forks into the background and writes a pidfile), like Supervisor
// 4.2.5's pidproxy:
//
//	[program:mysql]
//	command=/usr/bin/pidproxy /var/run/mysqld.pid /usr/bin/mysqld_safe
//
// supervisord watches pidproxy; pidproxy starts the command, forwards the
// signals supervisord sends (TERM, HUP, INT, QUIT, USR1, USR2) to the
// process named in the pidfile, read again for every signal because the
// program may have restarted itself, and exits when that process is gone.
//
// Beyond 4.2.5:
//   - pidproxy is a child subreaper (PR_SET_CHILD_SUBREAPER): the
//     daemonized process stays its descendant however many times it forks,
//     so pidproxy learns when it exits without polling and exits with its
//     status (an exit code, or the same signal for TERM, HUP, INT and KILL;
//     128+N for other signals). 4.2.5 polls every 5 s and exits 0.
//   - After forwarding TERM, INT or QUIT it waits for the process to be
//     gone instead of exiting at once, so supervisord's stopwaitsecs and
//     SIGKILL apply to the real program.
//   - It never signals a pid it cannot vouch for: the pid must be its
//     descendant, or the pidfile must have been written after pidproxy
//     started. A stale pidfile naming a reused pid is reported, not obeyed.
//   - Until the pidfile names a process, signals go to the command itself.
//   - A command name without a slash is looked up in the working directory
//     (as 4.2.5 does) and then in PATH.
package main
