// The dashboard's dialogs (native <dialog>: modal, focus kept inside,
// Escape closes): confirm, signal, and reread/update with the plan shown
// before it is applied.

import { ApiError, post } from './api.js';

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** ask opens a form dialog and resolves with the button pressed. */
function ask(dialog) {
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

/** confirmAction asks before an action on every process. */
export async function confirmAction(text, okLabel) {
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  return (await ask($('confirm-dialog'))) === 'ok';
}

/** askSignal asks which signal to send to target; null when cancelled. */
export async function askSignal(target) {
  $('signal-target').textContent = target;
  const input = $('signal-name');
  input.select();
  if ((await ask($('signal-dialog'))) !== 'send') return null;
  return input.value.trim().toUpperCase();
}

const KIND = { GROUP_CHANGE_KIND_ADDED: 'added', GROUP_CHANGE_KIND_CHANGED: 'changed', GROUP_CHANGE_KIND_REMOVED: 'removed' };

/**
 * ConfigDialog rereads the configuration file, shows the plan (every
 * group that would be added, changed or removed, and every option that
 * changes), and applies the groups the user keeps, only if the file still
 * is the one the plan was made from (the revision).
 */
export class ConfigDialog {
  constructor(onApplied) {
    this.dialog = $('config-dialog');
    this.body = $('config-body');
    this.apply = $('config-apply');
    this.onApplied = onApplied;
    this.plan = null;
    $('config-form').addEventListener('submit', (e) => {
      const v = e.submitter && e.submitter.value;
      if (v === 'reread' || v === 'apply') {
        e.preventDefault();
        if (v === 'reread') this.reread();
        else this.update();
      }
    });
  }

  open() {
    this.dialog.showModal();
    this.reread();
  }

  async reread() {
    this.apply.disabled = true;
    this.plan = null;
    this.body.replaceChildren(el('p', '', 'Reading the configuration file…'));
    try {
      this.plan = await post('v1/config:reread');
    } catch (e) {
      this.body.replaceChildren(el('p', 'error', `The configuration cannot be read: ${e.message}`));
      return;
    }
    this.showPlan();
  }

  showPlan() {
    const plan = this.plan.plan || [];
    if (!plan.length) {
      this.body.replaceChildren(el('p', '', 'No changes: the running configuration is the one in the file.'));
      return;
    }
    const list = el('ul', 'plan');
    for (const change of plan) {
      const li = el('li');
      const label = el('label', 'plan-group');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.value = change.group;
      const kind = KIND[change.kind] || change.kind;
      label.append(box, ' ', el('strong', '', change.group), ' ', el('span', `kind kind-${kind}`, kind));
      li.append(label);
      if ((change.options || []).length) {
        const t = el('table', 'plan-options');
        const head = t.createTHead().insertRow();
        for (const h of ['Process', 'Option', 'Running', 'In the file']) head.append(el('th', '', h));
        const tb = t.createTBody();
        for (const o of change.options) {
          const r = tb.insertRow();
          for (const v of [o.process || '(group)', o.option, o.old_value, o.new_value]) r.insertCell().textContent = v;
        }
        li.append(t);
      }
      list.append(li);
    }
    this.body.replaceChildren(el('p', '', 'Applying stops and recreates the changed groups, removes the removed ones and adds the new ones; untouched groups keep running.'), list);
    this.apply.disabled = false;
  }

  async update() {
    const boxes = [...this.body.querySelectorAll('.plan input[type=checkbox]')];
    const groups = boxes.filter((b) => b.checked).map((b) => b.value);
    if (!groups.length) return;
    this.apply.disabled = true;
    this.body.append(el('p', 'muted', 'Applying…'));
    let resp;
    try {
      resp = await post('v1/config:update', { revision: this.plan.revision, groups });
    } catch (e) {
      const msg = e instanceof ApiError && e.reason === 'REVISION_MISMATCH'
        ? 'The configuration file changed since this plan was read: nothing was applied. Reread it and review the new plan.'
        : `The update failed: ${e.message}`;
      this.body.replaceChildren(el('p', 'error', msg));
      return;
    }
    const list = el('ul', 'plan');
    for (const r of resp.results || []) {
      const kind = KIND[r.kind] || '';
      const ok = !r.reason || r.reason === 'ERROR_REASON_UNSPECIFIED';
      list.append(el('li', ok ? '' : 'error', `${r.group}${kind ? ` (${kind})` : ''}: ${r.description}`));
    }
    this.body.replaceChildren(el('p', '', 'Applied:'), list);
    this.plan = null;
    this.onApplied();
  }
}
