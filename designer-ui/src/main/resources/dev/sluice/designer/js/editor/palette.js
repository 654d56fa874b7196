// The palette: step templates to drag onto the canvas (pointer events, not HTML5 drag and drop,
// which neither touch screens nor WebDriver's actions drive). A click adds the step too.

import { h } from '../dom.js';
import { TEMPLATES } from './model.js';

const ICONS = {
  shell: '$_',
  python: 'py',
  matrix: '⊞',
  gated: '?',
};

export function createPalette(container, { onDrop, onAdd }) {
  const items = TEMPLATES.map((t) => {
    const item = h('div', {
      class: `ed-tpl ed-tpl-${t.kind}`, role: 'button', tabindex: '0', 'data-test': `palette-${t.kind}`,
      title: `Drag onto the canvas, or click to add ${t.label.toLowerCase()}`,
    },
    h('span', { class: 'ed-tpl-icon', 'aria-hidden': 'true' }, ICONS[t.kind]),
    h('span', { class: 'ed-tpl-text' }, h('span', { class: 'ed-tpl-label' }, t.label), h('span', { class: 'ed-tpl-hint' }, t.hint)));
    item.addEventListener('pointerdown', (e) => start(e, t, item));
    item.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAdd(t); } });
    return item;
  });
  container.replaceChildren(
    h('div', { class: 'ed-palette-title section-title' }, 'Steps'),
    ...items,
    h('p', { class: 'ed-palette-help' }, 'Drag a step onto the canvas. Drag from a box\'s right dot to another box to make it wait for the first.'));

  function start(e, t, item) {
    if (e.button !== 0) return;
    e.preventDefault();
    item.setPointerCapture(e.pointerId);
    const x0 = e.clientX, y0 = e.clientY;
    let ghost = null;
    const move = (ev) => {
      if (!ghost && Math.abs(ev.clientX - x0) + Math.abs(ev.clientY - y0) < 4) return;
      if (!ghost) {
        ghost = h('div', { class: 'ed-drag-ghost', 'data-test': 'drag-ghost' },
          h('span', { class: 'ed-tpl-icon' }, ICONS[t.kind]), h('span', null, t.label));
        document.body.append(ghost);
        document.body.classList.add('ed-dragging');
      }
      ghost.style.transform = `translate(${ev.clientX - 20}px, ${ev.clientY - 18}px)`;
    };
    const end = (ev, cancelled) => {
      item.removeEventListener('pointermove', move);
      item.removeEventListener('pointerup', up);
      item.removeEventListener('pointercancel', cancel);
      document.body.classList.remove('ed-dragging');
      if (ghost) {
        ghost.remove();
        if (!cancelled) onDrop(t, ev.clientX, ev.clientY);
      } else if (!cancelled) {
        onAdd(t);
      }
    };
    const up = (ev) => end(ev, false);
    const cancel = (ev) => end(ev, true);
    item.addEventListener('pointermove', move);
    item.addEventListener('pointerup', up);
    item.addEventListener('pointercancel', cancel);
  }

  return { items };
}
