/**
 * One series' chart points, transformed once and kept (pure; unit-tested in node): x on the chosen axis, y smoothed,
 * sorted by x, in typed arrays, with the decimator's block summary. What each change recomputes:
 *  - appended points: only the new ones (and the summary's last blocks);
 *  - smoothing: only y (one pass over the series; x, order and the point set stay); in shared mode smoothing 0 draws
 *    the raw column itself and the smoothed y of the last weight is kept, so a change back to it only extends it;
 *  - log x / log y: nothing here — the decimator skips x ≤ 0 / y ≤ 0 when it picks what to draw;
 *  - another x axis, parameter count or series object: a new cache.
 * Non-finite values are not points (as before): a non-finite y is remembered by its x, so the chart can mark where
 * a run diverged however far it is zoomed out.
 *
 * Shared columns (issue 17): on the step and tokens axes, while every point of the series is a point here (finite
 * x and y, x never going back), `xs` and `raw` are the store's own columns (views, read only) and the source index
 * of point k is k — no copy of x, raw y or indices; only the smoothed `ys` and the summary are this cache's. The
 * first append that breaks this (a NaN, an unknown x, a resumed run) copies them once and goes on as before.
 */
import type { SeriesData, XAxis } from '../src/protocol';
import { BLOCK, emptySummary, reserveSummary, summarize, summarizeBlock, type Summary } from './decimate';
import { emaNext, newEma, type EmaState } from './series';

export class SeriesCache {
  xs: Float64Array = new Float64Array(0);
  ys: Float64Array = new Float64Array(0);
  /** Series index of each point (while `shared`, point k is series index k and this stays empty: see `srcAt`). */
  src = new Int32Array(0);
  /** xs and raw are views of the series' x and y columns (see the header). */
  shared = false;
  /** Each point's raw (unsmoothed) y: a smoothing change is one pass over typed arrays. */
  raw: Float64Array = new Float64Array(0);
  /** Finite values whose x is unknown: the EMA still sees them (then a smoothing change walks the series). */
  private unplaced = 0;
  n = 0;
  /** x of the points whose y is not finite (NaN, ±inf: a divergence), in series order. */
  bad: number[] = [];
  sum: Summary = emptySummary();
  /** Series points consumed. */
  consumed = 0;
  smoothing = 0;
  /** Bumped on every change of the points (the chart re-decimates when it differs from what it drew). */
  version = 0;
  /** False once an appended x went backwards (a resumed run): points were re-sorted, so src is not ascending. */
  inOrder = true;
  private ema: EmaState = newEma();
  /**
   * Shared mode's smoothed buffer and what it holds: y for weight `ownW` over points [0, ownN), its summary, and
   * (in `ema`) the EMA state after them. While the smoothing is 0 and `own` holds another weight, `ys` and `sum` are
   * `raw` and `rawSum` (no copy), and `own` is kept: a change back to its weight only extends it (issue 17: a
   * smoothing toggled off and on again recomputes nothing). Out of shared mode `ys` is this cache's only y buffer.
   */
  private own: Float64Array = new Float64Array(0);
  private ownW = NaN;
  private ownN = 0;
  private ownSum: Summary = this.sum;
  /** Summary of raw[0, rawSumN) (the smoothing-0 summary while `own` holds another weight). */
  private rawSum: Summary = emptySummary();
  private rawSumN = 0;

  constructor(
    readonly series: SeriesData,
    readonly xAxis: XAxis,
    readonly params: number | undefined,
    private readonly x: (i: number) => number,
  ) {}

  /** Series index of point k. */
  srcAt(k: number): number {
    return this.shared ? k : this.src[k];
  }

  /** The series' x column when x is one as is (step, tokens), else undefined. */
  private xColumn(): Float64Array | undefined {
    const s = this.series;
    return this.xAxis === 'step' ? s.step : this.xAxis === 'tokens' ? s.tokens : undefined;
  }

