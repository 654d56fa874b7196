// Pure: key completion for the YAML view from the JSON Schema of the pipeline language
// (GET /api/schema/pipeline.json): where the cursor is (the path of mappings and lists above it,
// read from indentation), which keys the schema allows there, with their docs. No DOM.

/** A key being typed at the cursor: {indent column, prefix} or null (a value, a comment, a flow collection). */
export function keyAt(lineText, ch) {
  const before = lineText.slice(0, ch);
  const m = /^(\s*)((?:-\s+)*)([A-Za-z_][A-Za-z0-9_-]*)?$/.exec(before);
  if (!m) return null;
  return { column: m[1].length + m[2].length, prefix: m[3] || '', item: m[2].length > 0 };
}

const content = (line) => {
  const m = /^(\s*)(.*)$/.exec(line);
  return { indent: m[1].length, rest: m[2] };
};

/**
 * The path to the mapping a key at `column` of line `lineNo` belongs to, e.g. ['steps', '[]'] for
 * a step's key, and the keys already there. lines: the text's lines.
 */
export function pathAt(lines, lineNo, column, item = false) {
  const path = [];
  let col = column;
  let inItem = item; // the key opens a list item: its mapping is the item's
  const siblings = [];
  if (item) path.push('[]');
  for (let i = lineNo - 1; i >= 0; i--) {
    const line = lines[i];
    const { indent, rest } = content(line);
    if (rest === '' || rest.startsWith('#')) continue;
    const dash = /^-(\s+|$)/.exec(rest);
    if (dash) {
      const itemCol = indent + dash[0].length;
      if (!inItem && itemCol === col) {
        // a sibling key on the item's first line: `- id: a`
        const k = /^([A-Za-z_][\w-]*)\s*:/.exec(rest.slice(dash[0].length));
        if (k && path.length === 0) siblings.push(k[1]);
        path.push('[]');
        inItem = true;
        col = indent;
        continue;
      }
      if (inItem && indent === col) continue; // an earlier item of the same list
      if (indent < col) {
        // an item of a list that holds our mapping's list: a list of lists is not in the language
        path.push('[]');
        col = indent;
        inItem = true;
        continue;
      }
      continue;
    }
    const k = /^([A-Za-z_][\w-]*|"[^"]*"|'[^']*')\s*:(\s|$)/.exec(rest);
    if (!k) continue;
    const key = k[1].replace(/^["']|["']$/g, '');
    if (indent === col && !inItem && path.length === 0) { siblings.push(key); continue; }
    if (indent < col || (inItem && indent === col)) {
      path.push(key);
      col = indent;
      inItem = false;
      if (indent === 0) break;
    }
  }
  // siblings after the cursor too
  if (path.length === 0 || path[0] !== undefined) {
    for (let i = lineNo + 1; i < lines.length; i++) {
      const { indent, rest } = content(lines[i]);
      if (rest === '' || rest.startsWith('#')) continue;
      if (indent < column || (indent === column - 2 && rest.startsWith('-'))) break;
      const k = indent === column ? /^([A-Za-z_][\w-]*)\s*:/.exec(rest) : null;
      if (k) siblings.push(k[1]);
    }
  }
  return { path: path.reverse(), siblings };
}

function resolve(schema, node) {
  let n = node;
  for (let guard = 0; n && n.$ref && guard < 16; guard++) {
    const parts = n.$ref.replace(/^#\//, '').split('/');
    let target = schema;
    for (const p of parts) target = target && target[p];
    n = target ? { ...target, ...Object.fromEntries(Object.entries(n).filter(([k]) => k !== '$ref')) } : null;
  }
  return n;
}

/** The schema of the mapping at a path, or null when the schema says nothing of it. */
export function schemaAt(schema, path) {
  let node = schema;
  for (const part of path) {
    node = resolve(schema, node);
    if (!node) return null;
    if (part === '[]') {
      node = node.items || (node.anyOf || node.oneOf || []).map((x) => resolve(schema, x)).find((x) => x && x.items)?.items;
    } else {
      const props = node.properties || {};
      node = props[part];
      if (!node) return null;
    }
  }
  return resolve(schema, node);
}

/** The description of a property (its own, else its definition's). */
export function docOf(schema, prop) {
  if (!prop) return '';
  if (prop.description) return prop.description;
  const r = resolve(schema, prop);
  return (r && r.description) || '';
}

/**
 * Keys the schema allows at the cursor, starting with what is typed, minus those already there:
 * [{key, doc}] in the schema's order, those starting with the prefix first, then those containing it.
 */
export function completions(schema, text, line, ch) {
  const lines = text.split(/\r?\n/);
  const at = keyAt(lines[line] || '', ch);
  if (!at) return null;
  const { path, siblings } = pathAt(lines, line, at.column, at.item);
  const node = schemaAt(schema, path);
  const props = node && node.properties;
  if (!props) return null;
  const prefix = at.prefix.toLowerCase();
  const taken = new Set(siblings);
  const all = Object.keys(props).filter((k) => !taken.has(k) || k === at.prefix);
  const starts = all.filter((k) => k.toLowerCase().startsWith(prefix));
  const contains = prefix ? all.filter((k) => !k.toLowerCase().startsWith(prefix) && k.toLowerCase().includes(prefix)) : [];
  return {
    from: ch - at.prefix.length,
    to: ch,
    path,
    items: [...starts, ...contains].map((k) => ({ key: k, doc: docOf(schema, props[k]) })),
  };
}

/** The doc of the key under (line, ch), as {key, doc}, or null (not on a key, or a key the schema does not know). */
export function docAt(schema, text, line, ch) {
  const lines = text.split(/\r?\n/);
  const m = /^(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)\s*:/.exec(lines[line] || '');
  if (!m) return null;
  const start = m[1].length + m[2].length;
  if (ch < start || ch > start + m[3].length) return null;
  const { path } = pathAt(lines, line, start, m[2].length > 0);
  const node = schemaAt(schema, path);
  const prop = node && node.properties && node.properties[m[3]];
  if (!prop) return null;
  return { key: m[3], doc: docOf(schema, prop) };
}
