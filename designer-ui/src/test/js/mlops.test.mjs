// Pure modules of the MLOps pages (experiments filter and sort, chart data, registry and lineage
// reading), run with `node --test designer-ui/src/test/js/` (EditorGraphModulesTest runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ex from '../../main/resources/dev/sluice/designer/js/experiments-model.js';
import * as se from '../../main/resources/dev/sluice/designer/js/series.js';
import * as rg from '../../main/resources/dev/sluice/designer/js/registry-model.js';
import { buildScene, layerBoxes } from '../../main/resources/dev/sluice/designer/js/graph/scene.js';

test('the filter box becomes the API filter', () => {
  const f = ex.parseFilter('auc > 0.85, l2 = 0.1');
  assert.deepEqual(f.errors, []);
  assert.equal(f.query, 'auc>0.85,l2=0.1');
  assert.deepEqual(f.clauses[0], { name: 'auc', op: '>', value: '0.85' });
  assert.equal(ex.parseFilter('evaluate.auc>=0.9 ,  seed != 3').query, 'evaluate.auc>=0.9,seed!=3');
  assert.equal(ex.parseFilter('l2 == 0.1').query, 'l2=0.1');
  assert.equal(ex.parseFilter('  ').query, '');
  assert.equal(ex.parseFilter('train[l2=0.1].loss < 0.2').query, 'train[l2=0.1].loss<0.2', 'a matrix variant in a name');
});

test('a filter clause that cannot be read is named and nothing is sent', () => {
  const f = ex.parseFilter('auc > 0.85, accuracy, > 3, l2 =');
  assert.equal(f.query, null);
  assert.equal(f.errors.length, 3);
  assert.match(f.errors[0], /"accuracy": expected NAME OP VALUE/);
  assert.match(f.errors[1], /"> 3"/);
  assert.match(f.errors[2], /value is missing/);
  assert.equal(ex.parseFilter('<script> > 1').query, null);
  assert.equal(ex.parseFilter('auc > 0.8 < 0.9').query, null);
});

test('a header click sorts descending first, then flips', () => {
  assert.equal(ex.nextSort('', 'evaluate.auc'), '-evaluate.auc');
  assert.equal(ex.nextSort('-evaluate.auc', 'evaluate.auc'), 'evaluate.auc');
  assert.equal(ex.nextSort('evaluate.auc', 'evaluate.auc'), '-evaluate.auc');
  assert.equal(ex.nextSort('-evaluate.auc', 'l2'), '-l2');
  assert.deepEqual(ex.readSort('-l2'), { col: 'l2', desc: true });
  assert.deepEqual(ex.readSort('l2'), { col: 'l2', desc: false });
  assert.equal(ex.readSort(''), null);
});

test('paging reads the answer\'s total, limit and offset', () => {
  assert.deepEqual(ex.pageInfo(137, 25, 0), { page: 1, pages: 6, from: 1, to: 25 });
  assert.deepEqual(ex.pageInfo(137, 25, 125), { page: 6, pages: 6, from: 126, to: 137 });
  assert.deepEqual(ex.pageInfo(0, 25, 0), { page: 1, pages: 1, from: 0, to: 0 });
});

test('a matrix variant row reads its own series', () => {
  const row = { run_id: 'r1', task_id: 'train[l2=0.1]' };
  assert.deepEqual(ex.seriesSource(row, 'train.loss'), { run: 'r1', task: 'train[l2=0.1]', name: 'loss' });
  assert.deepEqual(ex.seriesSource(row, 'evaluate.auc'), { run: 'r1', task: 'evaluate', name: 'auc' });
  assert.deepEqual(ex.seriesSource({ run_id: 'r2', task_id: null }, 'evaluate.auc'), { run: 'r2', task: 'evaluate', name: 'auc' });
  assert.equal(ex.seriesSource(row, 'auc'), null);
  assert.equal(ex.rowKey(row), 'r1 train[l2=0.1]');
  assert.equal(ex.rowKey({ run_id: 'r2', task_id: null }), 'r2');
});

test('the experiments query leaves out what is not set', () => {
  assert.deepEqual(ex.experimentsQuery({ sort: '-auc', filter: '', limit: 25, offset: 50 }), { sort: '-auc', limit: 25, offset: 50 });
  assert.deepEqual(ex.experimentsQuery({ limit: 500, offset: 0, params: ['l2'], metrics: ['evaluate.auc'] }),
    { params: 'l2', metrics: 'evaluate.auc', limit: 500, offset: 0 });
});

test('a series is sorted by step, a value without a step takes its position', () => {
  assert.deepEqual(se.seriesData([{ step: 2, value: 0.3 }, { step: 0, value: 0.7 }, { step: 1, value: 0.5 }]), [[0, 1, 2], [0.7, 0.5, 0.3]]);
  assert.deepEqual(se.seriesData([{ value: 1 }, { value: 2 }, { value: 'x' }]), [[0, 1], [1, 2]]);
});

