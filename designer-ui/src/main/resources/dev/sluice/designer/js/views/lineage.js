// #/lineage?model=NAME@ALIAS|NAME:VERSION | artifact=SHA | run=ID&step=TASK : where something
// came from. The graph is drawn by the pipelines' renderer (graph/view.js); the server lays out
// pipeline plans only, so the boxes are placed here by the same geometry code (scene.js's
// layering, used for a pipeline text the server cannot lay out). Each node type has its own
// colour; clicking a node opens what it names; a cut-off marker shows where the walk stopped.
import { h, replace, empty, errorBox, toast } from '../dom.js';
import { get, query, download } from '../api.js';
import { createGraphView } from '../graph/index.js';
import { lineageGraph, lineageQuery } from '../registry-model.js';
import { keys, actions } from '../store.js';

const KINDS = [['model_version', 'model version'], ['artifact', 'artifact'], ['attempt', 'attempt'], ['run', 'run'],
  ['pipeline_version', 'pipeline version'], ['code_version', 'code'], ['file', 'file'], ['params', 'params']];

/** Opens what a node names: a designer route, or an artifact download through the API. */
export function openHref(href) {
  if (!href) return false;
  if (href.startsWith('#')) { location.hash = href; return true; }
  const m = /^\/api\/artifacts\/([0-9a-fA-F]+)$/.exec(href);
  if (m) { download(m[1]).catch((e) => toast(e.message)); return true; }
  if (href.startsWith('/')) { window.open(href, '_blank', 'noopener'); return true; }
  return false;
}

export function mount(root, store, params) {
  const q = lineageQuery(params.query || {});
  let alive = true;
  let view = null;
  let rootId = null; // the node the lineage starts from: the graph shows it selected
  const what = q ? Object.entries(q).map(([k, v]) => `${k} ${v}`).join(' · ') : '';
  const status = h('div', { 'data-test': 'lineage-status' });
  const box = h('div', { class: 'graph-box lineage-box' });
  const list = h('div', { class: 'lineage-list' });
  const form = h('form', { class: 'toolbar lineage-form' },
    h('label', { class: 'field inline' }, h('span', null, 'Model'),
      h('input', { type: 'text', name: 'model', placeholder: 'heart-disease@champion', value: (params.query || {}).model || '', 'data-test': 'lineage-model' })),
    h('button', { class: 'btn', type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = form.elements.model.value.trim();
    if (m) location.hash = `#/lineage${query({ model: m })}`;
  });
  replace(root, h('section', { class: 'page page-wide lineage-page', 'data-test': 'lineage-page' },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' },
      h('div', { class: 'crumbs' }, h('a', { href: '#/models' }, 'Models'), h('span', null, '/'), h('span', null, 'Lineage')),
      h('h1', null, 'Lineage'), what ? h('p', { class: 'subtitle mono' }, what) : null), form),
    status,
    h('section', { class: 'card graph-card' },
      h('div', { class: 'card-header' }, h('h2', null, 'Graph'), h('span', { class: 'spacer' }),
        h('span', { class: 'muted small legend' }, KINDS.map(([k, label]) => h('span', { class: 'legend-item' }, h('span', { class: ['kind-dot', `kind-${k}`] }), label)))),
      box),
    list));

  if (!q) {
    replace(status, empty('What to trace?', 'Name a model version (heart-disease@champion or heart-disease:2), or open lineage from a model, a run or an artifact.'));
    return () => {};
  }

  const key = keys.lineage(q);

  const render = () => {
    const answer = store.get(key);
    if (!answer) return;
    const graph = lineageGraph(answer);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const cutCount = (answer.cut || []).length;
    replace(status, answer.truncated || cutCount
      ? h('div', { class: 'alert alert-info', 'data-test': 'cut-off', 'data-truncated': String(!!answer.truncated) },
        answer.truncated ? 'The graph reached its size limit. ' : 'The walk stopped at its depth. ',
        cutCount ? `${cutCount} node(s) marked … have neighbours not shown: open one to walk on from it.` : '')
      : null);
    if (!graph.nodes.length) {
      replace(box, empty('Nothing found', `No lineage for ${what}.`));
      return;
    }
    if (!view) {
      view = createGraphView(box, {
        selection: () => (rootId ? { type: 'node', id: rootId } : null),
        onSelect: (sel) => {
          if (!sel || sel.type !== 'node') return;
          const n = byIdNow().get(sel.id);
          if (n && !openHref(n.href)) toast(`${n.title}: nothing to open`);
        },
      });
    }
    view.setGraph(graph, null);
    // the box as tall as the graph needs (a lineage is wide and shallow), then fitted again
    const boxes = Object.values(view.boxes());
    const top = Math.min(...boxes.map((b) => b.y)), bottom = Math.max(...boxes.map((b) => b.y + b.height));
    box.style.height = `${Math.round(Math.min(Math.max(bottom - top + 140, 260), 640))}px`;
    view.fit();
    rootId = answer.root;
    view.showSelection();
    replace(list, h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, `Nodes (${graph.nodes.length})`)),
      h('div', { class: 'table-scroll' }, h('table', { class: 'table table-compact lineage-table', 'data-test': 'lineage-nodes' },
        h('thead', null, h('tr', null, h('th', null, 'Type'), h('th', null, 'Node'), h('th', null, 'Links'))),
        h('tbody', null, graph.nodes.map((n) => h('tr', { 'data-test': 'lineage-row', 'data-id': n.id, 'data-kind': n.kind },
          h('td', { class: 'nowrap' }, h('span', { class: ['kind-dot', `kind-${n.kind}`] }), ' ', n.summary),
          h('td', null, n.href ? h('a', { href: n.href, 'data-test': 'lineage-open', onclick: (e) => { if (!n.href.startsWith('#')) { e.preventDefault(); openHref(n.href); } } }, n.title) : n.title,
            n.root ? h('span', { class: 'badge badge-accent' }, 'root') : null,
            n.cut ? h('span', { class: 'badge badge-warn', 'data-test': 'cut' }, 'cut off') : null),
          h('td', { class: 'small muted' }, graph.edges.filter((e) => e.from === n.id).map((e) => `${e.type} → ${(byId.get(e.to) || {}).title || e.to}`).join('; ')))))))));
  };
  const byIdNow = () => new Map(lineageGraph(store.get(key) || {}).nodes.map((n) => [n.id, n]));

  const unsubscribe = store.subscribe(render, [key]);
  get(`/api/lineage${query(q)}`).then((a) => { if (alive) actions.lineageLoaded(store, q, a); })
    .catch((e) => { if (alive) replace(status, errorBox(e)); });
  return () => { alive = false; unsubscribe(); if (view) view.destroy(); actions.forget(store, key); };
}
