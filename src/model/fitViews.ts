/**
 * Turns fit-engine results into the views the editor shows (protocol.ts shapes). Pure; runs in the worker.
 *
 * Forecast intervals come from predictCurve as they are: beyond the data they already include the law's
 * backtest error (log-RMSE on the held-out tail of this same run), grown with the log-distance past the last
 * step (src/fit/curve/fitCurve.ts), so a forecast is never more confident than the law's record on this run.
 * (They are not widened again here: that counted the backtest error twice.)
 */
import type { CurveFitView, LawOption, ParamView, Forecast } from '../protocol';
import type { CurveJob } from './fitJobs';
import { fitCurve, predictCurve, type CurveFit } from '../fit/curve/fitCurve';
import { CURVE_LAWS, EXPLICIT_CURVE_LAWS } from '../fit/curve/laws/index';
import { scheduleApplies, scheduleCurveView } from './scheduleViews';
import { MEAN_CURVE_POINTS, targetSteps } from './target';
import { UNKNOWN_END_FACTOR } from './runState';
import { describeFit } from '../fit/curve/describe';
import { chooseScenario } from '../fit/curve/scenario';
import { epochNote, medianSpacing } from '../fit/curve/epochs';
import { combineWithSweep, sweepRatioPrior } from '../fit/curve/sweepPrior';
export { sweepJob, sweepLawOptions } from './sweepViews';
import { sweepLawOptions } from './sweepViews';

/** Points on the drawn fitted curve and band. */
const BAND_POINTS = 160;

export function lawOptions(): LawOption[] {
  return [
    {
      id: 'auto',
      name: 'Automatic (schedule-aware when the run logs its LR and planned steps, else best held-out error)',
      scope: 'curve',
    },
    { id: 'mpl', name: 'Multi-power law, schedule-aware (runs that log their LR and planned steps)', scope: 'curve' },
    ...[...CURVE_LAWS, ...EXPLICIT_CURVE_LAWS].map((l) => ({ id: l.id, name: l.name, scope: 'curve' as const })),
    ...sweepLawOptions(),
  ];
}

/** Log-spaced grid from a to b (inclusive), n points. */
export function logGrid(a: number, b: number, n: number): number[] {
  if (!(a > 0) || !(b > a)) return [a];
  const la = Math.log(a),
    lb = Math.log(b);
  return Array.from({ length: n }, (_, i) => Math.exp(la + ((lb - la) * i) / (n - 1)));
}

function paramsOf(fit: CurveFit): ParamView[] {
  const n = fit.params.length;
  return fit.paramNames.map((name, i) => {
    const sd = fit.cov ? Math.sqrt(Math.max(0, fit.cov[i * n + i])) : NaN;
    return {
      name,
      value: fit.params[i],
      ...(Number.isFinite(sd) ? { lower: fit.params[i] - 1.96 * sd, upper: fit.params[i] + 1.96 * sd } : {}),
    };
  });
}

/** The law to fall back on when the selected one extrapolates to nonsense: the simplest saturating power law. */
const FALLBACK_LAW = 'pow3';

/**
 * Forecast step: the one asked for (or chosen by the run's state, `job.plan`), else the planned final step (the
 * last step when already there), else 2× the last step — which `basisOf` then states.
 */
function horizonOf(job: CurveJob, last: number): number {
  if (job.atStep !== undefined) return job.atStep;
  if (job.totalSteps && job.totalSteps > 0) return Math.max(job.totalSteps, last);
  return Math.max(UNKNOWN_END_FACTOR * last, last + 1);
}

/** How the forecast step was chosen, in words shown next to the forecast (never a silent 2×). */
function basisOf(job: CurveJob, planned: boolean): { basis: string; hypothetical?: boolean } {
  if (planned && job.plan?.basis)
    return { basis: job.plan.basis, ...(job.plan.hypothetical ? { hypothetical: true } : {}) };
  if (job.atStep !== undefined) return { basis: 'the step asked for' };
  if (job.totalSteps && job.totalSteps > 0) return { basis: 'planned end' };
  return { basis: `assumed end: ${UNKNOWN_END_FACTOR}× the last step (no planned end logged)` };
}

/** Widest interval still shown as a forecast: within a factor of 3 of the value either way. */
const MAX_INTERVAL_FACTOR = 3;

