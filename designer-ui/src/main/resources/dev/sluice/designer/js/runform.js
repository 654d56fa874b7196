// The "start a run" form: one field per param, typed after its default; posts the run and
// resolves with its id (or undefined when cancelled).
import { h, modal, errorBox, replace } from './dom.js';
import { post, seg } from './api.js';

function field(param) {
  const id = `param-${param.name}`;
  const test = `param-${param.name}`;
  if (param.type === 'boolean') {
    const input = h('input', { type: 'checkbox', id, name: param.name, checked: param.default === true, 'data-test': test });
    return { input, el: h('label', { class: 'check', for: id }, input, h('span', { class: 'mono' }, param.name)),
      read: () => input.checked };
  }
  if (param.secret) {
    // the server never sends a secret param's default: an empty field keeps it (the param is not sent)
    const input = h('input', { type: 'password', id, name: param.name, value: '', autocomplete: 'off',
      placeholder: 'default kept unless you type a value', 'data-test': test });
    return {
      input,
      el: h('label', { class: 'field', for: id }, h('span', { class: 'row' }, h('span', { class: 'mono' }, param.name),
        h('span', { class: 'hint' }, `${param.type}, secret`)), input),
      read: () => (input.value === '' ? undefined : (param.type === 'string' ? input.value : Number(input.value))),
    };
  }
  const numeric = param.type === 'integer' || param.type === 'number';
  const input = h('input', {
    type: numeric ? 'number' : 'text', id, name: param.name, value: param.default === null || param.default === undefined ? '' : String(param.default),
    step: param.type === 'integer' ? '1' : (numeric ? 'any' : null), required: numeric, 'data-test': test, spellcheck: 'false',
  });
  return {
    input,
    el: h('label', { class: 'field', for: id }, h('span', { class: 'row' }, h('span', { class: 'mono' }, param.name),
      h('span', { class: 'hint' }, param.type)), input),
    read: () => (numeric ? Number(input.value) : input.value),
  };
}

/** Asks for the params of a pipeline ({name, params: [{name, type, default}]}) and starts a run. */
export async function startRun(pipeline) {
  const params = pipeline.params || [];
  if (!params.length) {
    const { id } = await post(`/api/pipelines/${seg(pipeline.name)}/runs`, {});
    return id;
  }
  return modal((close) => {
    const fields = params.map(field);
    const problem = h('div');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'run-submit' }, 'Start run');
    const form = h('form', { class: 'stack', 'data-test': 'run-form', novalidate: false },
      h('h2', null, 'Run ', h('span', { class: 'mono' }, pipeline.name)),
      h('p', { class: 'muted' }, 'Params start at their defaults.'),
      h('div', { class: 'stack' }, fields.map((f) => f.el)),
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, 'Cancel'),
        submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = {};
      params.forEach((p, i) => { const v = fields[i].read(); if (v !== undefined) values[p.name] = v; });
      submit.disabled = true;
      try {
        const { id } = await post(`/api/pipelines/${seg(pipeline.name)}/runs`, { params: values });
        close(id);
      } catch (err) {
        replace(problem, errorBox(err));
        submit.disabled = false;
      }
    });
    return form;
  }, { 'data-test': 'run-dialog' });
}
