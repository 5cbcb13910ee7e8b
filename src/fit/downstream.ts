/**
 * Loss → downstream metric mapping, step 2 of the OLMo "model ladder" two-step method.
 * Source: Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders"
 * (AI2): a task's accuracy (or other metric) is a sigmoid of the task loss,
 *
 *   acc(L) = a / (1 + e^(−k (L − L0))) + b,
 *
 * (k < 0 when accuracy falls as the loss rises). Fitted by least squares on the metric (linear residuals),
 * with our small LM (analytic Jacobian) from a few data-driven starts. Pure; never throws.
 */
import { levenbergMarquardt } from './curve/lm';

export interface DownstreamFit {
  ok: true;
  /** [a, k, L0, b] */
  params: [number, number, number, number];
  paramNames: ['a', 'k', 'L0', 'b'];
  latex: string;
  source: string;
  rmse: number;
  n: number;
}

export type DownstreamResult = DownstreamFit | { ok: false; reason: string };

export const DOWNSTREAM_LATEX = '\\mathrm{acc}(L) = \\frac{a}{1 + e^{-k (L - L_0)}} + b';
export const DOWNSTREAM_SOURCE = 'Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders"';

export function sigmoidMetric(p: ArrayLike<number>, L: number): number {
  return p[0] / (1 + Math.exp(-p[1] * (L - p[2]))) + p[3];
}

export function fitDownstream(loss: number[], metric: number[]): DownstreamResult {
  try {
    if (!Array.isArray(loss) || !Array.isArray(metric)) return { ok: false, reason: 'loss and metric must be arrays' };
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < Math.min(loss.length, metric.length); i++) {
      if (Number.isFinite(loss[i]) && Number.isFinite(metric[i])) { xs.push(loss[i]); ys.push(metric[i]); }
    }
    if (xs.length < 5) return { ok: false, reason: `not enough points: ${xs.length} < 5 (4 parameters + 1)` };
    const xMin = Math.min(...xs), xMax = Math.max(...xs), yMin = Math.min(...ys), yMax = Math.max(...ys);
    if (!(xMax > xMin)) return { ok: false, reason: 'loss is constant: the sigmoid is not identifiable' };
    if (!(yMax > yMin)) return { ok: false, reason: 'metric is constant: nothing to map' };
    const m = xs.length;
    const fn = (p: Float64Array, r: Float64Array, J: Float64Array | null) => {
      for (let i = 0; i < m; i++) {
        const e = Math.exp(-p[1] * (xs[i] - p[2]));
        const s = 1 / (1 + e);
        r[i] = p[0] * s + p[3] - ys[i];
        if (J) {
          const ds = s * (1 - s); // dσ/du, u = k (L − L0)
          J[i * 4] = s;
          J[i * 4 + 1] = p[0] * ds * (xs[i] - p[2]);
          J[i * 4 + 2] = -p[0] * ds * p[1];
          J[i * 4 + 3] = 1;
        }
      }
    };
    // Accuracy usually falls with loss: correlation sign picks the sign of k for the seeds.
    const mx = xs.reduce((a, v) => a + v, 0) / m, my = ys.reduce((a, v) => a + v, 0) / m;
    let cov = 0;
    for (let i = 0; i < m; i++) cov += (xs[i] - mx) * (ys[i] - my);
    const sgn = cov < 0 ? -1 : 1;
    const span = xMax - xMin, range = yMax - yMin;
    const starts: number[][] = [];
    for (const ks of [2, 6, 15]) for (const ampl of [1, 2]) {
      starts.push([range * ampl, (sgn * ks) / span, mx, ampl === 1 ? yMin : yMin - range * 0.5]);
    }
    const lower = [-Infinity, -Infinity, -Infinity, -Infinity], upper = [Infinity, Infinity, Infinity, Infinity];
    let best: ReturnType<typeof levenbergMarquardt> | null = null;
    for (const s of starts) {
      const res = levenbergMarquardt(fn, s, m, { lower, upper, maxIter: 200, ftol: 1e-14 });
      if (Number.isFinite(res.cost) && (!best || res.cost < best.cost)) best = res;
    }
    if (!best) return { ok: false, reason: 'sigmoid fit failed' };
    const p = best.p;
    return {
      ok: true,
      params: [p[0], p[1], p[2], p[3]],
      paramNames: ['a', 'k', 'L0', 'b'],
      latex: DOWNSTREAM_LATEX,
      source: DOWNSTREAM_SOURCE,
      rmse: Math.sqrt((2 * best.cost) / m),
      n: m,
    };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

export function predictDownstream(fit: DownstreamFit, loss: number[]): number[] {
  return loss.map((L) => (Number.isFinite(L) ? sigmoidMetric(fit.params, L) : NaN));
}
