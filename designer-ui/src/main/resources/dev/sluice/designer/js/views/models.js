// #/models : every model in the registry with its latest version and its aliases as badges.
import { h, replace, empty, errorBox } from '../dom.js';
import { get } from '../api.js';
import { relative, dateTime } from '../format.js';
import { keys, actions } from '../store.js';

export function aliasBadges(aliases, model) {
  return Object.entries(aliases || {}).sort(([a], [b]) => a.localeCompare(b)).map(([alias, version]) =>
    h('a', { class: ['badge', 'alias-badge', alias === 'champion' && 'alias-champion'], 'data-test': 'alias', 'data-alias': alias,
      'data-version': String(version), href: `#/models/${encodeURIComponent(model)}/versions/${version}`, title: `${alias} → version ${version}` },
    alias, h('span', { class: 'alias-version' }, `v${version}`)));
}

export function mount(root, store) {
  let alive = true;
  const list = h('div', null, h('div', { class: 'loading' }, 'Loading models…'));
  const count = h('p', { class: 'subtitle' });
  replace(root, h('section', { class: 'page', 'data-test': 'models-page' },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' }, h('h1', null, 'Models'), count)),
    list));

  const render = () => {
    const models = store.get(keys.models);
    if (!models) return;
    count.textContent = models.length === 1 ? '1 model' : `${models.length} models`;
    if (!models.length) {
      replace(list, empty('No models yet', 'A pipeline step with `register:` puts its output in the registry as a new model version.',
        h('a', { class: 'btn', href: '#/' }, 'Pipelines')));
      return;
    }
    replace(list, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-test': 'models' },
      h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', { class: 'num' }, 'Latest'), h('th', null, 'Aliases'), h('th', null, 'Updated'))),
      h('tbody', null, models.map((m) => h('tr', { 'data-test': 'model-row', 'data-name': m.name },
        h('td', null, h('a', { class: 'model-name', href: `#/models/${encodeURIComponent(m.name)}`, 'data-test': 'model-link' }, m.name),
          m.description ? h('div', { class: 'muted small' }, m.description) : null),
        h('td', { class: 'num mono' }, m.latest_version ? h('a', { href: `#/models/${encodeURIComponent(m.name)}/versions/${m.latest_version}` }, `v${m.latest_version}`) : '—'),
        h('td', null, h('div', { class: 'row wrap' }, aliasBadges(m.aliases, m.name))),
        h('td', { class: 'nowrap muted', title: dateTime(m.updated_at) }, relative(m.updated_at))))))));
  };

  const unsubscribe = store.subscribe(render, [keys.models]);
  get('/api/models').then((r) => { if (alive) actions.modelsLoaded(store, r.models || []); })
    .catch((e) => { if (alive) replace(list, errorBox(e)); });
  render();
  return () => { alive = false; unsubscribe(); };
}
