// The pipeline panel: name, description, params, schedule (with the cron in words and the next
// five fire times from the server), concurrency, defaults, env.

import { h } from '../dom.js';
import { request } from '../api.js';
import { textField, checkField, mapField, note, debounce } from './fields.js';
import { parseScalar, parseTyped, spelled, scalarText, parseList, listText, problemTarget, problemsByStep, ID_PATTERN } from './model.js';

const textOrNull = (t) => (String(t).trim() === '' ? null : String(t).trim());
const num = (t) => { const s = String(t).trim(); return s === '' ? null : /^-?\d+$/.test(s) ? Number(s) : s; };

function fmtInstant(iso, zone) {
  try {
    const d = new Date(iso);
    const opts = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
    if (zone) opts.timeZone = zone;
    return d.toLocaleString(undefined, opts);
  } catch {
    return iso;
  }
}

export function createPipelinePanel(container, session) {
  const widgets = [];
  const w = (key, widget, read) => { widgets.push({ key, widget, read }); return widget.el; };
  const set = (field, value) => session.apply([{ op: 'setPipelineField', field, value }]).catch((e) => {
    top.replaceChildren(h('li', null, e.message || String(e)));
  });
  const top = h('ul', { class: 'ed-field-problems ed-panel-problems', 'data-test': 'pipeline-problems' });

  // schedule: cron, timezone and catchup are one field of the spec
  let schedule = {};
  const sendSchedule = () => {
    const cron = textOrNull(cronField.input.value);
    if (!cron) { set('schedule', null); return; }
    const s = { cron };
    const tz = textOrNull(tzField.input.value);
    if (tz) s.timezone = tz;
    if (catchupField.input.checked) s.catchup = true;
    set('schedule', s);
  };
  const cronField = textField({ label: 'Cron', key: 'cron', mono: true, placeholder: '0 3 * * *  or  @daily' }, () => { sendSchedule(); explain(); });
  const tzField = textField({ label: 'Time zone', key: 'timezone', placeholder: 'UTC', hint: 'IANA, e.g. Europe/Paris' }, () => { sendSchedule(); explain(); });
  const catchupField = checkField({ label: 'Catch up missed ticks after downtime', key: 'catchup' }, () => sendSchedule());
  const words = note({ 'data-test': 'schedule-words' });
  let asked = '';
  const explain = debounce(async () => {
    const cron = textOrNull(cronField.input.value);
    const timezone = textOrNull(tzField.input.value) || 'UTC';
    const key = `${cron}\u0000${timezone}`;
    if (key === asked) return;
    asked = key;
    if (!cron) { words.replaceChildren(h('span', { class: 'muted' }, 'No schedule: runs start by hand or from the API.')); return; }
    try {
      const r = await request('POST', '/api/designer/schedule', { cron, timezone });
      if (asked !== key) return;
      words.replaceChildren(
        h('div', { class: 'ed-sched-words', 'data-test': 'schedule-description' }, r.description),
        h('div', { class: 'small muted' }, 'Next:'),
        h('ol', { class: 'ed-fire-times', 'data-test': 'schedule-next' },
          ...(r.nextFireTimes || []).map((t) => h('li', { title: t }, fmtInstant(t, timezone)))));
    } catch (e) {
      if (asked !== key) return;
      const msgs = e.errors && e.errors.length ? e.errors.map((x) => x.message) : [e.message];
      words.replaceChildren(h('ul', { class: 'ed-field-problems' }, ...msgs.map((m) => h('li', null, m))));
    }
  }, 350);

  const defaultsOf = (d) => d || {};
  const sendDefaults = () => {
    const d = {};
    const r = num(defRetries.input.value); if (r !== null) d.retries = r;
    const rd = textOrNull(defDelay.input.value); if (rd) d.retry_delay = rd;
    const t = textOrNull(defTimeout.input.value); if (t) d.timeout = t;
    const l = parseList(defLabels.input.value); if (l.length) d.worker = { labels: l };
    set('defaults', Object.keys(d).length ? d : null);
  };
  const defRetries = textField({ label: 'Retries', key: 'defaults-retries', type: 'number', min: 0, placeholder: '0' }, sendDefaults);
  const defDelay = textField({ label: 'Retry delay', key: 'defaults-retry_delay', placeholder: '5s' }, sendDefaults);
  const defTimeout = textField({ label: 'Timeout', key: 'defaults-timeout', placeholder: 'none' }, sendDefaults);
  const defLabels = textField({ label: 'Worker labels', key: 'defaults-worker', placeholder: 'gpu' }, sendDefaults);

  const nameField = textField({ label: 'Name', key: 'name', hint: 'lower-case letters, digits, - and _',
    check: (v) => (ID_PATTERN.test(v.trim()) ? null : 'lower-case letters, digits, - and _ only (at most 63)') },
  (v) => set('name', textOrNull(v)));

  const el = h('div', { class: 'ed-panel', 'data-test': 'pipeline-panel' },
    h('h2', { class: 'ed-panel-title' }, 'Pipeline'),
    top,
    w('name', nameField, (m) => m.name),
    w('description', textField({ label: 'Description', key: 'description', placeholder: 'What it does, in a line' }, (v) => set('description', textOrNull(v))), (m) => m.description),
    w('params', mapField({ label: 'Parameters', key: 'params', addLabel: 'Parameter', hint: 'defaults; typed by their look (5000, 0.75, true, text)', parse: parseTyped, show: scalarText },
      (v) => set('params', v)), (m) => spelled(m.params, m.spelling, 'params')),
    h('details', { class: 'ed-group', open: true },
      h('summary', null, 'Schedule'),
      h('div', { class: 'ed-grid' }, w('schedule', cronField, (m) => m.schedule && m.schedule.cron), w('schedule-tz', tzField, (m) => m.schedule && m.schedule.timezone)),
      w('schedule-catchup', catchupField, (m) => !!(m.schedule && m.schedule.catchup)),
      words),
    h('details', { class: 'ed-group', open: true },
      h('summary', null, 'Runs'),
      w('concurrency', textField({ label: 'Concurrency', key: 'concurrency', type: 'number', min: 1, placeholder: '16', hint: 'active runs at most; more wait queued' },
        (v) => set('concurrency', num(v))), (m) => m.concurrency),
      h('div', { class: 'small muted ed-sub' }, 'Defaults for every step that does not set its own'),
      h('div', { class: 'ed-grid' },
        w('defaults', defRetries, (m) => defaultsOf(m.defaults).retries),
        w('defaults-delay', defDelay, (m) => defaultsOf(m.defaults).retry_delay),
        w('defaults-timeout', defTimeout, (m) => defaultsOf(m.defaults).timeout),
        w('defaults-worker', defLabels, (m) => listText(defaultsOf(m.defaults).worker && defaultsOf(m.defaults).worker.labels)))),
    h('details', { class: 'ed-group', open: true },
      h('summary', null, 'Environment'),
      w('env', mapField({ label: 'Variables for every step', key: 'pipeline-env', addLabel: 'Variable', keyPlaceholder: 'NAME' }, (v) => set('env', v)), (m) => m.env)));

  return {
    update(state) {
      if (!container.contains(el)) container.replaceChildren(el);
      const m = state.model || {};
      nameField.input.readOnly = !!state.name && state.savedText !== null;
      for (const { widget, read } of widgets) widget.set(read(m));
      const sch = m.schedule || {};
      if (JSON.stringify(sch) !== JSON.stringify(schedule)) { schedule = sch; explain(); }
      else if (!asked) explain();
      const problems = state.problems || [];
      const stepProblems = new Set(Object.values(problemsByStep(problems, state.model)).flat());
      const byField = new Map();
      const rest = [];
      for (const p of problems) {
        if (stepProblems.has(p)) continue;
        const f = problemTarget(p.path).field;
        const key = f === 'schedule' ? 'schedule' : f;
        const target = widgets.find((x) => x.key === key);
        if (target) (byField.get(key) || byField.set(key, []).get(key)).push(p); else rest.push(p);
      }
      for (const { key, widget } of widgets) widget.problems(byField.get(key) || []);
      top.replaceChildren(...rest.map((p) => h('li', null, p.line ? `line ${p.line}: ${p.message}` : p.message)));
    },
  };
}
