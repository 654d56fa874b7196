// #/runs : every run, newest first, filtered by pipeline and status, paged back with `before`;
// tick two or more to compare them.
import { h, replace, empty, errorBox, statusBadge, toast } from '../dom.js';
import { get, query } from '../api.js';
import { duration, between, relative, dateTime, value } from '../format.js';
import { alertBadge, triggerView } from './run-provenance.js';

const PAGE = 50;
const REFRESH_MS = 5000;
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function mount(root, store, params) {
  const q = params.query || {};
  const filter = { pipeline: q.pipeline || '', status: (q.status || '').toUpperCase() };
  let runs = [];
  let more = false;
  let alive = true;
  let timer = null;
  const picked = new Set();
  let alertsByRun = new Map(); // run id -> its alerts (the list's runs do not carry them: one /api/alerts call)

  const pipelineSelect = h('select', { 'data-test': 'filter-pipeline', 'aria-label': 'Pipeline' }, h('option', { value: '' }, 'All pipelines'));
  if (filter.pipeline) pipelineSelect.append(h('option', { value: filter.pipeline, selected: true }, filter.pipeline));
  const statusSelect = h('select', { 'data-test': 'filter-status', 'aria-label': 'Status' }, h('option', { value: '' }, 'Any status'),
    STATUSES.map((st) => h('option', { value: st, selected: st === filter.status }, st.toLowerCase())));
  const compare = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'compare', disabled: true }, 'Compare');
  const pickedNote = h('span', { class: 'muted small' });
  const tableBox = h('div', null, h('div', { class: 'loading' }, 'Loading runs…'));
  const moreButton = h('button', { class: 'btn', type: 'button', 'data-test': 'older', hidden: true }, 'Older runs');

  replace(root, h('section', { class: 'page', 'data-test': 'runs-page' },
    h('div', { class: 'page-header' },
      h('div', { class: 'titles' }, h('h1', null, 'Runs'), h('p', { class: 'subtitle' }, 'Newest first. Tick two or more to compare their params and metrics.')),
      h('div', { class: 'actions' }, pickedNote, compare)),
    h('div', { class: 'toolbar' },
      h('label', { class: 'field inline' }, h('span', null, 'Pipeline'), pipelineSelect),
      h('label', { class: 'field inline' }, h('span', null, 'Status'), statusSelect)),
    tableBox,
    h('div', { class: 'pager' }, moreButton)));

  const updatePicked = () => {
    compare.disabled = picked.size < 2;
    pickedNote.textContent = picked.size ? `${picked.size} selected` : '';
  };
  compare.addEventListener('click', () => {
    location.hash = `#/compare?runs=${[...picked].map(encodeURIComponent).join(',')}`;
  });

  const paramsText = (p) => Object.entries(p || {}).map(([k, v]) => `${k}=${value(v)}`).join('  ');

  const render = () => {
    if (!runs.length) {
      replace(tableBox, empty(filter.pipeline || filter.status ? 'No runs match' : 'No runs yet',
        filter.pipeline || filter.status ? 'Change the filters to see more.' : 'Start one from the pipelines page.',
        h('a', { class: 'btn', href: '#/' }, 'Pipelines')));
      moreButton.hidden = true;
      return;
    }
    const rows = runs.map((r) => {
      const box = h('input', { type: 'checkbox', checked: picked.has(r.id), 'aria-label': `select ${r.id}`, 'data-test': 'pick' });
      box.addEventListener('change', () => { if (box.checked) picked.add(r.id); else picked.delete(r.id); updatePicked(); });
      return h('tr', { 'data-test': 'run-row', 'data-id': r.id, class: picked.has(r.id) && 'is-picked' },
        h('td', { class: 'check-cell' }, box),
        h('td', null, statusBadge(r.status)),
        h('td', null, h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(r.id)}`, 'data-test': 'run-link' }, r.id), ' ', alertBadge(r.alerts || alertsByRun.get(r.id), r.pipeline)),
        h('td', null, h('a', { href: `#/runs?pipeline=${encodeURIComponent(r.pipeline)}`, class: 'plain' }, r.pipeline), h('span', { class: 'muted' }, ` v${r.version}`)),
        h('td', { class: 'muted' }, triggerView(r.trigger)),
        h('td', { class: 'nowrap', title: dateTime(r.createdAt) }, relative(r.createdAt)),
        h('td', { class: 'num nowrap' }, r.startedAt ? duration(between(r.startedAt, r.endedAt)) : '—'),
        h('td', { class: 'mono small params-cell truncate', title: paramsText(r.params) }, paramsText(r.params)));
    });
    replace(tableBox, h('div', { class: 'table-wrap' }, h('table', { class: 'table runs-table', 'data-test': 'runs' },
      h('thead', null, h('tr', null, h('th', { class: 'check-cell' }), h('th', null, 'Status'), h('th', null, 'Run'), h('th', null, 'Pipeline'),
        h('th', null, 'Trigger'), h('th', null, 'Created'), h('th', { class: 'num' }, 'Duration'), h('th', null, 'Params'))),
      h('tbody', null, rows))));
    moreButton.hidden = !more;
  };

  /** The alerts fired since the oldest run shown, by run (a server without alerts: none). */
  const loadAlerts = async () => {
    if (!runs.length) return;
    const since = runs[runs.length - 1].createdAt;
    try {
      const res = await get(`/api/alerts${query({ pipeline: filter.pipeline, since, limit: 500 })}`);
      const by = new Map();
      for (const a of (res && res.alerts) || []) {
        if (!by.has(a.run_id)) by.set(a.run_id, []);
        by.get(a.run_id).push(a);
      }
      alertsByRun = by;
    } catch { /* no alerts API: no badges */ }
  };

  const fetchPage = (before) => get(`/api/runs${query({ pipeline: filter.pipeline, status: filter.status, limit: PAGE, before })}`);

  const load = async () => {
    try {
      const page = await fetchPage();
      if (!alive) return;
      runs = page;
      more = page.length === PAGE;
      render();
      await loadAlerts();
      if (alive) render();
    } catch (e) {
      if (alive) replace(tableBox, errorBox(e));
    }
  };

  // the newest page again, merged into what is shown (older pages loaded stay)
  const poll = async () => {
    try {
      const page = await fetchPage();
      if (!alive) return;
      const fresh = new Map(page.map((r) => [r.id, r]));
      const known = new Set(runs.map((r) => r.id));
      runs = [...page.filter((r) => !known.has(r.id)), ...runs.map((r) => fresh.get(r.id) || r)];
      await loadAlerts();
      if (alive) render();
    } catch { /* try again next time */ }
    if (alive) timer = setTimeout(poll, REFRESH_MS);
  };

  moreButton.addEventListener('click', async () => {
    moreButton.disabled = true;
    try {
      const page = await fetchPage(runs[runs.length - 1].createdAt);
      runs = runs.concat(page);
      more = page.length === PAGE;
      await loadAlerts();
      render();
    } catch (e) {
      toast(e.message);
    } finally {
      moreButton.disabled = false;
    }
  });

  const applyFilters = () => {
    const qs = query({ pipeline: pipelineSelect.value, status: statusSelect.value });
    location.hash = `#/runs${qs}`;
  };
  pipelineSelect.addEventListener('change', applyFilters);
  statusSelect.addEventListener('change', applyFilters);

  get('/api/pipelines').then((list) => {
    if (!alive) return;
    for (const p of list) if (p.name !== filter.pipeline) pipelineSelect.append(h('option', { value: p.name }, p.name));
  }).catch(() => {});

  load().then(() => { if (alive) timer = setTimeout(poll, REFRESH_MS); });
  return () => { alive = false; clearTimeout(timer); };
}
