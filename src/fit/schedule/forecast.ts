/**
 * Schedule-aware forecast of ONE LIVE RUN: from its logged loss and LR series and its planned total steps,
 *  1. infer the planned LR schedule for the remaining steps (infer.ts; or take a given planned/what-if one);
 *  2. fit the multi-power law (Luo et al. 2025) on the run's prefix with method 'map' (fitSchedule.ts): one
 *     run's prefix rarely identifies the anneal parameters (B, C, β, γ: there may be no LR decay in it yet),
 *     so they get weak priors from the published fits; L0, A, α are fitted freely;
 *  3. predict the loss at any future step under the planned schedule, with an interval.
 *
 * Interval (log space, 1 SD added in quadrature, then ± z):
 *  - σ_noise: RMS log residual of the fit (a future logged loss scatters like the past ones);
 *  - σ_ext(s) = k·(s − s_last): extrapolation error growing linearly with the distance beyond the last logged
 *    step, k measured on this run: refit on the first 2/3 of the logged steps, predict the last third (with its
 *    logged LR), k = √(Σ e_i² / Σ h_i²) over those held-out points (e_i log error, h_i distance beyond the cut).
 *    Without enough points for that backtest, k = 0.02 per logged span (a 2 % error one span ahead), and a
 *    warning says so.
 * The interval assumes the inferred schedule; `schedule.confidence` says how sure that is.
 *
 * Loss points are decimated (log-spaced median bins plus a dense tail, curve/decimate.ts) to ≤ `maxPoints`
 * (default 100) before fitting: a 100k-point log costs the same as a 100-point one. Pure; never throws.
 */
import { decimate } from '../curve/decimate';
import { normalQuantile } from '../curve/stats';
import { fitScheduleLaw, predictSchedule, type ScheduleFit } from './fitSchedule';
import { inferSchedule, type InferredSchedule } from './infer';

export interface LiveRunInput {
  /** logged loss: steps and values */
  steps: ArrayLike<number>;
  loss: ArrayLike<number>;
  /** logged learning rate (its steps need not match the loss steps) */
  lrSteps: ArrayLike<number>;
  lr: ArrayLike<number>;
  /** planned total number of steps of the run */
  totalSteps: number;
}

export interface LiveForecastOptions {
  /** steps to predict (default: 64 steps evenly spaced from the last logged step to `totalSteps`) */
  at?: number[];
  /** interval confidence, default 0.95 */
  confidence?: number;
  /** linear warmup from 0 assumed before the first logged LR point, when the log starts after the warmup (default 0) */
  warmupSteps?: number;
  /** the planned (or a what-if) LR schedule to use instead of the inferred one: LR at these steps, interpolated */
  plannedLr?: { steps: number[]; lr: number[] };
  /** decimation target for the loss points (default 100) */
  maxPoints?: number;
}

export interface LiveForecastPoint {
  step: number;
  value: number;
  lower: number;
  upper: number;
}

export interface LiveForecast {
  ok: true;
  /** the schedule used for the future: inferred (with shape, confidence, explanation) or given */
  schedule:
    | InferredSchedule
    | {
        ok: true;
        shape: 'given';
        confidence: 1;
        explanation: string;
        lrSteps: number[];
        lr: number[];
        totalSteps: number;
      };
  law: 'mpl';
  /** MPL parameters [L0, A, alpha, B, C, beta, gamma] in the run's LR units */
  params: Record<string, number>;
  /** predictions at `opts.at` (or the default grid) */
  points: LiveForecastPoint[];
  /** prediction at `totalSteps` */
  final: LiveForecastPoint;
  /** the fitted curve at the (decimated) logged steps, for drawing */
  fitted: { steps: number[]; loss: number[] };
  /** RMS log residual of the fit */
  logRmse: number;
  /** extrapolation error growth k (log units per step), and where it came from */
  errorGrowth: { perStep: number; source: 'backtest' | 'default' };
  lastStep: number;
  warnings: string[];
  explanation: string;
}

