// The System, Rules, Silences and Health pages.
import { h, replace, signal, exactTime, span, num, mb, kbps, capitalize, toast } from './dom.js';
import { get, post, del, query } from './api.js';
import * as live from './live.js';
import { resourceCharts } from './charts.js';
import { silenceFields, silenceBody } from './dialogs.js';

function head(title, sub, ...actions) {
  return h('section', { class: 'page-head' },
    h('div', null, h('h1', null, title), sub ? h('p', { class: 'sub' }, sub) : null),
    actions.length ? h('div', { class: 'head-actions' }, actions) : null);
}

function loading(text) {
  return h('div', { class: 'state loading', 'aria-busy': 'true' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

function failed(title, e, retry) {
  return h('div', { class: 'state error' }, h('h2', null, title), h('p', null, e.message),
    h('button', { type: 'button', class: 'btn', onclick: retry }, 'Try again'));
}

/** Re-runs fn every ms while the tab is visible. */
function every(ms, fn) {
  const id = setInterval(() => { if (document.visibilityState === 'visible') fn(); }, ms);
  return () => clearInterval(id);
}

// ---- System ---------------------------------------------------------------------------------------------------

export function systemPage(main) {
  const body = h('div', { class: 'charts large' }, loading('Loading the last hour…'));
  const note = h('p', { class: 'muted small' });
  const now = h('div', { class: 'cards' });
  replace(main, head('System', 'This machine over the last hour, as Eyes sampled it.'), now, body, note);
  let first = true;
  async function load() {
    try {
      const to = Date.now();
      const from = to - 3600 * 1000;
      const data = await get('/api/metrics/series' + query({ from: String(from), to: String(to) }));
      const m = data.metrics;
      const i = m.t.length - 1;
      const d = data.disk;
      const j = d.t.length - 1;
      replace(now,
        card('CPU', i >= 0 && m.cpu_usage_percent[i] !== null ? num(m.cpu_usage_percent[i], 0) + ' %' : '—'),
        card('Memory used', i >= 0 ? mb(m.memory_used_mb[i]) : '—'),
        card('Memory pressure', i >= 0 ? m.memory_pressure[i] : '—'),
        card('Disk', j >= 0 ? kbps(d.read_kb_per_sec[j]) + ' read · ' + kbps(d.write_kb_per_sec[j]) + ' write' : '—'),
        card('GPU', i >= 0 && m.gpu_usage_percent[i] !== null ? num(m.gpu_usage_percent[i], 0) + ' %' : '—'));
      // the history starts when Eyes starts: show the part of the hour that has samples (at least 2 minutes)
      const oldest = Math.min(...m.t.concat(d.t), to);
      const shown = Math.max(from, Math.min(oldest, to - 120000));
      replace(body, resourceCharts(data, shown, to, null, false));
      replace(note, 'Sampled every ' + num(data.interval_seconds, 0) + ' s. The history is kept in memory for ' +
        Math.round(data.retention_seconds / 60) + ' minutes; it starts when Eyes starts. Unavailable readings are gaps, never zeros.');
      first = false;
    } catch (e) {
      if (first) replace(body, failed('Signal interrupted', e, load));
    }
  }
  load();
  return every(10000, load);
}

function card(label, value) {
  return h('div', { class: 'card' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value));
}

// ---- Rules ------------------------------------------------------------------------------------------------------

export function rulesPage(main) {
  const count = h('span', { class: 'count-badge', 'aria-label': 'rules' }, '…');
  const refresh = h('button', { type: 'button', class: 'btn ghost' }, 'Refresh');
  const body = h('div', { class: 'table-wrap' }, loading('Loading rules…'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const field = (name, label, hint, type) => h('div', { class: 'field' }, h('label', { for: 'r-' + name }, label),
    h('input', { id: 'r-' + name, name, type: type || 'text', autocomplete: 'off', spellcheck: 'false', min: type === 'number' ? '1' : null }),
    hint ? h('span', { class: 'hint' }, hint) : null);
  const form = h('form', { class: 'form panel', novalidate: true },
    h('h2', null, 'New rule'),
    h('p', { class: 'hint' }, 'Future alerts whose log lines match go into the target alert’s group instead of starting their own. Give at least one of process, subsystem, source or rule, and a message regex. The first rule created wins.'),
    h('div', { class: 'grid3' },
      field('target_alert_id', 'Target alert', 'its signal number', 'number'),
      field('process', 'Process'), field('subsystem', 'Subsystem'),
      field('trigger_source', 'Source'), field('triggered_by', 'Rule', 'e.g. ErrorFrequencyRule'),
      field('message_regex', 'Message regex', 'Java regular expression')),
    error,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'btn primary' }, 'Create rule')));
  replace(main, head('Grouping rules', 'Rules that group future alerts under an existing one.', count, refresh), body, form);

  async function load() {
    try {
      const rules = await get('/api/auto-group-rules');
      count.textContent = String(rules.length);
      if (rules.length === 0) {
        replace(body, h('div', { class: 'state empty' }, h('h2', null, 'No automatic groups yet'),
          h('p', null, 'Create one below, or let an agent create one through the Eyes MCP server (create_auto_group_rule).')));
        return;
      }
      replace(body, h('table', { class: 'grid' },
        h('thead', null, h('tr', null, ['Order', 'Target', 'Selectors', 'Message regex', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rules.map((r) => h('tr', null,
          h('td', null, String(r.id)),
          h('td', { class: 'nowrap' }, signal(r.target_alert_id)),
          h('td', null, [['Process', r.process], ['Subsystem', r.subsystem], ['Source', r.trigger_source], ['Rule', r.triggered_by]]
            .filter(([, v]) => v).map(([k, v]) => h('span', { class: 'chip' }, k + ': ' + v))),
          h('td', { class: 'mono' }, r.message_regex),
          h('td', { class: 'nowrap' }, exactTime(r.created_at)),
          h('td', null, h('button', { type: 'button', class: 'btn small danger', 'aria-label': 'Delete rule ' + r.id, onclick: async (e) => {
            e.target.disabled = true;
            try { await del('/api/auto-group-rules/' + r.id); toast('Rule ' + r.id + ' deleted; the groups it made stay'); load(); }
            catch (err) { toast(err.message, 'error'); e.target.disabled = false; }
          } }, 'Delete')))))));
    } catch (e) {
      replace(body, failed('Signal interrupted', e, load));
    }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const b = {};
    for (const el of form.querySelectorAll('input[name]')) if (el.value.trim()) b[el.name] = el.value.trim();
    if (b.target_alert_id) b.target_alert_id = Number(b.target_alert_id);
    try {
      const r = await post('/api/auto-group-rules', b);
      form.reset();
      toast('Rule ' + r.id + ' created');
      load();
    } catch (err) {
      error.textContent = err.message;
    }
  });
  refresh.addEventListener('click', load);
  load();
  const off = [live.on('rules_changed', load), live.on('changed', load), live.on('reconnected', load)];
  return () => off.forEach((u) => u());
}

// ---- Silences -----------------------------------------------------------------------------------------------------

export function silencesPage(main) {
  const expired = h('input', { type: 'checkbox', role: 'switch', id: 'show-expired' });
  const body = h('div', { class: 'silences' }, loading('Loading silences…'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const fields = silenceFields({ duration: '2h' }, 'sp-');
  const form = h('form', { class: 'form panel', novalidate: true },
    h('h2', null, 'New silence'),
    h('p', { class: 'hint' }, 'Matching alerts are stored and shown, but not notified, until the silence ends or is expired. Set at least one matcher.'),
    fields, error,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'btn primary' }, 'Create silence')));
  replace(main, head('Silences', 'Quiet notifications for alerts you already know about.',
    h('label', { class: 'switch', for: 'show-expired' }, expired, h('span', { class: 'track', 'aria-hidden': 'true' }), 'Show expired')),
  body, form);

  async function load() {
    try {
      const list = await get('/api/silences' + query({ include_expired: expired.checked ? 'true' : '' }));
      if (list.length === 0) {
        replace(body, h('div', { class: 'state empty' }, h('h2', null, 'No silences'),
          h('p', null, expired.checked ? 'None was ever created.' : 'Every alert is notified as configured. Create one below, or with “Silence like this” on an alert.')));
        return;
      }
      replace(body, h('ul', { class: 'silence-list' }, list.map((x) => h('li', { class: 'panel silence st-' + x.state },
        h('div', { class: 'top-line' },
          h('span', { class: 'badge st-' + x.state }, capitalize(x.state)),
          h('strong', null, 'Silence ' + x.id),
          h('span', { class: 'muted' }, x.state === 'pending' ? 'starts ' + span(x.starts_at) + ', ends ' + exactTime(x.ends_at)
            : x.state === 'active' ? 'ends ' + span(x.ends_at) + ' (' + exactTime(x.ends_at) + ')'
              : 'ended ' + exactTime(x.expired_at || x.ends_at)),
          x.state !== 'expired' ? h('button', { type: 'button', class: 'btn small', 'aria-label': 'Expire silence ' + x.id, onclick: async (e) => {
            e.target.disabled = true;
            try { await del('/api/silences/' + x.id); toast('Silence ' + x.id + ' expired'); load(); }
            catch (err) { toast(err.message, 'error'); e.target.disabled = false; }
          } }, 'Expire now') : null),
        h('div', { class: 'matchers' }, [['Rule', x.rule], ['Source', x.source], ['Process', x.process], ['Subsystem', x.subsystem],
          ['At least', x.minimum_severity], ['Message', x.message_regex]].filter(([, v]) => v).map(([k, v]) => h('span', { class: 'chip' }, k + ': ' + v))),
        x.comment ? h('p', null, x.comment) : null,
        h('p', { class: 'muted small' }, 'By ' + x.created_by + ', ' + exactTime(x.created_at) + ' · ' + x.silenced_alerts + ' alert' + (x.silenced_alerts === 1 ? '' : 's') + ' silenced')))));
    } catch (e) {
      replace(body, failed('Signal interrupted', e, load));
    }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      const x = await post('/api/silences', silenceBody(form));
      form.reset();
      toast('Silence ' + x.id + ' created, until ' + exactTime(x.ends_at));
      load();
    } catch (err) {
      error.textContent = err.message;
    }
  });
  expired.addEventListener('change', load);
  load();
  const off = [live.on('silences_changed', load), live.on('changed', load), live.on('reconnected', load), every(30000, load)];
  return () => off.forEach((u) => u());
}

