// Form widgets of the property panels. Each keeps what the user is typing: a value from the
// server replaces the shown one only while the widget does not have the focus.

import { h } from '../dom.js';

const focused = (el) => el && el.contains(document.activeElement);

function debounce(fn, ms) {
  let t = 0;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.flush = (...args) => { clearTimeout(t); fn(...args); };
  d.cancel = () => clearTimeout(t);
  return d;
}

function problemsList() {
  return h('ul', { class: 'ed-field-problems', 'data-test': 'field-problems' });
}

function showProblems(list, problems, input) {
  list.replaceChildren(...problems.map((p) => h('li', null, p.message + (p.hint ? ` (${p.hint})` : ''))));
  if (input) input.setAttribute('aria-invalid', problems.length ? 'true' : 'false');
}

/**
 * A labelled text input (or textarea with multiline) sending onValue(text) as the user types
 * (debounced) and on change. opts: {label, key, hint, placeholder, multiline, mono, type, rows, commit: 'input'|'change'}
 */
export function textField(opts, onValue) {
  const attrs = {
    name: opts.key, placeholder: opts.placeholder || '', spellcheck: 'false', autocomplete: 'off',
    'data-test': `field-${opts.key}`, class: opts.mono ? 'mono' : null,
  };
  const input = opts.multiline
    ? h('textarea', { ...attrs, rows: opts.rows || 3 })
    : h('input', { ...attrs, type: opts.type || 'text', min: opts.min, step: opts.step });
  if (opts.readonly) input.readOnly = true;
  const list = problemsList();
  const local = h('div', { class: 'ed-field-local', 'data-test': 'field-local-problem' });
  const el = h('label', { class: 'field ed-field' },
    h('span', null, opts.label, opts.hint ? h('span', { class: 'hint' }, ` ${opts.hint}`) : null),
    input, local, list);
  let last = '';
  const send = debounce(() => {
    if (input.value === last) return;
    if (opts.check) {
      const msg = opts.check(input.value);
      local.textContent = msg || '';
      if (msg) return;
    }
    last = input.value;
    onValue(input.value);
  }, opts.delay ?? 400);
  if ((opts.commit || 'input') === 'input') input.addEventListener('input', () => send());
  else input.addEventListener('input', () => { local.textContent = (opts.check && opts.check(input.value)) || ''; });
  input.addEventListener('change', () => send.flush());
  if (!opts.multiline) input.addEventListener('keydown', (e) => { if (e.key === 'Enter') send.flush(); });
  return {
    el,
    input,
    set(value) {
      const v = value == null ? '' : String(value);
      if (!focused(input)) { input.value = v; last = v; local.textContent = ''; }
    },
    problems: (ps) => showProblems(list, ps, input),
  };
}

/** A checkbox sending onValue(true|false). */
export function checkField(opts, onValue) {
  const input = h('input', { type: 'checkbox', name: opts.key, 'data-test': `field-${opts.key}` });
  const list = problemsList();
  const el = h('div', { class: 'ed-field' },
    h('label', { class: 'check' }, input, h('span', null, opts.label), opts.hint ? h('span', { class: 'hint muted small' }, opts.hint) : null),
    list);
  input.addEventListener('change', () => onValue(input.checked));
  return {
    el, input,
    set(value) { input.checked = value === true; },
    problems: (ps) => showProblems(list, ps, input),
  };
}

/**
 * Rows of name and value, for env, params and matrix. parse(valueText) gives the value to send;
 * show(value) the text of a value. onValue(object or null when empty).
 */
export function mapField(opts, onValue) {
  const rows = h('div', { class: 'ed-map-rows' });
  const list = problemsList();
  const add = h('button', { type: 'button', class: 'btn btn-sm btn-ghost ed-map-add', 'data-test': `field-${opts.key}-add` }, `+ ${opts.addLabel || 'Add'}`);
  const el = h('div', { class: 'field ed-field ed-map', 'data-test': `field-${opts.key}` },
    h('span', { class: 'label' }, opts.label, opts.hint ? h('span', { class: 'hint' }, ` ${opts.hint}`) : null),
    rows, add, list);
  const parse = opts.parse || ((t) => t);
  const show = opts.show || ((v) => (v == null ? '' : String(v)));
  let lastSent = null;

  const collect = () => {
    const out = {};
    for (const row of rows.children) {
      const [k, v] = row.querySelectorAll('input');
      if (k.value.trim() === '') continue;
      out[k.value.trim()] = parse(v.value);
    }
    return Object.keys(out).length ? out : null;
  };
  const send = debounce(() => {
    const value = collect();
    const json = JSON.stringify(value);
    if (json === lastSent) return;
    lastSent = json;
    onValue(value);
  }, 450);

  const row = (k = '', v = '') => {
    const key = h('input', { type: 'text', value: k, placeholder: opts.keyPlaceholder || 'name', spellcheck: 'false', 'aria-label': `${opts.label} name`, 'data-test': `field-${opts.key}-name` });
    const val = h('input', { type: 'text', value: v, placeholder: opts.valuePlaceholder || 'value', spellcheck: 'false', class: 'mono', 'aria-label': `${opts.label} value`, 'data-test': `field-${opts.key}-value` });
    const del = h('button', { type: 'button', class: 'btn btn-sm btn-ghost ed-map-del', title: 'Remove', 'aria-label': 'Remove' }, '×');
    const r = h('div', { class: 'ed-map-row' }, key, val, del);
    key.addEventListener('input', () => send());
    val.addEventListener('input', () => send());
    key.addEventListener('change', () => send.flush());
    val.addEventListener('change', () => send.flush());
    del.addEventListener('click', () => { r.remove(); send.flush(); });
    return r;
  };
  add.addEventListener('click', () => { const r = row(); rows.append(r); r.querySelector('input').focus(); });

  return {
    el,
    set(value) {
      if (focused(el)) return;
      const obj = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
      const json = JSON.stringify(Object.keys(obj).length ? obj : null);
      if (json === lastSent && rows.children.length) return;
      lastSent = json;
      rows.replaceChildren(...Object.entries(obj).map(([k, v]) => row(k, show(v))));
    },
    problems: (ps) => showProblems(list, ps, null),
  };
}

/** A read-only block of text lines (the schedule in words, next fire times). */
export function note(attrs = {}) {
  return h('div', { class: 'ed-note', ...attrs });
}

export { debounce };
