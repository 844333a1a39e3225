// The tail page (tail.html?processname=NAME&limit=N): the server sent the
// last N bytes of the process's stdout log; this follows it live, with
// pause and download.

import { enc } from './api.js';
import { LogView } from './logview.js';

const $ = (id) => document.getElementById(id);

const main = $('tail');
const name = main.dataset.name;
if (name) {
  const view = new LogView($('tailbody'), (s) => {
    $('live').hidden = false;
    $('live').textContent = s === 'following' ? 'live' : s;
    $('live').classList.toggle('offline', s !== 'following' && !s.startsWith('paused'));
    $('tail-status').textContent = s.startsWith('paused') ? s : '';
  });
  const limit = Number(main.dataset.limit) || 1024;
  const path = `v1/processes/${enc(name)}/log`;
  view.follow(`${path}:follow?channel=LOG_CHANNEL_STDOUT`, `${path}?channel=LOG_CHANNEL_STDOUT&offset=0&length=0`, limit, true);
  const pause = $('tail-pause');
  pause.hidden = false;
  pause.addEventListener('click', () => {
    const paused = pause.getAttribute('aria-pressed') !== 'true';
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    view.setPaused(paused);
  });
  const download = $('tail-download');
  download.hidden = false;
  download.addEventListener('click', () => view.download(`${name.replace(/:/g, '_')}-stdout.log`).catch((e) => {
    $('tail-status').textContent = `Cannot download the log: ${e.message}`;
  }));
}
