// The editor's line diff (before save, file changed on disk, version history): `node --test designer-ui/src/test/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineDiff, hunks } from '../../main/resources/dev/sluice/designer/js/editor/linediff.js';
import { parseTyped } from '../../main/resources/dev/sluice/designer/js/editor/model.js';

test('a changed line is one removed and one added, numbered in both texts', () => {
  const rows = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
  assert.deepEqual(rows.filter((r) => r.type !== 'same'), [
    { type: 'del', text: 'b', a: 2 }, { type: 'add', text: 'B', b: 2 }, { type: 'add', text: 'd', b: 4 }]);
});

test('the same texts give no change, and unchanged runs fold into gaps', () => {
  assert.ok(lineDiff('x\ny\n', 'x\ny\n').every((r) => r.type === 'same'));
  const h = hunks(lineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nfive\n6\n7\n8\n9\n'), 1);
  assert.deepEqual(h.map((r) => r.type), ['gap', 'same', 'del', 'add', 'same', 'gap']);
  assert.equal(h[0].count, 3);
});

test('a number typed with a spelling JSON loses is sent as {$number}', () => {
  assert.deepEqual(parseTyped('1.0'), { $number: '1.0' });
  assert.equal(parseTyped('0.5'), 0.5);
  assert.equal(parseTyped('12'), 12);
  assert.equal(parseTyped('text'), 'text');
});
