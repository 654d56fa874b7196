// The one state of the page, and its only mutator. Views read with get(), change with set()/update(),
// and hear about changes with subscribe(). Keys are plain names: 'route', 'pipelines', 'run:<id>', ...

export function createStore(initial = {}) {
  let state = { ...initial };
  const listeners = new Set();

  const notify = (keys) => {
    for (const l of [...listeners]) {
      if (!l.keys || keys.some((k) => l.keys.includes(k))) l.fn(state, keys);
    }
  };

  return {
    /** The whole state, or one key. */
    get(key) { return key === undefined ? state : state[key]; },

    /** Sets keys (an object of key -> value) and notifies once. */
    set(patch) {
      const keys = Object.keys(patch).filter((k) => state[k] !== patch[k]);
      if (!keys.length) return;
      state = { ...state, ...patch };
      notify(keys);
    },

    /** Replaces one key by fn(old). */
    update(key, fn) { this.set({ [key]: fn(state[key]) }); },

    /** Removes keys (a view's own state when it unmounts). */
    remove(...keys) {
      const present = keys.filter((k) => k in state);
      if (!present.length) return;
      state = { ...state };
      for (const k of present) delete state[k];
      notify(present);
    },

    /** fn(state, changedKeys) on every change, or only on changes of the given keys. Returns unsubscribe. */
    subscribe(fn, keys) {
      const l = { fn, keys: keys ? [].concat(keys) : null };
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

// The MLOps pages' state: its keys and the named actions that are its only writers (a view reads
// with store.get(keys.x), hears with store.subscribe(fn, [keys.x]) and changes through an action).
export const keys = {
  models: 'models',
  model: (name) => `model:${name}`,
  version: (name, n) => `model:${name}:v${n}`,
  lineage: (q) => `lineage:${JSON.stringify(q)}`,
  experiments: (pipeline) => `experiments:${pipeline}`,
  alerts: 'alerts',
};

export const actions = {
  /** GET /api/models answered. */
  modelsLoaded: (store, models) => store.set({ [keys.models]: models }),
  /** GET /api/models/{name} answered (also after an alias move, or a 409 that says it moved). */
  modelLoaded: (store, name, model) => store.set({ [keys.model(name)]: model }),
  /** GET /api/models/{name}/versions/{n} answered. */
  versionLoaded: (store, name, n, version) => store.set({ [keys.version(name, n)]: version }),
  /** GET /api/lineage answered. */
  lineageLoaded: (store, q, graph) => store.set({ [keys.lineage(q)]: graph }),
  /** A page of GET /api/pipelines/{name}/experiments answered. */
  experimentsLoaded: (store, pipeline, page) => store.set({ [keys.experiments(pipeline)]: page }),
  /** GET /api/alerts answered. */
  alertsLoaded: (store, alerts) => store.set({ [keys.alerts]: alerts }),
  /** A page left: what it held goes. */
  forget: (store, ...names) => store.remove(...names),
};

// The editor's state that more than one part reads: its keys and named actions (the session and
// the views change it only through these). The editing session itself is published under 'editor'.
export const editorKeys = {
  /** {type: 'node', id} | {type: 'edge', from, to} | null: the one selection of the editor (canvas, panels, URL). */
  selection: 'editor:selection',
  /** The editing session: the document (text, model, graph), its problems, the status (loading, saving, requests, undo). */
  session: 'editor',
};

/** A session's state before anything is loaded (name: the saved pipeline's, null for a new one). */
export function editorSessionState(name = null) {
  return {
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
}

const session = (store) => store.get(editorKeys.session);
const changeSession = (store, patch) => store.set({ [editorKeys.session]: { ...session(store), ...patch } });

const sameSelection = (a, b) => (!a || !b ? a === b
  : a.type === b.type && a.id === b.id && a.from === b.from && a.to === b.to);

export const editorActions = {
  /** Selects a step ({type: 'node', id}), an edge ({type: 'edge', from, to}) or nothing (null); the same selection again changes nothing. */
  select(store, sel) {
    const next = sel ? Object.freeze(sel.type === 'edge' ? { type: 'edge', from: sel.from, to: sel.to } : { type: 'node', id: sel.id }) : null;
    if (sameSelection(store.get(editorKeys.selection) || null, next)) return;
    store.set({ [editorKeys.selection]: next });
  },
  /** An editing session began. */
  started: (store, state) => store.set({ [editorKeys.session]: state }),
  /** The saved pipeline was read (or a new one begun): its text and where it is saved. */
  loaded: (store, { text, savedText, version = null, sha256 = null, file = null, pinned = {} }) =>
    changeSession(store, { text, savedText, version, sha256, file, pinned, textSource: 'load', textRevision: session(store).textRevision + 1 }),
  /** Loading ended (error: why it failed, or null). */
  ready: (store, error) => changeSession(store, { loading: false, loadError: error || null }),
  /** The server analysed a text: its model, graph and problems; replaced: {text, source} when its edit replaced the text. */
  analysed: (store, { model, graph, problems }, replaced = null) => changeSession(store, {
    model, graph, problems,
    ...(replaced ? { text: replaced.text, textSource: replaced.source, textRevision: session(store).textRevision + 1 } : {}),
  }),
  /** The text was replaced from outside the YAML view (source: 'canvas', 'history', 'load'); extra: e.g. the sha256 it was read with. */
  textReplaced: (store, text, source, extra = {}) =>
    changeSession(store, { ...extra, text, textSource: source, textRevision: session(store).textRevision + 1 }),
  /** The YAML view's text was typed. */
  typed: (store, text) => changeSession(store, { text, textSource: 'user' }),
  /** Positions placed by hand; relayout: the canvas lays out again. */
  pinned: (store, pinned, relayout) => changeSession(store, { pinned, layoutRevision: session(store).layoutRevision + (relayout ? 1 : 0) }),
  /** A save started (true) or ended (false). */
  saving: (store, saving) => changeSession(store, { saving }),
  /** A save answered: the version, hash and file it was saved as. */
  saved: (store, { name, version, sha256, file, savedText }) => changeSession(store, { name, version, sha256, file, savedText }),
  /** A request to the server started (+1) or ended (-1). */
  requestsInFlight: (store, delta) => changeSession(store, { pending: session(store).pending + delta }),
  /** What undo and redo can do now. */
  historyMoved: (store, { canUndo, canRedo }) => {
    const st = session(store);
    if (st.canUndo !== canUndo || st.canRedo !== canRedo) changeSession(store, { canUndo, canRedo });
  },
  /** The editor left: its session and selection go. */
  forget(store) { store.remove(editorKeys.session, editorKeys.selection); },
};

// The run page's state besides the run itself ('run:<id>'): the selected step, by named actions.
export const runKeys = {
  /** The id of the run's selected task, or null. */
  step: (runId) => `run:${runId}:step`,
};

export const runActions = {
  /** Selects a task of the run (null: none); the same again changes nothing. */
  selectStep: (store, runId, id) => store.set({ [runKeys.step(runId)]: id || null }),
  /** The run page left. */
  forget: (store, runId) => store.remove(runKeys.step(runId)),
};
