/**
 * *Predict at…* from the last sweep fit (issue 16): evaluates the fitted law and its bootstrap parameter sets at
 * the requested N, D or C, with the interval the sweep fit itself reports (the same functions: `predictAt` for
 * Chinchilla's compute-optimal allocation, `bandAlong` for one-input laws). A few hundred closed-form evaluations:
 * microseconds, safe on the extension host. Pure.
 */
import type { SweepFitView } from '../protocol';
import type { SweepPredictor } from './sweepPredictor';
import { predictAt } from './sweepViews';
import { bandAlong, parseSweepLaw } from './sweepLaws';

export type SweepQuery = { axis: 'N' | 'D' | 'C'; value: number };

/** The prediction (or why this law has none at that axis), as the refit path would have put it on the view. */
export function evaluatePredictor(
  p: SweepPredictor,
  q: SweepQuery,
): Pick<SweepFitView, 'prediction' | 'predictionError'> {
  const lo = (1 - p.confidence) / 2,
    hi = 1 - lo;
  if (p.kind === 'chinchilla') return { prediction: predictAt(p.params, p.boot, q, lo, hi) };
  const parsed = parseSweepLaw(p.law);
  if (parsed?.kind !== 'one') return { predictionError: `unknown sweep law "${p.law}"` };
  if (q.axis !== p.axis)
    return {
      predictionError: `${p.lawName} predicts along ${p.axis} only; choose ${p.axis} to predict, or a Chinchilla law for compute-optimal predictions.`,
    };
  const b = bandAlong(parsed.law, p.raw, p.boot, q.value, lo, hi);
  return { prediction: { axis: q.axis, at: q.value, value: b.value, lower: b.lower, upper: b.upper } };
}

/** The view with the answer to `q` in place of the previous one (a copy: the cached view is not changed). */
export function withPrediction(view: SweepFitView, p: SweepPredictor, q: SweepQuery): SweepFitView {
  const out: SweepFitView = { ...view };
  delete out.prediction;
  delete out.predictionError;
  return { ...out, ...evaluatePredictor(p, q) };
}
