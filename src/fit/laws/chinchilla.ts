/**
 * Chinchilla parametric loss  L(N, D) = E + A / N^α + B / D^β.
 *
 * Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models" (approach 3), fitted exactly as in
 * the replication by Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt":
 *   log L̂ = LSE(a − α·log N, b − β·log D, e)  with A = e^a, B = e^b, E = e^e,
 *   objective = Σ_i huber_δ(log L_i − log L̂_i), δ = 1e-3 (scipy.special.huber convention), summed over points,
 *   L-BFGS from the 4,500-start grid α, β ∈ {0, .5, …, 2}; e ∈ {−1, −.5, …, 1}; a, b ∈ {0, 5, …, 25}; best kept.
 *
 * This file holds the law object and the tight Float64Array objective (value + analytic gradient).
 */
import type { Law } from '../types';
import { range } from '../optim/grid';
import { huberDeriv } from '../optim/huber';

/** Fit-space parameter order. */
export const CHINCHILLA_PARAMS = ['a', 'b', 'e', 'alpha', 'beta'] as const;

export const CHINCHILLA_GRID = {
  a: range(0, 25, 5),
  b: range(0, 25, 5),
  e: range(-1, 1, 0.5),
  alpha: range(0, 2, 0.5),
  beta: range(0, 2, 0.5),
};

function lse3(u1: number, u2: number, u3: number): number {
  const m = u1 > u2 ? (u1 > u3 ? u1 : u3) : u2 > u3 ? u2 : u3;
  return m + Math.log(Math.exp(u1 - m) + Math.exp(u2 - m) + Math.exp(u3 - m));
}

export const chinchillaLaw: Law = {
  id: 'chinchilla',
  name: 'Chinchilla L(N, D)',
  latex: 'L(N,D) = E + \\frac{A}{N^{\\alpha}} + \\frac{B}{D^{\\beta}}',
  source:
    'Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models" (approach 3); fitting protocol of Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt"',
  scope: 'sweep',
  inputs: ['N', 'D'],
  params: [
    { name: 'a', lower: -Infinity, upper: Infinity, grid: CHINCHILLA_GRID.a, logScale: true, description: 'log A' },
    { name: 'b', lower: -Infinity, upper: Infinity, grid: CHINCHILLA_GRID.b, logScale: true, description: 'log B' },
    { name: 'e', lower: -Infinity, upper: Infinity, grid: CHINCHILLA_GRID.e, logScale: true, description: 'log E' },
    {
      name: 'alpha',
      lower: -Infinity,
      upper: Infinity,
      grid: CHINCHILLA_GRID.alpha,
      description: 'parameter exponent',
    },
    { name: 'beta', lower: -Infinity, upper: Infinity, grid: CHINCHILLA_GRID.beta, description: 'data exponent' },
  ],
  defaultLoss: { space: 'log', kind: 'huber', delta: 1e-3 },
  predict(p, x) {
    return Math.exp(lse3(p[0] - p[3] * Math.log(x[0]), p[1] - p[4] * Math.log(x[1]), p[2]));
  },
  logGradient(p, x, g) {
    const lN = Math.log(x[0]),
      lD = Math.log(x[1]);
    const u1 = p[0] - p[3] * lN,
      u2 = p[1] - p[4] * lD,
      u3 = p[2];
    const l = lse3(u1, u2, u3);
    const w1 = Math.exp(u1 - l),
      w2 = Math.exp(u2 - l),
      w3 = Math.exp(u3 - l);
    g[0] = w1;
    g[1] = w2;
    g[2] = w3;
    g[3] = -w1 * lN;
    g[4] = -w2 * lD;
    return l;
  },
  natural(p) {
    return { A: Math.exp(p[0]), B: Math.exp(p[1]), E: Math.exp(p[2]), alpha: p[3], beta: p[4] };
  },
  invalidInput(x) {
    return x[0] > 0 && x[1] > 0 ? null : 'N and D must be positive';
  },
};

/** Columns of a prepared Chinchilla data set (logs precomputed once). */
export interface ChinchillaData {
  lN: Float64Array;
  lD: Float64Array;
  lL: Float64Array;
  /** Optional per-point weights (bootstrap multiplicities). */
  w?: Float64Array;
  /** Cache of `chinchillaObjective` (for one δ): e^(lL − δ) and e^(lL + δ). Filled on first use; lL must not change after. */
  huberCut?: { delta: number; lo: Float64Array; hi: Float64Array };
}

/** Products of s_i are flushed into a log sum once outside [1e-100, 1e100]; s_i outside it take their own log. */
const BIG = 1e100,
  SMALL = 1e-100;

/**
 * Σ w_i · huber_δ(log L_i − LSE(a − α lN_i, b − β lD_i, e)) and its analytic gradient (5 fit-space params).
 * Hot loop of the 4,500-start grid: plain Float64Array arithmetic, no allocation. With s_i = Σ_k e^(u_k,i)
 * (so LSE = log s_i), a point's Huber regime is decided without a logarithm: r_i > δ ⇔ s_i < e^(lL_i − δ) and
 * r_i < −δ ⇔ s_i > e^(lL_i + δ) (cached per δ). In those linear regimes huber = δ(±r_i − δ/2) and only Σ log s_i
 * is needed, taken as the log of a running product of the s_i: one logarithm per ~100 such points instead of
 * one per point (most points, except near a good optimum). Quadratic-regime points take their own log.
 */
