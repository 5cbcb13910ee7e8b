/**
 * Step Law for the optimal batch size in tokens (Li et al. 2025, "Predictable Scale: Part I"): B*(D) = c · D^γ
 * — it depends on the data size only. Fitted by least squares of log B on log D over the near-optimal runs of
 * each (N, D) cell of a sweep (stepLaw.ts). Published: B* = 0.58 · D^0.571 (tokens; mean of the authors'
 * released bootstrap fits).
 */
import type { TableLaw } from '../tableLaw';

export const stepLawBatch: TableLaw = {
  id: 'steplaw-batch',
  name: 'Step Law optimal batch size B*(D)',
  kind: 'hyperparameter',
  latex: 'B^{*}(D) = c\\,D^{\\gamma}',
  source:
    'Li et al. 2025, "Predictable Scale: Part I — Optimal Hyperparameter Scaling Law in Large Language Model Pretraining" (Step Law)',
  scope: 'sweep',
  inputs: ['D'],
  columns: {
    inputs: [/^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens)$/i],
    y: /^(bs|batch[ _]?size|global[ _]?batch[ _]?size|batch[ _]?tokens)$/i,
    yName: 'batch size',
  },
  params: [
    { name: 'c', lower: -100, upper: 100, grid: [0], logScale: true, description: 'log c' },
    { name: 'gamma', lower: -5, upper: 5, grid: [0.5], description: 'exponent of D' },
  ],
  defaultLoss: { space: 'log', kind: 'squared' },
  predict(p, x) {
    return Math.exp(p[0] + p[1] * Math.log(x[0]));
  },
  logGradient(p, x, g) {
    const lD = Math.log(x[0]);
    g[0] = 1;
    g[1] = lD;
    return p[0] + p[1] * lD;
  },
  invalidInput(x) {
    return x[0] > 0 ? null : 'D must be positive';
  },
  natural(p) {
    return { c: Math.exp(p[0]), gamma: p[1] };
  },
  published: { source: 'Li et al. 2025 (Step Law)', params: { c: 0.58, gamma: 0.571 } },
};
