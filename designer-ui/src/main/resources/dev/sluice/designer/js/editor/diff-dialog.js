// A dialog showing the line diff of two texts, with the choices the caller gives; resolves with
// the value of the choice taken (undefined on Escape or Cancel).

import { h, modal } from '../dom.js';
import { lineDiff, hunks } from './linediff.js';

/** The diff of a and b as a table of lines (- removed, + added), unchanged runs folded. */
export function diffTable(a, b) {
  const rows = hunks(lineDiff(a, b));
  if (!rows.some((r) => r.type !== 'same' && r.type !== 'gap')) return h('p', { class: 'muted', 'data-test': 'diff-none' }, 'No difference.');
  return h('div', { class: 'ed-diff', 'data-test': 'diff' },
    rows.map((r) => (r.type === 'gap'
      ? h('div', { class: 'ed-diff-gap' }, `⋯ ${r.count} unchanged line${r.count === 1 ? '' : 's'}`)
      : h('div', { class: ['ed-diff-line', `ed-diff-${r.type}`], 'data-test': `diff-${r.type}` },
        h('span', { class: 'ed-diff-no' }, r.a ?? ''), h('span', { class: 'ed-diff-no' }, r.b ?? ''),
        h('span', { class: 'ed-diff-sign' }, r.type === 'del' ? '−' : r.type === 'add' ? '+' : ' '),
        h('span', { class: 'ed-diff-text' }, r.text)))));
}

/**
 * opts: {title, text (a paragraph), a, b, labelA, labelB, choices: [{label, value, test, primary, danger}], test}
 */
export function askWithDiff(opts) {
  return modal((close) => {
    const buttons = (opts.choices || []).map((c) => h('button', {
      type: 'button', class: ['btn', c.primary && 'btn-primary', c.danger && 'btn-danger'], 'data-test': c.test,
      onclick: () => close(c.value),
    }, c.label));
    return h('div', { class: 'dialog-body stack' },
      h('h2', null, opts.title),
      opts.text ? h('p', { class: 'muted' }, opts.text) : null,
      opts.labelA ? h('p', { class: 'small muted' }, h('span', { class: 'ed-diff-key ed-diff-del' }, '− ', opts.labelA), '  ',
        h('span', { class: 'ed-diff-key ed-diff-add' }, '+ ', opts.labelB)) : null,
      diffTable(opts.a, opts.b),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', 'data-test': 'diff-cancel', onclick: () => close(undefined) }, 'Cancel'),
        buttons));
  }, { class: 'dialog ed-diff-dialog', 'data-test': opts.test || 'diff-dialog' });
}
