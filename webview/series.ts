/** Series → chart points: x-axis mapping, EMA smoothing, log filtering, decimation (pure; unit-tested in node). */
import type { SeriesData, XAxis } from '../src/protocol';

export interface XY {
  x: number;
  y: number;
}

/** x value of point i of a series on an axis, or null when the series has no data for that axis. */
export function xMapper(axis: XAxis, s: SeriesData, params?: number): ((i: number) => number) | null {
  switch (axis) {
    case 'step':
      return (i) => s.step[i];
    case 'tokens':
      return s.tokens ? (i) => s.tokens![i] : null;
    case 'compute': {
      // C ≈ 6·N·D (forward + backward FLOPs per token per parameter).
      if (!s.tokens || !(params! > 0)) return null;
      const k = 6 * params!;
      return (i) => k * s.tokens![i];
    }
    case 'time': {
      if (!s.time) return null;
      let t0 = NaN;
      for (const t of s.time)
        if (Number.isFinite(t)) {
          t0 = t;
          break;
        }
      // Hours since the first timestamp; t0 is fixed once known, so appended points map consistently.
      return (i) => (Number.isFinite(t0) ? (s.time![i] - t0) / 3600 : NaN);
    }
  }
}

/** Debiased exponential moving average (TensorBoard's), resumable across appends. `pw` = w^n, kept as a product. */
export interface EmaState {
  acc: number;
  n: number;
  pw: number;
}
export const newEma = (): EmaState => ({ acc: 0, n: 0, pw: 1 });

export function emaNext(st: EmaState, y: number, w: number): number {
  if (w <= 0) return y;
  st.acc = st.acc * w + (1 - w) * y;
  st.n++;
  // w^n by one multiplication per point instead of Math.pow (most of the cost of re-smoothing millions of points).
  st.pw *= w;
  return st.acc / (1 - st.pw);
}

/**
 * The EMA weight actually used for a series of `n` points. The debiased EMA of weight w averages over about
 * 1/(1−w) points, so at 0.93 a 20-point eval curve is averaged over 14 of its 20 points and lags far behind its
 * data. The window is capped at a tenth of the series (at least 1 point: no smoothing): weight ≤ 1 − 10/n. Long
 * series (n ≥ 10/(1−w)) keep the chosen weight.
 */
export const SMOOTHING_WINDOW_FRACTION = 0.1;
export function effectiveSmoothing(w: number, n: number): number {
  if (!(w > 0) || !(n > 0)) return 0;
  const maxWindow = Math.max(1, n * SMOOTHING_WINDOW_FRACTION);
  return Math.max(0, Math.min(w, 1 - 1 / maxWindow));
}

export interface BuildOptions {
  smoothing: number;
  logX: boolean;
  logY: boolean;
}

/** Chart points of one series as two parallel arrays (8 bytes a value; objects are built only for what is drawn). */
export interface Points {
  xs: number[];
  ys: number[];
}

/**
 * Appends the chart points of series indices [from, to) to `out`. Non-finite values are skipped (and not fed to
 * the EMA); on log axes non-positive values are skipped. Returns false if a point's x is smaller than the last
 * x already in `out` (the caller then rebuilds and sorts).
 */
export function appendPoints(
  s: SeriesData,
  x: (i: number) => number,
  from: number,
  to: number,
  o: BuildOptions,
  ema: EmaState,
  out: Points,
): boolean {
  let sorted = true;
  let lastX = out.xs.length ? out.xs[out.xs.length - 1] : -Infinity;
  for (let i = from; i < to; i++) {
    const yr = s.y[i];
    if (!Number.isFinite(yr)) continue;
    const y = emaNext(ema, yr, o.smoothing);
    const xv = x(i);
    if (!Number.isFinite(xv) || (o.logX && xv <= 0) || (o.logY && y <= 0)) continue;
    if (xv < lastX) sorted = false;
    lastX = xv;
    out.xs.push(xv);
    out.ys.push(y);
  }
  return sorted;
}

/** Sorts points by x, stably (runs resumed from a checkpoint repeat steps). */
export function sortPoints(p: Points): void {
  const idx = p.xs.map((_, i) => i).sort((a, b) => p.xs[a] - p.xs[b] || a - b);
  const xs = idx.map((i) => p.xs[i]),
    ys = idx.map((i) => p.ys[i]);
  p.xs.length = 0;
  p.ys.length = 0;
  for (let i = 0; i < xs.length; i++) {
    p.xs.push(xs[i]);
    p.ys.push(ys[i]);
  }
}

