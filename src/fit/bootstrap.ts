/**
 * Bootstrap uncertainty for the Chinchilla fit: resample points (or whole runs/groups) with replacement, refit
 * from the full-data optimum (as Besiroglu et al. 2024 do, not from the whole grid), and report percentile
 * intervals of the parameters and of the compute-optimal exponent a = β/(α+β). Seeded PRNG (mulberry32) so
 * results are reproducible. Strong α–β correlation across refits is reported as a warning.
 */
import type { Interval } from './types';
import { chinchillaRefitter, type ChinchillaFit, type ChinchillaRefitter } from './chinchilla';

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
  const pos = (sorted.length - 1) * q,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  samples?: number;
  seed?: number;
  confidence?: number;
  byGroup?: boolean;
}

export interface BootstrapResult {
  ok: true;
  samples: number;
  failed: number;
  intervals: Record<'A' | 'B' | 'E' | 'alpha' | 'beta' | 'a', Interval>;
  corrAlphaBeta: number;
  warnings: string[];
  /** Per successful refit, in resample order: α, β and the refit's objective (its weighted Huber sum). */
  draws: { alpha: number[]; beta: number[]; objective: number[] };
}

/**
 * Resampling weights: `draw()` adds one resample's multiplicities to `w` (zeroed first), drawing `units.length`
 * units with replacement (a unit is a list of point indices: one point, or one run's points).
 */
export function resampleInto(w: Float64Array, units: readonly (readonly number[])[], rand: () => number): void {
  w.fill(0);
  const u = units.length;
  for (let k = 0; k < u; k++) for (const i of units[Math.floor(rand() * u)]) w[i]++;
}

/**
 * The weights `bootstrapChinchilla(fit, { samples: B, seed })` refits over points (not by group), one
 * Float64Array per resample, in order: for checking its refits against an independent optimiser.
 */
export function bootstrapWeights(n: number, samples: number, seed = 1): Float64Array[] {
  const rand = mulberry32(seed);
  const units = Array.from({ length: n }, (_, i) => [i]);
  return Array.from({ length: samples }, () => {
    const w = new Float64Array(n);
    resampleInto(w, units, rand);
    return w;
  });
}

/**
 * Bootstrap a Chinchilla fit (from `fitChinchilla`). Never throws. Resamples are integer weights on the fitted
 * points (no copies of the data), refitted by one `chinchillaRefitter` (shared precomputation, warm start from
 * the full-data optimum and its inverse Hessian).
 */
export function bootstrapChinchilla(
  fit: ChinchillaFit,
  opts: BootstrapOptions = {},
): BootstrapResult | { ok: false; reason: string } {
  const B = Math.max(0, Math.floor(opts.samples ?? 200)),
    conf = opts.confidence ?? 0.95;
  const { logL, groups } = fit.data;
  const n = logL.length;
  if (B < 2) return { ok: false, reason: 'need at least 2 bootstrap samples' };
  let refitter: ChinchillaRefitter;
  try {
    refitter = chinchillaRefitter(fit);
  } catch (e) {
    return { ok: false, reason: `bootstrap failed: ${(e as Error)?.message ?? String(e)}` };
  }
  const rand = mulberry32(opts.seed ?? 1);
  // Resampling units: points, or groups (runs) when asked and available.
  const unitOf = new Map<string | number, number[]>();
  if (opts.byGroup)
    groups.forEach((g, i) => {
      const k = g ?? `#${i}`;
      const l = unitOf.get(k) ?? [];
      l.push(i);
      unitOf.set(k, l);
    });
  const units = opts.byGroup ? [...unitOf.values()] : Array.from({ length: n }, (_, i) => [i]);
  const draws: Record<string, number[]> = { A: [], B: [], E: [], alpha: [], beta: [], a: [] };
  let failedCount = 0;
  const objective: number[] = [];
  const w = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    resampleInto(w, units, rand);
    let r: ReturnType<ChinchillaRefitter['refit']>;
    try {
      r = refitter.refit(w);
    } catch (e) {
      r = { ok: false, reason: String(e) };
    }
    if (!r.ok) {
      failedCount++;
      continue;
    }
    const p = r.params;
    draws.A.push(p.A);
    draws.B.push(p.B);
    draws.E.push(p.E);
    draws.alpha.push(p.alpha);
    draws.beta.push(p.beta);
    draws.a.push(p.beta / (p.alpha + p.beta));
    objective.push(r.objective);
  }
  const intervals = {} as BootstrapResult['intervals'];
  for (const k of Object.keys(draws) as (keyof BootstrapResult['intervals'])[]) {
    const s = draws[k].slice().sort((x, y) => x - y);
    intervals[k] = { lower: percentile(s, (1 - conf) / 2), upper: percentile(s, 1 - (1 - conf) / 2) };
  }
  const corr = correlation(draws.alpha, draws.beta);
  const warnings: string[] = [];
  if (Math.abs(corr) > 0.95)
    warnings.push(
      `α and β are strongly correlated across bootstrap refits (corr ${corr.toFixed(3)}): not separately identifiable`,
    );
  if (failedCount > 0.1 * B) warnings.push(`${failedCount} of ${B} bootstrap refits failed`);
  return {
    ok: true,
    samples: B - failedCount,
    failed: failedCount,
    intervals,
    corrAlphaBeta: corr,
    warnings,
    draws: { alpha: draws.alpha, beta: draws.beta, objective },
  };
}

export function correlation(x: number[], y: number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return NaN;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
