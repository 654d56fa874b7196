// #/runs/{id} : one run. Its graph with live status colours (the events stream), the selected
// step's attempts, metrics, outputs and live log, a timeline of the attempts, cancel and retry.
// Live events are applied in batches, one per animation frame: each changes its task's status and
// attempts in the run (no refetch; the run is read again when it ends), and the views draw only
// what changed (one box, the rows of the timeline in view, the counters).
import { h, replace, statusBadge, errorBox, empty, toast, icon, modal, breakable } from '../dom.js';
import { get, post, seg, stream } from '../api.js';
import { duration, between, dateTime, relative, value } from '../format.js';
import { createGraphView } from '../graph/index.js';
import { createStepPanel } from './run-step.js';
import { createTimeline } from './run-gantt.js';
import { triggerView, provenance, alertBadge } from './run-provenance.js';
import { askRun } from '../editor/run-dialog.js';
import { runKeys, runActions } from '../store.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);
/** Events applied in one frame at most (a burst waits for the next frames). */
const MAX_EVENTS_PER_FRAME = 300;

/** Pure: a step after one of its events (status, reason, and the attempt the event names). */
export function stepAfter(st, ev) {
  const next = { ...st, status: ev.status, reason: ev.reason ?? st.reason };
  const n = ev.attempt;
  if (!n || !ev.at) return next;
  const attempts = (st.attempts || []).slice();
  const i = attempts.findIndex((a) => a.attempt === n);
  if (ev.status === 'RUNNING') {
    if (i < 0) attempts.push({ attempt: n, status: 'RUNNING', startedAt: ev.at, endedAt: null });
  } else if (i >= 0 && !attempts[i].endedAt) {
    // QUEUED after RUNNING: the attempt failed and a retry waits
    const status = ENDED.has(ev.status) ? ev.status : 'FAILED';
    attempts[i] = { ...attempts[i], status, endedAt: ev.at, reason: ev.reason ?? attempts[i].reason };
  } else {
    return next;
  }
  next.attempts = attempts;
  return next;
}

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
  // the selected step is the store's (runActions.selectStep), read here, drawn by the graph and timeline
  const selectedKey = runKeys.step(runId);
  runActions.selectStep(store, runId, params.query && params.query.step ? params.query.step : null);
  const selectedStep = () => store.get(selectedKey) || null;
  let pending = [];          // events received since the last frame
  let flushFrame = 0;
  let indexOf = new Map();   // task id -> index in run.steps
  let indexedSteps = null;
  // what is drawn: to draw only what changed
  let drawnSteps = null;
  let drawnById = new Map();
  let drawnHeader = null;
  let countsEl = null;
  let drawnCounts = '';
  const timelineView = createTimeline({ onSelect: (id) => select(id) });

  const header = h('div', { class: 'page-header run-header' });
  const graphBox = h('div', { class: 'graph-box' });
  const graphCard = h('section', { class: 'card graph-card' },
    h('div', { class: 'card-header' }, h('h2', null, 'Graph'), h('span', { class: 'spacer' }),
      h('span', { class: 'muted small legend' }, ['SUCCEEDED', 'RUNNING', 'FAILED', 'QUEUED', 'SKIPPED'].map((st) =>
        h('span', { class: 'legend-item' }, h('span', { class: ['dot', `status-${st}`] }), st.toLowerCase())))),
    graphBox);
  const timeline = h('div', { class: 'card-body' });
  const stepFind = h('input', { type: 'search', class: 'list-filter', placeholder: 'Find a step', 'aria-label': 'Find a step', 'data-test': 'run-step-find', spellcheck: 'false' });
  stepFind.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const q = stepFind.value.trim().toLowerCase();
    const ids = ((run() || {}).steps || []).map((st) => st.id);
    const id = ids.find((x) => x.toLowerCase() === q) || ids.find((x) => x.toLowerCase().startsWith(q)) || ids.find((x) => x.toLowerCase().includes(q));
    if (id) { select(id); if (graphView) graphView.reveal(id); } else toast(`No step matches "${stepFind.value.trim()}"`);
  });
  const timelineCard = h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Timeline'), h('span', { class: 'spacer' }), stepFind), timeline);
  const side = h('div', { class: 'run-side' });
  const body = h('div', { class: 'run-layout' }, h('div', { class: 'run-main' }, graphCard, timelineCard), side);
  const page = h('section', { class: 'page page-wide run-page', 'data-test': 'run-page', 'data-run': runId },
    header, h('div', { class: 'loading' }, 'Loading the run…'));
  replace(root, page);

  const run = () => store.get(key);

  const select = (id) => {
    runActions.selectStep(store, runId, id);
    const url = `#/runs/${encodeURIComponent(runId)}${id ? `?step=${encodeURIComponent(id)}` : ''}`;
    history.replaceState(null, '', url);
    if (graphView) graphView.showSelection();
    renderSide(true);
    renderTimeline();
    if (id) timelineView.reveal(id);
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
    const sig = [r.status, r.reason, r.startedAt, r.endedAt, r.version, (r.alerts || []).length, r.trigger && r.trigger.type].join('|');
    if (sig === drawnHeader) return;
    drawnHeader = sig;
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
    {
      // a new run of the pipeline's latest version, its params form filled with this run's
      const b = h('button', { class: 'btn', type: 'button', 'data-test': 'run-again', title: "Start a run of the pipeline's latest version with these params (changeable first)" }, 'Run again with these params');
      b.addEventListener('click', async () => {
        const id = await askRun(r.pipeline, r.params || {});
        if (id) location.hash = `#/runs/${encodeURIComponent(id)}`;
      });
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

  const countsOf = (r) => {
    const counts = {};
    for (const st of r.steps || []) counts[st.status] = (counts[st.status] || 0) + 1;
    return counts;
  };

  /** The counters: a badge per status, its number changed in place (a live run changes them every frame). */
  let countEls = new Map();
  const renderCounts = (r) => {
    const counts = countsOf(r);
    const sig = JSON.stringify(counts);
    if (sig === drawnCounts || !countsEl) return;
    const sameStatuses = drawnCounts && [...countEls.keys()].join() === Object.keys(counts).join();
    drawnCounts = sig;
    if (sameStatuses) {
      for (const [st, n] of Object.entries(counts)) countEls.get(st).nodeValue = ` ${n}`;
      return;
    }
    countEls = new Map();
    countsEl.replaceChildren(...Object.entries(counts).map(([st, n]) => {
      const badge = statusBadge(st);
      const text = document.createTextNode(` ${n}`);
      badge.append(text);
      countEls.set(st, text);
      return badge;
    }));
  };

  /** The selected step's panel, or the run's summary; force: draw it again even if its step did not change. */
  let panelStep = null;
  const renderSide = (force = false) => {
    const r = run();
    if (!r) return;
    const selected = selectedStep();
    const step = selected && (r.steps || [])[indexOf.get(selected) ?? -1];
    const found = step && step.id === selected ? step : selected && (r.steps || []).find((st) => st.id === selected);
    if (found) {
      if (!panel) {
        panel = createStepPanel(runId, { onClose: () => select(null) });
      }
      if (panel.element.parentNode !== side) { replace(side, panel.element); countsEl = null; }
      if (force || found !== panelStep) { panelStep = found; panel.show(found); }
      return;
    }
    panelStep = null;
    if (panel) { panel.destroy(); panel = null; }
    if (countsEl && !force && side.firstChild && side.firstChild.dataset.test === 'run-summary') { renderCounts(r); return; }
    const paramsList = Object.entries(r.params || {});
    countsEl = h('div', { class: 'row wrap', 'data-test': 'run-counts' });
    drawnCounts = '';
    replace(side, h('aside', { class: 'card run-summary', 'data-test': 'run-summary' },
      h('div', { class: 'card-body stack' },
        h('div', { class: 'section-title' }, 'Steps'),
        countsEl,
        h('p', { class: 'muted small' }, 'Click a step in the graph or the timeline for its attempts, metrics, outputs and log.'),
        h('div', { class: 'section-title' }, 'Params'),
        paramsList.length ? h('table', { class: 'table table-compact', 'data-test': 'params' }, h('tbody', null,
          paramsList.map(([k, v]) => h('tr', null, h('td', { class: 'mono name-cell', 'data-test': 'param-name' }, breakable(k)), h('td', { class: 'mono num name-cell' }, value(v))))))
          : h('p', { class: 'muted small' }, 'No params.'),
        r.logicalDate ? [h('div', { class: 'section-title' }, 'Logical date'), h('p', { class: 'mono small' }, r.logicalDate)] : null)));
    renderCounts(r);
  };

  const renderTimeline = () => {
    const r = run();
    if (!r) return;
    if (timelineView.element.parentNode !== timeline) replace(timeline, timelineView.element);
    timelineView.update(r, order, selectedStep());
  };

  const statusMap = () => {
    const map = {};
    for (const st of (run() || {}).steps || []) map[st.id] = st.status;
    return map;
  };

  const reindex = (r) => {
    if (r.steps === indexedSteps) return;
    indexedSteps = r.steps;
    indexOf = new Map((r.steps || []).map((st, i) => [st.id, i]));
  };

  /** Draws what changed since the last time: the header if the run's own fields did, the boxes of changed steps. */
  const render = () => {
    const r = run();
    if (!r) return;
    reindex(r);
    renderHeader();
    renderSide();
    renderTimeline();
    if (r.steps === drawnSteps) return;
    drawnSteps = r.steps;
    const changes = {};
    const now = new Map();
    for (const st of r.steps || []) {
      now.set(st.id, st);
      const before = drawnById.get(st.id);
      if (!before || before.status !== st.status) changes[st.id] = st.status;
    }
    drawnById = now;
    if (graphView) graphView.updateStatus(changes);
  };

  /** Applies the events received since the last frame to the run, as one change of the store. */
  const flush = () => {
    flushFrame = 0;
    // a burst (hundreds of steps changing in one second) is applied in slices, one a frame, so
    // that no frame holds the page for longer than it takes to draw a slice
    const events = pending.length > MAX_EVENTS_PER_FRAME ? pending.splice(0, MAX_EVENTS_PER_FRAME) : pending;
    if (events === pending) pending = [];
    else flushFrame = requestAnimationFrame(flush);
    const r = run();
    if (!r || !events.length) return;
    reindex(r);
    let steps = null;
    let next = r;
    let ended = false;
    let unknown = false;
    for (const ev of events) {
      if (ev.kind === 'run') {
        next = { ...next, status: ev.status, reason: ev.reason };
        if (!ACTIVE.has(ev.status)) ended = true;
        continue;
      }
      const i = indexOf.get(ev.step);
      if (i === undefined) { unknown = true; continue; }
      if (!steps) steps = (r.steps || []).slice();
      steps[i] = stepAfter(steps[i], ev);
    }
    if (steps) {
      next = { ...next, steps };
      indexedSteps = steps; // the same steps in the same places: the index still holds
    }
    if (next !== r) store.set({ [key]: next });
    if (ended || unknown) refreshSoon();
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
        pending.push(data);
        if (!flushFrame) flushFrame = requestAnimationFrame(flush);
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
    // the page's frame first, the timeline's rows in a task of their own
    await nextTask();
    if (!alive) return;
    timelineView.drawNow();
    // the view reports {type: 'node', id}, {type: 'edge', ...} or null; only steps matter here
    graphView = createGraphView(graphBox, {
      selection: () => (selectedStep() ? { type: 'node', id: selectedStep() } : null),
      onSelect: (sel) => select(sel && sel.type === 'node' ? sel.id : null) });
    try {
      const graph = await get(`/api/pipelines/${seg(r.pipeline)}/graph?version=${r.version}`);
      // reading a large graph and drawing it are two tasks, so the page answers between them
      await nextTask();
      if (!alive) return;
      order = (graph.nodes || []).map((n) => n.id);
      graphBox.style.height = `${Math.min(Math.max(graph.layout.height + 56, 200), 460)}px`;
      // the colours first, so the far view is built once, with them
      graphView.setStatus(statusMap());
      graphView.setGraph(graph, graph.layout);
      drawnSteps = run().steps;
      drawnById = new Map((drawnSteps || []).map((st) => [st.id, st]));
      if (selectedStep()) graphView.showSelection();
      await nextTask();
      if (!alive) return;
      renderTimeline();
      if (selectedStep()) timelineView.reveal(selectedStep());
    } catch (e) {
      replace(graphBox, errorBox(e));
    }
    // a run that has ended changes no more: its events would only replay what the report says
    if (ACTIVE.has(run().status)) follow();
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
    if (flushFrame) cancelAnimationFrame(flushFrame);
    timelineView.destroy();
    if (events) events.close();
    if (panel) panel.destroy();
    if (graphView) graphView.destroy();
    store.remove(key);
    runActions.forget(store, runId);
  };
}
