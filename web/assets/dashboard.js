// The live dashboard: the status page the server rendered, kept current
// without reloads from the daemon's event stream, with actions, filters,
// sorting, group folding, log panes and reread/update — all through the
// public REST API.

import { enc, get, post } from './api.js';
import { ConfigDialog, askSignal, confirmAction } from './dialogs.js';
import { EventFeed } from './feed.js';
import { LogView } from './logview.js';
import { namespec, normalize, stateName, timeMs } from './process.js';
import { ProcessTable } from './table.js';
import { initTheme } from './theme.js';

const $ = (id) => document.getElementById(id);

/** How many changed processes are fetched one by one before one full list is cheaper. */
const MAX_SINGLE_FETCHES = 20;

function ctime(d = new Date()) {
  // Like the messages of 4.2.5's page: "Fri Dec  4 21:57:03 2026".
  const s = d.toString().split(' '); // Fri Dec 04 2026 21:57:03 GMT…
  return `${s[0]} ${s[1]} ${String(Number(s[2])).padStart(2, ' ')} ${s[4]} ${s[3]}`;
}

class Dashboard {
  constructor() {
    this.table = new ProcessTable($('processes'), $('empty'), $('loading'), (c) => this.showCounts(c));
    this.queue = null; // events held while the full list loads
    this.reloading = null;
    this.reloadAgain = false;
    this.pending = new Set(); // processes whose details to fetch
    this.fetchTimer = 0;
    this.log = new LogView($('logpane-text'), (s) => { $('logpane-status').textContent = s; });
    this.logTarget = null;
    this.config = new ConfigDialog(() => {});
    this.feed = new EventFeed({
      onEvent: (ev) => this.onEvent(ev),
      onResync: (why) => {
        // Why the page last reloaded its state, for whoever inspects it.
        document.documentElement.dataset.resync = why;
        this.reload();
      },
      onStatus: (live, err) => this.setLive(live, err),
    });
  }

