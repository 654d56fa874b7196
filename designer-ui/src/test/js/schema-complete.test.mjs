// Completion of keys in the YAML view from the pipeline's JSON Schema: `node --test designer-ui/src/test/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { completions, pathAt } from '../../main/resources/dev/sluice/designer/js/editor/schema-complete.js';

const schema = JSON.parse(readFileSync(new URL('../../../../engine/src/main/resources/dev/sluice/engine/pipeline/pipeline.schema.json', import.meta.url)));

const at = (text) => {
  const i = text.indexOf('|');
  const clean = text.slice(0, i) + text.slice(i + 1);
  const before = clean.slice(0, i).split('\n');
  return completions(schema, clean, before.length - 1, before[before.length - 1].length);
};

test('retr in a step offers retries and retry_delay with their docs', () => {
  const c = at('name: p\nsteps:\n  - id: a\n    run: echo a\n    retr|\n');
  assert.deepEqual(c.path, ['steps', '[]']);
  assert.deepEqual(c.items.map((i) => i.key), ['retries', 'retry_delay']);
  assert.match(c.items[1].doc, /retry/i);
  assert.ok(c.items[0].doc.length > 0);
});

test('top-level keys, minus those already there; keys of a step on its dash line', () => {
  const top = at('name: p\nst|\n');
  assert.deepEqual(top.items.map((i) => i.key).slice(0, 1), ['steps']);
  const all = at('name: p\n|\nsteps: []\n').items.map((i) => i.key);
  assert.ok(!all.includes('name') && !all.includes('steps') && all.includes('params'));
  const dash = at('name: p\nsteps:\n  - ru|\n');
  assert.deepEqual(dash.path, ['steps', '[]']);
  assert.ok(dash.items.some((i) => i.key === 'run'));
  const notIndented = at('name: p\nsteps:\n- id: a\n  time|\n');
  assert.deepEqual(notIndented.items.map((i) => i.key), ['timeout']);
});

test('nested mappings: schedule keys; nothing offered in a value or in env', () => {
  assert.deepEqual(at('name: p\nschedule:\n  c|\n').items.map((i) => i.key), ['cron', 'catchup']);
  assert.equal(at('name: p\nsteps:\n  - id: a\n    run: ec|\n'), null);
  assert.equal(at('name: p\nenv:\n  PY|\n'), null);
  assert.deepEqual(pathAt('a:\n  b:\n    c: 1\n    d'.split('\n'), 3, 4).path, ['a', 'b']);
});

test('the key under the pointer has its doc', async () => {
  const { docAt } = await import('../../main/resources/dev/sluice/designer/js/editor/schema-complete.js');
  const text = 'name: p\nsteps:\n  - id: a\n    retries: 2\n';
  const d = docAt(schema, text, 3, 6);
  assert.equal(d.key, 'retries');
  assert.ok(d.doc.length > 0);
  assert.equal(docAt(schema, text, 3, 15), null);
});
