// Pure: turns the server's graph and layout (plus positions placed by hand) into a scene the
// renderer draws: boxes, routes and bounds. No DOM.

import {
  NODE_HEIGHT, MIN_NODE_WIDTH, MAX_NODE_WIDTH, bounds, routeBox, routeOrthogonal,
} from './geometry.js';

const PADDING = 16;
const LAYER_GAP = 56;
const ROW_GAP = 24;

/** A box width for an id, as the server sizes them (180 to 320 px by the id's length). */
export function boxWidth(id) {
  return Math.max(MIN_NODE_WIDTH, Math.min(MAX_NODE_WIDTH, 64 + Array.from(String(id)).length * 8));
}

/**
 * Boxes for nodes the server did not lay out (an invalid text has no layout): longest-path
 * layers left to right, file order within a layer. edges: [{from, to}] between ids in `ids`.
 * alignSinks places each box as far right as its successors allow (a lineage graph, walked back
 * from its root: an input sits just left of what read it, not in the first column).
 */
export function layerBoxes(ids, edges, origin = { x: PADDING, y: PADDING }, widthOf = boxWidth, alignSinks = false) {
  const known = new Set(ids);
  const preds = new Map(ids.map((id) => [id, []]));
  const succs = new Map(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (known.has(e.from) && known.has(e.to) && e.from !== e.to) { preds.get(e.to).push(e.from); succs.get(e.from).push(e.to); }
  }
  const longest = (next) => {
    const memo = new Map();
    const visiting = new Set();
    const walk = (id) => {
      if (memo.has(id)) return memo.get(id);
      if (visiting.has(id)) return 0; // a cycle in a text being typed: cut it anywhere
      visiting.add(id);
      let d = 0;
      for (const p of next.get(id)) d = Math.max(d, walk(p) + 1);
      visiting.delete(id);
      memo.set(id, d);
      return d;
    };
    ids.forEach(walk);
    return memo;
  };
  let layer = longest(preds);
  if (alignSinks) {
    const height = longest(succs);
    const top = Math.max(0, ...height.values());
    layer = new Map(ids.map((id) => [id, top - height.get(id)]));
  }
  const layers = [];
  for (const id of ids) (layers[layer.get(id)] ||= []).push(id);
  const boxes = new Map();
  let x = origin.x;
  for (const members of layers) {
    if (!members) continue;
    const w = Math.max(...members.map(widthOf));
    members.forEach((id, i) => boxes.set(id, { x, y: origin.y + i * (NODE_HEIGHT + ROW_GAP), width: widthOf(id), height: NODE_HEIGHT }));
    x += w + LAYER_GAP;
  }
  return boxes;
}

const key = (from, to) => `${from}\u0000${to}`;

/**
 * The scene of a graph: graph {nodes: [{id, title?, ...fields}], edges: [{from, to}]}, layout as
 * the server gives it (may be null: then every box is laid out here, by layerBoxes, with
 * graph.align 'sinks' to align on the sinks; a node's `title`, when it has one, is what its box
 * shows and what sizes it), positions {id: {x, y}} placed by hand (drawn over the layout;
 * the edges of a moved box are routed here, the others keep the server's route).
 * Returns {nodes: [{id, data, box}], edges: [{from, to, points, box}], byId, bounds}.
 */