/** All points of a series, sorted by x. */
export function buildPoints(s: SeriesData, x: (i: number) => number, o: BuildOptions, ema = newEma()): Points {
  const out: Points = { xs: [], ys: [] };
  if (!appendPoints(s, x, 0, s.y.length, o, ema, out)) sortPoints(out);
  return out;
}

export function toXY(p: Points, from = 0, out: XY[] = []): XY[] {
  for (let i = from; i < p.xs.length; i++) out.push({ x: p.xs[i], y: p.ys[i] });
  return out;
}

/**
 * Min/max decimation into `buckets` equal-width x buckets (in log space when logX): keeps, in x order, the first,
 * minimum, maximum and last point of each bucket, so spikes survive. Used where chart.js's own decimation does not
 * apply (logarithmic x axes) and to cap the objects handed to chart.js. Input sorted by x.
 */
export function minMaxDecimate(p: Points, buckets: number, logX: boolean): XY[] {
  const { xs, ys } = p;
  const n = xs.length;
  if (n <= buckets * 4 || n < 3) return toXY(p);
  const f = logX ? Math.log : (v: number) => v;
  const x0 = f(xs[0]),
    x1 = f(xs[n - 1]);
  const span = x1 - x0;
  if (!(span > 0))
    return [
      { x: xs[0], y: ys[0] },
      { x: xs[n - 1], y: ys[n - 1] },
    ];
  const out: XY[] = [];
  let b = -1,
    first = 0,
    min = 0,
    max = 0,
    last = 0;
  const flush = () => {
    const idx = [first, min, max, last].sort((q, r) => q - r);
    let prev = -1;
    for (const i of idx)
      if (i !== prev) {
        out.push({ x: xs[i], y: ys[i] });
        prev = i;
      }
  };
  for (let i = 0; i < n; i++) {
    const bi = Math.min(buckets - 1, Math.floor(((f(xs[i]) - x0) / span) * buckets));
    if (bi !== b) {
      if (b >= 0) flush();
      b = bi;
      first = min = max = last = i;
    } else {
      if (ys[i] < ys[min]) min = i;
      if (ys[i] > ys[max]) max = i;
      last = i;
    }
  }
  flush();
  return out;
}

/**
 * Maps a step to the x axis for a run's fitted curve (bands are on the step axis): interpolates the series' own
 * (step, x) pairs and extrapolates past the last point at the average rate of the last quarter of the run.
 */
export function stepMapper(axis: XAxis, s: SeriesData | undefined, params?: number): ((step: number) => number) | null {
  if (axis === 'step') return (st) => st;
  if (!s) return null;
  const x = xMapper(axis, s, params);
  if (!x) return null;
  const steps: number[] = [],
    xs: number[] = [];
  // A few thousand evenly spaced knots (and the last point) are plenty for a smooth curve and keep this
  // O(knots) with millions of points.
  const len = s.step.length;
  const stride = Math.max(1, Math.ceil(len / 4000));
  for (let k = 0; k < len + stride; k += stride) {
    const i = Math.min(k, len - 1);
    const st = s.step[i],
      xv = x(i);
    if (Number.isFinite(st) && Number.isFinite(xv) && (!steps.length || st > steps[steps.length - 1])) {
      steps.push(st);
      xs.push(xv);
    }
    if (i === len - 1) break;
  }
  const n = steps.length;
  if (n < 2) return null;
  const q = Math.max(0, Math.min(n - 2, Math.floor(n * 0.75)));
  const rateEnd = (xs[n - 1] - xs[q]) / (steps[n - 1] - steps[q]);
  const rateStart = (xs[1] - xs[0]) / (steps[1] - steps[0]);
  return (st) => {
    if (st >= steps[n - 1]) return xs[n - 1] + (st - steps[n - 1]) * rateEnd;
    if (st <= steps[0]) return xs[0] + (st - steps[0]) * rateStart;
    let lo = 0,
      hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (steps[mid] <= st) lo = mid;
      else hi = mid;
    }
    const t = (st - steps[lo]) / (steps[hi] - steps[lo]);
    return xs[lo] + t * (xs[hi] - xs[lo]);
  };
}

/** Buffers the store allocated for its series (grown in place by appends); a message's own buffers never are. */
const grown = new WeakSet<ArrayBufferLike>();

/**
 * `col` followed by `k` values of `add` (NaN past its end, or all NaN without it). Grows in place when `col` is a
 * view of a buffer the store allocated with room to spare; otherwise copies into a new one (1.5× as large, or an
 * eighth larger for a message's column; at least 1024 values), so appends cost amortised O(1) a point. Returns a
 * view of exactly the values held.
 */
