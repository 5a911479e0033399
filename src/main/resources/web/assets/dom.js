// DOM helpers. Text always goes in as text nodes or textContent — never as HTML — so whatever a log line, a
// process name or a model's answer contains is shown literally and never runs.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' || k === 'open') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** An HTML element: h('p', {class: 'x'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** "Signal 0042". */
export function signal(id) {
  return 'Signal ' + String(id).padStart(4, '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Just now", "5m ago", "3h ago" (under a day), else "Mar 4". */
export function relTime(iso, now = Date.now()) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const min = Math.floor((now - t) / 60000);
  if (min < 1) return 'Just now';
  if (min < 60) return min + 'm ago';
  if (min < 1440) return Math.floor(min / 60) + 'h ago';
  const d = new Date(t);
  return MONTHS[d.getMonth()] + ' ' + d.getDate();
}

function pad(n) { return String(n).padStart(2, '0'); }

/** Local "2026-03-04 10:05:07". */
export function exactTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** Local "10:05:07". */
export function clock(ms) {
  const d = new Date(ms);
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** "in 1h 58m" / "3m ago" for a future or past time. */
export function span(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  let sec = Math.round((t - now) / 1000);
  const future = sec >= 0;
  sec = Math.abs(sec);
  const d = Math.floor(sec / 86400), hh = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
  const text = d > 0 ? d + 'd ' + hh + 'h' : hh > 0 ? hh + 'h ' + m + 'm' : m > 0 ? m + 'm' : sec + 's';
  return future ? 'in ' + text : text + ' ago';
}

export function num(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number(v).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** MiB as "812 MB" or "3.4 GB". */
export function mb(v) {
  if (v === null || v === undefined) return '—';
  return v >= 1024 ? num(v / 1024, 1) + ' GB' : num(v, 0) + ' MB';
}

/** KB/s as "512 KB/s" or "3.2 MB/s". */
export function kbps(v) {
  if (v === null || v === undefined) return '—';
  return v >= 1024 ? num(v / 1024, 1) + ' MB/s' : num(v, 0) + ' KB/s';
}

export function capitalize(t) {
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
}

const toastTimer = { id: 0 };
/** A short message at the bottom of the screen, read out by screen readers. */
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.dataset.kind = kind;
  el.classList.add('show');
  clearTimeout(toastTimer.id);
  toastTimer.id = setTimeout(() => el.classList.remove('show'), 4200);
}

/** Reads a JSON value from localStorage, falling back to dflt. */
export function stored(key, dflt) {
  try {
    const v = localStorage.getItem(key);
    return v === null ? dflt : JSON.parse(v);
  } catch (e) {
    return dflt;
  }
}

export function store(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
}

export function debounce(fn, ms) {
  let id = 0;
  return (...args) => { clearTimeout(id); id = setTimeout(() => fn(...args), ms); };
}

export function reducedMotion() {
  return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}
