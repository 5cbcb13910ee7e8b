/**
 * Fit one run's learning curve (x = steps or tokens, y = loss) and forecast it.
 *
 * Pipeline (each step a small pure function below):
 *  1. clean: drop NaN/±inf, x ≤ 0 (every law is evaluated at x > 0) and y ≤ 0 (we fit log residuals),
 *     sort by x; each drop is reported in `warnings`. Constant or non-decreasing curves → `{ ok: false }`.
 *  2. decimate (see decimate.ts): log-spaced median bins + dense tail, ≤ `maxPoints` points.
 *  3. x is rescaled by x̃ = x / xScale with xScale = x₀/2 (first point at x̃ = 2, so ilog2 is defined and the
 *     exponential laws have O(1) seeds). Parameters are reported in x̃ units together with xScale.
 *  4. select: backtest every candidate law: fit on the points with x ≤ x₀ + (1 − holdout)·(x_last − x₀)
 *     (default holdout 0.25 of the x span: the forecasting task in miniature), score by RMSE of log residuals
 *     on the held-out tail; the lowest score wins. Extrapolation error, not in-sample fit, is what a forecast
 *     needs and what separates the laws (in-sample they are all nearly perfect). Short curves (< 96 points
 *     after decimation) average the score over three origins, (1 − holdout) ± 0.1 of the span, because one
 *     split with a handful of held-out points is mostly noise. If no law can be backtested (too few points),
 *     fall back to BIC on all points. Spikes: Huber re-weighting (IRLS, k = 2 robust-scale units) in the fits.
 *  5. refit the chosen law on all points (seeded with its backtest parameters too).
 *  6. uncertainty: parametric, from the Jacobian covariance  Σ = s²(JᵀJ)⁻¹ of the log-residual fit, with s²
 *     inflated by (1 + ρ)/(1 − ρ) for lag-1 residual autocorrelation ρ (smooth curves have strongly
 *     correlated residuals; the inflation is the usual effective-sample-size correction). Intervals are
 *     delta-method intervals for the *curve* (mean loss) in log space: exp(ln ŷ ± z·√(gᵀΣg)).
 *  7. model average: the forecast averages ln ŷ of the laws whose backtest score lies within 2× the best
 *     (Occam's window; the best ENSEMBLE_MAX = 5 of them), with EQUAL weights (BIC weights of the best 3 when
 *     nothing could be backtested; see assignWeights for why not inverse-error weights). Only laws with
 *     their minimum number of points take part (priors.ts), and every fit is MAP with the laws' literature
 *     priors (lawFit.ts, priors.ts). The interval variance is the weighted member variance plus the weighted
 *     between-member variance of ln ŷ, plus (beyond the last observed x) the members' backtest error grown
 *     with the log-distance d = ln(x / x_last) at the rate the backtest measured, never below
 *     EXTRAPOLATION_SD_PER_EFOLD·d; the quantile is Student-t with the fit's residual degrees of freedom.
 *     predictCurve's `scenario` adds an LR anneal nobody logged (ANNEAL_DROP; scenario.ts).
 *     Beyond the data each side of the band gets its own split-conformal multiplier and the upper end a cap
 *     at the smoothed loss already reached (calibration.ts: learned on the non-blind pool), so the band is lopsided;
 *     a forecast steeper than its prefix (more log-decline ahead than behind) has an upper end at least that loss.
 *     Coverage: test/unit/fit/curve-coverage.test.ts and curve-calibration.test.ts; `npm run backtest`.
 */
import type { CurveLaw, CurveData } from './law';
import { CURVE_LAWS, curveLawById } from './laws/index';
import { decimate, upperMedian } from './decimate';
import { fitLaw, type LawFitResult } from './lawFit';
import { invertSpd, normalQuantile } from './stats';
import { minPointsFor } from './priors';
import { BAND_CALIBRATION, bandMultiplier, lastLossFloor, steepForecast, upperCapLog } from './calibration';

export interface CurveFitOptions {
  /** Candidate law ids ('auto' or undefined: all). A single id forces that law (no selection). */
  laws?: string[] | 'auto';
  /** Fraction of the x span held out for law selection (0.2–0.3 sensible). Default 0.25. */
  holdout?: number;
  /** Decimation target. Default 160. */
  maxPoints?: number;
  /** Huber threshold in robust-scale units (0: plain least squares). Default 2. */
  huberK?: number;
  /**
   * At most this many laws in the model average, best backtest score first, among those within 2× the best
   * score (default ENSEMBLE_MAX = 5; 1 = the single best law).
   */
  ensemble?: number;
  /**
   * Burn-in: fit only the points with x ≥ x_last / burnIn, keeping at least the last BURN_IN_MIN_POINTS; 1 (or 0):
   * every point. Absent: DENSE_BURN_IN for prefixes of at least DENSE_PREFIX_POINTS points, every point otherwise
   * (bench/i12Study6.ts's C7, the default since it passed its blind judgement, bench/i12Judge6.ts; study 3's C4 was
   * the ungated burnIn 10).
   */
  burnIn?: number;
  /**
   * Positive floor (bench/i12Study5.ts, candidate C6): only members whose fitted asymptote is above this fraction of
   * the last (decimated) prefix loss take part; when none is, the best-backtested law whose fit on every point has
   * such a floor is the forecast alone (and main's members when no law has one). Absent: main.
   */
  positiveFloor?: number;
  /**
   * Occam's window: laws whose backtest score is within this factor of the best take part (default 2). For the
   * stacking generator (bench/stackWeights.ts), which records every law's forecast; Infinity: every law.
   */
  window?: number;
  /**
   * Decline cap (bench/i12Study7.ts's C8b, the default since its blind judgement: absent means DECLINE_CAP, null
   * turns it off): beyond the data, the as-logged average may not fall
   * faster, in log-log terms from the last prefix loss, than this fraction θ of the prefix's own late slope
   * (`lateLogSlope`: the last quarter of its ln-x range, measured before the burn-in): ln L(x) ≥ ln L_last +
   * θ·slope·ln(x / x_last). Only when that slope is negative and measured on at least LATE_SLOPE_MIN_POINTS points.
   */
  declineCap?: number | null;
}

