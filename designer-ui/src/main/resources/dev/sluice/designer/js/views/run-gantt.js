// The timeline of a run: one row per task, one bar per attempt from its start to its end (now
// while running), coloured by how it ended.
import { h } from '../dom.js';
import { parseTime, duration } from '../format.js';

function ticks(span) {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400].map((x) => x * 1000);
  const step = steps.find((st) => span / st <= 6) || steps[steps.length - 1];
  const out = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}

/**
 * @param run   the run report (GET /api/runs/{id})
 * @param order task ids in graph order
 * @param onSelect called with a task id when a row is clicked
 */
export function gantt(run, order, selected, onSelect) {
  const steps = new Map((run.steps || []).map((st) => [st.id, st]));
  const ids = order.length ? order : [...steps.keys()];
  // from the first attempt's start (the wait before it is not a step's time) to the run's end
  let start = null;
  let end = parseTime(run.endedAt);
  for (const st of steps.values()) {
    for (const a of st.attempts || []) {
      const s0 = parseTime(a.startedAt);
      if (s0 !== null && (start === null || s0 < start)) start = s0;
      const e0 = parseTime(a.endedAt);
      if (e0 !== null && (end === null || e0 > end)) end = e0;
    }
  }
  const running = !run.endedAt;
  if (running) end = Date.now();
  if (start === null) return h('div', { class: 'gantt-empty muted', 'data-test': 'gantt' }, 'No step has started yet.');
  const span = Math.max(end - start, 1000);
  const pct = (t) => `${(Math.max(0, Math.min(span, t - start)) / span) * 100}%`;

  const axis = h('div', { class: 'gantt-axis' }, ticks(span).map((t) =>
    h('span', { class: 'gantt-tick', style: { left: `${(t / span) * 100}%` } }, t === 0 ? '0' : duration(t))));

  const rows = ids.map((id) => {
    const st = steps.get(id);
    const attempts = (st && st.attempts) || [];
    const bars = attempts.filter((a) => a.startedAt).map((a) => {
      const a0 = parseTime(a.startedAt);
      const a1 = a.endedAt ? parseTime(a.endedAt) : Date.now();
      const status = a.status || (a.endedAt ? 'FAILED' : 'RUNNING');
      const label = `${id} #${a.attempt}: ${status.toLowerCase()} in ${duration(a1 - a0)}${a.reason ? ` (${a.reason})` : ''}`;
      return h('span', {
        class: ['gantt-bar', `status-${status}`], title: label, 'aria-label': label,
        style: { left: pct(a0), width: `max(3px, calc(${pct(a1)} - ${pct(a0)}))` },
      });
    });
    const status = st ? st.status : 'PENDING';
    return h('div', { class: ['gantt-row', id === selected && 'is-selected'], 'data-id': id, onclick: () => onSelect(id) },
      h('span', { class: 'gantt-label', title: id }, h('span', { class: ['dot', `status-${status}`] }), h('span', { class: 'truncate' }, id)),
      h('span', { class: 'gantt-track' }, bars,
        !bars.length ? h('span', { class: 'gantt-none' }, status === 'SKIPPED' ? 'skipped' : (st && st.cached ? 'cached' : '')) : null));
  });
  return h('div', { class: 'gantt', 'data-test': 'gantt' },
    h('div', { class: 'gantt-row gantt-head' }, h('span', { class: 'gantt-label muted small' }, 'Step'), axis), rows);
}