/**
 * A forecast is usable when it is positive and the law's own interval is finite and not wider than a factor of 3:
 * whether the points pin the law down. Judged on the model band, not the calibrated one shown to the user (which
 * also carries the error of extrapolating far ahead, learned across curves: honest, and often wide early in a run).
 */
function usable(fit: CurveFit, horizon: number, confidence: number): boolean {
  const p = predictCurve(fit, [horizon], { confidence, calibrated: false })[0];
  return (
    !!p &&
    p.value > 0 &&
    Number.isFinite(p.value) &&
    p.upper <= p.value * MAX_INTERVAL_FACTOR &&
    p.lower >= p.value / MAX_INTERVAL_FACTOR
  );
}

/**
 * A run's curve fit and forecast. With a `plan` (from the run's state): a diverged run gets no fit (the divergence
 * is the answer); a finished run gets its fitted curve up to its last step and no forecast (`noForecast` says
 * why: its final logged value is the answer); other runs are forecast at the plan's step, with its wording.
 */
export function curveJob(input: CurveJob): CurveFitView {
  const base = { runId: input.runId, metric: input.metric };
  const plan = input.atStep === undefined ? input.plan : undefined;
  if (plan?.none && plan.noFit) return { ...base, ok: false, reason: plan.none };
  const lastStep = input.step.length ? input.step[input.step.length - 1] : 0;
  const job: CurveJob = plan ? { ...input, atStep: plan.none ? lastStep : plan.atStep } : input;
  const view = fitAndForecast(job, base);
  if (!view.ok) return view;
  if (plan?.none) {
    delete view.end;
    view.noForecast = plan.none;
  } else if (view.end) {
    Object.assign(view.end, basisOf(job, !!plan));
    // a horizon beyond one or more epoch boundaries: said next to the schedule (hover, status bar, fit details)
    const epochs = epochNote({
      lastStep,
      horizon: view.end.atStep,
      stepsPerEpoch: job.stepsPerEpoch,
      spacing: medianSpacing(job.step),
    });
    if (epochs) {
      view.end.epochs = epochs;
      view.epochs = epochs;
      view.explanation = `${view.explanation ? `${view.explanation} ` : ''}Epochs: ${epochs}.`;
    }
  }
  return view;
}

