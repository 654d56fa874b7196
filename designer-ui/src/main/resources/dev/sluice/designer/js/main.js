// Wires the page: the store, the hash router, the top bar. Each route lazily loads its view module,
// whose mount(root, store, params) returns an unmount function.
//
// A view with unsaved work sets store key 'leaveGuard' to a function returning a question to ask
// before leaving (or null to leave freely); the router asks it on every route change.
import { createStore } from './store.js';
import { h, replace, empty } from './dom.js';

const ROUTES = [
  { pattern: /^\/?$/, view: () => import('./views/pipelines.js'), nav: 'pipelines', title: 'Pipelines' },
  { pattern: /^\/new$/, view: () => import('./views/editor.js'), nav: 'new', title: 'New pipeline' },
  { pattern: /^\/pipelines\/([^/]+)\/edit$/, keys: ['name'], view: () => import('./views/editor.js'), nav: 'pipelines', title: 'Edit' },
  { pattern: /^\/runs$/, view: () => import('./views/runs.js'), nav: 'runs', title: 'Runs' },
  { pattern: /^\/runs\/([^/]+)$/, keys: ['id'], view: () => import('./views/run.js'), nav: 'runs', title: 'Run' },
  { pattern: /^\/compare$/, view: () => import('./views/compare.js'), nav: 'runs', title: 'Compare' },
  { pattern: /^\/runs\/([^/]+)\/diff\/([^/]+)$/, keys: ['a', 'b'], view: () => import('./views/diff.js'), nav: 'runs', title: 'Diff' },
  { pattern: /^\/pipelines\/([^/]+)\/experiments$/, keys: ['name'], view: () => import('./views/experiments.js'), nav: 'pipelines', title: 'Experiments' },
  { pattern: /^\/pipelines\/([^/]+)\/versions\/(\d+)$/, keys: ['name', 'version'], view: () => import('./views/pipeline-version.js'), nav: 'pipelines', title: 'Pipeline version' },
  { pattern: /^\/models$/, view: () => import('./views/models.js'), nav: 'models', title: 'Models' },
  { pattern: /^\/models\/([^/]+)$/, keys: ['name'], view: () => import('./views/model.js'), nav: 'models', title: 'Model' },
  { pattern: /^\/models\/([^/]+)\/versions\/(\d+)$/, keys: ['name', 'version'], view: () => import('./views/model-version.js'), nav: 'models', title: 'Model version' },
  { pattern: /^\/lineage$/, view: () => import('./views/lineage.js'), nav: 'models', title: 'Lineage' },
  { pattern: /^\/alerts$/, view: () => import('./views/alerts.js'), nav: 'alerts', title: 'Alerts' },
];

/** '#/runs/abc?x=1' -> {path: '/runs/abc', query: {x: '1'}} */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { path: path || '/', query };
}

export function match(path) {
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params = {};
    (route.keys || []).forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
    return { route, params };
  }
  return null;
}

function notFound(root, path) {
  replace(root, h('section', { class: 'page', 'data-test': 'not-found' },
    empty('Page not found', `There is nothing at #${path}.`,
      h('a', { class: 'btn btn-primary', href: '#/' }, 'Go to pipelines'))));
  return () => {};
}

function start() {
  const store = createStore({ route: null, leaveGuard: null });
  const root = document.getElementById('app');
  let unmount = null;
  let current = location.hash;
  let generation = 0;

  const highlight = (nav) => {
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  };

  const show = async () => {
    const gen = ++generation;
    const { path, query } = parseHash(location.hash);
    const found = match(path);
    if (unmount) { try { unmount(); } catch (e) { console.error(e); } unmount = null; }
    store.set({ leaveGuard: null, route: { path, query, params: found ? found.params : {} } });
    root.replaceChildren();
    if (!found) {
      highlight(null);
      document.title = 'Not found · Sluice';
      unmount = notFound(root, path);
      return;
    }
    highlight(found.route.nav);
    document.title = `${found.route.title} · Sluice`;
    let mod;
    try {
      mod = await found.route.view();
    } catch (e) {
      if (gen !== generation) return;
      console.error(e);
      replace(root, h('section', { class: 'page' }, empty('This page is not available', 'Its code could not be loaded. Reload to try again.')));
      return;
    }
    if (gen !== generation) return; // another route was asked for meanwhile
    unmount = mod.mount(root, store, { ...found.params, query }) || (() => {});
  };

  window.addEventListener('hashchange', () => {
    const guard = store.get('leaveGuard');
    const question = guard ? guard() : null;
    if (question && !window.confirm(question)) {
      history.replaceState(null, '', current || '#/');
      return;
    }
    current = location.hash;
    show();
  });
  window.addEventListener('beforeunload', (e) => {
    const guard = store.get('leaveGuard');
    if (guard && guard()) { e.preventDefault(); e.returnValue = ''; }
  });
  show();
}

start();