/** One law of the forecast ensemble, fitted on all points. */
export interface CurveMember {
  law: string;
  params: number[];
  cov: number[] | null;
  holdoutLogRmse: number;
  /** model-averaging weight (sums to 1 over the members; absent: equal weights) */
  weight?: number;
}

export interface CandidateScore {
  law: string;
  /** RMSE of log residuals on the held-out tail (Infinity: could not be backtested) */
  holdoutLogRmse: number;
  reason?: string;
}

export interface CurveFit {
  ok: true;
  law: string;
  lawName: string;
  latex: string;
  source: string;
  paramNames: string[];
  /** parameters in x̃ = x / xScale units */
  params: number[];
  xScale: number;
  /** covariance of params (row-major n×n), or null if singular */
  cov: number[] | null;
  /** residual scale of log ŷ − log y (after the autocorrelation inflation) */
  sigma: number;
  /** points used in the fit after cleaning and decimation */
  nFit: number;
  nRaw: number;
  xRange: [number, number];
  /** last observed loss (median of the last decimated bin) */
  lastLoss: number;
  /**
   * The prefix's initial loss (`initialLossOf` on the input): with lastLoss, the drop so far that tells a forecast
   * steeper than its prefix (calibration.ts steepForecast). Absent in fits made before session 32.
   */
  initialLoss?: number;
  asymptote: number | null;
  /**
   * Law-selection backtest: cutoff (x units), held-out log-RMSE of the chosen law, and the RMS log-distance
   * ln(x / x_cut) of the held-out points beyond their cutoff (the horizon that error was measured at; used to
   * grow the forecast interval with the extrapolation distance).
   */
  backtest: { cutoff: number; logRmse: number; logDistanceRms?: number };
  candidates: CandidateScore[];
  /** The forecast ensemble (members[0] is `law`/`params`); predictions average the members in log space. */
  members: CurveMember[];
  warnings: string[];
  /** CurveFitOptions.declineCap's floor line (absent when the cap is off or the late slope is not negative) */
  declineCap?: { theta: number; slope: number };
}

export interface FitFailure {
  ok: false;
  reason: string;
  warnings?: string[];
}

export interface CurvePrediction {
  x: number;
  value: number;
  lower: number;
  upper: number;
}

interface Clean {
  x: Float64Array;
  y: Float64Array;
  warnings: string[];
  /** pairs of the input with both x and y finite (before the x ≤ 0 and loss ≤ 0 drops) */
  finite: number;
}

/** Step 1: validation and cleaning. Never throws. */
export function cleanCurve(x: unknown, y: unknown): Clean | FitFailure {
  if (!Array.isArray(x) && !ArrayBuffer.isView(x)) return { ok: false, reason: 'x is not an array' };
  if (!Array.isArray(y) && !ArrayBuffer.isView(y)) return { ok: false, reason: 'y is not an array' };
  const xs = x as ArrayLike<unknown>,
    ys = y as ArrayLike<unknown>;
  const warnings: string[] = [];
  if (xs.length !== ys.length)
    warnings.push(
      `x and y lengths differ (${xs.length} vs ${ys.length}): using the first ${Math.min(xs.length, ys.length)}`,
    );
  const n = Math.min(xs.length, ys.length);
  let nonFinite = 0,
    nonPosX = 0,
    nonPosY = 0,
    m = 0;
  let cx = new Float64Array(n),
    cy = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const a = xs[i],
      b = ys[i];
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
      nonFinite++;
      continue;
    }
    if (a <= 0) {
      nonPosX++;
      continue;
    }
    if (b <= 0) {
      nonPosY++;
      continue;
    }
    if (m > 0 && a < cx[m - 1]) sorted = false;
    cx[m] = a;
    cy[m] = b;
    m++;
  }
  if (nonFinite) warnings.push(`dropped ${nonFinite} NaN/infinite point(s)`);
  if (nonPosX) warnings.push(`dropped ${nonPosX} point(s) with x ≤ 0 (the laws are evaluated at x > 0)`);
  if (nonPosY) warnings.push(`dropped ${nonPosY} point(s) with loss ≤ 0 (fits use log residuals)`);
  cx = cx.subarray(0, m);
  cy = cy.subarray(0, m);
  if (!sorted) {
    const idx = Array.from({ length: m }, (_, i) => i).sort((i, j) => cx[i] - cx[j]);
    cx = Float64Array.from(idx, (i) => cx[i]);
    cy = Float64Array.from(idx, (i) => cy[i]);
    warnings.push('x was not sorted: sorted ascending');
  }
  return { x: cx, y: cy, warnings, finite: n - nonFinite };
}

/**
 * The initial loss of a curve as given (input order, the finite (x, y) pairs, step 0 included): the median (the lower
 * of the two middle values for an even count) of its first min(5, ⌈n/10⌉) points, so one noisy first point does not
 * set it on a long prefix; NaN with no finite pair.
 */
export function initialLossOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const ys: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (typeof x[i] === 'number' && typeof y[i] === 'number' && Number.isFinite(x[i]) && Number.isFinite(y[i]))
      ys.push(y[i]);
  if (!ys.length) return NaN;
  const k = Math.min(5, Math.max(1, Math.ceil(ys.length / 10)));
  const first = ys.slice(0, k).sort((a, b) => a - b);
  return first[(first.length - 1) >> 1];
}

function countDistinct(x: Float64Array): number {
  let k = x.length ? 1 : 0;
  for (let i = 1; i < x.length; i++) if (x[i] !== x[i - 1]) k++;
  return k;
}

/**
 * Index of the loss maximum within the first 20 % of points when it rises clearly above the first point
 * (by more than 3 noise units, noise = 1.4826·median|Δy|/√2 over that window), else 0.
 */
export function warmupBump(y: Float64Array): number {
  const k = Math.floor(y.length * 0.2);
  if (k < 3) return 0;
  let arg = 0;
  for (let i = 1; i < k; i++) if (y[i] > y[arg]) arg = i;
  if (arg === 0) return 0;
  const d = Float64Array.from({ length: k - 1 }, (_, i) => Math.abs(y[i + 1] - y[i]));
  const noise = (1.4826 * upperMedian(d, d.length)) / Math.SQRT2;
  return y[arg] - y[0] > 3 * noise ? arg : 0;
}

