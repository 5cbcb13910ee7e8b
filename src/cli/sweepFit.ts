/**
 * Sweep fits for the CLI: one point per finished run (or per table row) → a law across runs.
 *
 * Built on the fit engine's pieces (src/fit/laws/chinchilla.ts objective + src/fit/optim multi-start L-BFGS);
 * the CLI keeps only the orchestration: gathering points, the grid, the bootstrap and percentile intervals.
 * Protocol (Besiroglu et al. 2024): log-space Huber (δ = 1e-3) summed over points, L-BFGS from the 4,500-start
 * grid, best optimum kept. Bootstrap: resample points with replacement (as multiplicity weights), refit each
 * replicate from the full-data optimum and from the grid's other distinct optima, 2.5/97.5 % percentiles.
 */
import { chinchillaLaw, chinchillaObjective, type ChinchillaData } from '../fit/laws/chinchilla';
import { cartesian, multiStart, minimizeLbfgsb } from '../fit/optim/index';

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
  let a = (seed >>> 0) || 0x9e3779b9;
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
  const pos = q * (sorted.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function derivedChinchilla(p: Record<string, number>): Record<string, number> {
  // Compute-optimal allocation N_opt ∝ C^a, D_opt ∝ C^b with a = β/(α+β), b = α/(α+β).
  return { a: p.beta / (p.alpha + p.beta), b: p.alpha / (p.alpha + p.beta) };
}

export function fitChinchilla(points: readonly SweepPoint[], opts: SweepFitOptions = {}): SweepFitResult {
  const delta = chinchillaLaw.defaultLoss.delta ?? 1e-3;
  const data = chinchillaData(points);
  const starts = opts.starts ?? chinchillaGrid();
  const ms = multiStart((x, g) => chinchillaObjective(data, delta, x, g), starts, 5, {});
  if (!ms) throw new Error('no start converged to a finite objective');
  const best = ms.best.x;
  const params = chinchillaLaw.natural!(best);
  const warnings: string[] = [];
  if (!ms.best.converged) warnings.push(`best optimum did not meet the convergence test (${ms.best.reason})`);
  const B = Math.max(0, Math.floor(opts.bootstrap ?? 0));
  const intervals: Record<string, [number, number]> = {};
  let done = 0;
  if (B > 0) {
    const names = Object.keys(params);
    const samples = names.map(() => new Float64Array(B));
    const derivedNames = ['a', 'b'];
    const dSamples = derivedNames.map(() => new Float64Array(B));
    const rand = rng(opts.seed ?? 0);
    const n = points.length;
    const w = new Float64Array(n);
    const bd: ChinchillaData = { ...data, w };
    // Seeds for each replicate: the full-data optimum plus the best few other distinct optima of the grid.
    const seeds = [best, ...ms.distinct.filter((d) => d.f > ms.best.f).sort((a, b) => a.f - b.f).slice(0, 2).map((d) => d.x)];
    const fg = (x: Float64Array, g: Float64Array | null) => chinchillaObjective(bd, delta, x, g);
    for (let b = 0; b < B; b++) {
      w.fill(0);
      for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]++;
      let bestF = Infinity, bx: Float64Array | null = null;
      for (const s of seeds) {
        const r = minimizeLbfgsb(fg, s);
        if (r.f < bestF) { bestF = r.f; bx = r.x; }
      }
      if (!bx) continue;
      const nat = chinchillaLaw.natural!(bx);
      names.forEach((k, j) => { samples[j][done] = nat[k]; });
      const der = derivedChinchilla(nat);
      derivedNames.forEach((k, j) => { dSamples[j][done] = der[k]; });
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
    law: 'chinchilla', raw: best, params, intervals, objective: ms.best.f, n: points.length,
    distinctOptima: ms.distinct.length, starts: ms.starts, bootstrapDone: done, derived: derivedChinchilla(params), warnings,
  };
}
