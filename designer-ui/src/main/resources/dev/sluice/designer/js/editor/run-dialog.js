// Run: a form of the pipeline's params (their defaults filled in), then the run view.
import { h, breakable } from '../dom.js';
import { request, seg } from '../api.js';
import { parseScalar } from './model.js';

/** Opens the params form; resolves to the new run's id, or null when cancelled. */
export function askRun(name, params) {
  return new Promise((resolve) => {
    const entries = Object.entries(params || {});
    const inputs = entries.map(([k, v]) => {
      if (typeof v === 'boolean') {
        const input = h('input', { type: 'checkbox', name: k, checked: v, 'data-test': `run-param-${k}` });
        return { k, input, read: () => input.checked, el: h('label', { class: 'check' }, input, h('span', { class: 'mono name-cell' }, breakable(k))) };
      }
      const input = h('input', { type: typeof v === 'number' ? 'number' : 'text', name: k, value: String(v ?? ''), step: 'any', 'data-test': `run-param-${k}` });
      return { k, input, read: () => (typeof v === 'number' ? parseScalar(input.value) : input.value),
        el: h('label', { class: 'field' }, h('span', { class: 'mono name-cell' }, breakable(k)), input) };
    });
    const error = h('div', { class: 'alert alert-error', hidden: true, 'data-test': 'run-error' });
    const go = h('button', { type: 'submit', class: 'btn btn-primary', value: 'run', 'data-test': 'run-start' }, 'Start run');
    const cancel = h('button', { type: 'button', class: 'btn', 'data-test': 'run-cancel' }, 'Cancel');
    const form = h('form', { class: 'stack', method: 'dialog' },
      h('h2', null, 'Run ', h('span', { class: 'mono' }, name)),
      entries.length ? h('p', { class: 'muted' }, 'Parameters for this run (the defaults are filled in).')
        : h('p', { class: 'muted' }, 'This pipeline has no parameters.'),
      ...inputs.map((i) => i.el),
      error,
      h('div', { class: 'actions' }, cancel, go));
    const dialog = h('dialog', { class: 'dialog', 'data-test': 'run-dialog' }, form);
    let done = false;
    const finish = (id) => { if (done) return; done = true; dialog.close(); dialog.remove(); resolve(id); };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', () => finish(null));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      go.disabled = true;
      error.hidden = true;
      const body = { params: Object.fromEntries(inputs.map((i) => [i.k, i.read()])) };
      try {
        const r = await request('POST', `/api/pipelines/${seg(name)}/runs`, body);
        finish(r.id);
      } catch (err) {
        error.textContent = err.message || String(err);
        error.hidden = false;
        go.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    (inputs[0] ? inputs[0].input : go).focus();
  });
}
