/**
 * Step Law for the optimal peak learning rate (Li et al. 2025, "Predictable Scale: Part I — Optimal
 * Hyperparameter Scaling Law in Large Language Model Pretraining"): η*(N, D) = c · N^α · D^β, fitted as the
 * authors do — ordinary least squares of log η on log N and log D over the near-optimal runs of each (N, D)
 * cell of a learning-rate × batch-size sweep (see stepLaw.ts). Published: η* = 1.79 · N^−0.713 · D^0.307
 * (the mean of the authors' 1,000 released bootstrap fits, step-law/steplaw data/1004_fitted_…csv).
 */
import type { TableLaw } from '../tableLaw';

export const stepLawLr: TableLaw = {
  id: 'steplaw-lr',
  name: 'Step Law optimal learning rate η*(N, D)',
  kind: 'hyperparameter',
  latex: '\\eta^{*}(N, D) = c\\,N^{\\alpha} D^{\\beta}',
  source:
    'Li et al. 2025, "Predictable Scale: Part I — Optimal Hyperparameter Scaling Law in Large Language Model Pretraining" (Step Law)',
  scope: 'sweep',
  inputs: ['N', 'D'],
  columns: {
    inputs: [
      /^(n|params|parameters|num_params|n_params|model[ _]?size)$/i,
      /^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens)$/i,
    ],
    y: /^(lr|learning[ _]?rate|peak[ _]?lr|max[ _]?lr)$/i,
    yName: 'learning rate',
  },
  params: [
    { name: 'c', lower: -100, upper: 100, grid: [0], logScale: true, description: 'log c' },
    { name: 'alpha', lower: -5, upper: 5, grid: [-0.5], description: 'exponent of N' },
    { name: 'beta', lower: -5, upper: 5, grid: [0.3], description: 'exponent of D' },
  ],
  defaultLoss: { space: 'log', kind: 'squared' },
  predict(p, x) {
    return Math.exp(p[0] + p[1] * Math.log(x[0]) + p[2] * Math.log(x[1]));
  },
  logGradient(p, x, g) {
    const lN = Math.log(x[0]),
      lD = Math.log(x[1]);
    g[0] = 1;
    g[1] = lN;
    g[2] = lD;
    return p[0] + p[1] * lN + p[2] * lD;
  },
  invalidInput(x) {
    return x[0] > 0 && x[1] > 0 ? null : 'N and D must be positive';
  },
  natural(p) {
    return { c: Math.exp(p[0]), alpha: p[1], beta: p[2] };
  },
  published: { source: 'Li et al. 2025 (Step Law)', params: { c: 1.79, alpha: -0.713, beta: 0.307 } },
};
