// Pure: the smallest replacement between two texts (the YAML view replaces only that).

/** The smallest replacement turning a into b: {from, to} offsets in a and the text to put there. */
export function diffRange(a, b) {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) { endA--; endB--; }
  return { from: start, to: endA, text: b.slice(start, endB) };
}
