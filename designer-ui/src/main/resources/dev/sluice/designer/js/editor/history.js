// Undo and redo over whole texts: one history for the canvas and the YAML view, since every edit
// of either ends as a new text. Pure.

export function createHistory(initial = '', limit = 200) {
  let entries = [initial];
  let at = 0;
  return {
    /** Records text after the current entry (dropping what could be redone); the same text is not recorded twice. */
    push(text) {
      if (text === entries[at]) return false;
      entries = entries.slice(0, at + 1);
      entries.push(text);
      if (entries.length > limit) entries.shift();
      at = entries.length - 1;
      return true;
    },
    /** Starts over from text (after loading). */
    reset(text) {
      entries = [text];
      at = 0;
    },
    current: () => entries[at],
    canUndo: () => at > 0,
    canRedo: () => at < entries.length - 1,
    /** The text before the current one, or null. */
    undo() {
      if (at === 0) return null;
      at -= 1;
      return entries[at];
    },
    redo() {
      if (at >= entries.length - 1) return null;
      at += 1;
      return entries[at];
    },
    size: () => entries.length,
  };
}