export function buildScene(graph, layout, positions = {}) {
  const laid = new Map();
  for (const b of (layout && layout.nodes) || []) laid.set(b.id, { x: b.x, y: b.y, width: b.width, height: b.height });
  const ids = graph.nodes.map((n) => n.id);
  const titles = new Map(graph.nodes.map((n) => [n.id, n.title || n.id]));
  const widthOf = (id) => boxWidth(titles.get(id));
  const missing = ids.filter((id) => !laid.has(id) && !(positions && positions[id]));
  let extra = new Map();
  if (missing.length) {
    const placed = [...laid.values()];
    const below = placed.length ? bounds(placed) : null;
    const origin = below ? { x: below.x, y: below.y + below.height + ROW_GAP * 2 } : { x: PADDING, y: PADDING };
    extra = layerBoxes(missing, graph.edges, origin, widthOf, graph.align === 'sinks');
  }
  const moved = new Set();
  const nodes = graph.nodes.map((n) => {
    let box = laid.get(n.id) || extra.get(n.id);
    const p = positions && positions[n.id];
    if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) {
      const width = box ? box.width : widthOf(n.id);
      if (!box || box.x !== p.x || box.y !== p.y) moved.add(n.id);
      box = { x: p.x, y: p.y, width, height: NODE_HEIGHT };
    } else if (!laid.has(n.id)) {
      moved.add(n.id);
    }
    return { id: n.id, data: n, box };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const routes = new Map();
  for (const r of (layout && layout.edges) || []) routes.set(key(r.from, r.to), r.points);
  const edges = [];
  for (const e of graph.edges) {
    const a = byId.get(e.from), b = byId.get(e.to);
    if (!a || !b) continue;
    const server = routes.get(key(e.from, e.to));
    let points = !server || moved.has(e.from) || moved.has(e.to) ? routeOrthogonal(a.box, b.box) : server;
    if (!server && graph.align === 'sinks') points = routeOver(points, a.box, b.box, nodes);
    edges.push({ from: e.from, to: e.to, points, box: routeBox(points) });
  }
  return { nodes, edges, byId, bounds: bounds(nodes.map((n) => n.box), edges.map((e) => e.points)) };
}

/**
 * A forward route that would cross other boxes (an edge skipping a layer: an artifact registered
 * as the model its consumer also produced) goes over them instead: out, up above every box in its
 * way, across, down, in. Other routes are returned as they are.
 */
export function routeOver(points, from, to, nodes, gap = 12) {
  if (points.length > 4) return points; // a backward route already goes around
  const x0 = from.x + from.width, x1 = to.x;
  const segs = [];
  for (let i = 1; i < points.length; i++) segs.push([points[i - 1], points[i]]);
  const crosses = (b) => b !== from && b !== to && b.x < x1 && b.x + b.width > x0
    && segs.some(([[ax, ay], [bx, by]]) => {
      const sx0 = Math.min(ax, bx), sx1 = Math.max(ax, bx), sy0 = Math.min(ay, by), sy1 = Math.max(ay, by);
      return sx0 < b.x + b.width && sx1 > b.x && sy0 <= b.y + b.height && sy1 >= b.y;
    });
  const blocking = nodes.map((n) => n.box).filter(crosses);
  if (!blocking.length) return points;
  const top = Math.min(from.y, to.y, ...blocking.map((b) => b.y)) - gap;
  const s = [x0, from.y + from.height / 2];
  const e = [x1, to.y + to.height / 2];
  return [s, [s[0] + gap, s[1]], [s[0] + gap, top], [e[0] - gap, top], [e[0] - gap, e[1]], e];
}

/** Re-routes the edges touching id after its box moved; returns the edges changed. */
export function rerouteAround(scene, id) {
  const changed = [];
  for (const e of scene.edges) {
    if (e.from !== id && e.to !== id) continue;
    e.points = routeOrthogonal(scene.byId.get(e.from).box, scene.byId.get(e.to).box);
    e.box = routeBox(e.points);
    changed.push(e);
  }
  scene.bounds = bounds(scene.nodes.map((n) => n.box), scene.edges.map((e) => e.points));
  return changed;
}

/** The nodes and edges whose boxes meet rect (a linear scan: microseconds for 10,000 items). */
export function visibleItems(scene, rect) {
  const hit = (b) => b.x < rect.x + rect.width && rect.x < b.x + b.width && b.y < rect.y + rect.height && rect.y < b.y + b.height;
  const nodes = [];
  for (const n of scene.nodes) if (hit(n.box)) nodes.push(n);
  const edges = [];
  for (const e of scene.edges) {
    const b = e.box;
    // a straight horizontal or vertical route has a zero-sized box: grow it a little
    if (hit({ x: b.x - 1, y: b.y - 1, width: b.width + 2, height: b.height + 2 })) edges.push(e);
  }
  return { nodes, edges };
}

/**
 * Pure: the groups a graph too far out for box labels is labelled by: the tasks of a matrix step
 * (its step id), else the steps whose ids differ only by their last number (`c7-s0` ... `c7-s99`
 * form `c7-s…`). Each: {key, label, count, box} (box: the bounds of its boxes); largest first.
 * A lone node is its own group, labelled by its id.
 */
export function nodeGroups(nodes) {
  const groups = new Map();
  for (const n of nodes) {
    const step = n.data && n.data.step && n.data.step !== n.id ? n.data.step : null;
    const m = step ? null : /^(.*?)(\d+)(\D*)$/.exec(n.id);
    const key = step ? `m:${step}` : m ? `s:${m[1]}\u0000${m[3]}` : `n:${n.id}`;
    let g = groups.get(key);
    if (!g) { g = { key, step, stem: m ? [m[1], m[3]] : null, ids: [], x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }; groups.set(key, g); }
    g.ids.push(n.id);
    const b = n.box;
    if (b.x < g.x0) g.x0 = b.x;
    if (b.y < g.y0) g.y0 = b.y;
    if (b.x + b.width > g.x1) g.x1 = b.x + b.width;
    if (b.y + b.height > g.y1) g.y1 = b.y + b.height;
  }
  const out = [];
  for (const g of groups.values()) {
    const count = g.ids.length;
    const label = g.step ? `${g.step} ×${count}`
      : count === 1 || !g.stem ? g.ids[0]
        : `${g.stem[0]}…${g.stem[1]} ×${count}`;
    out.push({ key: g.key, label, count, box: { x: g.x0, y: g.y0, width: g.x1 - g.x0, height: g.y1 - g.y0 } });
  }
  return out.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}
