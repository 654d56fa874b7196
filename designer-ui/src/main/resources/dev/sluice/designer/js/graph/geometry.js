// Pure geometry of the graph view: viewports, routes, paths, hit boxes, text fitting.
// No DOM here, so node can test it (designer-ui/src/test/js).

export const NODE_HEIGHT = 48;
export const MIN_NODE_WIDTH = 180;
export const MAX_NODE_WIDTH = 320;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2.5;

/** The identity viewport: graph point (x, y) is drawn at screen point (x * k + tx, y * k + ty). */
export function identity() {
  return { k: 1, tx: 0, ty: 0 };
}

export function clampZoom(k) {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));
}

/** The viewport after zooming by factor, keeping screen point (sx, sy) over the same graph point. */
export function zoomAt(view, factor, sx, sy) {
  const k = clampZoom(view.k * factor);
  const gx = (sx - view.tx) / view.k;
  const gy = (sy - view.ty) / view.k;
  return { k, tx: sx - gx * k, ty: sy - gy * k };
}

export function panBy(view, dx, dy) {
  return { k: view.k, tx: view.tx + dx, ty: view.ty + dy };
}

export function toGraph(view, sx, sy) {
  return { x: (sx - view.tx) / view.k, y: (sy - view.ty) / view.k };
}

export function toScreen(view, gx, gy) {
  return { x: gx * view.k + view.tx, y: gy * view.k + view.ty };
}

/**
 * The viewport showing the whole of bounds inside a screen of width x height with margin pixels
 * around it, never zoomed in beyond maxZoom (a small graph stays at its natural size).
 */
export function fitView(bounds, width, height, margin = 32, maxZoom = 1) {
  if (!bounds || bounds.width <= 0 || bounds.height <= 0 || width <= 0 || height <= 0) return identity();
  const k = clampZoom(Math.min((width - 2 * margin) / bounds.width, (height - 2 * margin) / bounds.height, maxZoom));
  return {
    k,
    tx: (width - bounds.width * k) / 2 - bounds.x * k,
    ty: (height - bounds.height * k) / 2 - bounds.y * k,
  };
}

/** The graph rectangle a viewport shows on a screen of width x height, grown by pad screen pixels. */
export function visibleRect(view, width, height, pad = 0) {
  return {
    x: (-view.tx - pad) / view.k,
    y: (-view.ty - pad) / view.k,
    width: (width + 2 * pad) / view.k,
    height: (height + 2 * pad) / view.k,
  };
}

export function intersects(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function contains(box, x, y) {
  return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
}

/** The smallest rectangle around boxes (each {x, y, width, height}) and routes (arrays of [x, y]). */
export function bounds(boxes, routes = []) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
  }
  for (const pts of routes) {
    for (const [x, y] of pts) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y);
      x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  if (x0 === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function routeBox(points) {
  return bounds([], [points]);
}

/** Where an edge leaves a box (middle of its right side) and enters one (middle of its left side). */
export function outPort(box) {
  return { x: box.x + box.width, y: box.y + box.height / 2 };
}

export function inPort(box) {
  return { x: box.x, y: box.y + box.height / 2 };
}

/**
 * An orthogonal route from the right side of box a to the left side of box b, for boxes the
 * server did not lay out (moved or dropped by hand). Forward: out, across at the middle, in.
 * Backward (b left of a): around, below both boxes.
 */
export function routeOrthogonal(a, b, gap = 16) {
  const s = outPort(a);
  const e = inPort(b);
  if (e.x - s.x >= 12) {
    if (Math.abs(s.y - e.y) < 0.5) return [[s.x, s.y], [e.x, e.y]];
    const mx = Math.round((s.x + e.x) / 2);
    return [[s.x, s.y], [mx, s.y], [mx, e.y], [e.x, e.y]];
  }
  const below = Math.max(a.y + a.height, b.y + b.height) + gap;
  return [[s.x, s.y], [s.x + gap, s.y], [s.x + gap, below], [e.x - gap, below], [e.x - gap, e.y], [e.x, e.y]];
}

/** Drops repeated points and middle points of straight runs. */
export function simplify(points) {
  const out = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    if (out.length >= 2) {
      const prev = out[out.length - 2];
      const straight = (prev[0] === last[0] && last[0] === p[0]) || (prev[1] === last[1] && last[1] === p[1]);
      if (straight) out.pop();
    }
    out.push(p);
  }
  return out;
}

const fmt = (n) => (Math.round(n * 10) / 10).toString();

/**
 * SVG path data through orthogonal points with rounded corners of at most radius (less when a
 * segment is short), ending short by `shorten` pixels so an arrow head fits at the end.
 */
