// #/ : every pipeline with its description, schedule in words and next fire time, paused state,
// its last runs as coloured dots, and buttons to run (params form), pause/unpause, and open.
import { h, replace, empty, errorBox, statusDot, statusBadge, toast, icon } from '../dom.js';
import { get, post, seg, query } from '../api.js';
import { relative, dateTime, when } from '../format.js';
import { startRun } from '../runform.js';

const REFRESH_MS = 5000;
const DOTS = 10;

export function mount(root, store) {
  const list = h('div', { class: 'pipeline-list', 'data-test': 'pipelines' }, h('div', { class: 'loading' }, 'Loading pipelines…'));
  const count = h('p', { class: 'subtitle' });
  const filter = h('input', { type: 'search', class: 'list-filter', placeholder: 'Find a pipeline', 'aria-label': 'Find a pipeline', 'data-test': 'pipeline-filter', spellcheck: 'false' });
  replace(root, h('section', { class: 'page' },
    h('div', { class: 'page-header' },
      h('div', { class: 'titles' }, h('h1', null, 'Pipelines'), count),
      h('div', { class: 'actions' }, filter,
        h('a', { class: 'btn btn-primary', href: '#/new', 'data-test': 'new-pipeline' }, icon('plus'), 'New pipeline'))),
    list));
  // search: the pipelines whose name or description holds the text
  const applyFilter = () => {
    const q = filter.value.trim().toLowerCase();
    for (const [name, entry] of rows) {
      const p = entry.pipeline;
      entry.el.hidden = !!q && !name.toLowerCase().includes(q) && !String((p && p.description) || '').toLowerCase().includes(q);
    }
  };
  filter.addEventListener('input', applyFilter);

  const rows = new Map(); // name -> {el, signature}
  let timer = null;
  let alive = true;

  const runNow = async (p, button) => {
    button.disabled = true;
    try {
      const id = await startRun(p);
      if (id) location.hash = `#/runs/${encodeURIComponent(id)}`;
    } catch (e) {
      toast(e.message);
    } finally {
      button.disabled = false;
    }
  };

  const togglePause = async (p, button) => {
    button.disabled = true;
    try {
      const updated = await post(`/api/pipelines/${seg(p.name)}/${p.paused ? 'unpause' : 'pause'}`);
      store.update('pipelines', (all) => (all || []).map((x) => (x.name === updated.name ? { ...x, ...updated } : x)));
    } catch (e) {
      toast(e.message);
      button.disabled = false;
    }
  };

  const scheduleLine = (p) => {
    if (!p.schedule) return h('div', { class: 'schedule muted' }, icon('clock'), h('span', null, 'No schedule · runs on demand'));
    const next = (p.schedule.nextFireTimes || [])[0];
    return h('div', { class: 'schedule', 'data-test': 'schedule' }, icon('clock'),
      h('span', { class: 'schedule-words' }, p.schedule.description),
      next ? h('span', { class: p.paused ? 'muted next paused-next' : 'muted next', title: dateTime(next) },
        p.paused ? `paused · would fire ${relative(next)}` : `next ${relative(next)} · ${when(next)}`) : null);
  };

  const dots = (runs) => {
    if (!runs) return h('div', { class: 'run-dots' });
    if (!runs.length) return h('div', { class: 'run-dots muted small' }, 'no runs yet');
    const ordered = [...runs].reverse(); // oldest left, newest right
    return h('div', { class: 'run-dots', 'data-test': 'run-dots' },
      ordered.map((r) => h('a', { href: `#/runs/${encodeURIComponent(r.id)}`, class: 'dot-link' },
        statusDot(r.status, `${r.status} · ${dateTime(r.createdAt)}`))));
  };

  const row = (p, runs) => {
    const runButton = h('button', { class: 'btn btn-sm btn-primary', type: 'button', 'data-test': 'run', title: 'Start a run' }, icon('play'), 'Run');
    runButton.addEventListener('click', () => runNow(p, runButton));
    const pauseButton = h('button', { class: 'btn btn-sm', type: 'button', 'data-test': p.paused ? 'unpause' : 'pause',
      title: p.paused ? 'Start firing the schedule again' : 'Stop the schedule (manual runs still work)' },
    icon(p.paused ? 'play' : 'pause'), p.paused ? 'Unpause' : 'Pause');
    pauseButton.addEventListener('click', () => togglePause(p, pauseButton));
    const last = runs && runs[0];
    return h('article', { class: ['pipeline', p.paused && 'is-paused'], 'data-test': 'pipeline', 'data-name': p.name },
      h('div', { class: 'pipeline-main' },
        h('div', { class: 'pipeline-title' },
          h('a', { class: 'pipeline-name', href: `#/pipelines/${encodeURIComponent(p.name)}/edit`, 'data-test': 'pipeline-name' }, p.name),
          h('span', { class: 'badge', title: `version ${p.version}` }, `v${p.version}`),
          p.paused ? h('span', { class: 'badge badge-warn', 'data-test': 'paused' }, 'paused') : null),
        p.description ? h('p', { class: 'pipeline-desc', 'data-test': 'description' }, p.description)
          : h('p', { class: 'pipeline-desc muted' }, 'No description'),
        scheduleLine(p)),
      h('div', { class: 'pipeline-runs' },
        h('div', { class: 'section-title' }, 'Recent runs'),
        dots(runs),
        last ? h('div', { class: 'small muted last-run' }, statusBadge(last.status), ' ', relative(last.createdAt)) : null),
      h('div', { class: 'pipeline-actions actions' },
        runButton, pauseButton,
        h('a', { class: 'btn btn-sm', href: `#/pipelines/${encodeURIComponent(p.name)}/experiments`, 'data-test': 'experiments', title: 'Runs as experiments: params and metrics, sorted and charted' }, 'Experiments'),
        h('a', { class: 'btn btn-sm', href: `#/pipelines/${encodeURIComponent(p.name)}/edit`, 'data-test': 'open' }, icon('edit'), 'Open')));
  };

  const render = () => {
    const pipelines = store.get('pipelines');
    const recent = store.get('recentRuns') || {};
    if (!pipelines) return;
    count.textContent = pipelines.length === 1 ? '1 pipeline' : `${pipelines.length} pipelines`;
    if (!pipelines.length) {
      rows.clear();
      replace(list, empty('No pipelines yet',
        'A pipeline is a graph of shell steps. Draw one in the designer, or drop a YAML file into the server\'s pipelines folder.',
        h('a', { class: 'btn btn-primary', href: '#/new', 'data-test': 'empty-new' }, icon('plus'), 'New pipeline')));
      list.firstChild.setAttribute('data-test', 'empty');
      return;
    }
    if (list.querySelector('.empty, .loading, .alert')) list.replaceChildren();
    const seen = new Set();
    let previous = null;
    for (const p of pipelines) {
      seen.add(p.name);
      const runs = recent[p.name];
      const signature = JSON.stringify([p, runs, Math.floor(Date.now() / 60000)]);
      let entry = rows.get(p.name);
      if (!entry || entry.signature !== signature) {
        const el = row(p, runs);
        if (entry) entry.el.replaceWith(el);
        entry = { el, signature, pipeline: p };
        rows.set(p.name, entry);
      }
      const want = previous ? previous.nextSibling : list.firstChild;
      if (want !== entry.el) list.insertBefore(entry.el, want);
      previous = entry.el;
    }
    for (const [name, entry] of rows) if (!seen.has(name)) { entry.el.remove(); rows.delete(name); }
    applyFilter();
  };

  const loadRuns = async (pipelines, previousList) => {
    const before = new Map((previousList || []).map((p) => [p.name, p.lastRun && p.lastRun.id + p.lastRun.status]));
    const recent = { ...(store.get('recentRuns') || {}) };
    const stale = pipelines.filter((p) => !(p.name in recent) || before.get(p.name) !== (p.lastRun && p.lastRun.id + p.lastRun.status)
      || (recent[p.name] || []).some((r) => r.status === 'RUNNING' || r.status === 'QUEUED'));
    await Promise.all(stale.map(async (p) => {
      try { recent[p.name] = await get(`/api/runs${query({ pipeline: p.name, limit: DOTS })}`); } catch { /* keep the old dots */ }
    }));
    if (alive) store.set({ recentRuns: recent });
  };

  const load = async () => {
    try {
      const previousList = store.get('pipelines');
      const pipelines = await get('/api/pipelines');
      if (!alive) return;
      store.set({ pipelines });
      await loadRuns(pipelines, previousList);
    } catch (e) {
      if (alive && !store.get('pipelines')) replace(list, errorBox(e));
    } finally {
      if (alive) timer = setTimeout(load, REFRESH_MS);
    }
  };

  const unsubscribe = store.subscribe(render, ['pipelines', 'recentRuns']);
  render();
  load();
  return () => {
    alive = false;
    clearTimeout(timer);
    unsubscribe();
  };
}
