// The editor's canvas: the shared graph view, editable. Boxes are steps; dropping a template adds
// a step where it fell; dragging from an output port to a box connects; Delete removes; moved
// boxes are pinned (kept across reloads, not in the YAML).

import { h } from '../dom.js';
import { createGraphView } from '../graph/index.js';
import { NODE_HEIGHT } from '../graph/geometry.js';
import { boxWidth } from '../graph/scene.js';
import { stepGraph, placeUnpinned, problemsByStep, uniqueId, pastedStep, stepNode, needsOf } from './model.js';
import { pointerMessage, notify } from './feedback.js';

const SNAP = 8;
const snap = (v) => Math.round(v / SNAP) * SNAP;

export function createCanvas(container, session, { onSelectStep }) {
  const hint = h('div', { class: 'ed-canvas-hint', 'data-test': 'canvas-empty' },
    h('div', { class: 'ed-canvas-hint-title' }, 'Start by dragging a step here'),
    h('div', { class: 'ed-canvas-hint-text' }, 'Pick Shell, Python script, Matrix or Gated from the palette. Connect boxes from the dot on their right side.'));
  const view = createGraphView(container, {
    editable: true,
    selection: () => session.selection(),
    onSelect: (sel) => { session.select(sel); if (sel && sel.type === 'node' && onSelectStep) onSelectStep(sel.id); },
    onConnect: ({ from, to, clientX, clientY }) => {
      session.apply([{ op: 'connect', from, to }]).catch((e) => pointerMessage(e.message || String(e), clientX, clientY));
    },
    onMove: ({ id, x, y }) => pinWithAll({ [id]: { x, y } }),
    onOpen: (id) => onSelectStep && onSelectStep(id, true),
  });
  container.append(hint);
  // the selection is the store's: drawn again when it changes there
  const unsubscribe = session.onSelection(() => view.showSelection());
  const el = view.element;
  el.setAttribute('aria-label', 'Pipeline canvas');

  let shown = {};
  let shownIds = null;
  let lastLayout = null;
  let ids = [];

  let shownProblems = null;
  /** Problems drawn as badges; drawn again only when their messages changed. */
  function showProblems(state) {
    const probs = problemsByStep(state.problems, state.model);
    const messages = {};
    for (const [id, ps] of Object.entries(probs)) messages[id] = ps.map((p) => p.message);
    const sig = JSON.stringify(messages);
    if (sig === shownProblems) return;
    shownProblems = sig;
    view.setProblems(messages);
  }

  /**
   * Whether the new state draws the same boxes and links where they were: the same steps in the
   * same order with the same needs, the same layout object (the server's answer shares it when the
   * shape did not change), the same pins and layout revision.
   */
  function sameShape(state, steps) {
    if (!shown.model || !shown.graph || !state.graph) return false;
    if (state.graph.layout !== shown.graph.layout || state.pinned !== shown.pinned || state.layoutRevision !== shown.rev) return false;
    const before = shown.model.steps || [];
    if (before.length !== steps.length) return false;
    for (let i = 0; i < steps.length; i++) {
      const a = before[i], b = steps[i];
      if (a === b) continue;
      if (a.id !== b.id || JSON.stringify(needsOf(a)) !== JSON.stringify(needsOf(b))) return false;
      const fa = a.fields || {}, fb = b.fields || {};
      // a matrix's size or a title changes the box's width
      if (JSON.stringify(fa.matrix) !== JSON.stringify(fb.matrix)) return false;
    }
    return true;
  }

  /** Pins positions; the first pin also pins every box where it is now, so nothing jumps. */
  function pinWithAll(positions) {
    const pinned = session.state().pinned;
    const all = {};
    if (!Object.keys(pinned).some((id) => ids.includes(id))) {
      const boxes = view.boxes();
      for (const id of ids) if (boxes[id]) all[id] = { x: boxes[id].x, y: boxes[id].y };
    }
    session.pin({ ...all, ...positions });
  }

  function freeSpot() {
    const boxes = Object.values(view.boxes());
    const sel = session.selection();
    if (sel && sel.type === 'node') {
      const b = view.boxes()[sel.id];
      if (b) {
        let y = b.y;
        while (boxes.some((o) => o.x < b.x + b.width + 56 + 200 && o.x + o.width > b.x + b.width + 56 && o.y < y + NODE_HEIGHT + 12 && o.y + o.height > y - 12)) y += NODE_HEIGHT + 24;
        return { x: b.x + b.width + 56, y };
      }
    }
    if (!boxes.length) {
      const r = el.getBoundingClientRect();
      const p = view.toGraphPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { x: snap(p.x - 90), y: snap(p.y - NODE_HEIGHT / 2) };
    }
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const top = Math.min(...boxes.map((b) => b.y));
    return { x: snap(right + 56), y: snap(top) };
  }

  function add(template, at, extra = {}) {
    const id = uniqueId(template.base, ids);
    const step = { id, ...extra, ...JSON.parse(JSON.stringify(template.step)) };
    pinWithAll({ [id]: { x: snap(at.x), y: snap(at.y) } });
    return session.apply([{ op: 'addStep', step }]).then(() => {
      session.select({ type: 'node', id });
      if (onSelectStep) onSelectStep(id);
      return id;
    }).catch((e) => notify(e.message || String(e), 'error'));
  }

  function dropAt(template, clientX, clientY) {
    const r = el.getBoundingClientRect();
    if (clientX < r.left || clientX > r.right || clientY < r.top || clientY > r.bottom) return;
    const p = view.toGraphPoint(clientX, clientY);
    const id = uniqueId(template.base, ids);
    add(template, { x: p.x - boxWidth(id) / 2, y: p.y - NODE_HEIGHT / 2 });
  }

  function addHere(template) {
    const sel = session.selection();
    const extra = sel && sel.type === 'node' ? { needs: [sel.id] } : {};
    add(template, freeSpot(), extra);
  }

  function removeSelection() {
    const sel = session.selection();
    if (!sel) return;
    const op = sel.type === 'node' ? { op: 'removeStep', id: sel.id } : { op: 'disconnect', from: sel.from, to: sel.to };
    session.apply([op]).then(() => session.select(null)).catch((e) => notify(e.message || String(e), 'error'));
  }

  function paste() {
    const clip = session.clipboard();
    if (!clip) return;
    const id = uniqueId(clip.id, ids);
    const b = view.boxes()[clip.id];
    const at = b ? { x: b.x + 32, y: b.y + NODE_HEIGHT + 32 } : freeSpot();
    pinWithAll({ [id]: { x: snap(at.x), y: snap(at.y) } });
    session.apply([{ op: 'addStep', step: pastedStep(clip.fields, id, ids) }])
      .then(() => { session.select({ type: 'node', id }); if (onSelectStep) onSelectStep(id); })
      .catch((e) => notify(e.message || String(e), 'error'));
  }

  el.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const sel = session.selection();
    if ((e.key === 'Delete' || e.key === 'Backspace') && sel) { e.preventDefault(); removeSelection(); }
    else if (mod && e.key.toLowerCase() === 'c' && sel && sel.type === 'node') { e.preventDefault(); if (session.copy(sel.id)) notify(`Copied ${sel.id}`); }
    else if (mod && e.key.toLowerCase() === 'v') { e.preventDefault(); paste(); }
    else if (e.key === 'Escape' && sel) session.select(null);
  });

  return {
    view,
    element: el,
    dropAt,
    addHere,
    removeSelection,
    update(state) {
      const steps = (state.model && state.model.steps) || [];
      ids = steps.map((s) => s.id);
      hint.classList.toggle('ed-hidden', steps.length > 0 || state.loading);
      const key = { model: state.model, graph: state.graph, pinned: state.pinned, problems: state.problems, rev: state.layoutRevision };
      const changed = Object.keys(key).some((k) => key[k] !== shown[k]);
      if (changed && state.model && sameShape(state, steps)) {
        // an edit that changed only some steps' fields (a command, a retry): their boxes alone are
        // drawn again, the scene, layout and the other 2,000 boxes stay
        const before = shown.model.steps || []; // the same ids in the same order (sameShape)
        view.updateNodes(steps.filter((st, i) => before[i] !== st).map(stepNode));
        showProblems(state);
        shown = key;
      } else if (changed && state.model) {
        if (key.rev !== shown.rev) lastLayout = null;
        const { graph, layout } = stepGraph(state.model, state.graph);
        if (layout) lastLayout = layout;
        const useLayout = layout || lastLayout;
        const pinned = state.pinned || {};
        let positions = {};
        if (Object.keys(pinned).some((id) => ids.includes(id))) {
          const boxes = new Map(((useLayout && useLayout.nodes) || []).map((b) => [b.id, b]));
          positions = placeUnpinned(ids, pinned, boxes);
        } else if (!layout) {
          // an invalid text has no layout: keep every box where it was
          const now = view.boxes();
          for (const id of ids) if (now[id]) positions[id] = { x: now[id].x, y: now[id].y };
        }
        view.setGraph(graph, useLayout, positions);
        showProblems(state);
        if (key.rev !== shown.rev && shown.rev !== undefined) view.fit();
        else if (shownIds) {
          // a step that came from the text (or a paste) may land off screen: bring it in
          const fresh = ids.filter((id) => !shownIds.has(id));
          if (fresh.length) view.reveal(fresh[fresh.length - 1]);
        }
        shownIds = new Set(ids);
        shown = key;
      }
    },
    destroy() { unsubscribe(); view.destroy(); },
  };
}