test('overlaid series share one x axis with gaps as null', () => {
  const a = [{ step: 0, value: 1 }, { step: 1, value: 2 }];
  const b = [{ step: 1, value: 5 }, { step: 3, value: 6 }];
  assert.deepEqual(se.alignSeries([a, b]), [[0, 1, 3], [1, 2, null], [null, 5, 6]]);
  assert.deepEqual(se.alignSeries([[], a]), [[0, 1], [null, null], [1, 2]]);
});

test('the scatter keeps rows with a number on both axes, sorted by the param', () => {
  const rows = [
    { run_id: 'a', params: { l2: 0.2 }, metrics: { auc: 0.8 } },
    { run_id: 'b', params: { l2: '0.1' }, metrics: { auc: 0.9 } },
    { run_id: 'c', params: {}, matrix: { l2: 0 }, metrics: { auc: 0.7 } },
    { run_id: 'd', params: { l2: 'big' }, metrics: { auc: 0.7 } },
    { run_id: 'e', params: { l2: 0.3 }, metrics: {} },
  ];
  const s = se.scatterData(rows, 'l2', 'auc');
  assert.deepEqual(s.data, [[0, 0.1, 0.2], [0.7, 0.9, 0.8]]);
  assert.deepEqual(s.rows.map((r) => r.run_id), ['c', 'b', 'a']);
});

test('metric history draws each threshold as a flat line', () => {
  const hd = se.historyData(
    [{ at: '2026-12-07T10:00:00Z', value: 0.3 }, { at: '2026-12-06T10:00:00Z', value: 0.1 }, { at: 'bad', value: 1 }],
    [{ alert: 'drift', op: '>', value: 0.2, severity: 'critical' }, { op: '>', value: 'x' }]);
  const t0 = Date.parse('2026-12-06T10:00:00Z') / 1000;
  assert.deepEqual(hd.data, [[t0, t0 + 86400], [0.1, 0.3], [0.2, 0.2]]);
  assert.deepEqual(hd.labels, ['critical > 0.2 (drift)']);
  assert.deepEqual(hd.severities, ['critical']);
});

test('the versions table has a column for every metric any version has', () => {
  const versions = [{ metrics: { auc: 0.9, loss: 0.2 } }, { metrics: { auc: 0.95, f1: 0.5 } }, { metrics: { loss: 0.1 } }];
  assert.deepEqual(rg.metricColumns(versions), ['auc', 'loss', 'f1']);
  assert.deepEqual(rg.bestValues(versions, ['auc', 'loss', 'f1']), { auc: 0.95, loss: 0.1, f1: 0.5 });
});

test('an alias move is compare-and-set on the version the page saw', () => {
  assert.deepEqual(rg.aliasMove('1', { champion: 3 }, 'champion', '  v3 regressed '), { version: 1, expected_version: 3, note: 'v3 regressed' });
  assert.deepEqual(rg.aliasMove(2, { champion: 3 }, 'candidate', 'new'), { version: 2, expected_version: null, note: 'new' }, 'a new alias must not exist yet');
  assert.equal(rg.isRollback(1, { champion: 3 }, 'champion'), true);
  assert.equal(rg.isRollback(4, { champion: 3 }, 'champion'), false);
  assert.equal(rg.isRollback(1, {}, 'champion'), false);
  assert.ok(rg.ALIAS.test('champion'));
  assert.ok(!rg.ALIAS.test('../x'));
  assert.ok(!rg.ALIAS.test('Champion'));
});

test('alias history says who moved it and how', () => {
  assert.deepEqual(rg.movedBy({ type: 'run', run_id: 'r1', task_id: 'register' }), { text: 'run r1 · register', runId: 'r1' });
  assert.deepEqual(rg.movedBy({ type: 'cli' }), { text: 'cli', runId: null });
  assert.equal(rg.moveText({ from_version: 1, to_version: 2 }), 'v1 → v2');
  assert.equal(rg.moveText({ from_version: null, to_version: 3 }), 'set to v3');
  assert.equal(rg.moveText({ from_version: 2, to_version: null }), 'deleted (was v2)');
});

test('the lineage query takes a model, an artifact or a run and step', () => {
  assert.deepEqual(rg.lineageQuery({ model: 'hd@champion', run: 'x' }), { model: 'hd@champion' });
  assert.deepEqual(rg.lineageQuery({ artifact: 'ab' }), { artifact: 'ab' });
  assert.deepEqual(rg.lineageQuery({ run: 'r', step: 's' }), { run: 'r', step: 's' });
  assert.deepEqual(rg.lineageQuery({ model: 'hd:1', depth: '1', limit: 'x' }), { model: 'hd:1', depth: '1' });
  assert.equal(rg.lineageQuery({}), null);
  assert.equal(rg.lineageQuery({ depth: '2' }), null);
});

