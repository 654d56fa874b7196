// The YAML view: CodeMirror 5 (WebJar) in YAML mode. Typing goes to the session (analysed after a
// pause); a text from the canvas or the history replaces only the lines that differ, so the
// cursor and the scroll stay. Problems get a gutter marker at their line and a list below.

import { h, useCss } from '../dom.js';
import { diffRange } from './diff.js';
import { completions, docAt } from './schema-complete.js';
import { request } from '../api.js';

let schemaLoading = null;
/** The pipeline language's JSON Schema (served by the server), once per page; null when not served. */
function pipelineSchema() {
  if (!schemaLoading) schemaLoading = request('GET', '/api/schema/pipeline.json').catch(() => null);
  return schemaLoading;
}

const CM = '/webjars/codemirror/5.65.16';
let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

/** Loads CodeMirror and its YAML mode once per page. */
export function loadCodeMirror() {
  if (!loading) {
    useCss(`${CM}/lib/codemirror.css`);
    useCss(`${CM}/addon/hint/show-hint.css`);
    loading = (window.CodeMirror ? Promise.resolve() : script(`${CM}/lib/codemirror.js`))
      .then(() => Promise.all([script(`${CM}/mode/yaml/yaml.js`), script(`${CM}/addon/selection/active-line.js`),
        script(`${CM}/addon/hint/show-hint.js`).catch(() => null)]))
      .then(() => window.CodeMirror)
      .catch((e) => { loading = null; throw e; });
  }
  return loading;
}