export type LiveForecastResult = LiveForecast | { ok: false; reason: string; warnings: string[] };

interface Series {
  steps: number[];
  loss: number[];
}

function cleanLoss(steps: ArrayLike<number>, loss: ArrayLike<number>, warnings: string[]): Series {
  const pts: [number, number][] = [];
  const n = Math.min(steps?.length ?? 0, loss?.length ?? 0);
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const s = steps[i],
      y = loss[i];
    if (Number.isFinite(s) && s >= 1 && Number.isFinite(y) && y > 0) pts.push([s, y]);
    else dropped++;
  }
  if (dropped) warnings.push(`dropped ${dropped} loss point(s) that are NaN, non-positive or before step 1`);
  pts.sort((a, b) => a[0] - b[0]);
  return { steps: pts.map((p) => p[0]), loss: pts.map((p) => p[1]) };
}

function decimated(s: Series, maxPoints: number): Series {
  if (s.steps.length <= maxPoints) return s;
  const d = decimate(Float64Array.from(s.steps), Float64Array.from(s.loss), { maxPoints });
  return { steps: Array.from(d.x, (v) => Math.round(v)), loss: Array.from(d.y) };
}

function fitPrefix(
  s: Series,
  lrSteps: number[],
  lr: number[],
  warmupSteps: number,
  from?: number[],
): ScheduleFit | string {
  const f = fitScheduleLaw([{ lrSteps, lr, steps: s.steps, loss: s.loss }], {
    law: 'mpl',
    method: 'map',
    warmupSteps,
    ...(from ? { starts: [from], startsOnly: true } : {}),
  });
  return f.ok ? f : f.reason;
}

