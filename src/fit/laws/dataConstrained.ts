/**
 * Data-constrained scaling law of Muennighoff et al. 2023 ("Scaling Data-Constrained Language Models"):
 * repeated tokens and excess parameters are worth less, through effective data and effective parameters
 *
 *   D′ = U_D + U_D·R_D*·(1 − e^(−R_D/R_D*)),  R_D = D/U_D − 1   (U_D unique tokens, D total tokens)
 *   N′ = U_N + U_N·R_N*·(1 − e^(−R_N/R_N*)),  R_N = N/U_N − 1   (U_N = min(N, compute-optimal N for U_D))
 *   L(N, D, U) = E + A / N′^α + B / D′^β,
 *
 * exactly as the authors' code (huggingface/datablations README, utils/parametric_fit.ipynb): U_N is the
 * compute-optimal parameter count for U_D tokens, G·(G·U_D)^(β/α) with G = (αA/(βB))^(1/(α+β)).
 * Fit space: log A, log B, log E, α, β, R_D*, R_N*; Huber (δ = 1e-3) on log residuals, summed, as theirs.
 * A repeated token is worth e^(−R/R_D*) of a fresh one after R repetitions: `derived` turns that into
 * the epoch counts where the next epoch is worth 90 %, 50 % and 10 % of fresh data.
 */
import type { TableLaw } from '../tableLaw';

function effective(u: number, r: number, star: number): number {
  return u * (1 + star * (1 - Math.exp(-r / star)));
}

/** Epochs (1 + repetitions) after which one more epoch of repeated data is worth `value` of fresh data. */
export function epochsWorth(rdStar: number, value: number): number {
  return 1 + rdStar * Math.log(1 / value);
}

