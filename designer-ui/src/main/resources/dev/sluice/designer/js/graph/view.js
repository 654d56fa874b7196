// The one SVG renderer of a pipeline graph, shared by the editor and the run view.
//
//   const view = createGraphView(parent, {selection, onSelect, editable, onConnect, onMove});
//   view.setGraph(graph, layout, positions?)   // the server's graph (nodes, edges) and layout
//   view.setStatus({taskId: 'RUNNING', ...}); view.updateStatus({taskId: 'SUCCEEDED'}); view.showSelection(); view.fit(); view.destroy();
//
// The view keeps no selection: opts.selection() reads its owner's (the store), opts.onSelect(sel) asks to change it.
//
// Only what is on screen is drawn as detailed boxes; far out (zoom < 0.4) the whole graph is a
// few paths. Every user string goes in as textContent.

import {
  identity, zoomAt, panBy, toGraph, fitView, visibleRect, nodeBadges, placeBadges, fitText,
  roundedPath, boxesPath, routesPath, distanceToRoute, contains, intersects,
} from './geometry.js';
import { buildScene, rerouteAround, visibleItems, nodeGroups } from './scene.js';

const SVG = 'http://www.w3.org/2000/svg';
const FAR = 0.4;          // below this zoom the graph is drawn as plain paths
const LABELS_FROM = 0.12; // ...with the ids of the boxes in view down to this zoom
const MAX_FAR_LABELS = 600;
const MAX_GROUP_LABELS = 300;
const PAD = 240;          // screen pixels drawn beyond the visible edge, so a pan shows no gap
const DRAG_SLOP = 4;      // pixels a press may travel and still be a click
const SNAP = 8;

