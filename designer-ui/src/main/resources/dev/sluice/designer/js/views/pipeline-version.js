// #/pipelines/{name}/versions/{n} : one saved version of a pipeline (what lineage links to): its
// graph at that version, its hash and time, and the other versions.
import { h, replace, empty, errorBox } from '../dom.js';
import { get, seg } from '../api.js';
import { relative, dateTime } from '../format.js';
import { createGraphView } from '../graph/index.js';

export function mount(root, store, params) {
  const { name } = params;
  const n = Number(params.version);
  let alive = true;
  let view = null;
  const info = h('div', { class: 'meta' });
  const box = h('div', { class: 'graph-box' });
  const others = h('div', { class: 'row wrap' });
  const enc = encodeURIComponent(name);
  replace(root, h('section', { class: 'page page-wide', 'data-test': 'pipeline-version-page', 'data-pipeline': name, 'data-version': String(n) },
    h('div', { class: 'page-header' },
      h('div', { class: 'titles' },
        h('div', { class: 'crumbs' }, h('a', { href: '#/' }, 'Pipelines'), h('span', null, '/'), h('a', { href: `#/pipelines/${enc}/edit` }, name), h('span', null, '/')),
        h('h1', null, `${name} v${n}`), info),
      h('div', { class: 'actions' },
        h('a', { class: 'btn', href: `#/runs?pipeline=${enc}` }, 'Runs'),
        h('a', { class: 'btn', href: `#/pipelines/${enc}/experiments` }, 'Experiments'),
        h('a', { class: 'btn', href: `#/pipelines/${enc}/edit` }, 'Open latest'))),
    h('section', { class: 'card graph-card' }, h('div', { class: 'card-header' }, h('h2', null, 'Graph at this version')), box),
    h('div', { class: 'stack', style: { marginTop: '16px' } }, h('div', { class: 'section-title' }, 'Versions'), others)));

  (async () => {
    try {
      const [versions, graph] = await Promise.all([get(`/api/pipelines/${seg(name)}/versions`), get(`/api/pipelines/${seg(name)}/graph?version=${n}`)]);
      if (!alive) return;
      const v = versions.find((x) => x.version === n);
      replace(info, v ? [h('span', { title: dateTime(v.createdAt) }, `saved ${relative(v.createdAt)}`), h('span', { class: 'mono small', title: v.sha256 }, `sha256 ${String(v.sha256).slice(0, 12)}`)] : null);
      replace(others, versions.map((x) => h('a', { class: ['badge', x.version === n && 'badge-accent'], href: `#/pipelines/${enc}/versions/${x.version}` }, `v${x.version}`)));
      box.style.height = `${Math.min(Math.max(graph.layout.height + 56, 200), 520)}px`;
      view = createGraphView(box, {});
      view.setGraph(graph, graph.layout);
    } catch (e) {
      if (!alive) return;
      replace(box, e.status === 404 ? empty('No such version', `${name} has no version ${n}.`) : errorBox(e));
    }
  })();
  return () => { alive = false; if (view) view.destroy(); };
}