/** Fewest points a burn-in leaves (CurveFitOptions.burnIn). */
export const BURN_IN_MIN_POINTS = 12;
/**
 * A prefix of at least this many finite points is fitted from x ≥ x_last / DENSE_BURN_IN only (unless
 * CurveFitOptions.burnIn says otherwise). A densely logged loss from the first steps holds the early fast phase
 * (warm-up, the first fall from ln V), which the log-spaced fit weighs as much as the late slope and carries into the
 * extrapolation: on the pool such prefixes were forecast 12–17 % low at 5–12× horizons (bench/i12Study.ts). Chosen
 * on the pool, then judged once on the blind curve hold-out 17 (bench/i12Study6.ts, bench/i12Judge6.ts).
 */
export const DENSE_PREFIX_POINTS = 60;
export const DENSE_BURN_IN = 3;

/**
 * Index of the first point a burn-in of ratio r keeps: the first x ≥ x_last / r, moved back so that at least
 * BURN_IN_MIN_POINTS remain (0 when there are no more points than that). x ascending.
 */
export function burnInStart(x: ArrayLike<number>, r: number): number {
  const n = x.length;
  if (n <= BURN_IN_MIN_POINTS) return 0;
  const from = x[n - 1] / r;
  let k = 0;
  while (k < n && x[k] < from) k++;
  return Math.min(k, n - BURN_IN_MIN_POINTS);
}

/** Median of the first and last 20 % of points: is the curve going down at all? */
export function trendCheck(y: Float64Array): { constant: boolean; decreasing: boolean } {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of y) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const constant = hi - lo <= 1e-12 * Math.max(Math.abs(hi), 1e-300);
  const k = Math.max(1, Math.floor(y.length * 0.2));
  const med = (a: Float64Array) => upperMedian(Float64Array.from(a), a.length);
  const head = med(y.subarray(0, k));
  const tail = med(y.subarray(y.length - k));
  return { constant, decreasing: tail < head };
}

function candidateLaws(opts: CurveFitOptions): CurveLaw[] | string {
  // auto: one law per functional form (M2 is pow3 re-parametrised; both in the average double-counted it)
  if (!opts.laws || opts.laws === 'auto')
    return CURVE_LAWS.filter((l) => !l.sameAs || !CURVE_LAWS.some((o) => o.id === l.sameAs));
  const out: CurveLaw[] = [];
  for (const id of opts.laws) {
    const l = curveLawById(id);
    if (!l) return `unknown curve law "${id}" (known: ${CURVE_LAWS.map((q) => q.id).join(', ')})`;
    out.push(l);
  }
  return out.length ? out : 'no candidate laws given';
}

function subset(d: CurveData, from: number, to: number): CurveData {
  return { x: d.x.subarray(from, to), y: d.y.subarray(from, to) };
}

function logRmse(law: CurveLaw, p: ArrayLike<number>, d: CurveData): number {
  let s = 0;
  for (let i = 0; i < d.x.length; i++) {
    const v = law.predict(p, d.x[i]);
    if (!(v > 0) || !Number.isFinite(v)) return Infinity;
    const e = Math.log(v) - Math.log(d.y[i]);
    s += e * e;
  }
  return Math.sqrt(s / Math.max(d.x.length, 1));
}

/** Step 4: backtest score of one law; also returns its parameters (reused as a seed for the refit). */
export function backtestLaw(
  law: CurveLaw,
  d: CurveData,
  nTrain: number,
  huberK: number,
  budget: { maxIter: number; maxStarts: number; huberRounds?: number } = { maxIter: 40, maxStarts: 2 },
): { score: number; p?: Float64Array; reason?: string } {
  const k = law.params.length;
  if (nTrain < k + 1)
    return { score: Infinity, reason: `not enough points before the backtest cutoff: ${nTrain} < ${k + 1}` };
  if (nTrain >= d.x.length) return { score: Infinity, reason: 'no held-out points' };
  const train = subset(d, 0, nTrain);
  const fit = fitLaw(law, train, {
    huberK,
    maxIter: budget.maxIter,
    maxStarts: budget.maxStarts,
    huberRounds: budget.huberRounds ?? 1,
  });
  if (!fit.ok) return { score: Infinity, reason: 'fit failed' };
  return { score: logRmse(law, fit.p, subset(d, nTrain, d.x.length)), p: fit.p };
}

/** Mean backtest score over several origins (origins the law cannot be fitted at for lack of points are skipped). */
export function backtestMulti(
  law: CurveLaw,
  d: CurveData,
  origins: number[],
  huberK: number,
  budget?: { maxIter: number; maxStarts: number; huberRounds?: number },
): { score: number; p?: Float64Array; reason?: string } {
  let sum = 0,
    k = 0,
    last: { score: number; p?: Float64Array; reason?: string } = {
      score: Infinity,
      reason: 'no usable backtest origin',
    };
  for (const n of origins) {
    const bt = backtestLaw(law, d, n, huberK, budget);
    if (bt.reason && !bt.p) {
      if (k === 0) last = bt;
      continue;
    }
    sum += bt.score;
    k++;
    last = bt;
  }
  return k > 0 ? { score: sum / k, p: last.p } : last;
}

function lag1Autocorrelation(r: Float64Array): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < r.length; i++) {
    den += r[i] * r[i];
    if (i > 0) num += r[i] * r[i - 1];
  }
  return den > 0 ? num / den : 0;
}

