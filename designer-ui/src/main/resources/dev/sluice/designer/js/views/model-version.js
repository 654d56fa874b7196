// #/models/{name}/versions/{n} : one model version. What made it (run, step, attempt, pipeline
// version), its params, matrix values and metrics, its code version (git commit, dirty, file
// hashes), its content's hash and a download link, and its lineage.
import { h, replace, empty, errorBox, icon, toast } from '../dom.js';
import { get, seg, token, ApiError } from '../api.js';
import { relative, dateTime, value, bytes } from '../format.js';
import { keys, actions } from '../store.js';

function kv(entries, test) {
  if (!entries.length) return h('p', { class: 'muted small' }, 'None.');
  return h('table', { class: 'table table-compact', 'data-test': test }, h('tbody', null,
    entries.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'mono num' }, v instanceof Node ? v : value(v))))));
}

/** Downloads through fetch when a token is needed (a plain link cannot send it). */
async function fetchDownload(url, filename) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token()}`, 'X-Sluice-Request': '1' } });
  if (!res.ok) throw new ApiError(res.status, 'download', `HTTP ${res.status}`);
  const href = URL.createObjectURL(await res.blob());
  const a = h('a', { href, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

export function mount(root, store, params) {
  const name = params.name;
  const n = params.version;
  const key = keys.version(name, n);
  let alive = true;
  const page = h('section', { class: 'page model-version-page', 'data-test': 'model-version-page', 'data-model': name, 'data-version': n },
    h('div', { class: 'loading' }, 'Loading the model version…'));
  replace(root, page);

  const render = () => {
    const v = store.get(key);
    if (!v) return;
    const code = v.code || {};
    const git = code.git;
    const files = Object.entries(code.files || {});
    const content = `/api/models/${seg(name)}/versions/${seg(String(v.version))}/content`;
    const filename = `${name}-v${v.version}${v.kind === 'folder' ? '.tar' : ''}`;
    const dl = h('a', { class: 'btn', href: content, download: filename, 'data-test': 'download' }, icon('download'), v.kind === 'folder' ? 'Download (tar)' : 'Download');
    dl.addEventListener('click', (e) => {
      if (!token()) return;
      e.preventDefault();
      fetchDownload(content, filename).catch((err) => toast(err.message));
    });
    replace(page,
      h('div', { class: 'page-header' },
        h('div', { class: 'titles' },
          h('div', { class: 'crumbs' }, h('a', { href: '#/models' }, 'Models'), h('span', null, '/'),
            h('a', { href: `#/models/${encodeURIComponent(name)}` }, name), h('span', null, '/')),
          h('div', { class: 'row title-row' }, h('h1', null, `${name} v${v.version}`),
            (v.aliases || []).map((a) => h('span', { class: ['badge', 'alias-badge', a === 'champion' && 'alias-champion'], 'data-test': 'alias' }, a))),
          h('div', { class: 'meta' },
            h('span', { title: dateTime(v.created_at) }, `created ${relative(v.created_at)}`),
            h('span', null, `${v.kind || 'file'} · ${bytes(v.size)}`),
            v.description ? h('span', null, v.description) : null)),
        h('div', { class: 'actions' },
          h('a', { class: 'btn', href: `#/lineage?model=${encodeURIComponent(`${name}:${v.version}`)}`, 'data-test': 'lineage-link' }, 'Lineage'),
          dl)),
      h('div', { class: 'version-grid' },
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Made by')),
          h('div', { class: 'card-body' }, kv([
            ['run', v.run_id ? h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(v.run_id)}${v.task_id ? `?step=${encodeURIComponent(v.task_id)}` : ''}`, 'data-test': 'run-link' }, v.run_id) : '—'],
            ['step', v.task_id || '—'],
            ['attempt', v.attempt],
            ['pipeline', v.pipeline ? h('a', { href: `#/pipelines/${encodeURIComponent(v.pipeline)}/edit` }, v.pipeline) : '—'],
            ['pipeline version', v.pipeline_version],
            ['sha256', h('span', { class: 'mono small hash', title: v.sha256 }, v.sha256 || '—')],
          ], 'made-by'))),
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Metrics')),
          h('div', { class: 'card-body' }, kv(Object.entries(v.metrics || {}), 'version-metrics'))),
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Params')),
          h('div', { class: 'card-body stack' }, kv(Object.entries(v.params || {}), 'version-params'),
            Object.keys(v.matrix || {}).length ? [h('div', { class: 'section-title' }, 'Matrix'), kv(Object.entries(v.matrix), 'version-matrix')] : null)),
        h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, 'Code version')),
          h('div', { class: 'card-body stack', 'data-test': 'code' },
            kv([
              ['git commit', git ? h('span', { class: 'mono', title: git.commit }, git.commit || '—') : 'not in a git work tree'],
              ['dirty', git ? (git.dirty ? h('span', { class: 'badge badge-warn', 'data-test': 'dirty' }, 'modified files') : 'clean') : '—'],
              ['pipeline version', code.pipeline_version],
              ['pipeline sha256', h('span', { class: 'mono small hash', title: code.pipeline_sha256 || '' }, code.pipeline_sha256 || '—')],
            ], 'code-version'),
            files.length ? [h('div', { class: 'section-title' }, 'Files'), kv(files.map(([f, sha]) => [f, h('span', { class: 'mono small hash', title: sha }, sha)]), 'code-files')] : null)),
        Array.isArray(v.files) && v.files.length ? h('section', { class: 'card' }, h('div', { class: 'card-header' }, h('h2', null, `Content (${v.files.length} file${v.files.length === 1 ? '' : 's'})`)),
          h('div', { class: 'card-body' }, kv(v.files.slice(0, 200).map((f) => [f.path, h('span', { class: 'small muted', title: f.sha256 }, bytes(f.size))]), 'version-files'),
            v.files.length > 200 ? h('p', { class: 'muted small' }, `and ${v.files.length - 200} more`) : null)) : null));
  };

  const unsubscribe = store.subscribe(render, [key]);
  get(`/api/models/${seg(name)}/versions/${seg(String(n))}`).then((v) => { if (alive) actions.versionLoaded(store, name, n, v); })
    .catch((e) => {
      if (!alive) return;
      replace(page, e.status === 404
        ? empty('No such model version', `${name} has no version ${n}.`, h('a', { class: 'btn', href: `#/models/${encodeURIComponent(name)}` }, name))
        : errorBox(e));
    });
  return () => { alive = false; unsubscribe(); actions.forget(store, key); };
}
