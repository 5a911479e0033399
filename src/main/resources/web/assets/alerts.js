// The Alerts page: counters, filters, the sortable and paged table of alert groups, details on expand, the
// triage actions, and live updates (new alerts, status changes, analysis text as it streams).
import { h, replace, clear, signal, relTime, exactTime, num, mb, kbps, capitalize, toast, stored, store, debounce, reducedMotion } from './dom.js';
import { get, post, query } from './api.js';
import * as live from './live.js';
import { resourceCharts, seriesFromEvents } from './charts.js';
import { silenceDialog, textDialog } from './dialogs.js';

const SIZES = [5, 10, 20, 50];
const SEVERITIES = [['', 'All signals', 'total'], ['critical', 'Critical', 'critical'], ['warning', 'Warning', 'warning'], ['info', 'Informational', 'info']];
const STATUSES = [['', 'Any analysis'], ['pending', 'Pending'], ['analyzed', 'Analyzed'], ['failed', 'Failed'], ['not_done', 'Not done']];
const SORTS = { severity: 'desc', summary: 'asc', status: 'asc', updated_at: 'desc' };
const COLLAPSE_MS = 380;
const LIVE_TEXT_MAX = 32 * 1024;

export function alertsPage(main) {
  const params = new URLSearchParams(location.search);
  const state = {
    page: Math.max(1, parseInt(params.get('page') || '1', 10) || 1),
    pageSize: SIZES.includes(stored('eyes.alerts.pageSize', 10)) ? stored('eyes.alerts.pageSize', 10) : 10,
    sort: params.get('sort') || 'updated_at',
    order: params.get('order') || 'desc',
    showResolved: stored('eyes.alerts.showResolved', false) === true,
    severity: params.get('severity') || '',
    status: params.get('status') || '',
    q: params.get('q') || '',
    rule: params.get('rule') || '',
    source: params.get('source') || '',
    data: null,
    loading: false,
    error: null,
    expanded: new Set(),
    details: new Map(), // id → {updated, data, el (the detail row), body}
    rows: new Map(), // id → {key, el}: rows whose data did not change are kept (focus, hover and clicks survive)
    live: new Map(), // id → {attempt, backend, model, text, retry}
    known: null, // ids shown before, to mark new rows
    seq: 0,
  };

  // ---- skeleton ----------------------------------------------------------------------------------------------
  const counters = h('div', { class: 'counters', role: 'group', 'aria-label': 'Filter by severity' });
  const search = h('input', { type: 'search', id: 'q', placeholder: 'Search summaries, causes, sources…', value: state.q, 'aria-label': 'Search alerts', autocomplete: 'off' });
  const status = h('select', { id: 'status-filter', 'aria-label': 'Analysis status' }, STATUSES.map(([v, t]) => h('option', { value: v, selected: v === state.status }, t)));
  const resolved = h('input', { type: 'checkbox', role: 'switch', id: 'show-resolved', checked: state.showResolved });
  const sizes = h('select', { id: 'page-size', 'aria-label': 'Rows per page' }, SIZES.map((n) => h('option', { value: n, selected: n === state.pageSize }, n + ' rows')));
  const chips = h('div', { class: 'chips' });
  const refresh = h('button', { type: 'button', class: 'btn ghost', id: 'refresh' }, 'Refresh');
  const tableWrap = h('div', { class: 'table-wrap', 'aria-live': 'off' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });

  replace(main,
    h('section', { class: 'page-head' },
      h('div', null, h('h1', null, 'Alerts'), h('p', { class: 'sub' }, 'What Eyes noticed on this machine, and what it thinks caused it.')),
      h('div', { class: 'head-actions' }, refresh)),
    counters,
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field grow' }, search),
      h('div', { class: 'field' }, status),
      h('label', { class: 'switch', for: 'show-resolved' }, resolved, h('span', { class: 'track', 'aria-hidden': 'true' }), 'Show resolved'),
      h('div', { class: 'field' }, sizes)),
    chips,
    tableWrap,
    pager);

  // ---- fetching ----------------------------------------------------------------------------------------------
  function url() {
    return '/api/alerts' + query({
      page: state.page, page_size: state.pageSize, sort: state.sort, order: state.order,
      show_resolved: state.showResolved ? 'true' : '', severity: state.severity, status: state.status,
      q: state.q, rule: state.rule, source: state.source,
    });
  }

  function syncUrl() {
    const p = query({ page: state.page > 1 ? state.page : '', sort: state.sort !== 'updated_at' ? state.sort : '',
      order: state.sort !== 'updated_at' || state.order !== 'desc' ? state.order : '', severity: state.severity,
      status: state.status, q: state.q, rule: state.rule, source: state.source });
    window.history.replaceState(null, '', location.pathname + p);
  }

  async function load() {
    const seq = ++state.seq;
    state.loading = true;
    if (!state.data) renderTable();
    try {
      const data = await get(url());
      if (seq !== state.seq) return;
      if (data.total_pages > 0 && state.page > data.total_pages) {
        state.page = data.total_pages; // past the end (e.g. after resolving the last row): the last page
        return load();
      }
      state.data = data;
      state.error = null;
      const shown = new Set(data.alerts.map((a) => a.id));
      for (const id of [...state.expanded]) if (!shown.has(id)) state.expanded.delete(id);
    } catch (e) {
      if (seq !== state.seq) return;
      state.error = e.message;
    } finally {
      if (seq === state.seq) state.loading = false;
    }
    if (seq !== state.seq) return;
    syncUrl();
    render();
    for (const id of state.expanded) refreshDetail(id);
  }
  const reload = debounce(load, 120);

  // ---- rendering -------------------------------------------------------------------------------------------
  function render() {
    renderCounters();
    renderChips();
    renderTable();
    renderPager();
  }

  function renderCounters() {
    const c = state.data ? state.data.counts : null;
    replace(counters, SEVERITIES.map(([sev, label, key]) => h('button', {
      type: 'button', class: 'counter c-' + (sev || 'all'), 'aria-pressed': String(state.severity === sev),
      onclick: () => { state.severity = sev; state.page = 1; load(); },
    }, h('span', { class: 'n' }, c ? num(c[key], 0) : '—'), h('span', { class: 'label' }, label))));
  }

  function renderChips() {
    const active = [];
    if (state.rule) active.push(['rule', 'Rule: ' + state.rule]);
    if (state.source) active.push(['source', 'Source: ' + state.source]);
    replace(chips, active.map(([k, t]) => h('button', { type: 'button', class: 'chip removable', 'aria-label': 'Remove filter ' + t,
      onclick: () => { state[k] = ''; state.page = 1; load(); } }, t, h('span', { 'aria-hidden': 'true' }, ' ×'))));
  }

  function header(key, label, cls) {
    const active = state.sort === key;
    const dir = active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return h('th', { scope: 'col', class: cls, 'aria-sort': dir },
      h('button', { type: 'button', class: 'sort' + (active ? ' active' : ''), dataset: { focusKey: 's' + key }, onclick: () => {
        if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
        else { state.sort = key; state.order = SORTS[key]; }
        state.page = 1;
        load();
      } }, label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (state.order === 'asc' ? '↑' : '↓') : '↕')));
  }

  function renderTable() {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
    if (state.error && !state.data) {
      replace(tableWrap, h('div', { class: 'state error' }, h('h2', null, 'Signal interrupted'),
        h('p', null, state.error), h('button', { type: 'button', class: 'btn', onclick: load }, 'Try again')));
      return;
    }
    if (!state.data) {
      replace(tableWrap, h('div', { class: 'state loading', 'aria-busy': 'true' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading alerts…'));
      return;
    }
    const rows = state.data.alerts;
    if (rows.length === 0) {
      const filtered = state.severity || state.status || state.q || state.rule || state.source;
      replace(tableWrap, h('div', { class: 'state empty' },
        h('h2', null, filtered ? 'No alerts match' : 'All quiet for now'),
        h('p', null, filtered ? 'Nothing matches these filters.' : state.showResolved
          ? 'Eyes has not raised any alert yet. It keeps watching.'
          : 'No open alerts. Resolved ones are hidden; switch on “Show resolved” to see them.'),
        filtered ? h('button', { type: 'button', class: 'btn', onclick: () => {
          Object.assign(state, { severity: '', status: '', q: '', rule: '', source: '', page: 1 });
          search.value = ''; status.value = ''; load();
        } }, 'Clear filters') : null));
      return;
    }
    const ids = new Set(rows.map((a) => a.id));
    const desired = [];
    const arrived = [];
    const keep = new Map();
    for (const a of rows) {
      const isNew = state.known !== null && !state.known.has(a.id);
      if (isNew) arrived.push(a);
      const key = JSON.stringify(a) + '|' + state.expanded.has(a.id) + '|' + state.live.has(a.id);
      const old = state.rows.get(a.id);
      const tr = old && old.key === key ? old.el : row(a, isNew);
      if (old && old.key === key) tr.querySelector('.rel').textContent = relTime(a.updated_at);
      keep.set(a.id, { key, el: tr });
      desired.push(tr);
      if (state.expanded.has(a.id)) desired.push(detailRow(a.id).el);
    }
    state.rows = keep;
    state.known = new Set([...(state.known || []), ...ids]);
    if (arrived.length === 1) toast('New alert: ' + arrived[0].summary.slice(0, 140), 'new');
    else if (arrived.length > 1) toast(arrived.length + ' new alerts', 'new');
    // one table, kept: its rows are moved only when out of place, so focus, hover and a click in progress survive
    if (!state.table) {
      state.thead = h('thead');
      state.tbody = h('tbody');
      state.table = h('table', { class: 'alerts' },
        h('caption', { class: 'sr-only' }, 'Alert groups; select an alert to see its details'), state.thead, state.tbody);
    }
    state.table.className = 'alerts' + (state.loading ? ' busy' : '');
    replace(state.thead, h('tr', null,
      header('severity', 'Severity', 'c-sev'), header('summary', 'Alert', 'c-alert'), header('status', 'State', 'c-state'),
      h('th', { scope: 'col', class: 'c-conf' }, 'Confidence'), header('updated_at', 'Latest activity', 'c-time')));
    const wanted = new Set(desired);
    for (const child of [...state.tbody.children]) if (!wanted.has(child)) child.remove();
    let ref = state.tbody.firstChild;
    for (const el of desired) {
      if (el === ref) ref = ref.nextSibling;
      else state.tbody.insertBefore(el, ref);
    }
    const note = state.error ? h('p', { class: 'inline-error', role: 'alert' }, 'Could not refresh: ' + state.error) : null;
    if (!state.table.isConnected || tableWrap.firstChild !== (note || state.table)) replace(tableWrap, note, state.table);
    if (focused && !tableWrap.contains(document.activeElement)) {
      const el = tableWrap.querySelector('[data-focus-key="' + CSS.escape(focused) + '"]');
      if (el) el.focus({ preventScroll: true });
    }
  }

  function row(a, isNew) {
    const open = state.expanded.has(a.id);
    const liveNow = a.analysis_live || state.live.has(a.id);
    const source = a.trigger_source || a.triggered_by;
    const tr = h('tr', { class: ['row', 'sev-' + a.severity, open && 'open', isNew && 'new', a.resolution_status === 'resolved' && 'resolved'], dataset: { id: a.id } },
      h('td', { class: 'c-sev' }, badge(a.severity)),
      h('td', { class: 'c-alert' },
        h('button', { type: 'button', class: 'expander', 'aria-expanded': String(open), 'aria-controls': 'detail-' + a.id,
          dataset: { focusKey: 'x' + a.id }, onclick: (e) => { e.stopPropagation(); toggle(a.id); } },
          h('span', { class: 'summary' }, a.summary)),
        h('div', { class: 'meta' },
          a.similar_alert_count > 0 ? h('span', { class: 'chip similar' }, '+' + a.similar_alert_count + ' similar') : null,
          a.acknowledged ? h('span', { class: 'chip ack', title: 'Acknowledged by ' + (a.acknowledged_by || '') }, 'Acknowledged') : null,
          h('span', { class: 'where' }, source + ' · ' + signal(a.id)))),
      h('td', { class: 'c-state' },
        h('div', { class: 'states' }, analysisBadge(a.analysis_status, liveNow),
          h('span', { class: 'res res-' + a.resolution_status }, capitalize(a.resolution_status))),
        a.status ? h('div', { class: 'alert-status', title: a.status_reason || '' }, statusText(a.status)) : null),
      h('td', { class: 'c-conf' }, confidence(a)),
      h('td', { class: 'c-time' }, h('span', { class: 'rel' }, relTime(a.updated_at)), h('span', { class: 'exact' }, exactTime(a.updated_at))));
    tr.addEventListener('click', (e) => {
      if (e.target.closest('button, a, input, select, textarea')) return;
      if (window.getSelection && String(window.getSelection()).length > 0) return;
      toggle(a.id);
    });
    return tr;
  }

  function renderPager() {
    clear(pager);
    if (!state.data || state.data.groups_total === 0) return;
    const d = state.data;
    const a = (d.page - 1) * d.page_size + 1;
    const b = Math.min(d.groups_total, d.page * d.page_size);
    const list = h('ul', { class: 'pages' });
    for (const p of pageList(d.page, d.total_pages)) {
      list.appendChild(h('li', null, p === '…' ? h('span', { class: 'gap', 'aria-hidden': 'true' }, '…')
        : h('button', { type: 'button', class: 'page' + (p === d.page ? ' current' : ''), 'aria-current': p === d.page ? 'page' : null,
          'aria-label': 'Page ' + p, dataset: { focusKey: 'p' + p }, onclick: () => { state.page = p; load(); } }, String(p))));
    }
    pager.append(
      h('span', { class: 'range' }, a + '–' + b + ' of ' + num(d.groups_total, 0) + ' group' + (d.groups_total === 1 ? '' : 's') +
        ' · ' + num(d.counts.total, 0) + ' signal' + (d.counts.total === 1 ? '' : 's')),
      h('button', { type: 'button', class: 'btn ghost small', disabled: d.page <= 1, onclick: () => { state.page--; load(); } }, '‹ Previous'),
      list,
      h('button', { type: 'button', class: 'btn ghost small', disabled: d.page >= d.total_pages, onclick: () => { state.page++; load(); } }, 'Next ›'));
  }

  // ---- details -----------------------------------------------------------------------------------------------
  function toggle(id) {
    const tr = tableWrap.querySelector('tr.row[data-id="' + id + '"]');
    if (state.expanded.has(id)) {
      state.expanded.delete(id);
      const d = state.details.get(id);
      if (tr) { tr.classList.remove('open'); tr.querySelector('.expander').setAttribute('aria-expanded', 'false'); }
      if (d && d.el.isConnected) {
        d.el.classList.add('closing');
        setTimeout(() => { if (!state.expanded.has(id)) { d.el.remove(); d.el.classList.remove('closing'); } }, reducedMotion() ? 0 : COLLAPSE_MS);
      }
      return;
    }
    state.expanded.add(id);
    if (tr) {
      tr.classList.add('open');
      tr.querySelector('.expander').setAttribute('aria-expanded', 'true');
      tr.after(detailRow(id).el);
    }
    refreshDetail(id);
  }

  function detailRow(id) {
    let d = state.details.get(id);
    if (!d) {
      const body = h('div', { class: 'detail-body' }, h('p', { class: 'state loading small' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading details…'));
      const el = h('tr', { class: 'detail', id: 'detail-' + id }, h('td', { colspan: '5' }, body));
      d = { updated: null, data: null, el, body, seq: 0 };
      state.details.set(id, d);
    }
    return d;
  }

  async function refreshDetail(id) {
    const d = detailRow(id);
    const seq = ++d.seq;
    try {
      const a = await get('/api/alerts/' + id);
      if (seq !== d.seq || !state.expanded.has(id)) return;
      if (a.live_analysis && !state.live.has(id)) {
        state.live.set(id, { attempt: a.live_analysis.attempt, backend: a.live_analysis.backend, model: a.live_analysis.model,
          text: a.live_analysis.text || '', retry: a.live_analysis.retry_reason });
      }
      if (d.updated === a.updated_at && d.data && d.data.analysis_status === a.analysis_status && !state.live.has(id)) return;
      d.updated = a.updated_at;
      d.data = a;
      renderDetail(id);
    } catch (e) {
      if (seq !== d.seq) return;
      replace(d.body, h('div', { class: 'state error small' }, h('p', null, 'Could not load this alert: ' + e.message),
        h('button', { type: 'button', class: 'btn small', onclick: () => refreshDetail(id) }, 'Try again')));
    }
  }

  function renderDetail(id) {
    const d = state.details.get(id);
    if (!d || !d.data) return;
    const a = d.data;
    const focusedAction = d.body.contains(document.activeElement) && document.activeElement.dataset
      ? document.activeElement.dataset.action : null;
    const notice = h('p', { class: 'action-note', role: 'status', 'aria-live': 'polite' });
    replace(d.body,
      actions(a, notice),
      notice,
      livePanel(a),
      h('div', { class: 'detail-grid' },
        assessment(a),
        why(a),
        delivery(a),
        chartsSection(a),
        evidence(a),
        reviews(a),
        historySection(a)),
      similar(a));
    if (focusedAction) {
      const b = d.body.querySelector('[data-action="' + focusedAction + '"]');
      if (b) b.focus({ preventScroll: true });
    }
  }

  function actions(a, notice) {
    const bar = h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions for ' + signal(a.id) });
    const run = async (btn, busyText, fn) => {
      const label = btn.textContent;
      btn.disabled = true;
      btn.textContent = busyText;
      notice.textContent = '';
      notice.className = 'action-note';
      try {
        await fn();
      } catch (e) {
        notice.textContent = e.message;
        notice.className = 'action-note error';
      } finally {
        btn.disabled = false;
        btn.textContent = label;
      }
    };
    if (a.analysis_status === 'failed' || a.analysis_status === 'not_done') {
      const b = h('button', { type: 'button', class: 'btn primary', dataset: { action: 'analyze' } }, 'Analyze now');
      b.addEventListener('click', () => run(b, 'Queueing…', async () => {
        await post('/api/alerts/' + a.id + '/analyze', {});
        // the live feed may have announced its start before this answer arrived: keep what it said
        if (!state.live.has(a.id)) state.live.set(a.id, { attempt: 0, backend: '', model: '', text: '', retry: null });
        a.analysis_status = 'pending';
        a.analysis_failure = null;
        renderDetail(a.id);
        updateRowState(a.id, 'pending', true);
      }));
      bar.appendChild(b);
    }
    if (a.resolution_status === 'open') {
      const r = h('button', { type: 'button', class: 'btn', dataset: { action: 'resolve' } }, 'Resolve…');
      r.addEventListener('click', () => textDialog({
        title: 'Resolve ' + signal(a.id), label: 'What was done, or why it needs nothing', placeholder: 'e.g. Restarted the upstream; errors stopped',
        confirm: 'Resolve', required: false,
        submit: async (text) => {
          await post('/api/alerts/' + a.id + '/resolve', { resolution: text || 'Resolved from the dashboard' });
          toast(signal(a.id) + ' resolved');
          load();
        },
      }));
      bar.appendChild(r);
      if (!a.acknowledged) {
        const k = h('button', { type: 'button', class: 'btn', dataset: { action: 'acknowledge' } }, 'Acknowledge…');
        k.addEventListener('click', () => textDialog({
          title: 'Acknowledge ' + signal(a.id), label: 'Note (optional)', placeholder: 'e.g. Looking into it',
          confirm: 'Acknowledge', required: false,
          hint: 'The group stays visible, but Eyes does not notify about it again until it is resolved or something more severe joins it.',
          submit: async (text) => {
            await post('/api/alerts/' + a.id + '/acknowledge', { note: text || null });
            toast(signal(a.id) + ' acknowledged');
            load();
          },
        }));
        bar.appendChild(k);
      }
    }
    const sl = h('button', { type: 'button', class: 'btn', dataset: { action: 'silence' } }, 'Silence like this…');
    sl.addEventListener('click', () => silenceDialog(prefill(a), (silence) => {
      toast('Silence ' + silence.id + ' created: matching alerts stay quiet until ' + exactTime(silence.ends_at));
    }));
    bar.appendChild(sl);
    return bar;
  }

  function prefill(a) {
    const first = (a.log_events || [])[0];
    return {
      rule: a.triggered_by || '',
      source: a.trigger_source || '',
      process: first ? first.process : '',
      comment: 'Like ' + signal(a.id) + ': ' + (a.summary || '').slice(0, 120),
    };
  }

  function livePanel(a) {
    const lv = state.live.get(a.id);
    if (a.analysis_status !== 'pending' && !lv) return null;
    const text = h('pre', { class: 'stream', tabindex: '0', 'aria-label': 'The model’s answer so far' }, lv ? lv.text : '');
    const head = lv && lv.backend
      ? 'Analyzing with ' + lv.backend + (lv.model ? ' (' + lv.model + ')' : '') + (lv.attempt > 1 ? ' · attempt ' + lv.attempt : '') + '…'
      : 'Waiting for the analysis to start…';
    const panel = h('section', { class: 'live-analysis', 'aria-label': 'Analysis in progress', dataset: { live: a.id } },
      h('h3', null, h('span', { class: 'pulse', 'aria-hidden': 'true' }), h('span', { class: 'live-head' }, head)),
      lv && lv.retry ? h('p', { class: 'retry' }, 'The last attempt failed: ' + lv.retry + '. Trying again.') : null,
      text);
    return panel;
  }

  function why(a) {
    return section('Why it fired', 'why',
      h('p', { class: 'reason' }, a.trigger_reason),
      h('dl', { class: 'facts' },
        fact('Rule', a.triggered_by, () => { state.rule = a.triggered_by; state.page = 1; load(); }),
        fact('Source', a.trigger_source || 'System-wide', a.trigger_source ? () => { state.source = a.trigger_source; state.page = 1; load(); } : null),
        fact('Expected severity', capitalize(a.expected_severity)),
        fact('Triggered', exactTime(a.created_at)),
        fact('Observed', a.log_event_count + ' log line' + (a.log_event_count === 1 ? '' : 's') + ', ' + a.metrics_event_count + ' metric and ' + a.disk_event_count + ' disk sample' + (a.disk_event_count === 1 ? '' : 's'))));
  }

  function fact(label, value, filter) {
    return h('div', null, h('dt', null, label), h('dd', null, value,
      filter ? h('button', { type: 'button', class: 'link small', title: 'Show only alerts with this ' + label.toLowerCase(), onclick: filter }, 'filter') : null));
  }

  function assessment(a) {
    if (a.analysis_status !== 'analyzed') {
      const icon = { pending: '…', failed: '!', not_done: '—' }[a.analysis_status] || '?';
      const text = {
        pending: 'The analysis is running or waiting for its turn.',
        failed: 'The analysis failed' + (a.analysis_failure ? ': ' + a.analysis_failure : '.'),
        not_done: a.analysis_failure || 'Not analysed.',
      }[a.analysis_status] || a.analysis_failure || '';
      return section('Assessment', 'assessment',
        h('div', { class: 'callout c-' + a.analysis_status }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon),
          h('div', null, h('strong', null, analysisLabel(a.analysis_status)), h('p', null, text))));
    }
    return section('Assessment', 'assessment',
      h('p', { class: 'lead' }, a.summary),
      h('h4', null, 'Root cause'),
      h('p', { class: a.root_cause ? '' : 'muted' }, a.root_cause || 'No root cause is supported by the evidence.'),
      list('Recommendations', a.recommendations, 'ol', 'No action recommended.'),
      list('Supporting evidence', a.evidence, 'ul', null),
      h('div', { class: 'confidences' },
        h('div', null, h('span', { class: 'k' }, 'Observation confidence'), meter(a.observation_confidence), h('span', { class: 'v' }, a.observation_confidence)),
        h('div', null, h('span', { class: 'k' }, 'Diagnosis confidence'), meter(a.diagnosis_confidence), h('span', { class: 'v' }, a.diagnosis_confidence))),
      list('Limitations', a.limitations, 'ul', null),
      a.analysis ? h('p', { class: 'muted small' }, 'By ' + a.analysis.backend + ' (' + a.analysis.model + ') in ' +
        (a.analysis.latency_ms < 1000 ? num(a.analysis.latency_ms, 0) + ' ms' : num(a.analysis.latency_ms / 1000, 1) + ' s') +
        ', attempt ' + a.analysis.attempts +
        (a.analysis.redaction_count ? ', ' + a.analysis.redaction_count + ' secret(s) redacted before sending' : '') + '.') : null);
  }

  function chartsSection(a) {
    const cached = state.details.get(a.id);
    if (cached && cached.charts) return cached.charts; // kept across live re-renders: no flicker, no refetch
    const box = h('div', { class: 'charts small' }, h('p', { class: 'state loading small' }, 'Loading charts…'));
    const t = Date.parse(a.created_at);
    const from = t - 10 * 60000, to = t + 5 * 60000;
    get('/api/metrics/series' + query({ from: String(from), to: String(Math.min(to, Date.now())) })).then((data) => {
      let src = data, f = from, tt = to;
      const have = data.metrics.t.concat(data.disk.t);
      if (have.length > 0) {
        // around the alert, where there are samples (the history starts when Eyes starts)
        const lo = Math.min(Math.min(...have), t), hi = Math.max(Math.max(...have), t);
        const pad = Math.max(15000, (hi - lo) * 0.04);
        f = Math.max(from, lo - pad);
        tt = Math.min(to, hi + pad);
      } else {
        // older than the in-memory history: the samples stored with the alert
        src = seriesFromEvents(a.metrics_events, a.disk_events);
        const all = src.metrics.t.concat(src.disk.t);
        if (all.length === 0) {
          box.className = 'charts-note';
          replace(box, h('p', { class: 'muted' }, 'No resource samples around this alert: none were stored with it, and the in-memory history (the last hour since Eyes started) does not reach back to it.'));
          return;
        }
        f = Math.min(...all, t) - 30000;
        tt = Math.max(...all, t) + 30000;
      }
      replace(box, resourceCharts(src, f, tt, t, true));
    }).catch((e) => replace(box, h('p', { class: 'inline-error' }, 'Charts unavailable: ' + e.message)));
    const el = section('Around this alert', 'around', box);
    if (cached) cached.charts = el;
    return el;
  }

  function evidence(a) {
    const logs = a.log_events || [];
    const metrics = a.metrics_events || [];
    const disks = a.disk_events || [];
    const apps = [...new Set(logs.map((l) => l.process).filter(Boolean))];
    if (logs.length + metrics.length + disks.length === 0) {
      return section('Evidence', 'evidence', h('p', { class: 'muted' }, 'Evidence was not captured for this older alert.'));
    }
    const lastM = metrics[metrics.length - 1];
    const latestDisk = new Map();
    for (const e of disks) latestDisk.set(e.disk_name, e);
    return section('Evidence', 'evidence',
      apps.length ? h('div', { class: 'apps' }, h('span', { class: 'k' }, 'Affected'), apps.map((p) => h('span', { class: 'chip' }, p))) : null,
      logs.length ? h('div', { class: 'log-wrap', tabindex: '0', role: 'region', 'aria-label': 'Raw log lines' },
        h('table', { class: 'logs' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Process'), h('th', { scope: 'col' }, 'Subsystem'), h('th', { scope: 'col' }, 'Message'))),
          h('tbody', null, logs.map((l) => h('tr', { class: 'lvl-' + l.message_type },
            h('td', { class: 'mono nowrap' }, exactTime(l.timestamp)),
            h('td', null, h('span', { class: 'lvl' }, l.message_type)),
            h('td', { class: 'mono' }, l.process + (l.process_id ? ' · ' + l.process_id : '')),
            h('td', { class: 'mono' }, [l.subsystem, l.category].filter(Boolean).join(' / ')),
            h('td', { class: 'mono msg' }, l.message)))))) : null,
      logs.length < a.log_event_count ? h('p', { class: 'muted small' }, 'Showing ' + logs.length + ' of ' + a.log_event_count + ' log lines.') : null,
      lastM ? h('div', { class: 'cards' },
        card('CPU', lastM.cpu_usage_percent === null ? '—' : num(lastM.cpu_usage_percent, 1) + ' %', lastM.provenance && lastM.provenance.cpu_usage),
        card('Memory used', mb(lastM.memory_used_mb), lastM.provenance && lastM.provenance.memory_used),
        card('Memory pressure', lastM.memory_pressure, lastM.provenance && lastM.provenance.memory_pressure),
        lastM.gpu_usage_percent !== null ? card('GPU', num(lastM.gpu_usage_percent, 0) + ' %', lastM.provenance && lastM.provenance.gpu_usage) : null,
        lastM.cpu_power_mw !== null ? card('CPU power', num(lastM.cpu_power_mw, 0) + ' mW', lastM.provenance && lastM.provenance.cpu_power) : null) : null,
      latestDisk.size ? h('div', { class: 'cards' }, [...latestDisk.values()].map((e) =>
        card(e.disk_name || 'disk', kbps(e.read_kb_per_sec) + ' read · ' + kbps(e.write_kb_per_sec) + ' write',
          num(e.read_ops_per_sec + e.write_ops_per_sec, 0) + ' ops/s' + (e.filesystem_path ? ' · ' + e.filesystem_path : '')))) : null);
  }

  function delivery(a) {
    const items = [];
    if (a.status) {
      items.push(h('p', null, h('span', { class: 'badge st-' + a.status }, statusText(a.status)), ' ', a.status_reason || ''));
    } else {
      items.push(h('p', { class: 'muted' }, a.analysis_status === 'analyzed' ? 'The alert stage has not decided yet.' : 'No notification: alerts are decided once the analysis is done.'));
    }
    if (a.notification_title) items.push(h('p', { class: 'small' }, h('span', { class: 'k' }, 'Title '), a.notification_title));
    if (a.delivered_at) items.push(h('p', { class: 'small' }, h('span', { class: 'k' }, 'Delivered '), exactTime(a.delivered_at)));
    if (a.failure_message) items.push(h('p', { class: 'small error-text' }, a.failure_message));
    if (a.deliveries && a.deliveries.length) {
      items.push(h('table', { class: 'mini' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Notifier'), h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Outcome'))),
        h('tbody', null, a.deliveries.map((x) => h('tr', null, h('td', null, x.notifier), h('td', { class: 'nowrap' }, exactTime(x.attempted_at)),
          h('td', null, h('span', { class: 'badge st-' + x.status }, x.status), x.error ? ' ' + x.error : ''))))));
    }
    if (a.acknowledged) items.push(h('p', { class: 'small' }, h('span', { class: 'k' }, 'Acknowledged '), 'by ' + a.acknowledged_by + ', ' + exactTime(a.acknowledged_at) + (a.acknowledgement_note ? ': ' + a.acknowledgement_note : '')));
    if (a.resolution_status === 'resolved') items.push(h('p', { class: 'small' }, h('span', { class: 'k' }, 'Resolved '), exactTime(a.resolved_at)));
    return section('Delivery', 'delivery', items);
  }

  function reviews(a) {
    const rs = a.agent_reviews || [];
    return section('Reviews', 'reviews', rs.length === 0 ? h('p', { class: 'muted' }, 'No reviews yet. Agents add them through the MCP server; resolving and acknowledging add one too.')
      : h('ol', { class: 'reviews' }, rs.map((r) => h('li', null,
        h('div', { class: 'who' }, h('strong', null, r.agent_name), ' ', h('span', { class: 'chip' }, r.review_type), ' ', h('span', { class: 'muted' }, exactTime(r.created_at))),
        h('p', { class: 'body' }, r.body)))));
  }

  function historySection(a) {
    const ts = a.transitions || [];
    if (ts.length === 0) return null;
    return section('History', 'history', h('details', null, h('summary', null, ts.length + ' change' + (ts.length === 1 ? '' : 's')),
      h('ol', { class: 'timeline' }, ts.map((t) => h('li', null, h('span', { class: 'muted nowrap' }, exactTime(t.at)), ' ',
        h('strong', null, t.aspect), ' ', (t.from ? t.from + ' → ' : '') + t.to, t.reason ? h('div', { class: 'small' }, t.reason) : null)))));
  }

  function similar(a) {
    const kids = a.similar_alerts || [];
    if (a.similar_alert_count === 0) return null;
    return h('details', { class: 'similar-list' },
      h('summary', null, a.similar_alert_count + ' similar alert' + (a.similar_alert_count === 1 ? '' : 's') + ' — Grouped under ' + signal(a.id)),
      h('ul', null, kids.map((c) => h('li', { class: 'sev-' + c.severity },
        badge(c.severity), ' ', h('strong', null, c.summary), ' ',
        h('span', { class: 'muted' }, signal(c.id) + ' · ' + exactTime(c.created_at) + ' · ' + c.resolution_status),
        h('div', { class: 'small' }, c.trigger_reason),
        c.root_cause ? h('div', { class: 'small' }, 'Cause: ' + c.root_cause) : null,
        (c.agent_reviews || []).map((r) => h('div', { class: 'small muted' }, r.agent_name + ': ' + r.body))))),
      kids.length < a.similar_alert_count ? h('p', { class: 'muted small' }, 'The newest ' + kids.length + ' are shown.') : null);
  }

  // ---- live ------------------------------------------------------------------------------------------------
  function updateRowState(id, analysisStatus, running) {
    const tr = tableWrap.querySelector('tr.row[data-id="' + id + '"]');
    if (!tr) return;
    const states = tr.querySelector('.states');
    const old = states && states.querySelector('.an');
    if (old) old.replaceWith(analysisBadge(analysisStatus, running));
  }

  function livePanelOf(id) {
    return tableWrap.querySelector('[data-live="' + id + '"]');
  }

  const subs = [
    live.on('candidate', () => reload()),
    live.on('analysis_started', (e) => {
      const lv = state.live.get(e.id) || {};
      state.live.set(e.id, { attempt: e.attempt, backend: e.backend, model: e.model, text: '', retry: lv.retry || null });
      updateRowState(e.id, 'pending', true);
      if (state.expanded.has(e.id)) {
        const d = state.details.get(e.id);
        if (d && d.data) { d.data.analysis_status = 'pending'; renderDetail(e.id); } else refreshDetail(e.id);
      }
    }),
    live.on('analysis_text', (e) => {
      let lv = state.live.get(e.id);
      if (!lv) { lv = { attempt: 1, backend: '', model: '', text: '', retry: null }; state.live.set(e.id, lv); }
      lv.text += e.text;
      if (lv.text.length > LIVE_TEXT_MAX) lv.text = lv.text.slice(lv.text.length - LIVE_TEXT_MAX);
      const panel = livePanelOf(e.id);
      if (panel) {
        const pre = panel.querySelector('pre.stream');
        const atEnd = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
        pre.textContent = lv.text;
        if (atEnd) pre.scrollTop = pre.scrollHeight;
      }
    }),
    live.on('analysis_finished', (e) => { state.live.delete(e.id); reload(); }),
    live.on('analysis_failed', (e) => {
      if (e.will_retry) {
        const lv = state.live.get(e.id);
        if (lv) lv.retry = e.reason;
        if (state.expanded.has(e.id)) renderDetail(e.id);
      } else {
        state.live.delete(e.id);
        reload();
      }
    }),
    live.on('analysis_skipped', (e) => { state.live.delete(e.id); reload(); }),
    live.on('alert_status', () => reload()),
    live.on('alert_updated', () => reload()),
    live.on('changed', () => reload()),
    // events may have been missed: forget streamed text (the details bring back what still runs) and reload
    live.on('reset', () => { state.live.clear(); reload(); }),
    live.on('reconnected', () => { state.live.clear(); reload(); }),
  ];

  // ---- controls ----------------------------------------------------------------------------------------------
  search.addEventListener('input', debounce(() => { state.q = search.value.trim(); state.page = 1; load(); }, 300));
  status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
  resolved.addEventListener('change', () => { state.showResolved = resolved.checked; store('eyes.alerts.showResolved', state.showResolved); state.page = 1; load(); });
  sizes.addEventListener('change', () => { state.pageSize = parseInt(sizes.value, 10); store('eyes.alerts.pageSize', state.pageSize); state.page = 1; load(); });
  refresh.addEventListener('click', () => { for (const d of state.details.values()) { d.updated = null; d.charts = null; } load(); });

  // relative times stay fresh
  const ticker = setInterval(() => {
    for (const tr of tableWrap.querySelectorAll('tr.row')) {
      const a = state.data && state.data.alerts.find((x) => String(x.id) === tr.dataset.id);
      if (a) tr.querySelector('.rel').textContent = relTime(a.updated_at);
    }
  }, 30000);

  renderCounters();
  load();
  return () => { subs.forEach((u) => u()); clearInterval(ticker); };
}

// ---- small pieces ----------------------------------------------------------------------------------------

function section(title, cls, ...children) {
  return h('section', { class: 'panel ' + cls }, h('h3', null, title), children);
}

function list(title, items, tag, empty) {
  if (!items || items.length === 0) {
    return empty ? [h('h4', null, title), h('p', { class: 'muted' }, empty)] : null;
  }
  return [h('h4', null, title), h(tag, { class: 'plain' }, items.map((t) => h('li', null, t)))];
}

function card(label, value, note) {
  return h('div', { class: 'card' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value), note ? h('span', { class: 'note' }, note) : null);
}

export function badge(sev) {
  const label = { critical: 'Critical', warning: 'Warning', info: 'Info' }[sev] || sev;
  return h('span', { class: 'sev-badge s-' + sev }, label);
}

function analysisLabel(st) {
  return { pending: 'Analyzing', analyzed: 'Analyzed', failed: 'Analysis failed', not_done: 'Not done' }[st] || st;
}

function analysisBadge(st, running) {
  const text = st === 'pending' ? (running ? 'Analyzing…' : 'Pending') : analysisLabel(st).replace('Analysis failed', 'Failed');
  return h('span', { class: 'an an-' + st + (st === 'pending' && running ? ' running' : '') }, text);
}

function statusText(st) {
  return { pending: 'Sending', suppressed: 'Not sent', silenced: 'Silenced', queued: 'Queued', delivered: 'Delivered', delivery_failed: 'Delivery failed', dropped: 'Dropped' }[st] || st;
}

function level(c) {
  const t = (c || '').toLowerCase();
  if (t === 'high') return 3;
  if (t === 'medium' || t === 'moderate') return 2;
  return 1;
}

function meter(c) {
  const n = level(c);
  return h('span', { class: 'meter m' + n, role: 'img', 'aria-label': (c || 'unknown') + ' confidence' },
    h('i'), h('i'), h('i'));
}

function confidence(a) {
  if (a.analysis_status !== 'analyzed') return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'conf' }, meter(a.diagnosis_confidence), h('span', null, a.diagnosis_confidence));
}

/** All pages when 5 or fewer; else 1, last, current ± 1, with gaps. */
export function pageList(current, total) {
  if (total <= 5) return Array.from({ length: total }, (_, i) => i + 1);
  const set = new Set([1, total, current - 1, current, current + 1].filter((p) => p >= 1 && p <= total));
  const sorted = [...set].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] - sorted[i - 1] > 1) out.push('…');
    out.push(sorted[i]);
  }
  return out;
}