  /**
   * Takes in series points [consumed, len) as shared columns when they all are points in order; false (nothing
   * changed) otherwise.
   */
  private syncShared(len: number): boolean {
    const xc = this.xColumn(),
      yc = this.series.y;
    if (!xc || !(this.shared || this.consumed === 0) || xc.length < len || yc.length < len) return false;
    const from = this.consumed;
    let last = from > 0 ? xc[from - 1] : -Infinity;
    for (let i = from; i < len; i++) {
      const xv = xc[i],
        yr = yc[i];
      // Finite y and x (v - v is 0 only for finite v), x not going back.
      if (yr - yr !== 0 || xv - xv !== 0 || xv < last) return false;
      last = xv;
    }
    this.shared = true;
    this.xs = xc.length === len ? xc : xc.subarray(0, len);
    this.raw = yc.length === len ? yc : yc.subarray(0, len);
    const w = this.smoothing,
      raw = this.raw;
    if (from === 0) this.ownW = w;
    if (w === this.ownW) {
      const ys = this.growOwn(len);
      if (w > 0) for (let k = from; k < len; k++) ys[k] = emaNext(this.ema, raw[k], w);
      else ys.set(raw.subarray(from, len), from);
      summarize(ys, len, this.ownSum, from);
      this.ownN = len;
      this.ys = ys;
      this.sum = this.ownSum;
    } else {
      // Smoothing 0 while own holds another weight: y is the raw column itself.
      summarize(raw, len, this.rawSum, this.rawSumN);
      this.rawSumN = len;
      this.ys = raw;
      this.sum = this.rawSum;
    }
    this.n = len;
    this.consumed = len;
    return true;
  }

  /** `own` with room for n points (its first ownN kept); an eighth spare on the first fill, then 1.5× growth. */
  private growOwn(n: number): Float64Array {
    if (this.own.length >= n) return this.own;
    const cap = this.own.length === 0 ? n + Math.max(1024, n >> 3) : Math.max(n, Math.ceil(this.own.length * 1.5));
    const own = new Float64Array(cap);
    own.set(this.own.subarray(0, this.ownN));
    return (this.own = own);
  }

  /** A smoothing change in shared mode: reuses `own` when it holds weight w, else one pass over the raw column. */
  private resmoothShared(w: number): void {
    const n = this.n,
      raw = this.raw;
    this.smoothing = w;
    if (w === this.ownW) {
      // Back to the weight own holds: only the points appended since (the EMA goes on from its saved state).
      const ys = this.growOwn(n);
      if (w > 0) for (let k = this.ownN; k < n; k++) ys[k] = emaNext(this.ema, raw[k], w);
      else ys.set(raw.subarray(this.ownN, n), this.ownN);
      summarize(ys, n, this.ownSum, this.ownN);
      this.ownN = n;
      this.ys = ys;
      this.sum = this.ownSum;
      return;
    }
    if (this.ownW === 0) {
      // own holds raw y, about to be overwritten: keep its summary as the smoothing-0 one.
      const k = this.ownSum.blocks;
      reserveSummary(this.rawSum, k);
      this.rawSum.minI.set(this.ownSum.minI.subarray(0, k));
      this.rawSum.maxI.set(this.ownSum.maxI.subarray(0, k));
      this.rawSum.blocks = k;
      this.rawSumN = this.ownN;
    }
    if (w === 0) {
      // Smoothing off: y is the raw column; own keeps its weight for a change back.
      summarize(raw, n, this.rawSum, this.rawSumN);
      this.rawSumN = n;
      this.ys = raw;
      this.sum = this.rawSum;
      return;
    }
    const ys = this.growOwn(n);
    reserveSummary(this.ownSum, Math.ceil(n / BLOCK));
    const st = smoothBlocks(raw, ys, n, w, this.ownSum);
    this.ema = { acc: st.acc, pw: st.pw, n };
    this.ownW = w;
    this.ownN = n;
    this.ys = ys;
    this.sum = this.ownSum;
  }

  /** Leaves shared mode: xs, raw and src become this cache's own arrays (with room for `extra` more points). */
  private unshare(extra: number): void {
    if (!this.shared) return;
    if (this.smoothing !== this.ownW) {
      // y is the raw column (smoothing 0): make it this cache's own copy again, with the raw summary.
      const ys = this.growOwn(this.n);
      ys.set(this.raw.subarray(0, this.n));
      this.ys = ys;
      this.ownSum = this.sum = this.rawSum;
    }
    this.ownW = NaN;
    const n = this.n,
      cap = n + Math.max(1024, extra, n >> 3);
    const xs = new Float64Array(cap),
      raw = new Float64Array(cap),
      src = new Int32Array(cap);
    xs.set(this.xs.subarray(0, n));
    raw.set(this.raw.subarray(0, n));
    for (let k = 0; k < n; k++) src[k] = k;
    this.xs = xs;
    this.raw = raw;
    this.src = src;
    this.shared = false;
  }