// ---- Health -------------------------------------------------------------------------------------------------------

export function healthPage(main) {
  const body = h('div', { class: 'health' }, loading('Checking…'));
  const refresh = h('button', { type: 'button', class: 'btn ghost' }, 'Refresh');
  replace(main, head('Health', 'How Eyes itself is doing: its sources, the AI backend, its queues.', refresh), body);
  async function load() {
    try {
      const x = await get('/api/health');
      replace(body,
        h('div', { class: 'overall st-' + x.status },
          h('strong', null, { ok: 'Everything works', degraded: 'Working, with problems', failing: 'Failing' }[x.status] || x.status),
          h('span', { class: 'muted' }, ' · checked ' + exactTime(x.checked_at))),
        x.problems.length ? h('ul', { class: 'problems' }, x.problems.map((p) => h('li', { class: 'lvl-' + p.level }, p.message))) : null,
        h('section', { class: 'panel' }, h('h2', null, 'Sources'),
          h('table', { class: 'grid' },
            h('thead', null, h('tr', null, ['Source', 'State', 'Details', 'Restarts', 'Since'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, x.sources.map((s) => h('tr', null, h('td', { class: 'mono' }, s.name),
              h('td', null, h('span', { class: 'badge st-' + s.state }, capitalize(s.state))),
              h('td', null, s.reason || ''), h('td', null, String(s.restarts)), h('td', { class: 'nowrap' }, exactTime(s.since))))))),
        h('div', { class: 'health-grid' },
          x.ai ? h('section', { class: 'panel' }, h('h2', null, 'AI backend'),
            h('p', null, h('span', { class: 'badge st-' + (x.ai.ready ? 'running' : x.ai.reachable ? 'degraded' : 'unavailable') },
              x.ai.ready ? 'Ready' : x.ai.reachable ? 'Not ready' : 'Not reachable'), ' ', x.ai.backend + ' · ' + x.ai.model),
            h('p', { class: 'small' }, x.ai.message),
            dl([['Address', x.ai.target], ['Checked', exactTime(x.ai.checked_at)], ['Automatic analysis', x.ai.automatic_analysis ? 'on' : 'off (use Analyze now)'],
              ['Running', x.ai.running + ' of ' + x.ai.max_concurrent], ['Waiting', String(x.ai.queued)], ['Waiting to retry', String(x.ai.retrying)],
              ['Analysed since start', String(x.ai.analyzed)], ['Failed since start', String(x.ai.failed)]])) : null,
          x.alerts ? h('section', { class: 'panel' }, h('h2', null, 'Alerts'),
            dl([['Notifiers', x.alerts.notifiers.length ? x.alerts.notifiers.join(', ') : 'none (alerts are stored, not sent)'],
              ['Queued', x.alerts.queued + ' of ' + x.alerts.queue_size], ['Being delivered', String(x.alerts.in_flight)],
              ['Delivered in the last minute', x.alerts.delivered_last_minute + ' (limit ' + x.alerts.rate_limit_per_minute + ')'],
              ['Delivered', String(x.alerts.delivered)], ['Delivery failed', String(x.alerts.delivery_failed)],
              ['Not sent', String(x.alerts.suppressed)], ['Silenced', String(x.alerts.silenced)], ['Dropped', String(x.alerts.dropped)]])) : null,
          x.store ? h('section', { class: 'panel' }, h('h2', null, 'Store'),
            dl([['Database', x.store.path], ['Writing', x.store.writing ? 'yes' : 'failing'], ['Waiting writes', String(x.store.backlog)],
              ['Triggers stored', String(x.store.stored_triggers)], ['Failed writes', String(x.store.failed_writes)],
              ['Last error', x.store.last_error ? x.store.last_error + ' (' + exactTime(x.store.last_error_at) + ')' : 'none']])) : null,
          x.pipeline ? h('section', { class: 'panel' }, h('h2', null, 'Pipeline'),
            dl([['Event queue', x.pipeline.queue_depth + ' of ' + x.pipeline.queue_capacity], ['Log events read', num(x.pipeline.accepted_events, 0)],
              ['Samples dropped', String(x.pipeline.dropped_samples)], ['Dashboards watching', String(x.web ? x.web.live_clients : 0)]])) : null));
    } catch (e) {
      replace(body, failed('Signal interrupted', e, load));
    }
  }
  refresh.addEventListener('click', load);
  load();
  const off = [live.on('health', load), live.on('reconnected', load), every(10000, load)];
  return () => off.forEach((u) => u());
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}
