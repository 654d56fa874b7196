// Pure: a line diff of two texts (longest common subsequence over the lines between the common
// head and tail), as rows {type: 'same'|'del'|'add', text, a, b} with 1-based line numbers.

/** Above this many cells the middle is shown as removed then added, not matched line by line. */
const MAX_CELLS = 4_000_000;

const lines = (t) => (t === '' ? [] : String(t).replace(/\r?\n$/, '').split(/\r?\n/));

export function lineDiff(a, b) {
  const x = lines(a);
  const y = lines(b);
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const rows = [];
  for (let i = 0; i < head; i++) rows.push({ type: 'same', text: x[i], a: i + 1, b: i + 1 });
  const xm = x.slice(head, x.length - tail);
  const ym = y.slice(head, y.length - tail);
  if (xm.length * ym.length > MAX_CELLS) {
    xm.forEach((t, i) => rows.push({ type: 'del', text: t, a: head + i + 1 }));
    ym.forEach((t, j) => rows.push({ type: 'add', text: t, b: head + j + 1 }));
  } else {
    const n = xm.length, m = ym.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = xm[i] === ym[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && xm[i] === ym[j]) { rows.push({ type: 'same', text: xm[i], a: head + i + 1, b: head + j + 1 }); i++; j++; }
      else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { rows.push({ type: 'del', text: xm[i], a: head + i + 1 }); i++; }
      else { rows.push({ type: 'add', text: ym[j], b: head + j + 1 }); j++; }
    }
  }
  for (let k = tail; k > 0; k--) rows.push({ type: 'same', text: x[x.length - k], a: x.length - k + 1, b: y.length - k + 1 });
  return rows;
}

/** The changed rows with `context` unchanged lines around each change; gaps as {type: 'gap', count}. */
export function hunks(rows, context = 3) {
  const keep = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    if (r.type === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(rows.length - 1, i + context); k++) keep[k] = 1;
  });
  const out = [];
  let gap = 0;
  rows.forEach((r, i) => {
    if (keep[i]) { if (gap) out.push({ type: 'gap', count: gap }); gap = 0; out.push(r); } else gap++;
  });
  if (gap) out.push({ type: 'gap', count: gap });
  return out;
}
