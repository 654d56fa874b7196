// The timeline of a run: one row per task, one bar per attempt from its start to its end (now
// while running), coloured by how it ended. Virtualised: only the rows in view are in the DOM
// (rows have one height), so a 10,000-task run costs what 30 rows cost. The tasks of a matrix
// step (train[l2=0.1], train[l2=1.0]...) form a group that folds into one row.
import { h } from '../dom.js';
import { parseTime, duration } from '../format.js';

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;
/** Matrix groups with more tasks than this start folded. */
const FOLD_ABOVE = 12;

function ticks(span) {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400].map((x) => x * 1000);
  const step = steps.find((st) => span / st <= 6) || steps[steps.length - 1];
  const out = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}

/** The matrix step a task belongs to ('train' for 'train[l2=0.1]'), or null. */
export function groupOf(id) {
  const i = id.indexOf('[');
  return i > 0 && id.endsWith(']') ? id.slice(0, i) : null;
}

/**
 * Pure: the rows to show, in graph order: {type: 'task', id} and, for matrix steps of two tasks or
 * more, {type: 'group', id: base, tasks: [ids], folded} before their tasks (absent when folded).
 * folded(base, size) says whether a group is folded.
 */
export function timelineRows(ids, folded) {
  const groups = new Map();
  for (const id of ids) {
    const g = groupOf(id);
    if (g) { if (!groups.has(g)) groups.set(g, []); groups.get(g).push(id); }
  }
  const rows = [];
  const done = new Set();
  for (const id of ids) {
    const g = groupOf(id);
    if (g && groups.get(g).length > 1) {
      if (done.has(g)) continue;
      done.add(g);
      const tasks = groups.get(g);
      const f = folded(g, tasks.length);
      rows.push({ type: 'group', id: g, tasks, folded: f });
      if (!f) for (const t of tasks) rows.push({ type: 'task', id: t });
    } else {
      rows.push({ type: 'task', id });
    }
  }
  return rows;
}

/** Parsed start and end of an attempt, kept per attempt object (a changed attempt is a new object). */
const attemptTimes = new WeakMap();
function timesOf(a) {
  let t = attemptTimes.get(a);
  if (!t) { t = [parseTime(a.startedAt), parseTime(a.endedAt)]; attemptTimes.set(a, t); }
  return t;
}

/** Pure: [start, end] of the attempts of a run (ms), end now while it runs; null before any start. */
export function spanOf(run, steps, now) {
  let start = null;
  let end = parseTime(run.endedAt);
  for (const st of steps) {
    for (const a of st.attempts || []) {
      const [s0, e0] = timesOf(a);
      if (s0 !== null && (start === null || s0 < start)) start = s0;
      if (e0 !== null && (end === null || e0 > end)) end = e0;
    }
  }
  if (!run.endedAt) end = now;
  return start === null ? null : [start, Math.max(end, start + 1000)];
}

/**
 * A timeline to keep and update: update(run, order, selected) draws the rows in view again (cheap:
 * a few dozen), scrolling draws the rows it brings in. onSelect(taskId) on a click of a task row.
 */
