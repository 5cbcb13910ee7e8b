/**
 * Schedule-aware forecasts of live runs for the editor: when a run logs its learning rate and its planned total
 * steps are known, the rest of its loss curve depends on the LR schedule still to come (a cosine or WSD decay
 * lowers the loss well below what a learning-curve law extrapolates from the prefix). `forecastLiveRun`
 * (src/fit/schedule/forecast.ts) infers the planned schedule from the logged LR prefix, fits the multi-power law
 * of Luo et al. 2025 on the prefix and predicts to the planned end with an interval; this file turns that into the
 * dashboard's `CurveFitView` (hover, status bar and CodeLens read its `end`). Pure; runs in the worker.
 */
import type { CurveFitView, Forecast, ParamView } from '../protocol';
import type { CurveJob } from './fitJobs';
import { forecastLiveRun, type LiveForecast } from '../fit/schedule/forecast';
import { MPL_LATEX } from '../fit/schedule/mpl';
import { targetSteps } from './target';

/** LR points needed before the schedule is inferred. */
export const MIN_LR_POINTS = 8;
/** Forecast points drawn between the last logged step and the planned end. */
const FUTURE_POINTS = 96;

export const SCHEDULE_LAW_NAME = 'Multi-power law, schedule-aware (Luo et al. 2025)';

/** The run logs an LR series and has planned steps beyond its last logged one: use the schedule-aware forecast. */
export function scheduleApplies(job: CurveJob): boolean {
  if (job.law !== 'auto' && job.law !== 'mpl') return false;
  if (!job.lr || job.lr.step.length < MIN_LR_POINTS || !job.totalSteps) return false;
  const last = job.step.length ? job.step[job.step.length - 1] : 0;
  return job.totalSteps > last && (job.atStep === undefined || job.atStep <= job.totalSteps);
}

/** "cosine schedule (inferred from the logged LR, confidence 92 %)" */
export function describeSchedule(s: LiveForecast['schedule']): string {
  if (s.shape === 'given') return 'the given planned schedule';
  const shape = s.shape === 'wsd' ? `warmup-stable-decay${s.decayShape ? ` (${s.decayShape} decay)` : ''}` : s.shape;
  return `${shape} schedule to step ${Math.round(s.totalSteps).toLocaleString('en-US')} (inferred from the logged LR, confidence ${Math.round(s.confidence * 100)} %)`;
}

/** The schedule-aware view, or a reason why it cannot be made (the caller falls back to the curve laws). */
export function scheduleCurveView(job: CurveJob): CurveFitView | { ok: false; reason: string } {
  const T = job.totalSteps!;
  const last = job.step[job.step.length - 1];
  const at = Array.from({ length: FUTURE_POINTS }, (_, i) => Math.round(last + ((T - last) * (i + 1)) / FUTURE_POINTS));
  if (job.atStep !== undefined) at.push(Math.round(job.atStep));
  const r = forecastLiveRun(
    { steps: job.step, loss: job.y, lrSteps: job.lr!.step, lr: job.lr!.value, totalSteps: T },
    { confidence: job.confidence, at: [...new Set(at)].sort((a, b) => a - b) },
  );
  if (!r.ok) return { ok: false, reason: r.reason };
  const band = { x: [] as number[], y: [] as number[], lower: [] as number[], upper: [] as number[] };
  // Inside the data the fitted curve (no band: it is interpolated, not forecast); beyond it, the forecast band.
  r.fitted.steps.forEach((s, i) => {
    const v = r.fitted.loss[i];
    if (v > 0 && Number.isFinite(v)) {
      band.x.push(s);
      band.y.push(v);
      band.lower.push(v);
      band.upper.push(v);
    }
  });
  for (const p of r.points) {
    if (p.step <= last || !(p.value > 0) || !Number.isFinite(p.upper)) continue;
    band.x.push(p.step);
    band.y.push(p.value);
    band.lower.push(p.lower);
    band.upper.push(p.upper);
  }
  const meanCurve = { x: band.x.slice(), y: band.y.slice(), lower: band.lower.slice(), upper: band.upper.slice() };
  const horizon = job.atStep ?? T;
  const endP =
    job.atStep !== undefined ? (r.points.find((p) => p.step === Math.round(job.atStep!)) ?? r.final) : r.final;
  const schedule = describeSchedule(r.schedule);
  const end: Forecast = {
    metric: job.metric,
    atStep: horizon,
    value: endP.value,
    lower: endP.lower,
    upper: endP.upper,
    law: 'mpl',
    lawName: SCHEDULE_LAW_NAME,
    schedule,
    etaSeconds: job.secondsPerStep !== undefined && horizon > last ? (horizon - last) * job.secondsPerStep : undefined,
  };
  // Past the planned end the schedule is not defined: a target not reached by then is "not reached".
  if (job.targetLoss != null) Object.assign(end, targetSteps(meanCurve, job.targetLoss));
  const params: ParamView[] = Object.entries(r.params).map(([name, value]) => ({ name, value }));
  const warnings = [...r.warnings];
  if (r.schedule.shape !== 'given' && r.schedule.confidence < 0.5)
    warnings.push(`the LR schedule is uncertain (${schedule}): the forecast assumes it`);
  return {
    runId: job.runId,
    metric: job.metric,
    ok: true,
    law: 'mpl',
    lawName: SCHEDULE_LAW_NAME,
    latex: MPL_LATEX,
    params,
    band,
    end,
    meanCurve,
    schedule,
    explanation: `Schedule-aware: this run logs its learning rate and plans ${T.toLocaleString('en-US')} steps, so its remaining loss is forecast under the ${schedule}. ${r.explanation}`,
    warnings,
  };
}
