// Pure helpers of the editor: templates, fresh ids, the step graph the canvas draws (one box per
// step, where the server's graph has one per matrix task), problems by step and field. No DOM.

import { boxWidth } from '../graph/scene.js';
import { NODE_HEIGHT, intersects } from '../graph/geometry.js';

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The step fields of the spec, in spec order. */
export const STEP_FIELDS = ['run', 'needs', 'workdir', 'env', 'outputs', 'retries', 'retry_delay', 'timeout',
  'worker', 'if', 'matrix', 'cache', 'cache_files'];

/** What the palette offers; `step` is sent with addStep (the id is made unique at the drop). */
export const TEMPLATES = [
  { kind: 'shell', label: 'Shell', hint: 'a shell command', base: 'shell',
    step: { run: 'echo "hello from $SLUICE_STEP"' } },
  { kind: 'python', label: 'Python script', hint: 'python3 steps/….py', base: 'script',
    step: { run: 'python3 steps/script.py' } },
  { kind: 'matrix', label: 'Matrix step', hint: 'one task per value', base: 'sweep',
    step: { matrix: { x: [1, 2, 3] }, run: 'echo "x=${{ matrix.x }}"' } },
  { kind: 'gated', label: 'Gated step', hint: 'runs only if a condition holds', base: 'gate',
    step: { if: '${{ true }}', run: 'echo "the condition held"' } },
];

/** base, base-2, base-3, ...: the first not in ids (a Set or an array). */
export function uniqueId(base, ids) {
  const taken = ids instanceof Set ? ids : new Set(ids);
  let clean = String(base || 'step').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 56) || 'step';
  if (!taken.has(clean)) return clean;
  const m = /^(.*?)-(\d+)$/.exec(clean);
  const stem = m ? m[1] : clean;
  for (let i = m ? Number(m[2]) + 1 : 2; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/** The first line of a command, cut at 80 characters, with an ellipsis when cut or more lines follow (as the server does). */
export function summaryOf(run) {
  if (typeof run !== 'string') return run == null ? '' : String(run);
  const lines = run.trim().split(/\r?\n/);
  let first = lines[0].trim();
  let more = lines.length > 1;
  const chars = Array.from(first);
  if (chars.length > 80) { first = chars.slice(0, 79).join('').trimEnd(); more = true; }
  return more ? `${first}…` : first;
}

function conditionOf(expr) {
  if (expr == null || expr === '') return null;
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(String(expr));
  return (m ? m[1] : String(expr)).trim();
}

function matrixSize(matrix) {
  if (!matrix || typeof matrix !== 'object') return 0;
  let n = 1;
  for (const v of Object.values(matrix)) n *= Array.isArray(v) ? v.length : 1;
  return n;
}

const asList = (v) => (Array.isArray(v) ? v : v == null ? [] : [v]);

/** A canvas node for one step of the model (fields as written). */
export function stepNode(step) {
  const f = step.fields || {};
  const worker = f.worker && typeof f.worker === 'object' ? f.worker : {};
  return {
    id: step.id,
    summary: summaryOf(f.run),
    condition: conditionOf(f.if),
    retries: Number.isFinite(Number(f.retries)) ? Number(f.retries) : 0,
    timeout: f.timeout == null ? null : String(f.timeout),
    cache: f.cache === true,
    labels: asList(worker.labels).map(String),
    matrix: f.matrix && typeof f.matrix === 'object' ? f.matrix : null,
    matrixSize: matrixSize(f.matrix),
  };
}

/** The needs of a step as a list of ids (a single string is allowed by a lenient reader). */
export function needsOf(step) {
  return asList(step && step.fields ? step.fields.needs : null).map(String);
}

/**
 * The graph the canvas draws: a box per step of the model, an edge per need between known steps,
 * and the server's layout (tasks) folded onto steps: a step's box is its first task's box; the
 * routes of plain steps are kept, those of matrix steps left to the renderer.
 */
export function stepGraph(model, serverGraph) {
  const steps = (model && Array.isArray(model.steps)) ? model.steps : [];
  const ids = new Set(steps.map((s) => s.id));
  const nodes = steps.map(stepNode);
  const edges = [];
  const seen = new Set();
  for (const s of steps) {
    for (const need of needsOf(s)) {
      const key = `${need}\u0000${s.id}`;
      if (ids.has(need) && need !== s.id && !seen.has(key)) { seen.add(key); edges.push({ from: need, to: s.id }); }
    }
  }
  let layout = null;
  if (serverGraph && serverGraph.layout) {
    const stepOfTask = new Map((serverGraph.nodes || []).map((n) => [n.id, n.step || n.id]));
    const boxes = [];
    const taken = new Set();
    for (const b of serverGraph.layout.nodes || []) {
      const step = stepOfTask.get(b.id) || b.id;
      if (!ids.has(step) || taken.has(step)) continue;
      taken.add(step);
      boxes.push({ id: step, x: b.x, y: b.y, width: b.width, height: b.height });
    }
    const routes = (serverGraph.layout.edges || []).filter((r) => ids.has(r.from) && ids.has(r.to)
      && stepOfTask.get(r.from) === r.from && stepOfTask.get(r.to) === r.to);
    layout = { nodes: boxes, edges: routes };
  }
  return { graph: { nodes, edges }, layout };
}

/**
 * Positions to draw with: the pinned ones (placed by hand), and for a step without one, its layout
 * box when that overlaps no pinned box, else a free spot below everything. Returns {id: {x, y}}.
 */
export function placeUnpinned(ids, pinned, layoutBoxes) {
  const out = {};
  const placed = [];
  for (const id of ids) {
    const p = pinned[id];
    if (p) { out[id] = { x: p.x, y: p.y }; placed.push({ x: p.x, y: p.y, width: boxWidth(id), height: NODE_HEIGHT }); }
  }
  if (!placed.length) return out;
  let bottom = Math.max(...placed.map((b) => b.y + b.height));
  const left = Math.min(...placed.map((b) => b.x));
  for (const id of ids) {
    if (out[id]) continue;
    const b = layoutBoxes.get(id);
    const box = b ? { x: b.x, y: b.y, width: b.width, height: b.height } : null;
    if (box && !placed.some((q) => intersects(grow(q, 12), box))) {
      out[id] = { x: box.x, y: box.y };
      placed.push(box);
      continue;
    }
    const y = bottom + 32;
    out[id] = { x: left, y };
    placed.push({ x: left, y, width: boxWidth(id), height: NODE_HEIGHT });
    bottom = y + NODE_HEIGHT;
  }
  return out;
}

const grow = (b, d) => ({ x: b.x - d, y: b.y - d, width: b.width + 2 * d, height: b.height + 2 * d });

/** The step index and field a problem path points at: 'steps[2].needs[0]' -> {index: 2, field: 'needs'}. */
export function problemTarget(path) {
  const m = /^steps\[(\d+)\](?:\.([a-z_]+))?/.exec(path || '');
  if (m) return { index: Number(m[1]), field: m[2] || null };
  const p = /^([a-z_]+)/.exec(path || '');
  return { index: null, field: p ? p[1] : null };
}

/** Problems by step id: {id: [problem...]}, by the problem's step or its path. */
export function problemsByStep(problems, model) {
  const steps = (model && model.steps) || [];
  const out = {};
  for (const p of problems || []) {
    let id = p.step || null;
    if (!id) {
      const t = problemTarget(p.path);
      if (t.index !== null && steps[t.index]) id = steps[t.index].id;
    }
    if (id) (out[id] ||= []).push(p);
  }
  return out;
}

/** Problems not tied to a step (pipeline fields, syntax). */
export function pipelineProblems(problems, model) {
  const byStep = new Set(Object.values(problemsByStep(problems, model)).flat());
  return (problems || []).filter((p) => !byStep.has(p));
}

/** A form text as a YAML scalar: numbers and booleans by their look, else the string. */
export function parseScalar(text) {
  const t = String(text).trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?(\d+)(\.\d+)?([eE][-+]?\d+)?$/.test(t) && Number.isFinite(Number(t))) return Number(t);
  return String(text);
}

