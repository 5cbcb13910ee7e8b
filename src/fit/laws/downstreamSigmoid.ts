/**
 * Loss → downstream metric, step 2 of the OLMo model-ladder two-step method (Bhagia et al. 2024,
 * "Establishing Task Scaling Laws via Compute-Efficient Model Ladders"):
 *
 *   metric(L) = a / (1 + e^(−k (L − L0))) + b.
 *
 * Fit space: the two asymptotes lo = b and hi = a + b, the slope k > 0 and the midpoint L0 (so the metric
 * runs from lo at low loss to hi at high loss; accuracy falling with loss has hi < lo). Bounding the
 * asymptotes (to [0, 1] when every value is a probability, else to a few ranges around the data) and L0 (to a
 * span around the losses seen) keeps the sigmoid from collapsing into an exponential with huge cancelling
 * a and b; `diagnose` still says when only one tail was observed. Residuals: linear least squares.
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

function isProbability(y: ArrayLike<number>): boolean {
  for (let i = 0; i < y.length; i++) if (!(y[i] >= 0 && y[i] <= 1)) return false;
  return true;
}

export const downstreamSigmoidLaw: TableLaw = {
  id: 'downstream-sigmoid',
  name: 'Loss → metric sigmoid (model ladder)',
  kind: 'downstream',
  latex: '\\mathrm{metric}(L) = \\frac{a}{1 + e^{-k (L - L_0)}} + b',
  source:
    'Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders" (OLMo ladder, step 2)',
  scope: 'sweep',
  inputs: ['loss'],
  columns: {
    inputs: [/^(loss|l|task[ _]?loss|val[ _]?loss|eval[ _]?loss|bpb|c4[ _]?val)$/i],
    y: /^(err|error|acc|accuracy|metric|score)$/i,
    yName: 'metric',
  },
  params: [
    { name: 'lo', lower: -1e6, upper: 1e6, grid: [0.25, 0.75], description: 'metric at low loss (b)' },
    { name: 'hi', lower: -1e6, upper: 1e6, grid: [0.25, 0.75], description: 'metric at high loss (a + b)' },
    { name: 'k', lower: 1e-6, upper: 1e6, grid: [1, 4, 12], description: 'slope' },
    { name: 'L0', lower: -1e6, upper: 1e6, grid: [3], description: 'midpoint loss' },
  ],
  defaultLoss: { space: 'linear', kind: 'squared' },
  predict(p, x) {
    return p[0] + (p[1] - p[0]) / (1 + Math.exp(-p[2] * (x[0] - p[3])));
  },
  gradient(p, x, g) {
    const s = 1 / (1 + Math.exp(-p[2] * (x[0] - p[3]))),
      ds = s * (1 - s),
      d = p[1] - p[0];
    g[0] = 1 - s;
    g[1] = s;
    g[2] = d * ds * (x[0] - p[3]);
    g[3] = -d * ds * p[2];
    return p[0] + d * s;
  },
  init(data: Dataset) {
    const x = range(data.inputs[0]),
      y = range(data.y),
      span = x.max - x.min || 1,
      mid = 0.5 * (x.min + x.max);
    const out: number[][] = [];
    // metric falling with loss (accuracy) or rising (error); a few slopes and midpoints
    for (const [lo, hi] of [
      [y.max, y.min],
      [y.min, y.max],
    ])
      for (const ks of [2, 6, 15]) for (const m of [x.min, mid, x.max]) out.push([lo, hi, ks / span, m]);
    return out;
  },
  bounds(data: Dataset) {
    const x = range(data.inputs[0]),
      y = range(data.y),
      span = x.max - x.min || 1,
      r = y.max - y.min || Math.abs(y.max) || 1;
    const [ylo, yhi] = isProbability(data.y) ? [0, 1] : [y.min - 2 * r, y.max + 2 * r];
    return { lower: [ylo, ylo, 0.01 / span, x.min - span], upper: [yhi, yhi, 200 / span, x.max + span] };
  },
  diagnose(p, data) {
    const x = range(data.inputs[0]),
      w: string[] = [];
    if (p[3] < x.min || p[3] > x.max) {
      w.push(
        `degenerate sigmoid: its midpoint L0 = ${p[3].toPrecision(4)} lies outside the losses seen [${x.min.toPrecision(4)}, ${x.max.toPrecision(4)}], so only one tail was observed — the curve acts as an exponential and the ${p[3] < x.min ? 'low-loss' : 'high-loss'} asymptote is not identified; consider the exponential law (downstream-exp) or more models`,
      );
    }
    return w;
  },
  natural(p) {
    return { a: p[1] - p[0], k: p[2], L0: p[3], b: p[0] };
  },
};
