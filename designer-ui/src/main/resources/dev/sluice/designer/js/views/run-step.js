// The panel of one step of a run: its attempts (worker, exit code, reason, duration), metrics,
// output downloads, and its log, followed live while the attempt runs.
import { h, replace, statusBadge, icon, toast } from '../dom.js';
import { stream, seg, download, token, get } from '../api.js';
import { duration, between, dateTime, clock, value, bytes } from '../format.js';
import { seriesData } from '../series.js';
import { chart, PALETTE } from '../chart.js';

const MAX_LINES = 5000;

/** One log line as the server sends it: "<instant> <out|err|sys> <text>". */
export function logLine(raw) {
  const a = raw.indexOf(' ');
  const b = a < 0 ? -1 : raw.indexOf(' ', a + 1);
  if (a < 0) return h('div', { class: 'line' }, raw);
  const at = raw.slice(0, a);
  const streamName = b < 0 ? raw.slice(a + 1) : raw.slice(a + 1, b);
  const text = b < 0 ? '' : raw.slice(b + 1);
  return h('div', { class: ['line', streamName === 'err' && 'err', streamName === 'sys' && 'sys'] },
    h('span', { class: 'ts', title: at }, clock(at) || at.slice(11, 19)), ' ', text);
}

export function createStepPanel(runId, { onClose } = {}) {
  const info = h('div', { class: 'step-info' });
  // the metric series of the shown attempt, drawn once per (step, attempt, state): a chart each
  const seriesBox = h('div', { class: 'series-box', 'data-test': 'series' });
  let seriesKey = null;
  let seriesCharts = [];
  let seriesGen = 0;
  const clearSeries = () => { for (const c of seriesCharts) c.destroy(); seriesCharts = []; };
  const loadSeries = async (step, attempt) => {
    const k = `${step.id} ${attempt || ''} ${step.status} ${(step.attempts || []).length}`;
    if (k === seriesKey) return;
    seriesKey = k;
    const gen = ++seriesGen;
    if (!(step.attempts || []).length) { clearSeries(); seriesBox.replaceChildren(); return; }
    let answer;
    try {
      answer = await get(`/api/runs/${seg(runId)}/steps/${seg(step.id)}/metrics${attempt ? `?attempt=${attempt}` : ''}`);
    } catch {
      answer = null; // a server without series: the metrics table says enough
    }
    if (gen !== seriesGen) return;
    clearSeries();
    const series = Object.entries((answer && answer.series) || {}).filter(([, pts]) => Array.isArray(pts) && pts.length > 1);
    if (!series.length) { seriesBox.replaceChildren(); return; }
    seriesBox.replaceChildren(h('div', { class: 'section-title' }, 'Series'));
    for (const [i, [name, pts]] of series.entries()) {
      const host = h('div', { class: 'chart chart-small', 'data-test': 'series-chart', 'data-name': name, 'data-points': String(pts.length) });
      seriesBox.append(host);
      const c = await chart(host, seriesData(pts), { height: 160, legend: true, x: { label: 'step', steps: true }, series: [{ label: name, stroke: PALETTE[i % PALETTE.length] }] });
      if (gen !== seriesGen) { c.destroy(); return; }
      seriesCharts.push(c);
    }
  };
  const logTitle = h('span', { class: 'section-title' }, 'Log');
  const live = h('span', { class: 'live', hidden: true }, 'live');
  const log = h('pre', { class: 'log step-log', 'data-test': 'log', tabindex: '0' });
  // search in the log: only the lines holding the text stay shown (new lines too)
  const logFilter = h('input', { type: 'search', class: 'log-filter', placeholder: 'Find in the log', 'aria-label': 'Find in the log', 'data-test': 'log-filter', spellcheck: 'false' });
  const logCount = h('span', { class: 'muted small', 'data-test': 'log-filter-count' });
  const matches = (line) => { const q = logFilter.value.toLowerCase(); return !q || line.textContent.toLowerCase().includes(q); };
  let shownLines = 0;
  const showCount = () => { logCount.textContent = logFilter.value ? `${shownLines} line${shownLines === 1 ? '' : 's'}` : ''; };
  const filterLog = () => {
    shownLines = 0;
    for (const line of log.children) { const ok = matches(line); line.hidden = !ok; if (ok) shownLines++; }
    showCount();
  };
  logFilter.addEventListener('input', filterLog);
  const el = h('aside', { class: 'card step-panel', 'data-test': 'step-panel' },
    info,
    h('div', { class: 'step-log-section' }, h('div', { class: 'row' }, logTitle, live, h('span', { class: 'spacer' }), logCount, logFilter), log));

  let stepId = null;
  let attemptShown = null; // null = follow the latest
  let logAttempt = null;   // the attempt the open stream is for (0 until known)
  let logStream = null;
  let stick = true;
  log.addEventListener('scroll', () => { stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 8; });

  const closeLog = () => { if (logStream) logStream.close(); logStream = null; };

  const openLog = (attempt) => {
    closeLog();
    log.replaceChildren();
    stick = true;
    logAttempt = attempt || 0;
    const q = attempt ? `&attempt=${attempt}` : '';
    live.hidden = false;
    const path = `/api/runs/${seg(runId)}/steps/${seg(stepId)}/logs?follow=true${q}`;
    logStream = stream(path, {
      onEvent: (type, data) => {
        if (type !== 'log') return;
        const line = logLine(String(data));
        if (logFilter.value) { line.hidden = !matches(line); if (!line.hidden) { shownLines++; showCount(); } }
        log.append(line);
        while (log.childElementCount > MAX_LINES) log.firstChild.remove();
        if (stick) log.scrollTop = log.scrollHeight;
      },
      onEnd: (data) => {
        live.hidden = true;
        logStream = null;
        if (data && typeof data === 'object' && data.attempt !== undefined) logAttempt = data.attempt;
        if (!log.childElementCount) log.append(h('div', { class: 'line muted' }, data && data.attempt === 0 ? 'The step did not run.' : 'No output.'));
      },
      onError: (e) => { live.hidden = true; logStream = null; log.append(h('div', { class: 'line err' }, e.message)); },
    });
  };

  const outputLink = (o) => {
    const name = o.path.split('/').pop() || o.sha256;
    const a = h('a', { href: `/api/artifacts/${o.sha256}`, download: name, class: 'output-link', 'data-test': 'output' },
      icon('download'), h('span', { class: 'mono truncate' }, o.path));
    a.addEventListener('click', (e) => {
      if (!token()) return; // the browser downloads it; with a token it must go through fetch
      e.preventDefault();
      download(o.sha256, name).catch((err) => toast(err.message));
    });
    return h('li', null, a, h('span', { class: 'muted small' }, bytes(o.size)));
  };

  const render = (step) => {
    const attempts = step.attempts || [];
    const metrics = Object.entries(step.metrics || {});
    const outputs = step.outputs || [];
    const matrix = Object.entries(step.matrix || {});
    replace(info,
      h('div', { class: 'step-head' },
        h('div', { class: 'stack step-title' },
          h('h2', { class: 'mono step-name', 'data-test': 'step-name' }, step.id),
          h('div', { class: 'row' }, statusBadge(step.status, { 'data-test': 'step-status' }),
            step.cached ? h('span', { class: 'badge badge-accent' }, 'cached') : null,
            step.startedAt ? h('span', { class: 'muted small' }, duration(between(step.startedAt, step.endedAt))) : null,
            attempts.length ? h('a', { class: 'small', href: `#/lineage?run=${encodeURIComponent(runId)}&step=${encodeURIComponent(step.id)}`, 'data-test': 'step-lineage',
              title: 'where its inputs came from and where its outputs went' }, 'Lineage') : null)),
        h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'aria-label': 'Close', title: 'Close', onclick: () => onClose && onClose() }, '✕')),
      step.reason ? h('div', { class: 'alert alert-error small', 'data-test': 'step-reason' }, step.reason) : null,
      matrix.length ? h('div', { class: 'row wrap' }, matrix.map(([k, v]) => h('span', { class: 'badge mono' }, `${k}=${value(v)}`))) : null,
      h('div', { class: 'section-title' }, `Attempts (${attempts.length})`),
      attempts.length ? h('table', { class: 'table table-compact attempts', 'data-test': 'attempts' },
        h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Status'), h('th', null, 'Worker'),
          h('th', { class: 'num' }, 'Exit'), h('th', { class: 'num' }, 'Time'))),
        h('tbody', null, attempts.map((a) => {
          const tr = h('tr', { class: ['clickable', (attemptShown || logAttempt) === a.attempt && 'is-selected'], title: `show the log of attempt ${a.attempt}` },
            h('td', null, String(a.attempt)),
            h('td', null, statusBadge(a.status || (a.endedAt ? 'FAILED' : 'RUNNING'))),
            h('td', { class: 'truncate mono small', title: a.worker || '' }, a.worker || '—'),
            h('td', { class: 'num mono' }, a.exitCode === null || a.exitCode === undefined ? '—' : String(a.exitCode)),
            h('td', { class: 'num nowrap', title: `${dateTime(a.startedAt)} → ${a.endedAt ? dateTime(a.endedAt) : 'running'}` },
              duration(between(a.startedAt, a.endedAt))));
          tr.addEventListener('click', () => { attemptShown = a.attempt; openLog(a.attempt); render(step); });
          const why = reasonText(a.reason, a.error);
          return why ? [tr, h('tr', { class: 'sub' }, h('td'), h('td', { colspan: '4', class: 'small muted' }, why))] : tr;
        }))) : h('p', { class: 'muted small' }, step.status === 'SKIPPED' ? 'Skipped: it did not run.' : 'Not started yet.'),
      metrics.length ? [h('div', { class: 'section-title' }, 'Metrics'),
        h('table', { class: 'table table-compact', 'data-test': 'metrics' }, h('tbody', null,
          metrics.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'num mono' }, value(v))))))] : null,
      seriesBox,
      outputs.length ? [h('div', { class: 'section-title' }, 'Outputs'), h('ul', { class: 'outputs' }, outputs.map(outputLink))] : null);
    loadSeries(step, attemptShown).catch(() => {});
    logTitle.textContent = attemptShown ? `Log · attempt ${attemptShown}` : (attempts.length ? `Log · attempt ${attempts.length}` : 'Log');
  };

  return {
    element: el,
    get stepId() { return stepId; },
    /** Shows a step (its record from the run report); re-opens the log when the step or its latest attempt changed. */
    show(step) {
      const latest = (step.attempts || []).length;
      if (step.id !== stepId) {
        stepId = step.id;
        attemptShown = null;
        openLog(null);
      } else if (attemptShown === null && logStream === null && latest > logAttempt) {
        openLog(null); // a retry started a new attempt: follow it
      }
      render(step);
    },
    destroy() { closeLog(); seriesGen++; clearSeries(); el.remove(); },
  };
}

/** A reason and an error said once: 'exit code 1', not 'exit code 1: exit code 1' (one may hold the other). */
export function reasonText(reason, error) {
  const r = (reason || '').trim();
  const e = (error || '').trim();
  if (!r || !e) return r || e;
  if (r.includes(e)) return r;
  if (e.includes(r)) return e;
  return `${r}: ${e}`;
}
