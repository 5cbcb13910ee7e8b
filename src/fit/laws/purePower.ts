/**
 * Pure power law  L(x) = A·x^(−α)  (a straight line in log-log space).
 * Kaplan et al. 2020, "Scaling Laws for Neural Language Models". Fit space: a = log A, α.
 */
import type { Law } from '../types';

export const purePowerLaw: Law = {
  id: 'pure-power',
  name: 'Pure power law',
  latex: 'L(x) = A\\,x^{-\\alpha}',
  source: 'Kaplan et al. 2020, "Scaling Laws for Neural Language Models"',
  scope: 'sweep',
  inputs: ['x'],
  params: [
    { name: 'a', lower: -50, upper: 50, grid: [0, 5, 10], logScale: true, description: 'log A' },
    { name: 'alpha', lower: -5, upper: 5, grid: [0, 0.5, 1] },
  ],
  defaultLoss: { space: 'log', kind: 'squared' },
  predict(p, x) {
    return Math.exp(p[0] - p[1] * Math.log(x[0]));
  },
  gradient(p, x, g) {
    const lx = Math.log(x[0]),
      v = Math.exp(p[0] - p[1] * lx);
    g[0] = v;
    g[1] = -v * lx;
    return v;
  },
  natural(p) {
    return { A: Math.exp(p[0]), alpha: p[1] };
  },
  invalidInput(x) {
    return x[0] > 0 ? null : 'x must be positive';
  },
};