export function createTimeline({ onSelect }) {
  const axis = h('div', { class: 'gantt-axis' });
  const head = h('div', { class: 'gantt-row gantt-head' }, h('span', { class: 'gantt-label muted small' }, 'Step'), axis);
  const spacer = h('div', { class: 'gantt-spacer' });
  const viewport = h('div', { class: 'gantt-viewport', 'data-test': 'gantt-viewport' }, spacer);
  const emptyEl = h('div', { class: 'gantt-empty muted' }, 'No step has started yet.');
  const element = h('div', { class: 'gantt', 'data-test': 'gantt' }, head, viewport);
  const userFolded = new Map(); // group -> folded, as the user left it
  let run = null, order = [], selected = null, steps = new Map(), rows = [], rowsKey = null, span = null, frame = 0;

  const isFolded = (g, size) => (userFolded.has(g) ? userFolded.get(g) : size > FOLD_ABOVE);

  function toggle(g) {
    const row = rows.find((r) => r.type === 'group' && r.id === g);
    userFolded.set(g, !(row && row.folded));
    rowsKey = null;
    draw();
  }

  function bar(a, label, start, total, status) {
    const a0 = parseTime(a.startedAt);
    const a1 = a.endedAt ? parseTime(a.endedAt) : Date.now();
    const left = (Math.max(0, a0 - start) / total) * 100;
    const right = (Math.max(0, Math.min(total, a1 - start)) / total) * 100;
    return h('span', {
      class: ['gantt-bar', `status-${status}`], title: label, 'aria-label': label,
      style: { left: `${left}%`, width: `max(3px, ${Math.max(0, right - left)}%)` },
    });
  }

  function taskRow(id, i) {
    const st = steps.get(id);
    const attempts = (st && st.attempts) || [];
    const [start, end] = span;
    const total = end - start;
    const bars = attempts.filter((a) => a.startedAt).map((a) => {
      const status = a.status || (a.endedAt ? 'FAILED' : 'RUNNING');
      const a1 = a.endedAt ? parseTime(a.endedAt) : Date.now();
      return bar(a, `${id} #${a.attempt}: ${status.toLowerCase()} in ${duration(a1 - parseTime(a.startedAt))}${a.reason ? ` (${a.reason})` : ''}`, start, total, status);
    });
    const status = st ? st.status : 'PENDING';
    const g = groupOf(id);
    const label = g && rows.some((r) => r.type === 'group' && r.id === g) ? id.slice(g.length) : id;
    return h('div', { class: ['gantt-row', g && label !== id && 'gantt-in-group', id === selected && 'is-selected'], 'data-id': id,
      style: { top: `${i * ROW_HEIGHT}px` }, onclick: () => onSelect(id) },
      h('span', { class: 'gantt-label', title: id }, h('span', { class: ['dot', `status-${status}`] }), h('span', { class: 'truncate' }, label)),
      h('span', { class: 'gantt-track' }, bars,
        !bars.length ? h('span', { class: 'gantt-none' }, status === 'SKIPPED' ? 'skipped' : (st && st.cached ? 'cached' : '')) : null));
  }

  function groupRow(r, i) {
    const counts = {};
    let a0 = null, a1 = null, open = false;
    for (const id of r.tasks) {
      const st = steps.get(id);
      const s = st ? st.status : 'PENDING';
      counts[s] = (counts[s] || 0) + 1;
      for (const a of (st && st.attempts) || []) {
        const t0 = parseTime(a.startedAt);
        if (t0 !== null && (a0 === null || t0 < a0)) a0 = t0;
        if (!a.endedAt && a.startedAt) open = true;
        const t1 = parseTime(a.endedAt);
        if (t1 !== null && (a1 === null || t1 > a1)) a1 = t1;
      }
    }
    const worst = ['FAILED', 'RUNNING', 'QUEUED', 'PENDING', 'CANCELLED', 'SKIPPED', 'SUCCEEDED'].find((s) => counts[s]) || 'PENDING';
    const [start, end] = span;
    const summary = Object.entries(counts).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
    const track = h('span', { class: 'gantt-track' },
      a0 !== null ? bar({ startedAt: new Date(a0).toISOString(), endedAt: open ? null : new Date(a1 ?? a0).toISOString() },
        `${r.id}: ${r.tasks.length} tasks (${summary})`, start, end - start, worst) : null);
    const btn = h('button', { type: 'button', class: 'gantt-fold', 'aria-expanded': String(!r.folded), 'data-test': 'gantt-fold',
      title: r.folded ? 'Show the tasks' : 'Fold the tasks into one row' }, r.folded ? '▸' : '▾');
    return h('div', { class: ['gantt-row', 'gantt-group'], 'data-group': r.id, style: { top: `${i * ROW_HEIGHT}px` },
      onclick: () => toggle(r.id) },
      h('span', { class: 'gantt-label', title: `${r.id}: ${summary}` }, btn, h('span', { class: ['dot', `status-${worst}`] }),
        h('span', { class: 'truncate' }, `${r.id} ×${r.tasks.length}`)),
      track);
  }

  // Drawn rows by key ('t:id' or 'g:group'), with what they were drawn from: a row is made again
  // only when its task (a new object after each of its events), place, selection or the span
  // changed, and a running attempt's bar only grows. A frame of a live run touches a few rows.
  let drawn = new Map();
  let drawnSpan = null;
  let drawnTicks = null;

  /** The span to draw against: while the run runs, its end is pushed out by a quarter at a time, so bars stay put between. */
  function stableSpan(next) {
    if (!next) return null;
    if (run.endedAt && drawnSpan && drawnSpan[2] && drawnSpan[0] === next[0] && drawnSpan[1] === next[1]) return drawnSpan;
    if (run.endedAt || !drawnSpan || drawnSpan[0] !== next[0] || next[1] > drawnSpan[1] || drawnSpan[2]) {
      if (run.endedAt) return [next[0], next[1], true];
      const len = Math.max(next[1] - next[0], 1000);
      return [next[0], next[0] + Math.ceil(len * 1.25), false];
    }
    return drawnSpan;
  }

  function draw() {
    frame = 0;
    if (!run) return;
    span = stableSpan(spanOf(run, steps.values(), Date.now()));
    if (!span) { if (element.lastChild !== emptyEl) element.replaceChildren(emptyEl); drawn.clear(); return; }
    if (element.lastChild !== viewport) element.replaceChildren(head, viewport);
    const key = order.length + ':' + order[0] + ':' + order[order.length - 1] + ':' + [...userFolded].join();
    if (key !== rowsKey) { rows = timelineRows(order.length ? order : [...steps.keys()], isFolded); rowsKey = key; drawn.clear(); spacer.replaceChildren(); }
    const [start, end] = span;
    const total = end - start;
    const spanChanged = span !== drawnSpan;
    drawnSpan = span;
    const tickKey = `${start}:${end}`;
    if (tickKey !== drawnTicks) {
      drawnTicks = tickKey;
      axis.replaceChildren(...ticks(total).map((t) => h('span', { class: 'gantt-tick', style: { left: `${(t / total) * 100}%` } }, t === 0 ? '0' : duration(t))));
    }
    const height = `${rows.length * ROW_HEIGHT}px`;
    if (spacer.style.height !== height) spacer.style.height = height;
    const vh = `${Math.min(rows.length * ROW_HEIGHT, 420)}px`;
    if (viewport.style.height !== vh) viewport.style.height = vh;
    const top = viewport.scrollTop;
    const viewH = viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + viewH) / ROW_HEIGHT) + OVERSCAN);
    const next = new Map();
    for (let i = first; i < last; i++) {
      const r = rows[i];
      const k = r.type === 'group' ? `g:${r.id}` : `t:${r.id}`;
      const old = drawn.get(k);
      if (r.type === 'group') {
        // a group's row sums its tasks: drawn again when any of them changed
        const sig = r.tasks.map((id) => steps.get(id)).filter(Boolean);
        if (old && old.i === i && !spanChanged && old.folded === r.folded && old.sig.length === sig.length && old.sig.every((x, j) => x === sig[j])) { next.set(k, old); continue; }
        const el = groupRow(r, i);
        if (old) old.el.replaceWith(el); else spacer.appendChild(el);
        next.set(k, { el, i, sig, folded: r.folded });
      } else {
        const st = steps.get(r.id);
        const live = !!st && (st.attempts || []).some((a) => a.startedAt && !a.endedAt);
        const sel = r.id === selected;
        if (old && old.i === i && old.st === st && old.sel === sel && !spanChanged && !live) { next.set(k, old); continue; }
        const el = taskRow(r.id, i);
        if (old) old.el.replaceWith(el); else spacer.appendChild(el);
        next.set(k, { el, i, st, sel });
      }
    }
    for (const [k, old] of drawn) if (!next.has(k)) old.el.remove();
    drawn = next;
  }

  const drawSoon = () => { if (!frame) frame = requestAnimationFrame(draw); };
  viewport.addEventListener('scroll', drawSoon, { passive: true });

  return {
    element,
    /** The run (its steps by id), task ids in graph order, the selected task; draws in the next frame. */
    update(r, o, sel) {
      run = r;
      if (o !== order) { order = o; rowsKey = null; }
      selected = sel;
      steps = new Map((r.steps || []).map((st) => [st.id, st]));
      drawSoon();
    },
    /** Draws now (the first paint). */
    drawNow() { if (frame) cancelAnimationFrame(frame); draw(); },
    /** Scrolls a task's row into view (unfolding its group). */
    reveal(id) {
      const g = groupOf(id);
      if (g && userFolded.get(g) !== false && rows.some((r) => r.type === 'group' && r.id === g && r.folded)) { userFolded.set(g, false); rowsKey = null; draw(); }
      const i = rows.findIndex((r) => r.type === 'task' && r.id === id);
      if (i >= 0 && (i * ROW_HEIGHT < viewport.scrollTop || (i + 1) * ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight)) {
        viewport.scrollTop = Math.max(0, i * ROW_HEIGHT - viewport.clientHeight / 2);
      }
    },
    destroy() { if (frame) cancelAnimationFrame(frame); },
  };
}
