// uPlot charts of the pages (the WebJar the server serves), loaded on first use. Each chart
// follows its box's width and is destroyed with destroy(). Labels go through uPlot, which writes
// them as text (textContent), never as HTML.
import { h, useCss } from './dom.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
const UPLOT_CSS = '/webjars/uplot/1.6.30/dist/uPlot.min.css';

export const PALETTE = ['#4f46e5', '#f59e0b', '#10b981', '#ef4444', '#0ea5e9', '#a855f7', '#84cc16', '#ec4899', '#64748b', '#14b8a6'];
const AXIS = { stroke: '#6b7482', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#eef0f3' } };
const STEP_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000, 1000000]; // a step axis has whole ticks
const SEVERITY = { critical: '#dc2626', warning: '#d97706', info: '#2563eb' };

let loading = null;
/** The uPlot constructor (imported once). */
export function uPlotLib() {
  useCss(UPLOT_CSS);
  if (!loading) loading = import(UPLOT).then((m) => m.default);
  return loading;
}

/**
 * A chart in host: opts {height, series: [{label, stroke, points?, dash?, paths?}], x: {label,
 * time}, legend}; data in uPlot's shape. Returns {destroy(), plot}.
 */
export async function chart(host, data, opts) {
  const uPlot = await uPlotLib();
  const width = () => Math.max(Math.floor(host.getBoundingClientRect().width) || 0, 200);
  const series = [{ label: (opts.x && opts.x.label) || 'x' }].concat(opts.series.map((s) => {
    const out = { label: s.label, stroke: s.stroke, width: s.width || 2, spanGaps: true };
    if (s.dash) out.dash = s.dash;
    if (s.pointsOnly) {
      out.paths = () => null;
      out.points = { show: true, size: 8, fill: s.stroke, stroke: s.stroke };
    } else if (s.points) {
      out.points = { show: true, size: 5, fill: '#fff' };
    } else {
      out.points = { show: false };
    }
    return out;
  }));
  const plot = new uPlot({
    width: width(),
    height: opts.height || 180,
    legend: { show: opts.legend !== false, live: true },
    cursor: { points: { size: 7 }, drag: { x: true, y: false } },
    // a scatter pads its x range: points on the edges (and repeated x values there) stay drawn
    scales: { x: opts.padX ? { time: false, range: (u, min, max) => { const pad = (max - min) * 0.05 || Math.abs(min) * 0.1 || 1; return [min - pad, max + pad]; } }
      : { time: !!(opts.x && opts.x.time) } },
    axes: [{ ...AXIS, label: opts.x && opts.x.axisLabel, ...(opts.x && opts.x.steps ? { incrs: STEP_INCRS } : {}) }, { ...AXIS, size: 56, label: opts.yLabel }],
    series,
  }, data, host);
  const resize = new ResizeObserver(() => {
    const w = Math.floor(host.getBoundingClientRect().width);
    if (w > 0 && Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: opts.height || 180 });
  });
  resize.observe(host);
  return { plot, destroy() { resize.disconnect(); plot.destroy(); } };
}

/** The colour of an alert severity. */
export const severityColour = (sev) => SEVERITY[sev] || SEVERITY.warning;

/** A chart's box with a data-test and a title, ready for chart(). */
export function chartBox(test, attrs = {}) {
  return h('div', { class: 'chart', 'data-test': test, ...attrs });
}
