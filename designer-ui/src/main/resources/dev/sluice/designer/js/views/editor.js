// The designer: #/new and #/pipelines/{name}/edit. Palette, canvas, property panels and the YAML
// view around one editing session (js/editor/session.js). Wires only; the parts are in js/editor/.

import { h, useCss, errorBox, modal, empty } from '../dom.js';
import { createSession } from '../editor/session.js';
import { editorKeys } from '../store.js';
import { createCanvas } from '../editor/canvas.js';
import { createPalette } from '../editor/palette.js';
import { createStepPanel } from '../editor/step-panel.js';
import { createPipelinePanel } from '../editor/pipeline-panel.js';
import { createYamlPane } from '../editor/yaml.js';
import { askRun } from '../editor/run-dialog.js';
import { notify } from '../editor/feedback.js';
import { askWithDiff, diffTable } from '../editor/diff-dialog.js';
import { request, seg } from '../api.js';

const WIDE = '(min-width: 1600px)';

export function mount(root, store, params = {}) {
  useCss('css/graph.css');
  useCss('css/editor.css');
  const session = createSession(store, { name: params.name || null });
  let urlKey = null; // what the URL says of the selected step and tab

  const title = h('h1', { class: 'ed-title', 'data-test': 'editor-title' }, params.name || 'New pipeline');
  const version = h('span', { class: 'badge ed-version', 'data-test': 'editor-version' });
  const fileEl = h('span', { class: 'ed-file muted', 'data-test': 'editor-file' });
  const saveState = h('span', { class: 'ed-save-state', 'data-test': 'save-state', 'aria-live': 'polite' });
  const btn = (label, test, attrs = {}) => h('button', { type: 'button', class: 'btn btn-sm', 'data-test': test, ...attrs }, label);
  const undoBtn = btn('↶ Undo', 'undo', { title: 'Undo (Ctrl+Z)' });
  const redoBtn = btn('↷ Redo', 'redo', { title: 'Redo (Ctrl+Shift+Z)' });
  const layoutBtn = btn('Auto-layout', 'auto-layout', { title: 'Forget moved boxes and lay the graph out again' });
  const saveBtn = h('button', { type: 'button', class: 'btn btn-sm btn-primary', 'data-test': 'save', title: 'Save a new version (Ctrl+S)' }, 'Save');
  const runBtn = btn('▶ Run', 'run', { title: 'Save and start a run' });
  const historyBtn = btn('History', 'history', { title: 'Saved versions and what changed between them' });
  // search and jump to a step: its id (or part of it), Enter; '/' comes here from anywhere but a field
  const searchList = h('datalist', { id: 'ed-step-ids' });
  const search = h('input', { type: 'search', class: 'ed-search', placeholder: 'Find a step  ( / )', list: 'ed-step-ids',
    'aria-label': 'Find a step', 'data-test': 'step-search', spellcheck: 'false', autocomplete: 'off' });

  const paletteEl = h('aside', { class: 'ed-palette', 'aria-label': 'Step templates' });
  const canvasEl = h('div', { class: 'ed-canvas', 'data-test': 'canvas' });
  const propsEl = h('div', { class: 'ed-props', 'data-test': 'properties' });
  const stepHost = h('div', { class: 'ed-step-host' });
  const pipelineHost = h('div', { class: 'ed-pipeline-host' });
  const edgeHost = h('div', { class: 'ed-edge-host' });
  propsEl.append(stepHost, edgeHost, pipelineHost);
  const yamlEl = h('div', { class: 'ed-yaml' });
  const tabProps = h('button', { type: 'button', role: 'tab', class: 'ed-tab', 'data-test': 'tab-properties' }, 'Properties');
  const tabYaml = h('button', { type: 'button', role: 'tab', class: 'ed-tab', 'data-test': 'tab-yaml' }, 'YAML');
  const tabBoth = h('button', { type: 'button', role: 'tab', class: 'ed-tab', 'data-test': 'tab-both', title: 'The form over the YAML: see each change in the text' }, 'Both');
  const side = h('div', { class: 'ed-side' },
    h('div', { class: 'ed-tabs', role: 'tablist' }, tabProps, tabYaml, tabBoth),
    h('div', { class: 'ed-side-body' }, propsEl, yamlEl));
  const loadError = h('div', { class: 'ed-load-error' });

  const page = h('section', { class: 'editor', 'data-test': 'editor' },
    h('header', { class: 'ed-bar' },
      h('div', { class: 'ed-titles' },
        h('div', { class: 'crumbs' }, h('a', { href: '#/' }, 'Pipelines'), h('span', null, '/')),
        h('div', { class: 'row' }, title, version, fileEl, saveState)),
      h('div', { class: 'actions ed-actions' }, search, searchList, undoBtn, redoBtn, layoutBtn, h('span', { class: 'ed-sep' }), historyBtn, saveBtn, runBtn)),
    loadError,
    h('div', { class: 'ed-body' }, paletteEl, canvasEl, side));
  root.replaceChildren(page);
  root.classList.add('ed-root');

  // ---- tabs: one pane at a time when narrow, both side by side when wide ----
  // tall enough, the form and the YAML share the side pane (each form edit shows in the text)
  const defaultTab = window.innerHeight >= 760 ? 'both' : 'properties';
  let tab = defaultTab;
  const wide = window.matchMedia(WIDE);
  const showTab = (t) => {
    tab = t;
    page.classList.toggle('ed-tab-yaml', t === 'yaml');
    page.classList.toggle('ed-tab-properties', t === 'properties');
    page.classList.toggle('ed-tab-both', t === 'both');
    tabProps.setAttribute('aria-selected', String(t === 'properties'));
    tabYaml.setAttribute('aria-selected', String(t === 'yaml'));
    tabBoth.setAttribute('aria-selected', String(t === 'both'));
    yaml.refresh();
    const st = store.get('editor');
    if (st) syncUrl(st);
  };
  tabProps.addEventListener('click', () => showTab('properties'));
  tabYaml.addEventListener('click', () => showTab('yaml'));
  tabBoth.addEventListener('click', () => showTab('both'));
  const onWide = () => { page.classList.toggle('ed-wide', wide.matches); yaml.refresh(); };
  wide.addEventListener('change', onWide);

  // ---- parts ----
  const canvas = createCanvas(canvasEl, session, {
    onSelectStep: (id, focus) => {
      if (!wide.matches && tab === 'yaml') showTab('properties');
      if (focus) setTimeout(() => stepPanel.focusId(), 0);
    },
  });
  createPalette(paletteEl, {
    onDrop: (t, x, y) => canvas.dropAt(t, x, y),
    onAdd: (t) => canvas.addHere(t),
  });
  const stepPanel = createStepPanel(stepHost, session, {
    onBack: () => session.select(null),
    onDeleted: () => session.select(null),
  });
  const pipelinePanel = createPipelinePanel(pipelineHost, session);
  const yaml = createYamlPane(yamlEl, session, {
    keys: { undo: () => session.undo(), redo: () => session.redo(), save: () => save({ review: true }) },
    onProblemClick: (p) => { if (p.step) session.select({ type: 'node', id: p.step }); },
  });
  showTab(defaultTab);
  onWide();

  function renderEdge(sel) {
    const del = h('button', { type: 'button', class: 'btn btn-sm btn-danger', 'data-test': 'edge-delete' }, 'Remove this need');
    del.addEventListener('click', () => canvas.removeSelection());
    const back = h('button', { type: 'button', class: 'btn btn-sm btn-ghost ed-back' }, '← Pipeline');
    back.addEventListener('click', () => session.select(null));
    edgeHost.replaceChildren(h('div', { class: 'ed-panel', 'data-test': 'edge-panel' },
      h('div', { class: 'ed-panel-head' }, back),
      h('h2', { class: 'ed-panel-title' }, 'Dependency'),
      h('p', null, h('span', { class: 'mono' }, sel.to), ' waits for ', h('span', { class: 'mono' }, sel.from), ' to succeed.'),
      h('p', { class: 'muted small' }, 'Press Delete to remove it, or:'),
      h('div', { class: 'actions' }, del)));
  }

  // ---- the selected step and the tab live in the URL: a reload keeps them ----
  function syncUrl(state) {
    if (state.loading) return;
    const selection = session.selection();
    const sel = selection && selection.type === 'node' ? selection.id : null;
    const key = `${state.name || ''}|${sel || ''}|${tab}`;
    if (key === urlKey) return;
    urlKey = key;
    const q = new URLSearchParams();
    if (sel) q.set('step', sel);
    if (tab !== defaultTab) q.set('tab', tab);
    const base = state.name ? `#/pipelines/${encodeURIComponent(state.name)}/edit` : '#/new';
    const qs = q.toString();
    history.replaceState(null, '', qs ? `${base}?${qs}` : base);
  }

  // ---- state -> parts ----
  let shownEdge = null;
  const render = () => {
    const state = store.get('editor');
    if (!state) return;
    if (state.loadError) {
      if (state.loadError.status === 404) {
        // nothing to edit: say so instead of an empty editor under a raw error
        root.classList.remove('ed-root');
        root.replaceChildren(h('section', { class: 'page', 'data-test': 'editor-not-found' },
          empty('No such pipeline', `There is no pipeline named ${params.name}. It may have been deleted or renamed.`,
            h('a', { class: 'btn', href: '#/' }, 'All pipelines'), h('a', { class: 'btn btn-primary', href: '#/new' }, 'New pipeline'))));
        return;
      }
      loadError.replaceChildren(errorBox(state.loadError));
    }
    syncUrl(state);
    canvas.update(state);
    yaml.update(state);
    const sel = session.selection();
    const stepSel = sel && sel.type === 'node' ? sel.id : null;
    stepPanel.update(state, stepSel);
    stepHost.hidden = !stepSel;
    edgeHost.hidden = !(sel && sel.type === 'edge');
    if (sel && sel.type === 'edge') {
      const k = `${sel.from}->${sel.to}`;
      if (k !== shownEdge) { shownEdge = k; renderEdge(sel); }
    } else shownEdge = null;
    pipelineHost.hidden = !!sel;
    if (!sel) pipelinePanel.update(state);
    const name = state.name || (state.model && state.model.name) || null;
    title.textContent = name || 'New pipeline';
    version.textContent = state.version ? `v${state.version}` : 'not saved';
    version.classList.toggle('badge-accent', !!state.version);
    fileEl.textContent = state.file ? state.file : '';
    fileEl.title = state.file ? `Saved to ${state.file} in the server's pipelines folder` : '';
    historyBtn.disabled = !state.version;
    const dirty = session.dirty();
    saveState.textContent = state.saving ? 'Saving…' : dirty ? 'Unsaved changes' : state.version ? 'Saved' : '';
    saveState.classList.toggle('ed-dirty', dirty);
    undoBtn.disabled = !state.canUndo;
    redoBtn.disabled = !state.canRedo;
    saveBtn.disabled = state.saving || state.loading || (!dirty && !!state.version);
    runBtn.disabled = state.loading || state.saving;
    page.classList.toggle('ed-busy', state.pending > 0);
  };
  const unsubscribe = store.subscribe(render, ['editor', editorKeys.selection]);

  // ---- actions ----
  async function save({ review = false } = {}) {
    const state = session.state();
    const name = state.name || (state.model && state.model.name);
    if (!state.name && name) {
      // a new pipeline must not overwrite one of the same name without asking
      const exists = await request('GET', `/api/pipelines/${seg(name)}`).then(() => true, () => false);
      if (exists && !window.confirm(`A pipeline named ${name} exists already. Save this as its new version?`)) return null;
    }
    if (review && state.savedText !== null && session.dirty()) {
      const go = await askWithDiff({
        title: `Save ${name} as version ${(state.version || 0) + 1}?`, test: 'save-review',
        text: state.file ? `It is written to ${state.file} too.` : null,
        a: state.savedText, b: state.text, labelA: `v${state.version}`, labelB: 'this text',
        choices: [{ label: 'Save', value: 'save', test: 'save-confirm', primary: true }],
      });
      if (go !== 'save') return null;
    }
    try {
      let saved;
      try {
        saved = await session.save();
      } catch (e) {
        if (!(e && e.status === 409 && e.code === 'file-changed' && e.body)) throw e;
        const choice = await askWithDiff({
          title: `${e.body.file} changed on disk`, test: 'file-changed',
          text: 'The file was changed (in a text editor, by git…) since this editor read it. Nothing was saved. Choose which text to keep.',
          a: e.body.file_text, b: e.body.text, labelA: `the file on disk`, labelB: 'this editor',
          choices: [
            { label: "Take the file's version", value: 'take', test: 'take-file' },
            { label: 'Overwrite the file', value: 'overwrite', test: 'overwrite-file', danger: true },
          ],
        });
        if (choice === 'take') {
          session.takeText(e.body.file_text, e.body.file_sha256);
          notify(`Took ${e.body.file} as it is on disk; nothing saved`);
          return null;
        }
        if (choice !== 'overwrite') return null;
        saved = await session.save({ force: true });
      }
      notify(saved.version ? `Saved ${saved.name} version ${saved.version}${saved.file ? ` to ${saved.file}` : ''}` : 'Saved');
      if (!params.name) history.replaceState(null, '', `#/pipelines/${encodeURIComponent(saved.name)}/edit`);
      return saved;
    } catch (e) {
      const details = e.errors && e.errors.length ? `: ${e.errors[0].message}${e.errors.length > 1 ? ` (and ${e.errors.length - 1} more)` : ''}` : '';
      notify(`Not saved — ${e.message}${details}`, 'error', 6000);
      return null;
    }
  }

  /** The saved versions, and the diff between any two of them (or a version and this text). */
  async function showHistory() {
    const state = session.state();
    if (!state.name) return;
    const versions = await request('GET', `/api/pipelines/${seg(state.name)}/versions`).catch((e) => { notify(e.message, 'error'); return null; });
    if (!versions) return;
    const texts = new Map();
    const textOf = async (v) => {
      if (v === 'current') return session.state().text;
      if (!texts.has(v)) texts.set(v, (await request('GET', `/api/pipelines/${seg(state.name)}/versions/${v}`)).text);
      return texts.get(v);
    };
    const options = (sel) => [...versions].reverse().map((v) => h('option', { value: String(v.version), selected: String(v.version) === sel },
      `v${v.version} · ${String(v.createdAt || '').replace('T', ' ').slice(0, 19)}`)).concat(h('option', { value: 'current', selected: sel === 'current' }, 'this text (unsaved)'));
    const newest = versions.length ? versions[versions.length - 1].version : 1;
    const fromSel = h('select', { 'data-test': 'history-from', 'aria-label': 'From version' }, options(String(Math.max(1, newest - 1))));
    const toSel = h('select', { 'data-test': 'history-to', 'aria-label': 'To version' }, options(session.dirty() ? 'current' : String(newest)));
    const out = h('div', { 'data-test': 'history-diff' });
    const show = async () => {
      const [a, b] = await Promise.all([textOf(fromSel.value), textOf(toSel.value)]);
      out.replaceChildren(diffTable(a, b));
    };
    fromSel.addEventListener('change', show);
    toSel.addEventListener('change', show);
    show().catch((e) => out.replaceChildren(errorBox(e)));
    await modal((close) => h('div', { class: 'dialog-body stack' },
      h('h2', null, `History of ${state.name}`),
      h('p', { class: 'muted small' }, `${versions.length} saved version${versions.length === 1 ? '' : 's'}${state.file ? `; saved to ${state.file}` : ''}.`),
      h('div', { class: 'ed-versions' },
        h('label', { class: 'field' }, h('span', null, 'From'), fromSel),
        h('label', { class: 'field' }, h('span', null, 'To'), toSel)),
      out,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', 'data-test': 'history-close', onclick: () => close() }, 'Close'))),
    { class: 'dialog ed-diff-dialog', 'data-test': 'history-dialog' });
  }

  async function run() {
    if (session.dirty() || !session.state().version) {
      const saved = await save();
      if (!saved) return;
    }
    const state = session.state();
    const id = await askRun(state.name, (state.model && state.model.params) || {});
    if (id) location.hash = `#/runs/${encodeURIComponent(id)}`;
  }

  let listedIds = '';
  const jump = () => {
    const state = session.state();
    const ids = ((state.model && state.model.steps) || []).map((st) => st.id).filter(Boolean);
    const q = search.value.trim().toLowerCase();
    if (!q) return;
    const id = ids.find((x) => x.toLowerCase() === q) || ids.find((x) => x.toLowerCase().startsWith(q)) || ids.find((x) => x.toLowerCase().includes(q));
    if (!id) { notify(`No step matches "${search.value.trim()}"`, 'error'); return; }
    session.select({ type: 'node', id });
    canvas.view.showSelection();
    // far out (a large graph fitted): come close enough to read the box
    const v = canvas.view.viewport();
    const b = canvas.view.boxes()[id];
    if (b && v.k < 0.6) {
      const k = 1;
      canvas.view.setViewport({ k, tx: canvasEl.clientWidth / 2 - (b.x + b.width / 2) * k, ty: canvasEl.clientHeight / 2 - (b.y + b.height / 2) * k });
    } else canvas.view.reveal(id);
    if (!wide.matches && tab === 'yaml') showTab('properties');
  };
  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); jump(); } else if (e.key === 'Escape') search.blur(); });
  search.addEventListener('change', () => jump());
  search.addEventListener('focus', () => {
    const ids = ((session.state().model && session.state().model.steps) || []).map((st) => st.id).filter(Boolean);
    const key = ids.join('\n');
    if (key !== listedIds) { listedIds = key; searchList.replaceChildren(...ids.map((id) => h('option', { value: id }))); }
  });

  undoBtn.addEventListener('click', () => session.undo());
  redoBtn.addEventListener('click', () => session.redo());
  layoutBtn.addEventListener('click', () => session.autoLayout());
  saveBtn.addEventListener('click', () => save({ review: true }));
  historyBtn.addEventListener('click', () => showHistory());
  runBtn.addEventListener('click', () => run());

  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && !t.closest('.CodeMirror');
  const onKey = (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === '/' && !mod && !typing(e.target) && !(e.target.closest && e.target.closest('.CodeMirror'))) { e.preventDefault(); search.focus(); return; }
    if (!mod) return;
    const k = e.key.toLowerCase();
    if (k === 's') { e.preventDefault(); save({ review: true }); return; }
    if (typing(e.target) || (e.target.closest && e.target.closest('.CodeMirror'))) return;
    if (k === 'z' && !e.shiftKey) { e.preventDefault(); session.undo(); }
    else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); session.redo(); }
  };
  document.addEventListener('keydown', onKey);
  store.set({ leaveGuard: () => (session.dirty() ? 'This pipeline has unsaved changes. Leave and lose them?' : null) });

  session.load().then(() => {
    const state = session.state();
    const q = params.query || {};
    if (q.step && state.model && (state.model.steps || []).some((st) => st.id === q.step)) {
      session.select({ type: 'node', id: q.step });
      canvas.view.reveal(q.step);
    }
    if (q.tab === 'yaml' || q.tab === 'properties' || q.tab === 'both') showTab(q.tab);
    else if (!state.name && !state.text) showTab(defaultTab);
  });

  return () => {
    unsubscribe();
    document.removeEventListener('keydown', onKey);
    wide.removeEventListener('change', onWide);
    canvas.destroy();
    session.destroy();
    root.classList.remove('ed-root');
    store.set({ leaveGuard: null });
  };
}
