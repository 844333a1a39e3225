// The daemon's event stream (GET v1/events, NDJSON), kept open for the
// life of the page: a dropped connection resumes after the last serial
// seen, so no event is lost; when the daemon says events were lost (a gap:
// no longer retained, or this reader was too slow) or was replaced by a
// new daemon (its serials start again), the page resynchronises once from
// a full list.

import { sleep, stream } from './api.js';

/** The event types the dashboard needs. */
const TYPES = ['EVENT_TYPE_PROCESS_STATE', 'EVENT_TYPE_PROCESS_GROUP', 'EVENT_TYPE_SUPERVISOR_STATE_CHANGE',
  'EVENT_TYPE_PROCESS_HEALTH'];

export class EventFeed {
  /**
   * @param {object} handlers
   * @param {(ev: object) => void} handlers.onEvent every event, in order
   * @param {(why: string) => void} handlers.onResync the page must reload
   *   its state: 'start', 'gap' or 'replaced'
   * @param {(live: boolean, err?: Error) => void} handlers.onStatus the
   *   stream went live or dropped
   */
  constructor({ onEvent, onResync, onStatus }) {
    this.onEvent = onEvent;
    this.onResync = onResync;
    this.onStatus = onStatus;
    this.last = null;
    this.stopped = new AbortController();
  }

  /** start keeps the stream open until stop. */
  start() {
    this.run();
  }

  /** stop closes the stream for good. */
  stop() {
    this.stopped.abort();
  }

  async run() {
    let delay = 250;
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      let q = TYPES.map((t) => `types=${t}`).join('&');
      if (this.last !== null) q += `&after_serial=${this.last}`;
      let err;
      try {
        await stream(`v1/events?${q}`, (msg) => {
          this.message(msg);
          delay = 250;
        }, signal);
      } catch (e) {
        err = e;
      }
      if (signal.aborted) return;
      this.onStatus(false, err);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 8000);
    }
  }

  message(msg) {
    if (msg.event) {
      this.last = Number(msg.event.serial);
      this.onEvent(msg.event);
    } else if (msg.gap) {
      this.last = Number(msg.gap.last_serial);
      this.onResync('gap');
    } else if (msg.ready) {
      const newest = Number(msg.ready.last_serial || 0);
      const first = this.last === null;
      const replaced = !first && newest < this.last;
      if (first || replaced) this.last = newest;
      this.onStatus(true);
      if (first) this.onResync('start');
      else if (replaced) this.onResync('replaced');
    }
  }
}
