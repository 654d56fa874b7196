// How instants, durations and values are written on the pages.

export function parseTime(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** 850ms, 4.2s, 3m 05s, 2h 10m */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  const hr = Math.floor(m / 60);
  return `${hr}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Duration between two ISO instants; to 'now' when end is missing. */
export function between(startIso, endIso) {
  const a = parseTime(startIso);
  if (a === null) return null;
  const b = endIso ? parseTime(endIso) : Date.now();
  return b === null ? null : b - a;
}

/** 3 minutes ago / in 2 hours */
export function relative(iso, now = Date.now()) {
  const t = parseTime(iso);
  if (t === null) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  const units = [['day', 86400000], ['hour', 3600000], ['minute', 60000], ['second', 1000]];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') {
      const n = Math.max(1, Math.round(abs / size));
      if (unit === 'second' && abs < 5000) return diff < 0 ? 'just now' : 'in a moment';
      const word = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff < 0 ? `${word} ago` : `in ${word}`;
    }
  }
  return '';
}

/** 2026-11-23 18:14:23, local time */
export function dateTime(iso) {
  const t = parseTime(iso);
  if (t === null) return '';
  const d = new Date(t);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** 18:14:23, local time */
export function clock(iso) {
  return dateTime(iso).slice(11);
}

/** A param or metric value as text. */
export function value(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** 1.2 KB */
export function bytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** today 02:00 / tomorrow 02:00 / Mon 24 Nov 02:00 (local time) */
export function when(iso, now = Date.now()) {
  const t = parseTime(iso);
  if (t === null) return '';
  const d = new Date(t);
  const p = (n) => String(n).padStart(2, '0');
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  const day = (x) => new Date(x).toDateString();
  if (day(t) === day(now)) return `today ${hm}`;
  if (day(t) === day(now + 86400000)) return `tomorrow ${hm}`;
  if (day(t) === day(now - 86400000)) return `yesterday ${hm}`;
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} ${hm}`;
}
