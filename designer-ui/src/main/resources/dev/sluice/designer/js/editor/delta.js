// Pure: the changes POST /api/designer/edit sends back to an editor that holds the text already
// (engine designer/Delta.java makes them). A text change is one replaced range {start, end, text};
// a value change is {v: value} | {m: {key: change}, d: [keys]} | {a: [start, deleteCount, items]}
// | {i: [index, change]}. Applying one copies only the path that changed: the rest of the old
// value is shared, so a view can tell what changed by identity.

/** The text after a {start, end, text} change. */
export function applyText(text, p) {
  return text.slice(0, p.start) + p.text + text.slice(p.end);
}

/** The one range of a replaced to make b, as {start, end, text} (what the YAML view typed). */
export function textChange(a, b) {
  const n = Math.min(a.length, b.length);
  let start = 0;
  while (start < n && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let ea = a.length, eb = b.length;
  while (ea > start && eb > start && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) { ea--; eb--; }
  return { start, end: ea, text: b.slice(start, eb) };
}

/** The value after a change (null or undefined: unchanged). */
export function applyChange(value, change) {
  if (!change) return value;
  if ('v' in change) return change.v;
  if (change.m) {
    const out = { ...(value || {}) };
    for (const k of change.d || []) delete out[k];
    for (const [k, c] of Object.entries(change.m)) out[k] = applyChange(out[k], c);
    return out;
  }
  if (change.a) {
    const [start, count, items] = change.a;
    const out = (value || []).slice();
    out.splice(start, count, ...items);
    return out;
  }
  if (change.i) {
    const [i, c] = change.i;
    const out = (value || []).slice();
    out[i] = applyChange(out[i], c);
    return out;
  }
  throw new Error(`unknown change ${JSON.stringify(change).slice(0, 80)}`);
}