function fitAndForecast(job: CurveJob, base: { runId: string; metric: string }): CurveFitView {
  const fallbackNote: string[] = [];
  // A live run that logs its LR and planned steps: its future depends on the schedule still to come.
  if (scheduleApplies(job)) {
    const sv = scheduleCurveView(job);
    if (sv.ok) return sv as CurveFitView;
    fallbackNote.push(
      `schedule-aware forecast not possible (${(sv as { reason: string }).reason}); learning-curve laws used instead`,
    );
  } else if (job.law === 'mpl')
    fallbackNote.push(
      'the schedule-aware law needs a logged LR series and the planned total steps of a run still training; learning-curve laws used instead',
    );
  const laws = job.law && job.law !== 'auto' && job.law !== 'mpl' ? [job.law] : 'auto';
  const first = fitCurve(job.step, job.y, { laws });
  if (!first.ok)
    return { ...base, ok: false, reason: first.reason, warnings: [...fallbackNote, ...(first.warnings ?? [])] };
  let fit: CurveFit = first;
  if (!usable(fit, horizonOf(job, fit.xRange[1]), job.confidence)) {
    const alt = fit.law !== FALLBACK_LAW ? fitCurve(job.step, job.y, { laws: [FALLBACK_LAW] }) : undefined;
    if (alt?.ok && usable(alt, horizonOf(job, alt.xRange[1]), job.confidence)) {
      fallbackNote.push(
        `${first.lawName} extrapolated to a non-positive value or an interval wider than a factor of 3; fell back to ${alt.lawName}`,
      );
      fit = alt;
    } else {
      return {
        ...base,
        ok: false,
        reason: `forecast not identifiable from these points (${first.lawName} gives an interval wider than a factor of ${MAX_INTERVAL_FACTOR})`,
        warnings: first.warnings,
      };
    }
  }
  const last = fit.xRange[1];
  const horizon = horizonOf(job, last);
  // Which schedule the rest of the run follows: at the planned end of a run whose LR is not logged (or flat),
  // an anneal nobody logged is as likely as none (src/fit/curve/scenario.ts).
  const choice = chooseScenario({ horizon, lastStep: last, totalSteps: job.totalSteps, lr: job.lr?.value });
  const popts = { confidence: job.confidence, scenario: choice.scenario };
  const method = describeFit(fit);
  const xs = logGrid(Math.max(fit.xRange[0], 1e-9), Math.max(horizon, last), BAND_POINTS);
  const pred = predictCurve(fit, xs, popts);
  const band = { x: [] as number[], y: [] as number[], lower: [] as number[], upper: [] as number[] };
  for (const p of pred) {
    if (!(p.value > 0) || !Number.isFinite(p.value) || !Number.isFinite(p.lower) || !Number.isFinite(p.upper)) continue;
    band.x.push(p.x);
    band.y.push(p.value);
    band.lower.push(p.lower);
    band.upper.push(p.upper);
  }
  // The mean on a log grid to 10× the horizon: steps to any target are read from it (here and when the target changes).
  const meanCurve = { x: [] as number[], y: [] as number[], lower: [] as number[], upper: [] as number[] };
  for (const p of predictCurve(
    fit,
    logGrid(Math.max(fit.xRange[0], 1e-9), Math.max(horizon, last) * 10, MEAN_CURVE_POINTS),
    popts,
  )) {
    if (Number.isFinite(p.value)) {
      meanCurve.x.push(p.x);
      meanCurve.y.push(p.value);
      meanCurve.lower.push(p.lower);
      meanCurve.upper.push(p.upper);
    }
  }
  let endP = predictCurve(fit, [horizon], popts)[0];
  // Sweep prior: finished runs of the same sweep, at the planned end of this one.
  let sweepNote: string | undefined;
  if (
    endP &&
    job.siblings &&
    job.siblings.length >= 2 &&
    job.totalSteps &&
    horizon === job.totalSteps &&
    horizon > last
  ) {
    const prior = sweepRatioPrior(
      last / horizon,
      job.siblings.map((q) => ({ id: q.id, x: q.x, y: q.y })),
    );
    const anchor = predictCurve(fit, [last], { confidence: job.confidence })[0];
    const comb = prior ? combineWithSweep(endP, anchor, prior, job.confidence) : null;
    if (comb) {
      endP = { x: horizon, value: comb.value, lower: comb.lower, upper: comb.upper };
      sweepNote = comb.note;
    }
  }
  let end: Forecast | undefined;
  if (endP && Number.isFinite(endP.value)) {
    const { lower, upper } = endP;
    end = {
      metric: job.metric,
      atStep: horizon,
      value: endP.value,
      lower,
      upper,
      law: fit.law,
      // the hover and status bar show lawName: name the average when there is one
      lawName: fit.members.length > 1 ? method : fit.lawName,
      etaSeconds:
        job.secondsPerStep !== undefined && horizon > last ? (horizon - last) * job.secondsPerStep : undefined,
      schedule: choice.note,
      method,
      ...(sweepNote ? { sweepPrior: sweepNote } : {}),
    };
    if (job.targetLoss != null) Object.assign(end, targetSteps(meanCurve, job.targetLoss));
  }
  const ranked = fit.candidates
    .filter((c) => Number.isFinite(c.holdoutLogRmse))
    .sort((a, b) => a.holdoutLogRmse - b.holdoutLogRmse);
  const runnerUp = ranked.find((c) => c.law !== fit.law);
  const explanation =
    laws === 'auto'
      ? `${fit.lawName} chosen: held-out log-RMSE ${fit.backtest.logRmse.toExponential(2)} on the last 25 % of the run` +
        (runnerUp ? ` vs ${runnerUp.holdoutLogRmse.toExponential(2)} for ${runnerUp.law}` : '') +
        ` (${ranked.length} laws compared).`
      : `${fit.lawName} (chosen in the settings); held-out log-RMSE ${fit.backtest.logRmse.toExponential(2)}.`;
  const warnings = [...fallbackNote, ...fit.warnings];
  return {
    ...base,
    ok: true,
    law: fit.law,
    lawName: fit.lawName,
    latex: fit.latex,
    params: paramsOf(fit),
    band,
    end,
    meanCurve,
    backtestError: fit.backtest.logRmse,
    explanation:
      (fallbackNote.length ? `${fallbackNote[0]}. ${explanation}` : explanation) +
      ` Forecast: ${method}; ${choice.note}${sweepNote ? `; ${sweepNote}` : ''}.`,
    warnings,
    schedule: choice.note,
    method,
    ...(sweepNote ? { sweepPrior: sweepNote } : {}),
  };
}
