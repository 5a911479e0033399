// The dashboard's entry point: picks the page from the path, keeps the live feed and the health banner.
import { h, replace } from './dom.js';
import { get } from './api.js';
import * as live from './live.js';
import { alertsPage } from './alerts.js';
import { systemPage, rulesPage, silencesPage, healthPage } from './pages.js';

const PAGES = {
  '/': ['alerts', alertsPage, 'Alerts'],
  '/alerts': ['alerts', alertsPage, 'Alerts'],
  '/system': ['system', systemPage, 'System'],
  '/rules': ['rules', rulesPage, 'Rules'],
  '/silences': ['silences', silencesPage, 'Silences'],
  '/health': ['health', healthPage, 'Health'],
};

function banner(summary) {
  const el = document.getElementById('banner');
  if (!el) return;
  const problems = (summary && summary.problems) || [];
  if (problems.length === 0) {
    el.hidden = true;
    replace(el);
    return;
  }
  const critical = problems.some((p) => p.level === 'critical');
  el.dataset.level = critical ? 'critical' : 'warning';
  replace(el,
    h('span', { class: 'icon', 'aria-hidden': 'true' }, critical ? '■' : '▲'),
    h('span', { class: 'msg' }, problems[0].message),
    problems.length > 1 ? h('span', { class: 'more' }, ' and ' + (problems.length - 1) + ' more') : null,
    location.pathname === '/health' ? null : h('a', { href: '/health' }, 'Health'));
  el.hidden = false;
}

async function refreshBanner() {
  try {
    banner(await get('/api/health'));
  } catch (e) {
    // the pages say when Eyes does not answer
  }
}

function start() {
  const page = PAGES[location.pathname] || PAGES['/'];
  document.title = page[2] + ' · Eyes';
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.page === page[0]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  live.connect();
  live.on('health', banner);
  live.on('reconnected', refreshBanner);
  refreshBanner();
  page[1](document.getElementById('main'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
