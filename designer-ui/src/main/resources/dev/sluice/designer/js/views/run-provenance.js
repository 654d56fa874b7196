// Where a run came from, for its header: what triggered it (with a link to the triggering run or
// model version), the run it reruns, the model versions pinned on it, its code version; and the
// badge of the alerts it fired (the runs list shows the same badge).
import { h } from '../dom.js';

const runLink = (id, test) => h('a', { class: 'mono', href: `#/runs/${encodeURIComponent(id)}`, 'data-test': test }, id);

/** The trigger as words and links: a string (older servers) or {type, run_id?, model?, version?, alias?, pipeline?, alert_id?}. */
export function triggerView(trigger) {
  if (!trigger || typeof trigger === 'string') return h('span', { 'data-test': 'trigger', 'data-type': trigger || 'manual' }, trigger || 'manual');
  const t = trigger;
  const type = t.type || 'manual';
  const parts = [h('span', { class: 'badge trigger-badge' }, type)];
  const runId = t.run_id || t.runId;
  if (type === 'model' && t.model) {
    const target = t.version !== undefined && t.version !== null ? `#/models/${encodeURIComponent(t.model)}/versions/${t.version}` : `#/models/${encodeURIComponent(t.model)}`;
    parts.push(' ', h('a', { href: target, 'data-test': 'trigger-model' }, `${t.model}${t.alias ? `@${t.alias}` : ''}${t.version !== undefined && t.version !== null ? ` → v${t.version}` : ''}`));
  }
  if (type === 'pipeline' && t.pipeline) parts.push(' ', h('span', null, t.pipeline));
  if (type === 'alert' && (t.alert || t.alert_id)) parts.push(' ', h('a', { href: '#/alerts' }, String(t.alert || t.alert_id)));
  if (type === 'schedule' && (t.tick || t.logical_date)) parts.push(' ', h('span', { class: 'mono small' }, String(t.tick || t.logical_date)));
  if (runId) parts.push(' ', runLink(runId, 'trigger-run'));
  return h('span', { 'data-test': 'trigger', 'data-type': type }, parts);
}

/** A badge saying how many alerts the run fired (the most severe colours it), linking to the alerts page. */
export function alertBadge(alerts, pipeline) {
  if (!Array.isArray(alerts) || !alerts.length) return null;
  const order = ['critical', 'warning', 'info'];
  const worst = order.find((s) => alerts.some((a) => a.severity === s)) || 'warning';
  const title = alerts.map((a) => `${a.severity || 'warning'}: ${a.message || ''}`).join('\n');
  return h('a', { class: ['badge', 'severity', `severity-${worst}`, 'alert-badge'], 'data-test': 'alert-badge', 'data-severity': worst, title,
    href: `#/alerts${pipeline ? `?pipeline=${encodeURIComponent(pipeline)}` : ''}` },
  `⚠ ${alerts.length} alert${alerts.length === 1 ? '' : 's'}`);
}

/** The run's rerun_of, pinned models and code version as a line of facts (null when it has none). */
export function provenance(r) {
  const rerunOf = r.rerun_of || r.rerunOf;
  const models = Array.isArray(r.models) ? r.models : [];
  const code = r.code && Object.keys(r.code).length ? r.code : null;
  const git = code && code.git;
  const facts = [];
  if (rerunOf) facts.push(h('span', { 'data-test': 'rerun-of' }, 'rerun of ', runLink(rerunOf, 'rerun-of-link'), ' · ',
    h('a', { href: `#/runs/${encodeURIComponent(rerunOf)}/diff/${encodeURIComponent(r.id)}`, 'data-test': 'diff-original' }, 'diff')));
  for (const m of models) {
    if (m.version === null || m.version === undefined) {
      facts.push(h('span', { 'data-test': 'pinned-model', class: 'reason' }, `model ${m.ref || m.model}: no such version`));
      continue;
    }
    const label = `${m.key ? `${m.key}: ` : ''}${m.model}:${m.version}${m.ref && m.ref.includes('@') ? ` (${m.ref})` : ''}`;
    facts.push(h('span', { 'data-test': 'pinned-model', title: `${m.ref || ''}${m.task_id ? ` in step ${m.task_id}` : ''}${m.sha256 ? `\nsha256 ${m.sha256}` : ''}` },
      'model ', h('a', { href: `#/models/${encodeURIComponent(m.model)}/versions/${m.version}` }, label)));
  }
  if (code) {
    facts.push(h('span', { 'data-test': 'code-version', title: git ? git.commit : 'the pipeline file is not in a git work tree' },
      git && git.commit ? ['git ', h('span', { class: 'mono' }, String(git.commit).slice(0, 8)), git.dirty ? h('span', { class: 'badge badge-warn', 'data-test': 'dirty' }, 'dirty') : null]
        : `pipeline sha ${String(code.pipeline_sha256 || '').slice(0, 8) || '?'}`));
  }
  if (!facts.length) return null;
  return h('div', { class: 'meta provenance', 'data-test': 'provenance' }, facts);
}
