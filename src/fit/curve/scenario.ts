/**
 * Which LR-schedule scenario a learning-curve forecast assumes (issue 12, "the schedule nobody logged").
 * Most runs decay the LR to their planned end, and that anneal lowers the final loss by a few % (ANNEAL_DROP in
 * fitCurve.ts) — a drop no curve law fitted on the prefix can see. When the forecast is for the planned end of
 * the run and the LR is not logged, or the LR logged so far is flat, both futures are possible: the forecast
 * averages the as-logged and the anneal scenarios and its band covers both ('unknown'). Otherwise (no planned
 * end known, a horizon well before it, or a logged LR that is already moving, whose decay the curve shows) the
 * curve is continued as logged. Pure.
 */
import { ANNEAL_DROP } from './fitCurve';

export type CurveScenario = 'as-logged' | 'unknown' | 'anneal';

export interface ScenarioChoice {
  scenario: CurveScenario;
  /** one sentence for the editor and the CLI: which schedule was assumed, and why */
  note: string;
}

/** Relative range of the LR values (max − min) / max over the logged points after the warmup peak. */
export function lrFlat(lr: ArrayLike<number> | undefined): boolean | null {
  if (!lr || lr.length < 2) return null;
  let peak = 0,
    at = 0;
  for (let i = 0; i < lr.length; i++)
    if (Number.isFinite(lr[i]) && lr[i] > peak) {
      peak = lr[i];
      at = i;
    }
  if (!(peak > 0)) return null;
  let lo = Infinity;
  for (let i = at; i < lr.length; i++) if (Number.isFinite(lr[i])) lo = Math.min(lo, lr[i]);
  return (peak - lo) / peak < 1e-3;
}

export function chooseScenario(input: {
  horizon: number;
  lastStep: number;
  totalSteps?: number | null;
  lr?: ArrayLike<number>;
}): ScenarioChoice {
  const { horizon, lastStep, totalSteps } = input;
  const flat = lrFlat(input.lr);
  const drop = `${(ANNEAL_DROP * 100).toFixed(0)} %`;
  if (!(totalSteps && totalSteps > lastStep))
    return { scenario: 'as-logged', note: 'continuation as logged (planned total steps unknown)' };
  if (!(horizon > lastStep && horizon >= 0.9 * totalSteps))
    return { scenario: 'as-logged', note: 'continuation as logged (forecast well before the planned end)' };
  if (flat === false)
    return {
      scenario: 'as-logged',
      note: 'continuation as logged (the logged LR is already decaying; its effect is in the curve)',
    };
  const why = flat === null ? 'the LR is not logged' : 'the LR logged so far is flat';
  return {
    scenario: 'unknown',
    note: `50/50 mix of a continuation as logged and an LR anneal to step ${Math.round(totalSteps)} (${why}; the anneal ends ${drop} lower), the band covering both`,
  };
}
