// Pure: the data of the pages' charts in uPlot's shape ([xs, ys1, ys2, ...], xs ascending, gaps as
// null). Metric series by step index, several series on one x axis, a scatter of a param against
// a metric, one metric across runs with alert thresholds as flat lines. No DOM.

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null));

/** One series [{step, value}] -> [xs, ys], sorted by step; a value without a step takes its position. */
export function seriesData(points) {
  const pts = (points || []).map((p, i) => ({ x: Number.isFinite(p.step) ? p.step : i, y: num(p.value) }))
    .filter((p) => p.y !== null)
    .sort((a, b) => a.x - b.x);
  return [pts.map((p) => p.x), pts.map((p) => p.y)];
}

/**
 * Several series (each [{step, value}]) on one x axis: [xs, ys1, ys2, ...], every step any series
 * has, null where a series has no value at that step.
 */
export function alignSeries(list) {
  const xs = [...new Set(list.flatMap((pts) => (pts || []).map((p, i) => (Number.isFinite(p.step) ? p.step : i))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = list.map((pts) => {
    const out = new Array(xs.length).fill(null);
    (pts || []).forEach((p, i) => {
      const v = num(p.value);
      if (v !== null) out[index.get(Number.isFinite(p.step) ? p.step : i)] = v;
    });
    return out;
  });
  return [xs, ...ys];
}

/**
 * A scatter of rows' param against a metric: {data: [xs, ys], rows: [row per point]} sorted by x,
 * only rows where both are numbers.
 */
export function scatterData(rows, param, metric) {
  const pts = (rows || []).map((r) => ({ x: num((r.params || {})[param] ?? (r.matrix || {})[param]), y: num((r.metrics || {})[metric]), row: r }))
    .filter((p) => p.x !== null && p.y !== null)
    .sort((a, b) => a.x - b.x);
  return { data: [pts.map((p) => p.x), pts.map((p) => p.y)], rows: pts.map((p) => p.row) };
}

/**
 * One metric across runs with thresholds: [ts (Unix seconds), values, threshold1, ...] and the
 * labels of the threshold lines ('critical > 0.2').
 */
export function historyData(points, thresholds) {
  const pts = (points || []).map((p) => ({ t: Date.parse(p.at) / 1000, v: num(p.value), p }))
    .filter((p) => Number.isFinite(p.t) && p.v !== null)
    .sort((a, b) => a.t - b.t);
  const xs = pts.map((p) => p.t);
  const lines = (thresholds || []).filter((t) => num(t.value) !== null);
  return {
    data: [xs, pts.map((p) => p.v), ...lines.map((t) => xs.map(() => num(t.value)))],
    labels: lines.map((t) => `${t.severity || 'warning'} ${t.op || ''} ${t.value}${t.alert ? ` (${t.alert})` : ''}`.replace(/\s+/g, ' ')),
    severities: lines.map((t) => t.severity || 'warning'),
    points: pts.map((p) => p.p),
  };
}
