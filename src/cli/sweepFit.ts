/**
 * Sweep fits for the CLI: one point per finished run (or per table row) → a law across runs.
 *
 * The fit itself is the engine's `fitChinchilla` (src/fit/chinchilla.ts); the CLI keeps only the bootstrap
 * (seeded, reproducible) and the percentile intervals.
 * Protocol (Besiroglu et al. 2024): log-space Huber (δ = 1e-3) summed over points, L-BFGS from the 4,500-start
 * grid, best optimum kept. Bootstrap: resample points with replacement (as multiplicity weights), refit each
 * replicate from the full-data optimum, percentile intervals (2.5/97.5 % at the default 0.95).
 */
import { chinchillaLaw, type ChinchillaData } from '../fit/laws/chinchilla';
import { chinchillaRefitter, fitChinchilla as engineFitChinchilla } from '../fit/chinchilla';
import { cartesian } from '../fit/optim/index';
import { DataError } from './errors';

export interface SweepPoint {
  N: number;
  D: number;
  loss: number;
  label: string;
}

export interface SweepFitOptions {
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  /** Multi-start grid (default: the law's 4,500-start grid). Flat rows of 5. */
  starts?: Float64Array;
}

export interface SweepFitResult {
  law: string;
  raw: Float64Array;
  params: Record<string, number>;
  intervals: Record<string, [number, number]>;
  objective: number;
  n: number;
  distinctOptima: number;
  starts: number;
  bootstrapDone: number;
  derived: Record<string, number>;
  warnings: string[];
}

/** Small seeded PRNG (mulberry32): reproducible bootstraps with `--seed`. */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function chinchillaData(points: readonly SweepPoint[]): ChinchillaData {
  return {
    lN: Float64Array.from(points, (p) => Math.log(p.N)),
    lD: Float64Array.from(points, (p) => Math.log(p.D)),
    lL: Float64Array.from(points, (p) => Math.log(p.loss)),
  };
}

export function chinchillaGrid(): Float64Array {
  return cartesian(chinchillaLaw.params.map((p) => p.grid!)).data;
}

function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const pos = q * (sorted.length - 1),
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function derivedChinchilla(p: Record<string, number>): Record<string, number> {
  // Compute-optimal allocation N_opt ∝ C^a, D_opt ∝ C^b with a = β/(α+β), b = α/(α+β).
  return { a: p.beta / (p.alpha + p.beta), b: p.alpha / (p.alpha + p.beta) };
}

export function fitChinchilla(points: readonly SweepPoint[], opts: SweepFitOptions = {}): SweepFitResult {
  const input = points.map((p) => ({ N: p.N, D: p.D, loss: p.loss }));
  const fit = engineFitChinchilla(input, opts.starts ? { starts: rowsOf(opts.starts) } : {});
  if (!fit.ok) throw new DataError(fit.reason);
  const best = Float64Array.from(fit.raw);
  const params: Record<string, number> = { ...fit.params };
  const warnings = [...fit.warnings];
  if (!fit.converged) warnings.push('best optimum did not meet the convergence test');
  const B = Math.max(0, Math.floor(opts.bootstrap ?? 0));
  const intervals: Record<string, [number, number]> = {};
  let done = 0;
  if (B > 0) {
    const names = Object.keys(params);
    const derivedNames = ['a', 'b'];
    const samples = names.map(() => new Float64Array(B));
    const dSamples = derivedNames.map(() => new Float64Array(B));
    const rand = rng(opts.seed ?? 0);
    const n = input.length;
    // Each replicate is refitted from the full-data optimum (the usual bootstrap shortcut), by one refitter that
    // prepares the data once and warm-starts every refit.
    const refitter = chinchillaRefitter(fit);
    const w = new Float64Array(n);
    for (let b = 0; b < B; b++) {
      w.fill(0);
      for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]++;
      const r = refitter.refit(w);
      if (!r.ok) continue;
      names.forEach((k, j) => {
        samples[j][done] = (r.params as Record<string, number>)[k];
      });
      const der = derivedChinchilla(r.params);
      derivedNames.forEach((k, j) => {
        dSamples[j][done] = der[k];
      });
      done++;
    }
    const conf = opts.confidence ?? 0.95;
    const put = (k: string, arr: Float64Array) => {
      const s = arr.slice(0, done).sort();
      intervals[k] = [percentile(s, (1 - conf) / 2), percentile(s, (1 + conf) / 2)];
    };
    names.forEach((k, j) => put(k, samples[j]));
    derivedNames.forEach((k, j) => put(k, dSamples[j]));
    if (done < B) warnings.push(`${B - done} bootstrap replicate(s) failed`);
  }
  return {
    law: 'chinchilla',
    raw: best,
    params,
    intervals,
    objective: fit.objective,
    n: fit.n,
    distinctOptima: fit.distinctOptima ?? 0,
    starts: fit.starts ?? 0,
    bootstrapDone: done,
    derived: derivedChinchilla(params),
    warnings,
  };
}

function rowsOf(flat: Float64Array): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 5 <= flat.length; i += 5) out.push(Array.from(flat.subarray(i, i + 5)));
  return out;
}
