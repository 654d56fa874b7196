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