function extend(col: Float64Array, add: ArrayLike<number> | undefined, k: number): Float64Array {
  const n0 = col.length,
    n = n0 + k;
  let out: Float64Array;
  if (col.byteOffset === 0 && grown.has(col.buffer) && col.buffer.byteLength >= n * 8)
    out = new Float64Array(col.buffer, 0, n);
  else {
    // A column of the store's own grows 1.5×; any other (a padded axis made by appendSeries) is copied once with an
    // eighth to spare, as the chart's caches do.
    const cap = grown.has(col.buffer) ? Math.max(n, Math.ceil(n0 * 1.5)) : n + (n >> 3);
    const buf = new ArrayBuffer(Math.max(cap, 1024) * 8);
    grown.add(buf);
    out = new Float64Array(buf, 0, n);
    out.set(col);
  }
  const m = add ? Math.min(k, add.length) : 0;
  for (let i = 0; i < m; i++) out[n0 + i] = add![i];
  if (m < k) out.fill(NaN, n0 + m, n);
  return out;
}

/** A copy of `col` in a buffer of the store's own with an eighth to spare (at least 1024 values). */
function growable(col: Float64Array): Float64Array {
  const n = col.length;
  const buf = new ArrayBuffer(Math.max(1024, n + (n >> 3)) * 8);
  grown.add(buf);
  const out = new Float64Array(buf, 0, n);
  out.set(col);
  return out;
}

/**
 * Appends a `points` increment to a stored series, keeping the optional axes parallel to `y` (an axis missing on
 * one side is padded with NaN). The columns stay Float64Arrays (see `extend`). Returns the points appended.
 */
export function appendSeries(
  s: SeriesData,
  m: { step: ArrayLike<number>; tokens?: ArrayLike<number>; time?: ArrayLike<number>; y: ArrayLike<number> },
): number {
  const old = s.y.length;
  const k = Math.min(m.y.length, m.step.length);
  if (k <= 0) return 0;
  for (const axis of ['tokens', 'time'] as const) {
    const add = m[axis];
    if (!add && !s[axis]) continue;
    s[axis] = extend(s[axis] ?? new Float64Array(old).fill(NaN), add, k);
  }
  s.step = extend(s.step, m.step, k);
  s.y = extend(s.y, m.y, k);
  return k;
}

/**
 * A store series for `m`: its columns in buffers of the store's own with an eighth to spare (`growable`), so the
 * live appends that follow a whole series grow them in place. Issue 17: adopting the message's arrays as they were
 * made the first point appended after a whole-series message copy that run's columns at once (23–40 ms of the
 * 10M-point live append, on the input path); the copy is now made here, once per whole series, where the series is
 * drawn from scratch anyway. Inconsistent columns (plain arrays, `tokens`/`time` not as long as `y`) are copied by
 * appendSeries, which pads and cuts them. The message's own arrays are never written.
 */
export function adoptSeries(m: SeriesData): SeriesData {
  const n = m.y?.length;
  const fits = (a: unknown): boolean => a === undefined || (a instanceof Float64Array && a.length === n);
  if (
    m.y instanceof Float64Array &&
    m.step instanceof Float64Array &&
    m.step.length === n &&
    fits(m.tokens) &&
    fits(m.time)
  ) {
    const s: SeriesData = { runId: m.runId, metric: m.metric, step: growable(m.step), y: growable(m.y) };
    if (m.tokens) s.tokens = growable(m.tokens);
    if (m.time) s.time = growable(m.time);
    return s;
  }
  const s: SeriesData = { runId: m.runId, metric: m.metric, step: new Float64Array(0), y: new Float64Array(0) };
  if (m.y && m.step) appendSeries(s, m);
  return s;
}

/** The step of the series point whose x is nearest `x` (x increasing along the series), by binary search. */
export function stepAtX(s: SeriesData | undefined, xOf: (i: number) => number, x: number): number | undefined {
  if (!s || !s.step.length) return undefined;
  let lo = 0,
    hi = s.step.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const xm = xOf(mid);
    if (!(xm <= x)) hi = mid;
    else lo = mid;
  }
  const best = Math.abs(xOf(lo) - x) <= Math.abs(xOf(hi) - x) || !Number.isFinite(xOf(hi)) ? lo : hi;
  const st = s.step[best];
  return Number.isFinite(st) ? st : undefined;
}