const FONTS = {
  id: '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  summary: '11px ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace',
  badge: '600 10px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

let viewCount = 0;

function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function html(tag, attrs = {}, text = null) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** measure(font)(text) -> width in pixels, through one canvas, cached. */
function measurer() {
  const ctx = document.createElement('canvas').getContext('2d');
  const caches = new Map();
  return (font) => {
    let cache = caches.get(font);
    if (!cache) caches.set(font, (cache = new Map()));
    return (text) => {
      let w = cache.get(text);
      if (w === undefined) {
        ctx.font = font;
        w = ctx.measureText(text).width;
        if (cache.size > 20000) cache.clear();
        cache.set(text, w);
      }
      return w;
    };
  };
}

const STATUS_WORDS = {
  PENDING: 'pending', QUEUED: 'queued', RUNNING: 'running', SUCCEEDED: 'succeeded',
  FAILED: 'failed', SKIPPED: 'skipped', CANCELLED: 'cancelled',
};

export function createGraphView(parent, opts = {}) {
  const uid = ++viewCount;
  const measure = measurer();
  const mId = measure(FONTS.id), mSummary = measure(FONTS.summary), mBadge = measure(FONTS.badge);

  const root = html('div', { class: 'gv', tabindex: '0', 'data-test': 'graph' });
  if (opts.editable) root.classList.add('gv-editable');
  const canvas = svg('svg', { class: 'gv-svg', 'data-test': 'graph-canvas' });
  const defs = svg('defs', {}, canvas);
  for (const kind of ['', '-sel', '-hot', '-ghost']) {
    const m = svg('marker', {
      id: `gv${uid}-arrow${kind}`, viewBox: '0 0 10 10', refX: '9', refY: '5',
      markerWidth: '10', markerHeight: '10', markerUnits: 'userSpaceOnUse', orient: 'auto',
    }, defs);
    svg('path', { d: 'M1 1L9 5L1 9z', class: `gv-arrow${kind}` }, m);
  }
  // Far out, the edges are one path on an SVG of their own under the boxes, which the browser
  // composites as its own layer: a change of the boxes' colours (a live run) repaints the boxes,
  // not the thousands of edges with them.
  const edgeCanvas = svg('svg', { class: 'gv-svg gv-edge-canvas', 'aria-hidden': 'true' });
  const edgeWorld = svg('g', { class: 'gv-world' }, edgeCanvas);
  const farEdges = svg('path', { class: 'gv-far-edges' }, edgeWorld);
  const world = svg('g', { class: 'gv-world' }, canvas);
  const farNodes = svg('g', { class: 'gv-far-nodes' }, world);
  const farLabels = svg('g', { class: 'gv-far-labels', 'data-test': 'far-labels' }, world);
  const edgeLayer = svg('g', { class: 'gv-edges' }, world);
  const nodeLayer = svg('g', { class: 'gv-nodes' }, world);
  const ghost = svg('path', { class: 'gv-ghost', 'marker-end': `url(#gv${uid}-arrow-ghost)` }, world);
  root.appendChild(edgeCanvas);
  root.appendChild(canvas);

  const controls = html('div', { class: 'gv-controls' });
  const button = (label, title, test, onClick) => {
    const b = html('button', { type: 'button', class: 'gv-btn', title, 'aria-label': title, 'data-test': test }, label);
    b.addEventListener('click', (e) => { e.stopPropagation(); onClick(); root.focus({ preventScroll: true }); });
    controls.appendChild(b);
    return b;
  };
  button('+', 'Zoom in', 'zoom-in', () => zoomBy(1.25));
  button('−', 'Zoom out', 'zoom-out', () => zoomBy(0.8));
  button('Fit', 'Fit the whole graph', 'fit', () => fit());
  const miniButton = button('Map', 'Show or hide the overview', 'minimap-toggle', () => { miniWanted = !miniWanted; miniAuto = false; updateMinimap(true); });
  root.appendChild(controls);

  const mini = html('div', { class: 'gv-minimap', 'data-test': 'minimap' });
  const miniSvg = svg('svg', { class: 'gv-minimap-svg', preserveAspectRatio: 'xMidYMid meet' });
  const miniEdges = svg('path', { class: 'gv-mini-edges' }, miniSvg);
  const miniNodes = svg('path', { class: 'gv-mini-nodes' }, miniSvg);
  const miniView = svg('rect', { class: 'gv-mini-view', 'vector-effect': 'non-scaling-stroke' }, miniSvg);
  mini.appendChild(miniSvg);
  root.appendChild(mini);
  parent.appendChild(root);

  let scene = { nodes: [], edges: [], byId: new Map(), bounds: { x: 0, y: 0, width: 0, height: 0 } };
  let view = identity();
  let fitted = false;
  let status = {};
  let problems = {};
  // The selection is not the view's: its owner (the store, through opts.selection) says what it is
  // ({type: 'node', id} | {type: 'edge', from, to} | null); a click asks for a change through
  // opts.onSelect, and the owner calls showSelection() once it changed.
  const selectionNow = () => (opts.selection ? opts.selection() : null) || null;
  let frame = 0;
  let farBuilt = false;
  let farTimer = 0;
  let miniWanted = false, miniAuto = true, miniDirty = true;
  const nodeEls = new Map(); // id -> <g>
  const edgeEls = new Map(); // edge object -> <g>
  let width = 0, height = 0;

  // ---------- drawing ----------

  function statusOf(id) {
    return status[id] || null;
  }

  function drawNode(n) {
    const { box, data } = n;
    const g = svg('g', { class: 'gv-node', 'data-test': 'node', transform: `translate(${box.x},${box.y})` });
    g.setAttribute('data-id', n.id);
    if (data.kind) g.setAttribute('data-kind', data.kind);
    const label = data.title || n.id;
    const title = svg('title', {}, g);
    svg('rect', { class: 'gv-box', width: box.width, height: box.height, rx: 7 }, g);
    svg('path', { class: 'gv-strip', d: `M7 0H4a4 4 0 0 0-4 4V${box.height - 4}a4 4 0 0 0 4 4H7z` }, g);
    const inner = box.width - 24;
    const badges = [...nodeBadges(data)];
    const probs = problems[n.id];
    if (probs && probs.length) badges.unshift({ kind: 'problem', text: '!', title: probs.join('\n') });
    const idW = mId(label);
    const placed = placeBadges(badges, Math.max(40, inner - Math.min(idW, inner * 0.5) - 8), mBadge);
    const badgeW = placed.length ? -placed[placed.length - 1].x + 8 : 0;
    const idText = svg('text', { class: 'gv-id', x: 14, y: 20 }, g);
    idText.textContent = fitText(label, inner - badgeW, mId);
    const summary = data.summary || '';
    if (summary) {
      const s = svg('text', { class: 'gv-summary', x: 14, y: 37 }, g);
      s.textContent = fitText(summary, inner, mSummary);
    }
    if (placed.length) {
      const bg = svg('g', { class: 'gv-badges', transform: `translate(${box.width - 10},8)` }, g);
      for (const p of placed) {
        const b = svg('g', { class: `gv-badge gv-badge-${p.badge.kind}`, 'data-test': `badge-${p.badge.kind}` }, bg);
        svg('title', {}, b).textContent = p.badge.title || p.badge.text;
        svg('rect', { x: p.x, y: 0, width: p.width, height: 15, rx: 7.5 }, b);
        svg('text', { x: p.x + p.width / 2, y: 11 }, b).textContent = p.badge.text;
      }
    }
    if (opts.editable) {
      svg('circle', { class: 'gv-port gv-port-in', 'data-test': 'port-in', cx: 0, cy: box.height / 2, r: 5 }, g);
      svg('circle', { class: 'gv-port gv-port-out', 'data-test': 'port-out', cx: box.width, cy: box.height / 2, r: 5 }, g);
    }
    decorateNode(g, n, title);
    return g;
  }

  function decorateNode(g, n, title = g.querySelector('title')) {
    const st = statusOf(n.id);
    if (st) g.setAttribute('data-status', st); else g.removeAttribute('data-status');
    const selected = selectionNow();
    g.classList.toggle('gv-selected', !!selected && selected.type === 'node' && selected.id === n.id);
    g.classList.toggle('gv-has-problem', !!(problems[n.id] && problems[n.id].length));
    g.classList.toggle('gv-critical', !!n.data.critical && !!opts.showCritical);
    const lines = n.data.title && n.data.title !== n.id ? [n.data.title, n.id] : [n.id];
    if (n.data.summary) lines.push(n.data.summary);
    if (st) lines.push(STATUS_WORDS[st] || st.toLowerCase());
    for (const p of problems[n.id] || []) lines.push(`⚠ ${p}`);
    if (title) title.textContent = lines.join('\n');
  }

  function drawEdge(e) {
    const g = svg('g', { class: 'gv-edge', 'data-test': 'edge' });
    g.setAttribute('data-from', e.from);
    g.setAttribute('data-to', e.to);
    svg('path', { class: 'gv-edge-hit' }, g);
    svg('path', { class: 'gv-edge-line' }, g);
    shapeEdge(g, e);
    decorateEdge(g, e);
    return g;
  }

  function shapeEdge(g, e) {
    const d = roundedPath(e.points, 8, 0);
    g.firstChild.setAttribute('d', d);
    g.lastChild.setAttribute('d', roundedPath(e.points, 8, 1));
  }

  function decorateEdge(g, e) {
    const selected = selectionNow();
    const sel = !!selected && selected.type === 'edge' && selected.from === e.from && selected.to === e.to;
    const hot = !!selected && selected.type === 'node' && (selected.id === e.from || selected.id === e.to);
    g.classList.toggle('gv-selected', sel);
    g.classList.toggle('gv-hot', hot);
    g.lastChild.setAttribute('marker-end', `url(#gv${uid}-arrow${sel ? '-sel' : hot ? '-hot' : ''})`);
  }

  let farEdgesScene = null; // the scene whose edges the far path holds: statuses do not change them
  let farNodesAt = 0;
  let farEdgesFrame = 0;
  function buildFar() {
    if (farEdgesScene !== scene) {
      // the edges a frame after the boxes: the first paint of a large graph is two shorter tasks
      farEdgesScene = scene;
      const drawn = scene;
      if (farEdgesFrame) cancelAnimationFrame(farEdgesFrame);
      farEdgesFrame = requestAnimationFrame(() => {
        farEdgesFrame = 0;
        if (farEdgesScene === drawn) farEdges.setAttribute('d', routesPath(drawn.edges.map((e) => e.points)));
      });
    }
    farNodesAt = performance.now();
    farNodes.replaceChildren();
    const groups = new Map();
    for (const n of scene.nodes) {
      const st = statusOf(n.id) || (problems[n.id] && problems[n.id].length ? 'PROBLEM' : '');
      if (!groups.has(st)) groups.set(st, []);
      groups.get(st).push(n.box);
    }
    for (const [st, boxes] of groups) {
      const p = svg('path', { class: 'gv-far-node', d: boxesPath(boxes) }, farNodes);
      if (st) p.setAttribute('data-status', st);
    }
    const selected = selectionNow();
    if (selected && selected.type === 'node' && scene.byId.has(selected.id)) {
      svg('path', { class: 'gv-far-selected', d: boxesPath([scene.byId.get(selected.id).box]) }, farNodes);
    }
    farBuilt = true;
  }

  /**
   * Level of detail: between FAR and LABELS_FROM, the boxes in view (at most MAX_FAR_LABELS) keep
   * their id, cut to what the box holds at this zoom, at a constant size on screen.
   */
  /** A label in `chars` characters: its end tells boxes apart best (step12, [l2=0.1]), so the cut is in the middle. */
  function shortLabel(label, chars) {
    if (label.length <= chars) return label;
    if (chars < 8) return `…${label.slice(label.length - (chars - 1))}`;
    const head = Math.floor((chars - 1) / 3);
    return `${label.slice(0, head)}…${label.slice(label.length - (chars - 1 - head))}`;
  }

  /**
   * Below LABELS_FROM a box is a few pixels: the groups of boxes are labelled instead (matrix
   * steps, runs of ids that differ by a number), each label over a faint outline of its group, the
   * largest groups first and none over another.
   */
  let groupsScene = null;
  let groups = [];
  function drawGroupLabels() {
    if (groupsScene !== scene) { groups = nodeGroups(scene.nodes); groupsScene = scene; }
    const rect = visibleRect(view, width || 1, height || 1, 0);
    const k = view.k;
    const size = 12 / k;
    const taken = [];
    const out = [];
    for (const g of groups) {
      if (out.length >= MAX_GROUP_LABELS * 2) break;
      const b = g.box;
      if (b.x > rect.x + rect.width || b.y > rect.y + rect.height || b.x + b.width < rect.x || b.y + b.height < rect.y) continue;
      // on screen: the label's box, left-aligned on its group (or on the view's left edge when the
      // group starts left of it) and centred on it vertically
      const lx = Math.max(b.x, rect.x + 6 / k);
      const sx = lx * k + view.tx, sy = (b.y + b.height / 2) * k + view.ty;
      const w = g.label.length * 7 + 8, hgt = 16;
      const r = { x: sx, y: sy - hgt / 2, width: w, height: hgt };
      if (taken.some((o) => intersects(o, r))) continue;
      taken.push(r);
      if (g.count > 1) out.push(svg('rect', { class: 'gv-group-box', x: b.x - 4 / k, y: b.y - 4 / k, width: b.width + 8 / k, height: b.height + 8 / k, rx: 4 / k }));
      out.push(svg('rect', { class: 'gv-group-label-bg', x: lx, y: b.y + b.height / 2 - hgt / 2 / k, width: w / k, height: hgt / k, rx: 3 / k }));
      const t = svg('text', { class: 'gv-group-label', 'data-test': 'group-label', x: lx + 4 / k, y: b.y + b.height / 2 + size * 0.35, 'font-size': size });
      t.textContent = g.label;
      out.push(t);
    }
    farLabels.replaceChildren(...out);
  }

  function drawFarLabels() {
    if (view.k < LABELS_FROM) { drawGroupLabels(); return; }
    const rect = visibleRect(view, width || 1, height || 1, 0);
    const { nodes } = visibleItems(scene, rect);
    if (nodes.length > MAX_FAR_LABELS) { if (farLabels.firstChild) farLabels.replaceChildren(); return; }
    const size = 11 / view.k;
    const out = [];
    for (const n of nodes) {
      const chars = Math.floor((n.box.width * view.k - 8) / 6.6);
      if (chars < 3) continue;
      const label = n.data.title || n.id;
      const t = svg('text', { class: 'gv-far-label', x: n.box.x + 4 / view.k, y: n.box.y + n.box.height / 2 + size * 0.35, 'font-size': size });
      t.textContent = shortLabel(label, chars);
      out.push(t);
    }
    farLabels.replaceChildren(...out);
  }

  function clearDetail() {
    for (const g of nodeEls.values()) g.remove();
    for (const g of edgeEls.values()) g.remove();
    nodeEls.clear();
    edgeEls.clear();
  }

  function render() {
    frame = 0;
    const transform = `translate(${view.tx},${view.ty}) scale(${view.k})`;
    world.setAttribute('transform', transform);
    edgeWorld.setAttribute('transform', transform);
    const far = view.k < FAR;
    root.classList.toggle('gv-far', far);
    if (far) {
      if (nodeEls.size || edgeEls.size) clearDetail();
      if (!farBuilt) buildFar();
      drawFarLabels();
    } else {
      if (farBuilt) { farEdges.removeAttribute('d'); farEdgesScene = null; farNodes.replaceChildren(); farBuilt = false; }
      if (farLabels.firstChild) farLabels.replaceChildren();
      const rect = visibleRect(view, width || 1, height || 1, PAD);
      const { nodes, edges } = visibleItems(scene, rect);
      const wantNodes = new Set(nodes.map((n) => n.id));
      for (const [id, g] of nodeEls) if (!wantNodes.has(id)) { g.remove(); nodeEls.delete(id); }
      const wantEdges = new Set(edges);
      for (const [e, g] of edgeEls) if (!wantEdges.has(e)) { g.remove(); edgeEls.delete(e); }
      const edgeFrag = document.createDocumentFragment();
      for (const e of edges) if (!edgeEls.has(e)) { const g = drawEdge(e); edgeEls.set(e, g); edgeFrag.appendChild(g); }
      edgeLayer.appendChild(edgeFrag);
      const nodeFrag = document.createDocumentFragment();
      for (const n of nodes) if (!nodeEls.has(n.id)) { const g = drawNode(n); nodeEls.set(n.id, g); nodeFrag.appendChild(g); }
      nodeLayer.appendChild(nodeFrag);
    }
    updateMinimap(false);
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  /** Draws now (tests and the first paint read the DOM right after setGraph). */
  function renderNow() {
    if (frame) cancelAnimationFrame(frame);
    render();
  }

  function redecorate() {
    for (const [id, g] of nodeEls) decorateNode(g, scene.byId.get(id));
    for (const [e, g] of edgeEls) decorateEdge(g, e);
    if (farBuilt) buildFar();
  }

  // ---------- minimap ----------

  function updateMinimap(force) {
    const b = scene.bounds;
    const big = scene.nodes.length > 0 && (b.width * view.k > width * 1.05 || b.height * view.k > height * 1.05 || scene.nodes.length > 40);
    const show = miniAuto ? big : miniWanted;
    if (miniAuto) miniWanted = show;
    mini.classList.toggle('gv-hidden', !show);
    miniButton.classList.toggle('gv-on', show);
    if (!show) return;
    if (miniDirty || force) {
      const m = 12;
      miniSvg.setAttribute('viewBox', `${b.x - m} ${b.y - m} ${Math.max(1, b.width + 2 * m)} ${Math.max(1, b.height + 2 * m)}`);
      miniNodes.setAttribute('d', boxesPath(scene.nodes.map((n) => n.box)));
      miniEdges.setAttribute('d', scene.edges.length < 4000 ? routesPath(scene.edges.map((e) => e.points)) : '');
      miniDirty = false;
    }
    const r = visibleRect(view, width || 1, height || 1, 0);
    miniView.setAttribute('x', r.x); miniView.setAttribute('y', r.y);
    miniView.setAttribute('width', r.width); miniView.setAttribute('height', r.height);
  }

  function miniPoint(e) {
    const ctm = miniSvg.getScreenCTM();
    if (!ctm) return null;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  }

  function centerOn(gx, gy) {
    view = { k: view.k, tx: width / 2 - gx * view.k, ty: height / 2 - gy * view.k };
    schedule();
  }

  mini.addEventListener('pointerdown', (e) => {
    e.preventDefault(); e.stopPropagation();
    mini.setPointerCapture(e.pointerId);
    const p = miniPoint(e); if (p) centerOn(p.x, p.y);
    const move = (ev) => { const q = miniPoint(ev); if (q) centerOn(q.x, q.y); };
    const up = () => { mini.removeEventListener('pointermove', move); mini.removeEventListener('pointerup', up); };
    mini.addEventListener('pointermove', move);
    mini.addEventListener('pointerup', up);
  });

  // ---------- viewport ----------

  function measureSize() {
    const r = canvas.getBoundingClientRect();
    width = r.width; height = r.height;
  }

  function fit() {
    measureSize();
    if (!scene.nodes.length) { view = identity(); schedule(); return; }
    view = fitView(scene.bounds, width, height, 32, 1);
    fitted = true;
    renderNow();
  }

  function zoomBy(factor, sx = width / 2, sy = height / 2) {
    view = zoomAt(view, factor, sx, sy);
    schedule();
  }

  const resize = new ResizeObserver(() => {
    const oldW = width, oldH = height;
    measureSize();
    if (!width || !height) return;
    if (!fitted && scene.nodes.length) fit();
    else if (oldW !== width || oldH !== height) schedule();
  });
  resize.observe(canvas);

  // ---------- hit testing ----------

  function local(e) {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  function graphPoint(clientX, clientY) {
    const r = canvas.getBoundingClientRect();
    return toGraph(view, clientX - r.left, clientY - r.top);
  }

  /** What is under a client point: {type: 'port-out'|'port-in'|'node'|'edge', ...} or null. */
  function hitAt(clientX, clientY, target = null) {
    const el = target || document.elementFromPoint(clientX, clientY);
    if (el && root.contains(el) && view.k >= FAR) {
      const port = el.closest('.gv-port');
      const nodeG = el.closest('.gv-node');
      if (nodeG) {
        const id = nodeG.getAttribute('data-id');
        if (port) return { type: port.classList.contains('gv-port-out') ? 'port-out' : 'port-in', id };
        return { type: 'node', id };
      }
      const edgeG = el.closest('.gv-edge');
      if (edgeG) return { type: 'edge', from: edgeG.getAttribute('data-from'), to: edgeG.getAttribute('data-to') };
      return null;
    }
    if (!el || !canvas.contains(el)) return null;
    const p = graphPoint(clientX, clientY);
    for (let i = scene.nodes.length - 1; i >= 0; i--) if (contains(scene.nodes[i].box, p.x, p.y)) return { type: 'node', id: scene.nodes[i].id };
    const tol = 5 / view.k;
    for (const e of scene.edges) if (distanceToRoute(e.points, p.x, p.y) <= tol) return { type: 'edge', from: e.from, to: e.to };
    return null;
  }

  // ---------- selection ----------


  /** A gesture chose sel: the owner is asked (it changes its state, then calls showSelection). */
  function choose(sel) {
    if (opts.onSelect) opts.onSelect(sel);
  }

  /** Draws the owner's selection: the boxes and links in view decorated again, the far view rebuilt. */
  function showSelection() {
    redecorate();
    const sel = selectionNow();
    // a selected node is drawn last, above its neighbours
    if (sel && sel.type === 'node' && nodeEls.has(sel.id)) nodeLayer.appendChild(nodeEls.get(sel.id));
  }

  // ---------- pointer ----------

  let gesture = null;
  let spaceHeld = false;
  let hovering = false;

  function startPan(e) {
    gesture = { kind: 'pan', x: e.clientX, y: e.clientY, view, moved: false };
    root.classList.add('gv-panning');
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.button !== 1) return;
    root.focus({ preventScroll: true });
    canvas.setPointerCapture(e.pointerId);
    if (spaceHeld || e.button === 1) { startPan(e); e.preventDefault(); return; }
    const hit = hitAt(e.clientX, e.clientY, e.target);
    if (hit && hit.type === 'port-out' && opts.editable) {
      gesture = { kind: 'connect', from: hit.id, x: e.clientX, y: e.clientY };
      root.classList.add('gv-connecting');
      drawGhost(e);
    } else if (hit && (hit.type === 'node' || hit.type === 'port-in')) {
      const n = scene.byId.get(hit.id);
      gesture = { kind: 'node', id: hit.id, x: e.clientX, y: e.clientY, start: { ...n.box }, moved: false };
    } else if (hit && hit.type === 'edge') {
      gesture = { kind: 'edge', hit, x: e.clientX, y: e.clientY };
    } else {
      startPan(e);
    }
    e.preventDefault();
  });

  function drawGhost(e) {
    const n = scene.byId.get(gesture.from);
    const p = graphPoint(e.clientX, e.clientY);
    const s = { x: n.box.x + n.box.width, y: n.box.y + n.box.height / 2 };
    const mx = Math.max(s.x + 16, (s.x + p.x) / 2);
    ghost.setAttribute('d', roundedPath([[s.x, s.y], [mx, s.y], [mx, p.y], [p.x, p.y]], 8, 1));
    ghost.classList.add('gv-on');
    let over = null;
    const h = hitAt(e.clientX, e.clientY);
    if (h && (h.type === 'node' || h.type === 'port-in' || h.type === 'port-out') && h.id !== gesture.from) over = h.id;
    if (gesture.over !== over) {
      if (gesture.over && nodeEls.has(gesture.over)) nodeEls.get(gesture.over).classList.remove('gv-drop-target');
      if (over && nodeEls.has(over)) nodeEls.get(over).classList.add('gv-drop-target');
      gesture.over = over;
    }
  }

  canvas.addEventListener('pointermove', (e) => {
    if (!gesture) return;
    const dx = e.clientX - gesture.x, dy = e.clientY - gesture.y;
    if (gesture.kind === 'pan') {
      if (Math.abs(dx) + Math.abs(dy) > DRAG_SLOP) gesture.moved = true;
      view = panBy(gesture.view, dx, dy);
      schedule();
    } else if (gesture.kind === 'connect') {
      drawGhost(e);
    } else if (gesture.kind === 'node' && opts.editable) {
      if (!gesture.moved && Math.abs(dx) + Math.abs(dy) <= DRAG_SLOP) return;
      gesture.moved = true;
      root.classList.add('gv-moving');
      const n = scene.byId.get(gesture.id);
      n.box.x = Math.round((gesture.start.x + dx / view.k) / SNAP) * SNAP;
      n.box.y = Math.round((gesture.start.y + dy / view.k) / SNAP) * SNAP;
      const g = nodeEls.get(n.id);
      if (g) { g.setAttribute('transform', `translate(${n.box.x},${n.box.y})`); nodeLayer.appendChild(g); }
      for (const edge of rerouteAround(scene, n.id)) {
        const eg = edgeEls.get(edge);
        if (eg) shapeEdge(eg, edge); else { const ng = drawEdge(edge); edgeEls.set(edge, ng); edgeLayer.appendChild(ng); }
      }
      miniDirty = true;
    }
  });

  function endGesture(e, cancelled) {
    const g = gesture;
    gesture = null;
    root.classList.remove('gv-panning', 'gv-connecting', 'gv-moving');
    if (!g) return;
    if (g.kind === 'pan') {
      if (!g.moved && !cancelled && !spaceHeld) choose(null);
    } else if (g.kind === 'connect') {
      ghost.classList.remove('gv-on');
      ghost.removeAttribute('d');
      if (g.over && nodeEls.has(g.over)) nodeEls.get(g.over).classList.remove('gv-drop-target');
      if (!cancelled && g.over && opts.onConnect) opts.onConnect({ from: g.from, to: g.over, clientX: e.clientX, clientY: e.clientY });
    } else if (g.kind === 'node') {
      if (g.moved) {
        const n = scene.byId.get(g.id);
        schedule();
        if (!cancelled && opts.onMove) opts.onMove({ id: g.id, x: n.box.x, y: n.box.y });
        choose({ type: 'node', id: g.id });
      } else if (!cancelled) {
        choose({ type: 'node', id: g.id });
        if (e.detail >= 2 && opts.onOpen) opts.onOpen(g.id);
      }
    } else if (g.kind === 'edge' && !cancelled) {
      choose({ type: 'edge', from: g.hit.from, to: g.hit.to });
    }
  }

  canvas.addEventListener('pointerup', (e) => endGesture(e, false));
  canvas.addEventListener('pointercancel', (e) => endGesture(e, true));
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = local(e);
    if (e.shiftKey) { view = panBy(view, -e.deltaY, 0); schedule(); return; }
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomBy(Math.exp(-delta * 0.0015), p.x, p.y);
  }, { passive: false });

  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  const onKeyDown = (e) => {
    if (e.code === 'Space' && !typing(e.target) && (hovering || root.contains(document.activeElement))) {
      if (!spaceHeld) { spaceHeld = true; root.classList.add('gv-space'); }
      e.preventDefault();
    }
  };
  const onKeyUp = (e) => {
    if (e.code === 'Space') { spaceHeld = false; root.classList.remove('gv-space'); }
  };
  window.addEventListener('keydown', onKeyDown);
  window.addEventListener('keyup', onKeyUp);
  root.addEventListener('pointerenter', () => { hovering = true; });
  root.addEventListener('pointerleave', () => { hovering = false; });
  root.addEventListener('keydown', (e) => {
    if (typing(e.target)) return;
    if (e.key === '+' || e.key === '=') { zoomBy(1.25); e.preventDefault(); }
    else if (e.key === '-') { zoomBy(0.8); e.preventDefault(); }
    else if (e.key === '0' || e.key === 'f') { fit(); e.preventDefault(); }
    else if (e.key === 'Escape' && gesture) { endGesture(e, true); }
    else if (/^Arrow(Left|Right|Up|Down)$/.test(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey && scene.nodes.length) {
      // keyboard navigation: the nearest box that way (the first box when none is selected)
      const selected = selectionNow();
      const cur = selected && selected.type === 'node' ? scene.byId.get(selected.id) : null;
      const next = cur ? nearestBox(cur, e.key) : scene.nodes[0];
      if (next) { choose({ type: 'node', id: next.id }); reveal(next.id); }
      e.preventDefault();
    } else if (e.key === 'Enter' && selectionNow() && selectionNow().type === 'node' && opts.onOpen) {
      opts.onOpen(selectionNow().id);
      e.preventDefault();
    }
  });

  /** The box nearest to n in the direction of an arrow key: along it, with distance across it costing double. */
  function nearestBox(n, key) {
    const cx = (b) => b.x + b.width / 2, cy = (b) => b.y + b.height / 2;
    const [dx, dy] = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key];
    let best = null, bestCost = Infinity;
    for (const m of scene.nodes) {
      if (m === n) continue;
      const vx = cx(m.box) - cx(n.box), vy = cy(m.box) - cy(n.box);
      const along = vx * dx + vy * dy;
      if (along <= 1) continue;
      const across = Math.abs(vx * dy - vy * dx);
      const cost = along + 2 * across;
      if (cost < bestCost) { bestCost = cost; best = m; }
    }
    return best;
  }

  // ---------- public ----------

  function setGraph(graph, layout = graph && graph.layout, positions = {}) {
    const g = graph && Array.isArray(graph.nodes) ? graph : { nodes: [], edges: [] };
    scene = buildScene({ nodes: g.nodes, edges: g.edges || [], align: g.align }, layout || null, positions || {});
    clearDetail();
    farBuilt = false;
    miniDirty = true;
    root.classList.toggle('gv-empty', scene.nodes.length === 0);
    measureSize();
    // a canvas that starts empty stays at scale 1: boxes dropped on it land where they fell
    if (!fitted && !scene.nodes.length && opts.editable) fitted = true;
    if (!fitted && scene.nodes.length && width && height) fit();
    else renderNow();
  }

  /** Pans as little as needed to show box id whole (centres it when it cannot fit). */
  function reveal(id, margin = 40) {
    const n = scene.byId.get(id);
    if (!n) return;
    measureSize();
    const b = n.box;
    const x0 = b.x * view.k + view.tx, y0 = b.y * view.k + view.ty;
    const x1 = x0 + b.width * view.k, y1 = y0 + b.height * view.k;
    let dx = 0, dy = 0;
    if (x1 - x0 + 2 * margin > width || y1 - y0 + 2 * margin > height) { centerOn(b.x + b.width / 2, b.y + b.height / 2); return; }
    if (x0 < margin) dx = margin - x0; else if (x1 > width - margin) dx = width - margin - x1;
    if (y0 < margin) dy = margin - y0; else if (y1 > height - margin) dy = height - margin - y1;
    if (dx || dy) { view = panBy(view, dx, dy); renderNow(); }
  }

  return {
    element: root,
    setGraph,
    setStatus(map) {
      status = { ...(map || {}) };
      redecorate();
    },
    /** Changes the status of a few boxes ({id: status}): only theirs are drawn again (the far view in the next frame). */
    updateStatus(changes) {
      let any = false;
      for (const [id, st] of Object.entries(changes || {})) {
        if (status[id] === st) continue;
        any = true;
        if (st) status[id] = st; else delete status[id];
        const g = nodeEls.get(id);
        if (g && scene.byId.has(id)) decorateNode(g, scene.byId.get(id));
      }
      // far out, the colours of thousands of boxes are one path per status: drawn again at most 4
      // times a second (twice above 1,000 boxes: each time the whole graph is painted again)
      if (any && farBuilt && !farTimer) {
        const every = scene.nodes.length > 1000 ? 500 : 250;
        farTimer = setTimeout(() => { farTimer = 0; if (farBuilt) { farBuilt = false; schedule(); } }, Math.max(0, every - (performance.now() - farNodesAt)));
      }
    },
    /** New data for some boxes that keep their place and size (an edit of a command): only those are drawn again. */
    updateNodes(nodes) {
      for (const data of nodes || []) {
        const n = scene.byId.get(data.id);
        if (!n) continue;
        n.data = data;
        const g = nodeEls.get(data.id);
        if (g) { const fresh = drawNode(n); g.replaceWith(fresh); nodeEls.set(data.id, fresh); }
      }
      if (view.k < FAR && view.k >= LABELS_FROM) drawFarLabels();
    },
    setProblems(map) {
      problems = { ...(map || {}) };
      // badges change the box: draw the visible boxes again
      clearDetail();
      farBuilt = false;
      renderNow();
    },
    /** The owner's selection changed: draw it, and bring a selected box that is not drawn into view. */
    showSelection() {
      showSelection();
      const selected = selectionNow();
      if (selected && selected.type === 'node' && scene.byId.has(selected.id) && !nodeEls.has(selected.id) && view.k >= FAR) {
        const b = scene.byId.get(selected.id).box;
        centerOn(b.x + b.width / 2, b.y + b.height / 2);
      }
    },
    fit,
    reveal,
    zoomBy,
    toGraphPoint: graphPoint,
    hitAt,
    /** Current boxes by id ({x, y, width, height}), e.g. to keep positions across an edit. */
    boxes() {
      const out = {};
      for (const n of scene.nodes) out[n.id] = { ...n.box };
      return out;
    },
    viewport: () => ({ ...view }),
    setViewport(v) { view = { ...v }; fitted = true; renderNow(); },
    /** The number of detailed boxes and edges in the DOM now (tests check culling). */
    drawnCount: () => ({ nodes: nodeEls.size, edges: edgeEls.size, far: view.k < FAR }),
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      if (farTimer) clearTimeout(farTimer);
      if (farEdgesFrame) cancelAnimationFrame(farEdgesFrame);
      resize.disconnect();
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      root.remove();
    },
  };
}
