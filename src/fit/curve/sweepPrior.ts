/**
 * Sweep-informed forecast of a live run's final loss (issue 12, item 4): the other runs of its sweep that are
 * finished are evidence about how much a run of this family still improves over the rest of its schedule.
 *
 * Model (a shared shape across the runs of a sweep, the non-parametric form of "a shared exponent"): in every
 * finished sibling s, the log-ratio r_s = ln y_s(end_s) − ln L_s(f·end_s) between its final LOGGED loss and its
 * (smoothed) loss at the same FRACTION f of its own run (f = x_last/T of the live run; the fraction, not the step, so
 * that runs of different lengths line up with their LR schedules' anneals at the end). The live run's final loss is
 * then ln L(T) = ln L̂(x_last) + mean(r), L̂ the fitted curve at x_last (smooth, not the noisy last point).
 * The quantity forecast is the final logged value (what the run will print last, and what the backtests score), so
 * each sibling's own final logged value is its evidence, not a smoothed end level: the scatter of a last batch's loss
 * around the curve is then in SD(r) (and siblings that read the same data in the same order share it).
 * Its variance is the predictive one of a new draw from n siblings, SD(r)²·(1 + 1/n), widened from the normal to
 * the Student-t quantile with n − 1 degrees of freedom (two or three siblings say little about their own spread),
 * plus the fitted curve's own variance at x_last. Combined with the run's own curve forecast by precision weighting
 * in log space (two independent estimates of one quantity): the band narrows when the siblings agree and barely moves
 * when they do not. Sibling losses at f·end_s are read from a running median of 5 points interpolated in log x.
 * Pure; never throws.
 */
import { studentQuantile } from './fitCurve';
import { normalQuantile } from './stats';

export interface SiblingRun {
  id: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface SweepPrior {
  /** mean and SD (log units) of the final-to-fraction log-ratio over the siblings used */
  logRatioMean: number;
  logRatioSd: number;
  used: string[];
  /** the fraction f of the run at which the live run's curve ends */
  fraction: number;
}

export interface SweepCombined {
  value: number;
  lower: number;
  upper: number;
  /** forecast from the siblings alone */
  sweep: { value: number; lower: number; upper: number };
  /** half-width of the band in log units, own curve vs combined: how much the sweep narrowed it */
  narrowing: { own: number; combined: number };
  prior: SweepPrior;
  /** one sentence for the editor */
  note: string;
}

function smoothedAt(x: ArrayLike<number>, y: ArrayLike<number>, at: number): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 3 || !(at > 0)) return null;
  const sm: number[] = [],
    sx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(x[i] > 0) || !(y[i] > 0)) continue;
    const w: number[] = [];
    for (let j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++)
      if (y[j] > 0 && Number.isFinite(y[j])) w.push(y[j]);
    w.sort((a, b) => a - b);
    sx.push(x[i]);
    sm.push(w[w.length >> 1]);
  }
  if (sx.length < 2 || at < sx[0] || at > sx[sx.length - 1]) return null;
  let k = 1;
  while (k < sx.length - 1 && sx[k] < at) k++;
  const x0 = Math.log(sx[k - 1]),
    x1 = Math.log(sx[k]),
    t = x1 > x0 ? (Math.log(at) - x0) / (x1 - x0) : 0;
  return Math.exp(Math.log(sm[k - 1]) + t * (Math.log(sm[k]) - Math.log(sm[k - 1])));
}

/** The siblings' final-to-fraction log-ratios; null with fewer than 2 usable finished siblings. */
export function sweepRatioPrior(fraction: number, siblings: SiblingRun[]): SweepPrior | null {
  if (!(fraction > 0 && fraction < 1)) return null;
  const rs: number[] = [],
    used: string[] = [];
  for (const s of siblings) {
    const n = Math.min(s.x.length, s.y.length);
    if (n < 5) continue;
    const end = s.x[n - 1];
    const fin = s.y[n - 1] > 0 && Number.isFinite(s.y[n - 1]) ? s.y[n - 1] : null,
      mid = smoothedAt(s.x, s.y, fraction * end);
    if (fin === null || mid === null) continue;
    const r = Math.log(fin) - Math.log(mid);
    if (Number.isFinite(r)) {
      rs.push(r);
      used.push(s.id);
    }
  }
  if (rs.length < 2) return null;
  const mean = rs.reduce((a, b) => a + b, 0) / rs.length;
  const sd = Math.sqrt(rs.reduce((a, b) => a + (b - mean) ** 2, 0) / (rs.length - 1));
  return { logRatioMean: mean, logRatioSd: sd, used, fraction };
}

/**
 * Combine the live run's own forecast at its planned end T (value and two-sided band at `confidence`, e.g. 0.95)
 * with the sweep prior. `anchor` is the fitted curve at the live run's last x, with its band at the same confidence.
 */
export function combineWithSweep(
  own: { value: number; lower: number; upper: number },
  anchor: { value: number; lower: number; upper: number },
  prior: SweepPrior,
  confidence: number,
): SweepCombined | null {
  if (!(confidence > 0 && confidence < 1)) return null;
  if (!(own.value > 0 && own.lower > 0 && own.upper > own.lower && anchor.value > 0)) return null;
  const n = prior.used.length;
  const z = normalQuantile(0.5 + confidence / 2);
  const anchorVar =
    anchor.upper > anchor.lower && anchor.lower > 0
      ? ((Math.log(anchor.upper) - Math.log(anchor.lower)) / (2 * z)) ** 2
      : 0;
  // a floor on the siblings' spread: two runs agreeing to 0.1 % are not evidence of a 0.1 % SD
  const sd = Math.max(prior.logRatioSd, 0.005);
  const sweepMean = Math.log(anchor.value) + prior.logRatioMean;
  // the Student-t widening, as a variance inflation (t/z)² so that the precision weighting below stays in z units
  const t = studentQuantile(0.5 + confidence / 2, n - 1) / z;
  const sweepVar = t * t * sd * sd * (1 + 1 / n) + anchorVar;
  // the run's own forecast, not the middle of its band: the calibrated band is asymmetric (calibration.ts), so
  // its log-midpoint is not the forecast; its variance is that of the band's mean log half-width
  const ownMean = Math.log(own.value);
  const ownVar = ((Math.log(own.upper) - Math.log(own.lower)) / (2 * z)) ** 2;
  const v = 1 / (1 / ownVar + 1 / sweepVar);
  const m = v * (ownMean / ownVar + sweepMean / sweepVar);
  if (!Number.isFinite(m) || !Number.isFinite(v)) return null;
  const half = z * Math.sqrt(v);
  const sweepHalf = z * Math.sqrt(sweepVar);
  return {
    value: Math.exp(m),
    lower: Math.exp(m - half),
    upper: Math.exp(m + half),
    sweep: {
      value: Math.exp(sweepMean),
      lower: Math.exp(sweepMean - sweepHalf),
      upper: Math.exp(sweepMean + sweepHalf),
    },
    narrowing: { own: z * Math.sqrt(ownVar), combined: half },
    prior,
    note: `sweep prior from ${n} finished run(s) (${prior.used.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}): loss falls ${(100 * (1 - Math.exp(prior.logRatioMean))).toFixed(1)} % ± ${(100 * sd).toFixed(1)} % from ${Math.round(prior.fraction * 100)} % of a run to its end; band ±${(100 * half).toFixed(1)} % instead of ±${(100 * z * Math.sqrt(ownVar)).toFixed(1)} %`,
  };
}
