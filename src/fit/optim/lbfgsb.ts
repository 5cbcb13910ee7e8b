/**
 * Bounded limited-memory BFGS: a projected L-BFGS (the active set is the variables sitting on a bound whose
 * gradient pushes outwards; the two-loop direction is computed on the projected gradient and restricted to
 * the free variables; steps follow the projection path x(t) = P(x + t·d) with an Armijo backtracking line
 * search). Unbounded problems reduce to textbook L-BFGS (Nocedal & Wright, "Numerical Optimization", alg. 7.4).
 *
 * Never throws: non-finite objective values are treated as "step too long" and reported in `reason`.
 */
import type { ObjectiveFn, OptimResult } from '../types';

export interface LbfgsOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Max iterations (default 500). */
  maxIter?: number;
  /** Memory size (default 10). */
  m?: number;
  /** Stop when the infinity-norm of the projected gradient is ≤ gtol (default 1e-10). */
  gtol?: number;
  /** Stop when (f_k − f_{k+1}) ≤ ftol · |f_k| (default 1e-12, relative to f itself). */
  ftol?: number;
  /**
   * Initial inverse-Hessian approximation H₀ (n×n, row-major, symmetric positive definite), used in place of
   * the scaled identity γ·I at the centre of the two-loop recursion. From the Hessian of a nearby problem (e.g.
   * the full-data fit when refitting bootstrap resamples) it makes the first steps nearly Newton steps.
   */
  h0?: Float64Array;
  /**
   * Scratch arrays to reuse across many runs of the same size (multi-start): no allocation per run but the
   * returned x. Must not be shared by two runs at once.
   */
  work?: LbfgsWorkspace;
  /** Called after every accepted step; return true to stop early (reason "stopped by caller"). */
  onIteration?: (iter: number, x: Float64Array, f: number) => boolean;
}

const C1 = 1e-4;

export interface LbfgsWorkspace {
  n: number;
  m: number;
  g: Float64Array;
  pg: Float64Array;
  d: Float64Array;
  xn: Float64Array;
  gn: Float64Array;
  tmp: Float64Array;
  S: Float64Array;
  Y: Float64Array;
  rho: Float64Array;
  alpha: Float64Array;
}

/** Scratch arrays for `minimizeLbfgsb` on n variables with memory m (default 10). */
export function lbfgsWorkspace(n: number, m = 10): LbfgsWorkspace {
  const v = () => new Float64Array(n);
  return {
    n,
    m,
    g: v(),
    pg: v(),
    d: v(),
    xn: v(),
    gn: v(),
    tmp: v(),
    S: new Float64Array(m * n),
    Y: new Float64Array(m * n),
    rho: new Float64Array(m),
    alpha: new Float64Array(m),
  };
}

/** Clamp x into [lower, upper] in place. */
export function project(x: Float64Array, lo: ArrayLike<number> | undefined, hi: ArrayLike<number> | undefined): void {
  if (!lo && !hi) return;
  for (let i = 0; i < x.length; i++) {
    if (lo && x[i] < lo[i]) x[i] = lo[i];
    if (hi && x[i] > hi[i]) x[i] = hi[i];
  }
}

/** Projected gradient (zero where a bound is active and the gradient points out of the box); returns its ∞-norm. */
export function projectedGradient(
  x: Float64Array,
  g: Float64Array,
  lo: ArrayLike<number> | undefined,
  hi: ArrayLike<number> | undefined,
  out: Float64Array,
): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    let v = g[i];
    if (lo && x[i] <= lo[i] && v > 0) v = 0;
    if (hi && x[i] >= hi[i] && v < 0) v = 0;
    out[i] = v;
    const a = Math.abs(v);
    if (a > norm || Number.isNaN(a)) norm = a;
  }
  return norm;
}