/** Step 6: Σ = s²(JᵀJ)⁻¹ (J of ln ŷ, Huber weights applied), s² inflated for autocorrelation. */
export function parameterCovariance(fit: LawFitResult, n: number): { cov: Float64Array | null; sigma: number } {
  const m = fit.r.length;
  const JtJ = new Float64Array(n * n);
  let ss = 0,
    wsum = 0;
  for (let i = 0; i < m; i++) {
    const w = fit.weights[i];
    ss += w * fit.r[i] * fit.r[i];
    wsum += w;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) JtJ[a * n + b] += w * fit.J[i * n + a] * fit.J[i * n + b];
  }
  const dof = Math.max(wsum - n, 1);
  const rho = Math.min(Math.max(lag1Autocorrelation(fit.r), 0), 0.95);
  const s2 = (ss / dof) * ((1 + rho) / (1 - rho));
  const inv = invertSpd(JtJ, n);
  if (!inv) return { cov: null, sigma: Math.sqrt(s2) };
  for (let i = 0; i < inv.length; i++) inv[i] *= s2;
  return { cov: inv, sigma: Math.sqrt(s2) };
}

function bic(fit: LawFitResult, k: number): number {
  const m = fit.r.length;
  let ss = 0;
  for (const v of fit.r) ss += v * v;
  return m * Math.log(Math.max(ss / m, 1e-300)) + k * Math.log(m);
}

