// The dashboard's JSON API. Writes are same-origin JSON requests (the server refuses anything else).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(r) {
  let body = null;
  const type = r.headers.get('Content-Type') || '';
  if (type.includes('application/json')) {
    try { body = await r.json(); } catch (e) { body = null; }
  }
  if (!r.ok) {
    const msg = body && typeof body.message === 'string' ? body.message : 'HTTP ' + r.status;
    throw new ApiError(r.status, msg);
  }
  return body;
}

function failure(e) {
  if (e instanceof ApiError || (e && e.name === 'AbortError')) return e;
  return new ApiError(0, 'Eyes did not answer (is it still running?)');
}

export async function get(path, options = {}) {
  try {
    const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: options.signal });
    return await answer(r);
  } catch (e) {
    throw failure(e);
  }
}

export async function send(method, path, body) {
  try {
    const r = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body || {}),
    });
    return await answer(r);
  } catch (e) {
    throw failure(e);
  }
}

export const post = (path, body) => send('POST', path, body);
export const del = (path) => send('DELETE', path, {});

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const t = q.toString();
  return t ? '?' + t : '';
}