/** Minimise `fg` from `x0` within optional box bounds. */
export function minimizeLbfgsb(fg: ObjectiveFn, x0: ArrayLike<number>, opts: LbfgsOptions = {}): OptimResult {
  const n = x0.length;
  const lo = opts.lower,
    hi = opts.upper;
  const maxIter = opts.maxIter ?? 500,
    m = opts.m ?? 10;
  const gtol = opts.gtol ?? 1e-10,
    ftol = opts.ftol ?? 1e-12;

  const x = Float64Array.from(x0);
  project(x, lo, hi);
  const w = opts.work && opts.work.n === n && opts.work.m === m ? opts.work : lbfgsWorkspace(n, m);
  const { g, pg, d, xn, gn, S, Y, rho, alpha } = w;
  const h0 = opts.h0 && opts.h0.length === n * n ? opts.h0 : undefined;
  const tmp = h0 ? w.tmp : undefined;
  let mem = 0,
    head = 0; // ring buffer: newest pair at (head - 1 + m) % m
  let evaluations = 1;
  let f = safeEval(fg, x, g);
  if (!Number.isFinite(f))
    return done(x, f, Infinity, 0, evaluations, false, 'objective not finite at the starting point');

  let iter = 0,
    reason = 'max iterations',
    converged = false;
  let gnorm = projectedGradient(x, g, lo, hi, pg);
  for (; iter < maxIter; iter++) {
    if (!(gnorm > gtol)) {
      converged = gnorm <= gtol;
      reason = converged ? 'projected gradient ≤ gtol' : 'gradient not finite';
      break;
    }
    twoLoop(pg, S, Y, rho, alpha, mem, head, m, n, d, h0, tmp);
    restrictToFree(x, g, lo, hi, d);
    let slope = dot(d, g),
      steepest = false;
    if (!(slope < 0)) {
      // not a descent direction: fall back to steepest descent
      mem = 0;
      steepest = true;
      for (let i = 0; i < n; i++) d[i] = -pg[i];
      slope = dot(d, g);
    }
    let t = mem === 0 && (!h0 || steepest) ? Math.min(1, 1 / Math.max(gnorm, 1e-300)) : 1;
    let fn = NaN,
      accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + t * d[i];
      project(xn, lo, hi);
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i] * (xn[i] - x[i]);
      fn = safeEval(fg, xn, gn);
      evaluations++;
      if (Number.isFinite(fn) && fn <= f + C1 * dec) {
        accepted = true;
        break;
      }
      // Quadratic interpolation on the (unprojected) line, safeguarded to [0.1 t, 0.5 t].
      let tNew = 0.1 * t;
      if (Number.isFinite(fn)) {
        const q = (-slope * t * t) / (2 * (fn - f - slope * t));
        if (Number.isFinite(q)) tNew = Math.min(0.5 * t, Math.max(0.1 * t, q));
      }
      t = tNew;
    }
    if (!accepted) {
      if (mem > 0) {
        mem = 0;
        iter--;
        continue;
      } // retry this iteration along steepest descent
      reason = 'line search failed (objective flat or non-smooth at the precision available)';
      converged = gnorm < 1e-6 * Math.max(1, Math.abs(f));
      break;
    }
    // Curvature pair.
    let sy = 0,
      yy = 0;
    const base = head * n;
    for (let i = 0; i < n; i++) {
      const s = xn[i] - x[i],
        y = gn[i] - g[i];
      S[base + i] = s;
      Y[base + i] = y;
      sy += s * y;
      yy += y * y;
    }
    if (sy > 1e-12 * yy && sy > 0) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      if (mem < m) mem++;
    }
    const fPrev = f;
    x.set(xn);
    g.set(gn);
    f = fn;
    gnorm = projectedGradient(x, g, lo, hi, pg);
    if (opts.onIteration && opts.onIteration(iter, x, f)) {
      reason = 'stopped by caller';
      iter++;
      break;
    }
    if (fPrev - f <= ftol * Math.abs(fPrev)) {
      converged = true;
      reason = 'relative reduction ≤ ftol';
      iter++;
      break;
    }
  }
  return done(x, f, gnorm, iter, evaluations, converged, reason);
}

function done(
  x: Float64Array,
  f: number,
  gradNorm: number,
  iterations: number,
  evaluations: number,
  converged: boolean,
  reason: string,
): OptimResult {
  return { x, f, gradNorm, iterations, evaluations, converged, reason };
}

function safeEval(fg: ObjectiveFn, x: Float64Array, g: Float64Array): number {
  try {
    const v = fg(x, g);
    return typeof v === 'number' && !Number.isNaN(v) ? v : Infinity;
  } catch {
    return Infinity;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** d = −H·q by the two-loop recursion over the stored pairs (newest first). */
function twoLoop(
  q0: Float64Array,
  S: Float64Array,
  Y: Float64Array,
  rho: Float64Array,
  alpha: Float64Array,
  mem: number,
  head: number,
  m: number,
  n: number,
  d: Float64Array,
  h0?: Float64Array,
  tmp?: Float64Array,
): void {
  for (let i = 0; i < n; i++) d[i] = q0[i];
  for (let k = 0; k < mem; k++) {
    const j = (head - 1 - k + 2 * m) % m,
      b = j * n;
    let a = 0;
    for (let i = 0; i < n; i++) a += S[b + i] * d[i];
    a *= rho[j];
    alpha[j] = a;
    for (let i = 0; i < n; i++) d[i] -= a * Y[b + i];
  }
  if (h0 && tmp) {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += h0[i * n + k] * d[k];
      tmp[i] = v;
    }
    d.set(tmp);
  } else if (mem > 0) {
    const j = (head - 1 + m) % m,
      b = j * n;
    let sy = 0,
      yy = 0;
    for (let i = 0; i < n; i++) {
      sy += S[b + i] * Y[b + i];
      yy += Y[b + i] * Y[b + i];
    }
    const gamma = sy / yy;
    for (let i = 0; i < n; i++) d[i] *= gamma;
  }
  for (let k = mem - 1; k >= 0; k--) {
    const j = (head - 1 - k + 2 * m) % m,
      b = j * n;
    let beta = 0;
    for (let i = 0; i < n; i++) beta += Y[b + i] * d[i];
    beta *= rho[j];
    const c = alpha[j] - beta;
    for (let i = 0; i < n; i++) d[i] += c * S[b + i];
  }
  for (let i = 0; i < n; i++) d[i] = -d[i];
}

/** Zero the direction on variables held at a bound (active set). */
function restrictToFree(
  x: Float64Array,
  g: Float64Array,
  lo: ArrayLike<number> | undefined,
  hi: ArrayLike<number> | undefined,
  d: Float64Array,
): void {
  if (!lo && !hi) return;
  for (let i = 0; i < x.length; i++) {
    if ((lo && x[i] <= lo[i] && g[i] > 0) || (hi && x[i] >= hi[i] && g[i] < 0)) d[i] = 0;
  }
}
