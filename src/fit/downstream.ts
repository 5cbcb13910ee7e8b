/**
 * Loss → downstream metric mapping, step 2 of the OLMo "model ladder" two-step method.
 * Source: Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders"
 * (AI2): a task's accuracy (or other metric) is a sigmoid of the task loss,
 *
 *   acc(L) = a / (1 + e^(−k (L − L0))) + b,   k > 0 (a < 0 when accuracy falls as the loss rises).
 *
 * A thin array API over the catalog law `downstream-sigmoid` (laws/downstreamSigmoid.ts): bounded asymptotes
 * and midpoint, linear least squares, and warnings when the fit is degenerate (the sigmoid seen on one tail
 * only acts as an exponential). Pure; never throws.
 */
import { downstreamSigmoidLaw } from './laws/downstreamSigmoid';
import { fitTableLaw } from './tableLaw';

export interface DownstreamFit {
  ok: true;
  /** [a, k, L0, b] */
  params: [number, number, number, number];
  paramNames: ['a', 'k', 'L0', 'b'];
  latex: string;
  source: string;
  rmse: number;
  n: number;
  /** Degenerate-fit and data warnings (empty when the sigmoid is well determined). */
  warnings: string[];
}

export type DownstreamResult = DownstreamFit | { ok: false; reason: string };

export const DOWNSTREAM_LATEX = downstreamSigmoidLaw.latex;
export const DOWNSTREAM_SOURCE = downstreamSigmoidLaw.source;

export function sigmoidMetric(p: ArrayLike<number>, L: number): number {
  return p[0] / (1 + Math.exp(-p[1] * (L - p[2]))) + p[3];
}

export function fitDownstream(loss: number[], metric: number[]): DownstreamResult {
  if (!Array.isArray(loss) || !Array.isArray(metric)) return { ok: false, reason: 'loss and metric must be arrays' };
  const m = Math.min(loss.length, metric.length);
  const r = fitTableLaw(downstreamSigmoidLaw, [loss.slice(0, m)], metric.slice(0, m));
  if (!r.ok) return { ok: false, reason: r.reason };
  const p = r.params;
  return {
    ok: true,
    params: [p.a, p.k, p.L0, p.b],
    paramNames: ['a', 'k', 'L0', 'b'],
    latex: DOWNSTREAM_LATEX,
    source: DOWNSTREAM_SOURCE,
    rmse: r.rmse,
    n: r.n,
    warnings: r.warnings,
  };
}

export function predictDownstream(fit: DownstreamFit, loss: number[]): number[] {
  return loss.map((L) => (Number.isFinite(L) ? sigmoidMetric(fit.params, L) : NaN));
}
