"""Dump what Supervisor 4.2.5's own parser makes of configuration files.

Usage: /usr/bin/python3 dump_config.py FILE...

Prints a JSON list with one object per file: either {"error": <message>}
(the text supervisord prints after "Error: ") or the parsed configuration,
normalised the way gsupervisor's config.Load presents it (absolute log paths,
AUTO/NONE markers, event names). Used by the differential test in
internal/config.
"""
import json
import os
import sys

from supervisor import datatypes
from supervisor import events
from supervisor import options


def abspath(p):
    return os.path.normpath(os.path.abspath(p))


def logfile(v):
    if v is datatypes.Automatic:
        return "AUTO"
    if not v:
        return ""
    return abspath(v)


def autorestart(v):
    if v is datatypes.RestartUnconditionally:
        return "true"
    if v is False:
        return "false"
    return "unexpected"


KIND = {
    "ProcessConfig": "program",
    "EventListenerConfig": "eventlistener",
    "FastCGIProcessConfig": "fcgi-program",
    "ProcessGroupConfig": "program",
    "EventListenerPoolConfig": "eventlistener",
    "FastCGIGroupConfig": "fcgi-program",
}


def process(p):
    out = {
        "name": p.name,
        "kind": KIND[type(p).__name__],
        "command": p.command,
        "priority": p.priority,
        "autostart": p.autostart,
        "autorestart": autorestart(p.autorestart),
        "startsecs": p.startsecs,
        "startretries": p.startretries,
        "exitcodes": list(p.exitcodes),
        "stopsignal": int(p.stopsignal),
        "stopwaitsecs": p.stopwaitsecs,
        "stopasgroup": p.stopasgroup,
        "killasgroup": p.killasgroup,
        "uid": p.uid,
        "redirect_stderr": p.redirect_stderr,
        "environment": p.environment or {},
        "directory": p.directory or "",
        "umask": p.umask,
        "serverurl": p.serverurl or "",
    }
    for ch in ("stdout", "stderr"):
        out[ch] = {
            "logfile": logfile(getattr(p, ch + "_logfile")),
            "maxbytes": getattr(p, ch + "_logfile_maxbytes"),
            "backups": getattr(p, ch + "_logfile_backups"),
            "capture_maxbytes": getattr(p, ch + "_capture_maxbytes"),
            "events_enabled": getattr(p, ch + "_events_enabled"),
            "syslog": getattr(p, ch + "_syslog"),
        }
    return out


def group(g):
    out = {
        "name": g.name,
        "kind": KIND[type(g).__name__],
        "priority": g.priority,
        "processes": [process(p) for p in g.process_configs],
    }
    if hasattr(g, "pool_events"):
        out["pool"] = {
            "events": sorted(events.getEventNameByType(e) for e in g.pool_events),
            "buffer_size": g.buffer_size,
        }
    sc = getattr(g, "socket_config", None)
    if sc is not None:
        owner = getattr(sc, "owner", None)
        out["socket"] = {
            "url": sc.url,
            "backlog": sc.backlog or 0,
            "owner": list(owner) if owner else [-1, -1],
            "mode": getattr(sc, "mode", None) or 0,
        }
    return out


def server(c):
    if c["family"] == options.socket.AF_INET:
        return {
            "section": c["section"],
            "host": c["host"],
            "port": c["port"],
            "username": c["username"] or "",
            "password": c["password"] or "",
        }
    return {
        "section": c["section"],
        "file": c["file"],
        "chmod": c["chmod"],
        "chown": list(c["chown"]),
        "username": c["username"] or "",
        "password": c["password"] or "",
    }


def dump(path):
    opts = options.ServerOptions()
    opts.configfile = path
    try:
        opts.process_config(do_usage=False)
    except ValueError as e:
        return {"error": str(e)}
    sd = opts.configroot.supervisord
    uid = None
    if opts.user is not None:
        try:
            uid = datatypes.name_to_uid(opts.user)
        except ValueError as e:
            return {"error": str(e)}
    lf = sd.logfile
    if lf != "syslog":
        lf = options.normalize_path(lf)
    return {
        "supervisord": {
            "logfile": lf,
            "logfile_maxbytes": sd.logfile_maxbytes,
            "logfile_backups": sd.logfile_backups,
            "loglevel": sd.loglevel,
            "pidfile": options.normalize_path(sd.pidfile),
            "umask": sd.umask,
            "nodaemon": bool(sd.nodaemon),
            "silent": bool(sd.silent),
            "minfds": sd.minfds,
            "minprocs": sd.minprocs,
            "nocleanup": bool(sd.nocleanup),
            "childlogdir": abspath(sd.childlogdir),
            "uid": uid,
            "directory": abspath(sd.directory) if sd.directory else "",
            "strip_ansi": bool(sd.strip_ansi),
            "environment": sd.environment,
            "identifier": sd.identifier,
        },
        "servers": [server(c) for c in sd.server_configs],
        "groups": [group(g) for g in opts.process_group_configs],
        "rpcinterfaces": [f[0] for f in sd.rpcinterface_factories],
        "warnings": opts.parse_warnings,
        "infos": opts.parse_infos,
    }


def main():
    out = []
    for path in sys.argv[1:]:
        try:
            out.append(dump(path))
        except Exception as e:  # a crash of the real parser, reported as such
            out.append({"crash": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
