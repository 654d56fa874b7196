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
};

const sameSelection = (a, b) => (!a || !b ? a === b
  : a.type === b.type && a.id === b.id && a.from === b.from && a.to === b.to);

export const editorActions = {
  /** Selects a step ({type: 'node', id}), an edge ({type: 'edge', from, to}) or nothing (null); the same selection again changes nothing. */
  select(store, sel) {
    const next = sel ? Object.freeze(sel.type === 'edge' ? { type: 'edge', from: sel.from, to: sel.to } : { type: 'node', id: sel.id }) : null;
    if (sameSelection(store.get(editorKeys.selection) || null, next)) return;
    store.set({ [editorKeys.selection]: next });
  },
  /** The editor left: its selection goes. */
  forget(store) { store.remove(editorKeys.selection); },
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
