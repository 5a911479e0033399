// Small inline-SVG time charts: a line (with a soft area) per series, gaps where a value was unavailable, an
// optional memory-pressure strip and a marker at an alert's time. No library; values are never text-injected.
import { h, s, clock, num } from './dom.js';

const W = 600;
const H = 140;
const STRIP = 10;

/** Min/max per pixel column, so spikes survive when there are more samples than pixels. */
function envelope(t, v, from, to, width) {
  const out = [];
  if (t.length <= width * 2) {
    for (let i = 0; i < t.length; i++) out.push([t[i], v[i]]);
    return out;
  }
  const span = Math.max(1, to - from);
  let col = -1, lo = null, hi = null;
  const flush = () => {
    if (col < 0) return;
    if (lo === null) { out.push([null, null]); return; }
    if (lo[0] <= hi[0]) { out.push(lo); if (hi !== lo) out.push(hi); } else { out.push(hi); out.push(lo); }
  };
  for (let i = 0; i < t.length; i++) {
    const c = Math.floor(((t[i] - from) / span) * width);
    if (c !== col) { flush(); col = c; lo = null; hi = null; }
    if (v[i] === null || v[i] === undefined) continue;
    if (lo === null || v[i] < lo[1]) lo = [t[i], v[i]];
    if (hi === null || v[i] > hi[1]) hi = [t[i], v[i]];
  }
  flush();
  return out;
}

/**
 * @param {object} o
 *   title, unit (for the aria label), format (value → text), from, to (ms), marker (ms or null),
 *   yMax (fixed top, e.g. 100 for percent) or null (from the data), series: [{name, t, v, cls}],
 *   pressure: {t, v} (level names) or null, height (px), empty (text when there is no data)
 */
