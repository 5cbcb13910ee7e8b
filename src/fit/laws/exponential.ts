/**
 * Exponential law  L(x) = E + A·e^(−x/τ)  — the exponential regime of data pruning (Sorscher et al. 2022,
 * "Beyond neural scaling laws: beating power law scaling via data pruning"). Fit space: a = log A, e = log E,
 * t = log τ.
 */
import type { Law } from '../types';

export const exponentialLaw: Law = {
  id: 'exponential',
  name: 'Exponential law',
  latex: 'L(x) = E + A\\,e^{-x/\\tau}',
  source: 'Sorscher et al. 2022, "Beyond neural scaling laws: beating power law scaling via data pruning"',
  scope: 'sweep',
  inputs: ['x'],
  params: [
    { name: 'a', lower: -50, upper: 50, grid: [-1, 0, 2], logScale: true, description: 'log A' },
    { name: 'e', lower: -20, upper: 10, grid: [-1, 0, 1], logScale: true, description: 'log E' },
    { name: 't', lower: -50, upper: 50, grid: [0, 2, 5, 10, 15, 20], logScale: true, description: 'log τ' },
  ],
  defaultLoss: { space: 'log', kind: 'squared' },
  predict(p, x) {
    return Math.exp(p[1]) + Math.exp(p[0] - x[0] * Math.exp(-p[2]));
  },
  gradient(p, x, g) {
    const s = x[0] * Math.exp(-p[2]),
      t = Math.exp(p[0] - s),
      E = Math.exp(p[1]);
    g[0] = t;
    g[1] = E;
    g[2] = t * s;
    return E + t;
  },
  natural(p) {
    return { A: Math.exp(p[0]), E: Math.exp(p[1]), tau: Math.exp(p[2]) };
  },
};
