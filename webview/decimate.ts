/**
 * Min/max decimation per pixel column over the visible x range (pure; unit-tested in node against a brute-force
 * reference). For each of `columns` equal-width columns of [lo, hi] (equal width in log space on a log x axis) it
 * keeps, in x order, the first, lowest, highest and last point: the drawn line covers exactly the pixels the full
 * series would, spikes included, with at most 4 points a column whatever the series length. The nearest points
 * just outside the range are kept too, so a zoomed line runs to the chart's edges.
 *
 * A block summary (index of the lowest and highest y of every BLOCK points) makes a redraw cost
 * O(columns · BLOCK + n / BLOCK) instead of O(n): a column spanning thousands of points reads its inner blocks'
 * extremes, and only the partial blocks at its two ends point by point. The summary is extended, not rebuilt,
 * when points are appended.
 */

export const BLOCK = 256;

/** Per block of BLOCK points: the index of the first lowest and first highest y. */
export interface Summary {
  minI: Int32Array;
  maxI: Int32Array;
  blocks: number;
}

export const emptySummary = (): Summary => ({ minI: new Int32Array(0), maxI: new Int32Array(0), blocks: 0 });

/**
 * Brings `sum` up to date with ys[0, n): blocks from the one holding point `from` on are recomputed (0: all).
 * Returns the same object (its arrays grown when needed).
 */
export function summarize(ys: ArrayLike<number>, n: number, sum: Summary, from = 0): Summary {
  const blocks = Math.ceil(n / BLOCK);
  reserveSummary(sum, blocks);
  for (let b = Math.min(Math.floor(from / BLOCK), sum.blocks); b < blocks; b++)
    summarizeBlock(ys, b * BLOCK, Math.min(n, (b + 1) * BLOCK), sum, b);
  sum.blocks = blocks;
  return sum;
}

/** Block `b` of `sum` (points ys[a, e), e > a): the index of its first lowest and first highest y. */
export function summarizeBlock(ys: ArrayLike<number>, a: number, e: number, sum: Summary, b: number): void {
  let lo = a,
    hi = a,
    vlo = ys[a],
    vhi = ys[a];
  for (let i = a + 1; i < e; i++) {
    const v = ys[i];
    if (v < vlo) {
      vlo = v;
      lo = i;
    }
    if (v > vhi) {
      vhi = v;
      hi = i;
    }
  }
  sum.minI[b] = lo;
  sum.maxI[b] = hi;
}

/** Grows the summary's arrays to hold `blocks` blocks (keeping the ones computed). */
export function reserveSummary(sum: Summary, blocks: number): void {
  if (sum.minI.length >= blocks) return;
  const cap = Math.max(blocks, Math.ceil(sum.minI.length * 1.5), 16);
  const minI = new Int32Array(cap),
    maxI = new Int32Array(cap);
  minI.set(sum.minI.subarray(0, sum.blocks));
  maxI.set(sum.maxI.subarray(0, sum.blocks));
  sum.minI = minI;
  sum.maxI = maxI;
}