export function chart(o) {
  const fmt = o.format || ((x) => num(x, 1));
  const from = o.from, to = Math.max(o.to, o.from + 1);
  let max = 0, count = 0, latest = null, latestT = -Infinity;
  for (const se of o.series) {
    for (let i = 0; i < se.t.length; i++) {
      const v = se.v[i];
      if (v === null || v === undefined || se.t[i] < from || se.t[i] > to) continue;
      count++;
      if (v > max) max = v;
      if (se.t[i] >= latestT && se === o.series[0]) { latestT = se.t[i]; latest = v; }
    }
  }
  const top = o.yMax || (max > 0 ? niceCeil(max * 1.1) : 1);
  const plotH = H - (o.pressure ? STRIP + 4 : 0);
  const x = (t) => ((t - from) / (to - from)) * W;
  const y = (v) => plotH - (Math.min(v, top) / top) * (plotH - 4);

  const svg = s('svg', {
    viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', class: 'chart-svg', role: 'img',
    'aria-label': o.title + ': ' + (count === 0 ? 'no samples' : 'peak ' + fmt(max) + ', latest ' + fmt(latest)),
  });
  for (const f of [0.25, 0.5, 0.75]) {
    svg.appendChild(s('line', { x1: 0, x2: W, y1: y(top * f), y2: y(top * f), class: 'grid', 'vector-effect': 'non-scaling-stroke' }));
  }
  svg.appendChild(s('line', { x1: 0, x2: W, y1: plotH, y2: plotH, class: 'axis', 'vector-effect': 'non-scaling-stroke' }));

  for (const se of o.series) {
    const pts = envelope(se.t, se.v, from, to, W);
    let line = '', area = '', seg = [];
    const close = () => {
      if (seg.length === 0) return;
      const d = seg.map((p, i) => (i === 0 ? 'M' : 'L') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
      line += d + ' ';
      area += d + ' L' + x(seg[seg.length - 1][0]).toFixed(1) + ' ' + plotH + ' L' + x(seg[0][0]).toFixed(1) + ' ' + plotH + ' Z ';
      seg = [];
    };
    for (const p of pts) {
      if (p[1] === null || p[1] === undefined || p[0] < from || p[0] > to) close(); else seg.push(p);
    }
    close();
    if (line) {
      svg.appendChild(s('path', { d: area, class: 'area ' + (se.cls || '') }));
      svg.appendChild(s('path', { d: line, class: 'line ' + (se.cls || ''), 'vector-effect': 'non-scaling-stroke' }));
    }
  }

  if (o.pressure && o.pressure.t.length) {
    const pt = o.pressure.t, pv = o.pressure.v;
    for (let i = 0; i < pt.length; i++) {
      const level = (pv[i] || 'Unknown').toLowerCase();
      if (level === 'unknown' || pt[i] < from || pt[i] > to) continue;
      const x0 = x(pt[i]);
      const x1 = i + 1 < pt.length ? x(Math.min(pt[i + 1], to)) : Math.min(W, x0 + 4);
      svg.appendChild(s('rect', { x: x0.toFixed(1), y: H - STRIP, width: Math.max(1, x1 - x0).toFixed(1), height: STRIP, class: 'pressure p-' + level },
        s('title', { text: 'Memory pressure ' + pv[i] + ' at ' + clock(pt[i]) })));
    }
  }

  if (o.marker !== null && o.marker !== undefined && o.marker >= from && o.marker <= to) {
    svg.appendChild(s('line', { x1: x(o.marker), x2: x(o.marker), y1: 0, y2: H, class: 'marker', 'vector-effect': 'non-scaling-stroke' }));
  }

  const legend = o.series.length > 1 ? h('span', { class: 'legend' },
    o.series.map((se) => h('span', { class: 'key ' + (se.cls || '') }, se.name))) : null;
  const body = count === 0
    ? h('div', { class: 'chart-empty' }, o.empty || 'No samples in this period')
    : h('div', { class: 'chart-plot' },
      h('span', { class: 'ymax' }, fmt(top)),
      svg,
      h('div', { class: 'xaxis' }, h('span', null, clock(from)), h('span', null, clock(to))));
  return h('figure', { class: 'chart' + (o.compact ? ' compact' : '') },
    h('figcaption', null, h('span', { class: 'title' }, o.title), legend,
      h('span', { class: 'latest' }, count === 0 ? '' : fmt(latest))),
    body);
}

function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** The four resource charts (CPU, memory with pressure, disk, GPU) of a metrics-series answer. */
export function resourceCharts(data, from, to, marker, compact) {
  const m = data.metrics, d = data.disk;
  const pct = (v) => num(v, 0) + ' %';
  const hasGpu = m.gpu_usage_percent.some((v) => v !== null);
  return [
    chart({ title: 'CPU', format: pct, from, to, marker, yMax: 100, compact,
      series: [{ name: 'CPU', t: m.t, v: m.cpu_usage_percent, cls: 'cpu' }] }),
    chart({ title: 'Memory used', format: (v) => memText(v), from, to, marker, compact,
      series: [{ name: 'Memory', t: m.t, v: m.memory_used_mb, cls: 'mem' }],
      pressure: { t: m.t, v: m.memory_pressure } }),
    chart({ title: 'Disk', format: (v) => kbText(v), from, to, marker, compact,
      series: [{ name: 'Read', t: d.t, v: d.read_kb_per_sec, cls: 'read' }, { name: 'Write', t: d.t, v: d.write_kb_per_sec, cls: 'write' }] }),
    chart({ title: 'GPU', format: pct, from, to, marker, yMax: 100, compact,
      empty: hasGpu ? undefined : 'No GPU reading on this host',
      series: [{ name: 'GPU', t: m.t, v: m.gpu_usage_percent, cls: 'gpu' }] }),
  ];
}

function memText(v) { return v >= 1024 ? num(v / 1024, 1) + ' GB' : num(v, 0) + ' MB'; }
function kbText(v) { return v >= 1024 ? num(v / 1024, 1) + ' MB/s' : num(v, 0) + ' KB/s'; }

/** A metrics-series shaped object from an alert's own stored samples (for alerts older than the history). */
export function seriesFromEvents(metrics, disks) {
  const ms = (metrics || []).slice().sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const ds = (disks || []).slice().sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const dt = [], rd = [], wr = [];
  for (const e of ds) {
    const t = Date.parse(e.timestamp);
    if (dt.length && dt[dt.length - 1] === t) { rd[rd.length - 1] += e.read_kb_per_sec; wr[wr.length - 1] += e.write_kb_per_sec; }
    else { dt.push(t); rd.push(e.read_kb_per_sec); wr.push(e.write_kb_per_sec); }
  }
  return {
    metrics: {
      t: ms.map((e) => Date.parse(e.timestamp)),
      cpu_usage_percent: ms.map((e) => e.cpu_usage_percent),
      memory_used_mb: ms.map((e) => e.memory_used_mb),
      memory_pressure: ms.map((e) => e.memory_pressure),
      gpu_usage_percent: ms.map((e) => e.gpu_usage_percent),
    },
    disk: { t: dt, read_kb_per_sec: rd, write_kb_per_sec: wr },
  };
}
