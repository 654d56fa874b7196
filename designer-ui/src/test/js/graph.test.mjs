// Pure modules of js/graph, run with `node --test designer-ui/src/test/js/` (EditorGraphModulesTest runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as g from '../../main/resources/dev/sluice/designer/js/graph/geometry.js';
import { buildScene, layerBoxes, visibleItems, rerouteAround, boxWidth, nodeGroups } from '../../main/resources/dev/sluice/designer/js/graph/scene.js';

const box = (x, y, width = 180, height = 48) => ({ x, y, width, height });

test('zooming keeps the graph point under the pointer', () => {
  const v = g.zoomAt({ k: 1, tx: 10, ty: 20 }, 2, 110, 70);
  const before = g.toGraph({ k: 1, tx: 10, ty: 20 }, 110, 70);
  const after = g.toGraph(v, 110, 70);
  assert.deepEqual(after, before);
  assert.equal(v.k, 2);
});

test('zoom stays within its limits', () => {
  assert.equal(g.zoomAt({ k: 1, tx: 0, ty: 0 }, 1000, 0, 0).k, g.MAX_ZOOM);
  assert.equal(g.zoomAt({ k: 1, tx: 0, ty: 0 }, 0.00001, 0, 0).k, g.MIN_ZOOM);
});

test('fit centres the bounds and never enlarges a small graph', () => {
  const v = g.fitView({ x: 0, y: 0, width: 200, height: 100 }, 1000, 800);
  assert.equal(v.k, 1);
  assert.deepEqual(g.toScreen(v, 100, 50), { x: 500, y: 400 });
  const big = g.fitView({ x: 0, y: 0, width: 4000, height: 1000 }, 1000, 800, 0);
  assert.equal(big.k, 0.25);
});

test('visible rect is the inverse of the viewport', () => {
  const r = g.visibleRect({ k: 2, tx: -100, ty: -50 }, 800, 600);
  assert.deepEqual(r, { x: 50, y: 25, width: 400, height: 300 });
});

test('forward route leaves right, crosses in the middle, enters left', () => {
  const pts = g.routeOrthogonal(box(0, 0), box(300, 100));
  assert.deepEqual(pts, [[180, 24], [240, 24], [240, 124], [300, 124]]);
});

test('straight route between boxes on one row has two points', () => {
  assert.deepEqual(g.routeOrthogonal(box(0, 0), box(300, 0)), [[180, 24], [300, 24]]);
});

test('backward route goes below both boxes', () => {
  const pts = g.routeOrthogonal(box(300, 0), box(0, 100));
  const below = Math.max(...pts.map((p) => p[1]));
  assert.equal(below, 148 + 16);
  assert.deepEqual(pts[0], [480, 24]);
  assert.deepEqual(pts[pts.length - 1], [0, 124]);
});

test('rounded path rounds corners and ends at the last point', () => {
  const d = g.roundedPath([[0, 0], [50, 0], [50, 40], [100, 40]], 6);
  assert.match(d, /^M0 0L44 0Q50 0 50 6L50 34Q50 40 56 40L100 40$/);
  assert.equal(g.roundedPath([[0, 0], [100, 0]], 6, 2), 'M0 0L98 0');
});

test('simplify drops repeated and collinear points', () => {
  assert.deepEqual(g.simplify([[0, 0], [0, 0], [10, 0], [20, 0], [20, 5]]), [[0, 0], [20, 0], [20, 5]]);
});

test('fitText cuts with an ellipsis at the width', () => {
  const m = (s) => s.length * 10;
  assert.equal(g.fitText('hello', 50, m), 'hello');
  assert.equal(g.fitText('hello world', 60, m), 'hello…');
  assert.equal(g.fitText('abc', 5, m), '');
});

test('badges for retries, timeout, matrix, if, cache and labels', () => {
  const b = g.nodeBadges({ retries: 2, timeout: '30m', matrix: { c: [1, 2, 3] }, matrixSize: 3, condition: 'x > 1', cache: true, labels: ['gpu'] });
  assert.deepEqual(b.map((x) => x.kind), ['matrix', 'if', 'retries', 'timeout', 'cache', 'label']);
  assert.deepEqual(b.map((x) => x.text), ['×3', 'if', '↻2', '30m', 'cache', 'gpu']);
  assert.deepEqual(g.nodeBadges({ retries: 0, matrix: {}, labels: [] }), []);
});