/** Fit a learning curve. Returns `{ ok: false, reason }` on bad input; never throws. */
export function fitCurve(
  x: number[] | Float64Array,
  y: number[] | Float64Array,
  opts: CurveFitOptions = {},
): CurveFit | FitFailure {
  try {
    return fitCurveUnsafe(x, y, opts);
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

function fitCurveUnsafe(
  x: number[] | Float64Array,
  y: number[] | Float64Array,
  opts: CurveFitOptions,
): CurveFit | FitFailure {
  const clean = cleanCurve(x, y);
  if ('ok' in clean) return clean;
  const { warnings } = clean;
  const laws = candidateLaws(opts);
  if (typeof laws === 'string') return { ok: false, reason: laws, warnings };
  const minParams = Math.min(...laws.map((l) => l.params.length));
  if (clean.x.length < minParams + 1)
    return { ok: false, reason: `not enough points: ${clean.x.length} < ${minParams + 1} (parameters + 1)`, warnings };
  const distinct = countDistinct(clean.x);
  if (distinct < minParams + 1)
    return { ok: false, reason: `not enough distinct x values: ${distinct} < ${minParams + 1}`, warnings };
  const bump = warmupBump(clean.y);
  if (bump > 0) {
    clean.x = clean.x.subarray(bump);
    clean.y = clean.y.subarray(bump);
    warnings.push(
      `dropped ${bump} point(s) before the loss peak in the first 20 % (warm-up bump: the laws are decreasing)`,
    );
  }
  const trend = trendCheck(clean.y);
  if (trend.constant) return { ok: false, reason: 'loss is constant: there is no trend to extrapolate', warnings };
  if (!trend.decreasing)
    return {
      ok: false,
      reason: 'loss is not decreasing (last 20 % of points not below the first 20 %): diverging or non-monotone curve',
      warnings,
    };

  // study 7's C8b (bench/i12Study7.ts, judged on holdout19: bench/i12Judge7.ts); `declineCap: null` turns it off
  const capTheta = opts.declineCap === undefined ? DECLINE_CAP : opts.declineCap;
  const capSlope = capTheta !== null ? lateLogSlope(clean.x, clean.y) : NaN;
  const burnIn = opts.burnIn ?? (clean.finite >= DENSE_PREFIX_POINTS ? DENSE_BURN_IN : 1);
  if (burnIn > 1) {
    const k = burnInStart(clean.x, burnIn);
    if (k > 0) {
      clean.x = clean.x.subarray(k);
      clean.y = clean.y.subarray(k);
    }
  }
  const dec = decimate(clean.x, clean.y, { maxPoints: opts.maxPoints ?? 160 });
  const xScale = dec.x[0] / 2;
  const d: CurveData = { x: dec.x.map((v) => v / xScale), y: dec.y };
  const huberK = opts.huberK ?? 2;
  const holdout = Math.min(Math.max(opts.holdout ?? 0.25, 0.05), 0.5);
  const x0 = d.x[0],
    x1 = d.x[d.x.length - 1];
  const cutoff = x0 + (1 - holdout) * (x1 - x0);
  const countBelow = (c: number) => {
    let k = 0;
    while (k < d.x.length && d.x[k] <= c) k++;
    return k;
  };
  const nTrain = countBelow(cutoff);
  // Rolling origins for short curves: with few held-out points one split's score is mostly noise, so
  // average the score over origins at (1 − holdout) ± 0.1 of the span. Long (decimated ≥ 96 points) curves
  // have enough held-out points for one split, which keeps live refits within budget.
  const origins =
    d.x.length >= 96
      ? [nTrain]
      : [-0.1, 0, 0.1].map((o) => countBelow(x0 + Math.min(Math.max(1 - holdout + o, 0.3), 0.95) * (x1 - x0)));

  // RMS log-distance of the held-out points beyond their cutoff, over the origins (the backtests' horizon)
  let dd = 0,
    nd = 0;
  for (const n0 of origins) {
    if (n0 < 1 || n0 >= d.x.length) continue;
    for (let i = n0; i < d.x.length; i++) {
      const v = Math.log(d.x[i] / d.x[n0 - 1]);
      dd += v * v;
      nd++;
    }
  }
  const logDistanceRms = nd > 0 ? Math.sqrt(dd / nd) : undefined;

  const fittable = laws.filter((l) => l.params.length + 1 <= d.x.length);
  if (fittable.length === 0)
    return { ok: false, reason: `not enough points after decimation: ${d.x.length}`, warnings };
  // Automatic selection and the average use a law only from its minimum number of points (priors.ts): with
  // fewer, its extra parameters are set by the priors alone and its backtest says little.
  const qualified =
    fittable.length > 1 ? fittable.filter((l) => minPointsFor(l.params.length) <= d.x.length) : fittable;
  const usable = qualified.length ? qualified : fittable;

  // Step 4: selection by backtest (skipped when one law is forced).
  const candidates: CandidateScore[] = [];
  const seeds = new Map<string, Float64Array>();
  let chosen: CurveLaw = usable[0];
  let chosenScore = Infinity;
  if (usable.length > 1) {
    for (const law of usable) {
      // Long curves: the backtest only ranks laws, so a smaller LM budget (1 seed, 30 iterations, no Huber
      // re-weighting: median bins already removed spikes) suffices and keeps a 100k-point auto fit near
      // 50 ms; short curves get the full budget (they are cheap).
      const bt = backtestMulti(
        law,
        d,
        origins,
        huberK,
        d.x.length >= 96 ? { maxIter: 30, maxStarts: 1, huberRounds: 0 } : undefined,
      );
      candidates.push({ law: law.id, holdoutLogRmse: bt.score, ...(bt.reason ? { reason: bt.reason } : {}) });
      if (bt.p) seeds.set(law.id, bt.p);
      if (bt.score < chosenScore) {
        chosenScore = bt.score;
        chosen = law;
      }
    }
  }

  // Step 5: refit on everything.
  const fitAll = (law: CurveLaw): LawFitResult => {
    const extra: number[][] = [];
    const s = seeds.get(law.id);
    if (s) extra.push(Array.from(s));
    return fitLaw(law, d, { huberK, extraStarts: extra, maxStarts: d.x.length >= 96 ? 1 : 2 });
  };
  let final: LawFitResult;
  const bicFits: { law: CurveLaw; fit: LawFitResult; bic: number }[] = [];
  if (!Number.isFinite(chosenScore) && usable.length > 1) {
    warnings.push('too few points to backtest: laws weighted by BIC on all points');
    let bestBic = Infinity;
    final = fitAll(usable[0]);
    for (const law of usable) {
      const f = fitAll(law);
      const b = f.ok ? bic(f, law.params.length) : Infinity;
      if (Number.isFinite(b)) bicFits.push({ law, fit: f, bic: b });
      if (b < bestBic) {
        bestBic = b;
        chosen = law;
        final = f;
      }
    }
  } else {
    final = fitAll(chosen);
    // Forced single law: still backtest it (the score is the honest error scale).
    if (usable.length === 1) chosenScore = backtestLaw(chosen, d, nTrain, huberK).score;
  }
  if (!final.ok) return { ok: false, reason: `fit of ${chosen.id} failed`, warnings };
  const n0 = chosen.params.length;
  const first = parameterCovariance(final, n0);
  const members: CurveMember[] = [
    {
      law: chosen.id,
      params: Array.from(final.p),
      cov: first.cov ? Array.from(first.cov) : null,
      holdoutLogRmse: chosenScore,
    },
  ];
  const others: { law: CurveLaw; score: number }[] = [];
  if (Number.isFinite(chosenScore) && usable.length > 1) {
    // Occam's window (Madigan & Raftery 1994): the laws whose held-out error is within 2× the best one's, at most
    // ENSEMBLE_MAX of them
    const k = Math.max(1, Math.floor(opts.ensemble ?? ENSEMBLE_MAX));
    const ranked = candidates
      .filter(
        (c) =>
          c.law !== chosen.id &&
          Number.isFinite(c.holdoutLogRmse) &&
          c.holdoutLogRmse <= (opts.window ?? 2) * chosenScore,
      )
      .sort((a, b) => a.holdoutLogRmse - b.holdoutLogRmse)
      .slice(0, k - 1);
    for (const c of ranked) others.push({ law: curveLawById(c.law) as CurveLaw, score: c.holdoutLogRmse });
  }
  // BIC path (no backtest possible): the other laws by BIC weight, exp(−ΔBIC/2) (Burnham & Anderson 2002).
  const bicWeight = new Map<string, number>();
  if (bicFits.length) {
    const b0 = Math.min(...bicFits.map((b) => b.bic));
    for (const b of bicFits) bicWeight.set(b.law.id, Math.exp(-(b.bic - b0) / 2));
    for (const b of bicFits
      .filter((q) => q.law.id !== chosen.id)
      .sort((u, v) => u.bic - v.bic)
      .slice(0, Math.max(1, Math.floor(opts.ensemble ?? 3)) - 1)) {
      if ((bicWeight.get(b.law.id) ?? 0) < 0.05) continue;
      members.push(memberOf(b.law, b.fit, Infinity));
    }
  }
  for (const o of others) {
    const f = fitAll(o.law);
    if (!f.ok) continue;
    members.push(memberOf(o.law, f, o.score));
  }
  if (opts.positiveFloor !== undefined && Number.isFinite(chosenScore) && usable.length > 1)
    keepPositiveFloor(members, candidates, opts.positiveFloor * d.y[d.y.length - 1], (law) =>
      fitLaw(law, d, { huberK, extraStarts: seeds.has(law.id) ? [Array.from(seeds.get(law.id)!)] : [], maxStarts: 2 }),
    );
  assignWeights(members, bicWeight);

  const { cov, sigma } = first;
  let down = 0;
  for (const w of final.weights) if (w < 0.5) down++;
  if (down > 0) warnings.push(`${down} point(s) down-weighted as outliers/loss spikes (Huber)`);
  const asym = ensembleAsymptote(members);
  return {
    ok: true,
    law: chosen.id,
    lawName: chosen.name,
    latex: chosen.latex,
    source: chosen.source,
    paramNames: chosen.params.map((q) => q.name),
    params: Array.from(final.p),
    xScale,
    cov: cov ? Array.from(cov) : null,
    sigma,
    nFit: d.x.length,
    nRaw: clean.x.length,
    xRange: [clean.x[0], clean.x[clean.x.length - 1]],
    lastLoss: d.y[d.y.length - 1],
    initialLoss: initialLossOf(x, y),
    asymptote: asym !== undefined && Number.isFinite(asym) ? asym : null,
    backtest: {
      cutoff: cutoff * xScale,
      logRmse: chosenScore,
      ...(logDistanceRms !== undefined ? { logDistanceRms } : {}),
    },
    candidates,
    members,
    warnings,
    ...(capTheta !== null && capSlope < 0 ? { declineCap: { theta: capTheta, slope: capSlope } } : {}),
  };
}

/** CurveFitOptions.declineCap: the late slope needs at least this many points in the last quarter of the ln-x range. */
export const LATE_SLOPE_MIN_POINTS = 4;
/** The default decline cap θ (CurveFitOptions.declineCap). */
export const DECLINE_CAP = 0.75;

/**
 * Least-squares slope of ln y on ln x over the points whose ln x lies in the last quarter of the ln-x range
 * (bench/featureStudy.ts's slopeLate, on the cleaned points); NaN with fewer than LATE_SLOPE_MIN_POINTS there.
 * x ascending and > 0, y > 0.
 */
export function lateLogSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < LATE_SLOPE_MIN_POINTS) return NaN;
  const a = Math.log(x[0]),
    b = Math.log(x[n - 1]);
  const lo = a + 0.75 * (b - a);
  // first index in the window: binary search on x (ascending) against e^lo, then the exact ln test at the edge
  const xlo = Math.exp(lo);
  let l = 0,
    h = n;
  while (l < h) {
    const mid = (l + h) >> 1;
    if (x[mid] < xlo) l = mid + 1;
    else h = mid;
  }
  let k = l;
  while (k > 0 && Math.log(x[k - 1]) >= lo) k--;
  while (k < n && Math.log(x[k]) < lo) k++;
  const m = n - k;
  if (m < LATE_SLOPE_MIN_POINTS) return NaN;
  // one pass, sums about (lo, ln y_last) to keep the cancellation small
  const y0 = Math.log(y[n - 1]);
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = k; i < n; i++) {
    const dx = Math.log(x[i]) - lo,
      dy = Math.log(y[i]) - y0;
    sx += dx;
    sy += dy;
    sxx += dx * dx;
    sxy += dx * dy;
  }
  const den = m * sxx - sx * sx;
  return den > 0 ? (m * sxy - sx * sy) / den : NaN;
}

