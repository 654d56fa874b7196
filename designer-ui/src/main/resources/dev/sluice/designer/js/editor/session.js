// One editing session of a pipeline: the text (the server owns YAML: every change is an edit op
// or a new text sent to POST /api/designer/edit), its model, graph and problems, the positions
// placed by hand, the undo history, saving. Its state is published in the store under 'editor';
// the panels subscribe to it and call the session's methods.

import { request, seg, ApiError } from '../api.js';
import { createHistory } from './history.js';
import { editorKeys, editorActions } from '../store.js';
import { applyText, applyChange, textChange } from './delta.js';

const ANALYSE_DELAY = 300;
const POSITIONS_DELAY = 500;

export function createSession(store, { name = null } = {}) {
  const history = createHistory('');
  const state = {
    name,                 // the saved pipeline's name; null for a new one not saved yet
    loading: true,
    loadError: null,
    text: '',
    textSource: 'load',   // who set the text last: 'load', 'canvas', 'user', 'history'
    textRevision: 0,      // bumped each time the text is replaced from outside the YAML view
    model: null,
    graph: null,
    problems: [],
    pinned: {},           // step id -> {x, y}: positions placed by hand (stored on the server)
    layoutRevision: 0,    // bumped when the canvas must drop its boxes and lay out again
    savedText: null,      // the text of the saved version (null: never saved)
    version: null,
    sha256: null,         // sha256 of the text last read from or saved to the server (a save's base)
    file: null,           // the file of the pipelines folder the pipeline is saved to, e.g. pipelines/etl.yaml
    saving: false,
    pending: 0,           // requests in flight
    canUndo: false,
    canRedo: false,
  };
  let chain = Promise.resolve();
  let analyseTimer = 0;
  let positionsTimer = 0;
  let destroyed = false;
  let clipboard = null;

  const publish = () => {
    if (destroyed) return;
    state.canUndo = history.canUndo() || state.text !== history.current();
    state.canRedo = history.canRedo();
    store.set({ editor: { ...state } });
  };

  const file = () => `${state.name || (state.model && state.model.name) || 'pipeline'}.yaml`;

  /** Runs requests one after the other: each edit starts from the text the previous one gave. */
  const queue = (job) => {
    const next = chain.then(job, job);
    chain = next.catch(() => {});
    return next;
  };

  const track = async (promise) => {
    state.pending += 1; publish();
    try { return await promise; } finally { state.pending -= 1; publish(); }
  };

  // The last answer of the server (its text, sha256, model and graph): the base the next edit
  // names, so that it sends the edit (or the typed range) and gets back only what changed.
  let known = null;

  /**
   * POST /api/designer/edit of ops on text, changes only when the server holds a base: resolves to
   * a whole answer {text, changed, model, problems, graph, sha256} either way.
   */
  async function edit(text, ops) {
    const base = known;
    if (base && base.sha256) {
      const body = { base: base.sha256, file: file(), edits: ops };
      if (text !== base.text) body.patch = textChange(base.text, text);
      try {
        const d = await request('POST', '/api/designer/edit', body);
        return {
          text: applyText(base.text, d.textPatch), changed: d.changed, sha256: d.sha256, problems: d.problems,
          model: applyChange(base.model, d.modelPatch), graph: applyChange(base.graph, d.graphPatch),
        };
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409 && e.code === 'unknown-base')) throw e;
      }
    }
    return request('POST', '/api/designer/edit', { text, file: file(), edits: ops });
  }

  function take(result) {
    if (typeof result.text === 'string' && result.sha256) known = { text: result.text, sha256: result.sha256, model: result.model || null, graph: result.graph || null };
    state.model = result.model || null;
    state.graph = result.graph || null;
    // an empty text is a pipeline not begun, not a broken one: no "file is empty" in red
    const text = typeof result.text === 'string' ? result.text : state.text;
    state.problems = Array.isArray(result.problems) && text.trim() !== '' ? result.problems : [];
    const sel = store.get(editorKeys.selection);
    if (sel && sel.type === 'node' && !stepIds().includes(sel.id)) editorActions.select(store, null);
  }

  function stepIds() {
    return state.model && Array.isArray(state.model.steps) ? state.model.steps.map((s) => s.id) : [];
  }

  function analyseNow(text) {
    return queue(async () => {
      if (destroyed) return;
      const result = await track(edit(text, []));
      if (destroyed || state.text !== text) return; // typed on meanwhile: a newer analysis follows
      take(result);
      history.push(text);
      publish();
    });
  }

  function flushTyping() {
    if (analyseTimer) { clearTimeout(analyseTimer); analyseTimer = 0; }
    history.push(state.text);
  }

  return {
    state: () => state,

    async load() {
      try {
        if (state.name) {
          const p = await request('GET', `/api/pipelines/${seg(state.name)}`);
          state.text = p.text || '';
          state.savedText = state.text;
          state.version = p.version;
          state.sha256 = p.sha256 || null;
          state.file = p.file || null;
          try {
            const pos = await request('GET', `/api/pipelines/${seg(state.name)}/positions`);
            state.pinned = (pos && pos.positions) || {};
          } catch (e) {
            state.pinned = {};
          }
        } else {
          state.text = '';
          state.savedText = null;
        }
        history.reset(state.text);
        state.textSource = 'load';
        state.textRevision += 1;
        const result = await edit(state.text, []);
        take(result);
      } catch (e) {
        state.loadError = e;
      }
      state.loading = false;
      publish();
    },

    /**
     * Applies edit ops to the current text. Resolves to the server's answer, or rejects with the
     * ApiError of a refused op (409: a cycle, a duplicate id...), changing nothing.
     */
    apply(ops) {
      flushTyping();
      return queue(async () => {
        const base = state.text;
        const result = await track(edit(base, ops));
        if (destroyed) return result;
        if (state.text !== base) {
          // the text was replaced while the op was in flight (undo): the op no longer applies
          throw new ApiError(409, 'stale', 'the text changed meanwhile; try again');
        }
        take(result);
        if (result.text !== base) {
          state.text = result.text;
          state.textSource = 'canvas';
          state.textRevision += 1;
          history.push(result.text);
        }
        publish();
        return result;
      });
    },

    /** The YAML view's text changed by typing: analyse it once typing pauses. */
    typed(text) {
      if (text === state.text) return;
      state.text = text;
      state.textSource = 'user';
      if (analyseTimer) clearTimeout(analyseTimer);
      analyseTimer = setTimeout(() => { analyseTimer = 0; analyseNow(state.text); }, ANALYSE_DELAY);
      publish();
    },

    undo() { this.travel(() => history.undo()); },
    redo() { this.travel(() => history.redo()); },

    travel(step) {
      flushTyping();
      const text = step();
      if (text === null || text === undefined) return;
      state.text = text;
      state.textSource = 'history';
      state.textRevision += 1;
      publish();
      analyseNow(text);
    },

    /** The selection lives in the store (store.js editorActions.select); these read and change it there. */
    select(sel) { editorActions.select(store, sel); },
    selection: () => store.get(editorKeys.selection) || null,
    /** fn() after each change of the selection; returns unsubscribe. */
    onSelection: (fn) => store.subscribe(fn, [editorKeys.selection]),

    /** Pins positions (merged over the current ones) and stores them when the pipeline is saved on the server. */
    pin(positions, { relayout = false } = {}) {
      state.pinned = { ...state.pinned, ...positions };
      if (relayout) state.layoutRevision += 1;
      publish();
      this.storePositionsSoon();
    },

    renamePinned(from, to) {
      if (!state.pinned[from]) return;
      const next = { ...state.pinned, [to]: state.pinned[from] };
      delete next[from];
      state.pinned = next;
      publish();
      this.storePositionsSoon();
    },

    /** Drops every hand-placed position: the server's layout again. */
    autoLayout() {
      state.pinned = {};
      state.layoutRevision += 1;
      publish();
      this.storePositionsSoon();
    },

    storePositionsSoon() {
      if (!state.name || state.savedText === null) return;
      if (positionsTimer) clearTimeout(positionsTimer);
      positionsTimer = setTimeout(() => { positionsTimer = 0; this.storePositions().catch(() => {}); }, POSITIONS_DELAY);
    },

    storePositions() {
      const ids = new Set(stepIds());
      const positions = {};
      for (const [id, p] of Object.entries(state.pinned)) {
        if (ids.has(id)) positions[id] = { x: Math.round(p.x), y: Math.round(p.y) };
      }
      return request('PUT', `/api/pipelines/${seg(state.name)}/positions`, { positions });
    },

    dirty: () => state.savedText === null ? state.text.trim() !== '' : state.text !== state.savedText,

    /**
     * Saves the text as a new version of name (the model's name for a new pipeline), and into its
     * file when the pipeline comes from the pipelines folder. Rejects with the server's 409
     * file-changed (its body holds the file's text) when the file changed on disk since the text
     * was read; {force: true} overwrites it.
     */
    async save({ force = false } = {}) {
      flushTyping();
      await chain;
      const name = state.name || (state.model && state.model.name);
      if (!name) throw new ApiError(400, 'no-name', 'give the pipeline a name first (Pipeline settings)');
      state.saving = true; publish();
      try {
        const text = state.text;
        const query = force ? '?force=true' : state.sha256 && state.name ? `?base_sha256=${state.sha256}` : '';
        const saved = await request('PUT', `/api/pipelines/${seg(name)}${query}`, text);
        state.name = saved.name || name;
        state.version = saved.version;
        state.sha256 = saved.sha256 || null;
        state.file = saved.file || null;
        state.savedText = text;
        if (positionsTimer) { clearTimeout(positionsTimer); positionsTimer = 0; }
        await this.storePositions().catch(() => {});
        return saved;
      } finally {
        state.saving = false;
        publish();
      }
    },

    /** Takes a text read elsewhere (the file's, changed on disk) as the one to go on from; sha256 is its hash. */
    takeText(text, sha256) {
      flushTyping();
      state.text = text;
      state.sha256 = sha256;
      state.textSource = 'load';
      state.textRevision += 1;
      history.push(text);
      publish();
      analyseNow(text);
    },

    copy(id) {
      const step = state.model && state.model.steps.find((s) => s.id === id);
      if (step) clipboard = { id: step.id, fields: JSON.parse(JSON.stringify(step.fields || {})) };
      return !!step;
    },
    clipboard: () => clipboard,

    destroy() {
      destroyed = true;
      if (analyseTimer) clearTimeout(analyseTimer);
      if (positionsTimer) { clearTimeout(positionsTimer); this.storePositions().catch(() => {}); }
      store.remove('editor');
      editorActions.forget(store);
    },
  };
}
