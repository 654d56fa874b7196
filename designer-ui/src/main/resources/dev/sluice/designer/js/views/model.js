// #/models/{name} : one model. Its versions newest first with their metrics side by side, its
// aliases as badges, moving an alias (promote or roll back: a confirmation with a required note,
// compare-and-set on the version the page saw), the history of every alias move, links to the
// producing runs and to lineage.
import { h, replace, empty, errorBox, toast, modal } from '../dom.js';
import { get, put, seg } from '../api.js';
import { relative, dateTime, value } from '../format.js';
import { metricColumns, bestValues, movedBy, moveText, aliasMove, isRollback, ALIAS } from '../registry-model.js';
import { aliasBadges } from './models.js';
import { keys, actions } from '../store.js';

export function mount(root, store, params) {
  const name = params.name;
  let alive = true;
  const enc = encodeURIComponent(name);
  const header = h('div', { class: 'page-header' });
  const notice = h('div', { 'data-test': 'model-notice' });
  const promoteCard = h('section', { class: 'card' });
  const versionsCard = h('section', { class: 'card' });
  const historyCard = h('section', { class: 'card' });
  const content = h('div', { class: 'stack model-stack' }, h('div', { class: 'loading' }, 'Loading the model…'));
  replace(root, h('section', { class: 'page page-wide model-page', 'data-test': 'model-page', 'data-model': name }, header, notice, content));

  const model = () => store.get(keys.model(name));

  const load = async () => {
    try {
      const m = await get(`/api/models/${seg(name)}`);
      if (alive) actions.modelLoaded(store, name, m);
    } catch (e) {
      if (!alive) return;
      replace(content, e.status === 404
        ? empty('No such model', `There is no model ${name}.`, h('a', { class: 'btn', href: '#/models' }, 'All models'))
        : errorBox(e));
    }
  };

  /** Asks for the note, then moves the alias; a 409 says where the alias is now and reloads. */
  const move = async (version, alias) => {
    const m = model();
    const seen = { ...(m.aliases || {}) };
    const from = seen[alias];
    const back = isRollback(version, seen, alias);
    const note = await modal((close) => {
      const text = h('textarea', { name: 'note', rows: 3, required: true, 'data-test': 'note', placeholder: back ? 'why roll back, e.g. v3 regressed on the new batch' : 'why promote, e.g. auc 0.91 beats 0.88' });
      const error = h('p', { class: 'small field-error', hidden: true }, 'A note is required: it is kept in the alias history.');
      const form = h('form', { class: 'stack', method: 'dialog', novalidate: true },
        h('h2', null, back ? 'Roll back ' : 'Move ', h('span', { class: 'mono' }, alias)),
        h('p', { 'data-test': 'move-summary' }, from === undefined
          ? `Set ${alias} to version ${version} of ${name}.`
          : `Move ${alias} of ${name} from version ${from} to version ${version}.`),
        h('label', { class: 'field' }, h('span', null, 'Note (required)'), text, error),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(undefined) }, 'Cancel'),
          h('button', { type: 'submit', class: back ? 'btn btn-danger' : 'btn btn-primary', 'data-test': 'confirm-move' }, back ? 'Roll back' : 'Move alias')));
      text.addEventListener('input', () => { if (text.value.trim()) { error.hidden = true; text.setAttribute('aria-invalid', 'false'); } });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        if (!text.value.trim()) { error.hidden = false; text.setAttribute('aria-invalid', 'true'); text.focus(); return; }
        close(text.value);
      });
      return form;
    }, { 'data-test': 'move-dialog', 'aria-label': `Move ${alias}` });
    if (note === undefined) return;
    try {
      const res = await put(`/api/models/${seg(name)}/aliases/${seg(alias)}`, aliasMove(version, seen, alias, note));
      replace(notice);
      toast(`${alias} → version ${res.version}`);
    } catch (e) {
      if (e.status === 409) {
        replace(notice, h('div', { class: 'alert alert-error', role: 'alert', 'data-test': 'conflict' },
          h('strong', null, 'Not moved: '), e.message,
          e.body && e.body.current_version !== undefined ? ` (someone moved it meanwhile; the page now shows ${alias} at ${e.body.current_version === null ? 'no version' : `version ${e.body.current_version}`}: check and try again)` : ''));
      } else {
        replace(notice, errorBox(e));
      }
    }
    await load();
  };

  const renderHeader = (m) => {
    const champion = (m.aliases || {}).champion;
    replace(header,
      h('div', { class: 'titles' },
        h('div', { class: 'crumbs' }, h('a', { href: '#/models' }, 'Models'), h('span', null, '/')),
        h('div', { class: 'row title-row' }, h('h1', { 'data-test': 'model-name' }, m.name), h('div', { class: 'row wrap', 'data-test': 'aliases' }, aliasBadges(m.aliases, m.name))),
        m.description ? h('p', { class: 'subtitle' }, m.description) : null),
      h('div', { class: 'actions' },
        h('a', { class: 'btn', 'data-test': 'lineage-link',
          href: `#/lineage?model=${encodeURIComponent(champion !== undefined ? `${m.name}@champion` : `${m.name}:${(m.versions[0] || {}).version}`)}` }, 'Lineage')));
  };

  const renderPromote = (m, chosenVersion, chosenAlias) => {
    const versions = m.versions || [];
    const aliases = Object.keys(m.aliases || {});
    const versionSelect = h('select', { 'data-test': 'move-version', 'aria-label': 'Version' },
      versions.map((v) => h('option', { value: String(v.version), selected: String(v.version) === String(chosenVersion) },
        `v${v.version}${(v.aliases || []).length ? ` (${v.aliases.join(', ')})` : ''}`)));
    const listId = `aliases-${Math.random().toString(36).slice(2)}`;
    const aliasInput = h('input', { type: 'text', list: listId, 'data-test': 'move-alias', 'aria-label': 'Alias', value: chosenAlias || (aliases.includes('champion') || !aliases.length ? 'champion' : aliases[0]),
      autocomplete: 'off', spellcheck: 'false' });
    const aliasList = h('datalist', { id: listId }, [...new Set(['champion', 'candidate', ...aliases])].map((a) => h('option', { value: a })));
    const hint = h('span', { class: 'muted small', 'data-test': 'move-hint' });
    const go = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'move' }, 'Move alias…');
    const update = () => {
      const alias = aliasInput.value.trim();
      const ok = ALIAS.test(alias);
      aliasInput.setAttribute('aria-invalid', ok ? 'false' : 'true');
      const cur = (m.aliases || {})[alias];
      go.disabled = !ok || String(cur) === versionSelect.value;
      hint.textContent = !ok ? 'an alias is a-z, 0-9, _ or -, starting with a letter'
        : cur === undefined ? `${alias} is not set yet` : String(cur) === versionSelect.value ? `${alias} is already at v${cur}`
          : isRollback(versionSelect.value, m.aliases, alias) ? `rolls ${alias} back from v${cur}` : `promotes: ${alias} is at v${cur}`;
    };
    versionSelect.addEventListener('change', update);
    aliasInput.addEventListener('input', update);
    go.addEventListener('click', () => move(Number(versionSelect.value), aliasInput.value.trim()));
    update();
    replace(promoteCard,
      h('div', { class: 'card-header' }, h('h2', null, 'Promote or roll back')),
      h('div', { class: 'card-body' }, h('div', { class: 'toolbar promote-bar' },
        h('label', { class: 'field inline' }, h('span', null, 'Version'), versionSelect),
        h('label', { class: 'field inline' }, h('span', null, 'Alias'), aliasInput, aliasList),
        go, hint)));
    return (version, alias) => { versionSelect.value = String(version); if (alias) aliasInput.value = alias; update(); promoteCard.scrollIntoView({ block: 'nearest' }); };
  };

  const renderVersions = (m, prefill) => {
    const versions = m.versions || [];
    const cols = metricColumns(versions);
    const best = bestValues(versions, cols);
    replace(versionsCard,
      h('div', { class: 'card-header' }, h('h2', null, `Versions (${versions.length})`), h('span', { class: 'spacer' }),
        h('span', { class: 'muted small' }, 'Newest first; the best value of each metric is bold.')),
      versions.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'table versions-table', 'data-test': 'versions' },
        h('thead', null, h('tr', null, h('th', null, 'Version'), h('th', null, 'Aliases'),
          cols.map((c) => h('th', { class: 'num mono metric-col', title: c }, c)),
          h('th', null, 'Created'), h('th', null, 'Run'), h('th', null, ''))),
        h('tbody', null, versions.map((v) => h('tr', { 'data-test': 'version-row', 'data-version': String(v.version) },
          h('td', null, h('a', { class: 'mono', href: `#/models/${enc}/versions/${v.version}`, 'data-test': 'version-link' }, `v${v.version}`)),
          h('td', null, h('div', { class: 'row wrap' }, (v.aliases || []).map((a) => h('span', { class: ['badge', 'alias-badge', a === 'champion' && 'alias-champion'] }, a)))),
          cols.map((c) => {
            const x = (v.metrics || {})[c];
            return h('td', { class: ['num', 'mono', x !== undefined && x === best[c] && versions.length > 1 && 'best'], 'data-metric': c }, value(x));
          }),
          h('td', { class: 'nowrap muted', title: dateTime(v.created_at) }, relative(v.created_at)),
          h('td', { class: 'nowrap' }, v.run_id ? h('a', { class: 'mono small', href: `#/runs/${encodeURIComponent(v.run_id)}${v.task_id ? `?step=${encodeURIComponent(v.task_id)}` : ''}`, 'data-test': 'run-link' }, v.run_id) : '—'),
          h('td', { class: 'nowrap actions' },
            h('a', { class: 'btn btn-sm btn-ghost', href: `#/lineage?model=${encodeURIComponent(`${m.name}:${v.version}`)}`, 'data-test': 'version-lineage' }, 'Lineage'),
            h('button', { class: 'btn btn-sm', type: 'button', 'data-test': 'promote-version', onclick: () => prefill(v.version) }, 'Promote…')))))))
        : h('div', { class: 'card-body muted' }, 'No versions.'));
  };

  const renderHistory = (m) => {
    const history = [...(m.history || [])].sort((a, b) => (b.id || 0) - (a.id || 0) || String(b.at).localeCompare(String(a.at)));
    replace(historyCard,
      h('div', { class: 'card-header' }, h('h2', null, 'Alias history')),
      history.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'table', 'data-test': 'history' },
        h('thead', null, h('tr', null, h('th', null, 'Alias'), h('th', null, 'Move'), h('th', null, 'When'), h('th', null, 'By'), h('th', null, 'Note'))),
        h('tbody', null, history.map((e) => {
          const by = movedBy(e.by);
          return h('tr', { 'data-test': 'history-row', 'data-alias': e.alias },
            h('td', null, h('span', { class: ['badge', 'alias-badge', e.alias === 'champion' && 'alias-champion'] }, e.alias)),
            h('td', { class: 'mono nowrap' }, moveText(e)),
            h('td', { class: 'nowrap', title: dateTime(e.at) }, relative(e.at)),
            h('td', { class: 'nowrap' }, by.runId
              ? h('a', { class: 'mono small', href: `#/runs/${encodeURIComponent(by.runId)}` }, by.text)
              : h('span', { class: 'badge' }, by.text)),
            h('td', { class: 'note', 'data-test': 'history-note' }, e.note || h('span', { class: 'muted' }, '—')));
        }))))
        : h('div', { class: 'card-body muted' }, 'No alias has moved yet.'));
  };

  const render = () => {
    const m = model();
    if (!m) return;
    renderHeader(m);
    const chosen = promoteCard.querySelector('[data-test=move-version]');
    const chosenAlias = promoteCard.querySelector('[data-test=move-alias]');
    const prefill = renderPromote(m, chosen ? chosen.value : (m.versions[0] || {}).version, chosenAlias && chosenAlias.value);
    renderVersions(m, prefill);
    renderHistory(m);
    if (!content.contains(versionsCard)) replace(content, promoteCard, versionsCard, historyCard);
  };

  const unsubscribe = store.subscribe(render, [keys.model(name)]);
  load();
  return () => { alive = false; unsubscribe(); actions.forget(store, keys.model(name)); };
}
