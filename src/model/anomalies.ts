/**
 * Training-health checks on a run's series, reported as Problems on log lines:
 *  - divergence: a NaN or ±inf loss (the first one of each streak: one event per streak);
 *  - loss spike, judged against the run's own noise: the trend is the median of the `window` points before the
 *    last `k`; the noise σ is 1.4826 × their median absolute deviation (robust: spikes do not inflate it). A
 *    spike is either sustained — the median of the last `k` points is more than `sustainedZ` standard errors of
 *    such a median (σ·1.2533/√k) above the trend, which one-batch outliers of a noisy per-step log never reach —
 *    or a single point more than `singleZ` σ above it (far beyond the heavy tails of real per-step losses).
 *    Consecutive flagged points (gaps < k) are ONE event, reported at its peak, with its step range;
 *  - over-fitting: validation loss rising over its last `minRise` evaluations while training loss keeps falling.
 * At most `MAX_EVENTS` spike events per series are kept (`dropped` counts the rest). Pure; returns indices into
 * the series so the host can locate the log lines.
 *
 * Calibrated on the shared real logs (test/unit/model/anomalies-real.test.ts): healthy GPT-2 speedrun and llm.c
 * runs get at most one flag per 10k steps, while an injected PaLM-style spike and a NaN divergence are flagged
 * once each.
 */
import type { Series } from '../ingest/types';

export type AnomalyKind = 'divergence' | 'spike' | 'overfit';

export interface Anomaly {
  kind: AnomalyKind;
  metric: string;
  index: number;
  step: number;
  value: number;
  message: string;
  /** Spike events: the first and last flagged step. */
  fromStep?: number;
  toStep?: number;
}

export interface SpikeOptions {
  /** Points of the trend window (before the last `k`). */
  window: number;
  /** Points whose median must stand out for a sustained spike. */
  k: number;
  sustainedZ: number;
  singleZ: number;
  /** Tests only: every median by copying and sorting its window (the definition), to check the sorted windows. */
  naiveMedians?: boolean;
}

export const SPIKE_DEFAULTS: SpikeOptions = { window: 32, k: 5, sustainedZ: 6, singleZ: 25 };
/** Spike events kept per series. */
export const MAX_EVENTS = 20;
/** Trend points needed before anything is judged. */
const MIN_HIST = 8;

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A bounded multiset of finite numbers kept sorted (insert and remove by binary search, O(size) moves in a typed
 * array), so the spike checks' medians cost O(1) and the median absolute deviation O(size) with no sort. The same
 * values as `median` of the same numbers: the same order statistics, averaged the same way. Before, each point
 * copied and sorted its windows four times (~12 µs a point): a live log at 8,600 lines/s (the VS Code soak) cost
 * 110–370 ms stalls of the extension host every second, and a 1M-point log's first check ~10 s in one go.
 */
class SortedWindow {
  private readonly a: Float64Array;
  private n = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
  }
  get size(): number {
    return this.n;
  }
  clear(): void {
    this.n = 0;
  }
  /** First index whose value is ≥ x. */
  private lowerBound(x: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(x: number): void {
    const at = this.lowerBound(x);
    this.a.copyWithin(at + 1, at, this.n);
    this.a[at] = x;
    this.n++;
  }
  remove(x: number): void {
    const at = this.lowerBound(x);
    if (at >= this.n || this.a[at] !== x) return;
    this.a.copyWithin(at, at + 1, this.n);
    this.n--;
  }
  median(): number {
    const m = this.n >> 1;
    return this.n % 2 ? this.a[m] : (this.a[m - 1] + this.a[m]) / 2;
  }
  /** The median of |x − c| over the values: the deviations come out in order merging outward from c. */
  medianDeviation(c: number): number {
    const a = this.a,
      n = this.n,
      m = n >> 1;
    let r = this.lowerBound(c),
      l = r - 1,
      prev = 0,
      cur = 0;
    for (let k = 0; k <= m; k++) {
      const dl = l >= 0 ? Math.abs(a[l] - c) : Infinity;
      const dr = r < n ? Math.abs(a[r] - c) : Infinity;
      prev = cur;
      if (dl <= dr) {
        cur = dl;
        l--;
      } else {
        cur = dr;
        r++;
      }
    }
    return n % 2 ? cur : (prev + cur) / 2;
  }
}

/** The median of a few values (the last `k`), by insertion sort into a scratch array. */
const small: number[] = [];
function medianOfRecent(recent: readonly { v: number }[]): number {
  const n = recent.length;
  small.length = 0;
  for (let j = 0; j < n; j++) {
    const x = recent[j].v;
    let p = j;
    while (p > 0 && small[p - 1] > x) {
      small[p] = small[p - 1];
      p--;
    }
    small[p] = x;
  }
  const m = n >> 1;
  return n % 2 ? small[m] : (small[m - 1] + small[m]) / 2;
}

