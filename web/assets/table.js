// The process table of the dashboard. It owns the rows: a full render
// when the page loads (or resynchronises), then every change touches only
// the row it concerns, so one state change costs the same with 10 or
// 10000 processes. Sorting, filtering and group folding move or hide the
// existing rows; they never rebuild them.

import { actions, description, note, stateMatches, stateRank } from './process.js';

const LABELS = { start: 'Start', restart: 'Restart', stop: 'Stop', signal: 'Signal…', clearlog: 'Clear Log', log: 'Log' };
const GROUP_ACTIONS = [['start', 'Start'], ['stop', 'Stop'], ['restart', 'Restart'], ['signal', 'Signal…']];
const FOLDED_KEY = 'gsupervisor.folded';

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label, data) {
  const b = el('button', 'link-button', label);
  b.type = 'button';
  Object.assign(b.dataset, data);
  return b;
}

let ROW = null;
const ACTIONS = new Map();

/** rowTemplate is an empty row: state, description, name, actions. */
function rowTemplate() {
  if (!ROW) {
    ROW = el('tr');
    ROW.setAttribute('role', 'row');
    const cells = [['col-state', el('span')], ['col-desc', el('span', 'desc-text'), el('span', 'note')],
      ['col-name', el('a')], ['col-action', el('ul', 'actions')]];
    for (const [cls, ...children] of cells) {
      const td = el('td', cls);
      td.setAttribute('role', 'cell');
      td.append(...children);
      ROW.append(td);
    }
    ROW.querySelector('a').target = '_blank';
  }
  return ROW;
}

/** actionsTemplate is the list of actions of a state, with the two log links last. */
function actionsTemplate(state) {
  let ul = ACTIONS.get(state);
  if (!ul) {
    ul = el('ul', 'actions');
    const items = actions(state).map((a) => button(LABELS[a], { action: a }));
    for (const label of ['Tail -f Stdout', 'Tail -f Stderr']) {
      const a = el('a', '', label);
      a.target = '_blank';
      items.push(a);
    }
    for (const item of items) {
      const li = el('li');
      li.append(item);
      ul.append(li);
    }
    ACTIONS.set(state, ul);
  }
  return ul;
}

export class ProcessTable {
  /**
   * @param {HTMLTableElement} table the table
   * @param {HTMLElement} empty what to show when there is no process
   * @param {HTMLElement} loading what shows until the first list
   * @param {(counts: object) => void} onCounts told the counts after changes
   */
  constructor(table, empty, loading, onCounts) {
    this.table = table;
    this.loading = loading;
    this.tbody = table.tBodies[0];
    this.empty = empty;
    this.onCounts = onCounts;
    /** @type {Map<string, object>} namespec → row */
    this.rows = new Map();
    /** @type {Map<string, object>} group → its head row and members */
    this.groups = new Map();
    this.sort = { key: 'name', dir: 1 };
    this.filter = { text: '', state: '' };
    this.folded = new Set(JSON.parse(localStorage.getItem(FOLDED_KEY) || '[]'));
    this.skewMs = 0;
    // The rows on (or near) the screen: only their uptimes tick, so a
    // thousand running processes do not relayout the page every second.
    this.onScreen = new Set();
    this.rowOf = new WeakMap();
    this.visibility = new IntersectionObserver((entries) => this.seen(entries), { rootMargin: '200px 0px' });
    this.dirtyOrder = false;
    this.dirtyGroups = new Set();
    this.frame = 0;
  }

  /** now is the daemon's clock, as far as the page can tell. */
  now() {
    return Date.now() + this.skewMs;
  }

  /** setAll renders every process (records from process.normalize). */
  setAll(list) {
    const withClock = list.find((p) => p.nowMs);
    if (withClock) this.skewMs = withClock.nowMs - Date.now();
    this.rows.clear();
    this.groups.clear();
    this.visibility.disconnect();
    this.onScreen.clear();
    for (const info of list) {
      const row = this.buildRow(info);
      this.rows.set(info.namespec, row);
      let g = this.groups.get(info.group);
      if (!g) this.groups.set(info.group, (g = { name: info.group, members: [], head: null }));
      g.members.push(row);
    }
    for (const g of this.groups.values()) {
      if (g.members.length > 1 || g.members[0].info.name !== g.name) g.head = this.buildGroupHead(g);
    }
    this.tbody.replaceChildren();
    this.order();
    for (const g of this.groups.values()) this.paintGroup(g);
    for (const row of this.rows.values()) this.applyVisibility(row);
    this.table.hidden = list.length === 0;
    this.empty.hidden = list.length !== 0;
    if (this.loading) this.loading.hidden = true;
    this.counts();
  }

