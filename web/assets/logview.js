// A followed log as text: the follow stream of the REST API (NDJSON
// chunks of base64 bytes) decoded as UTF-8 across chunk boundaries and
// appended to a <pre>, with pause (nothing is lost while paused: the text
// waits and appears on resume), gaps and restarts marked in the text, and
// a reconnect when the stream drops. It keeps the last maxChars
// characters on screen.

import { ApiError, bytes, get, sleep, stream } from './api.js';

const MAX_CHARS = 1 << 20;

export class LogView {
  /**
   * @param {HTMLPreElement} pre where the text goes
   * @param {(text: string) => void} onStatus told what the follower does
   */
  constructor(pre, onStatus) {
    this.pre = pre;
    this.onStatus = onStatus;
    this.ctrl = null;
    this.paused = false;
    this.held = [];
    this.heldChars = 0;
    this.chars = 0;
  }

  /**
   * follow shows the log behind followURL: first its last tailBytes, then
   * everything written to it. readURL is the REST read of the whole log,
   * for download. With keep, the text already shown stays until the
   * stream's first bytes replace it (a page rendered by the server).
   */
  follow(followURL, readURL, tailBytes = 16384, keep = false) {
    this.stop();
    this.readURL = readURL;
    this.stale = keep;
    if (!keep) this.pre.replaceChildren();
    this.chars = this.pre.textContent.length;
    this.held = [];
    this.heldChars = 0;
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.run(followURL, tailBytes, ctrl.signal);
  }

  /** stop ends the stream. */
  stop() {
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
  }

  /** setPaused holds new text (paused) or shows what was held. */
  setPaused(paused) {
    this.paused = paused;
    if (!paused && this.held.length) {
      const text = this.held.join('');
      this.held = [];
      this.heldChars = 0;
      this.append(text);
    }
    this.status();
  }

  async run(url, tailBytes, signal) {
    let delay = 250;
    let first = true;
    let reconnected = false;
    while (!signal.aborted) {
      const decoder = new TextDecoder();
      const sep = url.includes('?') ? '&' : '?';
      try {
        this.onStatus(first ? 'waiting for output…' : 'reconnecting…');
        await stream(`${url}${sep}tail_bytes=${first ? tailBytes : 0}`, (msg) => {
          if (first || reconnected) {
            if (reconnected) this.add('\n[— reconnected: what was written meanwhile is in the log file —]\n');
            first = false;
            reconnected = false;
            delay = 250;
            this.status();
          }
          if (msg.chunk) this.add(decoder.decode(bytes(msg.chunk.data), { stream: true }));
          else if (msg.gap) this.add(`\n[… ${msg.gap.missed_bytes} bytes not shown: this page read too slowly; the log file has them …]\n`);
          else if (msg.restart) this.add(`\n[— the log ${msg.restart.cause === 'LOG_RESTART_CAUSE_ROTATED' ? 'was rotated' : 'was truncated or cleared'} —]\n`);
        }, signal);
        if (signal.aborted) return;
        this.onStatus('the daemon closed the log; reconnecting…');
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.permanent) {
          this.onStatus(`cannot follow this log: ${e.message}${e.reason === 'NO_FILE' ? ' (the channel is not logged)' : ''}`);
          return;
        }
        this.onStatus(`${e.message}; reconnecting…`);
      }
      reconnected = !first || reconnected;
      first = false;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 8000);
    }
  }

  add(text) {
    if (!text) return;
    if (this.paused) {
      this.held.push(text);
      this.heldChars += text.length;
      this.status();
      return;
    }
    this.append(text);
  }

  append(text) {
    const pre = this.pre;
    if (this.stale) {
      this.stale = false;
      pre.replaceChildren();
      this.chars = 0;
    }
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    pre.append(text);
    this.chars += text.length;
    while (this.chars > MAX_CHARS && pre.firstChild) {
      this.chars -= pre.firstChild.textContent.length;
      pre.firstChild.remove();
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  status() {
    if (this.paused) this.onStatus(this.heldChars ? `paused, ${this.heldChars} new characters waiting` : 'paused');
    else this.onStatus('following');
  }

  /** download saves the whole current log file (not only what is shown). */
  async download(filename) {
    const body = await get(this.readURL);
    const blob = new Blob([bytes(body.data)], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }
}