export function roundedPath(points, radius = 6, shorten = 0) {
  const pts = simplify(points);
  if (pts.length < 2) return '';
  if (shorten > 0) {
    const [ax, ay] = pts[pts.length - 2];
    const [bx, by] = pts[pts.length - 1];
    const len = Math.hypot(bx - ax, by - ay);
    if (len > shorten) pts[pts.length - 1] = [bx - ((bx - ax) / len) * shorten, by - ((by - ay) / len) * shorten];
  }
  let d = `M${fmt(pts[0][0])} ${fmt(pts[0][1])}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const [px, py] = pts[i - 1];
    const [cx, cy] = pts[i];
    const [nx, ny] = pts[i + 1];
    const lin = Math.hypot(cx - px, cy - py);
    const lout = Math.hypot(nx - cx, ny - cy);
    const r = Math.min(radius, lin / 2, lout / 2);
    if (r < 0.5) { d += `L${fmt(cx)} ${fmt(cy)}`; continue; }
    const ax = cx - ((cx - px) / lin) * r, ay = cy - ((cy - py) / lin) * r;
    const bx = cx + ((nx - cx) / lout) * r, by = cy + ((ny - cy) / lout) * r;
    d += `L${fmt(ax)} ${fmt(ay)}Q${fmt(cx)} ${fmt(cy)} ${fmt(bx)} ${fmt(by)}`;
  }
  const [lx, ly] = pts[pts.length - 1];
  return d + `L${fmt(lx)} ${fmt(ly)}`;
}

/** One path's data drawing every box as a plain rectangle (the overview and the far-out zoom). */
export function boxesPath(boxes) {
  let d = '';
  for (const b of boxes) d += `M${fmt(b.x)} ${fmt(b.y)}h${fmt(b.width)}v${fmt(b.height)}h${fmt(-b.width)}z`;
  return d;
}

/** One path's data drawing every route as a polyline. */
export function routesPath(routes) {
  let d = '';
  for (const pts of routes) {
    if (pts.length < 2) continue;
    d += `M${fmt(pts[0][0])} ${fmt(pts[0][1])}`;
    for (let i = 1; i < pts.length; i++) d += `L${fmt(pts[i][0])} ${fmt(pts[i][1])}`;
  }
  return d;
}

/** Distance from point (x, y) to the nearest segment of an orthogonal route. */
export function distanceToRoute(points, x, y) {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
  }
  return best;
}

/**
 * The longest prefix of text that fits in width pixels by measure(text) -> pixels, with an
 * ellipsis when cut. Binary search, so a long command costs a few measurements.
 */
export function fitText(text, width, measure) {
  if (!text) return '';
  if (measure(text) <= width) return text;
  const chars = Array.from(text);
  let lo = 0, hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('') + '…') <= width) lo = mid; else hi = mid - 1;
  }
  return lo === 0 ? '' : chars.slice(0, lo).join('').trimEnd() + '…';
}

/**
 * The badges a node shows, from the fields the server gives (graph nodes) or the editor builds:
 * retries, timeout, matrix, if, cache, labels, the model a register step registers, the models a
 * step uses. Each {kind, text, title}.
 */
export function nodeBadges(node) {
  if (Array.isArray(node.badges)) return node.badges;
  const out = [];
  const matrix = node.matrix;
  if (node.matrixSize > 1 || (matrix && typeof matrix === 'object' && Object.keys(matrix).length > 0)) {
    const size = node.matrixSize || 0;
    const values = matrix ? Object.entries(matrix).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ') : '';
    out.push({ kind: 'matrix', text: size > 1 ? `×${size}` : 'matrix', title: `matrix ${values}`.trim() });
  }
  if (node.condition) out.push({ kind: 'if', text: 'if', title: `if: ${node.condition}` });
  if (node.retries > 0) out.push({ kind: 'retries', text: `↻${node.retries}`, title: `retries: ${node.retries}` });
  if (node.timeout) out.push({ kind: 'timeout', text: String(node.timeout), title: `timeout: ${node.timeout}` });
  if (node.cache) out.push({ kind: 'cache', text: 'cache', title: 'cache: true' });
  for (const label of node.labels || []) out.push({ kind: 'label', text: String(label), title: `worker label: ${label}` });
  const reg = node.register;
  if (reg && typeof reg === 'object' && reg.model) {
    const more = [reg.aliases && reg.aliases.length ? `aliases: ${reg.aliases.join(', ')}` : null, reg.promote ? `promotes ${reg.promote} when its if holds` : null].filter(Boolean);
    out.push({ kind: 'register', text: String(reg.model), title: [`registers ${reg.model} from ${reg.from}`, ...more].join('\n') });
  }
  const models = node.models && typeof node.models === 'object' ? Object.entries(node.models) : [];
  if (models.length) {
    out.push({ kind: 'model', text: models.length === 1 ? String(models[0][1]) : `${models.length} models`, title: models.map(([k, ref]) => `models.${k}: ${ref}`).join('\n') });
  }
  return out;
}

/**
 * Which badges fit in width pixels when laid from the right, by measure(text) for each badge's
 * text plus padding; the rest are counted in a "+n" badge. Returns [{badge, x, width}] with x
 * relative to the right edge (negative), in reading order.
 */
export function placeBadges(badges, width, measure, pad = 10, gap = 4) {
  const placed = [];
  let used = 0;
  for (let i = 0; i < badges.length; i++) {
    const w = Math.ceil(measure(badges[i].text)) + pad;
    const rest = badges.length - i - 1;
    const moreW = rest > 0 ? Math.ceil(measure(`+${rest}`)) + pad + gap : 0;
    if (used + w + moreW > width) {
      const more = { kind: 'more', text: `+${badges.length - i}`, title: badges.slice(i).map((b) => b.title).join('\n') };
      const mw = Math.ceil(measure(more.text)) + pad;
      if (used + mw <= width) placed.push({ badge: more, width: mw });
      break;
    }
    placed.push({ badge: badges[i], width: w });
    used += w + gap;
  }
  // read left to right, the last one ending at the right edge
  let x = -placed.reduce((sum, p) => sum + p.width, 0) - gap * Math.max(0, placed.length - 1);
  for (const p of placed) { p.x = x; x += p.width + gap; }
  return placed;
}
