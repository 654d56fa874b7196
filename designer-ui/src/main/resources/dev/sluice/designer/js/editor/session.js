// One editing session of a pipeline: the text (the server owns YAML: every change is an edit op
// or a new text sent to POST /api/designer/edit), its model, graph and problems, the positions
// placed by hand, the undo history, saving. Its state is the store's ('editor', changed only by
// store.js editorActions); the session holds none of it: it talks to the server and calls those
// actions. The panels subscribe to the store and call the session's methods.

import { request, seg, ApiError } from '../api.js';
import { createHistory } from './history.js';
import { editorKeys, editorActions, editorSessionState } from '../store.js';
import { applyText, applyChange, textChange } from './delta.js';

const ANALYSE_DELAY = 300;
const POSITIONS_DELAY = 500;

export function createSession(store, { name = null } = {}) {
  const history = createHistory('');
  editorActions.started(store, editorSessionState(name));
  /** The session's state, as the store holds it now. */
  const cur = () => store.get(editorKeys.session);
  let chain = Promise.resolve();
  let analyseTimer = 0;
  let positionsTimer = 0;
  let destroyed = false;
  let clipboard = null;

  /** Changes the state through a named action (and the undo flags with it). */
  const act = (action, ...args) => {
    if (destroyed) return;
    action(store, ...args);
    const text = cur().text;
    editorActions.historyMoved(store, { canUndo: history.canUndo() || text !== history.current(), canRedo: history.canRedo() });
  };

  const file = () => `${cur().name || (cur().model && cur().model.name) || 'pipeline'}.yaml`;

  /** Runs requests one after the other: each edit starts from the text the previous one gave. */
  const queue = (job) => {
    const next = chain.then(job, job);
    chain = next.catch(() => {});
    return next;
  };

  const track = async (promise) => {
    act(editorActions.requestsInFlight, 1);
    try { return await promise; } finally { act(editorActions.requestsInFlight, -1); }
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

  /** Takes the server's answer: its model, graph and problems, and its text when it replaced the text (source: who changed it). */
  function take(result, source = null) {
    if (typeof result.text === 'string' && result.sha256) known = { text: result.text, sha256: result.sha256, model: result.model || null, graph: result.graph || null };
    // an empty text is a pipeline not begun, not a broken one: no "file is empty" in red
    const text = typeof result.text === 'string' ? result.text : cur().text;
    act(editorActions.analysed, { model: result.model || null, graph: result.graph || null,
      problems: Array.isArray(result.problems) && text.trim() !== '' ? result.problems : [] }, source ? { text: result.text, source } : null);
    const sel = store.get(editorKeys.selection);
    if (sel && sel.type === 'node' && !stepIds().includes(sel.id)) editorActions.select(store, null);
  }

  function stepIds() {
    const model = cur().model;
    return model && Array.isArray(model.steps) ? model.steps.map((s) => s.id) : [];
  }

  function analyseNow(text) {
    return queue(async () => {
      if (destroyed) return;
      const result = await track(edit(text, []));
      if (destroyed || cur().text !== text) return; // typed on meanwhile: a newer analysis follows
      history.push(text);
      take(result);
    });
  }

  function flushTyping() {
    if (analyseTimer) { clearTimeout(analyseTimer); analyseTimer = 0; }
    history.push(cur().text);
  }

  return {
    /** The state (the store's 'editor'). */
    state: () => cur(),

    async load() {
      const name = cur().name;
      try {
        let loaded = { text: '', savedText: null };
        if (name) {
          const p = await request('GET', `/api/pipelines/${seg(name)}`);
          let pinned = {};
          try {
            const pos = await request('GET', `/api/pipelines/${seg(name)}/positions`);
            pinned = (pos && pos.positions) || {};
          } catch (e) {
            // no positions saved: the layout places every step
          }
          loaded = { text: p.text || '', savedText: p.text || '', version: p.version, sha256: p.sha256 || null, file: p.file || null, pinned };
        }
        history.reset(loaded.text);
        act(editorActions.loaded, loaded);
        const result = await edit(loaded.text, []);
        take(result);
        act(editorActions.ready, null);
      } catch (e) {
        act(editorActions.ready, e);
      }
    },

    /**
     * Applies edit ops to the current text. Resolves to the server's answer, or rejects with the
     * ApiError of a refused op (409: a cycle, a duplicate id...), changing nothing.
     */
    apply(ops) {
      flushTyping();
      return queue(async () => {
        const base = cur().text;
        const result = await track(edit(base, ops));
        if (destroyed) return result;
        if (cur().text !== base) {
          // the text was replaced while the op was in flight (undo): the op no longer applies
          throw new ApiError(409, 'stale', 'the text changed meanwhile; try again');
        }
        if (result.text !== base) history.push(result.text);
        take(result, result.text !== base ? 'canvas' : null);
        return result;
      });
    },

    /** The YAML view's text changed by typing: analyse it once typing pauses. */
    typed(text) {
      if (text === cur().text) return;
      act(editorActions.typed, text);
      if (analyseTimer) clearTimeout(analyseTimer);
      analyseTimer = setTimeout(() => { analyseTimer = 0; analyseNow(cur().text); }, ANALYSE_DELAY);
    },

    undo() { this.travel(() => history.undo()); },
    redo() { this.travel(() => history.redo()); },

    travel(step) {
      flushTyping();
      const text = step();
      if (text === null || text === undefined) return;
      act(editorActions.textReplaced, text, 'history');
      analyseNow(text);
    },

    /** The selection lives in the store (store.js editorActions.select); these read and change it there. */
    select(sel) { editorActions.select(store, sel); },
    selection: () => store.get(editorKeys.selection) || null,
    /** fn() after each change of the selection; returns unsubscribe. */
    onSelection: (fn) => store.subscribe(fn, [editorKeys.selection]),

    /** Pins positions (merged over the current ones) and stores them when the pipeline is saved on the server. */
    pin(positions, { relayout = false } = {}) {
      act(editorActions.pinned, { ...cur().pinned, ...positions }, relayout);
      this.storePositionsSoon();
    },

    renamePinned(from, to) {
      const pinned = cur().pinned;
      if (!pinned[from]) return;
      const next = { ...pinned, [to]: pinned[from] };
      delete next[from];
      act(editorActions.pinned, next, false);
      this.storePositionsSoon();
    },

    /** Drops every hand-placed position: the server's layout again. */
    autoLayout() {
      act(editorActions.pinned, {}, true);
      this.storePositionsSoon();
    },

    storePositionsSoon() {
      if (!cur().name || cur().savedText === null) return;
      if (positionsTimer) clearTimeout(positionsTimer);
      positionsTimer = setTimeout(() => { positionsTimer = 0; this.storePositions().catch(() => {}); }, POSITIONS_DELAY);
    },

    storePositions() {
      const ids = new Set(stepIds());
      const positions = {};
      for (const [id, p] of Object.entries(cur().pinned)) {
        if (ids.has(id)) positions[id] = { x: Math.round(p.x), y: Math.round(p.y) };
      }
      return request('PUT', `/api/pipelines/${seg(cur().name)}/positions`, { positions });
    },

    dirty: () => (cur().savedText === null ? cur().text.trim() !== '' : cur().text !== cur().savedText),

    /**
     * Saves the text as a new version of name (the model's name for a new pipeline), and into its
     * file when the pipeline comes from the pipelines folder. Rejects with the server's 409
     * file-changed (its body holds the file's text) when the file changed on disk since the text
     * was read; {force: true} overwrites it.
     */
    async save({ force = false } = {}) {
      flushTyping();
      await chain;
      const st = cur();
      const name = st.name || (st.model && st.model.name);
      if (!name) throw new ApiError(400, 'no-name', 'give the pipeline a name first (Pipeline settings)');
      act(editorActions.saving, true);
      try {
        const text = st.text;
        const query = force ? '?force=true' : st.sha256 && st.name ? `?base_sha256=${st.sha256}` : '';
        const saved = await request('PUT', `/api/pipelines/${seg(name)}${query}`, text);
        act(editorActions.saved, { name: saved.name || name, version: saved.version, sha256: saved.sha256 || null, file: saved.file || null, savedText: text });
        if (positionsTimer) { clearTimeout(positionsTimer); positionsTimer = 0; }
        await this.storePositions().catch(() => {});
        return saved;
      } finally {
        act(editorActions.saving, false);
      }
    },

    /** Takes a text read elsewhere (the file's, changed on disk) as the one to go on from; sha256 is its hash. */
    takeText(text, sha256) {
      flushTyping();
      history.push(text);
      act(editorActions.textReplaced, text, 'load', { sha256 });
      analyseNow(text);
    },

    copy(id) {
      const model = cur().model;
      const step = model && model.steps.find((s) => s.id === id);
      if (step) clipboard = { id: step.id, fields: JSON.parse(JSON.stringify(step.fields || {})) };
      return !!step;
    },
    clipboard: () => clipboard,

    destroy() {
      destroyed = true;
      if (analyseTimer) clearTimeout(analyseTimer);
      if (positionsTimer) { clearTimeout(positionsTimer); this.storePositions().catch(() => {}); }
      editorActions.forget(store);
    },
  };
}