/**
 * Divergence and spike checks of one series, incrementally: `update` looks only at the points appended since its
 * previous call, so a live run's Problems (refreshed every second) cost O(new points), not O(all points) on the
 * extension host's event loop. It starts over when the series was rewritten: another object, fewer points, or a
 * thinning pass (ingest/series.ts). Same results as a scan of the whole series.
 */
export class SeriesScan {
  private series: Series | undefined;
  private scanned = 0;
  private passes = 0;
  private inStreak = false;
  /** Trend window (finite values before the recent ones). */
  private base: number[] = [];
  /** The last `k` finite values and their indices. */
  private recent: { v: number; i: number }[] = [];
  /** Recent residuals of the k-point median from the trend (flagged ones excluded): the median's own noise. */
  private medRes: number[] = [];
  /** `base` and the absolute values of `medRes`, kept sorted (the medians of every point). */
  private readonly sortedBase: SortedWindow;
  private readonly sortedAbsRes: SortedWindow;
  /** The open spike event and the finite-point count at its last flagged point. */
  private open: Anomaly | undefined;
  private openPeakZ = 0;
  private lastFlag = -Infinity;
  private finite = 0;
  readonly divergence: Anomaly[] = [];
  readonly spikes: Anomaly[] = [];
  /** Spike events beyond MAX_EVENTS (not listed). */
  dropped = 0;
  private readonly o: SpikeOptions;

  constructor(options: Partial<SpikeOptions> = {}) {
    this.o = { ...SPIKE_DEFAULTS, ...options };
    this.sortedBase = new SortedWindow(this.o.window + 1);
    this.sortedAbsRes = new SortedWindow(2 * this.o.window + 1);
  }

  private reset(s: Series, passes: number): void {
    this.series = s;
    this.passes = passes;
    this.scanned = 0;
    this.inStreak = false;
    this.base = [];
    this.recent = [];
    this.medRes = [];
    this.sortedBase.clear();
    this.sortedAbsRes.clear();
    this.open = undefined;
    this.openPeakZ = 0;
    this.lastFlag = -Infinity;
    this.finite = 0;
    this.dropped = 0;
    this.divergence.length = 0;
    this.spikes.length = 0;
  }

  /** Reads the points appended since the last call, at most `maxPoints` of them (the rest on the next calls). */
  update(s: Series, maxPoints = Infinity): this {
    const passes = s.thinned?.passes ?? 0;
    if (s !== this.series || s.value.length < this.scanned || passes !== this.passes) this.reset(s, passes);
    const n = Math.min(s.value.length, this.scanned + maxPoints);
    for (let i = this.scanned; i < n; i++) {
      const v = s.value[i];
      if (!Number.isFinite(v)) {
        if (!this.inStreak)
          this.divergence.push({
            kind: 'divergence',
            metric: s.name,
            index: i,
            step: s.step[i],
            value: v,
            message: `${s.originalName} is ${v} at step ${s.step[i]}: the run diverged`,
          });
        this.inStreak = true;
        continue;
      }
      this.inStreak = false;
      this.point(s, i, v);
    }
    this.scanned = n;
    return this;
  }

  /** Whether every point of `s` has been read (the last `update` was of this series and reached its end). */
  caughtUp(s: Series): boolean {
    return this.series === s && this.scanned >= s.value.length && (s.thinned?.passes ?? 0) === this.passes;
  }

  private point(s: Series, i: number, v: number): void {
    const { window, k, sustainedZ, singleZ } = this.o;
    const { base, recent } = this;
    recent.push({ v, i });
    if (recent.length > k) {
      const x = recent.shift()!.v;
      base.push(x);
      this.sortedBase.insert(x);
      if (base.length > window) this.sortedBase.remove(base.shift()!);
    }
    this.finite++;
    if (base.length < MIN_HIST) return;
    const naive = this.o.naiveMedians;
    const trend = naive ? median(base) : this.sortedBase.median();
    const mad = naive ? median(base.map((h) => Math.abs(h - trend))) : this.sortedBase.medianDeviation(trend);
    const sigma = Math.max(mad * 1.4826, Math.abs(trend) * 1e-3);
    const z = (v - trend) / sigma;
    let flagged = z > singleZ;
    if (recent.length === k) {
      // The noise of a k-point median, measured on this run (its recent medians' spread around the trend), not
      // assumed to be σ/√k: real losses are autocorrelated (data order, shards), so medians wander more than that.
      const res = (naive ? median(recent.map((r) => r.v)) : medianOfRecent(recent)) - trend;
      const medNoise = Math.max(
        this.medRes.length >= MIN_HIST
          ? (naive ? median(this.medRes.map(Math.abs)) : this.sortedAbsRes.median()) * 1.4826
          : 0,
        (sigma * 1.2533) / Math.sqrt(k),
      );
      if (!flagged) flagged = res > sustainedZ * medNoise;
      if (!flagged) {
        this.medRes.push(res);
        this.sortedAbsRes.insert(Math.abs(res));
        if (this.medRes.length > 2 * window) this.sortedAbsRes.remove(Math.abs(this.medRes.shift()!));
      }
    }
    if (!flagged) return;
    const step = s.step[i];
    const open = this.open;
    if (open && this.finite - this.lastFlag <= k) {
      // the same event: extend it, reported at its peak
      open.toStep = step;
      if (v > open.value) {
        open.index = i;
        open.step = step;
        open.value = v;
      }
      this.openPeakZ = Math.max(this.openPeakZ, z);
      open.message = spikeMessage(s, open, trend, this.openPeakZ);
    } else {
      if (this.spikes.length >= MAX_EVENTS) {
        this.dropped++;
        this.open = undefined;
        this.lastFlag = this.finite;
        return;
      }
      const a: Anomaly = {
        kind: 'spike',
        metric: s.name,
        index: i,
        step,
        value: v,
        fromStep: step,
        toStep: step,
        message: '',
      };
      this.openPeakZ = z;
      a.message = spikeMessage(s, a, trend, z);
      this.spikes.push(a);
      this.open = a;
    }
    this.lastFlag = this.finite;
  }
}

