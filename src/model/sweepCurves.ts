/**
 * Training curves of the sweep's runs as (N, C, loss) points, for the loss-envelope frontier (Hoffmann et al.
 * 2022, approach 1: at each compute budget, the model size whose training curve is lowest). One entry per
 * checkpoint of every run that is a sweep point (finished or stopped early, N and tokens known; the sweep's metric), thinned to `perRun` log-spaced
 * checkpoints; C = 6·N·D(step). Pure.
 */
import type { SweepPointInput } from '../fit/types';
import { RunModel, primaryMetric, tokensForSteps } from './runModel';

export function sweepCurves(
  model: RunModel,
  metricPref = 'auto',
  perRun = 40,
  /** `model.sweepInput(metricPref)` when the caller has it already (a sweep job needs both: one pass of run states). */
  input = model.sweepInput(metricPref),
): SweepPointInput[] {
  const out: SweepPointInput[] = [];
  const inSweep = new Set(input.points.filter((p) => !p.excluded).map((p) => p.runId));
  for (const run of model.runs.values()) {
    if (!inSweep.has(run.id)) continue;
    const N = model.params(run);
    // the sweep's one metric (the same as its points'), else the run's own
    const metric = input.metric ?? primaryMetric(run, metricPref);
    const s = metric ? run.metrics[metric] : undefined;
    if (N === undefined || !s) continue;
    const idx: number[] = [];
    for (let i = 0; i < s.step.length; i++)
      if (s.step[i] > 0 && Number.isFinite(s.value[i]) && s.value[i] > 0) idx.push(i);
    if (idx.length < 2) continue;
    // log-spaced in step: the envelope is read on a log-compute axis
    const first = s.step[idx[0]],
      last = s.step[idx[idx.length - 1]];
    const keep: number[] = [];
    let next = 0;
    for (const i of idx) {
      const t = last > first ? Math.log(s.step[i] / first) / Math.log(last / first) : 1;
      if (t >= next || i === idx[idx.length - 1]) {
        keep.push(i);
        next = t + 1 / perRun;
      }
    }
    const steps = keep.map((i) => s.step[i]);
    const D = tokensForSteps(model.withTokens(run), steps);
    if (!D) continue;
    keep.forEach((i, k) => {
      if (D[k] > 0) out.push({ N, D: D[k], C: 6 * N * D[k], loss: s.value[i], group: run.id });
    });
  }
  return out;
}
