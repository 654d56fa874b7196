// Pure: how the Models pages read the registry's answers. The metric columns of a model's versions
// (the union of their names), who moved an alias, the body of an alias move, the lineage answer as
// a graph the pipeline renderer draws. No DOM, so node tests it (designer-ui/src/test/js).

/** The union of the versions' metric names, in first-seen order (newest version first). */
export function metricColumns(versions) {
  const seen = new Set();
  for (const v of versions || []) for (const k of Object.keys(v.metrics || {})) seen.add(k);
  return [...seen];
}

/** The best value of each metric among the versions (highest; lowest for names that read as losses or errors). */
export function bestValues(versions, columns) {
  const out = {};
  for (const c of columns) {
    const lower = /loss|error|err$|rmse|mae|mse/i.test(c);
    let best = null;
    for (const v of versions || []) {
      const x = (v.metrics || {})[c];
      if (typeof x !== 'number') continue;
      if (best === null || (lower ? x < best : x > best)) best = x;
    }
    out[c] = best;
  }
  return out;
}

/** Who moved an alias: {text: 'run abc · register' | 'api' | 'cli', runId} from a history entry's `by`. */
export function movedBy(by) {
  if (!by) return { text: 'unknown', runId: null };
  const type = by.type || 'api';
  if (type === 'run') return { text: `run ${by.run_id || '?'}${by.task_id ? ` · ${by.task_id}` : ''}`, runId: by.run_id || null };
  return { text: type, runId: by.run_id || null };
}

/** A move's words: 'v1 → v2', 'set to v3', 'deleted (was v2)'. */
export function moveText(entry) {
  const from = entry.from_version, to = entry.to_version;
  if (from === null || from === undefined) return to === null || to === undefined ? 'no change' : `set to v${to}`;
  if (to === null || to === undefined) return `deleted (was v${from})`;
  return `v${from} → v${to}`;
}

/**
 * The body of PUT /api/models/NAME/aliases/ALIAS: the version, the version the page saw the alias
 * at (null: the alias must not exist yet), the note. Compare-and-set, so a move made meanwhile by
 * someone else is refused with 409 instead of being overwritten.
 */
export function aliasMove(version, seenAliases, alias, note) {
  const seen = seenAliases && Object.prototype.hasOwnProperty.call(seenAliases, alias) ? seenAliases[alias] : null;
  return { version: Number(version), expected_version: seen, note: String(note || '').trim() };
}

/** Whether a move would go back to an older version than the alias holds now (a rollback). */
export function isRollback(version, seenAliases, alias) {
  const cur = seenAliases ? seenAliases[alias] : undefined;
  return typeof cur === 'number' && Number(version) < cur;
}

/** An alias name as the spec allows it. */
export const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;

/** The lineage query string of a page's query: model / artifact / run (+ step), and depth / limit; else null. */
export function lineageQuery(q) {
  if (!q) return null;
  let out = null;
  if (q.model) out = { model: q.model };
  else if (q.artifact) out = { artifact: q.artifact };
  else if (q.run) out = q.step ? { run: q.run, step: q.step } : { run: q.run };
  if (!out) return null;
  // the walk's bounds, when the page was asked for other than the server's defaults
  for (const k of ['depth', 'limit']) if (/^\d+$/.test(q[k] || '')) out[k] = q[k];
  return out;
}

const KIND_WORDS = {
  run: 'run', attempt: 'attempt', artifact: 'artifact', pipeline_version: 'pipeline version',
  model_version: 'model version', code_version: 'code', file: 'file', params: 'params',
};

/**
 * The lineage answer as the renderer's graph: nodes {id, title, summary, kind, href, root, cut}
 * and edges {from, to, type}, ordered from the root outwards (breadth first), so the layering
 * keeps the root's neighbours together; edges to unknown nodes are dropped.
 */
export function lineageGraph(answer) {
  const nodes = (answer && answer.nodes) || [];
  const edges = ((answer && answer.edges) || []).filter((e) => e && e.from !== e.to);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const cut = new Set((answer && answer.cut) || []);
  const adj = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    adj.get(e.from).push(e.to);
    adj.get(e.to).push(e.from);
  }
  const order = [];
  const seen = new Set();
  const visit = (start) => {
    const queue = [start];
    seen.add(start);
    while (queue.length) {
      const id = queue.shift();
      order.push(id);
      for (const next of adj.get(id) || []) if (!seen.has(next)) { seen.add(next); queue.push(next); }
    }
  };
  if (answer && byId.has(answer.root)) visit(answer.root);
  for (const n of nodes) if (!seen.has(n.id)) visit(n.id);
  return {
    align: 'sinks', // walked back from its root: inputs sit just left of what read them
    nodes: order.map((id) => {
      const n = byId.get(id);
      const kind = n.type || 'node';
      return {
        id, kind, title: n.label || id, href: n.href || null, root: id === answer.root, cut: cut.has(id),
        summary: `${KIND_WORDS[kind] || kind}${cut.has(id) ? ' · not expanded' : ''}`,
        badges: cut.has(id) ? [{ kind: 'cut', text: '…', title: 'cut off: its neighbours were not expanded (depth or size limit)' }] : [],
      };
    }),
    edges: edges.filter((e) => byId.has(e.from) && byId.has(e.to)).map((e) => ({ from: e.from, to: e.to, type: e.type || '' })),
  };
}
