/**
 * Saturating power law  L(x) = E + A·x^(−α)  (x ∈ N, D, C, …).
 * Kaplan et al. 2020, "Scaling Laws for Neural Language Models"; Hestness et al. 2017, "Deep Learning Scaling is
 * Predictable, Empirically" (irreducible-error form). Fit space: a = log A, e = log E, α.
 */
import type { Law } from '../types';

export const saturatingPowerLaw: Law = {
  id: 'saturating-power',
  name: 'Saturating power law',
  latex: 'L(x) = E + A\\,x^{-\\alpha}',
  source: 'Hestness et al. 2017, "Deep Learning Scaling is Predictable, Empirically"; Kaplan et al. 2020',
  scope: 'sweep',
  inputs: ['x'],
  params: [
    { name: 'a', lower: -50, upper: 50, grid: [0, 5, 10, 20], logScale: true, description: 'log A' },
    { name: 'e', lower: -20, upper: 10, grid: [-1, 0, 1], logScale: true, description: 'log E' },
    { name: 'alpha', lower: 0, upper: 5, grid: [0.1, 0.5, 1] },
  ],
  defaultLoss: { space: 'log', kind: 'huber', delta: 1e-3 },
  predict(p, x) {
    return Math.exp(p[1]) + Math.exp(p[0] - p[2] * Math.log(x[0]));
  },
  gradient(p, x, g) {
    const lx = Math.log(x[0]),
      t = Math.exp(p[0] - p[2] * lx),
      E = Math.exp(p[1]);
    g[0] = t;
    g[1] = E;
    g[2] = -t * lx;
    return E + t;
  },
  natural(p) {
    return { A: Math.exp(p[0]), E: Math.exp(p[1]), alpha: p[2] };
  },
  invalidInput(x) {
    return x[0] > 0 ? null : 'x must be positive';
  },
};
