// The live feed (Server-Sent Events from /api/stream). Pages subscribe by event type; the pill in the header
// says whether the feed is connected. EventSource reconnects by itself and the server replays what was missed
// (or sends `reset`); after a reconnect pages are told to reload what they show.

const TYPES = ['candidate', 'analysis_started', 'analysis_text', 'analysis_finished', 'analysis_failed',
  'analysis_skipped', 'alert_status', 'alert_updated', 'silences_changed', 'rules_changed', 'health', 'changed',
  'reset'];

const subscribers = new Map();
let source = null;
let wasOpen = false;
let lostAt = 0;

export function on(type, fn) {
  if (!subscribers.has(type)) subscribers.set(type, new Set());
  subscribers.get(type).add(fn);
  return () => subscribers.get(type).delete(fn);
}

function dispatch(type, data) {
  const set = subscribers.get(type);
  if (!set) return;
  for (const fn of set) {
    try { fn(data); } catch (e) { console.warn('live handler failed', type, e); }
  }
}

function pill(state, text) {
  const el = document.getElementById('feed');
  if (!el) return;
  el.dataset.state = state;
  el.querySelector('.pill-text').textContent = text;
  el.title = state === 'live' ? 'Changes appear here as they happen' : 'The live feed is not connected; Eyes keeps trying';
}

export function connect() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/stream');
  for (const t of TYPES) {
    source.addEventListener(t, (e) => {
      let data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      dispatch(t, data);
    });
  }
  source.onopen = () => {
    pill('live', 'Live');
    if (wasOpen && lostAt) dispatch('reconnected', {});
    wasOpen = true;
    lostAt = 0;
  };
  source.onerror = () => {
    if (!lostAt) lostAt = Date.now();
    pill('lost', source.readyState === EventSource.CLOSED ? 'Offline' : 'Reconnecting…');
    if (source.readyState === EventSource.CLOSED) {
      // the server refused (e.g. stopping): try again later
      source = null;
      setTimeout(connect, 5000);
    }
  };
}
