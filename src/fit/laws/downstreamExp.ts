/**
 * Loss → downstream error, Gadre et al. 2024 ("Language models scale reliably with over-training and on
 * downstream tasks"): average top-1 error as an exponential decay in the loss,
 *
 *   Err(L) = ε − k · e^(−γ L),
 *
 * fitted by linear least squares (as scipy's curve_fit in the authors' code). Bounds: k, γ > 0 (error falls as
 * the loss falls), ε within a few ranges of the data. When γ·(range of L) is tiny the curve is a straight line
 * and ε and k are not separately identified; `diagnose` says so.
 */
import type { Dataset } from '../types';
import type { TableLaw } from '../tableLaw';

function range(v: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < min) min = v[i];
    if (v[i] > max) max = v[i];
  }
  return { min, max };
}

export const downstreamExpLaw: TableLaw = {
  id: 'downstream-exp',
  name: 'Loss → error exponential (over-training testbed)',
  kind: 'downstream',
  latex: '\\mathrm{Err}(L) = \\epsilon - k\\,e^{-\\gamma L}',
  source: 'Gadre et al. 2024, "Language models scale reliably with over-training and on downstream tasks"',
  scope: 'sweep',
  inputs: ['loss'],
  columns: {
    inputs: [/^(loss|l|val[ _]?loss|eval[ _]?loss|c4[ _]?val)$/i],
    y: /^(err|error|top1[ _]?err|metric)$/i,
    yName: 'error',
  },
  params: [
    { name: 'epsilon', lower: -1e6, upper: 1e6, grid: [0.6, 0.9], description: 'error as L → ∞' },
    { name: 'k', lower: 1e-12, upper: 1e12, grid: [0.5, 2, 8], description: 'scale' },
    { name: 'gamma', lower: 1e-6, upper: 50, grid: [0.3, 1, 3], description: 'decay rate in the loss' },
  ],
  defaultLoss: { space: 'linear', kind: 'squared' },
  predict(p, x) {
    return p[0] - p[1] * Math.exp(-p[2] * x[0]);
  },
  gradient(p, x, g) {
    const e = Math.exp(-p[2] * x[0]);
    g[0] = 1;
    g[1] = -e;
    g[2] = p[1] * x[0] * e;
    return p[0] - p[1] * e;
  },
  init(data: Dataset) {
    const x = range(data.inputs[0]),
      y = range(data.y),
      r = y.max - y.min || 1;
    const out: number[][] = [];
    for (const eps of [y.max, y.max + r, y.max + 3 * r])
      for (const gm of [0.3, 1, 3]) {
        // k so that the curve passes near (x.min, y.min)
        const k = (eps - y.min) * Math.exp(gm * x.min);
        if (k > 0 && Number.isFinite(k)) out.push([eps, k, gm]);
      }
    return out;
  },
  bounds(data: Dataset) {
    const y = range(data.y),
      r = y.max - y.min || Math.abs(y.max) || 1;
    return { lower: [y.min - 10 * r, 1e-12, 1e-6], upper: [y.max + 10 * r, 1e12, 50] };
  },
  diagnose(p, data) {
    const x = range(data.inputs[0]),
      w: string[] = [];
    const curv = p[2] * (x.max - x.min);
    if (curv < 0.05)
      w.push(
        `near-linear fit: γ·(loss range) = ${curv.toPrecision(2)}, so ε (${p[0].toPrecision(4)}) and k are not separately identified — predictions outside the losses seen are unreliable`,
      );
    return w;
  },
  natural(p) {
    return { epsilon: p[0], k: p[1], gamma: p[2] };
  },
};