/** First index in [from, to) whose x is ≥ v (to when none); xs sorted ascending. */
export function lowerBound(xs: ArrayLike<number>, v: number, from: number, to: number): number {
  let lo = from,
    hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose x is > v (to when none); xs sorted ascending. */
export function upperBound(xs: ArrayLike<number>, v: number, from: number, to: number): number {
  let lo = from,
    hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface View {
  /** Visible x range (inclusive). */
  lo: number;
  hi: number;
  /** Pixel columns across the plot area. */
  columns: number;
  /** Log x: columns equal in log x, and x ≤ 0 is not drawn. */
  logX: boolean;
  /** Log y: y ≤ 0 is not drawn. */
  logY: boolean;
}

/**
 * The column boundaries of a view: column c holds lo ≤ … the points with bounds[c] ≤ x < bounds[c + 1], the last
 * column also x = hi. bounds has columns + 1 entries, bounds[0] = lo and bounds[columns] = hi.
 */
export function columnBounds(v: View): Float64Array {
  const b = new Float64Array(v.columns + 1);
  if (v.logX) {
    const L = Math.log(v.lo),
      H = Math.log(v.hi);
    for (let c = 0; c <= v.columns; c++) b[c] = Math.exp(L + ((H - L) * c) / v.columns);
  } else {
    for (let c = 0; c <= v.columns; c++) b[c] = v.lo + ((v.hi - v.lo) * c) / v.columns;
  }
  b[0] = v.lo;
  b[v.columns] = v.hi;
  return b;
}

/**
 * Indices (ascending) into xs/ys[0, n) of the points to draw for view `v`. xs sorted ascending and finite; ys
 * finite. `sum` must be up to date for ys[0, n) (see summarize).
 */
export function decimateView(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, sum: Summary, v: View): number[] {
  const out: number[] = [];
  // On a log x axis x ≤ 0 is never drawn: those points are a prefix of the sorted series.
  const start = v.logX ? upperBound(xs, 0, 0, n) : 0;
  if (start >= n) return out;
  const ok = v.logY ? (i: number) => ys[i] > 0 : () => true;
  const hi = v.hi;
  let lo = v.lo;
  if (v.logX && !(lo > 0)) lo = xs[start];
  if (!(hi >= lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return out;
  const columns = Math.max(1, Math.floor(v.columns));
  const bounds = hi > lo ? columnBounds({ ...v, lo, hi, columns }) : Float64Array.of(lo, hi);
  const nCols = bounds.length - 1;
  const first = lowerBound(xs, lo, start, n);
  const end = upperBound(xs, hi, first, n);
  // The nearest drawable point before the range.
  for (let i = first - 1; i >= start; i--)
    if (ok(i)) {
      out.push(i);
      break;
    }
  let a = first;
  for (let c = 0; c < nCols && a < end; c++) {
    const b = c === nCols - 1 ? end : lowerBound(xs, bounds[c + 1], a, end);
    if (b > a) pushColumn(ys, a, b, sum, v.logY, ok, out);
    a = b;
  }
  for (let i = end; i < n; i++)
    if (ok(i)) {
      out.push(i);
      break;
    }
  return out;
}

/** Appends the first, lowest, highest and last drawable point of [a, b), in index order, without repeats. */
function pushColumn(
  ys: ArrayLike<number>,
  a: number,
  b: number,
  sum: Summary,
  logY: boolean,
  ok: (i: number) => boolean,
  out: number[],
): void {
  let f = a;
  while (f < b && !ok(f)) f++;
  if (f === b) return;
  let l = b - 1;
  while (!ok(l)) l--;
  let mn = f,
    mx = f,
    vmn = ys[f],
    vmx = ys[f];
  const scan = (p: number, q: number) => {
    for (let i = p; i < q; i++) {
      const y = ys[i];
      if (logY && !(y > 0)) continue;
      if (y < vmn) {
        vmn = y;
        mn = i;
      }
      if (y > vmx) {
        vmx = y;
        mx = i;
      }
    }
  };
  let i = f + 1;
  const firstFull = Math.ceil(i / BLOCK) * BLOCK;
  if (firstFull + BLOCK > l + 1) scan(i, l + 1);
  else {
    scan(i, firstFull);
    let blk = firstFull / BLOCK;
    for (i = firstFull; i + BLOCK <= l + 1; i += BLOCK, blk++) {
      const p = sum.minI[blk],
        q = sum.maxI[blk];
      // On a log y axis a block whose lowest value is ≤ 0 is read point by point (its lowest drawable is elsewhere).
      if (logY && !(ys[p] > 0)) scan(i, i + BLOCK);
      else {
        if (ys[p] < vmn) {
          vmn = ys[p];
          mn = p;
        }
        if (ys[q] > vmx) {
          vmx = ys[q];
          mx = q;
        }
      }
    }
    scan(i, l + 1);
  }
  // In index order, each once.
  const k = [f, mn, mx, l];
  k.sort((p, q) => p - q);
  let prev = -1;
  for (const j of k)
    if (j !== prev) {
      out.push(j);
      prev = j;
    }
}

/**
 * The point of xs/ys[0, n) nearest canvas position (px, py), by pixel distance, among those whose x lies in
 * [xLo, xHi] (the pixels around the cursor, as data values); when none does, the nearest point on either side of
 * that range. `toPx`/`toPy` map data to canvas pixels; points a log axis cannot show are skipped. −1 when none.
 */
export function nearestIndex(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  xLo: number,
  xHi: number,
  toPx: (x: number) => number,
  toPy: (y: number) => number,
  px: number,
  py: number,
  logX: boolean,
  logY: boolean,
): number {
  let a = lowerBound(xs, xLo, 0, n),
    b = upperBound(xs, xHi, a, n);
  if (a >= b) {
    a = Math.max(0, a - 1);
    b = Math.min(n, b + 1);
  }
  let best = -1,
    bestD = Infinity;
  for (let k = a; k < b; k++) {
    if ((logX && !(xs[k] > 0)) || (logY && !(ys[k] > 0))) continue;
    const d = (toPx(xs[k]) - px) ** 2 + (toPy(ys[k]) - py) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