  /** has reports whether a process is on the page. */
  has(ns) {
    return this.rows.has(ns);
  }

  /** info returns the page's record of a process. */
  info(ns) {
    const row = this.rows.get(ns);
    return row && row.info;
  }

  /** update changes a process's record and repaints its row only. */
  update(ns, patch) {
    const row = this.rows.get(ns);
    if (!row) return false;
    Object.assign(row.info, patch);
    this.paint(row);
    this.applyVisibility(row);
    if (this.sort.key !== 'name') this.dirtyOrder = true;
    this.dirtyGroups.add(row.info.group);
    this.schedule();
    return true;
  }

  /** setBusy marks a row (or a group) as having an action in flight. */
  setBusy(ns, busy) {
    const row = this.rows.get(ns);
    if (row) row.tr.classList.toggle('busy', busy);
  }

  /** tick advances the uptimes of the running processes on screen. */
  tick() {
    const now = this.now();
    for (const row of this.onScreen) {
      if (row.info.state !== 'RUNNING') continue;
      const text = description(row.info, now);
      if (row.desc.textContent !== text) row.desc.textContent = text;
    }
  }

  /** seen tracks which rows come on and go off the screen. */
  seen(entries) {
    const now = this.now();
    for (const e of entries) {
      const row = this.rowOf.get(e.target);
      if (!row) continue;
      if (!e.isIntersecting) {
        this.onScreen.delete(row);
        continue;
      }
      this.onScreen.add(row);
      const text = description(row.info, now);
      if (row.desc.textContent !== text) row.desc.textContent = text;
    }
  }

  /** setSort sorts by name (grouped), state or description. */
  setSort(key) {
    this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : 1 };
    for (const th of this.table.tHead.querySelectorAll('th[data-sort]')) {
      if (th.dataset.sort === key) th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    this.order();
    for (const row of this.rows.values()) this.applyVisibility(row);
    for (const g of this.groups.values()) this.paintGroup(g);
  }

  /** setFilter shows only the processes whose name contains text and whose state matches. */
  setFilter(text, state) {
    this.filter = { text: text.trim().toLowerCase(), state };
    for (const row of this.rows.values()) this.applyVisibility(row);
    for (const g of this.groups.values()) this.paintGroup(g);
    this.counts();
  }

  /** toggleGroup folds or unfolds a group. */
  toggleGroup(name) {
    if (this.folded.has(name)) this.folded.delete(name);
    else this.folded.add(name);
    localStorage.setItem(FOLDED_KEY, JSON.stringify([...this.folded]));
    const g = this.groups.get(name);
    if (!g) return;
    for (const row of g.members) this.applyVisibility(row);
    this.paintGroup(g);
  }

  buildRow(info) {
    // Rows and action lists are cloned from templates: a thousand rows
    // cost a thousand clones, not twenty thousand createElement calls.
    const tr = rowTemplate().cloneNode(true);
    tr.dataset.namespec = info.namespec;
    tr.dataset.group = info.group;
    const [stateTd, descTd, nameTd, actTd] = tr.children;
    const name = nameTd.firstChild;
    name.href = 'tail.html?processname=' + encodeURIComponent(info.namespec);
    name.textContent = info.namespec;
    const row = { info, tr, badge: stateTd.firstChild, desc: descTd.firstChild, note: descTd.lastChild, ul: actTd.firstChild };
    this.paint(row);
    this.rowOf.set(tr, row);
    this.visibility.observe(tr);
    return row;
  }

