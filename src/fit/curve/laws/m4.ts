import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * M4: (L − ε∞) / (ε0 − L)^α = β·x^c (c < 0): the loss falls from ε0 (x → 0) to ε∞ (x → ∞), with a
 * sigmoid-like transition in log x.
 * Source: Alabdulmohsin et al. 2022 (NeurIPS), estimator M4 (their best on most tasks).
 *
 * M4 is implicit in L. We predict by solving, per x, h(L) = ln(L − ε∞) − α·ln(ε0 − L) = ln β + c·ln x,
 * which is strictly increasing on (ε∞, ε0) (α ≥ 0): a monotone 1-D root-find (safeguarded Newton on
 * L = ε∞ + σ(v)(ε0 − ε∞), v the logit). Gradients come from the implicit-function theorem. We fit in data
 * space (log residuals, like every other law) and use the paper's transformed linear form only for
 * starting points: for fixed (ε∞, ε0, α), ln β and c are a straight-line fit of the left side against ln x.
 */
export const m4: CurveLaw = {
  id: 'm4',
  name: 'Implicit sigmoid-power law (M4)',
  latex: '\\frac{L - \\varepsilon_\\infty}{(\\varepsilon_0 - L)^{\\alpha}} = \\beta x^{c}',
  source: 'Alabdulmohsin et al. 2022 (M4)',
  params: [
    { name: 'eps_inf', lower: 0, upper: Infinity },
    { name: 'eps_0', lower: 0, upper: Infinity },
    { name: 'alpha', lower: 0, upper: 10 },
    { name: 'beta', lower: 1e-300, upper: Infinity },
    { name: 'c', lower: -6, upper: 0 },
  ],
  minX: 0,
  predict(p, x) {
    const v = rootAt(p, x);
    return Number.isNaN(v) ? NaN : p[0] + sigmoidOf(Math.exp(-Math.abs(v)), v >= 0) * (p[1] - p[0]);
  },
  grad(p, x, g) {
    const v = rootAt(p, x);
    if (Number.isNaN(v)) {
      g.fill(0);
      return NaN;
    }
    const delta = p[1] - p[0];
    const e = Math.exp(-Math.abs(v));
    const lo = sigmoidOf(e, v >= 0) * delta; // L − ε∞
    const hi = sigmoidOf(e, v < 0) * delta; // ε0 − L
    const FL = 1 / lo + p[2] / hi;
    g[0] = 1 / lo / FL;
    g[1] = p[2] / hi / FL;
    g[2] = Math.log(hi) / FL;
    g[3] = 1 / p[3] / FL;
    g[4] = Math.log(x) / FL;
    return p[0] + lo;
  },
  starts(d) {
    const s = dataStats(d);
    const range = s.yMax - s.yMin;
    const cands: { p: number[]; sse: number }[] = [];
    for (const eInf of offsetCandidates(d)) {
      for (const e0 of [s.yMax + 0.05 * range, s.yMax + range, s.yMax + 5 * range]) {
        for (const al of [0, 0.5, 1, 2]) {
          const fit = transformedLine(d, Math.max(eInf, 0), e0, al);
          if (fit)
            cands.push({ p: [Math.max(eInf, 0), e0, al, Math.exp(fit.lnBeta), Math.min(fit.c, -1e-3)], sse: fit.sse });
        }
      }
    }
    cands.sort((a, b) => a.sse - b.sse);
    return cands.slice(0, 3).map((c) => c.p);
  },
  asymptote: (p) => p[0],
};

/**
 * σ(±v) from e = e^−|v|: σ(v) is sigmoidOf(e, v ≥ 0) and σ(−v) is sigmoidOf(e, v < 0); one exponential serves both,
 * and neither overflows.
 */
function sigmoidOf(e: number, nonNegative: boolean): number {
  return nonNegative ? 1 / (1 + e) : e / (1 + e);
}

/**
 * The roots of the last parameter vector, in the order they were asked for. A least-squares step evaluates the
 * residuals at a trial point, point by point, and once the step is accepted the Jacobian at that same point in the
 * same order, so each root is asked for twice in a row: the second pass reads them back (the same numbers, so fits
 * are unchanged). A Map keyed by x cost more than solving again; this costs five comparisons and one per point.
 */
