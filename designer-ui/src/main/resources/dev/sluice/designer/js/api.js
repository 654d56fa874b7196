// Talks to the server: JSON requests with the bearer token, the token prompt on 401, JSON errors
// as ApiError, Server-Sent Events over fetch (EventSource cannot send the Authorization header),
// and artifact downloads.
import { h } from './dom.js';

const TOKEN_KEY = 'sluice.token';

/** An error the server answered ({"error": code, "message": ...}) or a network failure (code "network"). */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || `http-${status}`;
    this.body = body || null;
    this.errors = body && Array.isArray(body.errors) ? body.errors : [];
  }
}

export function token() {
  try { return localStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(value) {
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value); else localStorage.removeItem(TOKEN_KEY);
  } catch { /* private mode: the token lasts until the page closes */ }
}

function headers(extra) {
  // X-Sluice-Request: the server refuses state changes without it (or a JSON/YAML body): no other site can send it
  const out = { Accept: 'application/json', 'X-Sluice-Request': '1', ...extra };
  const t = token();
  if (t) out.Authorization = `Bearer ${t}`;
  return out;
}

let pendingPrompt = null;

/** Asks for the token once, however many requests got a 401 at the same time; resolves true when one was given. */
export function askToken(message) {
  if (!pendingPrompt) {
    pendingPrompt = promptToken(message).finally(() => { pendingPrompt = null; });
  }
  return pendingPrompt;
}

function promptToken(message) {
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true,
      placeholder: 'paste the server token', 'data-test': 'token-input', spellcheck: 'false' });
    const dialog = h('dialog', { class: 'dialog', 'data-test': 'token-dialog', 'aria-labelledby': 'token-title' },
      h('form', { method: 'dialog', class: 'stack' },
        h('h2', { id: 'token-title' }, 'This server needs a token'),
        h('p', { class: 'muted' }, message || 'Paste the API token the server was started with (its --token-file or SLUICE_TOKEN). It is kept in this browser only.'),
        h('label', { class: 'field' }, h('span', null, 'Token'), input),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'btn', formnovalidate: true }, 'Cancel'),
          h('button', { type: 'submit', value: 'ok', class: 'btn btn-primary', 'data-test': 'token-save' }, 'Use token'))));
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok' && input.value.trim() !== '';
      if (ok) setToken(input.value.trim());
      dialog.remove();
      resolve(ok);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

async function parse(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) return res.json();
  return res.text();
}

/**
 * request('GET', '/api/runs') -> the answer's JSON (text for other types, null for 204).
 * A body that is a string is sent as YAML (or opts.type); anything else as JSON.
 * @throws ApiError with the server's code and message
 */
export async function request(method, path, body, opts = {}) {
  const extra = {};
  let payload;
  if (body !== undefined && body !== null) {
    if (typeof body === 'string') { extra['Content-Type'] = opts.type || 'application/yaml'; payload = body; }
    else { extra['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  let res;
  try {
    res = await fetch(path, { method, headers: headers(extra), body: payload, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', `cannot reach the server (${e.message})`);
  }
  if (res.status === 401 && !opts.noPrompt) {
    const given = await askToken(token() ? 'The token was refused. Paste the server\'s API token.' : undefined);
    if (given) return request(method, path, body, { ...opts, noPrompt: false });
  }
  const data = await parse(res).catch(() => null);
  if (!res.ok) {
    const obj = data && typeof data === 'object' ? data : null;
    throw new ApiError(res.status, obj && obj.error, obj ? obj.message : (typeof data === 'string' && data ? data : res.statusText), obj);
  }
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

/** Path segment escaping for ids such as train[c=0.1]. */
export const seg = (s) => encodeURIComponent(s);

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Follows a Server-Sent Events stream. Reconnects by itself after a dropped connection, sending
 * Last-Event-ID so that nothing is missed or repeated, until the server sends `event: end`.
 * handlers: {onEvent(type, data, id), onEnd(data), onError(err), onOpen()}; data is parsed JSON
 * when it is JSON, else the text. Returns {close()}.
 */
export function stream(path, handlers = {}) {
  const controller = new AbortController();
  let lastId = null;
  let closed = false;
  let delay = 500;

  const close = () => { closed = true; controller.abort(); };

  const dispatch = (type, dataLines, id) => {
    if (id !== null) lastId = id;
    if (!dataLines.length && type === 'message') return false;
    const text = dataLines.join('\n');
    let data = text;
    if (text.startsWith('{') || text.startsWith('[')) { try { data = JSON.parse(text); } catch { /* keep text */ } }
    if (type === 'end') {
      closed = true;
      handlers.onEnd && handlers.onEnd(data);
      return true;
    }
    handlers.onEvent && handlers.onEvent(type, data, id);
    return false;
  };

  const run = async () => {
    while (!closed) {
      try {
        const extra = { Accept: 'text/event-stream' };
        if (lastId !== null) extra['Last-Event-ID'] = lastId;
        const res = await fetch(path, { headers: headers(extra), signal: controller.signal, cache: 'no-store' });
        if (res.status === 401) {
          if (await askToken()) continue;
          throw new ApiError(401, 'unauthorized', 'the server needs a token');
        }
        if (!res.ok) {
          const body = await parse(res).catch(() => null);
          throw new ApiError(res.status, body && body.error, body && body.message, body);
        }
        handlers.onOpen && handlers.onOpen();
        delay = 500;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let type = 'message';
        let data = [];
        let id = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const lines = buffer.split(/\r\n|\r|\n/);
          buffer = lines.pop();
          for (const line of lines) {
            if (line === '') {
              if (dispatch(type, data, id)) { controller.abort(); return; }
              type = 'message'; data = []; id = null;
            } else if (line.startsWith(':')) {
              // comment (keep-alive)
            } else {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              let value = colon < 0 ? '' : line.slice(colon + 1);
              if (value.startsWith(' ')) value = value.slice(1);
              if (field === 'event') type = value;
              else if (field === 'data') data.push(value);
              else if (field === 'id') id = value;
            }
          }
        }
      } catch (e) {
        if (closed || e.name === 'AbortError') return;
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
          closed = true;
          handlers.onError && handlers.onError(e);
          return;
        }
      }
      if (closed) return;
      // dropped: try again, a little later each time (at most every 5 s)
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  };
  run();
  return { close };
}

/** Downloads an artifact (with the token when there is one) under the given file name. */
export async function download(sha256, filename) {
  const res = await fetch(`/api/artifacts/${seg(sha256)}`, { headers: headers({ Accept: '*/*' }) });
  if (res.status === 401 && await askToken()) return download(sha256, filename);
  if (!res.ok) {
    const body = await parse(res).catch(() => null);
    throw new ApiError(res.status, body && body.error, body && body.message, body);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: filename || sha256 });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