export function forecastLiveRun(run: LiveRunInput, opts: LiveForecastOptions = {}): LiveForecastResult {
  const warnings: string[] = [];
  try {
    if (!run || typeof run !== 'object') return { ok: false, reason: 'no run given', warnings };
    const T = Math.round(run.totalSteps);
    if (!Number.isFinite(T) || T < 1)
      return { ok: false, reason: 'planned total steps must be a positive number', warnings };
    const series = cleanLoss(run.steps, run.loss, warnings);
    if (series.steps.length < 8)
      return { ok: false, reason: `not enough loss points: ${series.steps.length} < 8`, warnings };
    const last = series.steps[series.steps.length - 1];
    if (T < last)
      return { ok: false, reason: `planned total steps ${T} is before the last logged step ${last}`, warnings };
    const lrSteps = Array.from(run.lrSteps ?? [], Number),
      lr = Array.from(run.lr ?? [], Number);
    if (lrSteps.length === 0)
      return {
        ok: false,
        reason: 'no learning-rate series logged: a schedule-aware forecast needs it (use the curve forecast instead)',
        warnings,
      };

    let schedule: LiveForecast['schedule'];
    if (opts.plannedLr) {
      const ps = opts.plannedLr;
      if (
        !Array.isArray(ps.steps) ||
        !Array.isArray(ps.lr) ||
        ps.steps.length === 0 ||
        ps.steps.length !== ps.lr.length
      )
        return { ok: false, reason: 'plannedLr must have equally long, non-empty steps and lr arrays', warnings };
      // logged prefix as is, then the given plan after the last logged LR step
      const lastLr = Math.max(...lrSteps.filter(Number.isFinite));
      const keep = ps.steps.map((s, i) => i).filter((i) => ps.steps[i] > lastLr);
      schedule = {
        ok: true,
        shape: 'given',
        confidence: 1,
        explanation: `planned schedule given (${keep.length} points after the last logged LR step)`,
        lrSteps: [...lrSteps, ...keep.map((i) => ps.steps[i])],
        lr: [...lr, ...keep.map((i) => ps.lr[i])],
        totalSteps: T,
      };
    } else {
      const inf = inferSchedule(lrSteps, lr, T);
      if (!inf.ok) return { ok: false, reason: `schedule: ${inf.reason}`, warnings };
      // predictions use the full logged LR, then the inferred knots after it (inference may thin the log)
      const lastLogged = Math.max(...lrSteps.filter(Number.isFinite));
      const after = inf.lrSteps.map((_, i) => i).filter((i) => inf.lrSteps[i] > lastLogged);
      schedule = {
        ...inf,
        lrSteps: [...lrSteps, ...after.map((i) => inf.lrSteps[i])],
        lr: [...lr, ...after.map((i) => inf.lr[i])],
      };
      if (inf.shape === 'unknown') warnings.push(inf.explanation);
    }

    const W = Math.max(0, Math.floor(opts.warmupSteps ?? 0));
    const maxPoints = Math.max(16, Math.floor(opts.maxPoints ?? 100));
    const dec = decimated(series, maxPoints);
    const fit = fitPrefix(dec, lrSteps, lr, W);
    if (typeof fit === 'string') return { ok: false, reason: `fit failed: ${fit}`, warnings };
    for (const w of fit.warnings) if (!/at its bound/.test(w)) warnings.push(w);

    // Extrapolation error growth from backtests on this run (two origins; the larger growth is kept).
    const first = series.steps[0];
    let k = 0,
      source: 'backtest' | 'default' = 'default';
    for (const frac of [1 / 2, 2 / 3]) {
      const g = backtestGrowth(dec, lrSteps, lr, W, first + frac * (last - first), fit.params);
      if (g !== null) {
        k = Math.max(k, g);
        source = 'backtest';
      }
    }
    if (source === 'default') {
      k = 0.02 / Math.max(last - first, 1);
      warnings.push('too few points to backtest this run: the interval assumes a 2 % error one logged span ahead');
    }

    const conf = opts.confidence ?? 0.95;
    const z = conf > 0 && conf < 1 ? normalQuantile(0.5 + conf / 2) : 1.96;
    const grid =
      opts.at && opts.at.length
        ? opts.at.filter(Number.isFinite).map(Math.round)
        : Array.from({ length: 64 }, (_, i) => Math.round(last + ((T - last) * (i + 1)) / 64));
    const want = [...grid, T];
    const pr = predictSchedule(fit, { lrSteps: schedule.lrSteps, lr: schedule.lr, steps: want });
    if (!pr.ok) return { ok: false, reason: `prediction failed: ${pr.reason}`, warnings };
    const sigma0 = fit.logRmse;
    const point = (step: number, value: number): LiveForecastPoint => {
      const ext = k * Math.max(step - last, 0);
      const sd = Math.sqrt(sigma0 * sigma0 + ext * ext);
      return { step, value, lower: value * Math.exp(-z * sd), upper: value * Math.exp(z * sd) };
    };
    const byStep = new Map<number, number>();
    pr.steps.forEach((s, i) => byStep.set(s, pr.loss[i]));
    // A constant LR so far may still be a WSD schedule whose decay has not started: the lower end of the band
    // also covers that scenario (linear decay to 0 over the last 20 % of the run, the most optimistic common plan).
    let scenario: Map<number, number> | null = null;
    if (schedule.shape === 'constant' && schedule.confidence < 1) {
      const alt = wsdScenario(schedule.lrSteps, schedule.lr, last, T);
      const pa = alt ? predictSchedule(fit, { lrSteps: alt.lrSteps, lr: alt.lr, steps: want }) : null;
      if (pa && pa.ok) {
        scenario = new Map();
        pa.steps.forEach((s, i) => scenario!.set(s, pa.loss[i]));
      }
    }
    const withScenario = (p: LiveForecastPoint): LiveForecastPoint => {
      const alt = scenario?.get(p.step);
      if (alt === undefined || !(alt > 0)) return p;
      const sd = Math.log(p.upper / p.value) / z;
      return { ...p, lower: Math.min(p.lower, alt * Math.exp(-z * sd)) };
    };
    const points = grid.map((s) => withScenario(point(s, byStep.get(s) ?? NaN)));
    const final = withScenario(point(T, byStep.get(T) ?? NaN));
    if (!(final.value > 0) || !Number.isFinite(final.value))
      return { ok: false, reason: 'the fitted law predicts a non-positive loss under the planned schedule', warnings };
    const fittedPr = predictSchedule(fit, { lrSteps, lr, steps: dec.steps });
    const params = Object.fromEntries(fit.paramNames.map((n, i) => [n, fit.params[i]]));
    const explanation =
      `Multi-power law (Luo et al. 2025) fitted on ${dec.steps.length} points up to step ${last} (log-RMSE ${sigma0.toExponential(2)}); ` +
      `schedule: ${schedule.explanation} Interval: fit scatter plus an extrapolation error growing ${source === 'backtest' ? 'at the rate measured by refitting on the first 1/2 and 2/3 of this run' : 'at an assumed 2 % per logged span'}` +
      (scenario ? '; its lower end also covers a WSD decay over the last 20 % of the run.' : '.');
    return {
      ok: true,
      schedule,
      law: 'mpl',
      params,
      points,
      final,
      fitted: fittedPr.ok ? { steps: fittedPr.steps, loss: fittedPr.loss } : { steps: [], loss: [] },
      logRmse: sigma0,
      errorGrowth: { perStep: k, source },
      lastStep: last,
      warnings,
      explanation,
    };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}`, warnings };
  }
}

/**
 * Log-error growth per step when the law is refitted on the points up to `cut` and predicts the rest (with the
 * logged LR): k = √(Σ e_i² / Σ h_i²), e_i the log error at distance h_i beyond the cut. Null when there are too
 * few points on either side.
 */
function backtestGrowth(
  dec: Series,
  lrSteps: number[],
  lr: number[],
  W: number,
  cut: number,
  from: number[],
): number | null {
  const early: Series = { steps: [], loss: [] },
    late: Series = { steps: [], loss: [] };
  for (let i = 0; i < dec.steps.length; i++) {
    const part = dec.steps[i] <= cut ? early : late;
    part.steps.push(dec.steps[i]);
    part.loss.push(dec.loss[i]);
  }
  if (early.steps.length < 8 || late.steps.length < 2) return null;
  const keep = lrSteps.map((_, i) => i).filter((i) => lrSteps[i] <= cut);
  if (keep.length < 2) return null;
  // warm start from the full-prefix fit (one LM run): the refit on fewer points moves from there
  const bt = fitPrefix(
    early,
    keep.map((i) => lrSteps[i]),
    keep.map((i) => lr[i]),
    W,
    from,
  );
  if (typeof bt === 'string') return null;
  const pr = predictSchedule(bt, { lrSteps, lr, steps: late.steps });
  if (!pr.ok) return null;
  const cutStep = early.steps[early.steps.length - 1];
  let se = 0,
    sh = 0;
  for (let i = 0; i < late.steps.length; i++) {
    const e = Math.log(pr.loss[i]) - Math.log(late.loss[i]),
      h = late.steps[i] - cutStep;
    if (Number.isFinite(e) && h > 0) {
      se += e * e;
      sh += h * h;
    }
  }
  return sh > 0 && Number.isFinite(se) ? Math.sqrt(se / sh) : null;
}

/** The planned knots with a linear decay to 0 over the last 20 % of the run (from the LR at that point). */
function wsdScenario(
  steps: number[],
  lr: number[],
  last: number,
  T: number,
): { lrSteps: number[]; lr: number[] } | null {
  const d = Math.max(Math.round(0.8 * T), last + 1);
  if (d >= T) return null;
  const outS: number[] = [],
    outL: number[] = [];
  let atD = lr[lr.length - 1];
  for (let i = 0; i < steps.length; i++) {
    if (steps[i] <= d) {
      outS.push(steps[i]);
      outL.push(lr[i]);
      atD = lr[i];
    }
  }
  if (outS[outS.length - 1] < d) {
    outS.push(d);
    outL.push(atD);
  }
  outS.push(T);
  outL.push(0);
  return { lrSteps: outS, lr: outL };
}