test('badges that do not fit are counted in a +n badge', () => {
  const m = (s) => s.length * 6;
  const badges = ['aaaa', 'bbbb', 'cccc', 'dddd'].map((t) => ({ kind: 'label', text: t, title: t }));
  const placed = g.placeBadges(badges, 100, m);
  assert.deepEqual(placed.map((p) => p.badge.text), ['aaaa', 'bbbb', '+2']);
  assert.ok(placed.every((p) => p.x < 0 && p.x >= -100));
});

test('distance to a route', () => {
  assert.equal(g.distanceToRoute([[0, 0], [10, 0], [10, 10]], 5, 3), 3);
  assert.equal(g.distanceToRoute([[0, 0], [10, 0], [10, 10]], 13, 5), 3);
});

test('layer boxes put a node right of everything it needs', () => {
  const boxes = layerBoxes(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c' }]);
  assert.ok(boxes.get('b').x > boxes.get('a').x + boxes.get('a').width);
  assert.ok(boxes.get('c').x > boxes.get('b').x + boxes.get('b').width);
  assert.equal(boxes.get('d').x, boxes.get('a').x);
  assert.notEqual(boxes.get('d').y, boxes.get('a').y);
});

test('layer boxes survive a cycle in a text being typed', () => {
  const boxes = layerBoxes(['a', 'b'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }]);
  assert.equal(boxes.size, 2);
});

test('box width grows with the id within 180..320', () => {
  assert.equal(boxWidth('a'), 180);
  assert.equal(boxWidth('x'.repeat(100)), 320);
});

const graph = {
  nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
  edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }],
};
const layout = {
  nodes: [{ id: 'a', x: 16, y: 16, width: 180, height: 48 }, { id: 'b', x: 252, y: 16, width: 180, height: 48 }, { id: 'c', x: 488, y: 16, width: 180, height: 48 }],
  edges: [{ from: 'a', to: 'b', points: [[196, 40], [252, 40]] }, { from: 'b', to: 'c', points: [[432, 40], [488, 40]] }],
};

test('scene keeps the server routes when nothing moved', () => {
  const s = buildScene(graph, layout, {});
  assert.deepEqual(s.edges.map((e) => e.points), layout.edges.map((e) => e.points));
  assert.deepEqual(s.bounds, { x: 16, y: 16, width: 652, height: 48 });
});

test('scene puts a moved box where it was placed and routes its edges again', () => {
  const s = buildScene(graph, layout, { b: { x: 300, y: 200 } });
  assert.deepEqual(s.byId.get('b').box, { x: 300, y: 200, width: 180, height: 48 });
  assert.deepEqual(s.edges[0].points, [[196, 40], [248, 40], [248, 224], [300, 224]]);
  assert.deepEqual(s.edges[1].points[0], [480, 224]);
});

test('scene without a layout lays the nodes out itself', () => {
  const s = buildScene(graph, null, {});
  assert.ok(s.byId.get('a').box.x < s.byId.get('b').box.x);
  assert.equal(s.edges.length, 2);
});

test('scene drops edges to unknown nodes', () => {
  const s = buildScene({ nodes: [{ id: 'a' }], edges: [{ from: 'x', to: 'a' }] }, null, {});
  assert.equal(s.edges.length, 0);
});

test('visible items are those meeting the rect', () => {
  const s = buildScene(graph, layout, {});
  const v = visibleItems(s, { x: 0, y: 0, width: 240, height: 100 });
  assert.deepEqual(v.nodes.map((n) => n.id), ['a']);
  assert.deepEqual(v.edges.map((e) => e.to), ['b']);
});

test('rerouting after a move changes only the touching edges', () => {
  const s = buildScene(graph, layout, {});
  s.byId.get('c').box.y = 300;
  const changed = rerouteAround(s, 'c');
  assert.deepEqual(changed.map((e) => e.from), ['b']);
  assert.equal(s.bounds.height, 300 + 48 - 16);
});

test('far out, boxes are labelled by their group: matrix steps and ids that differ by a number', () => {
  const n = (id, x, y, step) => ({ id, data: step ? { id, step } : { id }, box: box(x, y) });
  const nodes = [];
  for (let i = 0; i < 30; i++) nodes.push(n(`c7-s${i}`, i * 200, 0));
  for (let i = 0; i < 5; i++) nodes.push(n(`sweep[x=${i}]`, 0, 100 + i * 60, 'sweep'));
  nodes.push(n('report', 900, 500));
  const groups = nodeGroups(nodes);
  assert.deepEqual(groups.map((gr) => gr.label), ['c7-s… ×30', 'sweep ×5', 'report']);
  assert.deepEqual(groups[0].box, { x: 0, y: 0, width: 29 * 200 + 180, height: 48 });
});
