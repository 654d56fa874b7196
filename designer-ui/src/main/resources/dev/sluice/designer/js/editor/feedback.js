// Short messages: one at the pointer (a refused edge), one in the corner (saved, failed).
import { h } from '../dom.js';

/** Shows text next to the pointer for a few seconds (the cycle message of a refused edge). */
export function pointerMessage(text, clientX, clientY, ms = 4500) {
  for (const old of document.querySelectorAll('.ed-pointer-msg')) old.remove();
  const el = h('div', { class: 'ed-pointer-msg', role: 'alert', 'data-test': 'pointer-message' }, text);
  document.body.append(el);
  const w = el.offsetWidth, hgt = el.offsetHeight;
  const x = Math.max(8, Math.min(window.innerWidth - w - 8, clientX + 14));
  const y = Math.max(8, Math.min(window.innerHeight - hgt - 8, clientY + 14));
  el.style.left = `${x}px`;
  el.style.top = `${y}px`;
  const timer = setTimeout(() => el.remove(), ms);
  el.addEventListener('click', () => { clearTimeout(timer); el.remove(); });
  return el;
}

/** A message in the corner; kind 'ok' or 'error'. */
export function notify(text, kind = 'ok', ms = 3500) {
  for (const old of document.querySelectorAll('.ed-toast')) old.remove();
  const el = h('div', { class: `toast ed-toast ed-toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-test': 'toast' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), ms);
  return el;
}