function spikeMessage(s: Series, a: Anomaly, trend: number, z: number): string {
  const where =
    a.fromStep !== undefined && a.toStep !== undefined && a.toStep > a.fromStep
      ? `steps ${a.fromStep}–${a.toStep}`
      : `step ${a.step}`;
  return `${s.originalName} spike at ${where}: peak ${a.value.toPrecision(4)} vs trend ${trend.toPrecision(4)} (+${Math.max(0, z).toFixed(0)}σ of this run's own noise)`;
}

export function findDivergence(s: Series): Anomaly[] {
  return new SeriesScan().update(s).divergence;
}

export function findSpikes(s: Series, options: Partial<SpikeOptions> = {}): Anomaly[] {
  return new SeriesScan(options).update(s).spikes;
}

export function findOverfit(train: Series | undefined, val: Series | undefined, minRise = 3): Anomaly[] {
  if (!train || !val) return [];
  const vi: number[] = [];
  for (let i = 0; i < val.value.length; i++) if (Number.isFinite(val.value[i])) vi.push(i);
  if (vi.length < minRise + 1) return [];
  const tail = vi.slice(-(minRise + 1));
  for (let k = 1; k < tail.length; k++) if (!(val.value[tail[k]] > val.value[tail[k - 1]])) return [];
  // Training loss over the same step range must be falling (compare medians of its first and last thirds).
  const s0 = val.step[tail[0]],
    s1 = val.step[tail[tail.length - 1]];
  const tr: number[] = [];
  for (let i = 0; i < train.step.length; i++)
    if (train.step[i] >= s0 && train.step[i] <= s1 && Number.isFinite(train.value[i])) tr.push(train.value[i]);
  if (tr.length < 3) return [];
  const third = Math.max(1, Math.floor(tr.length / 3));
  if (!(median(tr.slice(-third)) < median(tr.slice(0, third)))) return [];
  const last = tail[tail.length - 1];
  return [
    {
      kind: 'overfit',
      metric: val.name,
      index: last,
      step: val.step[last],
      value: val.value[last],
      message: `validation loss rose for ${minRise} evaluations (steps ${s0}–${s1}) while training loss fell: over-fitting?`,
    },
  ];
}

/**
 * Every anomaly of a run. Pass the same `scans` map on every call for a growing run (one per run): each loss
 * series is then scanned only from where the previous call stopped.
 */
/**
 * Advances the scans of the loss series of `metrics` by at most `maxPoints` points each (the series `findAnomalies`
 * checks). True when every one has read all its points: `findAnomalies` with the same scans then reads nothing new.
 * Problems runs this between event-loop turns, so a big log's first check (a million points) is never one block.
 */
export function advanceAnomalyScans(
  metrics: Record<string, Series>,
  scans: Map<string, SeriesScan>,
  maxPoints: number,
): boolean {
  let done = true;
  for (const [key, s] of Object.entries(metrics)) {
    if (!/loss/i.test(s.name)) continue;
    let scan = scans.get(key);
    if (!scan) scans.set(key, (scan = new SeriesScan()));
    if (!scan.update(s, maxPoints).caughtUp(s)) done = false;
  }
  return done;
}

export function findAnomalies(metrics: Record<string, Series>, scans: Map<string, SeriesScan> = new Map()): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [key, s] of Object.entries(metrics)) {
    if (!/loss/i.test(s.name)) continue;
    let scan = scans.get(key);
    if (!scan) scans.set(key, (scan = new SeriesScan()));
    scan.update(s);
    out.push(...scan.divergence, ...scan.spikes);
  }
  for (const key of scans.keys()) if (!metrics[key]) scans.delete(key);
  out.push(...findOverfit(metrics['train/loss'], metrics['val/loss']));
  return out;
}
