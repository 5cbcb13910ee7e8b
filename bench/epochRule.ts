/**
 * Multi-epoch runs (issue 12, session 31): the epoch-boundary forecast rule studied and not adopted. A fine-tune of 2–5 epochs over the same data shows a step down in its
 * training loss at each epoch boundary: the model sees each example again and the loss on it is lower the second
 * time (memorisation; Muennighoff et al. 2023, "Scaling Data-Constrained Language Models", on repeated data). No
 * curve law fitted inside the first epoch sees that step, and a law fitted across a boundary reads it as part of a
 * smooth decline. When the run's epoch length L (steps per epoch) is known, this module:
 *
 *   1. measures the log drop at each boundary k·L the prefix has crossed: ln y over the points in the quarter epoch
 *      before the boundary and in the quarter epoch after it (at least 2 points on each side, else that boundary is
 *      not measured), fitted by least squares with one level per side and one common slope (so the within-epoch
 *      decline between the two windows is not counted as a step); the drop is the difference of the two levels at
 *      the boundary; the run's drop δ is the median over its measured boundaries, floored at 0 (a loss that does
 *      not step down is left as it is);
 *   2. removes the steps from the prefix (y · e^{δ·k(x)}, k(x) the boundaries ≤ x), fits the within-epoch curve
 *      (fitCurve) on it, and puts the steps back into the forecast: value(x) = f(x) · e^{−δ·k(x)};
 *   3. widens the band for the boundaries still ahead, each of which may step by 0 … 2δ: the lower end takes one
 *      more e^{−δ} per boundary ahead, the upper end the forecast without the steps ahead.
 *
 * With no boundary measured yet (a forecast made in the first epoch), nothing changes: the drop is unknown, and a
 * constant would be a guess (the study behind this rule, bench/epochStudy.ts, reports it). The rule acts only when
 * an epoch length is known, the prefix has at least MIN_POINTS_PER_EPOCH logged points per epoch (an epoch of one or
 * two points has no within-epoch curve: per-epoch logs, runs of hundreds of epochs), and a boundary was measured.
 * The quarter-epoch window and the 2-point minimum are declared choices, not tuned (a window short enough that the
 * within-epoch decline across it is small, long enough to hold a few logged points).
 * Status: studied in session 31 and NOT adopted — on the 65 corpus curves whose epochs are stated it lowered the
 * median error at the 50 % cut only (6.44 → 5.50 %; 30 %: 7.16 → 7.73 %, 10 %: unchanged) and the coverage at 50 %
 * stayed below 90 % (README, "Multi-epoch runs"; bench/epochStudy.ts). Nothing in the product calls it, so it lives
 * in bench/ (moved from src/fit/curve/epochs.ts in session 31, which keeps what the product uses: the epoch length
 * and the boundaries ahead), with its tests, for the next attempt. Pure.
 */
import {
  fitCurve,
  predictCurve,
  type CurveFit,
  type CurveFitOptions,
  type PredictOptions,
} from '../src/fit/curve/fitCurve';
import { boundariesBefore, loggedWithinEpochs, medianOf, MIN_POINTS_PER_EPOCH } from '../src/fit/curve/epochs';

export { boundariesBefore, MIN_POINTS_PER_EPOCH };

/** Share of an epoch on each side of a boundary whose points measure its drop. */
export const DROP_WINDOW = 0.25;
/** Fewest points on each side of a boundary to measure its drop. */
export const MIN_WINDOW_POINTS = 2;

/** Log drop at each boundary the prefix has crossed and can measure (see the file comment). */
export function boundaryDrops(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  stepsPerEpoch: number,
): { at: number; drop: number }[] {
  const L = stepsPerEpoch;
  const n = Math.min(x.length, y.length);
  if (!(L > 0) || n < 2 * MIN_WINDOW_POINTS) return [];
  const xLast = x[n - 1];
  const w = DROP_WINDOW * L;
  const out: { at: number; drop: number }[] = [];
  for (let k = 1; k * L < xLast; k++) {
    const b = k * L;
    const before: [number, number][] = [],
      after: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (!(y[i] > 0) || !Number.isFinite(x[i])) continue;
      // HF Trainer logs the step that closes an epoch at the boundary itself: it belongs to the epoch before
      if (x[i] > b - w && x[i] <= b) before.push([x[i], Math.log(y[i])]);
      else if (x[i] > b && x[i] <= b + w) after.push([x[i], Math.log(y[i])]);
    }
    if (before.length < MIN_WINDOW_POINTS || after.length < MIN_WINDOW_POINTS) continue;
    // two levels and one common slope (least squares): the step at b, without the within-epoch decline between
    // the two windows
    const mean = (v: [number, number][], j: 0 | 1) => v.reduce((a, p) => a + p[j], 0) / v.length;
    const xb = mean(before, 0),
      lb = mean(before, 1),
      xa = mean(after, 0),
      la = mean(after, 1);
    let sxy = 0,
      sxx = 0;
    for (const [xi, li] of before) {
      sxy += (xi - xb) * (li - lb);
      sxx += (xi - xb) ** 2;
    }
    for (const [xi, li] of after) {
      sxy += (xi - xa) * (li - la);
      sxx += (xi - xa) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    out.push({ at: b, drop: lb - la + slope * (xa - xb) });
  }
  return out;
}