const LINEAGE = {
  root: 'model_version:hd:2',
  truncated: true,
  cut: ['run:old'],
  nodes: [
    { id: 'run:old', type: 'run', label: 'old run', href: '#/runs/old' },
    { id: 'artifact:aa', type: 'artifact', label: 'evaluate/model.pkl', href: '/api/artifacts/aa' },
    { id: 'model_version:hd:2', type: 'model_version', label: 'hd v2', href: '#/models/hd/versions/2' },
    { id: 'attempt:r:evaluate:1', type: 'attempt', label: 'evaluate #1', href: '#/runs/r?step=evaluate' },
    { id: 'lonely', type: 'file', label: 'data.csv' },
  ],
  edges: [
    { from: 'artifact:aa', to: 'model_version:hd:2', type: 'registered_as' },
    { from: 'attempt:r:evaluate:1', to: 'artifact:aa', type: 'produced' },
    { from: 'run:old', to: 'attempt:r:evaluate:1', type: 'ran' },
    { from: 'ghost', to: 'artifact:aa', type: 'produced' },
  ],
};

test('lineage becomes the renderer\'s graph, breadth first from the root, with the cut marked', () => {
  const g = rg.lineageGraph(LINEAGE);
  assert.deepEqual(g.nodes.map((n) => n.id), ['model_version:hd:2', 'artifact:aa', 'attempt:r:evaluate:1', 'run:old', 'lonely']);
  const root = g.nodes[0];
  assert.equal(root.title, 'hd v2');
  assert.equal(root.kind, 'model_version');
  assert.equal(root.root, true);
  assert.equal(root.href, '#/models/hd/versions/2');
  const cut = g.nodes.find((n) => n.id === 'run:old');
  assert.equal(cut.cut, true);
  assert.equal(cut.badges[0].kind, 'cut');
  assert.match(cut.summary, /not expanded/);
  assert.equal(g.nodes.find((n) => n.id === 'lonely').href, null);
  assert.equal(g.edges.length, 3, 'an edge to an unknown node is dropped');
});

test('lineage is laid out by the pipelines\' scene code, sized by its labels, upstream on the left', () => {
  const g = rg.lineageGraph(LINEAGE);
  const scene = buildScene(g, null);
  const x = (id) => scene.byId.get(id).box.x;
  assert.ok(x('run:old') < x('attempt:r:evaluate:1'));
  assert.ok(x('attempt:r:evaluate:1') < x('artifact:aa'));
  assert.ok(x('artifact:aa') < x('model_version:hd:2'));
  assert.equal(scene.edges.length, 3);
  for (const n of scene.nodes) assert.ok(n.box.width >= 180 && n.box.width <= 320);
});

test('aligned on its sinks, an input sits just left of what read it', () => {
  const edges = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'root' }, { from: 'file', to: 'c' }];
  const left = layerBoxes(['root', 'c', 'b', 'a', 'file'], edges);
  const right = layerBoxes(['root', 'c', 'b', 'a', 'file'], edges, undefined, undefined, true);
  assert.equal(left.get('file').x, left.get('a').x, 'by default every source is in the first column');
  assert.equal(right.get('file').x, right.get('b').x, 'aligned on sinks: one column before c');
  assert.equal(right.get('root').x, left.get('root').x);
});

test('a lineage edge that skips a layer goes over the box in its way', () => {
  const graph = {
    align: 'sinks',
    nodes: [{ id: 'art' }, { id: 'reg' }, { id: 'model' }],
    edges: [{ from: 'art', to: 'reg' }, { from: 'reg', to: 'model' }, { from: 'art', to: 'model' }],
  };
  const scene = buildScene(graph, null);
  const skip = scene.edges.find((e) => e.from === 'art' && e.to === 'model');
  const reg = scene.byId.get('reg').box;
  const top = Math.min(...skip.points.map(([, y]) => y));
  assert.ok(top < reg.y, 'the route rises above the register box');
  assert.equal(skip.points.length, 6);
  const direct = scene.edges.find((e) => e.from === 'art' && e.to === 'reg');
  assert.ok(direct.points.length <= 4, 'an edge between neighbouring layers stays direct');
  const plain = buildScene({ ...graph, align: undefined }, null);
  assert.ok(plain.edges.find((e) => e.from === 'art' && e.to === 'model').points.length <= 4, 'pipelines keep their routes');
});

test('a register step shows the model it registers, a step the models it uses', async () => {
  const { nodeBadges } = await import('../../main/resources/dev/sluice/designer/js/graph/geometry.js');
  const reg = nodeBadges({ id: 'register', register: { model: 'heart-disease', from: 'evaluate/model', aliases: ['candidate'], promote: 'champion' } });
  assert.deepEqual(reg.map((b) => [b.kind, b.text]), [['register', 'heart-disease']]);
  assert.match(reg[0].title, /registers heart-disease from evaluate\/model\naliases: candidate\npromotes champion/);
  const score = nodeBadges({ id: 'score', models: { clf: 'heart-disease@champion' } });
  assert.deepEqual(score.map((b) => [b.kind, b.text]), [['model', 'heart-disease@champion']]);
  assert.equal(nodeBadges({ id: 'two', models: { a: 'x@y', b: 'x:1' } })[0].text, '2 models');
  assert.deepEqual(nodeBadges({ id: 'plain' }), []);
});