const SEQ_MAX = 512;
const seq = {
  p: new Float64Array(5).fill(NaN),
  x: new Float64Array(SEQ_MAX),
  v: new Float64Array(SEQ_MAX),
  n: 0,
  k: 0,
};
function rootAt(p: ArrayLike<number>, x: number): number {
  const q = seq.p;
  if (p[0] === q[0] && p[1] === q[1] && p[2] === q[2] && p[3] === q[3] && p[4] === q[4]) {
    if (seq.k < seq.n && seq.x[seq.k] === x) return seq.v[seq.k++];
    if (seq.n > 0 && seq.x[0] === x) {
      seq.k = 1; // a new pass over the same points
      return seq.v[0];
    }
  } else {
    for (let i = 0; i < 5; i++) q[i] = p[i];
    seq.n = 0;
    seq.k = 0;
  }
  const v = solveLogit(p, x);
  if (seq.k === seq.n && seq.n < SEQ_MAX) {
    seq.x[seq.n] = x;
    seq.v[seq.n++] = v;
    seq.k = seq.n;
  }
  return v;
}

/** Logit v of (L − ε∞)/(ε0 − ε∞) solving the M4 equation at x; NaN if the parameters are inadmissible. */
export function solveLogit(p: ArrayLike<number>, x: number): number {
  const eInf = p[0],
    e0 = p[1],
    al = p[2],
    beta = p[3],
    c = p[4];
  const delta = e0 - eInf;
  if (!(delta > 0) || !(beta > 0) || !(x > 0) || !(al >= 0)) return NaN;
  // ln u − α ln(1 − u) = target, u = σ(v): −softplus(−v) + α·softplus(v) = target.
  const target = Math.log(beta) + c * Math.log(x) - (1 - al) * Math.log(delta);
  if (!Number.isFinite(target)) return NaN;
  // Closed forms at the two α the fits sit on most (the lower bound 0, and 1): α = 0 gives u = e^target, so
  // v = target − ln(1 − e^target) (a root only for target < 0); α = 1 gives v = target.
  if (al === 1) return target;
  if (al === 0 && target < 0) return target - Math.log(-Math.expm1(target));
  let lo = -800,
    hi = 800;
  let v = target < 0 ? Math.max(target, lo) : al > 0 ? Math.min(target / al, hi) : Math.min(target, hi);
  for (let i = 0; i < 100; i++) {
    // one exp and one log1p per step: softplus(±v) = max(±v, 0) + ln(1 + e^−|v|), σ(±v) from the same e^−|v|
    const e = Math.exp(-Math.abs(v));
    const l = Math.log1p(e);
    const h = -((v < 0 ? -v : 0) + l) + al * ((v > 0 ? v : 0) + l) - target;
    if (h > 0) hi = v;
    else lo = v;
    if (Math.abs(h) < 1e-13 || hi - lo < 1e-12) break;
    let next = v - h / (sigmoidOf(e, v < 0) + al * sigmoidOf(e, v >= 0));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    v = next;
  }
  return v;
}

/** Straight-line fit of ln(y − ε∞) − α ln(ε0 − y) on ln x (the paper's transformed form). */
function transformedLine(
  d: { x: Float64Array; y: Float64Array },
  eInf: number,
  e0: number,
  al: number,
): { lnBeta: number; c: number; sse: number } | null {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  const zs: number[] = [],
    ls: number[] = [];
  for (let i = 0; i < d.x.length; i++) {
    const a = d.y[i] - eInf,
      b = e0 - d.y[i];
    if (!(a > 0 && b > 0)) continue;
    const lx = Math.log(d.x[i]);
    const z = Math.log(a) - al * Math.log(b);
    zs.push(z);
    ls.push(lx);
    n++;
    sx += lx;
    sy += z;
    sxx += lx * lx;
    sxy += lx * z;
  }
  if (n < 3) return null;
  const den = n * sxx - sx * sx;
  if (!(den > 0)) return null;
  const c = (n * sxy - sx * sy) / den;
  const lnBeta = (sy - c * sx) / n;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = zs[i] - lnBeta - c * ls[i];
    sse += e * e;
  }
  return { lnBeta, c, sse };
}
