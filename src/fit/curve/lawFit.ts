/**
 * Fitting one curve law to (x, y): least squares on log residuals r = ln ŷ − ln y (scale-free, the metric of
 * Alabdulmohsin et al. 2022), multi-start from the law's data-driven seeds, then Huber re-weighting (IRLS)
 * so loss spikes do not drag the fit. Pure; never throws.
 */
import type { CurveLaw, CurveData } from './law';
import { clampInto, halfSumSquares, levenbergMarquardt, type ResidualFn } from './lm';
import { huberWeight } from '../optim/huber';
import { priorResidual, priorsOf, type CurvePrior } from './priors';

export interface LawFitResult {
  ok: boolean;
  p: Float64Array;
  /** Σ w r² / 2 at the solution */
  cost: number;
  /** unweighted log residuals at the solution */
  r: Float64Array;
  /** Jacobian of ln ŷ (row-major m×n) at the solution, unweighted */
  J: Float64Array;
  weights: Float64Array;
}

export interface LawFitOptions {
  maxIter?: number;
  /** Huber threshold in units of the robust residual scale; 0 disables re-weighting */
  huberK?: number;
  extraStarts?: number[][];
  /** LM runs only from the best `maxStarts` seeds by initial cost (extra starts always run). Default 2. */
  maxStarts?: number;
  /** IRLS re-weighting rounds. Default 2. */
  huberRounds?: number;
  /** MAP with the law's literature priors (priors.ts). Default true. */
  priors?: boolean;
}

/**
 * The data residuals followed by one row per prior: scale·z (z the standardised prior residual), so that the
 * least-squares cost is the negative log posterior with the priors counted at the residual scale `scale`.
 */
export function withPriors(
  base: ResidualFn,
  m: number,
  n: number,
  priors: readonly CurvePrior[],
  scale: number,
  yMin: number,
): ResidualFn {
  const rd = new Float64Array(m);
  const Jd = new Float64Array(m * n);
  return (p, r, J) => {
    base(p, rd, J ? Jd : null);
    r.set(rd);
    if (J) {
      J.fill(0);
      J.set(Jd);
    }
    for (let k = 0; k < priors.length; k++) {
      const { z, dz } = priorResidual(priors[k], p[priors[k].param], yMin);
      r[m + k] = scale * z;
      if (J) J[(m + k) * n + priors[k].param] = scale * dz;
    }
  };
}

/** Residual scale for the prior rows: RMS residual × √((1 + ρ)/(1 − ρ)) for lag-1 autocorrelation ρ. */
export function priorScale(r: Float64Array, n: number): number {
  let ss = 0,
    num = 0;
  for (let i = 0; i < r.length; i++) {
    ss += r[i] * r[i];
    if (i > 0) num += r[i] * r[i - 1];
  }
  const rho = ss > 0 ? Math.min(Math.max(num / ss, 0), 0.95) : 0;
  const s2 = (ss / Math.max(r.length - n, 1)) * ((1 + rho) / (1 - rho));
  return Math.sqrt(Math.max(s2, 1e-12));
}

const BAD = 10; // residual given to points where the law is undefined (ŷ ≤ 0 or NaN)

export function logResiduals(law: CurveLaw, d: CurveData, w: Float64Array): ResidualFn {
  const n = law.params.length;
  const g = new Float64Array(n);
  const lny = d.y.map(Math.log); // once per fit, not once per residual evaluation
  // √w once per closure, not once per point and evaluation: each closure is made after its weights are set (fitLaw
  // makes a new one for every Huber round), so this is the same number as computing it in the loop.
  const sqrtW = w.map(Math.sqrt);
  const xs = d.x;
  return (p, r, J) => {
    for (let i = 0; i < xs.length; i++) {
      const sw = sqrtW[i];
      if (J) {
        const yhat = law.grad(p, xs[i], g);
        if (!(yhat > 0) || !Number.isFinite(yhat)) {
          r[i] = BAD * sw;
          for (let j = 0; j < n; j++) J[i * n + j] = 0;
          continue;
        }
        r[i] = sw * (Math.log(yhat) - lny[i]);
        for (let j = 0; j < n; j++) {
          const v = (sw * g[j]) / yhat;
          J[i * n + j] = Number.isFinite(v) ? v : 0;
        }
      } else {
        const yhat = law.predict(p, xs[i]);
        r[i] = yhat > 0 && Number.isFinite(yhat) ? sw * (Math.log(yhat) - lny[i]) : BAD * sw;
      }
    }
  };
}

