/**
 * Training-health checks on a run's series, reported as Problems on log lines:
 *  - divergence: a NaN or ±inf loss (the first one of each streak);
 *  - loss spike: a point more than `spikeSigma` robust standard deviations above the rolling median of the
 *    previous `window` points (median absolute deviation × 1.4826 estimates σ robustly);
 *  - over-fitting: validation loss rising over its last `minRise` evaluations while training loss keeps falling.
 * Pure; returns indices into the series so the host can locate the log lines.
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
}

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
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
  private hist: number[] = [];
  readonly divergence: Anomaly[] = [];
  readonly spikes: Anomaly[] = [];

  constructor(private readonly window = 20, private readonly spikeSigma = 6) {}

  update(s: Series): this {
    const passes = s.thinned?.passes ?? 0;
    if (s !== this.series || s.value.length < this.scanned || passes !== this.passes) {
      this.series = s;
      this.passes = passes;
      this.scanned = 0;
      this.inStreak = false;
      this.hist = [];
      this.divergence.length = 0;
      this.spikes.length = 0;
    }
    const { window, spikeSigma, hist } = this;
    const n = s.value.length;
    for (let i = this.scanned; i < n; i++) {
      const v = s.value[i];
      if (!Number.isFinite(v)) {
        if (!this.inStreak) this.divergence.push({ kind: 'divergence', metric: s.name, index: i, step: s.step[i], value: v, message: `${s.originalName} is ${v} at step ${s.step[i]}: the run diverged` });
        this.inStreak = true;
        continue;
      }
      this.inStreak = false;
      if (hist.length >= Math.min(window, 8)) {
        const med = median(hist);
        const mad = median(hist.map((h) => Math.abs(h - med))) * 1.4826;
        const sigma = Math.max(mad, Math.abs(med) * 1e-3);
        if (v - med > spikeSigma * sigma) {
          this.spikes.push({ kind: 'spike', metric: s.name, index: i, step: s.step[i], value: v, message: `loss spike at step ${s.step[i]}: ${v.toPrecision(4)} vs recent median ${med.toPrecision(4)} (+${((v - med) / sigma).toFixed(0)}σ)` });
          continue; // a spike does not enter the baseline
        }
      }
      hist.push(v);
      if (hist.length > window) hist.shift();
    }
    this.scanned = n;
    return this;
  }
}

export function findDivergence(s: Series): Anomaly[] {
  return new SeriesScan().update(s).divergence;
}

export function findSpikes(s: Series, window = 20, spikeSigma = 6): Anomaly[] {
  return new SeriesScan(window, spikeSigma).update(s).spikes;
}

export function findOverfit(train: Series | undefined, val: Series | undefined, minRise = 3): Anomaly[] {
  if (!train || !val) return [];
  const vi: number[] = [];
  for (let i = 0; i < val.value.length; i++) if (Number.isFinite(val.value[i])) vi.push(i);
  if (vi.length < minRise + 1) return [];
  const tail = vi.slice(-(minRise + 1));
  for (let k = 1; k < tail.length; k++) if (!(val.value[tail[k]] > val.value[tail[k - 1]])) return [];
  // Training loss over the same step range must be falling (compare medians of its first and last thirds).
  const s0 = val.step[tail[0]], s1 = val.step[tail[tail.length - 1]];
  const tr: number[] = [];
  for (let i = 0; i < train.step.length; i++) if (train.step[i] >= s0 && train.step[i] <= s1 && Number.isFinite(train.value[i])) tr.push(train.value[i]);
  if (tr.length < 3) return [];
  const third = Math.max(1, Math.floor(tr.length / 3));
  if (!(median(tr.slice(-third)) < median(tr.slice(0, third)))) return [];
  const last = tail[tail.length - 1];
  return [{ kind: 'overfit', metric: val.name, index: last, step: val.step[last], value: val.value[last], message: `validation loss rose for ${minRise} evaluations (steps ${s0}–${s1}) while training loss fell: over-fitting?` }];
}

/**
 * Every anomaly of a run. Pass the same `scans` map on every call for a growing run (one per run): each loss
 * series is then scanned only from where the previous call stopped.
 */
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
