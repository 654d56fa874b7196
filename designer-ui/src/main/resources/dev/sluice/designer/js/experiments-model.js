// Pure: what the experiments page asks the server and how it reads the answer. The filter box
// text ("auc > 0.85, l2 = 0.1") becomes the API's filter ("auc>0.85,l2=0.1"), a header click the
// next sort, a page number an offset. No DOM, so node tests it (designer-ui/src/test/js).

const OPS = ['>=', '<=', '!=', '>', '<', '='];
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-[\]=]*$/;

/**
 * parseFilter('auc > 0.85, l2 = 0.1') ->
 * {clauses: [{name: 'auc', op: '>', value: '0.85'}, ...], errors: [], query: 'auc>0.85,l2=0.1'}.
 * Each clause is NAME OP VALUE with OP one of >= <= != > < = (== is read as =); errors name the
 * clause that could not be read, and query is then null.
 */
export function parseFilter(text) {
  const clauses = [];
  const errors = [];
  for (const raw of String(text || '').split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const normal = part.replace('==', '=');
    let found = null;
    let depth = 0; // an operator inside [...] belongs to a matrix variant's id: train[l2=0.1].loss
    for (let i = 0; i < normal.length && !found; i++) {
      if (normal[i] === '[') depth++;
      else if (normal[i] === ']') depth = Math.max(0, depth - 1);
      if (depth > 0) continue;
      for (const op of OPS) {
        if (normal.startsWith(op, i)) { found = { i, op }; break; }
      }
    }
    if (!found) { errors.push(`"${part}": expected NAME OP VALUE, e.g. auc > 0.85`); continue; }
    const name = normal.slice(0, found.i).trim();
    const value = normal.slice(found.i + found.op.length).trim();
    if (!name || !NAME.test(name)) { errors.push(`"${part}": "${name}" is not a param or metric name`); continue; }
    if (!value) { errors.push(`"${part}": a value is missing after ${found.op}`); continue; }
    if (/[<>=!]/.test(value)) { errors.push(`"${part}": one operator per clause`); continue; }
    clauses.push({ name, op: found.op, value });
  }
  return { clauses, errors, query: errors.length ? null : clauses.map((c) => `${c.name}${c.op}${c.value}`).join(',') };
}

/** The sort after clicking column `col`: a new column sorts descending first, the same one flips. */
export function nextSort(current, col) {
  if (current === `-${col}`) return col;
  if (current === col) return `-${col}`;
  return `-${col}`;
}

/** {col, desc} of a sort string ('-evaluate.auc' -> {col: 'evaluate.auc', desc: true}); null when none. */
export function readSort(sort) {
  if (!sort) return null;
  return sort.startsWith('-') ? { col: sort.slice(1), desc: true } : { col: sort, desc: false };
}

/** Paging: {page (1-based), pages, from, to} of an answer's total, limit and offset. */
export function pageInfo(total, limit, offset) {
  const size = Math.max(1, limit || 1);
  const pages = Math.max(1, Math.ceil((total || 0) / size));
  const page = Math.min(pages, Math.floor((offset || 0) / size) + 1);
  return { page, pages, from: total ? (offset || 0) + 1 : 0, to: Math.min(total || 0, (offset || 0) + size) };
}

/** A row's key: the run, and its matrix variant when it has one. */
export function rowKey(row) {
  return row.task_id ? `${row.run_id} ${row.task_id}` : row.run_id;
}

/**
 * The step whose series hold metric column `col` ('evaluate.auc' -> step 'evaluate', name 'auc')
 * for a row: a matrix variant row ('train[l2=0.1]') whose step is that column's step reads the
 * variant. A bare name (no step) has no step: null.
 */
export function seriesSource(row, col) {
  const dot = col.lastIndexOf('.');
  if (dot <= 0) return null;
  const step = col.slice(0, dot);
  const name = col.slice(dot + 1);
  const task = row.task_id && row.task_id.startsWith(`${step}[`) ? row.task_id : step;
  return { run: row.run_id, task, name };
}

/** The query string object of one experiments request. */
export function experimentsQuery({ sort, filter, limit, offset, metrics, params }) {
  const q = {};
  if (metrics && metrics.length) q.metrics = metrics.join(',');
  if (params && params.length) q.params = params.join(',');
  if (sort) q.sort = sort;
  if (filter) q.filter = filter;
  q.limit = limit;
  q.offset = offset;
  return q;
}
