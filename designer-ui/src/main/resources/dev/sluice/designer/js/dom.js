// DOM helpers. Every text goes in as a text node (textContent), never as HTML: ids, commands and
// log lines come from users and processes.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  if (!attrs) return el;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value); // CSSOM: allowed by the CSP
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h('button', {class: 'btn', onclick: f, 'data-test': 'run'}, 'Run') -> an element; strings become text nodes. */
export function h(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

/**
 * A name (params_like_this, a-step.name) as text with a line-break opportunity after each _ - . /:
 * it wraps between its words, not in the middle of one.
 */
export function breakable(text) {
  const out = [];
  for (const part of String(text).split(/(?<=[_\-./])/)) {
    if (out.length) out.push(document.createElement('wbr'));
    out.push(part);
  }
  return out;
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Adds a stylesheet to the page once (views that bring their own CSS call it when they mount). */
export function useCss(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** A status pill: the colours come from css/base.css (.status-RUNNING etc.). */
export function statusBadge(status, attrs = {}) {
  const st = String(status || 'PENDING').toUpperCase();
  return h('span', { ...attrs, class: ['status', `status-${st}`, attrs.class], 'data-status': st }, st.toLowerCase());
}

/** A small coloured dot for a status, with the text as its tooltip and accessible name. */
export function statusDot(status, title, attrs = {}) {
  const st = String(status || 'PENDING').toUpperCase();
  return h('span', { ...attrs, class: ['dot', `status-${st}`, attrs.class], title: title || st, 'aria-label': title || st, role: 'img' });
}

/** An empty-state panel. */
export function empty(title, text, ...actions) {
  return h('div', { class: 'empty' }, h('h2', null, title), text ? h('p', null, text) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

/** An error banner for a failed request. */
export function errorBox(err) {
  return h('div', { class: 'alert alert-error', role: 'alert', 'data-test': 'error' },
    h('strong', null, err && err.code ? err.code : 'error'), ' ', err && err.message ? err.message : String(err));
}

/** A short message at the bottom right for a few seconds. */
export function toast(message, attrs = {}) {
  const el = h('div', { class: 'toast', role: 'status', 'data-test': 'toast', ...attrs }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 5000);
  return el;
}

/** A modal dialog holding content; resolves with what close(value) was given (undefined on Escape). */
export function modal(build, attrs = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', ...attrs });
    let result;
    const close = (value) => { result = value; dialog.close(); };
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    dialog.append(build(close));
    document.body.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('input, select, textarea, button.btn-primary');
    if (first) first.focus();
  });
}

/** A small inline SVG icon by name. */
export function icon(name) {
  const paths = {
    play: 'M4 3l9 5-9 5z',
    pause: 'M4 3h3v10H4zM9 3h3v10H9z',
    edit: 'M11 2l3 3-8 8H3v-3zM9.5 3.5l3 3',
    clock: 'M8 1.5a6.5 6.5 0 100 13 6.5 6.5 0 000-13zM8 4v4l3 2',
    plus: 'M7 2h2v5h5v2H9v5H7V9H2V7h5z',
    stop: 'M4 4h8v8H4z',
    retry: 'M3 8a5 5 0 019-3V2h2v6H8V6h2.6A3 3 0 105 8z',
    download: 'M7 2h2v6l2.5-2.5L13 7l-5 5-5-5 1.5-1.5L7 8zM3 13h10v1.5H3z',
  };
  const d = paths[name] || '';
  const stroke = name === 'clock' || name === 'edit';
  return s('svg', { viewBox: '0 0 16 16', 'aria-hidden': 'true', class: `icon icon-${name}` },
    s('path', stroke ? { d, fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } : { d }));
}
