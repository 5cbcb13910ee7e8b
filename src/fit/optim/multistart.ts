/**
 * Multi-start local optimisation over a grid of starting points: run the bounded L-BFGS from each start and
 * keep the best optimum (the protocol of Hoffmann et al. 2022 and Besiroglu et al. 2024). Also reports how
 * many distinct optima were found, which is a useful non-identifiability/multimodality diagnostic.
 */
import type { ObjectiveFn, OptimResult } from '../types';
import { minimizeLbfgsb, lbfgsWorkspace, type LbfgsOptions } from './lbfgsb';

export interface MultiStartResult {
  best: OptimResult;
  starts: number;
  /** Optima that differ by more than `distinctTol` (max abs difference over parameters). */
  distinct: { x: Float64Array; f: number; count: number }[];
  totalIterations: number;
  totalEvaluations: number;
}

export interface MultiStartOptions extends LbfgsOptions {
  distinctTol?: number;
}

/** `starts` is a flat array of `dim`-long rows (see `cartesian`), or an array of rows. */
export function multiStart(
  fg: ObjectiveFn,
  starts: Float64Array | number[][],
  dim: number,
  opts: MultiStartOptions = {},
): MultiStartResult | null {
  const rows = starts instanceof Float64Array ? Math.floor(starts.length / dim) : starts.length;
  let best: OptimResult | null = null;
  let totalIterations = 0,
    totalEvaluations = 0;
  const distinct: MultiStartResult['distinct'] = [];
  const tol = opts.distinctTol ?? 1e-3;
  const runOpts = { ...opts, work: opts.work ?? lbfgsWorkspace(dim, opts.m ?? 10) }; // one set of scratch arrays for all starts
  for (let r = 0; r < rows; r++) {
    const x0 = starts instanceof Float64Array ? starts.subarray(r * dim, (r + 1) * dim) : starts[r];
    const res = minimizeLbfgsb(fg, x0, runOpts);
    totalIterations += res.iterations;
    totalEvaluations += res.evaluations;
    if (!Number.isFinite(res.f)) continue;
    recordDistinct(distinct, res, tol);
    if (!best || res.f < best.f) best = res;
  }
  if (!best) return null;
  return { best, starts: rows, distinct, totalIterations, totalEvaluations };
}

export function recordDistinct(distinct: MultiStartResult['distinct'], res: OptimResult, tol: number): void {
  for (const d of distinct) {
    let close = true;
    for (let i = 0; i < d.x.length; i++)
      if (Math.abs(d.x[i] - res.x[i]) > tol) {
        close = false;
        break;
      }
    if (close) {
      d.count++;
      if (res.f < d.f) {
        d.f = res.f;
        d.x = Float64Array.from(res.x);
      }
      return;
    }
  }
  distinct.push({ x: Float64Array.from(res.x), f: res.f, count: 1 });
}
