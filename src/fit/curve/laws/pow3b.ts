import type { CurveLaw } from '../law';
import { pow3 } from './pow3';

/**
 * pow3b: the bounded pow3, L(x) = c + a·x^(−α) with 0 < α ≤ 1 — the form a user fits with scipy `curve_fit`
 * under bounds (bench/baselines/curve_backtest_scipy.py, the backtest's baseline). The bound keeps the decline
 * no faster than 1/x, so the curve bends into its asymptote later than a free pow3 fitted to a steep prefix.
 */
export const pow3b: CurveLaw = {
  ...pow3,
  id: 'pow3b',
  name: 'Power law with offset, exponent ≤ 1 (bounded pow3)',
  latex: 'L(x) = c + a\\,x^{-\\alpha},\\ \\alpha \\le 1',
  source: 'Domhan et al. 2015 (pow3) with the exponent bounded by 1, as in bounded scipy curve_fit baselines',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 0, upper: Infinity },
    { name: 'alpha', lower: 1e-4, upper: 1 },
  ],
  starts(d) {
    return pow3.starts(d).map((p) => [p[0], p[1], Math.min(p[2], 1)]);
  },
};
