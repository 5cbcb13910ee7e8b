/**
 * Log law  L(x) = c − k·log x  (loss linear in log scale; a common empirical baseline, e.g. the "log-linear"
 * trends in Alabdulmohsin et al. 2022, "Revisiting Neural Scaling Laws in Language and Vision").
 */
import type { Law } from '../types';

export const logLaw: Law = {
  id: 'log-law',
  name: 'Log law',
  latex: 'L(x) = c - k\\,\\log x',
  source: 'Alabdulmohsin et al. 2022, "Revisiting Neural Scaling Laws in Language and Vision" (log-linear baseline)',
  scope: 'sweep',
  inputs: ['x'],
  params: [
    { name: 'c', lower: -1e6, upper: 1e6, grid: [1, 10] },
    { name: 'k', lower: -1e3, upper: 1e3, grid: [0, 0.1] },
  ],
  defaultLoss: { space: 'linear', kind: 'squared' },
  predict(p, x) {
    return p[0] - p[1] * Math.log(x[0]);
  },
  gradient(p, x, g) {
    const lx = Math.log(x[0]);
    g[0] = 1;
    g[1] = -lx;
    return p[0] - p[1] * lx;
  },
  invalidInput(x) {
    return x[0] > 0 ? null : 'x must be positive under a log law';
  },
};
