// The changes-only answers of POST /api/designer/edit, applied (js/editor/delta.js; EditorGraphModulesTest runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyText, applyChange, textChange } from '../../main/resources/dev/sluice/designer/js/editor/delta.js';

test('a text change replaces one range, and typing is sent as one', () => {
  const a = 'steps:\n  - id: a\n    run: echo 1\n';
  const b = a.replace('echo 1', 'echo one');
  const c = textChange(a, b);
  assert.deepEqual(c, { start: a.indexOf('1\n'), end: a.indexOf('1\n') + 1, text: 'one' });
  assert.equal(applyText(a, c), b);
  assert.equal(applyText(a, textChange(a, a)), a);
});

test('a value change copies only the path it changes, the rest is shared', () => {
  const steps = Array.from({ length: 2000 }, (_, i) => ({ id: `s${i}`, fields: { run: `echo ${i}` } }));
  const model = { name: 'big', steps };
  const graph = { nodes: [], layout: { nodes: [1, 2] } };
  const next = applyChange(model, { m: { steps: { i: [700, { m: { fields: { m: { run: { v: 'echo x' } } } } }] } } });
  assert.equal(next.steps[700].fields.run, 'echo x');
  assert.equal(model.steps[700].fields.run, 'echo 700');
  assert.equal(next.steps[699], steps[699]);
  assert.notEqual(next.steps, steps);
  assert.equal(applyChange(graph, null), graph);
  const g2 = applyChange(graph, { m: { nodes: { a: [0, 0, [{ id: 'n' }]] } }, d: [] });
  assert.equal(g2.layout, graph.layout);
  assert.deepEqual(g2.nodes, [{ id: 'n' }]);
  assert.deepEqual(applyChange({ a: 1, b: 2 }, { m: {}, d: ['a'] }), { b: 2 });
  assert.equal(applyChange(1, { v: null }), null);
});
