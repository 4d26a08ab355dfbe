// HTTP access to `tahadhari serve` (docs/api.md): bearer token from Settings on every call,
// JSON errors turned into plain words.
import { settings } from './settings.js';

// The dashboard is served at <base>/app/; the API lives at <base>/.
export const apiBase = (() => {
  const p = location.pathname;
  const i = p.indexOf('/app/');
  return i >= 0 ? p.slice(0, i + 1) : '/';
})();

export class ApiError extends Error {
  constructor(message, { status = 0, code = '', detail = '' } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

const PLAIN = {
  401: 'The server needs a valid token for this. Enter your token in Settings.',
  403: 'Your token is not allowed to do this (it needs the editor role).',
  404: 'Not found on the server.',
  413: 'That is too large for the server to accept.',
  501: 'This is not available in this build of tahadhari.',
};

export function url(path, params) {
  const u = new URL(path.replace(/^\//, ''), location.origin + apiBase);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '') continue;
      u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
  }
  return u;
}

/** Calls the API; resolves to parsed JSON (or null for 204). Rejects with ApiError. */
export async function api(path, { params, method = 'GET', body, contentType, signal, what } = {}) {
  const headers = { Accept: 'application/json, application/geo+json' };
  const token = settings.get('token');
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined && contentType) headers['Content-Type'] = contentType;
  const target = path instanceof URL ? path : url(path, params);
  let res;
  try {
    res = await fetch(target, { method, headers, body, signal, cache: 'no-store' });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the tahadhari server. Check that `tahadhari serve` is still running.',
      { status: 0 });
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) {
    const desc = json && typeof json.description === 'string' ? json.description : '';
    let msg = PLAIN[res.status] || (res.status >= 500
      ? 'The server ran into a problem.' : 'The server did not accept the request.');
    if (res.status === 400 && desc) msg = `The server did not accept a value: ${desc}`;
    else if (desc && res.status !== 400) msg += ` (${desc})`;
    if (what) msg = `${what}: ${msg}`;
    throw new ApiError(msg, { status: res.status, code: json?.code || '', detail: desc });
  }
  if (text && json === null) {
    throw new ApiError(`${what ? what + ': ' : ''}The server sent an answer that is not JSON.`, { status: res.status });
  }
  return json;
}
