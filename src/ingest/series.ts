/**
 * Compact, bounded storage for one metric series. Pure (no `vscode`).
 *
 * Columns are growable Float64Arrays (capacity ×4, up to the cap): 8 bytes per number, no boxing, no
 * per-point objects. Float64 — not Float32 — for both columns: steps pass 2^24 (16.7 M) in long runs, token
 * counts pass 10^12, and a value must read back exactly as the log printed it (`6e-4` stays 0.0006 in the CLI's
 * JSON; Float32 would turn it into 0.0006000000284984708).
 *
 * `step`, `value` and `time` are views of exactly `length` points, created on first read after a change (so
 * appending allocates nothing and reading in a loop does not re-create them). A view already handed out is a
 * snapshot of its points: appends never change it; only thinning (below) rewrites stored points.
 *
 * Thinning — memory stays bounded on a 1 GB log: when a series reaches `maxPoints` stored points, its oldest
 * points are merged into bins, deterministically (it depends only on the points appended and the cap):
 *  - the most recent `maxPoints / 4` points (plus fewer than one bin's worth) always stay exact;
 *  - older exact points are grouped, oldest first, `w` at a time into new bins (`w` starts at 4; when fewer
 *    than `w` points are to move, they form one smaller bin);
 *  - when that would leave more than `maxPoints / 4` bins, neighbouring bins are first merged pairwise (oldest
 *    first; an odd last bin stays as it is) and `w` doubles — so the binned history keeps a uniform resolution
 *    of `maxPoints / 8 … maxPoints / 4` bins however long the run;
 *  - a bin's step, value and time are the means of its raw points (count-weighted when bins merge), its
 *    smallest and largest value are kept (`thinned.min` / `thinned.max`), and `thinned.count` says how many raw
 *    points it holds. A bin holding a NaN is NaN, one holding ±Infinity is ±Infinity (NaN if both): divergence
 *    is never averaged away.
 * Each thinning pass bumps `thinned.passes` (consumers that remember how many points they took use it to know
 * the stored points were rewritten). Cost: O(maxPoints) per pass, one pass per ≥ maxPoints / 2 appends (a pass
 * leaves at most maxPoints / 2 points, plus less than one bin's worth).
 */
import type { Series, SeriesThinning } from './types';

/** Default cap on the points one series stores (2^20 ≈ 1.05 M); see the module doc. */
export const DEFAULT_MAX_SERIES_POINTS = 1 << 20;
/** Smallest cap accepted (below it thinning would churn). */
export const MIN_MAX_SERIES_POINTS = 64;

const INITIAL_CAPACITY = 64;
const GROWTH = 4;

/** The cap to use for `requested` (undefined → default; clamped to ≥ MIN_MAX_SERIES_POINTS). */
export function seriesCap(requested?: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_MAX_SERIES_POINTS;
  return Math.max(MIN_MAX_SERIES_POINTS, Math.floor(requested));
}

