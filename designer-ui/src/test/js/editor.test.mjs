// Pure modules of js/editor (model, history), run with `node --test designer-ui/src/test/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../../main/resources/dev/sluice/designer/js/editor/model.js';
import { createHistory } from '../../main/resources/dev/sluice/designer/js/editor/history.js';
import { diffRange } from '../../main/resources/dev/sluice/designer/js/editor/diff.js';

test('unique ids count up from the base', () => {
  assert.equal(m.uniqueId('shell', []), 'shell');
  assert.equal(m.uniqueId('shell', ['shell']), 'shell-2');
  assert.equal(m.uniqueId('shell', ['shell', 'shell-2']), 'shell-3');
  assert.equal(m.uniqueId('load-2', ['load-2']), 'load-3');
  assert.equal(m.uniqueId('Big Step!', []), 'big-step-');
});

test('summary is the first line, cut at 80 with an ellipsis', () => {
  assert.equal(m.summaryOf('echo a\necho b'), 'echo a…');
  assert.equal(m.summaryOf('x'.repeat(90)), `${'x'.repeat(79)}…`);
  assert.equal(m.summaryOf('  ls  '), 'ls');
});

const model = {
  name: 'p',
  steps: [
    { id: 'extract', fields: { run: 'echo e' } },
    { id: 'train', fields: { run: 'python3 t.py', needs: ['extract', 'ghost'], matrix: { c: [1, 2], d: ['a', 'b', 'c'] }, retries: 2, timeout: '30m', cache: true, worker: { labels: ['gpu'] }, if: '${{ params.go }}' } },
  ],
};

test('the step graph has a box per step and an edge per known need', () => {
  const { graph, layout } = m.stepGraph(model, null);
  assert.deepEqual(graph.nodes.map((n) => n.id), ['extract', 'train']);
  assert.deepEqual(graph.edges, [{ from: 'extract', to: 'train' }]);
  assert.equal(layout, null);
  const t = graph.nodes[1];
  assert.equal(t.matrixSize, 6);
  assert.equal(t.condition, 'params.go');
  assert.deepEqual(t.labels, ['gpu']);
  assert.equal(t.retries, 2);
  assert.equal(t.cache, true);
});

test('the server layout of matrix tasks folds onto their step', () => {
  const server = {
    nodes: [{ id: 'extract', step: 'extract' }, { id: 'train[c=1]', step: 'train' }, { id: 'train[c=2]', step: 'train' }],
    layout: {
      nodes: [{ id: 'extract', x: 16, y: 16, width: 180, height: 48 }, { id: 'train[c=1]', x: 252, y: 16, width: 180, height: 48 }, { id: 'train[c=2]', x: 252, y: 88, width: 180, height: 48 }],
      edges: [{ from: 'extract', to: 'train[c=1]', points: [] }],
    },
  };
  const { layout } = m.stepGraph(model, server);
  assert.deepEqual(layout.nodes.map((b) => [b.id, b.y]), [['extract', 16], ['train', 16]]);
  assert.deepEqual(layout.edges, []);
});

test('unpinned steps take their layout box unless it overlaps a pinned one', () => {
  const boxes = new Map([['a', { x: 0, y: 0, width: 180, height: 48 }], ['b', { x: 300, y: 0, width: 180, height: 48 }], ['c', { x: 600, y: 0, width: 180, height: 48 }]]);
  const out = m.placeUnpinned(['a', 'b', 'c'], { a: { x: 600, y: 0 } }, boxes);
  assert.deepEqual(out.a, { x: 600, y: 0 });
  assert.deepEqual(out.b, { x: 300, y: 0 });
  assert.equal(out.c.x, 600);
  assert.ok(out.c.y >= 48);
});

test('problems are found by their step or their path', () => {
  const ps = [{ path: 'steps[1].retries', message: 'x', step: null }, { path: 'name', message: 'y' }, { path: 'steps[0]', step: 'extract', message: 'z' }];
  const by = m.problemsByStep(ps, model);
  assert.deepEqual(Object.keys(by).sort(), ['extract', 'train']);
  assert.deepEqual(m.pipelineProblems(ps, model).map((p) => p.message), ['y']);
  assert.deepEqual(m.problemTarget('steps[3].needs[0]'), { index: 3, field: 'needs' });
  assert.deepEqual(m.problemTarget('schedule.cron'), { index: null, field: 'schedule' });
});

test('form values become YAML scalars and lists', () => {
  assert.equal(m.parseScalar('5000'), 5000);
  assert.equal(m.parseScalar('0.75'), 0.75);
  assert.equal(m.parseScalar('true'), true);
  assert.equal(m.parseScalar('abc'), 'abc');
  assert.equal(m.parseScalar('1e3x'), '1e3x');
  assert.deepEqual(m.parseList('a, b\nc,,'), ['a', 'b', 'c']);
});

test('a typed id is checked for form and clashes', () => {
  assert.equal(m.idProblem('ok-1', ['a'], 'x'), null);
  assert.match(m.idProblem('Bad', [], 'x'), /lower-case/);
  assert.match(m.idProblem('a', ['a'], 'x'), /already/);
  assert.equal(m.idProblem('a', ['a'], 'a'), null);
});

test('a pasted step keeps its fields and only the needs that exist', () => {
  const s = m.pastedStep({ run: 'x', needs: ['a', 'gone'], retries: 1, line: 3 }, 'copy', ['a']);
  assert.deepEqual(s, { id: 'copy', run: 'x', needs: ['a'], retries: 1 });
});

test('history undoes and redoes whole texts', () => {
  const h = createHistory('a');
  h.push('b'); h.push('c');
  assert.equal(h.push('c'), false);
  assert.equal(h.undo(), 'b');
  assert.equal(h.undo(), 'a');
  assert.equal(h.undo(), null);
  assert.equal(h.redo(), 'b');
  h.push('x');
  assert.equal(h.canRedo(), false);
  assert.equal(h.current(), 'x');
});

test('the text diff replaces only what differs', () => {
  assert.deepEqual(diffRange('abcdef', 'abXYef'), { from: 2, to: 4, text: 'XY' });
  assert.deepEqual(diffRange('abc', 'abc'), { from: 3, to: 3, text: '' });
  assert.deepEqual(diffRange('', 'new'), { from: 0, to: 0, text: 'new' });
});
