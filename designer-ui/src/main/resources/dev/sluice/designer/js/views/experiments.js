// #/pipelines/{name}/experiments : the runs of a pipeline as experiments. A table with params
// and final metrics as columns (one row per run, one per matrix variant), sorted, filtered and
// paged by the server; tick rows to overlay their metric series; a scatter of a param against a
// metric; one metric's history across runs with the pipeline's alert thresholds as lines.
import { h, replace, empty, errorBox, statusBadge } from '../dom.js';
import { get, seg, query } from '../api.js';
import { relative, dateTime, value } from '../format.js';
import { parseFilter, nextSort, readSort, pageInfo, rowKey, seriesSource, experimentsQuery } from '../experiments-model.js';
import { alignSeries, scatterData, historyData } from '../series.js';
import { chart, chartBox, PALETTE, severityColour } from '../chart.js';
import { keys, actions } from '../store.js';

const PAGE_SIZE = 25;
const SCATTER_ROWS = 500;
const MAX_OVERLAY = 10;

export function mount(root, store, params) {
  const name = params.name;
  const q = params.query || {};
  const PAGE = Math.min(200, Math.max(1, Number(q.limit) || PAGE_SIZE)); // ?limit= sets the page size
  const key = keys.experiments(name);
  let alive = true;
  let state = { sort: q.sort || '', filter: q.filter || '', offset: Number(q.offset) || 0 };
  const picked = new Map(); // rowKey -> row
  const charts = { overlay: null, scatter: null, history: null };
  let request = 0;

  const filterInput = h('input', { type: 'search', 'data-test': 'filter', placeholder: 'auc > 0.85, l2 = 0.1', value: state.filter,
    'aria-label': 'Filter', spellcheck: 'false', class: 'filter-input' });
  const filterError = h('span', { class: 'small field-error', 'data-test': 'filter-error' });
  const total = h('span', { class: 'muted small', 'data-test': 'total' });
  const prev = h('button', { class: 'btn btn-sm', type: 'button', 'data-test': 'prev' }, '← Newer');
  const next = h('button', { class: 'btn btn-sm', type: 'button', 'data-test': 'next' }, 'Older →');
  const pageText = h('span', { class: 'small muted', 'data-test': 'page' });
  const tableBox = h('div', null, h('div', { class: 'loading' }, 'Loading experiments…'));
  const overlayMetric = h('select', { 'data-test': 'overlay-metric', 'aria-label': 'Metric' });
  const overlayBox = h('div', { class: 'chart-box' });
  const scatterParam = h('select', { 'data-test': 'scatter-param', 'aria-label': 'Param' });
  const scatterMetric = h('select', { 'data-test': 'scatter-metric', 'aria-label': 'Metric' });
  const scatterBox = h('div', { class: 'chart-box' });
  const historyMetric = h('select', { 'data-test': 'history-metric', 'aria-label': 'Metric' });
  const historyBox = h('div', { class: 'chart-box' });

  const card = (title, test, controls, body, note) => h('section', { class: 'card', 'data-test': test },
    h('div', { class: 'card-header' }, h('h2', null, title), h('span', { class: 'spacer' }), controls),
    h('div', { class: 'card-body' }, note ? h('p', { class: 'muted small chart-note' }, note) : null, body));

  replace(root, h('section', { class: 'page page-wide experiments-page', 'data-test': 'experiments-page', 'data-pipeline': name },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' },
      h('div', { class: 'crumbs' }, h('a', { href: '#/' }, 'Pipelines'), h('span', null, '/'),
        h('a', { href: `#/runs?pipeline=${encodeURIComponent(name)}` }, name), h('span', null, '/')),
      h('h1', null, `Experiments · ${name}`),
      h('p', { class: 'subtitle' }, 'Every run with its params and final metrics. Click a header to sort; tick runs to overlay their series.'))),
    h('div', { class: 'toolbar' },
      h('label', { class: 'field inline grow' }, h('span', null, 'Filter'), filterInput), filterError,
      h('span', { class: 'spacer' }), total),
    tableBox,
    h('div', { class: 'pager' }, prev, pageText, next),
    h('div', { class: 'experiments-charts' },
      card('Series of the ticked runs', 'overlay', overlayMetric, overlayBox, 'Each ticked row\'s series of the metric, by step.'),
      card('Param against metric', 'scatter', [scatterParam, scatterMetric], scatterBox, `Up to ${SCATTER_ROWS} runs matching the filter.`),
      card('Metric history', 'history', historyMetric, historyBox, 'The metric across runs over time; dashed lines are the pipeline\'s alert thresholds.'))));

  const setUrl = () => {
    history.replaceState(null, '', `#/pipelines/${encodeURIComponent(name)}/experiments${query({ sort: state.sort, filter: state.filter, offset: state.offset || '', limit: PAGE === PAGE_SIZE ? '' : PAGE })}`);
  };

  const fillSelect = (select, names, keep) => {
    const was = select.value || keep;
    replace(select, names.map((n) => h('option', { value: n, selected: n === was }, n)));
    select.disabled = !names.length;
  };

  const headCell = (col, label, cls) => {
    const s = readSort(state.sort);
    const on = s && s.col === col;
    return h('th', { class: [cls, 'sortable'], 'aria-sort': on ? (s.desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', class: 'sort-button', 'data-test': 'sort', 'data-col': col, title: `sort by ${col}`,
        onclick: () => { state = { ...state, sort: nextSort(state.sort, col), offset: 0 }; load(); } },
      label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, on ? (s.desc ? ' ▼' : ' ▲') : '')));
  };

  const render = () => {
    const a = store.get(key);
    if (!a) return;
    const paramCols = a.params || [];
    const metricCols = a.metrics || [];
    const info = pageInfo(a.total, a.limit || PAGE, a.offset || 0);
    total.textContent = `${a.total} ${a.total === 1 ? 'row' : 'rows'}`;
    pageText.textContent = a.total ? `${info.from}–${info.to} of ${a.total}` : '';
    prev.disabled = (a.offset || 0) <= 0;
    next.disabled = info.to >= a.total;
    if (!a.rows.length) {
      replace(tableBox, empty(state.filter ? 'No run matches' : 'No runs yet', state.filter ? 'Change or clear the filter.' : 'Run the pipeline to fill this table.'));
    } else {
      replace(tableBox, h('div', { class: 'table-wrap' }, h('table', { class: 'table experiments-table', 'data-test': 'experiments' },
        h('thead', null, h('tr', null, h('th', { class: 'check-cell' }), h('th', null, 'Run'), h('th', null, 'Variant'),
          headCell('status', 'Status'), headCell('created_at', 'Created'),
          paramCols.map((c) => headCell(c, c, 'param-col')), metricCols.map((c) => headCell(c, c, 'num metric-col')))),
        h('tbody', null, a.rows.map((r) => {
          const k = rowKey(r);
          const box = h('input', { type: 'checkbox', checked: picked.has(k), 'aria-label': `overlay ${k}`, 'data-test': 'pick' });
          box.addEventListener('change', () => {
            if (box.checked) picked.set(k, r); else picked.delete(k);
            box.closest('tr').classList.toggle('is-picked', box.checked);
            drawOverlay();
          });
          const variant = Object.entries(r.matrix || {}).map(([mk, mv]) => `${mk}=${value(mv)}`).join(' ');
          return h('tr', { 'data-test': 'experiment-row', 'data-run': r.run_id, 'data-task': r.task_id || '', class: picked.has(k) && 'is-picked' },
            h('td', { class: 'check-cell' }, box),
            h('td', null, h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(r.run_id)}${r.task_id ? `?step=${encodeURIComponent(r.task_id)}` : ''}` }, r.run_id)),
            h('td', { class: 'mono small' }, variant || (r.task_id || '')),
            h('td', null, statusBadge(r.status)),
            h('td', { class: 'nowrap', title: dateTime(r.created_at) }, relative(r.created_at)),
            paramCols.map((c) => h('td', { class: 'mono', 'data-col': c }, value((r.params || {})[c] ?? (r.matrix || {})[c]))),
            metricCols.map((c) => h('td', { class: 'num mono', 'data-col': c }, value((r.metrics || {})[c]))));
        })))));
    }
    fillSelect(overlayMetric, metricCols.filter((c) => c.includes('.')), null);
    // a matrix value varies like a param: it can be the scatter's x too
    const matrixKeys = [...new Set(a.rows.flatMap((r) => Object.keys(r.matrix || {})))].filter((k) => !paramCols.includes(k));
    fillSelect(scatterParam, [...paramCols, ...matrixKeys], null);
    fillSelect(scatterMetric, metricCols, null);
    fillSelect(historyMetric, metricCols.filter((c) => c.includes('.')), null);
  };

  const load = async () => {
    const parsed = parseFilter(filterInput.value);
    if (parsed.errors.length) {
      filterError.textContent = parsed.errors.join('; ');
      filterInput.setAttribute('aria-invalid', 'true');
      return;
    }
    filterError.textContent = '';
    filterInput.setAttribute('aria-invalid', 'false');
    state = { ...state, filter: parsed.query };
    setUrl();
    const mine = ++request;
    try {
      const a = await get(`/api/pipelines/${seg(name)}/experiments${query(experimentsQuery({ sort: state.sort, filter: state.filter, limit: PAGE, offset: state.offset }))}`);
      if (!alive || mine !== request) return;
      actions.experimentsLoaded(store, name, a);
      drawScatter();
      if (!charts.history) drawHistory();
    } catch (e) {
      if (!alive || mine !== request) return;
      if (e.status === 400) { filterError.textContent = e.message; filterInput.setAttribute('aria-invalid', 'true'); }
      else replace(tableBox, errorBox(e));
    }
  };

  const swap = (slot, box, el) => {
    if (charts[slot]) { charts[slot].destroy(); charts[slot] = null; }
    replace(box, el);
  };

  const drawOverlay = async () => {
    const col = overlayMetric.value;
    const rows = [...picked.values()].slice(0, MAX_OVERLAY);
    if (!col || !rows.length) { swap('overlay', overlayBox, h('p', { class: 'muted small' }, 'Tick runs in the table to draw their series here.')); return; }
    const sources = rows.map((r) => seriesSource(r, col));
    const answers = await Promise.all(sources.map((s) => get(`/api/runs/${seg(s.run)}/steps/${seg(s.task)}/metrics`).catch(() => null)));
    if (!alive || col !== overlayMetric.value) return;
    const lists = answers.map((a, i) => ((a && a.series) || {})[sources[i].name] || []);
    const host = chartBox('overlay-chart', { 'data-series': String(lists.filter((l) => l.length).length) });
    swap('overlay', overlayBox, host);
    if (!lists.some((l) => l.length)) { replace(host, h('p', { class: 'muted small' }, `No series of ${col} in the ticked runs.`)); return; }
    charts.overlay = await chart(host, alignSeries(lists), {
      height: 260, x: { label: 'step', steps: true },
      series: rows.map((r, i) => ({ label: r.task_id && r.task_id !== sources[i].task ? `${r.run_id} ${r.task_id}` : `${r.run_id}${sources[i].task.includes('[') ? ` ${sources[i].task}` : ''}`, stroke: PALETTE[i % PALETTE.length], points: true })),
    });
  };

  const drawScatter = async () => {
    const param = scatterParam.value, metric = scatterMetric.value;
    if (!param || !metric) { swap('scatter', scatterBox, h('p', { class: 'muted small' }, 'The pipeline has no params or no metrics yet.')); return; }
    const a = await get(`/api/pipelines/${seg(name)}/experiments${query(experimentsQuery({ filter: state.filter, limit: SCATTER_ROWS, offset: 0, metrics: [metric] }))}`).catch(() => null);
    if (!alive || param !== scatterParam.value || metric !== scatterMetric.value) return;
    const { data } = scatterData(a ? a.rows : [], param, metric);
    const host = chartBox('scatter-chart', { 'data-points': String(data[0].length) });
    swap('scatter', scatterBox, host);
    if (!data[0].length) { replace(host, h('p', { class: 'muted small' }, `No run has both ${param} and ${metric} as numbers.`)); return; }
    charts.scatter = await chart(host, data, { height: 260, padX: true, x: { label: param, axisLabel: param }, yLabel: metric, series: [{ label: metric, stroke: PALETTE[0], pointsOnly: true }] });
  };

  const drawHistory = async () => {
    const col = historyMetric.value;
    if (!col) { swap('history', historyBox, h('p', { class: 'muted small' }, 'No step metric to chart yet.')); return; }
    const dot = col.lastIndexOf('.');
    const a = await get(`/api/metrics${query({ pipeline: name, step: col.slice(0, dot), name: col.slice(dot + 1) })}`).catch((e) => ({ error: e }));
    if (!alive || col !== historyMetric.value) return;
    if (a.error) { swap('history', historyBox, errorBox(a.error)); return; }
    const hd = historyData(a.points, a.thresholds);
    const host = chartBox('history-chart', { 'data-points': String(hd.data[0].length), 'data-thresholds': String(hd.labels.length) });
    swap('history', historyBox, h('div', null, host,
      hd.labels.length ? h('ul', { class: 'thresholds', 'data-test': 'thresholds' }, hd.labels.map((l, i) => h('li', { class: `sev-${hd.severities[i]}` }, l))) : null));
    if (!hd.data[0].length) { replace(host, h('p', { class: 'muted small' }, `No value of ${col} yet.`)); return; }
    charts.history = await chart(host, hd.data, {
      height: 260, x: { time: true, label: 'run' },
      series: [{ label: col, stroke: PALETTE[0], points: true }].concat(hd.labels.map((l, i) => ({ label: l, stroke: severityColour(hd.severities[i]), dash: [6, 4], width: 1.5 }))),
    });
  };

  let typing = null;
  filterInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state = { ...state, offset: 0 }; load(); }, 400);
  });
  filterInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') { clearTimeout(typing); state = { ...state, offset: 0 }; load(); } });
  prev.addEventListener('click', () => { state = { ...state, offset: Math.max(0, state.offset - PAGE) }; load(); });
  next.addEventListener('click', () => { state = { ...state, offset: state.offset + PAGE }; load(); });
  overlayMetric.addEventListener('change', drawOverlay);
  scatterParam.addEventListener('change', drawScatter);
  scatterMetric.addEventListener('change', drawScatter);
  historyMetric.addEventListener('change', drawHistory);

  const unsubscribe = store.subscribe(render, [key]);
  load().then(() => { if (alive) drawOverlay(); });
  return () => {
    alive = false;
    clearTimeout(typing);
    unsubscribe();
    for (const c of Object.values(charts)) if (c) c.destroy();
    actions.forget(store, key);
  };
}