interface ThinState {
  bins: number;
  width: number;
  passes: number;
  count: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export class ColumnSeries implements Series {
  private n = 0;
  private s: Float64Array;
  private v: Float64Array;
  private t: Float64Array | null = null;
  /** Raw points merged into the stored bins (so points received = binnedRaw + exact points; append keeps no count). */
  private binnedRaw = 0;
  /** Bumped when stored points are rewritten or moved to new columns (thinning, growth). */
  private gen = 0;
  /**
   * Views made since the last change, valid while `n` and `gen` are what they were made for: checked on read, so
   * an append writes no field for them.
   */
  private views: {
    n: number;
    gen: number;
    step?: Float64Array;
    value?: Float64Array;
    time?: Float64Array;
    thinned?: SeriesThinning;
  } | null = null;
  private th: ThinState | null = null;
  readonly maxPoints: number;

  constructor(
    private key: string,
    readonly originalName: string,
    maxPoints?: number,
  ) {
    this.maxPoints = seriesCap(maxPoints);
    const cap = Math.min(INITIAL_CAPACITY, this.maxPoints);
    this.s = new Float64Array(cap);
    this.v = new Float64Array(cap);
  }

  /** The normalised name (the key in `Run.metrics`). */
  get name(): string {
    return this.key;
  }

  /** For a builder moving the series to another key (the caller updates `Run.metrics`). */
  rename(name: string): void {
    this.key = name;
  }

  /** Stored points (bins + exact points). */
  get length(): number {
    return this.n;
  }

  /** The views made for the current points (new, empty ones after any change). */
  private current(): NonNullable<ColumnSeries['views']> {
    const c = this.views;
    if (c && c.n === this.n && c.gen === this.gen) return c;
    return (this.views = { n: this.n, gen: this.gen });
  }

  get step(): Float64Array {
    return (this.current().step ??= this.s.subarray(0, this.n));
  }

  get value(): Float64Array {
    return (this.current().value ??= this.v.subarray(0, this.n));
  }

  get time(): Float64Array | undefined {
    if (!this.t) return undefined;
    return (this.current().time ??= this.t.subarray(0, this.n));
  }

  get thinned(): SeriesThinning | undefined {
    const th = this.th;
    if (!th) return undefined;
    return (this.current().thinned ??= {
      maxPoints: this.maxPoints,
      rawPoints: this.rawPoints,
      bins: th.bins,
      binWidth: th.width,
      passes: th.passes,
      count: th.count.subarray(0, th.bins),
      min: th.min.subarray(0, th.bins),
      max: th.max.subarray(0, th.bins),
    });
  }

  /** Points received so far (stored or merged into bins). */
  get rawPoints(): number {
    return this.binnedRaw + this.n - (this.th ? this.th.bins : 0);
  }

  /**
   * Appends one point. `time` in seconds since the epoch: the time column is created the first time a
   * non-NaN time arrives (earlier points get NaN) and then always kept the same length as `step`.
   */
  append(step: number, value: number, time?: number): void {
    let n = this.n;
    if (n === this.s.length) n = this.makeRoom();
    this.s[n] = step;
    this.v[n] = value;
    const t = this.t;
    if (t !== null) t[n] = time === undefined ? NaN : time;
    else if (time !== undefined && time === time) this.timeColumn()[n] = time;
    this.n = n + 1;
  }

  /**
   * Capacity for `more` points to come (up to the cap), allocated at once: a caller that knows how many points it
   * is about to append (the general reader's assembly) spares the ×4 growth steps on the way, each a fresh
   * allocation and a copy (their page faults were a fifth of that reader's CPU time on a 60 MB log). Only memory
   * changes: the points, thinning (at `maxPoints`, as before) and the views are the same.
   */
  reserve(more: number): void {
    const want = Math.min(this.maxPoints, this.n + more);
    if (want <= this.s.length) return;
    this.s = resized(this.s, want);
    this.v = resized(this.v, want);
    if (this.t) {
      const t = new Float64Array(want).fill(NaN);
      t.set(this.t.subarray(0, this.n));
      this.t = t;
    }
    this.gen++;
  }

  /**
   * Takes `step` and `value` (of equal length, below the cap) as the points of this empty series, without copying
   * them: the general reader's assembly hands over columns that nothing writes to again (a plan's steps, a
   * template's column of values), sparing a copy of every point into fresh memory. The arrays are taken at exactly
   * their length, so the first append grows into new arrays (a copy) before anything is written: the lent arrays
   * are never written by the series.
   */
  adopt(step: Float64Array, value: Float64Array): void {
    if (this.n !== 0 || this.t || this.th || step.length !== value.length || step.length >= this.maxPoints)
      throw new Error('ColumnSeries.adopt: only an empty series takes points below its cap');
    this.s = step;
    this.v = value;
    this.n = step.length;
    this.gen++;
  }

  /** Room for one more point (growth or a thinning pass); returns the index to write. Out of line: rare. */
  private makeRoom(): number {
    if (this.n >= this.maxPoints) this.thin();
    else this.grow();
    this.gen++;
    return this.n;
  }

  /** Creates the time column (NaN for the points before the first time). */
  private timeColumn(): Float64Array {
    this.gen++;
    return (this.t = new Float64Array(this.s.length).fill(NaN));
  }

  /**
   * Capacity ×4 (not ×2) up to the cap: each growth allocates fresh zeroed memory and copies the points, and on
   * long series that was most of the store's time (profile in the commit message); at most 4× the stored points
   * are allocated below the cap, and never more than the cap.
   */
  private grow(): void {
    const cap = Math.min(this.maxPoints, Math.max(INITIAL_CAPACITY, this.s.length * GROWTH));
    this.s = resized(this.s, cap);
    this.v = resized(this.v, cap);
    if (this.t) {
      const t = new Float64Array(cap).fill(NaN);
      t.set(this.t.subarray(0, this.n));
      this.t = t;
    }
  }

  /** One thinning pass (see the module doc). In place: no column is re-allocated. */
  private thin(): void {
    const cap = this.maxPoints;
    const keepExact = cap >> 2;
    const maxBins = cap >> 2;
    const th = (this.th ??= {
      bins: 0,
      width: 4,
      passes: 0,
      count: new Float64Array(maxBins + 1),
      min: new Float64Array(maxBins + 1),
      max: new Float64Array(maxBins + 1),
    });
    const s = this.s,
      v = this.v,
      t = this.t;
    const { count, min, max } = th;
    const n = this.n;
    const exactStart = th.bins;
    // 1) how many exact points move into bins, and the bin width that keeps the bins within maxBins
    const moving = Math.max(0, n - exactStart - keepExact);
    // (at least one new bin when any point moves, so a pass always frees room even when bins are very wide)
    const newBins = (width: number) => (moving > 0 ? Math.max(1, Math.floor(moving / width)) : 0);
    let bins = th.bins;
    while (bins + newBins(th.width) > maxBins) {
      bins = mergePairs(s, v, t, count, min, max, bins);
      th.width *= 2;
    }
    // 2) group the oldest exact points `width` at a time into new bins (all of them into one partial bin when
    //    fewer than `width` move); bins are written behind the points still to be read
    const groups = newBins(th.width);
    const width = groups === 1 && moving < th.width ? moving : th.width;
    const r = exactStart + groups * width;
    binGroups(s, v, t, count, min, max, bins, exactStart, groups, width);
    this.binnedRaw += groups * width;
    const w = bins + groups;
    // 3) the exact points follow the bins
    s.copyWithin(w, r, n);
    v.copyWithin(w, r, n);
    if (t) t.copyWithin(w, r, n);
    this.n = w + (n - r);
    th.bins = w;
    th.passes++;
  }
}

/*
 * The loops of a thinning pass, each in its own small function: `thin` runs a few times per series, and V8
 * optimised its long loops only by on-stack replacement, then dropped that code at the next branch not yet seen
 * (the first merge, the code after a loop), so most of each pass ran in the interpreter (profile in the commit
 * message). These helpers see the same types on every call and stay optimised.
 */

/** Merges neighbouring bins pairwise, oldest first (an odd last bin stays as it is); returns the new bin count. */
function mergePairs(
  s: Float64Array,
  v: Float64Array,
  t: Float64Array | null,
  count: Float64Array,
  min: Float64Array,
  max: Float64Array,
  bins: number,
): number {
  let w = 0;
  for (let r = 0; r < bins; r += 2, w++) {
    if (r + 1 < bins) {
      const ca = count[r],
        cb = count[r + 1],
        c = ca + cb;
      s[w] = (s[r] * ca + s[r + 1] * cb) / c;
      v[w] = (v[r] * ca + v[r + 1] * cb) / c;
      if (t) t[w] = (t[r] * ca + t[r + 1] * cb) / c;
      count[w] = c;
      min[w] = minOf(min[r], min[r + 1]);
      max[w] = maxOf(max[r], max[r + 1]);
    } else {
      s[w] = s[r];
      v[w] = v[r];
      if (t) t[w] = t[r];
      count[w] = count[r];
      min[w] = min[r];
      max[w] = max[r];
    }
  }
  return w;
}

/** Bins `groups` runs of `width` exact points from index `r` into bins written from index `w` (w ≤ r). */
function binGroups(
  s: Float64Array,
  v: Float64Array,
  t: Float64Array | null,
  count: Float64Array,
  min: Float64Array,
  max: Float64Array,
  w: number,
  r: number,
  groups: number,
  width: number,
): void {
  for (let g = 0; g < groups; g++, w++) {
    let ss = 0,
      vs = 0,
      lo = v[r],
      hi = lo;
    const stop = r + width;
    for (let k = r; k < stop; k++) {
      const x = v[k];
      ss += s[k];
      vs += x;
      lo = minOf(lo, x);
      hi = maxOf(hi, x);
    }
    if (t) {
      let ts = 0;
      for (let k = r; k < stop; k++) ts += t[k];
      t[w] = ts / width;
    }
    s[w] = ss / width;
    v[w] = vs / width;
    count[w] = width;
    min[w] = lo;
    max[w] = hi;
    r = stop;
  }
}

function resized(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a.subarray(0, Math.min(a.length, cap)));
  return b;
}

/** Math.min/max propagate NaN, which is what a bin holding a NaN must show. */
const minOf = Math.min;
const maxOf = Math.max;

/** A series holding the given points (for derived series, whole-file readers and tests). */
export function seriesFrom(
  name: string,
  originalName: string,
  step: ArrayLike<number>,
  value: ArrayLike<number>,
  time?: ArrayLike<number>,
  maxPoints?: number,
): ColumnSeries {
  const s = new ColumnSeries(name, originalName, maxPoints);
  const n = Math.min(step.length, value.length);
  for (let i = 0; i < n; i++) s.append(step[i], value[i], time ? time[i] : undefined);
  return s;
}