/**
 * Model-averaging weights: EQUAL over the backtested members (the laws in Occam's window), or BIC weights when no
 * law could be backtested. Sum to 1.
 *
 * Why not inverse mean squared backtest error (Bates & Granger 1969, used before): the "forecast combination
 * puzzle" — estimated combination weights seldom beat the simple average, because the weights are estimated from
 * few errors (Stock & Watson 2004, "Combination forecasts of output growth in a seven-country data set";
 * Smith & Wallis 2009, "A simple explanation of the forecast combination puzzle"; Claeskens, Magnus, Vasnev &
 * Wang 2016). Here each law's error is ONE short held-out tail (a few points on a thin prefix, one noisy stretch
 * of a fine-tune's training loss), so the inverse-square weights mostly rank noise, and the window (within 2×
 * the best) already drops the laws the backtest clearly refutes. Measured on the DEV curves only
 * (bench/devCompare.ts; cut at 10/30/50 %, mean |ln(forecast / final)| capped at 1): pretraining 0.172 / 0.099 /
 * 0.067 (inverse-square weights, best 3) → 0.167 / 0.102 / 0.064 (equal weights, best 5 in the window);
 * fine-tunes 0.658 / 0.528 / 0.495 → 0.495 / 0.506 / 0.395; better in 104 of 178 dev forecasts that changed.
 * Equal weights alone (best 3) changed little (pretraining 0.169 / 0.098 / 0.066, fine-tunes 0.619 / 0.532 /
 * 0.485); the wider window is what helps the fine-tunes.
 */
function assignWeights(members: CurveMember[], bicWeight: Map<string, number>): void {
  const raw = members.map((m) =>
    bicWeight.size ? (bicWeight.get(m.law) ?? 0) : Number.isFinite(m.holdoutLogRmse) ? 1 : 0,
  );
  const sum = raw.reduce((a, b) => a + b, 0);
  members.forEach((m, i) => {
    m.weight = sum > 0 ? raw[i] / sum : 1 / members.length;
  });
}

/** A member of the average: the law's fit on every point, its parameter covariance and its held-out score. */
function memberOf(law: CurveLaw, f: LawFitResult, holdoutLogRmse: number): CurveMember {
  const pc = parameterCovariance(f, law.params.length);
  return { law: law.id, params: Array.from(f.p), cov: pc.cov ? Array.from(pc.cov) : null, holdoutLogRmse };
}

/**
 * Candidate C6 (bench/i12Study5.ts): keeps the members whose law's asymptote is above `min`; when none is, replaces
 * them by the best-backtested candidate law whose fit on every point (`refit`) has such a floor, if any. In place.
 */
function keepPositiveFloor(
  members: CurveMember[],
  candidates: readonly CandidateScore[],
  min: number,
  refit: (law: CurveLaw) => LawFitResult,
): void {
  const floorOk = (law: string, p: ArrayLike<number>) => {
    const a = curveLawById(law)?.asymptote?.(p);
    return a !== undefined && Number.isFinite(a) && a > min;
  };
  const kept = members.filter((m) => floorOk(m.law, m.params));
  if (kept.length) {
    members.splice(0, members.length, ...kept);
    return;
  }
  const ranked = candidates
    .filter((c) => Number.isFinite(c.holdoutLogRmse))
    .sort((a, b) => a.holdoutLogRmse - b.holdoutLogRmse);
  for (const c of ranked) {
    const law = curveLawById(c.law);
    if (!law?.asymptote || members.some((m) => m.law === c.law)) continue;
    const f = refit(law);
    if (!f.ok || !floorOk(c.law, f.p)) continue;
    members.splice(0, members.length, memberOf(law, f, c.holdoutLogRmse));
    return;
  }
}

/** exp(mean ln asymptote) of the members, or undefined if a member has none / a zero one. */
function ensembleAsymptote(members: CurveMember[]): number | undefined {
  let s = 0;
  for (const m of members) {
    const law = curveLawById(m.law);
    const a = law?.asymptote ? law.asymptote(m.params) : undefined;
    if (a === undefined || !(a > 0) || !Number.isFinite(a)) return a === 0 && members.length === 1 ? 0 : undefined;
    s += Math.log(a);
  }
  return Math.exp(s / members.length);
}

/**
 * The as-logged forecast's ln L at x from the average's ln L: beyond the data, never below the fit's decline cap (ln of
 * the last loss plus θ × the late log-log slope × ln(x / x_last); `CurveFitOptions.declineCap`). predictCurve and
 * stepsToReach both go through it, so "when does it reach L" agrees with the forecast curve shown.
 */