export const dataConstrainedLaw: TableLaw = {
  id: 'data-constrained',
  name: 'Data-constrained L(N, D, U)',
  kind: 'sweep',
  latex:
    "L = E + \\frac{A}{N'^{\\alpha}} + \\frac{B}{D'^{\\beta}},\\ D' = U_D + U_D R_D^{*}\\left(1 - e^{-R_D/R_D^{*}}\\right),\\ N' = U_N + U_N R_N^{*}\\left(1 - e^{-R_N/R_N^{*}}\\right)",
  source:
    'Muennighoff et al. 2023, "Scaling Data-Constrained Language Models"; fitting code of huggingface/datablations',
  scope: 'sweep',
  inputs: ['N', 'D', 'U'],
  columns: {
    inputs: [
      /^(n|params|parameters|num_params|n_params|model[ _]?size)$/i,
      /^(d|tokens|num_tokens|n_tokens|total[ _]tokens|train(ing)?[ _]tokens)$/i,
      /^(u|unique[ _]?tokens|u_d|unique|unique[ _]?data)$/i,
    ],
    y: /^(loss|l|val[ _]?loss|eval[ _]?loss|final[ _]loss)$/i,
    yName: 'loss',
  },
  params: [
    { name: 'a', lower: -10, upper: 30, grid: [5, 7], logScale: true, description: 'log A' },
    { name: 'b', lower: -10, upper: 30, grid: [5, 8], logScale: true, description: 'log B' },
    { name: 'e', lower: -3, upper: 2.5, grid: [0, 0.6], logScale: true, description: 'log E' },
    { name: 'alpha', lower: 0.01, upper: 2, grid: [0.3], description: 'parameter exponent' },
    { name: 'beta', lower: 0.01, upper: 2, grid: [0.3], description: 'data exponent' },
    { name: 'rd', lower: 0.01, upper: 1e4, grid: [6.67, 13.3, 20], description: 'R_D*' },
    { name: 'rn', lower: 0.01, upper: 1e4, grid: [6.67, 13.3, 20], description: 'R_N*' },
  ],
  defaultLoss: { space: 'log', kind: 'huber', delta: 1e-3 },
  predict(p, x) {
    const A = Math.exp(p[0]),
      B = Math.exp(p[1]),
      E = Math.exp(p[2]),
      al = p[3],
      be = p[4];
    const N = x[0],
      D = x[1],
      U = x[2];
    const G = Math.pow((al * A) / (be * B), 1 / (al + be));
    const UN = Math.min(N, G * Math.pow(G * U, be / al));
    const RD = Math.max(D / U - 1, 0),
      RN = Math.max(N / UN - 1, 0);
    return E + A / Math.pow(effective(UN, RN, p[6]), al) + B / Math.pow(effective(U, RD, p[5]), be);
  },
  gradient(p, x, g) {
    const A = Math.exp(p[0]),
      E = Math.exp(p[2]),
      al = p[3],
      be = p[4],
      rd = p[5],
      rn = p[6];
    const N = x[0],
      D = x[1],
      U = x[2],
      lU = Math.log(U),
      s = al + be;
    const lG = (Math.log(al) + p[0] - Math.log(be) - p[1]) / s;
    const lStar = lG * (1 + be / al) + (be / al) * lU;
    g.fill(0);
    g[2] = E;
    // parameter term: N′ = U_N·h(R_N); U_N = N (no excess parameters) or the compute-optimal size for U
    let t1: number;
    if (Math.log(N) <= lStar) {
      t1 = A * Math.pow(N, -al);
      g[0] += t1;
      g[3] += -t1 * Math.log(N);
    } else {
      const lUN = lStar,
        RN = N / Math.exp(lUN) - 1,
        ex = Math.exp(-RN / rn),
        h = 1 + rn * (1 - ex);
      const lNp = lUN + Math.log(h);
      t1 = Math.exp(p[0] - al * lNp);
      const dlNp_dlUN = 1 - ((RN + 1) * ex) / h;
      const dlG = [1 / s, -1 / s, (1 / al - lG) / s, (-1 / be - lG) / s]; // d lG / d(a, b, α, β)
      const dlUN = [
        dlG[0] * (1 + be / al),
        dlG[1] * (1 + be / al),
        dlG[2] * (1 + be / al) - (be / (al * al)) * (lG + lU),
        dlG[3] * (1 + be / al) + (lG + lU) / al,
      ];
      g[0] += t1 * (1 - al * dlNp_dlUN * dlUN[0]);
      g[1] += t1 * (-al * dlNp_dlUN * dlUN[1]);
      g[3] += t1 * (-lNp - al * dlNp_dlUN * dlUN[2]);
      g[4] += t1 * (-al * dlNp_dlUN * dlUN[3]);
      g[6] += t1 * ((-al * (1 - ex - (RN / rn) * ex)) / h);
    }
    // data term: D′ = U·h(R_D)
    const RD = Math.max(D / U - 1, 0),
      exd = Math.exp(-RD / rd),
      hd = 1 + rd * (1 - exd),
      lDp = lU + Math.log(hd);
    const t2 = Math.exp(p[1] - be * lDp);
    g[1] += t2;
    g[4] += -t2 * lDp;
    g[5] += (-t2 * be * (1 - exd - (RD / rd) * exd)) / hd;
    return E + t1 + t2;
  },
  invalidInput(x) {
    if (!(x[0] > 0 && x[1] > 0 && x[2] > 0)) return 'N, D and U must be positive';
    return x[2] <= x[1] * (1 + 1e-9) ? null : 'more unique tokens than total tokens';
  },
  natural(p) {
    return {
      A: Math.exp(p[0]),
      B: Math.exp(p[1]),
      E: Math.exp(p[2]),
      alpha: p[3],
      beta: p[4],
      R_D_star: p[5],
      R_N_star: p[6],
    };
  },
  advice(p) {
    const e = (v: number) => epochsWorth(p[5], v).toFixed(1);
    return (
      `repeating data: one more epoch is worth ≥ 90 % of fresh tokens up to ${e(0.9)} epochs, ≥ 50 % up to ${e(0.5)}, ≥ 10 % up to ${e(0.1)}; ` +
      `unlimited repetition is worth at most ${(1 + p[5]).toFixed(1)}× the unique tokens (R_D* = ${p[5].toPrecision(3)}); excess parameters decay with R_N* = ${p[6].toPrecision(3)}`
    );
  },
  derived(p) {
    return {
      epochs_90pct: epochsWorth(p[5], 0.9),
      epochs_50pct: epochsWorth(p[5], 0.5),
      epochs_10pct: epochsWorth(p[5], 0.1),
      max_effective_data_x: 1 + p[5],
    };
  },
};
