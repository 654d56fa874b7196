// A minimal SVG drawing of a run's graph with the same contract as the shared renderer
// (js/graph/, createGraphView): used by the run view until that one is on main.
//   const view = createGraphView(parent, {onSelect});
//   view.setGraph(graph, layout); view.setStatus({taskId: 'RUNNING'}); view.select(id); view.fit(); view.destroy();
import { s } from '../dom.js';

const PAD = 24;
const FONT_ID = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const FONT_SUMMARY = '11px ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace';
const ctx = document.createElement('canvas').getContext('2d');

/** The text, cut with an ellipsis to fit px at the font (measured, not guessed). */
function cut(text, px, font) {
  ctx.font = font;
  if (ctx.measureText(text).width <= px) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= px) lo = mid; else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export function createGraphView(parent, { onSelect } = {}) {
  const svg = s('svg', { class: 'rg', role: 'img', 'aria-label': 'pipeline graph', 'data-test': 'graph' });
  const defs = s('defs', null, s('marker', { id: 'rg-arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
    s('path', { d: 'M0 0L10 5L0 10z', class: 'rg-arrow' })));
  const edgesLayer = s('g', { class: 'rg-edges' });
  const nodesLayer = s('g', { class: 'rg-nodes' });
  svg.append(defs, edgesLayer, nodesLayer);
  parent.append(svg);

  let layout = { width: 0, height: 0, nodes: [], edges: [] };
  let status = {};
  let selected = null;
  const nodeEls = new Map();
  let view = { x: 0, y: 0, w: 100, h: 100 };

  const applyView = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);

  const decorate = () => {
    for (const [id, g] of nodeEls) {
      const st = status[id] || 'PENDING';
      g.setAttribute('class', `rg-node status-${st}${id === selected ? ' is-selected' : ''}`);
      g.setAttribute('data-status', st);
    }
  };

  const fit = () => {
    const rect = parent.getBoundingClientRect();
    const cw = Math.max(rect.width, 100);
    const ch = Math.max(rect.height, 100);
    const lw = layout.width + 2 * PAD;
    const lh = layout.height + 2 * PAD;
    const k = Math.min(1, cw / lw, ch / lh); // never larger than life: text stays the size it was made for
    const w = cw / k;
    const h = ch / k;
    view = { x: -PAD - (w - lw) / 2, y: -PAD - (h - lh) / 2, w, h };
    applyView();
  };

  const setGraph = (graph, lay = graph && graph.layout) => {
    layout = lay || { width: 0, height: 0, nodes: [], edges: [] };
    const byId = new Map((graph.nodes || []).map((n) => [n.id, n]));
    edgesLayer.replaceChildren();
    nodesLayer.replaceChildren();
    nodeEls.clear();
    for (const e of layout.edges || []) {
      const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p[0]} ${p[1]}`).join(' ');
      edgesLayer.append(s('path', { d, class: 'rg-edge', 'marker-end': 'url(#rg-arrow)' }));
    }
    for (const box of layout.nodes || []) {
      const n = byId.get(box.id) || { id: box.id };
      const summary = n.summary || '';
      const g = s('g', { class: 'rg-node', transform: `translate(${box.x} ${box.y})`, 'data-test': 'node', 'data-id': box.id, tabindex: '0', role: 'button' },
        s('title', null, summary ? `${box.id}\n${summary}` : box.id),
        s('rect', { class: 'rg-box', width: box.width, height: box.height, rx: '8' }),
        s('rect', { class: 'rg-stripe', width: '5', height: box.height, rx: '2' }),
        s('circle', { class: 'rg-state', cx: box.width - 14, cy: '16', r: '5' }),
        s('text', { class: 'rg-id', x: '16', y: '20' }, cut(box.id, box.width - 38, FONT_ID)),
        s('text', { class: 'rg-summary', x: '16', y: '37' }, cut(summary, box.width - 26, FONT_SUMMARY)));
      const pick = () => { if (!dragged && onSelect) onSelect(box.id); };
      g.addEventListener('click', pick);
      g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } });
      nodesLayer.append(g);
      nodeEls.set(box.id, g);
    }
    decorate();
    fit();
  };

  // pan by dragging, zoom with the wheel
  let drag = null;
  let dragged = false; // the click that ends a pan selects nothing
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, view: { ...view }, moved: false };
    dragged = false;
  });
  const onMove = (e) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    const k = view.w / Math.max(rect.width, 1);
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    view = { ...drag.view, x: drag.view.x - dx * k, y: drag.view.y - dy * k };
    applyView();
  };
  const onUp = () => { dragged = !!(drag && drag.moved); drag = null; };
  window.addEventListener('pointermove', onMove);
  window.addEventListener('pointerup', onUp);
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const rect = svg.getBoundingClientRect();
    const f = Math.exp(e.deltaY * 0.0015);
    const px = view.x + ((e.clientX - rect.left) / rect.width) * view.w;
    const py = view.y + ((e.clientY - rect.top) / rect.height) * view.h;
    const w = Math.min(Math.max(view.w * f, 100), 20000);
    const h = (w / view.w) * view.h;
    view = { x: px - ((px - view.x) * w) / view.w, y: py - ((py - view.y) * h) / view.h, w, h };
    applyView();
  }, { passive: false });

  const resize = new ResizeObserver(() => fit());
  resize.observe(parent);

  return {
    element: svg,
    setGraph,
    setStatus(map) { status = { ...(map || {}) }; decorate(); },
    select(id) { selected = id; decorate(); },
    fit,
    destroy() {
      resize.disconnect();
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      svg.remove();
    },
  };
}