  private reserve(k: number): void {
    if (k <= this.xs.length && k <= this.ys.length) return;
    // The first fill (a whole series at once) leaves an eighth spare, so the live appends that follow a loaded run
    // do not copy millions of points at once; then 1.5× growth.
    const cap = this.xs.length === 0 ? k + Math.max(1024, k >> 3) : Math.max(k, Math.ceil(this.xs.length * 1.5));
    const xs = new Float64Array(cap),
      ys = new Float64Array(cap),
      src = new Int32Array(cap),
      raw = new Float64Array(cap);
    xs.set(this.xs.subarray(0, this.n));
    ys.set(this.ys.subarray(0, this.n));
    src.set(this.src.subarray(0, this.n));
    raw.set(this.raw.subarray(0, this.n));
    this.xs = xs;
    this.ys = ys;
    this.src = src;
    this.raw = raw;
  }

  /**
   * Takes in the series' new points and applies smoothing weight `w`. Returns true when anything changed.
   * A series that shrank (replaced in place) cannot be extended: the caller makes a new cache (see `fits`).
   */
  sync(w: number): boolean {
    const s = this.series,
      len = Math.min(s.y.length, s.step.length);
    let changed = false;
    // A first fill smooths with w directly (no second pass).
    if (this.consumed === 0) this.smoothing = w;
    if (len > this.consumed && this.syncShared(len)) changed = true;
    else if (len > this.consumed) {
      this.unshare(len - this.consumed);
      const from = this.n;
      this.reserve(this.n + (len - this.consumed));
      const { xs, ys, src, raw, ema, x } = this;
      let n = this.n,
        sorted = true,
        last = n ? xs[n - 1] : -Infinity;
      const sw = this.smoothing,
        sy = s.y;
      for (let i = this.consumed; i < len; i++) {
        const yr = sy[i];
        if (!Number.isFinite(yr)) {
          const xb = x(i);
          if (Number.isFinite(xb)) this.bad.push(xb);
          continue;
        }
        // The EMA sees every finite value, even one whose x is unknown (as buildPoints does).
        const y = sw > 0 ? emaNext(ema, yr, sw) : yr;
        const xv = x(i);
        if (!Number.isFinite(xv)) {
          this.unplaced++;
          continue;
        }
        if (xv < last) sorted = false;
        last = xv;
        xs[n] = xv;
        ys[n] = y;
        src[n] = i;
        raw[n] = yr;
        n++;
      }
      this.n = n;
      this.consumed = len;
      if (!sorted) {
        this.sort();
        this.inOrder = false;
      }
      summarize(this.ys, this.n, this.sum, sorted ? from : 0);
      changed = true;
    }
    if (w !== this.smoothing) {
      this.resmooth(w);
      changed = true;
    }
    if (changed) this.version++;
    return changed;
  }

  /** Recomputes y for smoothing weight w: one pass over the series, x and order untouched. */
  private resmooth(w: number): void {
    const s = this.series,
      { ys, src, n } = this;
    if (this.shared) return this.resmoothShared(w);
    this.smoothing = w;
    this.ema = newEma();
    if (this.inOrder && this.unplaced === 0) {
      // Every finite value is a point, in series order: the EMA over the raw y column (emaNext inlined: the same
      // arithmetic in locals), with the block summary taken in the same pass.
      reserveSummary(this.sum, Math.ceil(n / BLOCK));
      const st = smoothBlocks(this.raw, ys, n, w, this.sum);
      if (w > 0) {
        this.ema.acc = st.acc;
        this.ema.pw = st.pw;
        this.ema.n = n;
      }
      return;
    }
    if (this.inOrder) {
      // Points are in series order: walk the series, feeding the EMA every finite value, writing the kept ones.
      // emaNext inlined (the same arithmetic, in locals): this pass is what a smoothing change costs.
      const sy = s.y,
        end = this.consumed,
        ema = this.ema;
      let k = 0,
        acc = 0,
        pw = 1,
        cnt = 0,
        next = n ? src[0] : -1;
      if (w > 0) {
        const u = 1 - w;
        for (let i = 0; i < end; i++) {
          const yr = sy[i];
          if (!Number.isFinite(yr)) continue;
          acc = acc * w + u * yr;
          pw *= w;
          cnt++;
          if (i === next) {
            ys[k++] = acc / (1 - pw);
            next = k < n ? src[k] : -1;
          }
        }
      } else {
        for (let k2 = 0; k2 < n; k2++) ys[k2] = sy[src[k2]];
      }
      ema.acc = acc;
      ema.pw = pw;
      ema.n = cnt;
    } else {
      // Re-sorted points: smooth in series order into a scratch array, then gather.
      const sm = new Float64Array(this.consumed);
      for (let i = 0; i < this.consumed; i++) {
        const yr = s.y[i];
        if (Number.isFinite(yr)) sm[i] = w > 0 ? emaNext(this.ema, yr, w) : yr;
      }
      for (let k = 0; k < n; k++) ys[k] = sm[src[k]];
    }
    summarize(ys, n, this.sum, 0);
  }

