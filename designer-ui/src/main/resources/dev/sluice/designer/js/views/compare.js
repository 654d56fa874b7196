// #/compare?runs=a,b,... : the params and metrics of some runs side by side (rows that differ
// are marked), and a uPlot chart of one metric across the runs of a pipeline.
import { h, replace, empty, errorBox, statusBadge, useCss } from '../dom.js';
import { get, seg, query } from '../api.js';
import { value, dateTime, relative } from '../format.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
const UPLOT_CSS = '/webjars/uplot/1.6.30/dist/uPlot.min.css';
const HISTORY = 50;

/** Every metric of a run as 'task · name' -> value. */
export function metricsOf(run) {
  const out = {};
  for (const st of run.steps || []) {
    for (const [name, v] of Object.entries(st.metrics || {})) out[`${st.id} · ${name}`] = v;
  }
  return out;
}

function differs(values) {
  const seen = values.map((v) => JSON.stringify(v === undefined ? null : v));
  return seen.some((x) => x !== seen[0]);
}

/** Fetches in parallel, a few at a time. */
async function pooled(items, fn, width = 6) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      try { out[i] = await fn(items[i]); } catch { out[i] = null; }
    }
  }));
  return out;
}

export function mount(root, store, params) {
  const ids = String((params.query || {}).runs || '').split(',').map((x) => x.trim()).filter(Boolean);
  let alive = true;
  let plot = null;
  let resize = null;
  const content = h('div', null, h('div', { class: 'loading' }, 'Loading runs…'));
  replace(root, h('section', { class: 'page page-wide compare-page', 'data-test': 'compare-page' },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' },
      h('div', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), h('span', null, '/'), h('span', null, 'Compare')),
      h('h1', null, `Compare ${ids.length} runs`))),
    content));
  if (ids.length < 1) {
    replace(content, empty('Nothing to compare', 'Tick two or more runs in the runs list, then press Compare.', h('a', { class: 'btn', href: '#/runs' }, 'Runs')));
    return () => {};
  }

  const table = (title, test, rows, runs) => {
    if (!rows.length) return h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, title)),
      h('div', { class: 'card-body muted' }, `No ${title.toLowerCase()}.`));
    const changed = rows.filter((r) => r.diff).length;
    return h('section', { class: 'card' },
      h('div', { class: 'card-header' }, h('h2', null, title), h('span', { class: 'spacer' }),
        h('span', { class: 'muted small' }, changed ? `${changed} of ${rows.length} differ` : 'all the same')),
      h('div', { class: 'compare-scroll' }, h('table', { class: 'table compare-table', 'data-test': test },
        h('thead', null, h('tr', null, h('th', null, 'Name'), runs.map((r) => h('th', { class: 'num' },
          h('a', { href: `#/runs/${encodeURIComponent(r.id)}`, class: 'mono' }, r.id))))),
        h('tbody', null, rows.map((row) => h('tr', { class: row.diff && 'diff', 'data-diff': row.diff ? 'true' : 'false' },
          h('th', { class: 'mono row-name', scope: 'row' }, row.name),
          row.values.map((v) => h('td', { class: 'num mono' }, value(v)))))))));
  };

  const drawChart = async (box, pipeline, metric, runs, select) => {
    replace(box, h('div', { class: 'loading' }, 'Loading the pipeline\'s runs…'));
    const [{ default: uPlot }, list] = await Promise.all([import(UPLOT), get(`/api/runs${query({ pipeline, limit: HISTORY })}`)]);
    const full = await pooled(list, (r) => get(`/api/runs/${seg(r.id)}`));
    if (!alive) return;
    const points = full.filter(Boolean)
      .map((r) => ({ id: r.id, t: Date.parse(r.createdAt) / 1000, v: metricsOf(r)[metric] }))
      .filter((p) => typeof p.v === 'number')
      .sort((a, b) => a.t - b.t);
    if (!points.length) {
      replace(box, h('p', { class: 'muted' }, `No run of ${pipeline} has the metric ${metric}.`));
      return;
    }
    const picked = new Set(runs.map((r) => r.id));
    const xs = points.map((p) => p.t);
    const all = points.map((p) => p.v);
    const chosen = points.map((p) => (picked.has(p.id) ? p.v : null));
    const host = h('div', { class: 'chart', 'data-test': 'chart' });
    replace(box, host);
    const width = Math.max(Math.floor(box.getBoundingClientRect().width), 300);
    if (plot) plot.destroy();
    plot = new uPlot({
      width, height: 300,
      cursor: { points: { size: 8 } },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [{ stroke: '#6b7482', grid: { stroke: '#eef0f3' } }, { stroke: '#6b7482', grid: { stroke: '#eef0f3' }, size: 60 }],
      series: [
        { label: 'run created' },
        { label: metric, stroke: '#4f46e5', width: 2, points: { show: true, size: 6, fill: '#fff' } },
        { label: 'compared runs', stroke: 'transparent', paths: () => null, points: { show: true, size: 11, fill: '#f59e0b', stroke: '#b45309' } },
      ],
    }, [xs, all, chosen], host);
    if (resize) resize.disconnect();
    resize = new ResizeObserver(() => {
      const w = Math.floor(box.getBoundingClientRect().width);
      if (plot && w > 0 && w !== plot.width) plot.setSize({ width: w, height: 300 });
    });
    resize.observe(box);
    select.disabled = false;
  };

  (async () => {
    const runs = await pooled(ids, (id) => get(`/api/runs/${seg(id)}`));
    if (!alive) return;
    const missing = ids.filter((_, i) => !runs[i]);
    const found = runs.filter(Boolean);
    if (!found.length) {
      replace(content, empty('No such runs', `None of ${ids.join(', ')} exists.`, h('a', { class: 'btn', href: '#/runs' }, 'Runs')));
      return;
    }
    const paramNames = [...new Set(found.flatMap((r) => Object.keys(r.params || {})))].sort();
    const metricSets = found.map(metricsOf);
    const metricNames = [...new Set(metricSets.flatMap((m) => Object.keys(m)))].sort();
    const paramRows = paramNames.map((name) => {
      const values = found.map((r) => (r.params || {})[name]);
      return { name, values, diff: differs(values) };
    });
    const metricRows = metricNames.map((name) => {
      const values = metricSets.map((m) => m[name]);
      return { name, values, diff: differs(values) };
    });

    const heads = h('div', { class: 'compare-heads' }, found.map((r) => h('a', { class: 'card compare-head', href: `#/runs/${encodeURIComponent(r.id)}` },
      h('div', { class: 'row' }, statusBadge(r.status), h('span', { class: 'muted small' }, relative(r.createdAt))),
      h('div', { class: 'mono small truncate', title: r.id }, r.id),
      h('div', { class: 'small' }, `${r.pipeline} v${r.version}`))));

    const pipelines = [...new Set(found.map((r) => r.pipeline))];
    const numeric = metricNames.filter((n) => metricSets.some((m) => typeof m[n] === 'number'));
    const metricSelect = h('select', { 'data-test': 'chart-metric', 'aria-label': 'Metric' }, numeric.map((n) => h('option', { value: n }, n)));
    const pipelineSelect = h('select', { 'data-test': 'chart-pipeline', 'aria-label': 'Pipeline', hidden: pipelines.length < 2 },
      pipelines.map((p) => h('option', { value: p }, p)));
    const chartBox = h('div', { class: 'chart-box' });
    const chartCard = h('section', { class: 'card' },
      h('div', { class: 'card-header' }, h('h2', null, 'Metric over time'), h('span', { class: 'spacer' }),
        pipelineSelect, metricSelect),
      h('div', { class: 'card-body' },
        h('p', { class: 'muted small chart-note' }, `The last ${HISTORY} runs of the pipeline; the compared runs are the orange points.`),
        chartBox));
    const redraw = () => {
      if (!metricSelect.value) return;
      metricSelect.disabled = true;
      drawChart(chartBox, pipelineSelect.value, metricSelect.value, found, metricSelect)
        .catch((e) => { replace(chartBox, errorBox(e)); metricSelect.disabled = false; });
    };
    metricSelect.addEventListener('change', redraw);
    pipelineSelect.addEventListener('change', redraw);

    replace(content,
      missing.length ? h('div', { class: 'alert alert-error' }, `Not found: ${missing.join(', ')}`) : null,
      heads,
      h('div', { class: 'compare-grid' },
        table('Params', 'compare-params', paramRows, found),
        table('Metrics', 'compare-metrics', metricRows, found)),
      numeric.length ? chartCard : null);
    useCss(UPLOT_CSS);
    if (numeric.length) redraw();
  })().catch((e) => { if (alive) replace(content, errorBox(e)); });

  return () => { alive = false; if (resize) resize.disconnect(); if (plot) plot.destroy(); };
}
