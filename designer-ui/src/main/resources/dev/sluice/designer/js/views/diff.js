// #/runs/{a}/diff/{b} : what differs between two runs (params, pinned models, code, metrics,
// outputs by hash), as the server lists it.
import { h, replace, errorBox } from '../dom.js';
import { get, seg } from '../api.js';
import { value } from '../format.js';

const short = (v) => (typeof v === 'string' && /^[0-9a-f]{40,64}$/.test(v) ? v.slice(0, 12) : value(v));

export function mount(root, store, params) {
  const { a, b } = params;
  let alive = true;
  const body = h('div', { class: 'stack' }, h('div', { class: 'loading' }, 'Comparing…'));
  const run = (id) => h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(id)}` }, id);
  replace(root, h('section', { class: 'page', 'data-test': 'diff-page' },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' },
      h('div', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), h('span', null, '/'), h('span', null, 'Diff')),
      h('h1', null, 'Diff ', run(a), ' → ', run(b)))),
    body));

  const section = (title, test, rows, cols) => h('section', { class: 'card', 'data-test': test },
    h('div', { class: 'card-header' }, h('h2', null, title), h('span', { class: 'spacer' }), h('span', { class: 'muted small' }, rows.length ? `${rows.length} differ` : 'the same')),
    rows.length ? h('table', { class: 'table table-compact' },
      h('thead', null, h('tr', null, cols.map(([label]) => h('th', null, label)), h('th', null, a), h('th', null, b))),
      h('tbody', null, rows.map((r) => h('tr', { class: 'diff' }, cols.map(([, k]) => h('td', { class: 'mono' }, value(r[k]))),
        h('td', { class: 'mono', title: String(r.a ?? '') }, short(r.a)), h('td', { class: 'mono', title: String(r.b ?? '') }, short(r.b)))))) : null);

  get(`/api/runs/${seg(a)}/diff/${seg(b)}`).then((d) => {
    if (!alive) return;
    replace(body,
      section('Params', 'diff-params', d.params || [], [['name', 'name']]),
      section('Models', 'diff-models', d.models || [], [['step', 'task_id'], ['key', 'key']]),
      section('Code', 'diff-code', d.code || [], [['what', 'what']]),
      section('Metrics', 'diff-metrics', d.metrics || [], [['step', 'task_id'], ['name', 'name']]),
      section('Outputs', 'diff-outputs', d.outputs || [], [['step', 'task_id'], ['path', 'path']]));
  }).catch((e) => { if (alive) replace(body, errorBox(e)); });
  return () => { alive = false; };
}
