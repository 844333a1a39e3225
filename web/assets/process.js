// What the pages know about processes: names, states, descriptions and
// the actions each state allows.

/** namespec is how a process is addressed: group:name, or name alone. */
export function namespec(group, name) {
  return group === name ? name : `${group}:${name}`;
}

/** stateName turns PROCESS_STATE_RUNNING into RUNNING. */
export function stateName(s) {
  return String(s || 'UNKNOWN').replace(/^PROCESS_STATE_/, '');
}

/** States a process is in trouble in (shown first when sorting by state). */
const RANK = { FATAL: 0, BACKOFF: 1, UNKNOWN: 2, EXITED: 3, STOPPING: 4, STARTING: 5, STOPPED: 6, RUNNING: 7 };

/** stateRank orders states: trouble first, RUNNING last. */
export function stateRank(state) {
  return RANK[state] ?? 2;
}

/** problem reports whether a process needs attention. */
export function problem(info) {
  const s = info.state;
  return s === 'FATAL' || s === 'BACKOFF' || s === 'UNKNOWN' || (s === 'EXITED' && !info.exit_expected);
}

/** stateMatches applies the state filter of the page. */
export function stateMatches(info, filter) {
  switch (filter) {
    case '': return true;
    case 'problem': return problem(info);
    case 'running': return info.state === 'RUNNING';
    case 'notrunning': return info.state !== 'RUNNING';
    default: return info.state === filter;
  }
}

/** timeMs parses a protobuf timestamp (RFC 3339 with nanoseconds). */
export function timeMs(ts) {
  if (!ts) return 0;
  const t = Date.parse(String(ts).replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? 0 : t;
}

/** formatUptime formats seconds as Python's timedelta: 1 day, 2:03:04. */
export function formatUptime(secs) {
  const days = Math.floor(secs / 86400);
  const rest = secs % 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor(rest % 3600 / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  if (days === 0) return hms;
  return `${days} day${days === 1 ? '' : 's'}, ${hms}`;
}

/**
 * description is the status description ctl shows. For a RUNNING process
 * the uptime is recomputed from the daemon's clock (nowMs), so it keeps
 * counting between updates; otherwise it is the daemon's own text.
 */
export function description(info, nowMs) {
  if (info.state === 'RUNNING' && info.startMs && info.pid) {
    const up = Math.max(0, Math.floor(nowMs / 1000) - Math.floor(info.startMs / 1000));
    return `pid ${info.pid}, uptime ${formatUptime(up)}`;
  }
  return info.description || '';
}

/** exitNote says how an EXITED process ended, beyond 4.2.5's page. */
export function exitNote(info) {
  if (info.state !== 'EXITED') return '';
  const how = info.exit_status < 0 ? 'killed by a signal' : `exit status ${info.exit_status}`;
  return `${how}, ${info.exit_expected ? 'expected' : 'unexpected'}`;
}

/**
 * note is what the row says beyond 4.2.5's description: how an EXITED
 * process ended, that its program is disabled, its health (when it has
 * probes) and what a start waits for.
 */
export function note(info) {
  const parts = [exitNote(info)];
  if (info.disabled) parts.push('disabled');
  if (info.health && info.health !== 'UNKNOWN') parts.push(info.health.toLowerCase());
  if (info.waiting) parts.push(info.waiting);
  return parts.filter(Boolean).join(' · ');
}

/**
 * actions lists what a process in a state can be asked to do: 4.2.5's
 * Start, Restart and Stop, plus Stop while STARTING or in BACKOFF and a
 * signal whenever the API accepts one.
 */
export function actions(state) {
  const out = [];
  switch (state) {
    case 'RUNNING': out.push('restart', 'stop', 'signal'); break;
    case 'STARTING': out.push('stop', 'signal'); break;
    case 'BACKOFF': out.push('stop'); break;
    case 'STOPPING': out.push('signal'); break;
    case 'STOPPED': case 'EXITED': case 'FATAL': out.push('start'); break;
    default: break;
  }
  out.push('clearlog', 'log');
  return out;
}

/** normalize turns a REST ProcessInfo into the page's record. */
export function normalize(p) {
  return {
    namespec: p.namespec || namespec(p.group, p.name),
    group: p.group,
    name: p.name,
    state: stateName(p.state),
    pid: p.pid || 0,
    startMs: timeMs(p.start_time),
    description: p.description || '',
    spawn_error: p.spawn_error || '',
    exit_status: p.exit_status || 0,
    exit_expected: !!p.exit_expected,
    nowMs: timeMs(p.now),
    health: String(p.health || 'UNKNOWN').replace(/^PROCESS_HEALTH_/, ''),
    disabled: !!p.disabled,
    waiting: p.waiting || '',
  };
}