export interface EpochPlan {
  /** the rule acts: a boundary was measured and the epochs hold enough points */
  applies: boolean;
  /** per-boundary log drop δ (≥ 0) applied, 0 when the rule does not act */
  drop: number;
  /** boundaries measured in the prefix */
  measured: number;
  /** why the rule acts or not, for the view */
  note: string;
}

/** Whether and with which drop the rule acts on a prefix (x, y) of a run with `stepsPerEpoch` steps per epoch. */
export function epochPlan(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  stepsPerEpoch: number | undefined,
  horizon: number,
): EpochPlan {
  const none = (note: string): EpochPlan => ({ applies: false, drop: 0, measured: 0, note });
  const L = stepsPerEpoch;
  const n = x.length;
  if (!(L && L > 0) || n < 2) return none('');
  const xLast = x[n - 1];
  if (boundariesBefore(xLast, L) === 0 && boundariesBefore(horizon, L) === 0) return none('');
  if (!loggedWithinEpochs(x, L))
    return none(
      `epochs of ${fmt(L)} steps hold fewer than ${MIN_POINTS_PER_EPOCH} logged points: no epoch-boundary steps`,
    );
  const drops = boundaryDrops(x, y, L);
  if (!drops.length)
    return none(
      `epoch of ${fmt(L)} steps: no boundary measured yet, so the loss steps at the ${boundariesBefore(horizon, L)} boundaries ahead are not forecast`,
    );
  const d = Math.max(0, medianOf(drops.map((q) => q.drop)));
  return {
    applies: d > 0,
    drop: d,
    measured: drops.length,
    note:
      d > 0
        ? `epochs of ${fmt(L)} steps: the loss stepped down ${pct(d)} at ${drops.length === 1 ? 'the boundary' : `each of ${drops.length} boundaries (median)`} seen; the within-epoch curve is fitted without the steps and the forecast takes that step at each boundary, the band from no further step to twice it`
        : `epochs of ${fmt(L)} steps: no step down at the ${drops.length} boundar${drops.length === 1 ? 'y' : 'ies'} seen`,
  };
}

const fmt = (v: number) => (Math.abs(v - Math.round(v)) < 1e-6 ? String(Math.round(v)) : v.toPrecision(4));
const pct = (d: number) => `${((1 - Math.exp(-d)) * 100).toFixed(1)} %`;

export interface EpochForecast {
  plan: EpochPlan;
  /** the fit the forecast comes from: of the prefix without its steps when the rule acts, else of the prefix */
  fit: ReturnType<typeof fitCurve>;
  predict: (xs: number[], opts?: PredictOptions) => { x: number; value: number; lower: number; upper: number }[];
}

/**
 * The forecast of a run with a known epoch length: when `epochPlan` acts, the within-epoch fit of the prefix without
 * its steps, with the steps put back at each boundary and the band widened for the boundaries ahead; otherwise
 * fitCurve and predictCurve as they are.
 */
export function epochForecast(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  stepsPerEpoch: number | undefined,
  horizon: number,
  fitOptions: CurveFitOptions = {},
  plainFit?: ReturnType<typeof fitCurve>,
): EpochForecast {
  const plan = epochPlan(x, y, stepsPerEpoch, horizon);
  const plain = (p: EpochPlan): EpochForecast => {
    const fit = plainFit ?? fitCurve(Array.from(x), Array.from(y), fitOptions);
    return {
      plan: p,
      fit,
      predict: (xs, opts) =>
        fit.ok ? predictCurve(fit, xs, opts) : xs.map((v) => ({ x: v, value: NaN, lower: NaN, upper: NaN })),
    };
  };
  if (!plan.applies || !stepsPerEpoch) return plain(plan);
  const L = stepsPerEpoch,
    d = plan.drop;
  const xa = Array.from(x),
    ya = Array.from(y).map((v, i) => v * Math.exp(d * boundariesBefore(xa[i], L)));
  const fit = fitCurve(xa, ya, fitOptions);
  // the prefix without its steps cannot be fitted: the forecast as it would be without the rule, said so
  if (!fit.ok)
    return plain({
      applies: false,
      drop: 0,
      measured: plan.measured,
      note: `${plan.note.split(':')[0]}: the curve without its epoch steps could not be fitted, so they are not forecast`,
    });
  const xLast = xa[xa.length - 1];
  const seen = boundariesBefore(xLast, L);
  return {
    plan,
    fit,
    predict: (xs, opts) => {
      if (!fit.ok) return xs.map((v) => ({ x: v, value: NaN, lower: NaN, upper: NaN }));
      const p = predictCurve(fit as CurveFit, xs, opts);
      return p.map((q) => {
        const k = q.x >= xLast ? Math.max(seen, boundariesBefore(q.x, L)) : boundariesBefore(q.x, L);
        const ahead = Math.max(0, k - seen);
        return {
          x: q.x,
          value: q.value * Math.exp(-d * k),
          lower: q.lower * Math.exp(-d * (k + ahead)),
          upper: q.upper * Math.exp(-d * seen),
        };
      });
    },
  };
}
