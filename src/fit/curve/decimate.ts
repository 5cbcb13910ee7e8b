/**
 * Decimation of long loss curves before fitting: log-spaced bins over x with the median loss per bin, and
 * a dense tail (linear bins over the last `tailFraction` of the x span), so a 100k-point curve becomes a
 * few hundred points that still weight the recent past (what a forecast depends on) densely and are
 * immune to isolated spikes (median). x must be sorted ascending and > 0. O(n) plus small per-bin selects.
 */

export interface Decimated {
  x: Float64Array;
  y: Float64Array;
  /** number of raw points behind each output point */
  count: Float64Array;
}

export interface DecimateOptions {
  maxPoints?: number;
  tailFraction?: number;
  /** share of the output bins spent on the tail */
  tailShare?: number;
}

export function decimate(x: Float64Array, y: Float64Array, opts: DecimateOptions = {}): Decimated {
  const n = x.length;
  const maxPoints = Math.max(8, opts.maxPoints ?? 256);
  if (n <= maxPoints) return { x: Float64Array.from(x), y: Float64Array.from(y), count: new Float64Array(n).fill(1) };
  const tailFraction = opts.tailFraction ?? 0.2;
  const tailShare = opts.tailShare ?? 0.35;
  const x0 = x[0],
    x1 = x[n - 1];
  const xt = x1 - tailFraction * (x1 - x0);
  const nTail = Math.max(1, Math.round(maxPoints * tailShare));
  const nHead = Math.max(1, maxPoints - nTail);
  const edges: number[] = [];
  const l0 = Math.log(x0),
    lt = Math.log(Math.max(xt, x0 * (1 + 1e-12)));
  for (let i = 0; i < nHead; i++) edges.push(Math.exp(l0 + ((lt - l0) * i) / nHead));
  for (let i = 0; i < nTail; i++) edges.push(xt + ((x1 - xt) * i) / nTail);
  edges.push(Infinity);
  const ox: number[] = [],
    oy: number[] = [],
    oc: number[] = [];
  const scratch = new Float64Array(n);
  let i = 0;
  for (let b = 0; b + 1 < edges.length && i < n; b++) {
    const hi = edges[b + 1];
    const start = i;
    while (i < n && (x[i] < hi || b + 2 === edges.length)) i++;
    const m = i - start;
    if (m === 0) continue;
    for (let k = 0; k < m; k++) scratch[k] = y[start + k];
    ox.push(x[start + (m >> 1)]);
    oy.push(median(scratch, m));
    oc.push(m);
  }
  return { x: Float64Array.from(ox), y: Float64Array.from(oy), count: Float64Array.from(oc) };
}

/** Median of a[0..m) (reorders a). Quickselect, O(m) expected. */
export function median(a: Float64Array, m: number): number {
  if (m === 1) return a[0];
  const k = m >> 1;
  const hi = select(a, 0, m - 1, k);
  if (m % 2 === 1) return hi;
  let lo = -Infinity;
  for (let i = 0; i < k; i++) if (a[i] > lo) lo = a[i];
  return 0.5 * (lo + hi);
}

/** The element of rank m >> 1 of a[0..m) (the upper median; reorders a): what sorting and indexing give, in O(m). */
export function upperMedian(a: Float64Array, m: number): number {
  return select(a, 0, m - 1, m >> 1);
}

function select(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const pivot = a[(left + right) >> 1];
    let i = left,
      j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}