  paint(row) {
    const { info, tr } = row;
    if (tr.dataset.state !== info.state) {
      tr.dataset.state = info.state;
      row.badge.className = `state state-${info.state.toLowerCase()}`;
      row.badge.textContent = info.state;
      this.paintActions(row);
    }
    const text = description(info, this.now());
    if (row.desc.textContent !== text) row.desc.textContent = text;
    const extra = note(info);
    if (row.note.textContent !== extra) row.note.textContent = extra;
  }

  paintActions(row) {
    const ul = actionsTemplate(row.info.state).cloneNode(true);
    const q = encodeURIComponent(row.info.namespec);
    const tails = ul.querySelectorAll('a');
    tails[0].href = `logtail/${q}`;
    tails[1].href = `logtail/${q}/stderr`;
    row.ul.replaceWith(ul);
    row.ul = ul;
  }

  buildGroupHead(g) {
    const tr = el('tr', 'group-head');
    tr.setAttribute('role', 'row');
    tr.dataset.groupHead = g.name;
    const th = el('th');
    th.setAttribute('role', 'rowheader');
    th.colSpan = 4;
    th.scope = 'rowgroup';
    const bar = el('div', 'group-bar');
    const fold = el('button', 'fold', g.name);
    fold.type = 'button';
    fold.dataset.fold = g.name;
    const summary = el('span', 'group-summary');
    const acts = el('span', 'group-actions');
    for (const [a, label] of GROUP_ACTIONS) acts.append(button(label, { groupAction: a }));
    bar.append(fold, summary, acts);
    th.append(bar);
    tr.append(th);
    g.fold = fold;
    g.summary = summary;
    return tr;
  }

  paintGroup(g) {
    if (!g.head) return;
    const folded = this.folded.has(g.name);
    g.fold.setAttribute('aria-expanded', String(!folded));
    const counts = new Map();
    let matching = 0;
    for (const row of g.members) {
      counts.set(row.info.state, (counts.get(row.info.state) || 0) + 1);
      if (this.matches(row)) matching++;
    }
    const parts = [...counts].sort((a, b) => stateRank(a[0]) - stateRank(b[0])).map(([s, n]) => `${n} ${s}`);
    g.summary.textContent = `${g.members.length} process${g.members.length === 1 ? '' : 'es'}: ${parts.join(', ')}`;
    g.head.hidden = this.sort.key !== 'name' || matching === 0;
  }

  matches(row) {
    const f = this.filter;
    return (!f.text || row.info.namespec.toLowerCase().includes(f.text)) && stateMatches(row.info, f.state);
  }

  applyVisibility(row) {
    const grouped = this.sort.key === 'name';
    const g = this.groups.get(row.info.group);
    const folded = grouped && g && g.head && this.folded.has(g.name);
    const hidden = !this.matches(row) || !!folded;
    if (row.tr.hidden !== hidden) row.tr.hidden = hidden;
  }

  /** order puts the rows (and group heads when sorting by name) in order. */
  order() {
    const { key, dir } = this.sort;
    const nodes = [];
    if (key === 'name') {
      const groups = [...this.groups.values()].sort((a, b) => dir * a.name.localeCompare(b.name));
      for (const g of groups) {
        if (g.head) nodes.push(g.head);
        const members = [...g.members].sort((a, b) => dir * a.info.name.localeCompare(b.info.name));
        for (const row of members) nodes.push(row.tr);
      }
    } else {
      const cmp = key === 'state'
        ? (a, b) => stateRank(a.info.state) - stateRank(b.info.state)
        : (a, b) => a.desc.textContent.localeCompare(b.desc.textContent);
      const rows = [...this.rows.values()].sort((a, b) => dir * cmp(a, b) || a.info.namespec.localeCompare(b.info.namespec));
      for (const row of rows) nodes.push(row.tr);
    }
    this.tbody.append(...nodes);
    this.dirtyOrder = false;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.dirtyOrder) this.order();
      for (const name of this.dirtyGroups) {
        const g = this.groups.get(name);
        if (g) this.paintGroup(g);
      }
      this.dirtyGroups.clear();
      this.counts();
    });
  }

  counts() {
    let shown = 0;
    let running = 0;
    for (const row of this.rows.values()) {
      if (this.matches(row)) shown++;
      if (row.info.state === 'RUNNING') running++;
    }
    this.onCounts({ total: this.rows.size, shown, running });
  }
}