  /** Sorts the points by x, stably (runs resumed from a checkpoint repeat steps). */
  private sort(): void {
    const n = this.n,
      { xs, ys, src } = this;
    const idx = new Int32Array(n);
    for (let k = 0; k < n; k++) idx[k] = k;
    const order = Array.from(idx).sort((a, b) => xs[a] - xs[b] || src[a] - src[b]);
    const x2 = new Float64Array(n),
      y2 = new Float64Array(n),
      s2 = new Int32Array(n),
      r2 = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const j = order[k];
      x2[k] = xs[j];
      y2[k] = ys[j];
      s2[k] = src[j];
      r2[k] = this.raw[j];
    }
    xs.set(x2);
    ys.set(y2);
    src.set(s2);
    this.raw.set(r2);
  }

  /** Whether this cache still describes `s` on this axis (else the chart makes a new one). */
  fits(s: SeriesData, xAxis: XAxis, params: number | undefined): boolean {
    return (
      s === this.series &&
      xAxis === this.xAxis &&
      params === this.params &&
      Math.min(s.y.length, s.step.length) >= this.consumed
    );
  }
}

/**
 * ys[k] = debiased EMA of raw[0..k] with weight w (ys = raw when w ≤ 0), and the block summary of ys, in one pass.
 * The same arithmetic as emaNext; once w^k has underflowed so far that 1 − w^k is exactly 1 the division is
 * skipped (dividing by 1 changes nothing), which is most of a long series.
 */
function smoothBlocks(
  raw: Float64Array,
  ys: Float64Array,
  n: number,
  w: number,
  sum: Summary,
): { acc: number; pw: number } {
  const blocks = Math.ceil(n / BLOCK);
  const u = 1 - w;
  let acc = 0,
    pw = 1;
  for (let b = 0; b < blocks; b++) {
    const a = b * BLOCK,
      e = Math.min(n, a + BLOCK);
    if (w > 0 && 1 - pw !== 1) {
      for (let k = a; k < e; k++) {
        acc = acc * w + u * raw[k];
        pw *= w;
        ys[k] = acc / (1 - pw);
      }
      summarizeBlock(ys, a, e, sum, b);
    } else if (w > 0) {
      // Most of a long series: the EMA and the block's lowest and highest in the same loop, so the comparisons run
      // in the shadow of the EMA's multiply-add chain (one pass instead of two: 33 → 20 ms for 10M points in node).
      let lo = a,
        hi = a;
      acc = acc * w + u * raw[a];
      let vlo = (ys[a] = acc),
        vhi = acc;
      for (let k = a + 1; k < e; k++) {
        acc = acc * w + u * raw[k];
        ys[k] = acc;
        if (acc < vlo) {
          vlo = acc;
          lo = k;
        }
        if (acc > vhi) {
          vhi = acc;
          hi = k;
        }
      }
      sum.minI[b] = lo;
      sum.maxI[b] = hi;
      // pw keeps shrinking in emaNext (it only matters while 1 − pw differs from 1; it stays 0 once underflowed).
      pw *= w ** (e - a);
    } else {
      for (let k = a; k < e; k++) ys[k] = raw[k];
      summarizeBlock(ys, a, e, sum, b);
    }
  }
  sum.blocks = blocks;
  return { acc, pw };
}
