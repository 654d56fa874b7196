// The property panel of the selected step: every step field of the spec. Each change is an edit
// op (setStepField, renameStep, connect, disconnect); the server's problems show under their field.

import { h } from '../dom.js';
import { textField, checkField, mapField } from './fields.js';
import { parseScalar, parseTyped, spelled, parseList, listText, idProblem, problemTarget, needsOf } from './model.js';
import { pointerMessage } from './feedback.js';

const num = (t) => {
  const s = String(t).trim();
  if (s === '') return null;
  return /^-?\d+$/.test(s) ? Number(s) : s; // a non-number goes to the server as written, which explains it
};
const textOrNull = (t) => (String(t).trim() === '' ? null : String(t));
const listOrNull = (t) => { const l = parseList(t); return l.length ? l : null; };

export function createStepPanel(container, session, { onBack, onDeleted }) {
  let id = null;
  let widgets = [];
  let needsBox = null;
  let needsShown = { step: null, ids: null }; // what the needs were drawn from
  let topProblems = null;
  let el = null;

  const setField = (field, value) => session.apply([{ op: 'setStepField', id, field, value }])
    .catch((e) => panelError(e));

  const panelError = (e) => {
    if (!topProblems) return;
    topProblems.replaceChildren(h('li', null, e.message || String(e)));
  };

  function build(step) {
    id = step.id;
    const w = (key, widget, read) => { widgets.push({ key, widget, read }); return widget.el; };
    widgets = [];
    const idField = textField({ label: 'Id', key: 'id', commit: 'change', hint: 'unique; renaming also renames it in needs and expressions',
      check: (v) => idProblem(v.trim(), currentIds(), id) }, (v) => {
      const to = v.trim();
      if (to === id) return;
      const from = id;
      session.apply([{ op: 'renameStep', id: from, to }]).then(() => {
        id = to;
        session.renamePinned(from, to);
        session.select({ type: 'node', id: to });
      }).catch((e) => { idField.set(from); panelError(e); });
    });
    topProblems = h('ul', { class: 'ed-field-problems ed-panel-problems', 'data-test': 'step-problems' });
    needsBox = h('div', { class: 'field ed-field ed-needs', 'data-test': 'field-needs' });
    needsShown = { step: null, ids: null };
    const remove = h('button', { type: 'button', class: 'btn btn-sm btn-danger', 'data-test': 'step-delete' }, 'Delete step');
    remove.addEventListener('click', () => {
      const gone = id;
      session.apply([{ op: 'removeStep', id: gone }]).then(() => onDeleted && onDeleted(gone)).catch(panelError);
    });
    const back = h('button', { type: 'button', class: 'btn btn-sm btn-ghost ed-back', 'data-test': 'to-pipeline' }, '← Pipeline');
    back.addEventListener('click', () => onBack && onBack());

    el = h('div', { class: 'ed-panel', 'data-test': 'step-panel' },
      h('div', { class: 'ed-panel-head' }, back, h('span', { class: 'spacer' }), remove),
      h('h2', { class: 'ed-panel-title' }, 'Step ', h('span', { class: 'mono', 'data-test': 'step-panel-id' }, step.id)),
      topProblems,
      w('id', idField, (s) => s.id),
      w('run', textField({ label: 'Command', key: 'run', multiline: true, mono: true, rows: 4, hint: 'run with /bin/sh -c; ${{ params.x }} is quoted as one word' },
        (v) => setField('run', v)), (f) => f.run),
      needsBox,
      h('details', { class: 'ed-group', open: true },
        h('summary', null, 'Execution'),
        h('div', { class: 'ed-grid' },
          w('retries', textField({ label: 'Retries', key: 'retries', type: 'number', min: 0, placeholder: '0' }, (v) => setField('retries', num(v))), (f) => f.retries),
          w('retry_delay', textField({ label: 'Retry delay', key: 'retry_delay', placeholder: '5s' }, (v) => setField('retry_delay', textOrNull(v))), (f) => f.retry_delay),
          w('timeout', textField({ label: 'Timeout', key: 'timeout', placeholder: 'none, e.g. 30m' }, (v) => setField('timeout', textOrNull(v))), (f) => f.timeout),
          w('worker', textField({ label: 'Worker labels', key: 'worker', placeholder: 'gpu, big-mem' },
            (v) => setField('worker', listOrNull(v) ? { labels: parseList(v) } : null)), (f) => listText(f.worker && f.worker.labels))),
        w('if', textField({ label: 'Run only if', key: 'if', mono: true, placeholder: '${{ steps.evaluate.metrics.auc >= 0.8 }}', hint: 'skipped when false' },
          (v) => setField('if', textOrNull(v))), (f) => f.if),
        w('workdir', textField({ label: 'Working directory', key: 'workdir', placeholder: 'the pipeline file\'s folder' }, (v) => setField('workdir', textOrNull(v))), (f) => f.workdir)),
      h('details', { class: 'ed-group', open: true },
        h('summary', null, 'Inputs and outputs'),
        w('outputs', textField({ label: 'Outputs', key: 'outputs', multiline: true, mono: true, rows: 2, hint: 'one path per line, under $SLUICE_OUTPUTS' },
          (v) => setField('outputs', listOrNull(v))), (f) => listText(f.outputs, '\n')),
        w('env', mapField({ label: 'Environment', key: 'env', addLabel: 'Variable', keyPlaceholder: 'NAME' },
          (v) => setField('env', v)), (f) => f.env),
        w('matrix', mapField({ label: 'Matrix', key: 'matrix', addLabel: 'Dimension', valuePlaceholder: '0.1, 1.0, 10', hint: 'one task per combination',
          parse: (t) => parseList(t).map(parseTyped), show: (v) => listText(v) }, (v) => setField('matrix', v)), (f, step, model) => spelled(f.matrix, model && model.spelling, `steps.${step.id}.matrix`))),
      h('details', { class: 'ed-group', open: true },
        h('summary', null, 'Cache'),
        w('cache', checkField({ label: 'Reuse outputs of an identical earlier attempt', key: 'cache' }, (v) => setField('cache', v ? true : null)), (f) => f.cache),
        w('cache_files', textField({ label: 'Cache files', key: 'cache_files', multiline: true, mono: true, rows: 2, hint: 'files whose content is part of the cache key' },
          (v) => setField('cache_files', listOrNull(v))), (f) => listText(f.cache_files, '\n'))));
    container.replaceChildren(el);
  }

  let ids = [];
  const currentIds = () => ids;

  function renderNeeds(step, steps) {
    const needs = needsOf(step);
    const chips = needs.map((n) => {
      const x = h('button', { type: 'button', class: 'ed-chip-x', title: `Remove the need on ${n}`, 'aria-label': `Remove ${n}` }, '×');
      x.addEventListener('click', () => session.apply([{ op: 'disconnect', from: n, to: id }]).catch(panelError));
      return h('span', { class: 'ed-chip', 'data-test': 'need' }, h('span', { class: 'mono' }, n), x);
    });
    const others = steps.length - 1 - needs.filter((n) => n !== id && ids.includes(n)).length;
    const select = h('select', { 'data-test': 'field-needs-add', 'aria-label': 'Add an upstream step' },
      h('option', { value: '' }, others > 0 ? 'Add upstream step…' : 'no other step'));
    select.disabled = others <= 0;
    // the other steps (2,000 options in a large pipeline) are listed when the list is opened, not at each change
    let filled = false;
    const fill = () => {
      if (filled) return;
      filled = true;
      const taken = new Set(needs);
      const frag = document.createDocumentFragment();
      for (const s of steps) if (s.id !== id && !taken.has(s.id)) frag.append(h('option', { value: s.id }, s.id));
      select.append(frag);
    };
    select.addEventListener('pointerdown', fill);
    select.addEventListener('focus', fill);
    select.addEventListener('keydown', fill);
    select.addEventListener('change', () => {
      const from = select.value;
      if (!from) return;
      const r = select.getBoundingClientRect();
      session.apply([{ op: 'connect', from, to: id }]).catch((e) => {
        select.value = '';
        pointerMessage(e.message || String(e), r.left, r.bottom);
      });
    });
    needsBox.replaceChildren(
      h('span', { class: 'label' }, 'Needs', h('span', { class: 'hint' }, ' runs after these succeeded')),
      h('div', { class: 'ed-chips' }, chips.length ? chips : h('span', { class: 'muted small' }, 'none: starts first')),
      select);
  }

  return {
    /** Shows the step (or nothing when id is null); problems are this step's. */
    update(state, stepId) {
      const steps = (state.model && state.model.steps) || [];
      ids = steps.map((s) => s.id);
      const step = steps.find((s) => s.id === stepId);
      if (!step) { id = null; container.replaceChildren(); return; }
      if (step.id !== id || !el || !container.contains(el)) build(step);
      const f = step.fields || {};
      for (const { key, widget, read } of widgets) widget.set(key === 'id' ? step.id : read(f, step, state.model));
      el.querySelector('[data-test="step-panel-id"]').textContent = step.id;
      // the needs' chips and the list of 2,000 other steps are made again only when the step or the ids changed
      const idsKey = ids.join('\n');
      if (step !== needsShown.step || idsKey !== needsShown.ids) {
        needsShown = { step, ids: idsKey };
        renderNeeds(step, steps);
      }
      const mine = (state.problems || []).filter((p) => p.step === step.id
        || (problemTarget(p.path).index !== null && steps[problemTarget(p.path).index] === step));
      const byField = new Map();
      const rest = [];
      for (const p of mine) {
        const field = problemTarget(p.path).field;
        const w = widgets.find((x) => x.key === field);
        if (w) (byField.get(field) || byField.set(field, []).get(field)).push(p); else rest.push(p);
      }
      for (const { key, widget } of widgets) widget.problems(byField.get(key) || []);
      topProblems.replaceChildren(...rest.map((p) => h('li', null, p.message)));
    },
    focusId() {
      const input = el && el.querySelector('[data-test="field-id"]');
      if (input) { input.focus(); input.select(); }
    },
  };
}
