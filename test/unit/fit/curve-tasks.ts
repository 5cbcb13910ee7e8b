/**
 * Backtest tasks on real curves (issue 12), shared by `npm run backtest` and the calibration test: each curve cut
 * at 10 / 30 / 50 % of its final step (the points with x ≤ cut × x_final), the final loss to forecast. And the
 * split-conformal calibration samples of those tasks (src/fit/curve/calibration.ts).
 */
import type { Curve } from './corpus';
import {
  fitCurve,
  predictCurve,
  type CurveFit,
  type FitFailure,
  type PredictOptions,
} from '../../../src/fit/curve/fitCurve';
import type { CalibrationSample } from '../../../src/fit/curve/calibration';
import { chooseScenario, type ScenarioChoice } from '../../../src/fit/curve/scenario';

export const CUTS = [0.1, 0.3, 0.5];

export interface Task {
  id: string;
  curve: string;
  family: string;
  cut: number;
  /** the corpus split of the curve */
  split?: string;
  x: number[];
  y: number[];
  at: number;
  truth: number;
  /** the logged LR at the prefix's points (never a value after the cut), when the curve's CSV has an LR column */
  lr?: number[];
  /** the planned total steps the source states (corpus.ts Curve.plannedTotal), when it does */
  totalSteps?: number;
}

/**
 * Which scenario the product would choose for this forecast (scenario.ts chooseScenario, as the editor calls it):
 * from what a user's log would show at the cut — the LR logged up to the cut, the planned total the source states —
 * with the forecast at the curve's final step. `legacy`: the backtest's behaviour before session 31, 'unknown' for
 * every forecast.
 */
export function taskScenario(t: Task, legacy = false): ScenarioChoice {
  if (legacy) return { scenario: 'unknown', note: 'legacy backtest: always unknown' };
  return chooseScenario({ horizon: t.at, lastStep: t.x[t.x.length - 1], totalSteps: t.totalSteps ?? null, lr: t.lr });
}

export function tasksOf(curves: Curve[]): { tasks: Task[]; skipped: string[] } {
  const tasks: Task[] = [],
    skipped: string[] = [];
  for (const c of curves) {
    const X = c.x[c.x.length - 1],
      Y = c.y[c.y.length - 1];
    for (const cut of CUTS) {
      const idx = c.x.map((_, i) => i).filter((i) => c.x[i] <= cut * X && Number.isFinite(c.y[i]));
      if (idx.length < 4) {
        skipped.push(`${c.id}@${cut}: ${idx.length} points`);
        continue;
      }
      tasks.push({
        id: `${c.id}@${cut}`,
        curve: c.id,
        family: c.family,
        cut,
        ...(c.split ? { split: c.split } : {}),
        x: idx.map((i) => c.x[i]),
        y: idx.map((i) => c.y[i]),
        at: X,
        truth: Y,
        ...(c.lr && c.lr.length === c.x.length ? { lr: idx.map((i) => c.lr![i]) } : {}),
        ...(c.plannedTotal ? { totalSteps: c.plannedTotal } : {}),
      });
    }
  }
  return { tasks, skipped };
}

/**
 * Nonconformity scores of one task (calibration.ts): the signed log error beyond the scenario half-spread, in
 * units of the raw model band's stochastic half-width, one score per side (and their max, the symmetric score),
 * and where the truth lies against the smoothed loss at the cut and the forecast; Infinity when the fit fails.
 */
export function calibrationSample(
  t: Task,
  fit?: CurveFit | FitFailure,
  predict: Pick<PredictOptions, 'annealDrop' | 'scenario'> = {},
): CalibrationSample {
  const f = fit ?? fitCurve(t.x, t.y);
  const xLast = t.x.filter((v) => v > 0).slice(-1)[0] ?? t.x[t.x.length - 1];
  if (!f.ok)
    return {
      family: t.family,
      ratio: t.at / xLast,
      nFit: t.x.length,
      score: Infinity,
      up: Infinity,
      down: Infinity,
      overLast: Infinity,
      overValue: Infinity,
      cut: t.cut,
      ...(t.split ? { split: t.split } : {}),
    };
  const ratio = t.at / f.xRange[1];
  // the scenario the product chooses for this forecast (taskScenario), unless the caller names one
  const scenario = predict.scenario ?? taskScenario(t).scenario;
  const [u] = predictCurve(f, [t.at], { ...predict, scenario, calibrated: false });
  const [a] = predictCurve(f, [t.at], { scenario: 'as-logged', calibrated: false });
  const w = Math.log(a.upper / a.value); // z·se
  const h = Math.log(a.value / u.value); // half the scenario spread
  const r = Math.log(t.truth / u.value); // signed: > 0 when the truth lies above the forecast
  const side = (e: number) => (!Number.isFinite(e) ? Infinity : w > 0 ? Math.max(0, e - h) / w : e <= h ? 0 : Infinity);
  const up = side(r),
    down = side(-r);
  return {
    family: t.family,
    ratio,
    nFit: f.nFit,
    score: Math.max(up, down),
    up,
    down,
    overLast: Math.log(t.truth / f.lastLoss),
    overValue: r,
    cut: t.cut,
    ...(t.split ? { split: t.split } : {}),
    w,
    h,
    // the prefix's drop so far (calibration.ts steepForecast)
    drop: Math.log((f.initialLoss ?? NaN) / f.lastLoss),
  };
}
