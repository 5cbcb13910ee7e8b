/**
 * Steps to a target loss from a fitted curve's mean, sampled on a log grid (`CurveFitView.meanCurve`). The fit
 * worker computes the grid once per fit; when the target changes the host re-reads every run's answer from its grid
 * at once (microseconds a run), so hovers, the status bar, CodeLens and the dashboard show the new target without
 * waiting for refits. Pure.
 */
import type { Forecast } from '../protocol';

/** Points of the mean curve per fit: log-spaced from the first step to 10× the forecast horizon. */
export const MEAN_CURVE_POINTS = 256;

/**
 * The first step at which the curve reaches `target` (y ≤ target), interpolated linearly in (log step, y) between
 * grid points; the first grid step when the curve starts at or below the target; null when it never reaches it
 * within the grid.
 */
export function stepToTargetFrom(
  curve: { x: readonly number[]; y: readonly number[] } | undefined,
  target: number,
): number | null {
  if (!curve || !Number.isFinite(target)) return null;
  const { x, y } = curve;
  const n = Math.min(x.length, y.length);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]) || !(x[i] > 0)) continue;
    if (y[i] <= target) {
      if (prev < 0) return x[i];
      const t = (y[prev] - target) / (y[prev] - y[i]);
      return Math.exp(Math.log(x[prev]) + t * (Math.log(x[i]) - Math.log(x[prev])));
    }
    prev = i;
  }
  return null;
}

/** A forecast's curve on a grid: its mean and, when known, both ends of its band. */
export interface TargetCurve {
  x: readonly number[];
  y: readonly number[];
  lower?: readonly number[];
  upper?: readonly number[];
}

/**
 * The step at which the curve's mean reaches `target` and, when the curve carries its band, the steps at which the
 * lower end (the soonest the band allows) and the upper end (the latest) do; null where not within the grid.
 */
export function targetSteps(
  curve: TargetCurve | undefined,
  target: number,
): Pick<Forecast, 'stepToTarget' | 'stepToTargetBand'> {
  const step = stepToTargetFrom(curve, target);
  if (!curve?.lower || !curve.upper) return { stepToTarget: step };
  return {
    stepToTarget: step,
    stepToTargetBand: [
      stepToTargetFrom({ x: curve.x, y: curve.lower }, target),
      stepToTargetFrom({ x: curve.x, y: curve.upper }, target),
    ],
  };
}

/** The forecast with `stepToTarget` (and its band) for a new target (removed when the target is cleared). */
export function retarget(f: Forecast, curve: TargetCurve | undefined, target: number | null): Forecast {
  const out: Forecast = { ...f };
  delete out.stepToTarget;
  delete out.stepToTargetBand;
  return target === null ? out : { ...out, ...targetSteps(curve, target) };
}
