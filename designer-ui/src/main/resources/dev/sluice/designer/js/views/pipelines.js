// #/ : every pipeline (placeholder until the full page lands).
import { h, replace, empty, errorBox } from '../dom.js';
import { get } from '../api.js';

export function mount(root, store) {
  const list = h('div', { class: 'loading' }, 'Loading pipelines…');
  replace(root, h('section', { class: 'page' }, h('div', { class: 'page-header' }, h('h1', null, 'Pipelines')), list));
  get('/api/pipelines').then((pipelines) => {
    if (!pipelines.length) replace(list, empty('No pipelines yet', 'Create one with the designer.'));
    else replace(list, h('ul', null, pipelines.map((p) => h('li', null, p.name))));
  }).catch((e) => replace(list, errorBox(e)));
  return () => {};
}