export function fitLaw(law: CurveLaw, d: CurveData, opts: LawFitOptions = {}): LawFitResult {
  const m = d.x.length;
  const n = law.params.length;
  const lower = law.params.map((q) => q.lower);
  const upper = law.params.map((q) => q.upper);
  const w = new Float64Array(m).fill(1);
  let starts: number[][] = [];
  try {
    starts = law.starts(d);
  } catch {
    starts = [];
  }
  const valid = (s: number[]) => s.length === n && s.every(Number.isFinite);
  const fn = logResiduals(law, d, w);
  const probe = new Float64Array(m);
  const scored = starts
    .filter(valid)
    .map((s) => {
      const q = Float64Array.from(s);
      clampInto(q, lower, upper);
      fn(q, probe, null);
      return { s, c: halfSumSquares(probe) };
    })
    .sort((a, b) => a.c - b.c);
  const chosen = [...(opts.extraStarts ?? []).filter(valid), ...scored.slice(0, opts.maxStarts ?? 2).map((q) => q.s)];
  let best: { p: Float64Array; cost: number } | null = null;
  for (const s of chosen) {
    const res = levenbergMarquardt(fn, s, m, { lower, upper, maxIter: opts.maxIter ?? 60, ftol: 1e-9 });
    if (Number.isFinite(res.cost) && (!best || res.cost < best.cost)) best = { p: res.p, cost: res.cost };
  }
  if (!best)
    return {
      ok: false,
      p: new Float64Array(n),
      cost: Infinity,
      r: new Float64Array(m),
      J: new Float64Array(m * n),
      weights: w,
    };
  const huberK = opts.huberK ?? 2;
  let p = best.p;
  const r = new Float64Array(m);
  const J = new Float64Array(m * n);
  const lm = (f: ResidualFn, from: Float64Array, rows: number) =>
    levenbergMarquardt(f, from, rows, { lower, upper, maxIter: opts.maxIter ?? 60, ftol: 1e-9 });
  if (huberK > 0 && m > n + 2) {
    for (let round = 0; round < (opts.huberRounds ?? 2); round++) {
      logResiduals(law, d, new Float64Array(m).fill(1))(p, r, null);
      const scale = robustScale(r);
      if (!(scale > 0)) break;
      const delta = huberK * scale;
      let changed = false;
      for (let i = 0; i < m; i++) {
        const wi = huberWeight(delta, r[i]);
        if (Math.abs(wi - w[i]) > 1e-3) changed = true;
        w[i] = wi;
      }
      if (!changed) break;
      const res = lm(logResiduals(law, d, w), p, m);
      if (Number.isFinite(res.cost)) p = res.p;
    }
  }
  // MAP: last, with the Huber weights fixed; the priors' weight is set at the (weighted) residual scale of the
  // unpenalised optimum (priors.ts), then LM from there.
  const priors = opts.priors === false ? [] : priorsOf(law.id);
  if (priors.length) {
    let yMin = Infinity;
    for (const v of d.y) if (v < yMin) yMin = v;
    const wf = logResiduals(law, d, w);
    wf(p, r, null);
    const scale = priorScale(r, n) * Math.sqrt(m);
    const res = lm(withPriors(wf, m, n, priors, scale, yMin), p, m + priors.length);
    if (Number.isFinite(res.cost)) p = res.p;
  }
  const one = new Float64Array(m).fill(1);
  logResiduals(law, d, one)(p, r, J);
  let cost = 0;
  for (let i = 0; i < m; i++) cost += 0.5 * w[i] * r[i] * r[i];
  return { ok: Number.isFinite(cost), p, cost, r, J, weights: w };
}

/** 1.4826 × median |r| (consistent for Gaussian noise), with a floor from the RMS for tiny samples. */
export function robustScale(r: Float64Array): number {
  const a = Array.from(r, Math.abs).sort((u, v) => u - v);
  if (a.length === 0) return 0;
  const med = a[a.length >> 1];
  return 1.4826 * med;
}