  start() {
    initTheme($('theme'));
    for (const id of ['filters', 'open-config', 'open-mainlog', 'loading']) $(id).hidden = false;
    for (const th of $('processes').tHead.querySelectorAll('th[data-sort]')) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.textContent = th.textContent;
      th.replaceChildren(b);
      b.addEventListener('click', () => this.table.setSort(th.dataset.sort));
    }
    document.addEventListener('click', (e) => this.onClick(e));
    $('filter').addEventListener('input', () => this.filter());
    $('state-filter').addEventListener('change', () => this.filter());
    $('filter').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.target.value = ''; this.filter(); }
    });
    document.addEventListener('keydown', (e) => this.onKey(e));
    $('open-config').addEventListener('click', () => this.config.open());
    $('open-mainlog').addEventListener('click', () => this.openLog(null, 'stdout'));
    this.bindLogPane();
    // The message of a legacy action stays on screen; the URL loses it,
    // so that a reload shows the page, not an old message.
    if (location.search) history.replaceState(null, '', location.pathname);
    setInterval(() => this.table.tick(), 1000);
    this.feed.start();
  }

  // --- state -------------------------------------------------------------

  /**
   * reload renders the full list; events that arrive meanwhile wait and
   * are applied after it. A reload asked for during one (an event that
   * needs it) runs once more after it.
   */
  reload() {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.queue = [];
    this.reloading = (async () => {
      try {
        const list = await get('v1/processes');
        this.table.setAll((list.processes || []).map(normalize));
        for (const ev of this.queue) this.apply(ev);
        document.documentElement.dataset.loaded = 'true';
      } catch (e) {
        this.message(`Cannot list the processes: ${e.message}`, true);
      } finally {
        this.queue = null;
        this.reloading = null;
        if (this.reloadAgain) {
          this.reloadAgain = false;
          this.reload();
        }
      }
    })();
    return this.reloading;
  }

  onEvent(ev) {
    if (this.queue) this.queue.push(ev);
    else this.apply(ev);
  }

  apply(ev) {
    if (ev.process_state) {
      const p = ev.process_state;
      const ns = namespec(p.group_name, p.process_name);
      const state = stateName(p.state);
      const patch = { state, pid: p.pid || 0 };
      if (state === 'STARTING') patch.startMs = timeMs(ev.time);
      if (state === 'EXITED') patch.exit_expected = !!p.expected;
      if (state !== 'RUNNING') patch.description = ''; // until the daemon's own text arrives
      if (!this.table.update(ns, patch)) this.reload();
      else this.fetchSoon(ns);
    } else if (ev.process_health) {
      const h = ev.process_health;
      const ns = namespec(h.group_name, h.process_name);
      if (!this.table.update(ns, { health: String(h.health || '').replace(/^PROCESS_HEALTH_/, '') })) this.reload();
    } else if (ev.process_group) {
      this.reload();
    } else if (ev.supervisor_state_change) {
      $('daemon-state').textContent = ev.name === 'SUPERVISOR_STATE_CHANGE_RUNNING' ? 'RUNNING' : 'SHUTDOWN';
    }
  }

  /**
   * fetchSoon asks the daemon, shortly, for the details an event does not
   * carry (the description, the exit status); many at once become one
   * full list.
   */
  fetchSoon(ns) {
    this.pending.add(ns);
    if (!this.fetchTimer) this.fetchTimer = setTimeout(() => this.fetchPending(), 50);
  }

  async fetchPending() {
    this.fetchTimer = 0;
    const names = [...this.pending];
    this.pending.clear();
    let infos;
    try {
      if (names.length > MAX_SINGLE_FETCHES) {
        infos = ((await get('v1/processes')).processes || []).map(normalize);
      } else {
        infos = await Promise.all(names.map(async (ns) => normalize((await get(`v1/processes/${enc(ns)}`)).process)));
      }
    } catch {
      return; // the event stream's own recovery will resynchronise
    }
    for (const info of infos) {
      const cur = this.table.info(info.namespec);
      // Events are the truth about states: an answer older than the last
      // event seen for the process is asked again.
      if (!cur) continue;
      if (cur.state === info.state) this.table.update(info.namespec, info);
      else if (names.includes(info.namespec)) this.fetchSoon(info.namespec);
    }
  }

  setLive(live, err) {
    const el = $('live');
    el.hidden = false;
    el.textContent = live ? 'live' : 'offline — reconnecting';
    el.classList.toggle('offline', !live);
    el.title = live ? 'Updates arrive as they happen' : `The event stream dropped${err ? `: ${err.message}` : ''}; retrying`;
    document.documentElement.dataset.live = String(live);
  }

  showCounts(c) {
    const shown = c.shown === c.total ? `${c.total}` : `${c.shown} of ${c.total}`;
    $('counts').textContent = `${shown} process${c.total === 1 ? '' : 'es'}, ${c.running} running`;
  }

  filter() {
    this.table.setFilter($('filter').value, $('state-filter').value);
  }

  message(text, error = false) {
    const m = $('message');
    m.textContent = text;
    m.classList.toggle('error', error);
    m.hidden = false;
  }

  // --- actions -----------------------------------------------------------

  onClick(e) {
    const t = e.target.closest('[data-action], [data-group-action], [data-fold]');
    if (!t || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    if (t.dataset.fold) {
      this.table.toggleGroup(t.dataset.fold);
      return;
    }
    if (t.dataset.groupAction) {
      this.groupAction(t.closest('tr').dataset.groupHead, t.dataset.groupAction);
      return;
    }
    const tr = t.closest('tr[data-namespec]');
    if (tr) this.processAction(tr.dataset.namespec, t.dataset.action);
    else this.allAction(t.dataset.action);
  }

  async processAction(ns, action) {
    if (action === 'log') {
      this.openLog(ns, 'stdout');
      return;
    }
    let sig;
    if (action === 'signal') {
      sig = await askSignal(`to ${ns}`);
      if (!sig) return;
    }
    const path = `v1/processes/${enc(ns)}`;
    const calls = {
      start: [`${path}:start`, { wait: true }, `Process ${ns} started`],
      stop: [`${path}:stop`, { wait: true }, `Process ${ns} stopped`],
      restart: [`${path}:restart`, { wait: true }, `Process ${ns} restarted`],
      clearlog: [`${path}:clearLogs`, {}, `Log for ${ns} cleared`],
      signal: [`${path}:signal`, { signal: sig }, `Signal ${sig} sent to ${ns}`],
    };
    const call = calls[action];
    if (!call) return;
    this.table.setBusy(ns, true);
    try {
      await post(call[0], call[1]);
      this.message(call[2]);
    } catch (e) {
      this.message(`ERROR: Process ${ns}: ${e.message}`, true);
    } finally {
      this.table.setBusy(ns, false);
      this.fetchSoon(ns);
    }
  }

  async groupAction(group, action) {
    let body = { wait: true };
    if (action === 'signal') {
      const sig = await askSignal(`to every process of ${group}`);
      if (!sig) return;
      body = { signal: sig };
    } else if (action !== 'start' && !(await confirmAction(`${action === 'stop' ? 'Stop' : 'Restart'} every process of ${group}?`, action === 'stop' ? 'Stop' : 'Restart'))) {
      return;
    }
    try {
      const r = await post(`v1/groups/${enc(group)}:${action}`, body);
      this.message(resultsText(`${group}: ${action}`, r));
    } catch (e) {
      this.message(`ERROR: ${group}: ${e.message}`, true);
    }
  }

  async allAction(action) {
    const now = ctime();
    if (action === 'refresh') {
      await this.reload();
      this.message(`Page refreshed at ${now}`);
      return;
    }
    const what = { stopall: ['Stop every process?', 'Stop All', 'v1/processes:stopAll', 'All stopped at'],
      restartall: ['Restart every process?', 'Restart All', 'v1/processes:restartAll', 'All restarted at'] }[action];
    if (!what || !(await confirmAction(what[0], what[1]))) return;
    try {
      await post(what[2], { wait: true });
      this.message(`${what[3]} ${ctime()}`);
    } catch (e) {
      this.message(`ERROR: ${e.message}`, true);
    }
  }

  onKey(e) {
    const typing = e.target.closest('input, select, textarea, dialog');
    if (e.key === '/' && !typing) {
      e.preventDefault();
      $('filter').focus();
    } else if (e.key === 'Escape' && !$('logpane').hidden && !typing) {
      this.closeLog();
    }
  }

  // --- the log pane ------------------------------------------------------

  bindLogPane() {
    for (const b of $('logpane').querySelectorAll('[data-channel]')) {
      b.addEventListener('click', () => this.openLog(this.logTarget, b.dataset.channel));
    }
    $('logpane-pause').addEventListener('click', (e) => {
      const paused = e.currentTarget.getAttribute('aria-pressed') !== 'true';
      e.currentTarget.setAttribute('aria-pressed', String(paused));
      e.currentTarget.textContent = paused ? 'Resume' : 'Pause';
      this.log.setPaused(paused);
    });
    $('logpane-wrap').addEventListener('click', (e) => {
      const wrap = e.currentTarget.getAttribute('aria-pressed') !== 'true';
      e.currentTarget.setAttribute('aria-pressed', String(wrap));
      $('logpane-text').classList.toggle('nowrap', !wrap);
    });
    $('logpane-download').addEventListener('click', async () => {
      const name = this.logTarget ? `${this.logTarget.replace(/:/g, '_')}-${this.logChannel}.log` : 'supervisord.log';
      try {
        await this.log.download(name);
      } catch (e) {
        this.message(`Cannot download the log: ${e.message}`, true);
      }
    });
    $('logpane-close').addEventListener('click', () => this.closeLog());
  }

  /** openLog follows a process's channel, or the main log (ns null). */
  openLog(ns, channel) {
    this.logTarget = ns;
    this.logChannel = channel;
    const pane = $('logpane');
    pane.hidden = false;
    document.documentElement.classList.add('with-logpane');
    $('logpane-title').textContent = ns ? ns : 'Main log';
    for (const b of pane.querySelectorAll('[data-channel]')) {
      b.hidden = !ns;
      b.setAttribute('aria-pressed', String(b.dataset.channel === channel));
    }
    const pause = $('logpane-pause');
    pause.setAttribute('aria-pressed', 'false');
    pause.textContent = 'Pause';
    this.log.setPaused(false);
    if (ns) {
      const ch = channel === 'stderr' ? 'LOG_CHANNEL_STDERR' : 'LOG_CHANNEL_STDOUT';
      this.log.follow(`v1/processes/${enc(ns)}/log:follow?channel=${ch}`, `v1/processes/${enc(ns)}/log?channel=${ch}&offset=0&length=0`);
    } else {
      this.log.follow('v1/mainlog:follow', 'v1/mainlog?offset=0&length=0');
    }
    $('logpane-text').focus({ preventScroll: true });
  }

  closeLog() {
    this.log.stop();
    $('logpane').hidden = true;
    document.documentElement.classList.remove('with-logpane');
  }
}

/** resultsText sums up the per-process results of a group operation. */
function resultsText(what, r) {
  const all = [...(r.results || []), ...(r.stop_results || []), ...(r.start_results || [])];
  const failed = all.filter((x) => x.reason && x.reason !== 'ERROR_REASON_UNSPECIFIED');
  if (!failed.length) return `${what}: done`;
  return `${what}: ${failed.map((x) => `${namespec(x.group, x.name)}: ${x.description}`).join('; ')}`;
}

// The live page needs light-dark() colours and <dialog>: a browser
// without them gets the server's table, 4.2.5's page.
if (window.HTMLDialogElement && CSS.supports('color', 'light-dark(#000, #fff)')) {
  new Dashboard().start();
} else if (window.gsupervisorShowStaticTable) {
  window.gsupervisorShowStaticTable();
}