function cappedLog(fit: CurveFit, meanLog: number, xv: number): number {
  const cap = fit.declineCap,
    xLast = fit.xRange[1];
  return cap && xv > xLast && fit.lastLoss > 0
    ? Math.max(meanLog, Math.log(fit.lastLoss) + cap.theta * cap.slope * Math.log(xv / xLast))
    : meanLog;
}

/**
 * Predicted loss at each x with a `confidence` interval (default 0.95) for the fitted curve (see step 6 above:
 * parametric delta method in log space). Bad x (≤ 0, NaN) give NaN entries; never throws.
 */
export function predictCurve(fit: CurveFit, xs: number[], opts: PredictOptions = {}): CurvePrediction[] {
  try {
    return predictCurveUnsafe(fit, xs, opts);
  } catch {
    return (Array.isArray(xs) ? xs : []).map((x) => ({ x, value: NaN, lower: NaN, upper: NaN }));
  }
}

function predictCurveUnsafe(fit: CurveFit, xs: number[], opts: PredictOptions): CurvePrediction[] {
  const conf = opts.confidence ?? 0.95;
  // Student-t quantile with the fit's residual degrees of freedom: thin data → wide bands (4 points and a
  // 3-parameter law: t₁ ≈ 11 instead of 1.96).
  const dof = Math.max(1, (fit.nFit ?? Infinity) - fit.params.length);
  const z = conf > 0 && conf < 1 ? studentQuantile(0.5 + conf / 2, dof) : 0;
  const members = memberList(fit);
  const scenario = opts.scenario ?? 'as-logged';
  const drop = scenario === 'as-logged' ? 0 : (opts.annealDrop ?? ANNEAL_DROP);
  const xLast = fit.xRange[1];
  return (Array.isArray(xs) ? xs : []).map((xv) => {
    const e = ensembleLog(members, fit.xScale, xv, xLast, fit.backtest.logDistanceRms);
    if (!e) return { x: xv, value: NaN, lower: NaN, upper: NaN };
    const asLogged = Math.exp(cappedLog(fit, e.mean, xv));
    // The anneal's drop comes at the end of the run, beyond the data: full from 2× the last x on, ramped in
    // over the first doubling. 'unknown': the two scenarios weighted equally (geometric mean), the band
    // covering both; 'anneal': the anneal scenario alone.
    const d = drop > 0 && xv > xLast ? drop * Math.min(1, Math.log(xv / xLast) / Math.LN2) : 0;
    const annealed = asLogged * (1 - d);
    const value = scenario === 'unknown' ? Math.sqrt(asLogged * annealed) : scenario === 'anneal' ? annealed : asLogged;
    if (e.variance === null) return { x: xv, value, lower: value, upper: value };
    // Beyond the data each side of the band's stochastic half-width z·se is scaled by its own split-conformal
    // multiplier for the extrapolation ratio and point count (calibration.ts: learned on the non-blind pool, so that
    // 95 % bands cover ~95 % of final losses of unseen curves; a loss forecast errs more often low than high),
    // and the upper end is capped at the smoothed loss already reached times the factor the pool curves' final
    // values give (never below the forecast itself); the scenario spread is kept as it is.
    const calibrated = opts.calibrated !== false;
    const ratio = xv / xLast;
    const q = calibrated ? bandMultiplier(BAND_CALIBRATION, ratio, fit.nFit) : { up: 1, down: 1 };
    const se = Math.sqrt(Math.max(e.variance, 0));
    const top = scenario === 'anneal' ? annealed : asLogged;
    let upper = top * Math.exp(z * se * q.up);
    const capLog = calibrated ? upperCapLog(BAND_CALIBRATION, ratio, conf) : Infinity;
    if (Number.isFinite(capLog) && fit.lastLoss > 0)
      upper = Math.min(upper, Math.max(value, fit.lastLoss * Math.exp(capLog)));
    // a forecast that expects more log-decline ahead than its whole prefix has shown: the band reaches up to at least
    // the loss already reached (calibration.ts steepForecast; bench/thinStudy.ts)
    if (
      calibrated &&
      lastLossFloor(BAND_CALIBRATION, ratio, conf) &&
      fit.lastLoss > 0 &&
      value > 0 &&
      (fit.initialLoss ?? 0) > 0 &&
      steepForecast(Math.log(fit.lastLoss / value), Math.log(fit.initialLoss! / fit.lastLoss))
    )
      upper = Math.max(upper, fit.lastLoss);
    const lower = annealed * Math.exp(-z * se * q.down);
    return { x: xv, value, lower, upper };
  });
}

export interface PredictOptions {
  confidence?: number;
  /**
   * The LR schedule for the rest of the run, for forecasts at its planned end: 'as-logged' (default: the curve
   * continues as fitted), 'anneal' (the LR is decayed to ~0 by the horizon: the loss ends ANNEAL_DROP lower),
   * 'unknown' (both scenarios equally likely: the forecast is their geometric mean, the band covers both).
   */
  scenario?: 'as-logged' | 'unknown' | 'anneal';
  /** relative drop of the anneal scenario (default ANNEAL_DROP) */
  annealDrop?: number;
  /**
   * Scale each side of the band beyond the data by its split-conformal multiplier and cap the upper end
   * (calibration.ts; default true). false: the raw, symmetric model band (what the calibration itself is
   * computed from). The multipliers are learned for 95 % bands and applied to other levels as a scale of their
   * t-quantile; the cap only to levels ≤ 95 %.
   */
  calibrated?: boolean;
}

/**
 * Most laws in the model average (Occam's window: the laws within 2× the best backtest error). A cap for two
 * reasons: each member is one more fit on all points in the live refit, and on the DEV curves a larger pool made
 * the band's leave-one-family-out coverage at the longest extrapolations (ratio > 5, about the 10 % cut) fall
 * below the 90 % bar (curve-calibration.test.ts): 65/71 with at most 3, 4 or 5 members, 63/71 with 6, 62/71
 * with no cap.
 */
export const ENSEMBLE_MAX = 5;

