// #/alerts : the alerts that fired, newest first, filtered by pipeline and severity; each with its
// run, severity, message (text, whatever it holds), time, the run it triggered, and its delivery
// state per channel.
import { h, replace, empty, errorBox, toast } from '../dom.js';
import { get, post, query, seg } from '../api.js';
import { relative, dateTime } from '../format.js';
import { keys, actions } from '../store.js';

const SEVERITIES = ['critical', 'warning', 'info'];
const REFRESH_MS = 10000;

export function severityBadge(sev, attrs = {}) {
  const s = SEVERITIES.includes(sev) ? sev : 'warning';
  return h('span', { ...attrs, class: ['badge', 'severity', `severity-${s}`, attrs.class], 'data-severity': s }, s);
}

function delivery(d, onEnable) {
  const title = [
    `${d.attempts || 0} attempt(s)`,
    d.delivered_at ? `delivered ${dateTime(d.delivered_at)}` : null,
    d.next_at ? `next try ${dateTime(d.next_at)}` : null,
    d.last_error ? `last error: ${d.last_error}` : null,
  ].filter(Boolean).join('\n');
  return h('li', { class: ['delivery', `delivery-${d.state}`], 'data-test': 'delivery', 'data-channel': d.channel, 'data-state': d.state, title },
    h('span', { class: 'mono' }, d.channel), ' ', h('span', { class: 'delivery-state' }, d.state),
    d.state !== 'delivered' && d.attempts ? h('span', { class: 'muted small' }, ` ×${d.attempts}`) : null,
    d.last_error && d.state !== 'delivered' ? h('div', { class: 'small muted truncate delivery-error' }, d.last_error) : null,
    d.state === 'disabled' ? h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-test': 'enable-channel',
      title: `the receiver answered 410 Gone: send to ${d.channel} again`, onclick: (e) => onEnable(d.channel, e.currentTarget) }, 'Re-enable') : null);
}

export function mount(root, store, params) {
  const q = params.query || {};
  const filter = { pipeline: q.pipeline || '', severity: q.severity || '' };
  let alive = true;
  let timer = null;
  const pipelineSelect = h('select', { 'data-test': 'filter-pipeline', 'aria-label': 'Pipeline' }, h('option', { value: '' }, 'All pipelines'));
  if (filter.pipeline) pipelineSelect.append(h('option', { value: filter.pipeline, selected: true }, filter.pipeline));
  const severitySelect = h('select', { 'data-test': 'filter-severity', 'aria-label': 'Severity' }, h('option', { value: '' }, 'Any severity'),
    SEVERITIES.map((s) => h('option', { value: s, selected: s === filter.severity }, s)));
  const listBox = h('div', null, h('div', { class: 'loading' }, 'Loading alerts…'));
  replace(root, h('section', { class: 'page', 'data-test': 'alerts-page' },
    h('div', { class: 'page-header' }, h('div', { class: 'titles' }, h('h1', null, 'Alerts'),
      h('p', { class: 'subtitle' }, 'Alerts the pipelines\' `alerts:` fired when their runs ended, and where each was delivered.'))),
    h('div', { class: 'toolbar' },
      h('label', { class: 'field inline' }, h('span', null, 'Pipeline'), pipelineSelect),
      h('label', { class: 'field inline' }, h('span', null, 'Severity'), severitySelect)),
    listBox));

  const render = () => {
    const alerts = store.get(keys.alerts);
    if (!alerts) return;
    if (!alerts.length) {
      replace(listBox, empty(filter.pipeline || filter.severity ? 'No alert matches' : 'No alerts', 'An alert fires when a run ends and a pipeline\'s `alerts:` condition holds.'));
      return;
    }
    replace(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'table alerts-table', 'data-test': 'alerts' },
      h('thead', null, h('tr', null, h('th', null, 'Severity'), h('th', null, 'Message'), h('th', null, 'Pipeline'), h('th', null, 'Run'),
        h('th', null, 'Fired'), h('th', null, 'Deliveries'))),
      h('tbody', null, alerts.map((a) => h('tr', { 'data-test': 'alert-row', 'data-id': String(a.id), 'data-severity': a.severity },
        h('td', null, severityBadge(a.severity)),
        h('td', { class: 'alert-message', 'data-test': 'alert-message' }, a.message || ''),
        h('td', null, h('a', { class: 'plain', href: `#/alerts${query({ pipeline: a.pipeline, severity: filter.severity })}` }, a.pipeline)),
        h('td', { class: 'nowrap' }, a.run_id ? h('a', { class: 'mono small', href: `#/runs/${encodeURIComponent(a.run_id)}`, 'data-test': 'alert-run' }, a.run_id) : '—',
          a.triggered_run_id ? h('div', { class: 'small' }, 'started ', h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(a.triggered_run_id)}`, 'data-test': 'triggered-run' }, a.triggered_run_id)) : null),
        h('td', { class: 'nowrap', title: dateTime(a.fired_at) }, relative(a.fired_at)),
        h('td', null, (a.deliveries || []).length ? h('ul', { class: 'deliveries' }, a.deliveries.map((d) => delivery(d, enable))) : h('span', { class: 'muted small' }, 'no channel'))))))));
  };

  const load = async () => {
    try {
      const r = await get(`/api/alerts${query({ pipeline: filter.pipeline, severity: filter.severity, limit: 200 })}`);
      if (alive) actions.alertsLoaded(store, r.alerts || []);
    } catch (e) {
      if (alive && !store.get(keys.alerts)) replace(listBox, errorBox(e));
    }
    if (alive) timer = setTimeout(load, REFRESH_MS);
  };

  /** An operator re-enables a channel its receiver disabled (410): what it holds is sent again. */
  const enable = async (channel, button) => {
    button.disabled = true;
    try {
      const r = await post(`/api/channels/${seg(channel)}/enable`);
      toast(`${channel} enabled again${r && r.pending_again ? `: ${r.pending_again} deliveries to send` : ''}`);
      clearTimeout(timer);
      load();
    } catch (e) {
      toast(e.message);
      button.disabled = false;
    }
  };

  const apply = () => { location.hash = `#/alerts${query({ pipeline: pipelineSelect.value, severity: severitySelect.value })}`; };
  pipelineSelect.addEventListener('change', apply);
  severitySelect.addEventListener('change', apply);
  get('/api/pipelines').then((list) => {
    if (!alive) return;
    for (const p of list) if (p.name !== filter.pipeline) pipelineSelect.append(h('option', { value: p.name }, p.name));
  }).catch(() => {});

  const unsubscribe = store.subscribe(render, [keys.alerts]);
  actions.forget(store, keys.alerts);
  load();
  return () => { alive = false; clearTimeout(timer); unsubscribe(); actions.forget(store, keys.alerts); };
}
