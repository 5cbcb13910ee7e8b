/**
 * Bootstrap uncertainty for the Chinchilla fit: resample points (or whole runs/groups) with replacement, refit
 * from the full-data optimum (as Besiroglu et al. 2024 do, not from the whole grid), and report percentile
 * intervals of the parameters and of the compute-optimal exponent a = β/(α+β). Seeded PRNG (mulberry32) so
 * results are reproducible. Strong α–β correlation across refits is reported as a warning.
 */
import type { Interval } from './types';
import { fitChinchilla, type ChinchillaFit } from './chinchilla';

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BootstrapOptions { samples?: number; seed?: number; confidence?: number; byGroup?: boolean }

export interface BootstrapResult {
  ok: true;
  samples: number;
  failed: number;
  intervals: Record<'A' | 'B' | 'E' | 'alpha' | 'beta' | 'a', Interval>;
  corrAlphaBeta: number;
  warnings: string[];
  draws: { alpha: number[]; beta: number[] };
}

/** Bootstrap a Chinchilla fit (from `fitChinchilla`). Never throws. */
export function bootstrapChinchilla(fit: ChinchillaFit, opts: BootstrapOptions = {}): BootstrapResult | { ok: false; reason: string } {
  const B = Math.max(0, Math.floor(opts.samples ?? 200)), conf = opts.confidence ?? 0.95;
  const { logN, logD, logL, groups } = fit.data;
  const n = logL.length;
  if (B < 2) return { ok: false, reason: 'need at least 2 bootstrap samples' };
  const rand = mulberry32(opts.seed ?? 1);
  const pts = Array.from({ length: n }, (_, i) => ({ N: Math.exp(logN[i]), D: Math.exp(logD[i]), loss: Math.exp(logL[i]) }));
  // Resampling units: points, or groups (runs) when asked and available.
  const unitOf = new Map<string | number, number[]>();
  if (opts.byGroup) groups.forEach((g, i) => { const k = g ?? `#${i}`; const l = unitOf.get(k) ?? []; l.push(i); unitOf.set(k, l); });
  const units = opts.byGroup ? [...unitOf.values()] : pts.map((_, i) => [i]);
  const draws: Record<string, number[]> = { A: [], B: [], E: [], alpha: [], beta: [], a: [] };
  let failedCount = 0;
  const w = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    w.fill(0);
    for (let k = 0; k < units.length; k++) for (const i of units[Math.floor(rand() * units.length)]) w[i]++;
    const r = fitChinchilla(pts, { starts: [fit.raw], weights: w, skipDiagnostics: true, delta: fit.loss.delta, useEffectiveN: false });
    if (!r.ok) { failedCount++; continue; }
    const p = r.params;
    draws.A.push(p.A); draws.B.push(p.B); draws.E.push(p.E); draws.alpha.push(p.alpha); draws.beta.push(p.beta);
    draws.a.push(p.beta / (p.alpha + p.beta));
  }
  const intervals = {} as BootstrapResult['intervals'];
  for (const k of Object.keys(draws) as (keyof BootstrapResult['intervals'])[]) {
    const s = draws[k].slice().sort((x, y) => x - y);
    intervals[k] = { lower: percentile(s, (1 - conf) / 2), upper: percentile(s, 1 - (1 - conf) / 2) };
  }
  const corr = correlation(draws.alpha, draws.beta);
  const warnings: string[] = [];
  if (Math.abs(corr) > 0.95) warnings.push(`α and β are strongly correlated across bootstrap refits (corr ${corr.toFixed(3)}): not separately identifiable`);
  if (failedCount > 0.1 * B) warnings.push(`${failedCount} of ${B} bootstrap refits failed`);
  return { ok: true, samples: B - failedCount, failed: failedCount, intervals, corrAlphaBeta: corr, warnings, draws: { alpha: draws.alpha, beta: draws.beta } };
}

export function correlation(x: number[], y: number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const dx = x[i] - mx, dy = y[i] - my; sxy += dx * dy; sxx += dx * dx; syy += dy * dy; }
  return sxy / Math.sqrt(sxx * syy);
}