/**
 * parseScalar for the editor's forms: a number whose spelling JSON would lose (1.0, 1e3) is sent
 * as {$number: '1.0'}, so the server writes it as typed (a task named train[l2=1.0] keeps its name).
 */
export function parseTyped(text) {
  const v = parseScalar(text);
  const t = String(text).trim();
  return typeof v === 'number' && String(v) !== t ? { $number: t } : v;
}

/**
 * A field's value with the numbers the file spells otherwise than JSON (1.0) as {$number: '1.0'}
 * (the model's spelling map, by path prefix.key or prefix.key.index): what the forms show and send.
 */
export function spelled(value, spelling, prefix) {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !spelling) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out[k] = v.map((x, i) => (spelling[`${prefix}.${k}.${i}`] ? { $number: spelling[`${prefix}.${k}.${i}`] } : x));
    else out[k] = spelling[`${prefix}.${k}`] ? { $number: spelling[`${prefix}.${k}`] } : v;
  }
  return out;
}

/** The text of a form value: a spelled number as written. */
export function scalarText(v) {
  if (v && typeof v === 'object' && typeof v.$number === 'string') return v.$number;
  return v == null ? '' : String(v);
}

/** 'a, b,c' or one per line -> ['a', 'b', 'c'] (blank items dropped). */
export function parseList(text) {
  return String(text || '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

/** The text a list field shows. */
export function listText(v, sep = ', ') {
  return asList(v).map(scalarText).join(sep);
}

/** An error message for a step id typed in the form, or null when it is good and free. */
export function idProblem(id, ids, current) {
  if (!id) return 'an id is required';
  if (!ID_PATTERN.test(id)) return 'lower-case letters, digits, - and _ only (start with a letter or digit, at most 63)';
  if (id !== current && ids.includes(id)) return `'${id}' is already a step of this pipeline`;
  return null;
}

/** A step's fields for a paste: a fresh id, needs kept only to steps that exist. */
export function pastedStep(fields, id, ids) {
  const out = { id };
  for (const k of STEP_FIELDS) {
    if (fields[k] === undefined) continue;
    if (k === 'needs') {
      const needs = asList(fields.needs).filter((n) => ids.includes(n));
      if (needs.length) out.needs = needs;
    } else {
      out[k] = JSON.parse(JSON.stringify(fields[k]));
    }
  }
  return out;
}
