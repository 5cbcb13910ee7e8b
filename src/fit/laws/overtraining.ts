/**
 * Over-training law of Gadre et al. 2024 ("Language models scale reliably with over-training and on
 * downstream tasks"): loss in compute C = 6ND and token multiplier M = D/N,
 *
 *   L(C, M) = E + (a·M^η + b·M^(−η))·C^(−η),
 *
 * i.e. L = E + 6^(−η)·(a·N^(−2η) + b·D^(−2η)), a Chinchilla law with tied exponents. Inputs N, D (C and M
 * follow). Fit space: log a, log b, log E, η; linear least squares, as scipy's curve_fit in the authors' code.
 */
import type { TableLaw } from '../tableLaw';

export const overtrainingLaw: TableLaw = {
  id: 'overtraining',
  name: 'Over-training L(C, M)',
  kind: 'sweep',
  latex: 'L(C, M) = E + \\left(a M^{\\eta} + b M^{-\\eta}\\right) C^{-\\eta},\\ C = 6ND,\\ M = D/N',
  source: 'Gadre et al. 2024, "Language models scale reliably with over-training and on downstream tasks"',
  scope: 'sweep',
  inputs: ['N', 'D'],
  columns: {
    inputs: [
      /^(n|params|parameters|num_params|n_params|model[ _]?size)$/i,
      /^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens)$/i,
    ],
    y: /^(loss|l|val[ _]?loss|eval[ _]?loss|final[ _]loss)$/i,
    yName: 'loss',
  },
  params: [
    { name: 'la', lower: -20, upper: 30, grid: [3, 6, 9], logScale: true, description: 'log a' },
    { name: 'lb', lower: -20, upper: 30, grid: [3, 6, 9], logScale: true, description: 'log b' },
    { name: 'le', lower: -5, upper: 3, grid: [0, 0.7], logScale: true, description: 'log E' },
    { name: 'eta', lower: 0.01, upper: 1.5, grid: [0.1, 0.15, 0.25], description: 'compute exponent' },
  ],
  defaultLoss: { space: 'linear', kind: 'squared' },
  predict(p, x) {
    const s = Math.pow(6, -p[3]);
    return (
      Math.exp(p[2]) + s * (Math.exp(p[0] - 2 * p[3] * Math.log(x[0])) + Math.exp(p[1] - 2 * p[3] * Math.log(x[1])))
    );
  },
  gradient(p, x, g) {
    const lN = Math.log(x[0]),
      lD = Math.log(x[1]),
      s = Math.pow(6, -p[3]);
    const tN = s * Math.exp(p[0] - 2 * p[3] * lN),
      tD = s * Math.exp(p[1] - 2 * p[3] * lD),
      E = Math.exp(p[2]);
    g[0] = tN;
    g[1] = tD;
    g[2] = E;
    g[3] = -(tN + tD) * Math.log(6) - 2 * (tN * lN + tD * lD);
    return E + tN + tD;
  },
  invalidInput(x) {
    return x[0] > 0 && x[1] > 0 ? null : 'N and D must be positive';
  },
  natural(p) {
    // alpha_N / beta_D: the same law as E + A/N^α + B/D^α with α = 2η (the form of the authors' code).
    const s = Math.pow(6, -p[3]);
    return {
      a: Math.exp(p[0]),
      b: Math.exp(p[1]),
      E: Math.exp(p[2]),
      eta: p[3],
      A: s * Math.exp(p[0]),
      B: s * Math.exp(p[1]),
      alpha: 2 * p[3],
    };
  },
};

/** Token multiplier M = D/N and compute C = 6ND → (N, D). */
export function fromComputeAndMultiplier(C: number, M: number): [number, number] {
  return [Math.sqrt(C / (6 * M)), Math.sqrt((C * M) / 6)];
}
