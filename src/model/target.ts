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

/** The forecast with `stepToTarget` for a new target (removed when the target is cleared). */
export function retarget(
  f: Forecast,
  curve: { x: readonly number[]; y: readonly number[] } | undefined,
  target: number | null,
): Forecast {
  const out: Forecast = { ...f };
  if (target === null) delete out.stepToTarget;
  else out.stepToTarget = stepToTargetFrom(curve, target);
  return out;
}