/**
 * Relative drop of the final loss when the LR is annealed to ~0 at the end instead of held: 2.1 % (25M) and
 * 2.8 % (100M) between the constant and WSD-to-zero runs of the same length in Luo et al. 2025's data
 * (/work/shared/data/lr-schedules), 1.3–1.9 % for cosine; Hägele et al. 2024 ("Scaling Laws and
 * Compute-Optimal Training Beyond Fixed Training Durations") report cooldown gains of the same few-% size.
 */
export const ANNEAL_DROP = 0.03;

/**
 * SD (log units) of a learning-curve extrapolation's error per e-fold of distance beyond the data: a floor on
 * the band's extrapolation term. Calibrated on the DEV curves only (bench/backtest.ts: corpus dev split and the
 * shared LR-schedule runs, cut at 10/30/50 %): 0.01 → 0.03 lifts the 10 % cut's coverage from 32/41 to 34/41
 * (30/50 % cuts unchanged, 61/63 and 62/64); 0.05 adds nothing more — the remaining misses are runs that
 * diverge later or downstream-task losses (LAMBADA) that no curve law extrapolates 10×.
 */
export const EXTRAPOLATION_SD_PER_EFOLD = 0.03;

/** Student-t quantile (Abramowitz & Stegun 26.7.5 expansion in 1/ν; within 12 % at ν = 1, 1 % at ν = 2). */
export function studentQuantile(p: number, dof: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(dof) || dof > 1e6) return z;
  const v = Math.max(dof, 1),
    z2 = z * z;
  return (
    z +
    (z2 * z + z) / (4 * v) +
    (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / (96 * v * v) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3) +
    (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / (92160 * v ** 4)
  );
}

function memberList(fit: CurveFit): CurveMember[] {
  return fit.members && fit.members.length
    ? fit.members
    : [{ law: fit.law, params: fit.params, cov: fit.cov, holdoutLogRmse: fit.backtest.logRmse }];
}

/** Mean of ln ŷ over the members at x, and its variance (mean member delta-method variance + spread). */
function ensembleLog(
  members: CurveMember[],
  xScale: number,
  xv: number,
  xMax = Infinity,
  logDistanceRms?: number,
): { mean: number; variance: number | null } | null {
  if (!(xv > 0)) return null;
  const lv: number[] = [],
    vv: (number | null)[] = [];
  for (const m of members) {
    const law = curveLawById(m.law);
    if (!law) return null;
    const n = m.params.length;
    const g = new Float64Array(n);
    const value = law.grad(m.params, xv / xScale, g);
    if (!(value > 0) || !Number.isFinite(value)) return null;
    lv.push(Math.log(value));
    if (!m.cov) {
      vv.push(null);
      continue;
    }
    let v = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) v += (g[a] / value) * m.cov[a * n + b] * (g[b] / value);
    vv.push(v);
  }
  const wts = members.map((m) => m.weight ?? 1 / members.length);
  const wsum = wts.reduce((a, b) => a + b, 0) || 1;
  const mean = lv.reduce((a, b, i) => a + wts[i] * b, 0) / wsum;
  if (vv.some((v) => v === null)) return { mean, variance: null };
  const within = (vv as number[]).reduce((a, b, i) => a + wts[i] * b, 0) / wsum;
  const between = lv.reduce((a, b, i) => a + wts[i] * (b - mean) ** 2, 0) / wsum;
  // Model error: the members' mean squared backtest error (log space) — the empirical error of this very
  // procedure when it extrapolated over the held-out part of the curve. Added for x beyond the fitted range.
  let model = 0,
    k = 0;
  for (const m of members)
    if (Number.isFinite(m.holdoutLogRmse)) {
      model += m.holdoutLogRmse ** 2;
      k++;
    }
  // Beyond the data it grows linearly with the log-distance ln(x / x_last), at the rate the backtest measured
  // (its error over its own horizon, logDistanceRms), never below the backtest error itself.
  let extra = 0;
  if (k > 0 && xv > xMax) {
    const mse = model / k;
    const dist = Math.log(xv / xMax);
    extra = logDistanceRms && logDistanceRms > 0 ? Math.max(mse, mse * (dist / logDistanceRms) ** 2) : mse;
  }
  // Floor: whatever this curve's own backtest says, extrapolating a learning curve is wrong by about
  // EXTRAPOLATION_SD_PER_EFOLD per e-fold of distance (calibrated on the dev curves, see the constant).
  if (xv > xMax) extra = Math.max(extra, (EXTRAPOLATION_SD_PER_EFOLD * Math.log(xv / xMax)) ** 2);
  return { mean, variance: within + between + extra };
}

/**
 * First x ≥ the fit's first x at which the predicted curve reaches `target` (≤ target), searched up to
 * `horizon` (default 1000 × the last observed x). Null if the asymptote is above the target or the curve does
 * not get there within the horizon. Log-spaced scan, then bisection. Never throws.
 */
export function stepsToReach(fit: CurveFit, target: number, opts: { horizon?: number } = {}): number | null {
  try {
    return stepsToReachUnsafe(fit, target, opts);
  } catch {
    return null;
  }
}

function stepsToReachUnsafe(fit: CurveFit, target: number, opts: { horizon?: number }): number | null {
  const members = memberList(fit);
  if (!Number.isFinite(target) || members.some((m) => !curveLawById(m.law))) return null;
  if (fit.asymptote !== null && fit.asymptote >= target) return null;
  const x0 = fit.xRange[0];
  const horizon = opts.horizon ?? fit.xRange[1] * 1000;
  if (!(horizon > x0)) return null;
  const f = (xv: number) => {
    const e = ensembleLog(members, fit.xScale, xv);
    return e ? Math.exp(cappedLog(fit, e.mean, xv)) - target : Infinity;
  };
  const steps = 400;
  let prev = x0;
  if (f(prev) <= 0) return x0;
  for (let i = 1; i <= steps; i++) {
    const xv = x0 * Math.pow(horizon / x0, i / steps);
    if (f(xv) <= 0) {
      let lo = prev,
        hi = xv;
      for (let k = 0; k < 80 && hi - lo > 1e-9 * hi; k++) {
        const mid = 0.5 * (lo + hi);
        if (f(mid) <= 0) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    prev = xv;
  }
  return null;
}
