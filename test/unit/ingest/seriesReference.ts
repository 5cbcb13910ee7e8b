/**
 * FROZEN copy of src/ingest/series.ts as of commit 9f56849 (before the store was sped up, issue 17): the
 * reference implementation that test/unit/ingest/series-diff.test.ts compares the current ColumnSeries against,
 * point for point. Do not edit (except to keep it compiling); it is the definition of the stored result.
 */
import type { Series, SeriesThinning } from '../../../src/ingest/types';

/** Default cap on the points one series stores (2^20 ≈ 1.05 M); see the module doc. */
export const DEFAULT_MAX_SERIES_POINTS = 1 << 20;
/** Smallest cap accepted (below it thinning would churn). */
export const MIN_MAX_SERIES_POINTS = 64;

const INITIAL_CAPACITY = 64;

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

export class ReferenceSeries implements Series {
  private n = 0;
  private s: Float64Array;
  private v: Float64Array;
  private t: Float64Array | null = null;
  /** Points received (stored or merged into bins). */
  private raw = 0;
  /** Views made since the last change (one field to clear per append). */
  private views: { step?: Float64Array; value?: Float64Array; time?: Float64Array; thinned?: SeriesThinning } | null =
    null;
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

  get step(): Float64Array {
    return ((this.views ??= {}).step ??= this.s.subarray(0, this.n));
  }

  get value(): Float64Array {
    return ((this.views ??= {}).value ??= this.v.subarray(0, this.n));
  }

  get time(): Float64Array | undefined {
    if (!this.t) return undefined;
    return ((this.views ??= {}).time ??= this.t.subarray(0, this.n));
  }

  get thinned(): SeriesThinning | undefined {
    const th = this.th;
    if (!th) return undefined;
    return ((this.views ??= {}).thinned ??= {
      maxPoints: this.maxPoints,
      rawPoints: this.raw,
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
    return this.raw;
  }

  /**
   * Appends one point. `time` in seconds since the epoch: the time column is created the first time a
   * non-NaN time arrives (earlier points get NaN) and then always kept the same length as `step`.
   */
  append(step: number, value: number, time?: number): void {
    let n = this.n;
    if (n === this.s.length) {
      if (n >= this.maxPoints) {
        this.thin();
        n = this.n;
      } else this.grow();
    }
    this.s[n] = step;
    this.v[n] = value;
    if (this.t) this.t[n] = time === undefined ? NaN : time;
    else if (time !== undefined && time === time) {
      this.t = new Float64Array(this.s.length).fill(NaN);
      this.t[n] = time;
    }
    this.n = n + 1;
    this.raw++;
    this.views = null;
  }

  private grow(): void {
    const cap = Math.min(this.maxPoints, Math.max(INITIAL_CAPACITY, this.s.length * 2));
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
      // merge neighbouring bins pairwise (oldest first); the width doubles
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
      bins = w;
      th.width *= 2;
    }
    // 2) group the oldest exact points `width` at a time into new bins (all of them into one partial bin when
    //    fewer than `width` move); bins are written behind the points still to be read
    const groups = newBins(th.width);
    const width = groups === 1 && moving < th.width ? moving : th.width;
    let w = bins;
    let r = exactStart;
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
    // 3) the exact points follow the bins
    s.copyWithin(w, r, n);
    v.copyWithin(w, r, n);
    if (t) t.copyWithin(w, r, n);
    this.n = w + (n - r);
    th.bins = w;
    th.passes++;
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
): ReferenceSeries {
  const s = new ReferenceSeries(name, originalName, maxPoints);
  const n = Math.min(step.length, value.length);
  for (let i = 0; i < n; i++) s.append(step[i], value[i], time ? time[i] : undefined);
  return s;
}