export function chinchillaObjective(
  d: ChinchillaData,
  delta: number,
  p: ArrayLike<number>,
  g: Float64Array | null,
): number {
  const { lN, lD, lL, w } = d;
  const n = lL.length;
  let cut = d.huberCut;
  if (!cut || cut.delta !== delta || cut.lo.length !== n) {
    cut = { delta, lo: new Float64Array(n), hi: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      cut.lo[i] = Math.exp(lL[i] - delta);
      cut.hi[i] = Math.exp(lL[i] + delta);
    }
    d.huberCut = cut;
  }
  return objectiveCore(lN, lD, lL, w ?? null, cut.lo, cut.hi, delta, p[0], p[1], p[2], p[3], p[4], g);
}

/**
 * The loop itself, on typed arrays and numbers only: no object shapes in the hot path, so V8 keeps one
 * optimised version (with data objects of several shapes in one process it kept falling back to unoptimised
 * code that boxed every intermediate double: ~30 KB of garbage per evaluation).
 */
function objectiveCore(
  lN: Float64Array,
  lD: Float64Array,
  lL: Float64Array,
  w: Float64Array | null,
  lo: Float64Array,
  hi: Float64Array,
  delta: number,
  a: number,
  b: number,
  e: number,
  al: number,
  be: number,
  g: Float64Array | null,
): number {
  const n = lL.length;
  let f = 0,
    ga = 0,
    gb = 0,
    ge = 0,
    gal = 0,
    gbe = 0;
  // Linear regimes (ψ = ±δ, huber = ψ·(r − ψ/2) = δ(±r − δ/2)):
  // f += δ·[Σ₊ w(lL − δ/2) − Σ₊ w log s] + δ·[Σ₋ w log s − Σ₋ w(lL + δ/2)].
  let linPlus = 0,
    linMinus = 0,
    logPlus = 0,
    logMinus = 0,
    prodPlus = 1,
    prodMinus = 1;
  const halfDelta = 0.5 * delta;
  const eE = Math.exp(e);
  const eSafe = e > -600 && e < 600;
  for (let i = 0; i < n; i++) {
    const u1 = a - al * lN[i],
      u2 = b - be * lD[i];
    const wi = w ? w[i] : 1;
    let x1: number, x2: number, x3: number, s: number, psi: number;
    if (eSafe && u1 > -600 && u1 < 600 && u2 > -600 && u2 < 600) {
      // No overflow/underflow possible: skip the max shift (saves one exp per point).
      x1 = Math.exp(u1);
      x2 = Math.exp(u2);
      x3 = eE;
      s = x1 + x2 + x3;
      if (s < lo[i]) {
        // r > δ
        psi = delta;
        linPlus += wi * (lL[i] - halfDelta);
        if (wi === 1 && s > SMALL && s < BIG) {
          prodPlus *= s;
          if (prodPlus > BIG || prodPlus < SMALL) {
            logPlus += Math.log(prodPlus);
            prodPlus = 1;
          }
        } else if (wi !== 0) logPlus += wi * Math.log(s);
      } else if (s > hi[i]) {
        // r < −δ
        psi = -delta;
        linMinus += wi * (lL[i] + halfDelta);
        if (wi === 1 && s > SMALL && s < BIG) {
          prodMinus *= s;
          if (prodMinus > BIG || prodMinus < SMALL) {
            logMinus += Math.log(prodMinus);
            prodMinus = 1;
          }
        } else if (wi !== 0) logMinus += wi * Math.log(s);
      } else {
        const r = lL[i] - Math.log(s);
        // huber_δ(r) = ψ·(r − ψ/2) with ψ = huber′_δ(r) (optim/huber.ts); also exact when rounding at the cut
        // leaves |r| a hair above δ.
        psi = huberDeriv(delta, r);
        f += wi * psi * (r - 0.5 * psi);
      }
    } else {
      const m = u1 > u2 ? (u1 > e ? u1 : e) : u2 > e ? u2 : e;
      x1 = Math.exp(u1 - m);
      x2 = Math.exp(u2 - m);
      x3 = Math.exp(e - m);
      s = x1 + x2 + x3;
      const r = lL[i] - (m + Math.log(s));
      psi = huberDeriv(delta, r);
      f += wi * psi * (r - 0.5 * psi);
    }
    if (g) {
      const c = (wi * psi) / s; // d f / d LSE = −ψ; d LSE / d u_k = x_k / s
      ga -= c * x1;
      gb -= c * x2;
      ge -= c * x3;
      gal += c * x1 * lN[i];
      gbe += c * x2 * lD[i];
    }
  }
  logPlus += Math.log(prodPlus);
  logMinus += Math.log(prodMinus);
  f += delta * (linPlus - logPlus) + delta * (logMinus - linMinus);
  if (g) {
    g[0] = ga;
    g[1] = gb;
    g[2] = ge;
    g[3] = gal;
    g[4] = gbe;
  }
  return f;
}
