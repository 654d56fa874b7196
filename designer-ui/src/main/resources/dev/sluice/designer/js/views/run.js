// #/runs/{id} : one run. Its graph with live status colours (the events stream), the selected
// step's attempts, metrics, outputs and live log, a timeline of the attempts, cancel and retry.
import { h, replace, statusBadge, errorBox, empty, toast, icon, modal } from '../dom.js';
import { get, post, seg, stream } from '../api.js';
import { duration, between, dateTime, relative, value } from '../format.js';
import { createGraphView } from '../graph/index.js';
import { createStepPanel } from './run-step.js';
import { gantt } from './run-gantt.js';
import { triggerView, provenance, alertBadge } from './run-provenance.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

export function mount(root, store, params) {
  const runId = params.id;
  const key = `run:${runId}`;
  let alive = true;
  let events = null;
  let lastEventId = null;
  let refreshTimer = null;
  let tick = null;
  let graphView = null;
  let panel = null;
  let order = [];
  let tookEl = null;
  let selected = params.query && params.query.step ? params.query.step : null;

  const header = h('div', { class: 'page-header run-header' });
  const graphBox = h('div', { class: 'graph-box' });
  const graphCard = h('section', { class: 'card graph-card' },
    h('div', { class: 'card-header' }, h('h2', null, 'Graph'), h('span', { class: 'spacer' }),
      h('span', { class: 'muted small legend' }, ['SUCCEEDED', 'RUNNING', 'FAILED', 'QUEUED', 'SKIPPED'].map((st) =>
        h('span', { class: 'legend-item' }, h('span', { class: ['dot', `status-${st}`] }), st.toLowerCase())))),
    graphBox);
  const timeline = h('div', { class: 'card-body' });
  const timelineCard = h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Timeline')), timeline);
  const side = h('div', { class: 'run-side' });
  const body = h('div', { class: 'run-layout' }, h('div', { class: 'run-main' }, graphCard, timelineCard), side);
  const page = h('section', { class: 'page page-wide run-page', 'data-test': 'run-page', 'data-run': runId },
    header, h('div', { class: 'loading' }, 'Loading the run…'));
  replace(root, page);

  const run = () => store.get(key);

  const select = (id) => {
    selected = id;
    const url = `#/runs/${encodeURIComponent(runId)}${id ? `?step=${encodeURIComponent(id)}` : ''}`;
    history.replaceState(null, '', url);
    if (graphView) graphView.select(id);
    renderSide();
    renderTimeline();
  };

  const act = async (what, button) => {
    button.disabled = true;
    try {
      const res = await post(`/api/runs/${seg(runId)}/${what}`);
      toast(what === 'cancel' ? 'Cancelling the run…' : 'Retrying the failed steps…');
      store.update(key, (r) => ({ ...r, status: res.status }));
      if (what === 'retry') follow();
      refreshSoon();
    } catch (e) {
      toast(e.message);
      button.disabled = false;
    }
  };

  const rerun = async (button) => {
    button.disabled = true;
    try {
      const res = await post(`/api/runs/${seg(runId)}/rerun`);
      toast(`Rerun started: ${res.id}`);
      location.hash = `#/runs/${encodeURIComponent(res.id)}`;
    } catch (e) {
      toast(e.message);
      button.disabled = false;
    }
  };

  const diffWith = async (r) => {
    const rerunOf = r.rerun_of || r.rerunOf;
    const other = await modal((close) => {
      const input = h('input', { type: 'text', name: 'other', required: true, value: rerunOf || '', placeholder: 'another run id', 'data-test': 'diff-other', spellcheck: 'false' });
      const form = h('form', { class: 'stack', method: 'dialog' },
        h('h2', null, 'Diff with another run'),
        h('p', { class: 'muted' }, 'Params, model versions, code, metrics and every output whose hash differs.'),
        h('label', { class: 'field' }, h('span', null, 'Run'), input),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, 'Cancel'),
          h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'diff-go' }, 'Diff')));
      form.addEventListener('submit', (e) => { e.preventDefault(); if (input.value.trim()) close(input.value.trim()); });
      return form;
    }, { 'data-test': 'diff-dialog' });
    if (other) location.hash = `#/runs/${encodeURIComponent(other)}/diff/${encodeURIComponent(runId)}`;
  };

  const renderHeader = () => {
    const r = run();
    if (!r) return;
    const buttons = [];
    if (ACTIVE.has(r.status)) {
      const b = h('button', { class: 'btn btn-danger', type: 'button', 'data-test': 'cancel' }, icon('stop'), 'Cancel');
      b.addEventListener('click', () => act('cancel', b));
      buttons.push(b);
    }
    if (r.status === 'FAILED' || r.status === 'CANCELLED') {
      const b = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'retry' }, icon('retry'), 'Retry failed steps');
      b.addEventListener('click', () => act('retry', b));
      buttons.push(b);
    }
    if (!ACTIVE.has(r.status)) {
      const b = h('button', { class: 'btn', type: 'button', 'data-test': 'rerun', title: 'A new run of the same pipeline version with the same params, logical date and model versions' }, icon('play'), 'Rerun');
      b.addEventListener('click', () => rerun(b));
      buttons.push(b);
      const d = h('button', { class: 'btn btn-ghost', type: 'button', 'data-test': 'diff-with' }, 'Diff with…');
      d.addEventListener('click', () => diffWith(r));
      buttons.push(d);
    }
    // an event says the run ended before the refresh brings its end time: no duration until then
    const took = r.startedAt && (r.endedAt || ACTIVE.has(r.status)) ? duration(between(r.startedAt, r.endedAt)) : null;
    tookEl = took ? h('span', null, `${r.endedAt ? 'took' : 'running for'} ${took}`) : null;
    replace(header,
      h('div', { class: 'titles' },
        h('div', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), h('span', null, '/'),
          h('a', { href: `#/runs?pipeline=${encodeURIComponent(r.pipeline)}` }, r.pipeline)),
        h('div', { class: 'row title-row' }, h('h1', { class: 'mono run-id' }, r.id), statusBadge(r.status, { 'data-test': 'run-status' })),
        h('div', { class: 'meta' },
          h('span', null, h('a', { href: `#/pipelines/${encodeURIComponent(r.pipeline)}/edit` }, r.pipeline), ` v${r.version}`),
          triggerView(r.trigger),
          h('span', { title: dateTime(r.createdAt) }, `created ${relative(r.createdAt)}`),
          tookEl,
          r.reason ? h('span', { class: 'reason' }, r.reason) : null,
          alertBadge(r.alerts)),
        provenance(r)),
      h('div', { class: 'actions' }, buttons));
  };

  const renderSide = () => {
    const r = run();
    if (!r) return;
    const step = selected && (r.steps || []).find((st) => st.id === selected);
    if (step) {
      if (!panel) {
        panel = createStepPanel(runId, { onClose: () => select(null) });
      }
      if (panel.element.parentNode !== side) replace(side, panel.element);
      panel.show(step);
      return;
    }
    if (panel) { panel.destroy(); panel = null; }
    const paramsList = Object.entries(r.params || {});
    const counts = {};
    for (const st of r.steps || []) counts[st.status] = (counts[st.status] || 0) + 1;
    replace(side, h('aside', { class: 'card run-summary', 'data-test': 'run-summary' },
      h('div', { class: 'card-body stack' },
        h('div', { class: 'section-title' }, 'Steps'),
        h('div', { class: 'row wrap' }, Object.entries(counts).map(([st, n]) => {
          const badge = statusBadge(st);
          badge.append(` ${n}`);
          return badge;
        })),
        h('p', { class: 'muted small' }, 'Click a step in the graph or the timeline for its attempts, metrics, outputs and log.'),
        h('div', { class: 'section-title' }, 'Params'),
        paramsList.length ? h('table', { class: 'table table-compact', 'data-test': 'params' }, h('tbody', null,
          paramsList.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'mono num' }, value(v))))))
          : h('p', { class: 'muted small' }, 'No params.'),
        r.logicalDate ? [h('div', { class: 'section-title' }, 'Logical date'), h('p', { class: 'mono small' }, r.logicalDate)] : null)));
  };

  const renderTimeline = () => {
    const r = run();
    if (r) replace(timeline, gantt(r, order, selected, select));
  };

  const statusMap = () => {
    const map = {};
    for (const st of (run() || {}).steps || []) map[st.id] = st.status;
    return map;
  };

  const render = () => {
    renderHeader();
    renderSide();
    renderTimeline();
    if (graphView) graphView.setStatus(statusMap());
  };

  const refresh = async () => {
    try {
      const r = await get(`/api/runs/${seg(runId)}`);
      if (alive) store.set({ [key]: r });
    } catch (e) {
      if (alive) toast(e.message);
    }
  };
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 200);
  };

  const follow = () => {
    if (events) events.close();
    const after = lastEventId ? `?after=${encodeURIComponent(lastEventId)}` : '';
    events = stream(`/api/runs/${seg(runId)}/events${after}`, {
      onEvent: (type, data, id) => {
        if (id) lastEventId = id;
        if (!data || typeof data !== 'object') return;
        store.update(key, (r) => {
          if (!r) return r;
          if (data.kind === 'run') return { ...r, status: data.status, reason: data.reason };
          return { ...r, steps: (r.steps || []).map((st) => (st.id === data.step ? { ...st, status: data.status, reason: data.reason } : st)) };
        });
        refreshSoon();
      },
      onEnd: () => { refreshSoon(); },
      onError: (e) => toast(e.message),
    });
  };

  const start = async () => {
    let r;
    try {
      r = await get(`/api/runs/${seg(runId)}`);
    } catch (e) {
      if (!alive) return;
      replace(page, e.status === 404
        ? empty('No such run', `There is no run ${runId}.`, h('a', { class: 'btn', href: '#/runs' }, 'All runs'))
        : errorBox(e));
      return;
    }
    if (!alive) return;
    store.set({ [key]: r });
    replace(page, header, body);
    render();
    // the view reports {type: 'node', id}, {type: 'edge', ...} or null; only steps matter here
    graphView = createGraphView(graphBox, { onSelect: (sel) => select(sel && sel.type === 'node' ? sel.id : null) });
    try {
      const graph = await get(`/api/pipelines/${seg(r.pipeline)}/graph?version=${r.version}`);
      if (!alive) return;
      order = (graph.nodes || []).map((n) => n.id);
      graphBox.style.height = `${Math.min(Math.max(graph.layout.height + 56, 200), 460)}px`;
      graphView.setGraph(graph, graph.layout);
      graphView.setStatus(statusMap());
      if (selected) graphView.select(selected);
      renderTimeline();
    } catch (e) {
      replace(graphBox, errorBox(e));
    }
    follow();
    tick = setInterval(() => { const cur = run(); if (cur && ACTIVE.has(cur.status)) {
      renderTimeline();
      if (tookEl && cur.startedAt) tookEl.textContent = `running for ${duration(between(cur.startedAt, null))}`;
    } }, 1000);
  };

  const unsubscribe = store.subscribe(render, [key]);
  start();

  return () => {
    alive = false;
    unsubscribe();
    clearTimeout(refreshTimer);
    clearInterval(tick);
    if (events) events.close();
    if (panel) panel.destroy();
    if (graphView) graphView.destroy();
    store.remove(key);
  };
}
