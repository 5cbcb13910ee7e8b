/**
 * Small dense Levenberg–Marquardt for the curve and schedule laws (≤ ~8 parameters, analytic Jacobians).
 *
 * Why our own and not `ml-levenberg-marquardt`: that package evaluates the model point by point with a
 * numerical gradient; the schedule laws (MPL) share expensive per-curve sums across all points and
 * parameters, so we need a residual callback that fills the whole residual vector and Jacobian at once.
 * Measured (`npm run bench`, row curve-lm-vs-mljs; bench/lmCompare.ts): on 1,672 curve-law fits over the shared
 * real curves this LM is 2.5× faster in CPU, never fails (mljs: 91 non-finite results), and ends lower in 1,454
 * fits against 86. mljs stays as a devDependency: the oracle of test/unit/fit/lm-oracle.test.ts.
 *
 * Method: Marquardt's scaling (damping λ·diag(JᵀJ)), box bounds by projection of each trial point,
 * normal equations solved by Cholesky with a tiny ridge. Pure, never throws: non-finite residuals just make
 * a trial step be rejected.
 */

/** Fills r (length m) and, when J is given, the row-major m×n Jacobian dr/dp. */
export type ResidualFn = (p: Float64Array, r: Float64Array, J: Float64Array | null) => void;

export interface LmOptions {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  maxIter?: number;
  /** Relative decrease of the cost below which we stop. */
  ftol?: number;
  lambda0?: number;
}

export interface LmResult {
  p: Float64Array;
  /** ½ Σ r² at p */
  cost: number;
  iterations: number;
  converged: boolean;
  /** Residuals and Jacobian at the solution (for covariance estimates). */
  r: Float64Array;
  J: Float64Array;
}

export function clampInto(p: Float64Array, lower: ArrayLike<number>, upper: ArrayLike<number>): void {
  for (let j = 0; j < p.length; j++) {
    if (!(p[j] >= lower[j])) p[j] = lower[j];
    else if (p[j] > upper[j]) p[j] = upper[j];
  }
}

export function halfSumSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return Number.isFinite(s) ? 0.5 * s : Infinity;
}

/** Solves A x = b for symmetric positive-definite A (n×n row-major) in place into x; false if not SPD. */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number, x: Float64Array): boolean {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return true;
}

/** JᵀJ (n×n) and Jᵀr (n) for row-major J (m×n). */
export function normalEquations(
  J: Float64Array,
  r: Float64Array,
  m: number,
  n: number,
  JtJ: Float64Array,
  Jtr: Float64Array,
): void {
  JtJ.fill(0);
  Jtr.fill(0);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const ri = r[i];
    for (let a = 0; a < n; a++) {
      const ja = J[o + a];
      if (ja === 0) continue;
      Jtr[a] += ja * ri;
      for (let b = 0; b <= a; b++) JtJ[a * n + b] += ja * J[o + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) JtJ[b * n + a] = JtJ[a * n + b];
}

export function levenbergMarquardt(fn: ResidualFn, p0: ArrayLike<number>, m: number, opts: LmOptions): LmResult {
  const n = p0.length;
  const maxIter = opts.maxIter ?? 100;
  const ftol = opts.ftol ?? 1e-10;
  let p = Float64Array.from(p0);
  clampInto(p, opts.lower, opts.upper);
  let r = new Float64Array(m);
  const J = new Float64Array(m * n);
  fn(p, r, J);
  let cost = halfSumSquares(r);
  const JtJ = new Float64Array(n * n);
  const Jtr = new Float64Array(n);
  const A = new Float64Array(n * n);
  const g = new Float64Array(n);
  const step = new Float64Array(n);
  let rTry = new Float64Array(m);
  let lambda = opts.lambda0 ?? 1e-3;
  let it = 0;
  let converged = false;
  if (!Number.isFinite(cost)) return { p, cost, iterations: 0, converged: false, r, J };
  for (; it < maxIter; it++) {
    normalEquations(J, r, m, n, JtJ, Jtr);
    for (let a = 0; a < n; a++) g[a] = -Jtr[a];
    let accepted = false;
    for (let tries = 0; tries < 12; tries++) {
      A.set(JtJ);
      for (let a = 0; a < n; a++) A[a * n + a] += lambda * (JtJ[a * n + a] + 1e-12) + 1e-300;
      if (!choleskySolve(A, g, n, step)) {
        lambda *= 10;
        continue;
      }
      const pTry = new Float64Array(n);
      for (let a = 0; a < n; a++) pTry[a] = p[a] + step[a];
      clampInto(pTry, opts.lower, opts.upper);
      fn(pTry, rTry, null);
      const cTry = halfSumSquares(rTry);
      if (cTry < cost) {
        const rel = (cost - cTry) / Math.max(cost, 1e-300);
        p = pTry;
        const tmp = r;
        r = rTry;
        rTry = tmp;
        cost = cTry;
        lambda = Math.max(lambda / 3, 1e-12);
        accepted = true;
        if (rel < ftol) converged = true;
        break;
      }
      lambda *= 4;
    }
    if (!accepted) {
      converged = true;
      break;
    }
    fn(p, r, J);
    if (converged) break;
  }
  return { p, cost, iterations: it, converged, r, J };
}