export function createYamlPane(container, session, { onProblemClick, keys }) {
  const host = h('div', { class: 'ed-yaml-host', 'data-test': 'yaml' });
  const list = h('div', { class: 'ed-problems', 'data-test': 'problems' });
  container.replaceChildren(host, list);
  let cm = null;
  let fallback = null;
  let shownRevision = -1;
  let shownProblems = null;
  let marked = [];
  let pendingState = null;

  const ready = loadCodeMirror().then((CodeMirror) => {
    const extraKeys = {
      Tab: (ed) => ed.replaceSelection('  '),
      'Ctrl-Z': () => keys.undo(), 'Cmd-Z': () => keys.undo(),
      'Shift-Ctrl-Z': () => keys.redo(), 'Shift-Cmd-Z': () => keys.redo(), 'Ctrl-Y': () => keys.redo(),
      'Ctrl-S': () => keys.save(), 'Cmd-S': () => keys.save(),
    };
    cm = CodeMirror(host, {
      value: '', mode: 'yaml', lineNumbers: true, indentUnit: 2, tabSize: 2, indentWithTabs: false,
      gutters: ['ed-gutter-problems', 'CodeMirror-linenumbers'], styleActiveLine: true, extraKeys,
      undoDepth: 0, // the session's history is the one undo of both views
      viewportMargin: 30,
    });
    cm.getWrapperElement().setAttribute('data-test', 'yaml-editor');
    // key completion from the schema: as a key is typed, or on Ctrl-Space
    const hint = (ed, schema) => {
      const cur = ed.getCursor();
      const c = completions(schema, ed.getValue(), cur.line, cur.ch);
      if (!c || !c.items.length) return null;
      return {
        from: CodeMirror.Pos(cur.line, c.from), to: CodeMirror.Pos(cur.line, c.to),
        list: c.items.map((it) => ({
          text: `${it.key}: `, displayText: it.key,
          render: (el) => {
            el.setAttribute('data-test', 'completion');
            el.title = it.doc;
            el.append(h('span', { class: 'ed-hint-key mono' }, it.key), h('span', { class: 'ed-hint-doc' }, it.doc));
          },
        })),
      };
    };
    const showHint = (ed) => pipelineSchema().then((schema) => {
      if (!schema || !ed.showHint) return;
      ed.showHint({ hint: (e) => hint(e, schema), completeSingle: false, closeCharacters: /[\s:()[\]{};>,]/ });
    });
    extraKeys['Ctrl-Space'] = (ed) => { showHint(ed); };
    cm.setOption('extraKeys', extraKeys);
    // hover docs: the key under the pointer says what it does (the schema's description)
    let hoverTimer = 0;
    cm.getWrapperElement().addEventListener('mousemove', (e) => {
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(() => pipelineSchema().then((schema) => {
        if (!schema) return;
        const pos = cm.coordsChar({ left: e.clientX, top: e.clientY }, 'window');
        const d = docAt(schema, cm.getValue(), pos.line, pos.ch);
        const el = cm.getWrapperElement();
        if (d && d.doc) { el.title = `${d.key}: ${d.doc}`; el.setAttribute('data-doc', d.key); } else { el.removeAttribute('title'); el.removeAttribute('data-doc'); }
      }), 120);
    });
    cm.on('inputRead', (ed, change) => {
      if (change.origin !== '+input' || !/^[A-Za-z_]$/.test(change.text.join(''))) return;
      if (ed.state.completionActive) return;
      showHint(ed);
    });
    cm.on('changes', (ed, changes) => {
      if (changes.every((c) => c.origin === 'sluice')) return;
      session.typed(ed.getValue());
    });
    if (pendingState) update(pendingState);
  }).catch(() => {
    // no CodeMirror (blocked or missing): a plain text area does the same job, without colours
    fallback = h('textarea', { class: 'ed-yaml-fallback mono', spellcheck: 'false', 'data-test': 'yaml-fallback' });
    fallback.addEventListener('input', () => session.typed(fallback.value));
    host.append(fallback);
    if (pendingState) update(pendingState);
  });

  function setText(text) {
    if (fallback) { if (fallback.value !== text) fallback.value = text; return; }
    const old = cm.getValue();
    if (old === text) return;
    const scroll = cm.getScrollInfo();
    const r = diffRange(old, text);
    cm.operation(() => {
      cm.replaceRange(r.text, cm.posFromIndex(r.from), cm.posFromIndex(r.to), 'sluice');
    });
    cm.scrollTo(scroll.left, scroll.top);
    // a change made in the form or on the canvas: show where it went in the text, briefly marked
    const from = cm.posFromIndex(r.from);
    const to = cm.posFromIndex(r.from + r.text.length);
    if (old === '' || to.line - from.line > 20) return; // a text loaded or replaced whole: nothing to point at
    cm.scrollIntoView({ from, to }, 40);
    const lines = [];
    for (let l = from.line; l <= to.line; l++) lines.push(cm.addLineClass(l, 'background', 'ed-line-changed'));
    setTimeout(() => { for (const h of lines) cm.removeLineClass(h, 'background', 'ed-line-changed'); }, 1500);
  }

  function showProblems(problems) {
    if (cm) {
      cm.operation(() => {
        cm.clearGutter('ed-gutter-problems');
        for (const line of marked) cm.removeLineClass(line, 'background', 'ed-line-problem');
        marked = [];
        const byLine = new Map();
        for (const p of problems) {
          if (!p.line) continue;
          const n = Math.min(cm.lineCount(), p.line) - 1;
          (byLine.get(n) || byLine.set(n, []).get(n)).push(p);
        }
        for (const [n, ps] of byLine) {
          const marker = h('span', { class: 'ed-gutter-marker', 'data-test': 'gutter-problem', title: ps.map((p) => p.message).join('\n') }, '●');
          cm.setGutterMarker(n, 'ed-gutter-problems', marker);
          marked.push(cm.addLineClass(n, 'background', 'ed-line-problem'));
        }
      });
    }
    if (!problems.length) {
      list.replaceChildren(h('div', { class: 'ed-problems-ok', 'data-test': 'problems-none' }, '✓ No problems'));
      return;
    }
    list.replaceChildren(
      h('div', { class: 'ed-problems-head' }, `${problems.length} problem${problems.length === 1 ? '' : 's'}`),
      h('ul', null, ...problems.map((p) => {
        const item = h('li', { class: 'ed-problem', 'data-test': 'problem', tabindex: '0' },
          h('span', { class: 'ed-problem-at mono' }, p.line ? `${p.line}:${p.column || 1}` : '—'),
          h('span', { class: 'ed-problem-msg' }, p.message, p.hint ? h('span', { class: 'muted' }, ` — ${p.hint}`) : null));
        const go = () => {
          if (cm && p.line) { cm.focus(); cm.setCursor({ line: p.line - 1, ch: Math.max(0, (p.column || 1) - 1) }); }
          if (onProblemClick) onProblemClick(p);
        };
        item.addEventListener('click', go);
        item.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
        return item;
      })));
  }

  function update(state) {
    pendingState = state;
    if (!cm && !fallback) return;
    if (state.textRevision !== shownRevision) {
      shownRevision = state.textRevision;
      setText(state.text);
    }
    if (state.problems !== shownProblems) {
      shownProblems = state.problems;
      showProblems(state.problems || []);
    }
  }

  return {
    ready,
    update,
    refresh() { if (cm) cm.refresh(); },
    focus() { if (cm) cm.focus(); },
    /** The text shown now (tests read it through the editor). */
    value: () => (cm ? cm.getValue() : fallback ? fallback.value : ''),
  };
}
