// The daemon's public REST API, as the pages use it. URLs are relative:
// the pages live at the root of the endpoint, so they keep working behind
// a reverse proxy that mounts the daemon under a path. The browser sends
// the Basic credentials it was given for the page with every request.

/** An error answered by the API: HTTP status, google.rpc.Status body. */
export class ApiError extends Error {
  /** permanent reports an error that asking again will not mend (a 4xx but a timeout or a rate limit). */
  get permanent() {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }

  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && body.code;
    const info = ((body && body.details) || []).find((d) => d && d['@type'] && d['@type'].endsWith('google.rpc.ErrorInfo'));
    // The reason, without its enum prefix whichever spelling the daemon
    // uses: BAD_NAME, NOT_RUNNING, REVISION_MISMATCH…
    this.reason = info ? String(info.reason).replace(/^ERROR_REASON_/, '') : '';
  }
}

/** enc escapes a process or group name for a path; a colon stays. */
export function enc(name) {
  return encodeURIComponent(name).replace(/%3A/gi, ':');
}

async function decode(resp) {
  const text = await resp.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text.trim() };
    }
  }
  // A stream that fails before its first message answers {"error": …}.
  if (!resp.ok) throw new ApiError(resp.status, body && body.error ? body.error : body);
  return body;
}

/** get returns the decoded JSON of a GET. */
export async function get(path, signal) {
  return decode(await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', signal }));
}

/** post sends body as JSON and returns the decoded answer. */
export async function post(path, body = {}, signal) {
  return decode(await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    cache: 'no-store',
    signal,
  }));
}

/**
 * stream reads a newline-delimited JSON stream and calls onMessage with
 * the result of every line. It resolves when the daemon ends the stream
 * and rejects with an ApiError for an HTTP error or an error line.
 */
export async function stream(path, onMessage, signal) {
  const resp = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', signal });
  if (!resp.ok) await decode(resp);
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line);
      if (msg.error) throw new ApiError(500, msg.error);
      onMessage(msg.result || {});
    }
  }
}

/** bytes decodes the base64 of a protobuf bytes field. */
export function bytes(b64) {
  if (!b64) return new Uint8Array(0);
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** sleep resolves after ms, or at once when signal aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (signal) signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
